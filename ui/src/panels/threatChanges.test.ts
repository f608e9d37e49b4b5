// @vitest-environment jsdom
// "What just changed": the diff of a target's threats across analyses, and the hook that keeps
// it per selected target.
import { describe, expect, it } from "vitest";
import { act, renderHook } from "@testing-library/react";
import type { Threat } from "../bindings/Threat";
import { changedFirst, diffThreats } from "./threatChanges";
import { useThreatChanges } from "./useThreatChanges";

const t = (id: string, over: Partial<Threat> = {}): Threat =>
  ({ id, rule: `TW-${id}`, status: "open", severity: "medium", score: 9, rationale: ["why"], ...over }) as Threat;

describe("diffThreats", () => {
  it("reports a threat that starts firing as new, first, and one that stops as removed", () => {
    const d = diffThreats([t("a"), t("b")], [t("c"), t("a")]);
    expect(d.changed.map((c) => [c.threat.id, c.kind])).toEqual([["c", "new"]]);
    expect(d.removed.map((x) => x.id)).toEqual(["b"]);
  });
  it("reports a threat whose severity, score or reasons moved as changed, after the new ones", () => {
    const before = [t("a"), t("b"), t("c"), t("d")];
    const after = [t("a", { severity: "high" }), t("b", { score: 12 }), t("c", { rationale: ["why", "and more"] }), t("d"), t("e")];
    expect(diffThreats(before, after).changed.map((c) => `${c.threat.id}:${c.kind}`)).toEqual(["e:new", "a:changed", "b:changed", "c:changed"]);
  });
  it("does not call a triage decision a change", () => {
    const d = diffThreats([t("a")], [t("a", { status: "accepted", score: 4, severity: "low" })]);
    expect(d.changed).toEqual([]);
    expect(d.removed).toEqual([]);
  });
  it("puts the changed threats first, keeping the rank of the rest", () => {
    const now = [t("a"), t("b"), t("c")];
    expect(changedFirst(now, diffThreats([t("a"), t("b")], now)).map((x) => x.id)).toEqual(["c", "a", "b"]);
  });
});

describe("useThreatChanges", () => {
  it("compares each analysis with the previous one of the same target only", () => {
    const first = [t("a")];
    const owner = {};
    const { result, rerender } = renderHook(({ target, threats }) => useThreatChanges(owner, target, threats), {
      initialProps: { target: "x" as string | null, threats: null as Threat[] | null },
    });
    rerender({ target: "x", threats: first });
    expect(result.current[0].changed).toEqual([]);
    rerender({ target: "x", threats: [t("b"), t("a")] });
    expect(result.current[0].changed.map((c) => c.threat.id)).toEqual(["b"]);
    // An analysis that changes nothing (a rename) keeps what the last edit did on screen.
    rerender({ target: "x", threats: [t("b"), t("a")] });
    expect(result.current[0].changed.map((c) => c.threat.id)).toEqual(["b"]);
    act(() => result.current[1]());
    expect(result.current[0].changed).toEqual([]);
    // Selecting another target starts from its current threats: nothing is "new".
    rerender({ target: "y", threats: [t("c")] });
    expect(result.current[0].changed).toEqual([]);
    rerender({ target: "y", threats: [] });
    expect(result.current[0].removed.map((x) => x.id)).toEqual(["c"]);
  });
  it("keeps the baseline of a target across a remount, so an edit's result is never its own baseline", () => {
    const owner = {};
    const before = [t("a")];
    const first = renderHook(() => useThreatChanges(owner, "x", before));
    first.unmount();
    const after = renderHook(() => useThreatChanges(owner, "x", [t("b"), t("a")]));
    expect(after.result.current[0].changed.map((c) => [c.threat.id, c.kind])).toEqual([["b", "new"]]);
  });
});
