// Flow geometry for the canvas: flows are drawn straight between node centres (clipped at the
// node outlines), the shape the core's layout optimises and its label placement assumes. The
// core's label centre is turned into an anchor on the flow (how far along, how far beside), so
// the label stays on its flow while a node is dragged, until the core places it again. Pure.
import type { LabelPosition } from "../bindings/LabelPosition";
import type { Model } from "../bindings/Model";
import { NODE_H, NODE_W, type Pt } from "../lib/geometry";

/** Where a label sits relative to its flow: `t` along centre→centre, `off` beside it (px). */
export interface Anchor {
  t: number;
  off: number;
}

export const MIDDLE: Anchor = { t: 0.5, off: 0 };

/** The anchor of point `c` on the segment a→b. */
export function anchorOf(a: Pt, b: Pt, c: Pt): Anchor {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 < 1) return MIDDLE;
  const len = Math.sqrt(len2);
  const t = ((c.x - a.x) * dx + (c.y - a.y) * dy) / len2;
  // The core offsets along (-dy, dx) / len; keep its sign convention.
  const off = ((c.x - a.x) * -dy + (c.y - a.y) * dx) / len;
  return { t, off };
}

/** The point of anchor `k` on the segment a→b (the inverse of `anchorOf`). */
export function pointAt(a: Pt, b: Pt, k: Anchor): Pt {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.max(1, Math.hypot(dx, dy));
  return { x: a.x + dx * k.t - (dy / len) * k.off, y: a.y + dy * k.t + (dx / len) * k.off };
}

/** Where the ray from the centre of a `w`×`h` box at `c` towards `to` leaves the box. */
export function boxExit(c: Pt, w: number, h: number, to: Pt): Pt {
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  if (!dx && !dy) return c;
  const s = Math.min(dx ? w / 2 / Math.abs(dx) : Infinity, dy ? h / 2 / Math.abs(dy) : Infinity);
  return { x: c.x + dx * Math.min(s, 1), y: c.y + dy * Math.min(s, 1) };
}

/** Anchors of the core's label positions, against the node centres of the model they were placed on. */
export function anchorsOf(model: Model, labels: readonly LabelPosition[]): Map<string, Anchor> {
  const centre = new Map<string, Pt>();
  for (const e of model.elements) if (e.position) centre.set(e.id, { x: e.position.x + NODE_W / 2, y: e.position.y + NODE_H / 2 });
  const flows = new Map(model.flows.map((f) => [f.id, f]));
  const out = new Map<string, Anchor>();
  for (const l of labels) {
    const f = flows.get(l.flow);
    const a = f && centre.get(f.from);
    const b = f && centre.get(f.to);
    if (a && b) out.set(l.flow, anchorOf(a, b, { x: l.x, y: l.y }));
  }
  return out;
}

/**
 * A key that changes exactly when label placement can change: element positions, flow ends and
 * the label text (label or protocol). Used to ask the core again only then.
 */
export function labelKey(model: Model): string {
  const els = model.elements.map((e) => `${e.id}@${e.position?.x ?? "-"},${e.position?.y ?? "-"}`);
  const fls = model.flows.map((f) => `${f.id}:${f.from}>${f.to}:${f.label || (typeof f.properties.protocol === "string" ? f.properties.protocol : "")}`);
  return `${els.join(";")}|${fls.join(";")}`;
}
