import { describe, expect, it } from "vitest";
import type { Analysis } from "../bindings/Analysis";
import type { AnalysisDelta } from "../bindings/AnalysisDelta";
import real from "../../tests/fixtures/delta-aws-webhook-ingest.json";
import { applyDelta, applyList } from "./delta";

const fixture = real as unknown as { base: Analysis; delta: AnalysisDelta; expected: Analysis };

describe("applyDelta", () => {
  it("rebuilds the core's analysis from a real delta (removed, inserted and changed sections)", () => {
    expect(fixture.delta.threats.removed.length).toBeGreaterThan(0);
    expect(fixture.delta.threats.inserted.length).toBeGreaterThan(0);
    expect(fixture.delta.mitigation_plan).toBeDefined();
    expect(applyDelta(fixture.base, fixture.delta)).toEqual(fixture.expected);
  });

  it("keeps the objects of the threats the delta does not name, and the sections it leaves out", () => {
    const after = applyDelta(fixture.base, fixture.delta);
    const gone = new Set(fixture.delta.threats.removed);
    const kept = fixture.base.threats.filter((_, j) => !gone.has(j));
    expect(kept.length).toBeGreaterThan(0);
    for (const t of kept) expect(after.threats.includes(t)).toBe(true);
    expect(after.bands).toBe(fixture.base.bands);
  });

  it("places inserted items at their indices, before, between and after the kept ones", () => {
    const at = (i: number, item: string) => ({ at: i, item });
    expect(applyList(["a", "b", "c"], { removed: [1], inserted: [at(0, "x"), at(2, "y"), at(4, "b2")] })).toEqual(["x", "a", "y", "c", "b2"]);
    expect(applyList(["a", "b", "c"], { removed: [0, 1, 2], inserted: [] })).toEqual([]);
    expect(applyList([], { removed: [], inserted: [at(0, "p"), at(1, "q")] })).toEqual(["p", "q"]);
    expect(applyList(["a", "b"], { removed: [], inserted: [at(2, "c")] })).toEqual(["a", "b", "c"]);
    expect(applyList(["a", "b"], { removed: [0], inserted: [at(0, "z")] })).toEqual(["z", "b"]);
  });
});
