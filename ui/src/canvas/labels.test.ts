// Flow label anchors: the core's label centre survives a round trip through an anchor, follows
// a moved node, and the key asks the core again only when placement can change.
import { describe, expect, it } from "vitest";
import type { Model } from "../bindings/Model";
import { emptyModel } from "../store/document";
import { anchorOf, anchorsOf, boxExit, labelKey, pointAt } from "./labels";

function two(): Model {
  const m = emptyModel("t");
  const el = (id: string, x: number, y: number) => ({ id, name: id, kind: "function" as const, type: "aws.lambda", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x, y } });
  m.elements = [el("a", 0, 0), el("b", 400, 0)];
  m.flows = [{ id: "f", from: "a", to: "b", label: "reads", properties: {}, assets: [] }];
  return m;
}

describe("label anchors", () => {
  it("round-trips a point beside the segment", () => {
    const a = { x: 10, y: 20 };
    const b = { x: 310, y: 420 };
    for (const c of [{ x: 160, y: 220 }, { x: 100, y: 300 }, { x: 300, y: 0 }]) {
      const p = pointAt(a, b, anchorOf(a, b, c));
      expect(p.x).toBeCloseTo(c.x, 6);
      expect(p.y).toBeCloseTo(c.y, 6);
    }
  });

  it("uses the core's side convention: a positive offset is to the left of a rightward flow, seen downwards", () => {
    // The core: (a.x + dx t − dy/len off, a.y + dy t + dx/len off): rightward flow, off > 0 → below.
    expect(anchorOf({ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 50, y: 18 })).toEqual({ t: 0.5, off: 18 });
  });

  it("follows a node that moved since the core placed the label", () => {
    const m = two();
    // Centres (90,32) and (490,32): a label at 35% of the way, 18 px below.
    const k = anchorsOf(m, [{ flow: "f", x: 230, y: 50, width: 80, height: 24 }]).get("f")!;
    expect(k.t).toBeCloseTo(0.35, 6);
    expect(k.off).toBeCloseTo(18, 6);
    const moved = pointAt({ x: 90, y: 32 }, { x: 490, y: 432 }, k);
    expect(moved.x).toBeLessThan(230);
    expect(moved.y).toBeGreaterThan(150);
  });

  it("ignores labels of flows that are gone or have an unplaced end", () => {
    const m = two();
    m.elements[1].position = null;
    expect(anchorsOf(m, [{ flow: "f", x: 1, y: 1, width: 1, height: 1 }, { flow: "zz", x: 1, y: 1, width: 1, height: 1 }]).size).toBe(0);
  });

  it("clips a flow at the node outline", () => {
    expect(boxExit({ x: 0, y: 0 }, 180, 64, { x: 400, y: 0 })).toEqual({ x: 90, y: 0 });
    expect(boxExit({ x: 0, y: 0 }, 180, 64, { x: 0, y: -300 })).toEqual({ x: 0, y: -32 });
    const p = boxExit({ x: 0, y: 0 }, 180, 64, { x: 200, y: 200 });
    expect(p.y).toBeCloseTo(32, 6);
    expect(p.x).toBeCloseTo(32, 6);
  });
});

describe("labelKey", () => {
  it("changes with positions, ends and label text, not with other edits", () => {
    const m = two();
    const k = labelKey(m);
    expect(labelKey({ ...m, name: "renamed", elements: m.elements.map((e) => ({ ...e, description: "x" })) })).toBe(k);
    expect(labelKey({ ...m, elements: m.elements.map((e) => (e.id === "b" ? { ...e, position: { x: 416, y: 0 } } : e)) })).not.toBe(k);
    expect(labelKey({ ...m, flows: m.flows.map((f) => ({ ...f, label: "writes" })) })).not.toBe(k);
    expect(labelKey({ ...m, flows: m.flows.map((f) => ({ ...f, to: "a", from: "b" })) })).not.toBe(k);
  });
});
