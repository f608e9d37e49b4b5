// Trust boundary: dashed, resizable container with a label tab; nested tabs are indented. It is
// grabbed by its tab or edges: its empty inside belongs to the canvas (see canvas-tools.css).
import { NodeResizer, type NodeProps } from "@xyflow/react";
import type { BoundaryNode as BNode } from "../convert";
import { docStore } from "../../store/document";
import { toAbsolute } from "../../lib/geometry";
import { shownName } from "../../lib/names";

export default function BoundaryNode({ id, data, selected }: NodeProps<BNode>) {
  const b = data.boundary;
  const untrusted = b.kind === "internet" || b.kind === "partner";
  return (
    <div className={`tw-boundary${untrusted ? " untrusted" : ""}${selected ? " selected" : ""}`} data-testid={`boundary-${id}`} data-name={b.name}>
      <NodeResizer
        isVisible={!!selected}
        minWidth={160}
        minHeight={96}
        onResizeEnd={(_e, p) => {
          const m = docStore.getState().model;
          const abs = toAbsolute(m, b.parent, { x: p.x, y: p.y });
          docStore.getState().resizeBoundary(id, { ...abs, width: p.width, height: p.height });
        }}
      />
      {(["top", "bottom", "left", "right"] as const).map((side) => (
        <span key={side} className={`boundary-edge ${side}`} aria-hidden="true" />
      ))}
      <div className={`boundary-tab depth-${Math.min(data.depth, 4)}`}>
        <span className="boundary-name">{shownName(b.name)}</span>
        <span className="boundary-kind">{b.kind}</span>
      </div>
    </div>
  );
}
