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
