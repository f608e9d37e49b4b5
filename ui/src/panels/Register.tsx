// Bottom panel (collapsible): the ranked risk register, the 5×5 heat map of likelihood × impact
// (click a cell to filter the register), the mitigation plan and one line of totals, including
// the denial-of-wallet exposure of exposed, unthrottled triggers. The heat-map cells, their
// banded severity and the plan come from the core's analysis; nothing here scores a threat.
import type { HeatMap as HeatMapData } from "../bindings/HeatMap";
import type { PlanGroup } from "../bindings/PlanGroup";
import type { Threat } from "../bindings/Threat";
import { SEVERITY_LETTER } from "../canvas/convert";
import { uiStore, useUi } from "../app/files";
import { filterThreats, STATUS_LABEL, totalsLine, type ThreatFilter } from "../lib/threats";
import { docStore, useDoc } from "../store/document";

const NONE: Threat[] = [];

function HeatMap({ map, filter }: { map: HeatMapData; filter: ThreatFilter }) {
  return (
    <div className="heatmap" data-testid="heatmap">
      <table aria-label="Heat map: likelihood (rows) × impact (columns), open threats">
        <tbody>
          {[5, 4, 3, 2, 1].map((l) => (
            <tr key={l}>
              <th scope="row" title={`Likelihood ${l}`}>L{l}</th>
              {[1, 2, 3, 4, 5].map((i) => {
                const key = `cell:${l}:${i}` as ThreatFilter;
                const cell = map.cells.find((c) => c.likelihood === l && c.impact === i);
                if (!cell) return <td key={i} />;
                const n = cell.open;
                const on = filter === key;
                return (
                  <td key={i}>
                    <button
                      type="button"
                      className={`heat-cell band-${cell.severity}${n ? "" : " zero"}${on ? " on" : ""}`}
                      data-testid={`heat-${l}-${i}`}
                      aria-pressed={on}
                      data-severity={cell.severity}
                      title={`Likelihood ${l} × impact ${i} (score ${cell.score}, ${cell.severity}): ${n} open threat${n === 1 ? "" : "s"}${on ? " (click to clear the filter)" : ""}`}
                      onClick={() => uiStore.setState({ filter: on ? "all" : key })}
                    >
                      {n || ""}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
          <tr>
            <th />
            {[1, 2, 3, 4, 5].map((i) => (
              <th key={i} scope="col" title={`Impact ${i}`}>
                I{i}
              </th>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The open threats' mitigations grouped by practice, largest risk removed first. */
function Plan({ groups }: { groups: PlanGroup[] }) {
  if (!groups.length) return null;
  return (
    <div className="mitigation-plan" data-testid="mitigation-plan">
      <h3 className="section-title">Mitigation plan</h3>
      <ol>
        {groups.map((g) => (
          <li key={g.title} data-testid="plan-group" title={g.guide ?? undefined}>
            <strong>{g.title}</strong>{" "}
            <span className="muted">
              removes {g.risk_removed} risk · {g.open_threats} open threat{g.open_threats === 1 ? "" : "s"}
            </span>
            <ul>
              {g.actions.map((a) => (
                <li key={a.text} title={a.targets.join(", ")}>
                  {a.text} <span className="muted">({a.risk_removed})</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

export default function Register() {
  const open = useUi((s) => s.register);
  const filter = useUi((s) => s.filter);
  const report = useDoc((s) => s.analysis);
  const all = report?.analysis.threats ?? NONE;
  const rows = filterThreats(all, filter);
  const dow = report?.analysis.summary.denial_of_wallet_usd_month ?? 0;
  const selection = useDoc((s) => s.selection);
  // An empty model leaves the room to the template gallery: only the bar shows.
  const empty = useDoc((s) => s.model.elements.length === 0);
  return (
    <section className={`register-pane${open ? " open" : ""}`} aria-label="Risk register" data-testid="register">
      <div className="register-bar">
        <button
          type="button"
          className="register-toggle"
          aria-expanded={open}
          data-testid="register-toggle"
          onClick={() => uiStore.setState({ register: !open })}
        >
          {open ? "▾" : "▸"} Register
        </button>
        {filter !== "all" && (
          <button type="button" className="filter-chip" data-testid="register-filter" onClick={() => uiStore.setState({ filter: "all" })} title="Clear the filter">
            {filter.startsWith("cell:") ? `L${filter.split(":")[1]} × I${filter.split(":")[2]}` : STATUS_LABEL[filter as keyof typeof STATUS_LABEL]} ✕
          </button>
        )}
        <span className="register-totals" data-testid="register-totals">
          {report ? totalsLine(all, dow) : "Analysing…"}
        </span>
      </div>
      {open && !empty && (
        <div className="register-body">
          <div className="register-table-wrap">
            <table className="register-table" data-testid="register-table">
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Score</th>
                  <th scope="col">Threat</th>
                  <th scope="col">Target</th>
                  <th scope="col">STRIDE</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr
                    key={t.id}
                    data-testid="register-row"
                    data-target={t.target.id}
                    className={`${t.status !== "open" ? "decided" : ""}${selection.includes(t.target.id) ? " selected" : ""}`}
                    onClick={() => {
                docStore.getState().showThreat(t.id);
                docStore.getState().focusOn(t.target.id);
              }}
                    title="Select the target and highlight what the threat names"
                  >
                    <td>
                      <span className={`sev-chip sev-${t.severity}`}>
                        <span className="sev-letter">{SEVERITY_LETTER[t.severity]}</span>
                        {t.severity}
                      </span>
                    </td>
                    <td className="num">{t.score}</td>
                    <td>{t.title}</td>
                    <td>{t.target.name}</td>
                    <td>{t.category}</td>
                    <td>{STATUS_LABEL[t.status]}</td>
                  </tr>
                ))}
                {!rows.length && (
                  <tr>
                    <td colSpan={6} className="muted">
                      {all.length ? "No threats match the filter." : "No threats."}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="register-side">
            {report && <HeatMap map={report.analysis.heat_map} filter={filter} />}
            <Plan groups={report?.analysis.mitigation_plan ?? []} />
          </div>
        </div>
      )}
    </section>
  );
}
