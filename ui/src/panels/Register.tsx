// Bottom panel (collapsible): the ranked risk register, the 5×5 heat map of likelihood × impact
// (click a cell to filter the register), the mitigation plan and one line of totals, including
// the denial-of-wallet exposure of exposed, unthrottled triggers. The heat-map cells, their
// banded severity and the plan come from the core's analysis; nothing here scores a threat.
// Rows have a fixed height and are windowed: only the rows in view are in the DOM (a 2,000-element
// model has ~8,000 threats).
import type { HeatMap as HeatMapData } from "../bindings/HeatMap";
import type { PlanGroup } from "../bindings/PlanGroup";
import type { Threat } from "../bindings/Threat";
import { SEVERITY_LETTER } from "../canvas/convert";
import { uiStore, useUi } from "../app/files";
import { filterThreats, registerLines, STATUS_LABEL, totalsLine, type ThreatFilter, type ThreatGroup } from "../lib/threats";
import { docStore, useDoc } from "../store/document";
import { useLayoutEffect, useRef, useState } from "react";
import { windowOf } from "../lib/windowing";
import { shownName } from "../lib/names";

/** Height of one register row (px); the CSS keeps rows to two lines at this height. */
export const ROW_H = 40;

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

/** The severity chip of a register row. */
function SevChip({ severity }: { severity: Threat["severity"] }) {
  return (
    <span className={`sev-chip sev-${severity}`}>
      <span className="sev-letter">{SEVERITY_LETTER[severity]}</span>
      {severity}
    </span>
  );
}

/** One finding's row; `member` rows sit indented under their open group. */
function ThreatRow({ t, selected, member }: { t: Threat; selected: boolean; member?: boolean }) {
  return (
    <tr
      data-testid="register-row"
      data-target={t.target.id}
      className={`${t.status !== "open" ? "decided" : ""}${selected ? " selected" : ""}${member ? " member" : ""}`}
      onClick={() => {
        docStore.getState().showThreat(t.id);
        docStore.getState().focusOn(t.target.id);
      }}
      title="Select the target and highlight what the threat names"
    >
      <td>
        <SevChip severity={t.severity} />
      </td>
      <td className="num">{t.score}</td>
      <td title={t.title}>
        <span className="clamp">{t.title}</span>
      </td>
      <td title={shownName(t.target.name)}>
        <span className="clamp">{shownName(t.target.name)}</span>
      </td>
      <td>{t.category}</td>
      <td>{STATUS_LABEL[t.status]}</td>
    </tr>
  );
}

/** A rule's findings of one severity on several targets: one row, opened (click, Enter, Space)
 * to list them. */
function GroupRow({ g, open, toggle }: { g: ThreatGroup; open: boolean; toggle: () => void }) {
  const top = g.threats[0];
  const names = g.threats.map((t) => shownName(t.target.name));
  const openCount = g.threats.filter((t) => t.status === "open").length;
  return (
    <tr
      data-testid="register-group"
      data-rule={top.rule}
      data-targets={g.threats.map((t) => t.target.id).join(" ")}
      className={`group-row${openCount === 0 ? " decided" : ""}`}
      tabIndex={0}
      aria-expanded={open}
      onClick={toggle}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          toggle();
        }
      }}
      title={`${top.rule} on ${g.threats.length} targets (click to ${open ? "hide" : "list"} them)`}
    >
      <td>
        <SevChip severity={top.severity} />
      </td>
      <td className="num">{top.score}</td>
      <td title={top.title}>
        <span className="clamp">
          <span className="group-caret" aria-hidden="true">{open ? "▾" : "▸"}</span> {top.title}
        </span>
      </td>
      <td title={names.join(", ")}>
        <span className="clamp">
          <strong>{g.threats.length} targets:</strong> {names.join(", ")}
        </span>
      </td>
      <td>{top.category}</td>
      <td>{openCount} open</td>
    </tr>
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
  const grouped = useUi((s) => s.registerGrouped);
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(() => new Set());
  const toggleGroup = (key: string) =>
    setOpenGroups((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const report = useDoc((s) => s.analysis);
  const all = report?.analysis.threats ?? NONE;
  const rows = filterThreats(all, filter);
  const dow = report?.analysis.summary.denial_of_wallet_usd_month ?? 0;
  const selection = useDoc((s) => s.selection);
  // An empty model leaves the room to the template gallery: only the bar shows.
  const empty = useDoc((s) => s.model.elements.length === 0);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [open, empty]);
  const lines = registerLines(rows, grouped, openGroups);
  const win = windowOf(lines.length, ROW_H, view.top, view.height);
  const selected = new Set(selection);
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
        <button
          type="button"
          className="filter-chip group-toggle"
          data-testid="register-group-toggle"
          aria-pressed={grouped}
          title={grouped ? "Show one row per finding" : "Show one row per rule and severity, listing its targets"}
          onClick={() => uiStore.setState({ registerGrouped: !grouped })}
        >
          Group by rule
        </button>
        <span className="register-totals" data-testid="register-totals">
          {report ? totalsLine(all, dow) : "Analysing…"}
        </span>
      </div>
      {open && !empty && (
        <div className="register-body">
          <div className="register-table-wrap" ref={wrapRef} onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
            <table className="register-table" data-testid="register-table">
              <colgroup>
                <col style={{ width: 84 }} />
                <col style={{ width: 54 }} />
                <col />
                <col style={{ width: "22%" }} />
                <col style={{ width: 92 }} />
                <col style={{ width: 68 }} />
              </colgroup>
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
                {win.before > 0 && <tr aria-hidden="true" style={{ height: win.before }} />}
                {lines.slice(win.from, win.to).map((line) =>
                  line.kind === "group" ? (
                    <GroupRow key={line.group.key} g={line.group} open={line.open} toggle={() => toggleGroup(line.group.key)} />
                  ) : (
                    <ThreatRow
                      key={line.threat.id}
                      t={line.threat}
                      selected={selected.has(line.threat.target.id)}
                      member={line.kind === "member"}
                    />
                  ),
                )}
                {win.after > 0 && <tr aria-hidden="true" style={{ height: win.after }} />}
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
