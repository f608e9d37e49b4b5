// The model far out (zoom under FAR_ZOOM, where no name can be read): one SVG in flow
// coordinates, drawn in React Flow's viewport portal in place of the element nodes and flow
// edges (hidden meanwhile). Zooming and panning then only move it — no React work per frame,
// where the nodes and edges of a fitted 2,000-element model cost tens of milliseconds a step.
// Each element is a box outlined in its kind's colour and filled by its highest open severity;
// flows are thin lines between centres; a view still dims what it does not show. A click on an
// element selects it and zooms in on it; a right-click opens its menu. The minimap of a large model shows the same picture
// (FarMiniMap).
import { Panel, useReactFlow, useStore, ViewportPortal, type ReactFlowState } from "@xyflow/react";
import { memo, useMemo, type MouseEvent, type PointerEvent } from "react";
import type { Model } from "../bindings/Model";
import { NODE_H, NODE_W } from "../lib/geometry";
import { docStore } from "../store/document";
import type { Badge } from "./convert";
import type { Emphasis } from "./views";

const KIND_COLOUR: Record<string, string> = { function: "#7c3aed", trigger: "#0891b2", store: "#b45309", external: "#475569" };
const FILL: Record<string, string> = { critical: "#fca5a5", high: "#fecaca", medium: "#fde68a", low: "#d9f99d", none: "#f8fafc" };

export interface FarBox {
  id: string;
  name: string;
  x: number;
  y: number;
  stroke: string;
  fill: string;
  selected: boolean;
  dim: boolean;
}

export interface FarPicture {
  boxes: FarBox[];
  /** "M x,y L x,y …" of the flows drawn as usual, and of those a view dims. */
  flows: string;
  dimmed: string;
  /** Bounds of every box, padded. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the far view draws of `model` (positions are absolute in the model). */
export function farPicture(model: Model, badges: Map<string, Badge>, selection: readonly string[], emphasis: Emphasis | null): FarPicture {
  const sel = new Set(selection);
  const centre = new Map<string, { x: number; y: number }>();
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const boxes = model.elements.map((e) => {
    const { x, y } = e.position ?? { x: 0, y: 0 };
    centre.set(e.id, { x: x + NODE_W / 2, y: y + NODE_H / 2 });
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + NODE_W), Math.max(y1, y + NODE_H)];
    const top = badges.get(e.id)?.top ?? "none";
    return { id: e.id, name: e.name, x, y, stroke: KIND_COLOUR[e.kind] ?? "#64748b", fill: FILL[top], selected: sel.has(e.id), dim: !!emphasis?.dim && !emphasis.nodes.has(e.id) };
  });
  const flows: string[] = [];
  const dimmed: string[] = [];
  for (const f of model.flows) {
    const a = centre.get(f.from);
    const b = centre.get(f.to);
    if (!a || !b) continue;
    (emphasis?.dim && !emphasis.flows.has(f.id) ? dimmed : flows).push(`M${a.x},${a.y}L${b.x},${b.y}`);
  }
  if (!boxes.length) [x0, y0, x1, y1] = [0, 0, 0, 0];
  const pad = 40;
  return { boxes, flows: flows.join(""), dimmed: dimmed.join(""), x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad };
}

/** The boxes and lines, in flow coordinates (shared by the far view and its minimap). */
const Drawing = memo(function Drawing({ picture, thin }: { picture: FarPicture; thin?: boolean }) {
  return (
    <>
      <path className="far-flows" d={picture.flows} />
      <path className="far-flows dim" d={picture.dimmed} />
      {picture.boxes.map((b) => (
        <rect
          key={b.id}
          data-id={b.id}
          className={`far-box${b.selected ? " selected" : ""}${b.dim ? " dim" : ""}`}
          x={b.x}
          y={b.y}
          width={NODE_W}
          height={NODE_H}
          rx={8}
          fill={b.fill}
          stroke={b.stroke}
        >
          {!thin && <title>{b.name}</title>}
        </rect>
      ))}
    </>
  );
});

/**
 * The far view: the picture in the viewport portal; a click on a box goes to its element, a
 * right-click opens the element's context menu (`onMenu`).
 */
