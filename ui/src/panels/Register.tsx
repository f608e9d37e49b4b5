// Bottom panel (collapsible): the ranked risk register, a 5×5 heat map of likelihood × impact
// (click a cell to filter the register) and one line of totals, including the
// denial-of-wallet exposure of exposed, unthrottled triggers.
import type { Threat } from "../bindings/Threat";
import { SEVERITY_LETTER } from "../canvas/convert";
import { uiStore, useUi } from "../app/files";
import { filterThreats, heatMap, STATUS_LABEL, totalsLine, type ThreatFilter } from "../lib/threats";
import { docStore, useDoc } from "../store/document";

const NONE: Threat[] = [];

/** Colour band of a heat-map cell by its score (likelihood × impact). */
function band(l: number, i: number): string {
  const s = l * i;
  return s >= 20 ? "critical" : s >= 12 ? "high" : s >= 6 ? "medium" : "low";
}

function HeatMap({ threats, filter }: { threats: Threat[]; filter: ThreatFilter }) {
  const grid = heatMap(threats);
  return (
    <div className="heatmap" data-testid="heatmap">
      <table aria-label="Heat map: likelihood (rows) × impact (columns), open threats">
        <tbody>
          {[5, 4, 3, 2, 1].map((l) => (
            <tr key={l}>
              <th scope="row" title={`Likelihood ${l}`}>L{l}</th>
              {[1, 2, 3, 4, 5].map((i) => {
                const key = `cell:${l}:${i}` as ThreatFilter;
                const n = grid[l - 1][i - 1];
                const on = filter === key;
                return (
                  <td key={i}>
                    <button
                      type="button"
                      className={`heat-cell band-${band(l, i)}${n ? "" : " zero"}${on ? " on" : ""}`}
                      data-testid={`heat-${l}-${i}`}
                      aria-pressed={on}
                      title={`Likelihood ${l} × impact ${i}: ${n} open threat${n === 1 ? "" : "s"}${on ? " (click to clear the filter)" : ""}`}
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
                    onClick={() => docStore.getState().focusOn(t.target.id)}
                    title="Select and show the target"
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
          <HeatMap threats={all.filter((t) => t.status === "open")} filter={filter} />
        </div>
      )}
    </section>
  );
}
