// Global keyboard shortcuts. In text fields only the file shortcuts apply, so typing is never
// hijacked; everything else goes to the document store. A key a panel already handled (its
// `preventDefault`, e.g. Ctrl+A or the arrows in the register) is left alone.
import { startSession } from "./session";
import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import { docStore, GRID } from "../store/document";
import { newModel, openDialog, quit, save, saveAs, togglePresenting, uiStore } from "./files";
import { canvasUi } from "../canvas/canvasUi";
import { cut, duplicate } from "../canvas/actions";

export function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

/** Shift+F10 / the Menu key: the context menu of the selected item (or of the canvas) at its place. */
function openMenuOnSelection(toScreen: (p: { x: number; y: number }) => { x: number; y: number }) {
  const { selection, model } = docStore.getState();
  const id = selection[0];
  const el = model.elements.find((e) => e.id === id);
  const b = model.boundaries.find((x) => x.id === id);
  const f = model.flows.find((x) => x.id === id);
  const at = el?.position ?? b?.position ?? { x: 0, y: 0 };
  const box = document.querySelector(".react-flow")?.getBoundingClientRect();
  const screen = el || b ? toScreen({ x: at.x + 24, y: at.y + 24 }) : { x: (box?.x ?? 0) + 40, y: (box?.y ?? 0) + 40 };
  const target = el ? ({ kind: "element", id } as const) : b ? ({ kind: "boundary", id } as const) : f ? ({ kind: "flow", id } as const) : ({ kind: "pane" } as const);
  canvasUi.setState({ menu: { x: screen.x, y: screen.y, target, at } });
}

export function useShortcuts() {
  const rf = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A panel handled the key itself (the register's grid: arrows, Ctrl+A): not the canvas's.
      if (e.defaultPrevented) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      const st = docStore.getState();
      const run = (f: () => void) => {
        e.preventDefault();
        f();
      };
      if (mod && k === "s") return run(() => void (e.shiftKey ? saveAs() : save()));
      if (mod && k === "o") return run(() => void openDialog());
      if (mod && k === "n") return run(() => void newModel());
      if (mod && k === "q") return run(() => void quit());
      if (mod && k === "f") return run(() => canvasUi.setState({ find: true, menu: null }));
      if (mod && e.key === ",") return run(() => uiStore.setState({ settings: true }));
      if (e.key === "Escape") {
        const c = canvasUi.getState();
        if (c.menu || c.find) return run(() => canvasUi.setState({ menu: null, find: false }));
        if (uiStore.getState().help) return run(() => uiStore.setState({ help: false }));
        if (uiStore.getState().newDialog) return run(() => uiStore.setState({ newDialog: false }));
        if (uiStore.getState().presenting && !isTyping(e.target)) return run(togglePresenting);
        if (!isTyping(e.target)) return run(() => st.select([]));
        return;
      }
      if (isTyping(e.target) || uiStore.getState().confirm || uiStore.getState().newDialog || uiStore.getState().recovery) return;
      if (mod && k === "z") return run(() => (e.shiftKey ? st.redo() : st.undo()));
      if (mod && k === "y") return run(() => st.redo());
      if (mod && k === "c") return run(() => st.copy());
      if (mod && k === "x") return run(cut);
      if (mod && k === "v") return run(() => st.paste());
      if (mod && k === "a") return run(() => st.selectAll());
      if (mod && k === "d") return run(() => duplicate(st.selection));
      if (mod && k === "g") return run(() => void startSession());
      if (mod) return;
      if (e.key === "F5") return run(togglePresenting);
      if (e.key === "F2" && st.selection.length === 1) return run(() => canvasUi.setState({ renaming: st.selection[0] }));
      if ((e.key === "F10" && e.shiftKey) || e.key === "ContextMenu") return run(() => openMenuOnSelection(rf.flowToScreenPosition));
      if (e.key === "Delete" || e.key === "Backspace") return run(() => st.deleteSelection());
      if (e.key === "?") return run(() => uiStore.setState({ help: !uiStore.getState().help }));
      if (e.key === "[" || e.key === "]") {
        const v = st.view;
        const g = st.analysis?.analysis.graph;
        const count = v.kind === "attack" ? (g?.attack_paths.length ?? 0) : v.kind === "loops" ? (g?.trigger_loops.length ?? 0) : 0;
        if (count > 1) return run(() => st.stepView(e.key === "]" ? 1 : -1, count));
        return;
      }
      if (k === "f") return run(() => void rf.fitView({ padding: 0.15, duration: 300 }));
      const step = e.shiftKey ? GRID * 4 : GRID;
      const arrows: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (arrows[e.key] && st.selection.length) return run(() => st.nudge(...arrows[e.key]));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rf]);
}
