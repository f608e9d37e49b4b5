// Top-level layout of the main window: header, palette, canvas, inspector, overlays. Loads the
// schema and the start-up model, keeps the window title in sync and runs the live analysis.
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useEffect, useRef } from "react";
import Header from "./app/Header";
import { Overlays } from "./app/Overlays";
import { baseName, quit, startup, uiStore, useUi } from "./app/files";
import { useAnalysis } from "./app/useAnalysis";
import { useFlowLabels } from "./app/useFlowLabels";
import { useShortcuts } from "./app/useShortcuts";
import { useMenu } from "./app/menu";
import Canvas from "./canvas/Canvas";
import { getSchema, onCloseRequested, setDocumentState, type CommandError } from "./ipc";
import Inspector from "./panels/Inspector";
import Palette from "./panels/Palette";
import Register from "./panels/Register";
import SessionPanel from "./panels/Session";
import Guide from "./help/Guide";
import Tour from "./help/Tour";
import { useWelcomed } from "./help/Welcome";
import { useAutosave } from "./app/autosave";
import { initTriageIdentity } from "./app/triage";
import { watchHistory } from "./app/history";
import { isDirty, useDoc } from "./store/document";
import { schemaStore } from "./store/schema";

function Shell() {
  useShortcuts();
  useMenu();
  useAnalysis();
  useFlowLabels();
  useAutosave();
  useWelcomed();
  const path = useDoc((s) => s.path);
  const dirty = useDoc(isDirty);
  const presenting = useUi((s) => !!s.presenting);
  const rf = useReactFlow();
  // Entering or leaving presentation mode resizes the canvas: fit the diagram to it.
  const wasPresenting = useRef(presenting);
  useEffect(() => {
    if (wasPresenting.current === presenting) return;
    wasPresenting.current = presenting;
    const t = setTimeout(() => rf.fitView({ padding: 0.08, maxZoom: 2, duration: 200 }), 80);
    return () => clearTimeout(t);
  }, [presenting, rf]);

  useEffect(() => {
    getSchema().then(
      (schema) => schemaStore.setState({ schema }),
      (e: CommandError) => uiStore.setState({ error: e }),
    );
    void startup();
    void initTriageIdentity();
    const unwatch = watchHistory();
    const unclose = onCloseRequested(() => void quit());
    return () => {
      unwatch();
      unclose();
    };
  }, []);

  useEffect(() => {
    const title = `${baseName(path)}${dirty ? " •" : ""} — Threatwright`;
    document.title = title;
    setDocumentState(title, dirty).catch(() => {
      /* no backend (browser tests): the document title is enough */
    });
  }, [path, dirty]);

  return (
    <div className={`app-shell${presenting ? " presenting" : ""}`} data-testid="app-shell">
      <Header />
      <Palette />
      <main className="canvas-pane" aria-label="Model canvas">
        <Canvas />
      </main>
      <Register />
      <Inspector />
      <SessionPanel />
      <Overlays />
      <Guide />
      <Tour />
    </div>
  );
}

export default function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}