export function FarView({ picture, onMenu }: { picture: FarPicture; onMenu: (e: MouseEvent, id: string) => void }) {
  const rf = useReactFlow();
  const boxOf = (e: MouseEvent) => (e.target as Element).getAttribute("data-id");
  const onContextMenu = (e: MouseEvent<SVGSVGElement>) => {
    const id = boxOf(e);
    if (!id) return;
    e.stopPropagation();
    onMenu(e, id);
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    const id = boxOf(e);
    if (!id) return;
    e.stopPropagation();
    const b = picture.boxes.find((x) => x.id === id);
    docStore.getState().select([id]);
    if (b) void rf.setCenter(b.x + NODE_W / 2, b.y + NODE_H / 2, { zoom: 0.9, duration: 300 });
  };
  const { x, y, width, height } = picture;
  return (
    <ViewportPortal>
      <svg
        className="far-view"
        data-testid="far-view"
        style={{ position: "absolute", left: x, top: y }}
        width={width}
        height={height}
        viewBox={`${x} ${y} ${width} ${height}`}
        onClick={onClick}
        onContextMenu={onContextMenu}
      >
        <Drawing picture={picture} />
      </svg>
    </ViewportPortal>
  );
}

const MINI_W = 200;
const MINI_H = 150;
const viewOf = (s: ReactFlowState) => ({ tx: s.transform[0], ty: s.transform[1], zoom: s.transform[2], w: s.width, h: s.height });

/** From this many elements the minimap is FarMiniMap at every zoom. */
export const OWN_MINIMAP_FROM = 300;

/**
 * The minimap far out and of large models: the same picture, the visible area outlined; press
 * or drag to move the view. React Flow's own runs a store subscription per node on every frame
 * of a zoom (2,000 of them on a 2,000-element model) and draws only the nodes it renders.
 */
export function FarMiniMap({ picture }: { picture: FarPicture }) {
  const rf = useReactFlow();
  const v = useStore(viewOf, (a, b) => a.tx === b.tx && a.ty === b.ty && a.zoom === b.zoom && a.w === b.w && a.h === b.h);
  const view = { x: -v.tx / v.zoom, y: -v.ty / v.zoom, width: v.w / v.zoom, height: v.h / v.zoom };
  const x = Math.min(picture.x, view.x);
  const y = Math.min(picture.y, view.y);
  const width = Math.max(picture.x + picture.width, view.x + view.width) - x;
  const height = Math.max(picture.y + picture.height, view.y + view.height) - y;
  // Pressing centres the view there, dragging keeps it following the pointer.
  const centreAt = (e: PointerEvent<SVGSVGElement>, duration: number) => {
    const box = e.currentTarget.getBoundingClientRect();
    const scale = Math.max(width / box.width, height / box.height);
    // preserveAspectRatio centres the drawing: undo that offset, then scale to flow units.
    const ox = (box.width - width / scale) / 2;
    const oy = (box.height - height / scale) / 2;
    void rf.setCenter(x + (e.clientX - box.left - ox) * scale, y + (e.clientY - box.top - oy) * scale, { zoom: v.zoom, duration });
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    centreAt(e, 200);
    if (e.currentTarget.hasPointerCapture?.(e.pointerId) === false) {
      try {
        e.currentTarget.setPointerCapture(e.pointerId); // keeps the drag when it leaves the map
      } catch {
        /* not an active pointer (a synthetic event): nothing to follow */
      }
    }
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (e.buttons & 1) centreAt(e, 0);
  };
  return (
    <Panel position="bottom-right" className="far-minimap" data-testid="far-minimap">
      <svg width={MINI_W} height={MINI_H} viewBox={`${x} ${y} ${width} ${height}`} onPointerDown={onPointerDown} onPointerMove={onPointerMove} role="img" aria-label="Minimap">
        <Drawing picture={picture} thin />
        <rect className="far-minimap-view" x={view.x} y={view.y} width={view.width} height={view.height} />
      </svg>
    </Panel>
  );
}

/** The far-view picture of the current document when `wanted`, recomputed only when what it shows changes. */
export function useFarPicture(wanted: boolean, model: Model, badges: Map<string, Badge>, selection: readonly string[], emphasis: Emphasis | null) {
  return useMemo(() => (wanted ? farPicture(model, badges, selection, emphasis) : null), [wanted, model, badges, selection, emphasis]);
}
