// Transient state of the canvas tools, outside the document (never saved, never undone): the
// open context menu, the item being renamed in place, the find bar, and a palette item being
// dragged onto the canvas.
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { PaletteItem } from "../panels/paletteItems";

export type MenuTarget = { kind: "element" | "boundary" | "flow"; id: string } | { kind: "pane" };

export interface CanvasUi {
  /** The context menu: where it opened (client px), on what, and at which canvas point. */
  menu: { x: number; y: number; target: MenuTarget; at: { x: number; y: number } } | null;
  /** The element, boundary or flow whose name (a flow: its label) is being edited in place. */
  renaming: string | null;
  find: boolean;
  /** A palette item on its way to the canvas, and where the pointer is (client px). */
  drag: { item: PaletteItem; label: string; x: number; y: number } | null;
}

export const canvasUi = createStore<CanvasUi>()(() => ({ menu: null, renaming: null, find: false, drag: null }));
export const useCanvasUi = <T,>(sel: (s: CanvasUi) => T) => useStore(canvasUi, sel);
