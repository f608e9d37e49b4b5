// Applying the shell's analysis delta: after an edit `analyze_model` answers with what changed
// since the analysis the page holds instead of the whole analysis: for the threats and the other
// long lists, the items gone or changed and the new items at their index; other sections whole,
// when they changed. Mirrors `apply` in src-tauri/src/delta.rs; the fixture test proves both
// rebuild the same analysis.
import type { Analysis } from "../bindings/Analysis";
import type { AnalysisDelta, ListDelta } from "../bindings/AnalysisDelta";

/** The list `d` describes, from its base. Items not named in `d` keep their objects. */
export function applyList<T>(base: T[], d: ListDelta<T>): T[] {
  const out: T[] = [];
  let gone = 0; // the next removed index
  let next = 0; // the next inserted item
  const insertDue = () => {
    while (next < d.inserted.length && d.inserted[next].at === out.length) out.push(d.inserted[next++].item);
  };
  base.forEach((item, j) => {
    if (gone < d.removed.length && d.removed[gone] === j) {
      gone++;
      return;
    }
    insertDue();
    out.push(item);
  });
  insertDue();
  while (next < d.inserted.length) out.push(d.inserted[next++].item);
  return out;
}

/** The analysis `d` describes, from its base; sections `d` leaves out keep their objects. */
export function applyDelta(base: Analysis, d: AnalysisDelta): Analysis {
  const list = <T,>(old: T[], l: ListDelta<T> | undefined) => (l ? applyList(old, l) : old);
  return {
    format_version: base.format_version,
    model: d.model ?? base.model,
    as_of: d.as_of ?? base.as_of,
    threats: applyList(base.threats, d.threats),
    summary: d.summary ?? base.summary,
    diagnostics: d.diagnostics ?? base.diagnostics,
    resolved: d.resolved ?? base.resolved,
    compliance: list(base.compliance, d.compliance),
    denial_of_wallet: list(base.denial_of_wallet, d.denial_of_wallet),
    bands: d.bands ?? base.bands,
    heat_map: d.heat_map ?? base.heat_map,
    mitigation_plan: list(base.mitigation_plan, d.mitigation_plan),
    graph: d.graph ?? base.graph,
  };
}
