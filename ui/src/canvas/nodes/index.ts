// Registry of node kinds → components. A module-level constant so React Flow never re-mounts.
import type { NodeTypes } from "@xyflow/react";
import BoundaryNode from "./BoundaryNode";
import ExternalNode from "./ExternalNode";
import FunctionNode from "./FunctionNode";
import StoreNode from "./StoreNode";
import TriggerNode from "./TriggerNode";

export const nodeTypes: NodeTypes = {
  boundary: BoundaryNode,
  function: FunctionNode,
  trigger: TriggerNode,
  store: StoreNode,
  external: ExternalNode,
};
