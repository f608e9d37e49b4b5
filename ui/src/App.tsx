// Top-level layout of the main window: header, palette, canvas, inspector.
import { ReactFlowProvider } from "@xyflow/react";
import Header from "./components/Header";
import Palette from "./components/Palette";
import Canvas from "./components/Canvas";
import Inspector from "./components/Inspector";

export default function App() {
  return (
    <ReactFlowProvider>
      <div className="app-shell">
        <Header />
        <Palette />
        <main className="canvas-pane" aria-label="Model canvas">
          <Canvas />
        </main>
        <Inspector />
      </div>
    </ReactFlowProvider>
  );
}
