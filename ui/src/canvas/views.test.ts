// Canvas views: state transitions and which ids of Analysis.graph / Threat.highlight each view
// emphasises (the UI picks from the analysis; it finds nothing itself).
import { describe, expect, it } from "vitest";
import type { Analysis } from "../bindings/Analysis";
import type { Model } from "../bindings/Model";
import { emptyModel } from "../store/document";
import { emphasisOf, NO_VIEW, showThreat, stepView, toggleView } from "./views";

function model(): Model {
  const m = emptyModel("t");
  const el = (id: string, name: string, kind: "function" | "store" | "external" | "trigger") => ({ id, name, kind, type: "x", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 0, y: 0 } });
  m.elements = [el("user", "Internet user", "external"), el("api", "API", "trigger"), el("fn", "Orders fn", "function"), el("db", "OrdersTable", "store"), el("q", "Queue", "trigger")];
  return m;
}

function analysis(): Analysis {
  return {
    threats: [
      { id: "t1", title: "Table readable by anyone", severity: "high", target: { id: "db", name: "OrdersTable", kind: "store", type: "x" }, highlight: { elements: ["db", "fn"], flows: ["f3"] } },
    ],
    graph: {
      attack_paths: [
        { entry: "user", target: "db", elements: ["user", "api", "fn", "db"], flows: ["f1", "f2", "f3"], severity: "high" },
        { entry: "api", target: "db", elements: ["api", "fn", "db"], flows: ["f2", "f3"], severity: null },
      ],
      blast_radius: [{ function: "fn", reaches: ["db", "q"], grants: ["g1", "g2"], wildcard: false }],
      trigger_loops: [{ elements: ["fn", "q"], flows: ["f4", "f5"] }],
      boundary_crossings: ["f1"],
    },
  } as unknown as Analysis;
}

describe("view state", () => {
  it("toggles one view at a time, from its first step", () => {
    const a = toggleView(NO_VIEW, "attack");
    expect(a).toEqual({ kind: "attack", step: 0, threat: null });
    expect(toggleView({ ...a, step: 3 }, "loops")).toEqual({ kind: "loops", step: 0, threat: null });
    expect(toggleView(a, "attack")).toEqual(NO_VIEW);
  });

  it("steps forward and back, wrapping around", () => {
    const a = toggleView(NO_VIEW, "attack");
    expect(stepView(a, 1, 3).step).toBe(1);
    expect(stepView(a, -1, 3).step).toBe(2);
    expect(stepView({ ...a, step: 2 }, 1, 3).step).toBe(0);
    expect(stepView({ ...a, step: 2 }, 1, 0).step).toBe(0);
  });

  it("a threat's highlight replaces the view; a toggle replaces the threat", () => {
    const t = showThreat(toggleView(NO_VIEW, "blast"), "t1");
    expect(t).toEqual({ kind: null, step: 0, threat: "t1" });
    expect(toggleView(t, "crossings")).toEqual({ kind: "crossings", step: 0, threat: null });
    expect(showThreat(t, null)).toEqual(NO_VIEW);
  });
});

describe("emphasisOf", () => {
  it("shows nothing without a view", () => {
    expect(emphasisOf(NO_VIEW, analysis(), model(), [])).toBeNull();
  });

  it("attack paths: the current path's elements and flows, in order, with a caption", () => {
    const e = emphasisOf(toggleView(NO_VIEW, "attack"), analysis(), model(), [])!;
    expect(e.caption).toBe("1 of 2: Internet user → OrdersTable");
    expect(e.severity).toBe("high");
    expect([...e.nodes]).toEqual(["user", "api", "fn", "db"]);
    expect([...e.flows]).toEqual(["f1", "f2", "f3"]);
    expect(e.order.get("user")).toBe(1);
    expect(e.order.get("db")).toBe(4);
    expect(e.dim).toBe(true);
    expect(e.count).toBe(2);
    const second = emphasisOf({ kind: "attack", step: 1, threat: null }, analysis(), model(), [])!;
    expect(second.caption).toBe("2 of 2: API → OrdersTable");
    expect(second.nodes.has("user")).toBe(false);
  });

  it("blast radius: the selected function and what its grants reach, with a grant edge to each", () => {
    const v = toggleView(NO_VIEW, "blast");
    const e = emphasisOf(v, analysis(), model(), ["fn"])!;
    expect([...e.nodes].sort()).toEqual(["db", "fn", "q"]);
    expect(e.grants).toEqual([
      { id: "grant:fn:db", from: "fn", to: "db" },
      { id: "grant:fn:q", from: "fn", to: "q" },
    ]);
    expect(e.caption).toBe("Orders fn: grants reach 2 modelled resources");
    expect(e.flows.size).toBe(0);
  });

  it("blast radius: a wildcard grant says it reaches everything", () => {
    const a = analysis();
    a.graph.blast_radius = [{ function: "fn", reaches: [], grants: ["g"], wildcard: true }];
    const e = emphasisOf(toggleView(NO_VIEW, "blast"), a, model(), ["fn"])!;
    expect(e.caption).toBe("Orders fn: a wildcard grant (Resource: *) reaches every resource; named grants reach 0 modelled resources");
    expect([...e.nodes]).toEqual(["fn"]);
    expect(e.grants).toEqual([]);
  });

  it("blast radius: says so when the selection is not a function, and dims nothing", () => {
    for (const sel of [[], ["db"], ["fn", "db"]]) {
      const e = emphasisOf(toggleView(NO_VIEW, "blast"), analysis(), model(), sel)!;
      expect(e.caption).toBe("Select a function to see its blast radius.");
      expect(e.dim).toBe(false);
    }
  });

  it("trigger loops and boundary crossings", () => {
    const l = emphasisOf(toggleView(NO_VIEW, "loops"), analysis(), model(), [])!;
    expect(l.caption).toBe("Loop 1 of 1: Orders fn → Queue → Orders fn");
    expect([...l.flows]).toEqual(["f4", "f5"]);
    const c = emphasisOf(toggleView(NO_VIEW, "crossings"), analysis(), model(), [])!;
    expect([...c.flows]).toEqual(["f1"]);
    expect(c.nodes.size).toBe(0);
    expect(c.caption).toBe("1 flow crosses a trust boundary");
  });

  it("a threat: the elements and flows its rationale names", () => {
    const e = emphasisOf(showThreat(NO_VIEW, "t1"), analysis(), model(), [])!;
    expect([...e.nodes]).toEqual(["db", "fn"]);
    expect([...e.flows]).toEqual(["f3"]);
    expect(e.severity).toBe("high");
    expect(emphasisOf(showThreat(NO_VIEW, "gone"), analysis(), model(), [])!.dim).toBe(false);
  });

  it("an empty finding list says so and dims nothing", () => {
    const a = analysis();
    a.graph = { attack_paths: [], blast_radius: [], trigger_loops: [], boundary_crossings: [] };
    for (const k of ["attack", "loops", "crossings"] as const) {
      const e = emphasisOf(toggleView(NO_VIEW, k), a, model(), [])!;
      expect(e.dim).toBe(false);
      expect(e.caption).toMatch(/^No /);
    }
  });
});
