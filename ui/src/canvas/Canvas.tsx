// Centre canvas: React Flow over the document store. Nodes/edges are derived from the model by
// the pure converters; while dragging or resizing, React Flow's changes are applied locally and
// committed to the store (one undo step) when the gesture ends. Hosts the canvas tools: the
// context menu, rename in place (double-click / F2), the find bar (Ctrl+F). The
// "Views" control emphasises a graph finding of the analysis; flow labels sit where the core
// placed them.
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnSelectionChangeParams,
  type ReactFlowState,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";
import { badgesOf, keepUnchanged, modelToFlow, type AppNode, type FlowEdge } from "./convert";
import { FarMiniMap, FarView, OWN_MINIMAP_FROM, useFarPicture } from "./FarView";
import { nodeTypes } from "./nodes";
import { edgeTypes } from "./edges/FlowEdge";
import { anchorsOf } from "./labels";
import { emphasisOf } from "./views";
import ViewsBar from "./ViewsBar";
import MembershipBanner from "./MembershipBanner";
import "./canvas-tools.css";
import { docStore, GRID, useDoc, type Move } from "../store/document";
import { toAbsolute, NODE_H, NODE_W, boundaryRect } from "../lib/geometry";
import TemplateGallery, { ImportButtons } from "../app/Gallery";
import Welcome from "../help/Welcome";
import { useUi } from "../app/files";
import ContextMenu from "./ContextMenu";
import RenameField from "./RenameField";
import FindBar from "./FindBar";
import { canvasUi, type MenuTarget } from "./canvasUi";

/**
 * Below this zoom names cannot be read: the canvas draws the far view (FarView.tsx) instead of
 * the element nodes and flow edges, which keeps zooming and panning a whole estate fluid. Only
 * crossing it re-renders the canvas.
 */
export const FAR_ZOOM = 0.4;
const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

const SEV_COLOUR: Record<string, string> = { critical: "#7f1d1d", high: "#dc2626", medium: "#f59e0b", low: "#65a30d" };

