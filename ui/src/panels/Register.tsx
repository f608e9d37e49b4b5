// Bottom panel (collapsible): the ranked risk register — a work surface: filter bar, sortable
// columns, check boxes with bulk triage (RegisterTools.tsx), a keyboard grid (`useGrid`) and the
// decisions resolved by design on demand —, the 5×5 heat map of likelihood × impact
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
import type { Resolved } from "../bindings/Resolved";
import { filterThreats, registerLines, STATUS_LABEL, totalsLine, type ThreatFilter, type ThreatGroup } from "../lib/threats";
import { checkState, lineKey, lineThreats, moveActive, NO_QUERY, queryResolved, queryThreats, scrollToRow, sortThreats, toggleChecked, type WorkLine } from "../lib/register";
import { docStore, useDoc } from "../store/document";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { BulkBar, FilterBar, SortHead, type BulkNotice } from "./RegisterTools";
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

/** The severity chip of a register row, and the residual score beside it. */
function SevChip({ severity, score }: { severity: Threat["severity"]; score: number }) {
  return (
    <span className="sev-cell">
      <span className={`sev-chip sev-${severity}`}>
        <span className="sev-letter">{SEVERITY_LETTER[severity]}</span>
        {severity}
      </span>
      <span className="num" title="Residual score (likelihood × impact)">{score}</span>
    </span>
  );
}

/** A row's check box: checks its findings (a group: all of them); outside the Tab order, the
 *  row (or Space on it) is the keyboard's way. */
function RowCheck({ label, state, onToggle }: { label: string; state: "all" | "some" | "none"; onToggle: () => void }) {
  return (
    <td className="check" onClick={(e) => e.stopPropagation()}>
      <input
        type="checkbox"
        tabIndex={-1}
        aria-label={label}
        data-testid="register-check"
        checked={state === "all"}
        ref={(el) => {
          if (el) el.indeterminate = state === "some";
        }}
        onChange={onToggle}
      />
    </td>
  );
}

/** What every row of the register grid gets: its place, whether it is the active row, checks. */
interface RowProps {
  index: number;
  active: boolean;
  check: "all" | "some" | "none";
  onCheck: () => void;
  onActivate: () => void;
  /** A narrow register (a 1024 px window): no STRIDE column, so the threat and its target keep
   *  room to be read (the STRIDE filter stays). */
  compact: boolean;
}

/** The row attributes of the keyboard's grid: one Tab stop (the active row), its place and state. */
const gridRow = ({ index, active, check }: RowProps) => ({
  id: `register-line-${index}`,
  "data-index": index,
  "aria-rowindex": index + 2,
  "aria-selected": check === "all",
  tabIndex: active ? 0 : -1,
});

/** One finding's row; `member` rows sit indented under their open group. */
function ThreatRow({ t, selected, member, row }: { t: Threat; selected: boolean; member?: boolean; row: RowProps }) {
  return (
    <tr
      {...gridRow(row)}
      data-testid="register-row"
      data-target={t.target.id}
      data-threat-id={t.id}
      data-status={t.status}
      className={`${t.status !== "open" ? "decided" : ""}${selected ? " selected" : ""}${member ? " member" : ""}${row.active ? " active" : ""}`}
      onClick={row.onActivate}
      title="Select the target and highlight what the threat names"
    >
      <RowCheck label={`Select “${t.title}” on ${shownName(t.target.name)}`} state={row.check} onToggle={row.onCheck} />
      <td>
        <SevChip severity={t.severity} score={t.score} />
      </td>
      <td className="title-cell" title={t.title}>
        <span className="clamp">{t.title}</span>
      </td>
      <td title={shownName(t.target.name)}>
        <span className="clamp">{shownName(t.target.name)}</span>
      </td>
      {!row.compact && (
        <td>
          <span className="clamp">{t.category}</span>
        </td>
      )}
      <td data-testid="register-status-cell">{STATUS_LABEL[t.status]}</td>
    </tr>
  );
}

/** A rule's findings of one severity on several targets: one row, opened (click, Enter) to list them. */
function GroupRow({ g, open, row }: { g: ThreatGroup; open: boolean; row: RowProps }) {
  const top = g.threats[0];
  const names = g.threats.map((t) => shownName(t.target.name));
  const openCount = g.threats.filter((t) => t.status === "open").length;
  return (
    <tr
      {...gridRow(row)}
      data-testid="register-group"
      data-rule={top.rule}
      data-targets={g.threats.map((t) => t.target.id).join(" ")}
      className={`group-row${openCount === 0 ? " decided" : ""}${row.active ? " active" : ""}`}
      aria-expanded={open}
      onClick={row.onActivate}
      title={`${top.rule} on ${g.threats.length} targets (click to ${open ? "hide" : "list"} them)`}
    >
      <RowCheck label={`Select all ${g.threats.length} “${top.title}”`} state={row.check} onToggle={row.onCheck} />
      <td>
        <SevChip severity={top.severity} score={top.score} />
      </td>
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
      {!row.compact && (
        <td>
          <span className="clamp">{top.category}</span>
        </td>
      )}
      <td data-testid="register-status-cell">{openCount} open</td>
    </tr>
  );
}

