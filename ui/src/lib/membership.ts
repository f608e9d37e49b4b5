// Membership from geometry: which boundary an element or a boundary belongs to, read off the
// drawing. The rule (the one invariant the canvas keeps after every geometric edit):
// - a placed element belongs to the smallest boundary whose rectangle holds its centre;
// - a placed boundary belongs to the smallest strictly larger boundary that holds its whole
//   rectangle (so nesting never cycles: the area grows at every step up).
// `reconcile` makes the model obey it; `contradictions` lists where a file disagrees with it.
import type { Model } from "../bindings/Model";
import { boundaryRect, boxes, innermostAt, NODE_H, NODE_W, type Box, type Pt, type Rect } from "./geometry";

const encloses = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** The smallest boundary strictly larger than `inner` that encloses it (null: none). */
function innermostAround(all: Box[], inner: Box): string | null {
  let best: Box | null = null;
  for (const b of all) {
    if (b.id === inner.id || b.area <= inner.area || !encloses(b.rect, inner.rect)) continue;
    if (!best || b.area < best.area) best = b;
  }
  return best?.id ?? null;
}

/** The centre of an element drawn at `pos`. */
export const centreOf = (pos: Pt): Pt => ({ x: pos.x + NODE_W / 2, y: pos.y + NODE_H / 2 });

/** What the drawing says each placed element and boundary belongs to. */
export function drawnMembership(model: Model): { elements: Map<string, string | null>; boundaries: Map<string, string | null> } {
  const all = boxes(model);
  const elements = new Map<string, string | null>();
  for (const e of model.elements) if (e.position) elements.set(e.id, innermostAt(all, centreOf(e.position)));
  const boundaries = new Map<string, string | null>();
  for (const b of all) boundaries.set(b.id, innermostAround(all, b));
  return { elements, boundaries };
}

/**
 * The model with every placed element's `boundary` and every placed boundary's `parent` set
 * from the drawing; the same object when they already agree (so an unchanged document stays
 * clean). Unplaced items keep what the file says: there is nothing drawn to contradict it.
 */
export function reconcile(model: Model): Model {
  const drawn = drawnMembership(model);
  let elements = model.elements;
  if (model.elements.some((e) => drawn.elements.has(e.id) && drawn.elements.get(e.id) !== (e.boundary ?? null))) {
    elements = model.elements.map((e) => {
      const want = drawn.elements.get(e.id);
      return want === undefined || want === (e.boundary ?? null) ? e : { ...e, boundary: want };
    });
  }
  let boundaries = model.boundaries;
  if (model.boundaries.some((b) => drawn.boundaries.has(b.id) && drawn.boundaries.get(b.id) !== (b.parent ?? null))) {
    boundaries = model.boundaries.map((b) => {
      const want = drawn.boundaries.get(b.id);
      return want === undefined || want === (b.parent ?? null) ? b : { ...b, parent: want };
    });
  }
  return elements === model.elements && boundaries === model.boundaries ? model : { ...model, elements, boundaries };
}

export interface Contradiction {
  id: string;
  name: string;
  /** The boundary the file puts it in (null: none). */
  declared: string | null;
  /** The boundary it is drawn in (null: none). */
  drawn: string | null;
}

/** Every placed element and boundary whose declared membership differs from the drawing. */
export function contradictions(model: Model): Contradiction[] {
  const drawn = drawnMembership(model);
  const out: Contradiction[] = [];
  for (const b of model.boundaries) {
    const d = drawn.boundaries.get(b.id);
    if (d !== undefined && d !== (b.parent ?? null)) out.push({ id: b.id, name: b.name, declared: b.parent ?? null, drawn: d });
  }
  for (const e of model.elements) {
    const d = drawn.elements.get(e.id);
    if (d !== undefined && d !== (e.boundary ?? null)) out.push({ id: e.id, name: e.name, declared: e.boundary ?? null, drawn: d });
  }
  return out;
}

/**
 * A free top-left position for an element of `model` inside boundary `target` (null: outside
 * every boundary), near `near` when given: a grid spot whose centre falls in exactly that
 * boundary (not in a nested one) and that overlaps no other element. Null when there is none.
 */
export function spotIn(model: Model, target: string | null, near: Pt | null, ignore?: string): Pt | null {
  const all = boxes(model);
  const taken = model.elements.filter((e) => e.position && e.id !== ignore).map((e) => e.position!);
  const clear = (p: Pt) => !taken.some((q) => Math.abs(q.x - p.x) < NODE_W + 16 && Math.abs(q.y - p.y) < NODE_H + 16);
  const r = target ? boundaryRect(model, target) : null;
  // Inside a boundary: its grid, from the top-left inner corner; outside: rings around `near`.
  const candidates: Pt[] = [];
  if (r) {
    const up = (v: number) => Math.ceil(v / 16) * 16;
    for (let y = up(r.y + 40); y + NODE_H <= r.y + r.height - 8; y += 16)
      for (let x = up(r.x + 24); x + NODE_W <= r.x + r.width - 8; x += 16) candidates.push({ x, y });
  } else {
    const o = near ?? { x: 0, y: 0 };
    for (let ring = 0; ring < 40; ring++)
      for (let dy = -ring; dy <= ring; dy++)
        for (let dx = -ring; dx <= ring; dx++)
          if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) candidates.push({ x: o.x + dx * (NODE_W + 48), y: o.y + dy * (NODE_H + 48) });
  }
  const ok = (p: Pt) => clear(p) && innermostAt(all, centreOf(p)) === target;
  if (near) {
    const d = (p: Pt) => (p.x - near.x) ** 2 + (p.y - near.y) ** 2;
    candidates.sort((a, b) => d(a) - d(b));
  }
  return candidates.find(ok) ?? null;
}
