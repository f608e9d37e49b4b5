// Pure converters between the model (absolute positions, boundary ids) and React Flow's nodes
// and edges (positions relative to the parent boundary node, parents before children). Also
// folds the analysis into per-target badges. No React, no IPC: unit-tested in convert.test.ts.
import { MarkerType, Position, type Edge, type Node, type NodeHandle } from "@xyflow/react";
import type { Analysis } from "../bindings/Analysis";
import type { Boundary } from "../bindings/Boundary";
import type { Element } from "../bindings/Element";
import type { Flow } from "../bindings/Flow";
import type { Model } from "../bindings/Model";
import type { Severity } from "../bindings/Severity";
import { boundaryRect, depthOf, NODE_H, NODE_W, toRelative, type Pt } from "../lib/geometry";
import type { Anchor } from "./labels";
import type { Emphasis } from "./views";

export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const SEVERITY_LETTER: Record<Severity, string> = { low: "L", medium: "M", high: "H", critical: "C" };

/** Side of a handle as the CSS draws it (11 px + 2 px border), and its inset from the node's edge. */
const HANDLE = 15;
const INSET = HANDLE / 2 - 2;

/**
 * Where an element's four handles are (relative to the node, as measured in the app). Nodes
 * carry them and their size up front: React Flow draws a node it knows only when it is on
 * screen, but one it must measure is drawn once first (every node of a 2,000-element model, for
 * seconds), and it fits the view only once every node has a size.
 */
