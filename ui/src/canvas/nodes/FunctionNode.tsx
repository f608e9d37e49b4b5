// Process (function): rounded rectangle, λ-like glyph, runtime under the name.
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell from "./ElementShell";
import { useElementCategory } from "../../store/schema";

export default function FunctionNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const cat = useElementCategory(e);
  const runtime = e.properties.runtime;
  const sub = typeof runtime === "string" && runtime ? runtime : e.type;
  return <ElementShell element={e} badge={data.badge} emph={data.emph} order={data.order} selected={!!selected} shape="shape-function" glyph={cat} subtitle={sub} />;
}
