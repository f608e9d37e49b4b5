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

/** The innermost (smallest) boundary whose rectangle contains `pt`, skipping `exclude`. */
export function boundaryAt(model: Model, pt: Pt, exclude: Set<string> = new Set(), minArea = 0): string | null {
  let best: { id: string; area: number } | null = null;
  for (const b of model.boundaries) {
    if (exclude.has(b.id)) continue;
    const r = boundaryRect(model, b.id);
    if (!r) continue;
    const area = r.width * r.height;
    if (area <= minArea) continue;
    if (pt.x >= r.x && pt.x <= r.x + r.width && pt.y >= r.y && pt.y <= r.y + r.height) {
      if (!best || area < best.area) best = { id: b.id, area };
    }
  }
  return best?.id ?? null;
}

/** The first spot at or below/right of `at` where a new node does not overlap another one. */
export function freeSpot(model: Model, at: Pt): Pt {
  const taken = model.elements.filter((e) => e.position).map((e) => e.position!);
  const clashes = (p: Pt) => taken.some((q) => Math.abs(q.x - p.x) < NODE_W + 24 && Math.abs(q.y - p.y) < NODE_H + 24);
  for (let col = 0; col < 8; col++) {
    for (let row = 0; row < 8; row++) {
      const p = { x: at.x + col * (NODE_W + 48), y: at.y + row * (NODE_H + 40) };
      if (!clashes(p)) return p;
    }
  }
  return at;
}
