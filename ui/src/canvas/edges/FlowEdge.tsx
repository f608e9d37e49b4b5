// Data flow: a straight arrow between the node centres, clipped at the node outlines (the shape
// the core's layout and label placement assume), with a short label; encrypted flows solid,
// unencrypted dashed; an unauthenticated flow gets a small open-lock mark; the open-threat badge
// sits on the label. The label sits where the core placed it (its anchor), else mid-flow.
// Also the grant edge of the blast-radius view: dotted, labelled "grant", never selectable.
// Labels go to React Flow's label layer through `LabelPortal`, not `EdgeLabelRenderer`: that one
// looks the layer up with a querySelector in a store selector, so every label ran one on every
// store change — 844 per zoom step on a fitted 2,000-element model.
import { BaseEdge, useInternalNode, useStore, type EdgeProps, type EdgeTypes, type ReactFlowState } from "@xyflow/react";
import { createPortal } from "react-dom";
import type { ReactNode } from "react";
import type { FlowData, GrantData } from "../convert";
import type { Edge } from "@xyflow/react";
import Glyph from "../nodes/Glyph";
import { docStore } from "../../store/document";
import ThreatBadge from "../nodes/ThreatBadge";
import { NODE_H, NODE_W, type Pt } from "../../lib/geometry";
import { boxExit, MIDDLE, pointAt } from "../labels";

/** React Flow's edge-label layer of each flow pane, found once. */
const labelLayers = new WeakMap<HTMLDivElement, Element>();
const selectDomNode = (s: ReactFlowState) => s.domNode;

/** Renders an edge label in React Flow's label layer (above the edges, in flow coordinates). */
function LabelPortal({ children }: { children: ReactNode }) {
  const dom = useStore(selectDomNode);
  if (!dom) return null;
  let layer = labelLayers.get(dom);
  if (!layer) {
    layer = dom.querySelector(".react-flow__edgelabel-renderer") ?? undefined;
    if (!layer) return null;
    labelLayers.set(dom, layer);
  }
  return createPortal(children, layer);
}

interface Ends {
  /** Node centres (what label anchors are relative to). */
  a: Pt;
  b: Pt;
  /** The drawn segment, clipped at the node outlines. */
  path: string;
}

/** How far a grant edge runs beside the centre line, so a flow between the same nodes stays visible. */
const GRANT_SHIFT = 6;
/** How far each of two opposite flows between the same elements runs beside the centre line. */
const TWIN_SHIFT = 5;

/**
 * The straight segment between two nodes' centres, clipped at their outlines; `shift` moves
 * the drawn segment sideways (the anchors stay on the centre line).
 */
function useEnds(source: string, target: string, shift = 0): Ends | null {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  if (!s || !t) return null;
  const box = (n: NonNullable<typeof s>) => ({ w: n.measured.width ?? NODE_W, h: n.measured.height ?? NODE_H });
  const sb = box(s);
  const tb = box(t);
  const a = { x: s.internals.positionAbsolute.x + sb.w / 2, y: s.internals.positionAbsolute.y + sb.h / 2 };
  const b = { x: t.internals.positionAbsolute.x + tb.w / 2, y: t.internals.positionAbsolute.y + tb.h / 2 };
  const len = Math.max(1, Math.hypot(b.x - a.x, b.y - a.y));
  const n = { x: (-(b.y - a.y) / len) * -shift, y: ((b.x - a.x) / len) * -shift };
  const sa = { x: a.x + n.x, y: a.y + n.y };
  const sbb = { x: b.x + n.x, y: b.y + n.y };
  const p = boxExit(sa, sb.w, sb.h, sbb);
  const q = boxExit(sbb, tb.w, tb.h, sa);
  return { a, b, path: `M ${p.x},${p.y} L ${q.x},${q.y}` };
}

export function FlowEdge(props: EdgeProps<Edge<FlowData, "flow">>) {
  const { id, source, target, data, selected } = props;
  // Opposite flows between the same two elements each move to their own side of the centre line.
  const ends = useEnds(source, target, data?.twin ? TWIN_SHIFT : 0);
  if (!ends) return null;
  const { x: lx, y: ly } = pointAt(ends.a, ends.b, data?.anchor ?? MIDDLE);
  const flow = data?.flow;
  const encrypted = flow?.properties.encrypted === true;
  const unauth = flow?.properties.authenticated === false;
  const label = flow?.label || (typeof flow?.properties.protocol === "string" ? flow.properties.protocol : "");
  const emph = data?.emph ? ` emph-${data.emph}` : "";
  return (
    <>
      <BaseEdge
        // A new path element when the emphasis changes: WebKitGTK keeps drawing the old marker
        // when only the marker-end reference of a path changes.
        key={data?.emph ?? "plain"}
        id={id}
        path={ends.path}
        markerEnd={props.markerEnd}
        className={`tw-flow${encrypted ? " encrypted" : " unencrypted"}${selected ? " selected" : ""}${emph}`}
        interactionWidth={18}
      />
      <LabelPortal>
        <div
          className={`flow-label nodrag nopan${selected ? " selected" : ""}${emph}`}
          data-testid={`flow-${id}`}
          data-emph={data?.emph}
          onClick={() => docStore.getState().select([id])}
          style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }}
        >
          {unauth && (
            <span className="flow-lock" title="Unauthenticated flow">
              <Glyph name="lock_open" size={14} title="unauthenticated" />
            </span>
          )}
          {label && <span className="flow-text">{label}</span>}
          {data && <ThreatBadge id={id} badge={data.badge} />}
        </div>
      </LabelPortal>
    </>
  );
}

/** A grant of the blast-radius view: function → a resource its grants reach. */
export function GrantEdge(props: EdgeProps<Edge<GrantData, "grant">>) {
  const { id, source, target } = props;
  const ends = useEnds(source, target, GRANT_SHIFT);
  if (!ends) return null;
  // Beside the line and towards its target, away from a flow label the core put mid-flow.
  const { x, y } = pointAt(ends.a, ends.b, { t: 0.72, off: -GRANT_SHIFT - 14 });
  return (
    <>
      <BaseEdge id={id} path={ends.path} markerEnd={props.markerEnd} className="tw-grant-path" />
      <LabelPortal>
        <div className="grant-label nodrag nopan" data-testid={`grant-${target}`} style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}>
          grant
        </div>
      </LabelPortal>
    </>
  );
}

export const edgeTypes: EdgeTypes = { flow: FlowEdge, grant: GrantEdge };
