// Centre canvas: React Flow with background grid, zoom controls and minimap.
// While the model is empty it shows an empty-state message instead of a void.
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, type Edge, type Node } from "@xyflow/react";

const nodes: Node[] = [];
const edges: Edge[] = [];

export default function Canvas() {
  const empty = nodes.length === 0;
  return (
    <div className="canvas-wrap" data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        colorMode="system"
        snapToGrid
        snapGrid={[16, 16]}
        fitView
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
      {empty && (
        <div className="empty-state" role="status">
          <h1>Your model is empty</h1>
          <p>
            Drag a component from the palette onto the canvas to start modelling your serverless
            system. Templates and importers will appear here.
          </p>
        </div>
      )}
    </div>
  );
}
