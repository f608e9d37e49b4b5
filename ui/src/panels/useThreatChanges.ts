// Hook: what the latest analysis changed in the threats of the selected target, so the
// inspector can show the effect of an edit where the user is looking. The baseline is the
// analysis seen when the target was selected, then each later analysis of the same target; an
// analysis that changes nothing keeps the last changes on screen until the next real change,
// another target's selection or `dismiss`.
//
// The baseline lives beside the document store, not in the component: the canvas can pass the
// selection through a transient state (a click that briefly selects two items) that unmounts
// the inspector's tabs, and a remount must not take the edit's own result as its baseline.
import { useCallback, useEffect, useReducer } from "react";
import type { Threat } from "../bindings/Threat";
import { diffThreats, isEmpty, NO_CHANGES, type ThreatChanges } from "./threatChanges";

interface Memory {
  target: string | null;
  threats: readonly Threat[] | null;
  changes: ThreatChanges;
}

const memories = new WeakMap<object, Memory>();

/** `owner` is the document store; `threats` is null while there is no analysis yet. */
export function useThreatChanges(owner: object, target: string | null, threats: readonly Threat[] | null): [ThreatChanges, () => void] {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const m = memories.get(owner);
    if (!m || m.target !== target) {
      memories.set(owner, { target, threats, changes: NO_CHANGES });
      return;
    }
    if (threats === null || m.threats === threats) return;
    const before = m.threats;
    m.threats = threats;
    if (before === null) return;
    const d = diffThreats(before, threats);
    if (!isEmpty(d)) {
      m.changes = d;
      redraw();
    }
  }, [owner, target, threats]);
  const dismiss = useCallback(() => {
    const m = memories.get(owner);
    if (m && m.target === target) m.changes = NO_CHANGES;
    redraw();
  }, [owner, target]);
  const m = memories.get(owner);
  return [m && m.target === target ? m.changes : NO_CHANGES, dismiss];
}
