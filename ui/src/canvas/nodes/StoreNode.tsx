// Data store: the classic open-ended box (two horizontal lines), glyph per store category.
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell from "./ElementShell";
import { useElementCategory } from "../../store/schema";

export default function StoreNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const cat = useElementCategory(e);
  return <ElementShell element={e} badge={data.badge} emph={data.emph} order={data.order} selected={!!selected} shape="shape-store" glyph={cat} subtitle={e.type} />;
}