/** A triage decision whose threat no longer fires: read-only, below the threats. */
function ResolvedRow({ r, row }: { r: Resolved; row: RowProps }) {
  const said = [r.note, r.owner && `by ${r.owner}`, r.date && `on ${r.date}`].filter(Boolean).join(" · ");
  return (
    <tr {...gridRow(row)} aria-readonly="true" data-testid="register-resolved" data-rule={r.rule} className={`resolved-row${row.active ? " active" : ""}`} title={`${r.rule} no longer fires on ${r.target}: resolved by design`}>
      <td className="check" />
      <td>
        <span className="resolved-chip">resolved</span>
      </td>
      <td>
        <span className="clamp">
          {r.rule} no longer fires{said && <span className="muted"> — {said}</span>}
        </span>
      </td>
      <td title={r.target}>
        <span className="clamp">{r.target}</span>
      </td>
      {!row.compact && <td>—</td>}
      <td>was {STATUS_LABEL[r.decided]}</td>
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

const NO_RESOLVED: Resolved[] = [];
/** Below this width (px) the table drops its STRIDE column. */
const COMPACT_BELOW = 520;

/** The register's grid keyboard: the active row (a roving Tab stop that follows its line across
 *  analyses), arrows / Home / End / PageUp / PageDown move it (Shift checks the rows passed),
 *  Enter opens it, Space checks it, Ctrl/Cmd+A checks every shown threat. Handled keys are
 *  `preventDefault`ed, which keeps the canvas shortcuts (`useShortcuts`) off them. */
function useGrid(opts: {
  lines: WorkLine[];
  rows: Threat[];
  wrapRef: React.RefObject<HTMLDivElement | null>;
  setView: (v: { top: number; height: number; width: number }) => void;
  setChecked: (f: (c: ReadonlySet<string>) => ReadonlySet<string>) => void;
  toggleGroup: (key: string) => void;
}) {
  const { lines, rows, wrapRef, setView, setChecked, toggleGroup } = opts;
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const found = activeKey ? lines.findIndex((l) => lineKey(l) === activeKey) : -1;
  const active = found >= 0 ? found : 0;
  const focusRow = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (focusRow.current === null) return;
    const row = document.getElementById(`register-line-${focusRow.current}`);
    focusRow.current = null;
    row?.focus({ preventScroll: true });
  });
  const goTo = (i: number) => {
    setActiveKey(lineKey(lines[i]));
    const el = wrapRef.current;
    if (el) {
      const head = el.querySelector("thead")?.getBoundingClientRect().height ?? ROW_H;
      const top = scrollToRow(i, ROW_H, head, el.scrollTop, el.clientHeight);
      if (top !== null) {
        el.scrollTop = top;
        setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
      }
    }
    focusRow.current = i;
  };
  const activate = (line: WorkLine) => {
    setActiveKey(lineKey(line));
    if (line.kind === "group") toggleGroup(line.group.key);
    else if (line.kind !== "resolved") {
      docStore.getState().showThreat(line.threat.id);
      docStore.getState().focusOn(line.threat.target.id);
    }
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const tr = target.closest("tr[data-index]") as HTMLElement | null;
    const at = tr ? Number(tr.dataset.index) : found;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a") {
      e.preventDefault();
      setChecked((c) => toggleChecked(c, rows.map((t) => t.id), true));
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const page = Math.max(1, Math.floor((wrapRef.current?.clientHeight ?? 200) / ROW_H) - 1);
    const to = moveActive(e.key, at, lines.length, page);
    if (to !== null) {
      e.preventDefault();
      if (e.shiftKey && at >= 0) {
        const passed = lines.slice(Math.min(at, to), Math.max(at, to) + 1).flatMap(lineThreats);
        setChecked((c) => toggleChecked(c, passed, true));
      }
      goTo(to);
      return;
    }
    if (!tr || target.tagName === "INPUT") return;
    if (e.key === "Enter") {
      e.preventDefault();
      activate(lines[at]);
    } else if (e.key === " ") {
      e.preventDefault();
      setChecked((c) => toggleChecked(c, lineThreats(lines[at])));
    }
  };
  return { active, activate, onKeyDown, reset: () => setActiveKey(null) };
}

/** The register's table head: the check box of every shown threat, then the sortable columns. */
function Head({ check, onCheck, compact }: { check: "all" | "some" | "none"; onCheck: () => void; compact: boolean }) {
  return (
    <thead>
      <tr aria-rowindex={1}>
        <th scope="col" className="check">
          <input
            type="checkbox"
            aria-label="Select every shown threat"
            data-testid="register-check-all"
            checked={check === "all"}
            ref={(el) => {
              if (el) el.indeterminate = check === "some";
            }}
            onChange={onCheck}
          />
        </th>
        <SortHead label="Severity" k="severity" />
        <SortHead label="Threat" k="title" />
        <SortHead label="Target" k="target" />
        {!compact && <SortHead label="STRIDE" k="category" />}
        <SortHead label="Status" k="status" />
      </tr>
    </thead>
  );
}

