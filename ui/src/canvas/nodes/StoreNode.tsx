// Data store: the classic open-ended box (two horizontal lines), glyph per store category.
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell, { categoryOf } from "./ElementShell";

export default function StoreNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  return <ElementShell element={e} badge={data.badge} selected={!!selected} shape="shape-store" glyph={categoryOf(e)} subtitle={e.type} />;
}
