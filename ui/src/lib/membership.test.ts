// Membership follows the drawing: the reconcile rule on hand-made cases, and a property test
// that after any random sequence of canvas edits (add, move, resize, delete, paste, bring into,
// undo, redo) every placed element and boundary belongs to exactly what encloses it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDocStore } from "../store/document";
import { contradictions, reconcile, spotIn } from "./membership";
import { emptyModel } from "../store/document";
import type { Model } from "../bindings/Model";

const fn = { type: "aws.lambda", kind: "function" as const, label: "Function" };

describe("membership from geometry", () => {
  it("a boundary drawn over two nodes adopts them, one undo step releases them", () => {
    const s = createDocStore();
    const a = s.getState().addElement(fn, { x: 100, y: 100 });
    const b = s.getState().addElement(fn, { x: 320, y: 100 });
    const c = s.getState().addElement(fn, { x: 900, y: 900 });
    const zone = s.getState().addBoundary("account", { x: 40, y: 40 });
    const of = (id: string) => s.getState().model.elements.find((e) => e.id === id)?.boundary ?? null;
    expect([of(a), of(b), of(c)]).toEqual([zone, zone, null]);
    s.getState().undo();
    expect(s.getState().model.boundaries).toHaveLength(0);
    expect([of(a), of(b)]).toEqual([null, null]);
  });

  it("resizing releases what the outline no longer encloses and adopts what it now does", () => {
    const s = createDocStore();
    const zone = s.getState().addBoundary("account", { x: 0, y: 0 });
    const inner = s.getState().addElement(fn, { x: 32, y: 48 });
    const outer = s.getState().addElement(fn, { x: 640, y: 48 });
    const of = (id: string) => s.getState().model.elements.find((e) => e.id === id)?.boundary ?? null;
    expect([of(inner), of(outer)]).toEqual([zone, null]);
    s.getState().resizeBoundary(zone, { x: 0, y: 0, width: 900, height: 300 });
    expect([of(inner), of(outer)]).toEqual([zone, zone]);
    s.getState().resizeBoundary(zone, { x: 400, y: 0, width: 500, height: 300 });
    expect([of(inner), of(outer)]).toEqual([null, zone]);
  });

  it("a boundary inside another becomes its child; nesting never cycles on equal outlines", () => {
    const s = createDocStore();
    const big = s.getState().addBoundary("account", { x: 0, y: 0 });
    s.getState().resizeBoundary(big, { x: 0, y: 0, width: 800, height: 600 });
    const small = s.getState().addBoundary("vpc", { x: 64, y: 64 });
    const twin = s.getState().addBoundary("vpc", { x: 64, y: 64 });
    const parent = (id: string) => s.getState().model.boundaries.find((b) => b.id === id)?.parent ?? null;
    expect(parent(small)).toBe(big);
    expect(parent(twin)).toBe(big);
    expect(parent(big)).toBeNull();
  });

  it("choosing a boundary in the inspector moves the element into it", () => {
    const s = createDocStore();
    const zone = s.getState().addBoundary("account", { x: 0, y: 0 });
    const a = s.getState().addElement(fn, { x: 800, y: 600 });
    s.getState().updateElement(a, { boundary: zone });
    const el = s.getState().model.elements.find((e) => e.id === a)!;
    expect(el.boundary).toBe(zone);
    expect(contradictions(s.getState().model)).toEqual([]);
    s.getState().updateElement(a, { boundary: null });
    expect(s.getState().model.elements.find((e) => e.id === a)!.boundary).toBeNull();
    expect(contradictions(s.getState().model)).toEqual([]);
  });

  it("a full boundary grows to take an element brought into it", () => {
    const s = createDocStore();
    const zone = s.getState().addBoundary("account", { x: 0, y: 0 });
    s.getState().resizeBoundary(zone, { x: 0, y: 0, width: 224, height: 128 });
    const a = s.getState().addElement(fn, { x: 16, y: 48 });
    const b = s.getState().addElement(fn, { x: 600, y: 600 });
    s.getState().bringInto([b], zone);
    const m = s.getState().model;
    expect(m.elements.find((e) => e.id === a)!.boundary).toBe(zone);
    expect(m.elements.find((e) => e.id === b)!.boundary).toBe(zone);
    expect(m.boundaries[0].size!.height).toBeGreaterThan(128);
    expect(contradictions(m)).toEqual([]);
  });

  it("lists what a hand-edited file contradicts, and reconcile keeps an agreeing model as is", () => {
    const m: Model = {
      ...emptyModel(),
      boundaries: [{ id: "z", name: "Zone", kind: "account", parent: null, description: "", position: { x: 0, y: 0 }, size: { width: 400, height: 300 } }],
      elements: [
        { id: "in", name: "Drawn inside", kind: "function", type: "aws.lambda", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 40, y: 40 } },
        { id: "out", name: "Drawn outside", kind: "function", type: "aws.lambda", boundary: "z", description: "", properties: {}, assets: [], mitigations: [], position: { x: 900, y: 40 } },
        { id: "free", name: "Unplaced", kind: "function", type: "aws.lambda", boundary: "z", description: "", properties: {}, assets: [], mitigations: [], position: null },
      ],
    };
    expect(contradictions(m).map((c) => [c.id, c.declared, c.drawn])).toEqual([
      ["in", null, "z"],
      ["out", "z", null],
    ]);
    const fixed = reconcile(m);
    expect(contradictions(fixed)).toEqual([]);
    expect(fixed.elements.find((e) => e.id === "free")!.boundary).toBe("z");
    expect(reconcile(fixed)).toBe(fixed);
  });

  it("finds no spot in a boundary that is full, and a spot outside every boundary near a point", () => {
    const s = createDocStore();
    const zone = s.getState().addBoundary("account", { x: 0, y: 0 });
    s.getState().resizeBoundary(zone, { x: 0, y: 0, width: 224, height: 128 });
    s.getState().addElement(fn, { x: 16, y: 48 });
    expect(spotIn(s.getState().model, zone, null)).toBeNull();
    const out = spotIn(s.getState().model, null, { x: 100, y: 60 })!;
    expect(out).not.toBeNull();
    expect(contradictions(reconcile({ ...s.getState().model }))).toEqual([]);
  });
});

