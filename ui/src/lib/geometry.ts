// Pure geometry over the model: absolute ⇄ relative positions for nested boundaries, which
// boundary contains a point, and the descendants of a boundary. The model stores ABSOLUTE
// canvas coordinates; React Flow wants child positions relative to their parent node.
import type { Model } from "../bindings/Model";

export const NODE_W = 180;
export const NODE_H = 64;
export const DEFAULT_BOUNDARY = { width: 420, height: 280 };

export interface Pt {
  x: number;
  y: number;
}
export interface Rect extends Pt {
  width: number;
  height: number;
}

/** Absolute top-left of a boundary (0,0 when unplaced). */
export function boundaryAbs(model: Model, id: string | null | undefined): Pt {
  const b = id ? model.boundaries.find((x) => x.id === id) : undefined;
  return b?.position ? { x: b.position.x, y: b.position.y } : { x: 0, y: 0 };
}

export function boundaryRect(model: Model, id: string): Rect | null {
  const b = model.boundaries.find((x) => x.id === id);
  if (!b) return null;
  const p = b.position ?? { x: 0, y: 0 };
  const s = b.size ?? DEFAULT_BOUNDARY;
  return { x: p.x, y: p.y, width: s.width, height: s.height };
}

/** Relative (to parent boundary) → absolute. */
export function toAbsolute(model: Model, parent: string | null | undefined, rel: Pt): Pt {
  const p = parent ? boundaryAbs(model, parent) : { x: 0, y: 0 };
  return { x: rel.x + p.x, y: rel.y + p.y };
}

/** Absolute → relative to the parent boundary. */
export function toRelative(model: Model, parent: string | null | undefined, abs: Pt): Pt {
  const p = parent ? boundaryAbs(model, parent) : { x: 0, y: 0 };
  return { x: abs.x - p.x, y: abs.y - p.y };
}

/** Ids of all boundaries nested (at any depth) inside `id`. */
export function descendantBoundaries(model: Model, id: string): Set<string> {
  const out = new Set<string>();
  let frontier = [id];
  while (frontier.length) {
    const next: string[] = [];
    for (const b of model.boundaries) {
      if (b.parent && frontier.includes(b.parent) && !out.has(b.id) && b.id !== id) {
        out.add(b.id);
        next.push(b.id);
      }
    }
    frontier = next;
  }
  return out;
}

/** Nesting depth of a boundary (0 = top level); cycles are cut off. */
export function depthOf(model: Model, id: string): number {
  let d = 0;
  let cur = model.boundaries.find((b) => b.id === id)?.parent ?? null;
  while (cur && d < 32) {
    d += 1;
    const c = cur;
    cur = model.boundaries.find((b) => b.id === c)?.parent ?? null;
  }
  return d;
}

/** A placed boundary's rectangle and area (unplaced boundaries are not drawn, so hold nothing). */
export interface Box {
  id: string;
  rect: Rect;
  area: number;
}

export function boxes(model: Model): Box[] {
  const out: Box[] = [];
  for (const b of model.boundaries) {
    if (!b.position) continue;
    const rect = boundaryRect(model, b.id)!;
    out.push({ id: b.id, rect, area: rect.width * rect.height });
  }
  return out;
}

export const holds = (r: Rect, p: Pt) => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

/** The smallest of `all` holding `pt` (null: none); `boxes` computed once for many points. */
export function innermostAt(all: Box[], pt: Pt): string | null {
  let best: Box | null = null;
  for (const b of all) if (holds(b.rect, pt) && (!best || b.area < best.area)) best = b;
  return best?.id ?? null;
}

/** The innermost (smallest) placed boundary whose rectangle contains `pt`. */
export const boundaryAt = (model: Model, pt: Pt): string | null => innermostAt(boxes(model), pt);

/** Whether two models draw the same: every element and boundary at the same place and size, in the same boundary. */
export function sameArrangement(a: Model, b: Model): boolean {
  const same = (p?: Pt | null, q?: Pt | null) => (p ?? null) === (q ?? null) || (!!p && !!q && p.x === q.x && p.y === q.y);
  if (a.elements.length !== b.elements.length || a.boundaries.length !== b.boundaries.length) return false;
  const els = new Map(b.elements.map((e) => [e.id, e]));
  const bds = new Map(b.boundaries.map((x) => [x.id, x]));
  return (
    a.elements.every((e) => {
      const o = els.get(e.id);
      return !!o && same(e.position, o.position) && (e.boundary ?? null) === (o.boundary ?? null);
    }) &&
    a.boundaries.every((x) => {
      const o = bds.get(x.id);
      const size = (s?: { width: number; height: number } | null) => (s ? { x: s.width, y: s.height } : null);
      return !!o && same(x.position, o.position) && same(size(x.size), size(o.size)) && (x.parent ?? null) === (o.parent ?? null);
    })
  );
}
