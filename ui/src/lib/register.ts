// Pure helpers of the register as a work surface: the filter bar's query, column sorting, the
// lines' keys, the check-box selection and the keyboard's moves. Nothing here scores or ranks a
// threat: the analysis comes ranked, and "rank" is its order.
import type { Resolved } from "../bindings/Resolved";
import type { Severity } from "../bindings/Severity";
import type { Stride } from "../bindings/Stride";
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";
import { STATUS_LABEL, type RegisterLine } from "./threats";

export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low"];
export const STRIDE: Stride[] = ["Spoofing", "Tampering", "Repudiation", "Information Disclosure", "Denial of Service", "Elevation of Privilege"];

/** What the filter bar asks for; an empty field asks nothing. */
export interface RegisterQuery {
  /** Severities shown; empty = every severity. */
  severities: Severity[];
  category: Stride | "";
  status: TriageStatus | "";
  /** A target id. */
  target: string;
  /** A rule id. */
  rule: string;
  /** Free text, matched (case-insensitive) in the title, the target's name and the rule id. */
  text: string;
}

export const NO_QUERY: RegisterQuery = { severities: [], category: "", status: "", target: "", rule: "", text: "" };

/** Whether the query asks anything. */
export function isQuerying(q: RegisterQuery): boolean {
  return q.severities.length > 0 || !!q.category || !!q.status || !!q.target || !!q.rule || !!q.text.trim();
}

const matchesText = (needle: string, ...hay: string[]) => hay.some((h) => h.toLowerCase().includes(needle));

/** The threats the query lets through, in their order. */
export function queryThreats(threats: Threat[], q: RegisterQuery): Threat[] {
  if (!isQuerying(q)) return threats;
  const needle = q.text.trim().toLowerCase();
  return threats.filter(
    (t) =>
      (!q.severities.length || q.severities.includes(t.severity)) &&
      (!q.category || t.category === q.category) &&
      (!q.status || t.status === q.status) &&
      (!q.target || t.target.id === q.target) &&
      (!q.rule || t.rule === q.rule) &&
      (!needle || matchesText(needle, t.title, t.target.name, t.rule)),
  );
}

/** The decisions resolved by design that the query lets through: they have no severity or
 *  category any more, so a query on those (or on a status or target id) hides them all. */
export function queryResolved(resolved: Resolved[], q: RegisterQuery): Resolved[] {
  if (q.severities.length || q.category || q.status || q.target) return [];
  const needle = q.text.trim().toLowerCase();
  return resolved.filter((r) => (!q.rule || r.rule === q.rule) && (!needle || matchesText(needle, r.rule, r.target, r.note)));
}

/** The choices of the target and rule selects: each once, by name, from the threats. */
export function queryChoices(threats: Threat[]): { targets: { id: string; name: string }[]; rules: string[] } {
  const targets = new Map<string, string>();
  const rules = new Set<string>();
  for (const t of threats) {
    targets.set(t.target.id, t.target.name);
    rules.add(t.rule);
  }
  return {
    targets: [...targets].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    rules: [...rules].sort(),
  };
}

export type SortKey = "severity" | "score" | "title" | "target" | "category" | "status";
export type SortDir = "asc" | "desc";
/** null: the analysis' rank order. */
export type RegisterSort = { key: SortKey; dir: SortDir } | null;

/** Severity and score read best highest first; words A to Z. */
const FIRST_DIR: Record<SortKey, SortDir> = { severity: "desc", score: "desc", title: "asc", target: "asc", category: "asc", status: "asc" };
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** A header clicked: its natural direction first, then the other, then back to rank order. */
export function nextSort(current: RegisterSort, key: SortKey): RegisterSort {
  if (!current || current.key !== key) return { key, dir: FIRST_DIR[key] };
  if (current.dir === FIRST_DIR[key]) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return null;
}

/** The `aria-sort` of a column header. */
export function ariaSort(sort: RegisterSort, key: SortKey): "ascending" | "descending" | "none" {
  return sort?.key === key ? (sort.dir === "asc" ? "ascending" : "descending") : "none";
}

function compare(a: Threat, b: Threat, key: SortKey): number {
  switch (key) {
    case "severity":
      return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.score - b.score;
    case "score":
      return a.score - b.score;
    case "title":
      return a.title.localeCompare(b.title);
    case "target":
      return a.target.name.localeCompare(b.target.name);
    case "category":
      return a.category.localeCompare(b.category);
    case "status":
      return STATUS_LABEL[a.status].localeCompare(STATUS_LABEL[b.status]);
  }
}

/** The threats in the order of `sort`; ties keep their rank (the input's order). */
export function sortThreats(threats: Threat[], sort: RegisterSort): Threat[] {
  if (!sort) return threats;
  const sign = sort.dir === "asc" ? 1 : -1;
  const rank = new Map(threats.map((t, i) => [t.id, i]));
  return [...threats].sort((a, b) => sign * compare(a, b, sort.key) || rank.get(a.id)! - rank.get(b.id)!);
}

/** A register line, or a resolved decision shown below them. */
export type WorkLine = RegisterLine | { kind: "resolved"; resolved: Resolved };

/** A line's key: stable while the line is shown (the active row follows it across analyses). */
export function lineKey(line: WorkLine): string {
  switch (line.kind) {
    case "group":
      return `g:${line.group.key}`;
    case "resolved":
      return `r:${line.resolved.threat}`;
    default:
      return `t:${line.threat.id}`;
  }
}

/** The threat ids a line stands for (a group: all its findings; a resolved decision: none). */
export function lineThreats(line: WorkLine): string[] {
  switch (line.kind) {
    case "group":
      return line.group.threats.map((t) => t.id);
    case "resolved":
      return [];
    default:
      return [line.threat.id];
  }
}

/** Whether a line's threats are all, some or none of `checked`. */
export function checkState(ids: string[], checked: ReadonlySet<string>): "all" | "some" | "none" {
  const n = ids.filter((id) => checked.has(id)).length;
  return n === 0 ? "none" : n === ids.length ? "all" : "some";
}

/** `checked` with `ids` all added, or (when all were checked already, or `on` is false) all removed. */
export function toggleChecked(checked: ReadonlySet<string>, ids: string[], on?: boolean): Set<string> {
  const next = new Set(checked);
  const add = on ?? checkState(ids, checked) !== "all";
  for (const id of ids) {
    if (add) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** The row a key moves the active row to, or null when the key is not a move. */
export function moveActive(key: string, active: number, count: number, page = 5): number | null {
  if (count <= 0) return null;
  const at = Math.min(Math.max(active, -1), count - 1);
  switch (key) {
    case "ArrowDown":
      return Math.min(count - 1, at + 1);
    case "ArrowUp":
      return Math.max(0, at - 1);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    case "PageDown":
      return Math.min(count - 1, Math.max(at, 0) + page);
    case "PageUp":
      return Math.max(0, at - page);
    default:
      return null;
  }
}

/** The scrollTop that shows row `index` whole under a sticky header of `header` px, or null when
 *  it is in view already. */
export function scrollToRow(index: number, rowH: number, header: number, scrollTop: number, viewport: number): number | null {
  const top = header + index * rowH;
  if (top - header < scrollTop) return top - header;
  if (top + rowH > scrollTop + viewport) return top + rowH - viewport;
  return null;
}

/** "Marked 26 threats accepted" */
export function bulkResult(n: number, status: TriageStatus): string {
  return status === "open" ? `Reopened ${n} threat${n === 1 ? "" : "s"}` : `Marked ${n} threat${n === 1 ? "" : "s"} ${STATUS_LABEL[status]}`;
}
