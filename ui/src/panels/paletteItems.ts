// What a palette item carries through drag-and-drop or a click, and how it becomes a model edit.
import type { BoundaryKind } from "../bindings/BoundaryKind";
import type { ElementKind } from "../bindings/ElementKind";
import { docStore } from "../store/document";
import type { Pt } from "../lib/geometry";

export const PALETTE_MIME = "application/x-threatwright-item";

export type PaletteItem =
  | { kind: "element"; type: string; elementKind: ElementKind; label: string }
  | { kind: "boundary"; boundaryKind: BoundaryKind };

export function parsePaletteItem(text: string): PaletteItem | null {
  try {
    const v = JSON.parse(text) as PaletteItem;
    return v && (v.kind === "element" || v.kind === "boundary") ? v : null;
  } catch {
    return null;
  }
}

/** Adds the item at `at` (absolute canvas coordinates of its top-left corner). */
export function addFromPalette(item: PaletteItem, at: Pt): string {
  const s = docStore.getState();
  return item.kind === "boundary"
    ? s.addBoundary(item.boundaryKind, at)
    : s.addElement({ type: item.type, kind: item.elementKind, label: item.label }, at);
}
