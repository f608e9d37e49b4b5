// Canvas commands shared by the context menu, the keyboard and the palette: each one edit of
// the document store (so one undo step), named for what the user asked.
import type { Model } from "../bindings/Model";
import { layoutModel, type CommandError } from "../ipc";
import { docStore } from "../store/document";
import { sameArrangement } from "../lib/geometry";
import { uiStore } from "../app/files";
import { boundaryAt, NODE_H, NODE_W, type Pt } from "../lib/geometry";
import { centreOf, spotIn } from "../lib/membership";

/** Copies of `ids` beside the originals; the clipboard keeps what the user copied. */
export function duplicate(ids: string[]): void {
  const st = docStore.getState();
  const { clipboard, pasteCount } = st;
  st.select(ids);
  st.copy();
  st.paste();
  docStore.setState({ clipboard, pasteCount });
}

/** Cut: the selection goes to the clipboard and off the canvas. */
export function cut(): void {
  const st = docStore.getState();
  st.copy();
  st.deleteSelection();
}

/** Auto-layout: the core lays the diagram out left to right, then `fit` shows all of it. */
export async function autoLayout(fit: () => void): Promise<void> {
  try {
    const before = docStore.getState().model;
    const laid = await layoutModel(before);
    // The same arrangement again is not an edit: the document stays clean and undo unchanged.
    if (!sameArrangement(before, laid)) docStore.getState().commit(() => laid);
    setTimeout(fit, 50);
  } catch (e) {
    uiStore.setState({ error: e as CommandError });
  }
}

/** Deletes `ids` (whatever is selected when the menu's target is part of the selection). */
export function remove(ids: string[]): void {
  const st = docStore.getState();
  st.select(ids);
  st.deleteSelection();
}

/** Reverses a flow's direction (its properties and data stay with it). */
export function reverseFlow(id: string): void {
  docStore.getState().commit((m) => {
    const f = m.flows.find((x) => x.id === id);
    if (!f || m.flows.some((x) => x.from === f.to && x.to === f.from)) return m;
    return { ...m, flows: m.flows.map((x) => (x.id === id ? { ...x, from: f.to, to: f.from } : x)) };
  });
}

/** The name shown (and renamed in place) for an element, a boundary or a flow's label. */
export function nameOf(model: Model, id: string): { name: string; kind: "element" | "boundary" | "flow" } | null {
  const e = model.elements.find((x) => x.id === id);
  if (e) return { name: e.name, kind: "element" };
  const b = model.boundaries.find((x) => x.id === id);
  if (b) return { name: b.name, kind: "boundary" };
  const f = model.flows.find((x) => x.id === id);
  return f ? { name: f.label, kind: "flow" } : null;
}

/** Renames an element or boundary, or relabels a flow; a blank name is refused (labels may be blank). */
export function rename(id: string, name: string): void {
  const st = docStore.getState();
  const what = nameOf(st.model, id);
  if (!what || what.name === name) return;
  if (what.kind === "flow") return st.updateFlow(id, { label: name.trim() });
  if (!name.trim()) return;
  if (what.kind === "element") st.updateElement(id, { name: name.trim() });
  else st.updateBoundary(id, { name: name.trim() });
}

/**
 * Where a node added by click goes: beside the selected element (to its right, in the same
 * boundary), else the free spot nearest the middle of the view, never on top of another node.
 */
export function placeForNew(model: Model, selection: string[], viewCentre: Pt): Pt {
  const sel = model.elements.find((e) => selection.includes(e.id) && e.position);
  if (sel?.position) {
    const right = { x: sel.position.x + NODE_W + 64, y: sel.position.y };
    const inside = spotIn(model, sel.boundary ?? null, right);
    if (inside) return inside;
  }
  const centred = { x: viewCentre.x - NODE_W / 2, y: viewCentre.y - NODE_H / 2 };
  const zone = boundaryAt(model, centreOf(centred));
  return spotIn(model, zone, centred) ?? spotIn(model, null, centred) ?? centred;
}
