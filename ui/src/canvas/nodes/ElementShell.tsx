// Shared body of the four element shapes: handles on every side (loose connection mode, so a
// flow can start anywhere), glyph, name, subtitle and the open-threat badge. Each kind's file
// chooses the shape class, glyph and subtitle. The name wraps only between word parts
// (`nameParts`, rendered with <wbr>), is clamped to two lines by CSS, and shows in full on hover.
// Under a canvas view the node is emphasised (thick outline, its step on an attack path) or
// dimmed.
import { Handle, Position } from "@xyflow/react";
import { Fragment, type ReactNode } from "react";
import type { Element } from "../../bindings/Element";
import type { Badge, Emph } from "../convert";
import { nameParts, shownName } from "../../lib/names";
import Glyph from "./Glyph";
import ThreatBadge from "./ThreatBadge";

export default function ElementShell(props: {
  element: Element;
  badge: Badge;
  selected: boolean;
  shape: string;
  glyph: string | null;
  subtitle: ReactNode;
  emph?: Emph;
  order?: number;
}) {
  const { element, badge, selected, shape, glyph, subtitle, emph, order } = props;
  return (
    <div
      className={`tw-node ${shape}${selected ? " selected" : ""}${emph ? ` emph-${emph}` : ""}`}
      data-emph={emph}
      data-testid={`node-${element.id}`}
      data-kind={element.kind}
      data-name={element.name}
      title={`${shownName(element.name)} (${element.type})`}
    >
      <Handle type="target" position={Position.Left} id="l" />
      <Handle type="source" position={Position.Right} id="r" />
      <Handle type="source" position={Position.Top} id="t" />
      <Handle type="source" position={Position.Bottom} id="b" />
      <span className="node-glyph">
        <Glyph name={glyph} />
      </span>
      <span className="node-text">
        <span className="node-name" data-testid="node-name">
          {nameParts(shownName(element.name)).map((p, i) => (
            <Fragment key={i}>
              {i > 0 && <wbr />}
              {p}
            </Fragment>
          ))}
        </span>
        <span className="node-sub">{subtitle}</span>
      </span>
      <ThreatBadge id={element.id} badge={badge} />
      {order !== undefined && (
        <span className="path-step" data-testid={`path-step-${element.id}`} title={`Step ${order} of the attack path`}>
          {order}
        </span>
      )}
    </div>
  );
}