export const ELEMENT_HANDLES: NodeHandle[] = [
  { id: "l", type: "target", position: Position.Left, x: -INSET, y: NODE_H / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  { id: "r", type: "source", position: Position.Right, x: NODE_W - HANDLE + INSET, y: NODE_H / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  { id: "t", type: "source", position: Position.Top, x: NODE_W / 2 - HANDLE / 2, y: -INSET + 1, width: HANDLE, height: HANDLE },
  { id: "b", type: "source", position: Position.Bottom, x: NODE_W / 2 - HANDLE / 2, y: NODE_H - HANDLE + INSET - 1, width: HANDLE, height: HANDLE },
];

export interface Badge {
  count: number;
  top: Severity | null;
}

export type BoundaryData = { boundary: Boundary; depth: number };
/** How a view draws an element or flow: emphasised, dimmed, or as usual (undefined). */
export type Emph = "on" | "off" | undefined;
export type ElementData = { element: Element; badge: Badge; emph?: Emph; order?: number };
/** `twin`: a flow runs the other way between the same two elements (drawn side by side). */
export type FlowData = { flow: Flow; badge: Badge; emph?: Emph; anchor?: Anchor; twin?: true };
export type GrantData = { grant: true };
export type BoundaryNode = Node<BoundaryData, "boundary">;
export type ElementNode = Node<ElementData, "function" | "trigger" | "store" | "external">;
export type AppNode = BoundaryNode | ElementNode;
export type FlowEdge = Edge<FlowData, "flow"> | Edge<GrantData, "grant">;

/** Open threats per target id: count and highest severity. */
export function badgesOf(analysis: Analysis | null | undefined): Map<string, Badge> {
  const out = new Map<string, Badge>();
  for (const t of analysis?.threats ?? []) {
    if (t.status !== "open") continue;
    const b = out.get(t.target.id) ?? { count: 0, top: null };
    b.count += 1;
    if (!b.top || SEVERITY_RANK[t.severity] > SEVERITY_RANK[b.top]) b.top = t.severity;
    out.set(t.target.id, b);
  }
  return out;
}

const NONE: Badge = { count: 0, top: null };
/** The arrowhead of an emphasised flow (theme.css --emph, light). */
const EMPH_MARKER = "#0f766e";

/** Emphasised, dimmed, or untouched, for an id under `emphasis`. */
function emphOf(emphasis: Emphasis | null | undefined, set: "nodes" | "flows", id: string): Emph {
  if (!emphasis?.dim) return undefined;
  return emphasis[set].has(id) ? "on" : "off";
}

/** Whether `a` and `b` hold the same values, comparing plain objects and arrays `depth` levels deep. */
function same(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (depth === 0 || typeof a !== "object" || typeof b !== "object" || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth - 1));
}

/**
 * `next`, with each item that equals the item of the same id in `prev` replaced by that one:
 * React Flow re-processes and re-renders only the nodes and edges whose objects changed, so
 * an edit or a new analysis costs what it changed, not the size of the model. Items are
 * compared three levels deep (node → data → badge); the model's own objects by identity.
 */
export function keepUnchanged<T extends { id: string }>(prev: readonly T[], next: T[]): T[] {
  const before = new Map(prev.map((x) => [x.id, x]));
  return next.map((x) => {
    const old = before.get(x.id);
    return old && same(old, x, 3) ? old : x;
  });
}

/**
 * Model → React Flow nodes (boundaries by depth first, then elements) and edges: the flows,
 * then the grant edges of the view (drawn, never selectable). `badges` (`badgesOf` the
 * analysis, computed once per analysis, not per edit) go on the nodes and flows. `emphasis` marks what a view
 * emphasises or dims; `anchors` place flow labels (the middle when absent).
 */
export function modelToFlow(
  model: Model,
  selection: Iterable<string> = [],
  badges: ReadonlyMap<string, Badge> = new Map(),
  emphasis?: Emphasis | null,
  anchors?: ReadonlyMap<string, Anchor>,
): { nodes: AppNode[]; edges: FlowEdge[] } {
  const sel = new Set(selection);
  const known = new Set(model.boundaries.map((b) => b.id));
  const parentOf = (id: string | null | undefined) => (id && known.has(id) ? id : undefined);
  const boundaries = [...model.boundaries]
    .map((b) => ({ b, depth: depthOf(model, b.id) }))
    .sort((a, b) => a.depth - b.depth);
  const nodes: AppNode[] = boundaries.map(({ b, depth }) => {
    const r = boundaryRect(model, b.id)!;
    const parentId = parentOf(b.parent);
    return {
      id: b.id,
      type: "boundary",
      position: toRelative(model, parentId, r),
      ...(parentId ? { parentId } : {}),
      width: r.width,
      height: r.height,
      measured: { width: r.width, height: r.height },
      handles: [], // none: flows end on elements
      zIndex: depth - 100,
      selected: sel.has(b.id),
      data: { boundary: b, depth },
    };
  });
  for (const e of model.elements) {
    const parentId = parentOf(e.boundary);
    const abs: Pt = e.position ?? { x: 0, y: 0 };
    const emph = emphOf(emphasis, "nodes", e.id);
    const order = emphasis?.order.get(e.id);
    nodes.push({
      id: e.id,
      type: e.kind,
      position: toRelative(model, parentId, abs),
      ...(parentId ? { parentId } : {}),
      ...(emph ? { className: emph === "on" ? "tw-emph" : "tw-dim" } : {}),
      selected: sel.has(e.id),
      zIndex: 10,
      measured: { width: NODE_W, height: NODE_H },
      handles: ELEMENT_HANDLES,
      data: { element: e, badge: badges.get(e.id) ?? NONE, ...(emph ? { emph } : {}), ...(order ? { order } : {}) },
    });
  }
  const pairs = new Set(model.flows.map((f) => `${f.from}>${f.to}`));
  const edges: FlowEdge[] = model.flows.map((f) => {
    const emph = emphOf(emphasis, "flows", f.id);
    const twin = f.from !== f.to && pairs.has(`${f.to}>${f.from}`);
    const anchor = anchors?.get(f.id);
    return {
      id: f.id,
      source: f.from,
      target: f.to,
      type: "flow",
      ...(emph ? { className: emph === "on" ? "tw-emph" : "tw-dim" } : {}),
      selected: sel.has(f.id),
      zIndex: emph === "on" ? 25 : 20,
      // The marker scales with the stroke: a thick emphasised flow gets a smaller, coloured one.
      // A literal colour: WebKitGTK drops a marker whose id (derived from it) holds "var(…)".
      markerEnd: emph === "on" ? { type: MarkerType.ArrowClosed, width: 8, height: 8, color: EMPH_MARKER } : { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      data: {
        flow: f,
        badge: badges.get(f.id) ?? NONE,
        ...(emph ? { emph } : {}),
        ...(anchor ? { anchor } : {}),
        ...(twin ? { twin: true as const } : {}),
      },
    };
  });
  const placed = new Set(model.elements.map((e) => e.id));
  for (const g of emphasis?.grants ?? []) {
    if (!placed.has(g.from) || !placed.has(g.to)) continue;
    edges.push({
      id: g.id,
      source: g.from,
      target: g.to,
      type: "grant",
      className: "tw-grant",
      selectable: false,
      deletable: false,
      focusable: false,
      zIndex: 30,
      markerEnd: { type: MarkerType.Arrow, width: 14, height: 14 },
      data: { grant: true },
    });
  }
  return { nodes, edges };
}