export default function Register() {
  const open = useUi((s) => s.register);
  const filter = useUi((s) => s.filter);
  const grouped = useUi((s) => s.registerGrouped);
  const query = useUi((s) => s.registerQuery);
  const sort = useUi((s) => s.registerSort);
  const showResolved = useUi((s) => s.showResolved);
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(() => new Set());
  const toggleGroup = (key: string) =>
    setOpenGroups((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const report = useDoc((s) => s.analysis);
  const all = report?.analysis.threats ?? NONE;
  const resolved = report?.analysis.resolved ?? NO_RESOLVED;
  const rows = useMemo(() => sortThreats(queryThreats(filterThreats(all, filter), query), sort), [all, filter, query, sort]);
  const lines = useMemo<WorkLine[]>(() => {
    const shown = showResolved ? queryResolved(resolved, query) : NO_RESOLVED;
    return [...registerLines(rows, grouped, openGroups), ...shown.map((r) => ({ kind: "resolved" as const, resolved: r }))];
  }, [rows, grouped, openGroups, showResolved, resolved, query]);
  const dow = report?.analysis.summary.denial_of_wallet_usd_month ?? 0;
  const selection = useDoc((s) => s.selection);
  // An empty model leaves the room to the template gallery: only the bar shows.
  const empty = useDoc((s) => s.model.elements.length === 0);
  const loads = useDoc((s) => s.loads);
  const [checked, setChecked] = useState<ReadonlySet<string>>(() => new Set());
  const [bulkNotice, setNotice] = useState<BulkNotice>(null);
  const triageNow = useDoc((s) => s.model.triage);
  const notice = bulkNotice?.kind === "done" && bulkNotice.triage !== triageNow ? null : bulkNotice;
  const wrapRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400, width: 0 });
  const grid = useGrid({ lines, rows, wrapRef, setView, setChecked, toggleGroup });
  // Another model: its own filters, checks and place.
  useEffect(() => {
    setChecked(new Set());
    setNotice(null);
    grid.reset();
    uiStore.setState({ registerQuery: NO_QUERY });
  }, [loads]);
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [open, empty]);
  const win = windowOf(lines.length, ROW_H, view.top, view.height);
  const compact = view.width > 0 && view.width < COMPACT_BELOW;
  const selected = new Set(selection);
  const picked = rows.filter((t) => checked.has(t.id));
  const shownIds = rows.map((t) => t.id);
  const rowProps = (line: WorkLine, index: number): RowProps => {
    const ids = lineThreats(line);
    return {
      index,
      active: index === grid.active,
      check: ids.length ? checkState(ids, checked) : "none",
      onCheck: () => setChecked((c) => toggleChecked(c, ids)),
      onActivate: () => grid.activate(line),
      compact,
    };
  };
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
        <>
          <FilterBar threats={all} shown={rows.length} resolved={resolved.length} />
          {(picked.length > 0 || notice) && <BulkBar threats={picked} onClear={() => setChecked(new Set())} notice={notice} setNotice={setNotice} />}
        </>
      )}
      {open && !empty && (
        <div className="register-body">
          <div className="register-table-wrap" ref={wrapRef} onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight, width: e.currentTarget.clientWidth })}>
            <table
              className="register-table"
              data-testid="register-table"
              role="grid"
              aria-label="Threats (arrows move, Enter opens, Space checks, Ctrl+A checks all shown)"
              aria-multiselectable="true"
              aria-rowcount={lines.length + 1}
              onKeyDown={grid.onKeyDown}
            >
              <colgroup>
                <col style={{ width: 30 }} />
                <col style={{ width: 112 }} />
                <col />
                <col style={{ width: "21%" }} />
                {!compact && <col style={{ width: 94 }} />}
                <col style={{ width: 76 }} />
              </colgroup>
              <Head check={checkState(shownIds, checked)} onCheck={() => setChecked((c) => toggleChecked(c, shownIds))} compact={compact} />
              <tbody>
                {win.before > 0 && <tr aria-hidden="true" style={{ height: win.before }} />}
                {lines.slice(win.from, win.to).map((line, k) => {
                  const row = rowProps(line, win.from + k);
                  if (line.kind === "group") return <GroupRow key={lineKey(line)} g={line.group} open={line.open} row={row} />;
                  if (line.kind === "resolved") return <ResolvedRow key={lineKey(line)} r={line.resolved} row={row} />;
                  return <ThreatRow key={lineKey(line)} t={line.threat} selected={selected.has(line.threat.target.id)} member={line.kind === "member"} row={row} />;
                })}
                {win.after > 0 && <tr aria-hidden="true" style={{ height: win.after }} />}
                {!lines.length && (
                  <tr>
                    <td colSpan={compact ? 5 : 6} className="muted">
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
