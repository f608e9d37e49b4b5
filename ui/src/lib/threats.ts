// Pure helpers over the analysis: status labels, filtering and the totals line. The heat map
// is the core's (`analysis.heat_map`), never recounted here.
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";

export const STATUSES: TriageStatus[] = ["open", "mitigated", "accepted", "not_applicable", "transferred"];
export const STATUS_LABEL: Record<TriageStatus, string> = {
  open: "open",
  mitigated: "mitigated",
  accepted: "accepted",
  not_applicable: "not applicable",
  transferred: "transferred",
};

/** "all", a status, or a heat-map cell "cell:L:I" (likelihood, impact). */
export type ThreatFilter = "all" | TriageStatus | `cell:${number}:${number}`;

export function filterThreats(threats: Threat[], filter: ThreatFilter): Threat[] {
  if (filter === "all") return threats;
  if (filter.startsWith("cell:")) {
    const [, l, i] = filter.split(":").map(Number);
    return threats.filter((t) => t.likelihood === l && t.impact === i);
  }
  return threats.filter((t) => t.status === filter);
}

/** $43,210 → "$43k"; $1.2M; $950. */
export function usdShort(v: number): string {
  if (!Number.isFinite(v) || v <= 0) return "$0";
  if (v >= 1e6) return `$${(v / 1e6).toFixed(v >= 1e7 ? 0 : 1)}M`;
  if (v >= 1e3) return `$${Math.round(v / 1e3)}k`;
  return `$${Math.round(v)}`;
}

/** "12 open · 3 high · 1 critical · DoW exposure ≈ $41k/month" */
export function totalsLine(threats: Threat[], dowUsdMonth: number): string {
  const open = threats.filter((t) => t.status === "open");
  const parts = [`${open.length} open`];
  for (const s of ["critical", "high"] as const) {
    const n = open.filter((t) => t.severity === s).length;
    if (n) parts.push(`${n} ${s}`);
  }
  const decided = threats.length - open.length;
  if (decided) parts.push(`${decided} triaged`);
  parts.push(`DoW exposure ≈ ${usdShort(dowUsdMonth)}/month`);
  return parts.join(" · ");
}

/** The findings of one rule with one severity, across their targets (the register for people). */
export interface ThreatGroup {
  /** `rule|severity`: stable across analyses while the rule fires with that severity. */
  key: string;
  /** In rank order; the first is the group's top finding. Never empty. */
  threats: Threat[];
}

/** Ranked threats grouped by rule and severity, in the rank of each group's first finding —
 * the same grouping as the core's `register_groups` (Markdown, PDF). */
export function groupThreats(threats: Threat[]): ThreatGroup[] {
  const groups: ThreatGroup[] = [];
  const index = new Map<string, ThreatGroup>();
  for (const t of threats) {
    const key = `${t.rule}|${t.severity}`;
    let g = index.get(key);
    if (!g) {
      g = { key, threats: [] };
      index.set(key, g);
      groups.push(g);
    }
    g.threats.push(t);
  }
  return groups;
}

/** One line of the register: a finding, a group of several, or a finding shown inside its open group. */
export type RegisterLine =
  | { kind: "threat"; threat: Threat }
  | { kind: "group"; group: ThreatGroup; open: boolean }
  | { kind: "member"; threat: Threat };

/** The register's lines: flat, or one per group (a group of one is its finding) with the open
 * groups' findings below them. */
export function registerLines(threats: Threat[], grouped: boolean, open: ReadonlySet<string>): RegisterLine[] {
  if (!grouped) return threats.map((threat) => ({ kind: "threat", threat }));
  const lines: RegisterLine[] = [];
  for (const g of groupThreats(threats)) {
    if (g.threats.length === 1) {
      lines.push({ kind: "threat", threat: g.threats[0] });
      continue;
    }
    const isOpen = open.has(g.key);
    lines.push({ kind: "group", group: g, open: isOpen });
    if (isOpen) for (const threat of g.threats) lines.push({ kind: "member", threat });
  }
  return lines;
}
