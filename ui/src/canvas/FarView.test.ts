// The far view's picture: one box per element at its absolute position, filled by its highest
// open severity and outlined by kind; flows as one path between centres; a view's dimming.
import { describe, expect, it } from "vitest";
import type { Model } from "../bindings/Model";
import { NODE_H, NODE_W } from "../lib/geometry";
import { emptyModel } from "../store/document";
import { farPicture } from "./FarView";
import type { Emphasis } from "./views";

function model(): Model {
  const m = emptyModel("t");
  const el = (id: string, kind: "function" | "store" | "trigger", x: number, y: number) => ({
    id, name: id.toUpperCase(), kind, type: "aws.lambda", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x, y },
  });
  m.elements = [el("api", "trigger", 0, 0), el("fn", "function", 300, 0), el("db", "store", 300, 200)];
  m.flows = [
    { id: "f1", from: "api", to: "fn", label: "", properties: {}, assets: [] },
    { id: "f2", from: "fn", to: "db", label: "", properties: {}, assets: [] },
    { id: "f3", from: "fn", to: "gone", label: "", properties: {}, assets: [] },
  ];
  return m;
}

describe("farPicture", () => {
  it("draws each element as a box at its position, filled by severity and outlined by kind", () => {
    const p = farPicture(model(), new Map([["api", { count: 2, top: "high" }]]), ["fn"], null);
    expect(p.boxes.map((b) => [b.id, b.x, b.y])).toEqual([["api", 0, 0], ["fn", 300, 0], ["db", 300, 200]]);
    const [api, fn, db] = p.boxes;
    expect(api.fill).not.toBe(fn.fill);
    expect(fn.fill).toBe(db.fill); // no open threats
    expect(new Set([api.stroke, fn.stroke, db.stroke]).size).toBe(3);
    expect(p.boxes.map((b) => b.selected)).toEqual([false, true, false]);
    expect(p.boxes.some((b) => b.dim)).toBe(false);
  });

  it("joins the centres of the flows whose ends exist, and bounds every box with a margin", () => {
    const p = farPicture(model(), new Map(), [], null);
    const c = (x: number, y: number) => `${x + NODE_W / 2},${y + NODE_H / 2}`;
    expect(p.flows).toBe(`M${c(0, 0)}L${c(300, 0)}M${c(300, 0)}L${c(300, 200)}`);
    expect(p.dimmed).toBe("");
    expect(p.x).toBeLessThan(0);
    expect(p.y).toBeLessThan(0);
    expect(p.x + p.width).toBeGreaterThan(300 + NODE_W);
    expect(p.y + p.height).toBeGreaterThan(200 + NODE_H);
  });

  it("dims what a view does not show", () => {
    const emphasis = { nodes: new Set(["api", "fn"]), flows: new Set(["f1"]), dim: true, order: new Map(), grants: [], caption: "" } as unknown as Emphasis;
    const p = farPicture(model(), new Map(), [], emphasis);
    expect(p.boxes.map((b) => b.dim)).toEqual([false, false, true]);
    expect(p.flows.split("M")).toHaveLength(2);
    expect(p.dimmed.split("M")).toHaveLength(2);
  });

  it("draws an empty model as nothing", () => {
    const p = farPicture(emptyModel("e"), new Map(), [], null);
    expect(p.boxes).toEqual([]);
    expect(p.flows).toBe("");
    expect(Number.isFinite(p.x) && Number.isFinite(p.width)).toBe(true);
  });
});
