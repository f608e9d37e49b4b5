// Trigger: rounded rectangle with a glyph per trigger category (API, queue, topic, …).
import type { NodeProps } from "@xyflow/react";
import type { ElementNode } from "../convert";
import ElementShell from "./ElementShell";
import { useElementCategory } from "../../store/schema";

export default function TriggerNode({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const auth = e.properties.auth;
  const cat = useElementCategory(e);
  const sub = typeof auth === "string" ? `${e.type} · auth ${auth}` : e.type;
  return <ElementShell element={e} badge={data.badge} emph={data.emph} order={data.order} selected={!!selected} shape="shape-trigger" glyph={cat} subtitle={sub} />;
}
