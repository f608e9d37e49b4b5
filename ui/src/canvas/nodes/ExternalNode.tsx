// External entity: plain rectangle with a person or building glyph.
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell from "./ElementShell";
import { useElementCategory } from "../../store/schema";

export default function ExternalNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const cat = useElementCategory(e);
  const trust = e.properties.trust;
  const sub = typeof trust === "string" ? `${e.type} · ${trust}` : e.type;
  return <ElementShell element={e} badge={data.badge} emph={data.emph} order={data.order} selected={!!selected} shape="shape-external" glyph={cat} subtitle={sub} />;
}
