// Process (function): rounded rectangle, λ-like glyph, runtime under the name.
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell, { categoryOf } from "./ElementShell";

export default function FunctionNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const runtime = e.properties.runtime;
  const sub = typeof runtime === "string" && runtime ? runtime : e.type;
  return <ElementShell element={e} badge={data.badge} selected={!!selected} shape="shape-function" glyph={categoryOf(e)} subtitle={sub} />;
}
