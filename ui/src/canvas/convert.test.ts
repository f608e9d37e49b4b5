// Model ⇄ React Flow converters: relative positions under nested boundaries, parents first,
// and threat badges folded from the analysis.
import { describe, expect, it } from "vitest";
import type { Analysis } from "../bindings/Analysis";
import type { Model } from "../bindings/Model";
import { boundaryAt, toAbsolute, toRelative } from "../lib/geometry";
import { emptyModel } from "../store/document";
import { badgesOf, ELEMENT_HANDLES, keepUnchanged, modelToFlow } from "./convert";
import type { Emphasis } from "./views";

function nested(): Model {
  const m = emptyModel("t");
  m.boundaries = [
    { id: "inner", name: "VPC", kind: "vpc", parent: "outer", description: "", position: { x: 150, y: 120 }, size: { width: 400, height: 200 } },
    { id: "outer", name: "Account", kind: "account", parent: null, description: "", position: { x: 100, y: 100 }, size: { width: 800, height: 500 } },
  ];
  m.elements = [
    { id: "fn", name: "Fn", kind: "function", type: "aws.lambda", boundary: "inner", description: "", properties: {}, assets: [], mitigations: [], position: { x: 200, y: 180 } },
    { id: "user", name: "User", kind: "external", type: "generic.user", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 0, y: 0 } },
  ];
  m.flows = [{ id: "f1", from: "user", to: "fn", label: "", properties: {}, assets: [] }];
  return m;
}

