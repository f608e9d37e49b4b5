// Data flow: arrow with a short label; encrypted flows solid, unencrypted dashed; an
// unauthenticated flow gets a small open-lock mark; the open-threat badge sits on the label.
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import type { FlowEdge as FE } from "../convert";
import Glyph from "../nodes/Glyph";
import { docStore } from "../../store/document";
import ThreatBadge from "../nodes/ThreatBadge";

export function FlowEdge(props: EdgeProps<FE>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const flow = data?.flow;
  const encrypted = flow?.properties.encrypted === true;
  const unauth = flow?.properties.authenticated === false;
  const label = flow?.label || (typeof flow?.properties.protocol === "string" ? flow.properties.protocol : "");
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={props.markerEnd}
        className={`tw-flow${encrypted ? " encrypted" : " unencrypted"}${selected ? " selected" : ""}`}
        interactionWidth={18}
      />
      <EdgeLabelRenderer>
        <div
          className={`flow-label nodrag nopan${selected ? " selected" : ""}`}
          data-testid={`flow-${id}`}
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
      </EdgeLabelRenderer>
    </>
  );
}

export const edgeTypes: EdgeTypes = { flow: FlowEdge };
