// What an edit did to the threats of one target: which threats appeared, which changed (their
// severity, score or the reasons they fired), and which stopped firing. Threat ids are a pure
// function of rule id and target id (`threat:{rule}@{target}` in the core), so the same id
// before and after an edit is the same finding. A triage decision is not an edit's effect: a
// threat whose status changed is never reported as changed.
import type { Threat } from "../bindings/Threat";

export type ChangeKind = "new" | "changed";

export interface ThreatChanges {
  /** Threats that now fire and did not before, then those that changed, each in ranked order. */
  changed: { threat: Threat; kind: ChangeKind }[];
  /** Threats that fired before and no longer do. */
  removed: Threat[];
}

export const NO_CHANGES: ThreatChanges = { changed: [], removed: [] };

export function isEmpty(c: ThreatChanges): boolean {
  return c.changed.length === 0 && c.removed.length === 0;
}

function differs(a: Threat, b: Threat): boolean {
  if (a.status !== b.status) return false;
  return a.severity !== b.severity || a.score !== b.score || a.rationale.join("\n") !== b.rationale.join("\n");
}

/** Compares the threats of one target before and after an analysis. */
export function diffThreats(before: readonly Threat[], after: readonly Threat[]): ThreatChanges {
  const old = new Map(before.map((t) => [t.id, t]));
  const now = new Set(after.map((t) => t.id));
  const fresh: ThreatChanges["changed"] = [];
  const moved: ThreatChanges["changed"] = [];
  for (const t of after) {
    const was = old.get(t.id);
    if (!was) fresh.push({ threat: t, kind: "new" });
    else if (differs(was, t)) moved.push({ threat: t, kind: "changed" });
  }
  return { changed: [...fresh, ...moved], removed: before.filter((t) => !now.has(t.id)) };
}

/** The threats of `changed` first (in their order), then the rest of `threats` in theirs. */
export function changedFirst(threats: readonly Threat[], changes: ThreatChanges): Threat[] {
  const ids = new Set(changes.changed.map((c) => c.threat.id));
  const first = changes.changed.map((c) => threats.find((t) => t.id === c.threat.id)).filter((t): t is Threat => !!t);
  return [...first, ...threats.filter((t) => !ids.has(t.id))];
}