describe("converters", () => {
  it("puts parents before children and positions relative to the parent", () => {
    const { nodes, edges } = modelToFlow(nested(), ["fn"]);
    expect(nodes.map((n) => n.id)).toEqual(["outer", "inner", "fn", "user"]);
    const inner = nodes.find((n) => n.id === "inner")!;
    expect(inner.parentId).toBe("outer");
    expect(inner.position).toEqual({ x: 50, y: 20 });
    const fn = nodes.find((n) => n.id === "fn")!;
    expect(fn.parentId).toBe("inner");
    expect(fn.position).toEqual({ x: 50, y: 60 });
    expect(fn.selected).toBe(true);
    expect(nodes.find((n) => n.id === "user")!.parentId).toBeUndefined();
    expect(edges).toMatchObject([{ id: "f1", source: "user", target: "fn", type: "flow" }]);
  });

  it("gives every node its size and handles, so React Flow need not draw it to measure it", () => {
    const { nodes } = modelToFlow(nested(), []);
    for (const n of nodes) expect(n.measured?.width && n.measured.height && n.handles).toBeTruthy();
    const fn = nodes.find((n) => n.id === "fn")!;
    expect(fn.handles).toBe(ELEMENT_HANDLES);
    // The handles ElementShell draws: a target on the left, sources on the other sides.
    expect(ELEMENT_HANDLES.map((h) => `${h.id}:${h.type}:${h.position}`)).toEqual(["l:target:left", "r:source:right", "t:source:top", "b:source:bottom"]);
    const [l, r] = ELEMENT_HANDLES;
    expect(l.x + l.width! / 2).toBeLessThan(r.x + r.width! / 2);
    expect(l.y).toBe(r.y);
  });

  it("keeps the objects of the nodes and edges an edit or an analysis did not change", () => {
    const m = nested();
    const before = modelToFlow(m, []);
    const again = modelToFlow(m, []);
    expect(again.nodes[2]).not.toBe(before.nodes[2]); // derived afresh…
    const kept = keepUnchanged(before.nodes, again.nodes);
    kept.forEach((n, i) => expect(n).toBe(before.nodes[i])); // …but equal, so kept
    expect(keepUnchanged(before.edges, again.edges)[0]).toBe(before.edges[0]);
    // Renaming Fn changes its node only (node data hold the model's objects, compared by identity).
    const renamed = { ...m, elements: m.elements.map((e) => (e.id === "fn" ? { ...e, name: "Fn2" } : e)) };
    const after = modelToFlow(renamed, []);
    expect(keepUnchanged(before.nodes, after.nodes).map((n, i) => n === before.nodes[i])).toEqual([true, true, false, true]);
    expect(keepUnchanged(before.edges, after.edges)[0]).toBe(before.edges[0]);
    // A new analysis changes the badge of what it touches only.
    const analysis = { threats: [{ id: "t", status: "open", severity: "high", target: { id: "user" } }] } as unknown as Analysis;
    const badged = keepUnchanged(before.nodes, modelToFlow(m, [], badgesOf(analysis)).nodes);
    expect(badged.map((n, i) => n === before.nodes[i])).toEqual([true, true, true, false]);
    // Selecting changes the selected node only.
    expect(keepUnchanged(before.nodes, modelToFlow(m, ["fn"]).nodes).map((n, i) => n === before.nodes[i])).toEqual([true, true, false, true]);
  });

  it("absolute ⇄ relative round-trips through a boundary", () => {
    const m = nested();
    const rel = toRelative(m, "inner", { x: 200, y: 180 });
    expect(rel).toEqual({ x: 50, y: 60 });
    expect(toAbsolute(m, "inner", rel)).toEqual({ x: 200, y: 180 });
    expect(toAbsolute(m, null, rel)).toEqual(rel);
  });

  it("finds the innermost boundary at a point", () => {
    const m = nested();
    expect(boundaryAt(m, { x: 160, y: 130 })).toBe("inner");
    expect(boundaryAt(m, { x: 850, y: 550 })).toBe("outer");
    expect(boundaryAt(m, { x: 5, y: 5 })).toBeNull();
  });

  it("ignores a boundary reference that does not exist", () => {
    const m = nested();
    m.elements[0].boundary = "missing";
    const fn = modelToFlow(m).nodes.find((n) => n.id === "fn")!;
    expect(fn.parentId).toBeUndefined();
    expect(fn.position).toEqual({ x: 200, y: 180 });
  });

  it("badges count open threats and keep the highest severity", () => {
    const t = (id: string, severity: string, status = "open") => ({ target: { id, name: "", kind: "function", type: "" }, severity, status });
    const analysis = { threats: [t("fn", "medium"), t("fn", "critical"), t("fn", "high", "mitigated"), t("f1", "low")] } as unknown as Analysis;
    const badges = badgesOf(analysis);
    expect(badges.get("fn")).toEqual({ count: 2, top: "critical" });
    expect(badges.get("f1")).toEqual({ count: 1, top: "low" });
    const { nodes, edges } = modelToFlow(nested(), [], badgesOf(analysis));
    expect(nodes.find((n) => n.id === "fn")!.data).toMatchObject({ badge: { count: 2, top: "critical" } });
    expect(edges[0].data).toMatchObject({ badge: { count: 1, top: "low" } });
  });

  it("marks what a view emphasises, dims the rest, and adds its grant edges", () => {
    const emphasis: Emphasis = {
      nodes: new Set(["fn"]),
      flows: new Set(["f1"]),
      dim: true,
      order: new Map([["fn", 2]]),
      grants: [{ id: "grant:fn:user", from: "fn", to: "user" }, { id: "grant:fn:gone", from: "fn", to: "gone" }],
      caption: "",
      count: 0,
      severity: null,
    };
    const { nodes, edges } = modelToFlow(nested(), [], undefined, emphasis, new Map([["f1", { t: 0.3, off: 12 }]]));
    const fn = nodes.find((n) => n.id === "fn")!;
    const user = nodes.find((n) => n.id === "user")!;
    expect(fn.className).toBe("tw-emph");
    expect(fn.data).toMatchObject({ emph: "on", order: 2 });
    expect(user.className).toBe("tw-dim");
    expect(nodes.find((n) => n.id === "outer")!.className).toBeUndefined();
    expect(edges[0]).toMatchObject({ className: "tw-emph", data: { emph: "on", anchor: { t: 0.3, off: 12 } } });
    // Only grants between elements of the model become edges; never selectable.
    expect(edges.slice(1).map((e) => [e.id, e.type, e.selectable])).toEqual([["grant:fn:user", "grant", false]]);
  });

  it("draws nothing differently without a view", () => {
    const { nodes, edges } = modelToFlow(nested(), [], undefined, null);
    expect(nodes.every((n) => n.className === undefined)).toBe(true);
    expect(edges.map((e) => [e.type, e.className, e.data && "emph" in e.data])).toEqual([["flow", undefined, false]]);
  });

  it("marks opposite flows between the same elements as twins, and only those", () => {
    const m = nested();
    m.flows.push({ id: "f2", from: "fn", to: "user", label: "", properties: {}, assets: [] });
    m.flows.push({ id: "f3", from: "user", to: "fn", label: "again", properties: {}, assets: [] });
    const twins = (mm: Model) => modelToFlow(mm, []).edges.map((e) => [e.id, e.data && "twin" in e.data]);
    expect(twins(m)).toEqual([["f1", true], ["f2", true], ["f3", true]]);
    expect(twins(nested())).toEqual([["f1", false]]);
  });
});