// One random canvas edit, on ids picked by index from what exists at the time.
const coord = fc.integer({ min: -200, max: 1600 });
const edit = fc.oneof(
  fc.record({ op: fc.constant("element" as const), x: coord, y: coord }),
  fc.record({ op: fc.constant("boundary" as const), x: coord, y: coord }),
  fc.record({ op: fc.constant("move" as const), pick: fc.nat(), x: coord, y: coord }),
  fc.record({ op: fc.constant("resize" as const), pick: fc.nat(), x: coord, y: coord, w: fc.integer({ min: 160, max: 1400 }), h: fc.integer({ min: 96, max: 1000 }) }),
  fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("paste" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("into" as const), pick: fc.nat(), target: fc.nat() }),
  fc.record({ op: fc.constant("undo" as const) }),
  fc.record({ op: fc.constant("redo" as const) }),
);

describe("membership property", () => {
  it("after any sequence of edits, membership equals geometric containment", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), (edits) => {
        const s = createDocStore();
        for (const e of edits) {
          const st = s.getState();
          const m = st.model;
          const ids = [...m.elements.map((x) => x.id), ...m.boundaries.map((x) => x.id)];
          const pick = (n: number) => ids[n % Math.max(1, ids.length)];
          switch (e.op) {
            case "element":
              st.addElement(fn, { x: e.x, y: e.y });
              break;
            case "boundary":
              st.addBoundary("account", { x: e.x, y: e.y });
              break;
            case "move":
              if (ids.length) st.moveItems([{ id: pick(e.pick), x: e.x, y: e.y }]);
              break;
            case "resize":
              if (m.boundaries.length) st.resizeBoundary(m.boundaries[e.pick % m.boundaries.length].id, { x: e.x, y: e.y, width: e.w, height: e.h });
              break;
            case "delete":
              if (ids.length) {
                st.select([pick(e.pick)]);
                st.deleteSelection();
              }
              break;
            case "paste":
              if (ids.length) {
                st.select([pick(e.pick)]);
                st.copy();
                st.paste();
              }
              break;
            case "into":
              if (m.elements.length) st.bringInto([m.elements[e.pick % m.elements.length].id], m.boundaries.length ? m.boundaries[e.target % m.boundaries.length].id : null);
              break;
            case "undo":
              st.undo();
              break;
            case "redo":
              st.redo();
              break;
          }
          const bad = contradictions(s.getState().model);
          if (bad.length) throw new Error(`after ${e.op}: ${JSON.stringify(bad)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("same arrangement", () => {
  it("tells a layout that moved nothing from one that moved a node", async () => {
    const { sameArrangement } = await import("./geometry");
    const s = createDocStore();
    s.getState().addElement(fn, { x: 0, y: 0 });
    const m = s.getState().model;
    const copy: Model = JSON.parse(JSON.stringify(m));
    expect(sameArrangement(m, copy)).toBe(true);
    copy.elements[0].position = { x: 16, y: 0 };
    expect(sameArrangement(m, copy)).toBe(false);
  });
});