export default function Canvas() {
  const model = useDoc((s) => s.model);
  const selection = useDoc((s) => s.selection);
  const analysis = useDoc((s) => s.analysis?.analysis ?? null);
  const focus = useDoc((s) => s.focus);
  const view = useDoc((s) => s.view);
  const labels = useDoc((s) => s.labels);
  const rf = useReactFlow<AppNode, FlowEdge>();

  const emphasis = useMemo(() => emphasisOf(view, analysis, model, selection), [view, analysis, model, selection]);
  const emphasisRef = useRef(emphasis);
  emphasisRef.current = emphasis;
  // Once per answer of the core, not per frame: anchors against the model it placed them on.
  const anchors = useMemo(() => (labels ? anchorsOf(labels.model, labels.positions) : undefined), [labels]);
  const badges = useMemo(() => badgesOf(analysis), [analysis]);
  const derived = useMemo(() => modelToFlow(model, selection, badges, emphasis, anchors), [model, selection, badges, emphasis, anchors]);
  const [nodes, setNodes] = useState<AppNode[]>(derived.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(derived.edges);
  // Far out, the far view draws the elements and flows; React Flow keeps only the boundaries.
  const far = useStore(isFar);
  const ownMinimap = far || model.elements.length >= OWN_MINIMAP_FROM;
  const picture = useFarPicture(ownMinimap, model, badges, selection, emphasis);
  const shown = useMemo(
    () => (far ? { nodes: nodes.map((n) => (n.type === "boundary" ? n : { ...n, hidden: true })), edges: edges.map((e) => ({ ...e, hidden: true })) } : { nodes, edges }),
    [far, nodes, edges],
  );
  useEffect(() => {
    // Keep React Flow's measured sizes so re-derived nodes do not flicker while re-measuring,
    // and the objects of what did not change, so React Flow redraws only what did.
    setNodes((prev) => {
      const measured = new Map(prev.map((n) => [n.id, n.measured]));
      const next = derived.nodes.map((n) => {
        const m = measured.get(n.id);
        return m && (m.width !== n.measured?.width || m.height !== n.measured?.height) ? { ...n, measured: m } : n;
      });
      return keepUnchanged(prev, next);
    });
    setEdges((prev) => keepUnchanged(prev, derived.edges));
  }, [derived]);

  // Fit a freshly loaded document in view once React Flow has measured it (the only initial
  // fit: fitting everything first would draw every node of a large model at the minimum zoom).
  const loads = useDoc((s) => s.loads);
  useEffect(() => {
    if (!loads) return;
    // A floor on the zoom keeps labels readable; F fits everything.
    const t = setTimeout(() => void rf.fitView({ padding: 0.08, maxZoom: 1.1, minZoom: 0.6 }), 80);
    return () => clearTimeout(t);
  }, [loads, rf]);

  // Centre on a threat's target when asked (clicking a threat in any list).
  useEffect(() => {
    if (!focus) return;
    const m = docStore.getState().model;
    const el = m.elements.find((e) => e.id === focus.id);
    const fl = m.flows.find((f) => f.id === focus.id);
    const centre = (id: string) => {
      const e = m.elements.find((x) => x.id === id);
      return e?.position ? { x: e.position.x + NODE_W / 2, y: e.position.y + NODE_H / 2 } : null;
    };
    let pt = el ? centre(el.id) : null;
    if (fl) {
      const a = centre(fl.from);
      const b = centre(fl.to);
      if (a && b) pt = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
    const br = boundaryRect(m, focus.id);
    if (br) pt = { x: br.x + br.width / 2, y: br.y + br.height / 2 };
    if (pt) rf.setCenter(pt.x, pt.y, { zoom: Math.max(rf.getZoom(), 0.9), duration: 300 });
  }, [focus, rf]);

  // Stepping through attack paths or loops brings the shown one into view (on a big model the
  // fitted diagram is too small to follow a path). Only when the step changes, not per analysis.
  const stepKey = view.kind === "attack" || view.kind === "loops" ? `${view.kind}:${view.step}` : null;
  useEffect(() => {
    if (!stepKey) return;
    const ids = [...(emphasisRef.current?.nodes ?? [])];
    if (!ids.length) return;
    const t = setTimeout(() => void rf.fitView({ nodes: ids.map((id) => ({ id })), padding: 0.25, maxZoom: 1.1, duration: 300 }), 50);
    return () => clearTimeout(t);
  }, [stepKey, rf]);

  const onNodesChange = useCallback((changes: NodeChange<AppNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setEdges((es) => applyEdgeChanges(changes, es));
  }, []);

  const onNodeDragStop = useCallback((_e: unknown, _node: AppNode, dragged: AppNode[]) => {
    const m = docStore.getState().model;
    const moves: Move[] = dragged.map((n) => {
      const parent = n.type === "boundary" ? m.boundaries.find((b) => b.id === n.id)?.parent : m.elements.find((e) => e.id === n.id)?.boundary;
      return { id: n.id, ...toAbsolute(m, parent, n.position) };
    });
    docStore.getState().moveItems(moves);
  }, []);

  const onSelectionChange = useCallback(({ nodes, edges }: OnSelectionChangeParams) => {
    docStore.getState().select([...nodes.map((n) => n.id), ...edges.map((e) => e.id)]);
  }, []);

  // Clicking the empty canvas ends a threat's highlight (a toggled view stays until toggled off).
  const onPaneClick = useCallback(() => {
    // Deselect in the store first: re-deriving the nodes with the old selection while React
    // Flow is clearing its own would make the two fight over it.
    const st = docStore.getState();
    st.select([]);
    if (st.view.threat) st.showThreat(null);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const id = docStore.getState().addFlow(c.source, c.target);
    if (id) docStore.getState().select([id]);
  }, []);

  // Dropping a connection anywhere on a node (not only on its handle dot) also connects.
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromNode) return;
    const pt = "changedTouches" in event ? event.changedTouches[0] : event;
    const hit = document.elementFromPoint(pt.clientX, pt.clientY)?.closest(".react-flow__node");
    const to = hit?.getAttribute("data-id");
    if (!to || to === state.fromNode.id) return;
    const from = state.fromHandle?.type === "target" ? to : state.fromNode.id;
    const target = state.fromHandle?.type === "target" ? state.fromNode.id : to;
    const id = docStore.getState().addFlow(from, target);
    if (id) docStore.getState().select([id]);
  }, []);

  // Right-click: the target joins the selection unless it is already part of it.
  const openMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent, target: MenuTarget) => {
      e.preventDefault();
      const st = docStore.getState();
      if (target.kind !== "pane" && !st.selection.includes(target.id)) st.select([target.id]);
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      canvasUi.setState({ menu: { x: e.clientX, y: e.clientY, target, at }, renaming: null });
    },
    [rf],
  );
  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent, n: AppNode) => openMenu(e, { kind: n.type === "boundary" ? "boundary" : "element", id: n.id }),
    [openMenu],
  );
  const onEdgeContextMenu = useCallback(
    (e: ReactMouseEvent, ed: FlowEdge) => {
      if (ed.type === "flow") openMenu(e, { kind: "flow", id: ed.id });
      else e.preventDefault();
    },
    [openMenu],
  );
  const onPaneContextMenu = useCallback((e: ReactMouseEvent | MouseEvent) => openMenu(e, { kind: "pane" }), [openMenu]);
  const onNodeDoubleClick = useCallback((_e: ReactMouseEvent, n: AppNode) => canvasUi.setState({ renaming: n.id }), []);
  const onEdgeDoubleClick = useCallback((_e: ReactMouseEvent, ed: FlowEdge) => {
    if (ed.type === "flow") canvasUi.setState({ renaming: ed.id });
  }, []);
  const [wrap, setWrap] = useState<HTMLDivElement | null>(null);

  // While a model is being opened the canvas waits for it instead of offering the templates.
  const opening = useUi((u) => u.opening);
  const empty = model.elements.length === 0 && model.boundaries.length === 0 && !opening;
  return (
    <div className="canvas-wrap" data-testid="canvas" ref={setWrap}>
      <ReactFlow<AppNode, FlowEdge>
        nodes={shown.nodes}
        edges={shown.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onPaneClick={onPaneClick}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onNodeDoubleClick={onNodeDoubleClick}
        onEdgeDoubleClick={onEdgeDoubleClick}
        zoomOnDoubleClick={false}
        connectionRadius={32}
        connectionMode={ConnectionMode.Loose}
        colorMode="system"
        snapToGrid
        snapGrid={[GRID, GRID]}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Control", "Meta", "Shift"]}
        disableKeyboardA11y
        minZoom={0.15}
        maxZoom={2.5}
        elevateNodesOnSelect={false}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} />
        {!empty && <ViewsBar emphasis={emphasis} />}
        <Controls />
        {picture && far && <FarView picture={picture} onMenu={(e, id) => openMenu(e, { kind: "element", id })} />}
        {picture ? (
          <FarMiniMap picture={picture} />
        ) : (
        <MiniMap
          pannable
          zoomable
          nodeStrokeWidth={2}
          nodeColor={(n) => {
            if (n.type === "boundary") return "transparent";
            const top = (n.data as { badge?: { top: string | null } }).badge?.top;
            return top ? SEV_COLOUR[top] : "#94a3b8";
          }}
        />
        )}
      </ReactFlow>
      <MembershipBanner />
      <FindBar />
      <RenameField wrap={wrap} />
      <ContextMenu />
      {empty && (
        <div className="empty-state" role="region" aria-label="Start a model" data-testid="empty-state">
          <Welcome />
          <ImportButtons />
          <TemplateGallery />
        </div>
      )}
    </div>
  );
}
