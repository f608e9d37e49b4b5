// What a palette item carries through a drag or a click, and how it becomes a model edit.
import type { BoundaryKind } from "../bindings/BoundaryKind";
import type { ElementKind } from "../bindings/ElementKind";
import { docStore } from "../store/document";
import type { Pt } from "../lib/geometry";

export type PaletteItem =
  | { kind: "element"; type: string; elementKind: ElementKind; label: string }
  | { kind: "boundary"; boundaryKind: BoundaryKind };

/** Adds the item at `at` (absolute canvas coordinates of its top-left corner). */
export function addFromPalette(item: PaletteItem, at: Pt): string {
  const s = docStore.getState();
  return item.kind === "boundary"
    ? s.addBoundary(item.boundaryKind, at)
    : s.addElement({ type: item.type, kind: item.elementKind, label: item.label }, at);
}
