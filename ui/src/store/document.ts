// The document store: the model being edited (the source of truth, in the core's own shape
// with ABSOLUTE positions), undo/redo history, selection, clipboard and the latest analysis.
// Built by a factory so tests can seed it; the app uses one instance (`docStore`). Every edit
// goes through `commit`, so every edit — moves, property edits, deletes — is undoable.
import { createContext, useContext } from "react";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { AnalysisReport } from "../bindings/AnalysisReport";
import type { Boundary } from "../bindings/Boundary";
import type { BoundaryKind } from "../bindings/BoundaryKind";
import type { Classification } from "../bindings/Classification";
import type { DataAsset } from "../bindings/DataAsset";
import type { Element } from "../bindings/Element";
import type { ElementKind } from "../bindings/ElementKind";
import type { Flow } from "../bindings/Flow";
import type { Model } from "../bindings/Model";
import type { TriageDecision } from "../bindings/TriageDecision";
import type { Value } from "../bindings/Value";
import type { LabelPosition } from "../bindings/LabelPosition";
import { NO_VIEW, showThreat, stepView, toggleView, type ViewKind, type ViewState } from "../canvas/views";
import { boundaryRect, DEFAULT_BOUNDARY, descendantBoundaries, NODE_H, NODE_W, type Pt, type Rect } from "../lib/geometry";
import { reconcile, spotIn } from "../lib/membership";

export const GRID = 16;

const HISTORY_LIMIT = 200;
const MERGE_WINDOW_MS = 1500;

/**
 * A blank model. `risk` is left out on purpose: the core fills in its own defaults
 * (`#[serde(default)]`) when the model crosses IPC, so they are never copied here.
 */
export function emptyModel(name = "Untitled model"): Model {
  const blank: Omit<Model, "risk"> = { name, description: "", version: "", author: "", scope: "", assets: [], boundaries: [], elements: [], flows: [], grants: [], triage: [], session: [] };
  return blank as Model;
}

export const newId = (): string => crypto.randomUUID();
const snap = (v: number) => Math.round(v / GRID) * GRID;

export interface NewElement {
  type: string;
  kind: ElementKind;
  label: string;
}

export interface Clipboard {
  elements: Element[];
  boundaries: Boundary[];
  flows: Flow[];
}

export interface Move {
  id: string;
  x: number;
  y: number;
}

export interface DocState {
  model: Model;
  /** The model as last saved/loaded; `dirty` = model differs from it. */
  saved: Model;
  path: string | null;
  past: Model[];
  future: Model[];
  lastMerge: { key: string; at: number } | null;
  selection: string[];
  clipboard: Clipboard | null;
  pasteCount: number;
  analysis: AnalysisReport | null;
  /** Incremented by `load`, so the canvas fits the new document in view. */
  loads: number;
  /** Incremented to ask the canvas to centre on `focus.id`. */
  focus: { id: string; n: number } | null;
  /** What the canvas emphasises (a graph finding of the analysis, or a threat's highlight). */
  view: ViewState;
  /** The core's flow label positions and the model they were placed on (null until it answered). */
  labels: { model: Model; positions: LabelPosition[] } | null;
}

export interface DocActions {
  load(model: Model, path: string | null): void;
  /** Opens a model that is not saved anywhere yet (an import): untitled and dirty. */
  loadUnsaved(model: Model): void;
  /** Records (or, for "open" without a note, removes) the triage decision on a threat. */
  /** Replaces the triage decisions (as the core's `triage_threat` recorded them) as one undoable edit. */
  setTriage(triage: TriageDecision[], mergeKey?: string): void;
  markSaved(path: string): void;
  commit(edit: (m: Model) => Model, mergeKey?: string): void;
  undo(): void;
  redo(): void;
  select(ids: string[]): void;
  selectAll(): void;
  focusOn(id: string): void;
  setAnalysis(report: AnalysisReport | null): void;
  /** Turns a canvas view on, or off when it is on. */
  toggleView(kind: ViewKind): void;
  /** Shows the next (1) or previous (-1) attack path or trigger loop of the current view. */
  stepView(delta: number, count: number): void;
  /** Shows a threat's highlight on the canvas (null clears it). */
  showThreat(id: string | null): void;
  setLabels(model: Model, positions: LabelPosition[]): void;
  addElement(spec: NewElement, at: Pt): string;
  addBoundary(kind: BoundaryKind, at: Pt): string;
  addFlow(from: string, to: string): string | null;
  moveItems(moves: Move[], mergeKey?: string): void;
  resizeBoundary(id: string, rect: Rect): void;
  nudge(dx: number, dy: number): void;
  deleteSelection(): void;
  copy(): void;
  paste(): void;
  updateElement(id: string, patch: Partial<Element>, mergeKey?: string): void;
  /** Moves elements into a boundary (null: out of every boundary), drawn and as members, in one step. */
  bringInto(ids: string[], boundary: string | null): void;
  updateBoundary(id: string, patch: Partial<Boundary>, mergeKey?: string): void;
  updateFlow(id: string, patch: Partial<Flow>, mergeKey?: string): void;
  setProperty(id: string, name: string, value: Value | undefined, mergeKey?: string): void;
  addAsset(name: string, classification: Classification): string;
  updateAsset(id: string, patch: Partial<DataAsset>, mergeKey?: string): void;
  removeAsset(id: string): void;
  setModelName(name: string): void;
}

export type DocStore = ReturnType<typeof createDocStore>;

function uniqueName(model: Model, base: string): string {
  const names = new Set([...model.elements.map((e) => e.name), ...model.boundaries.map((b) => b.name)]);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}

function withProps(props: Record<string, Value>, name: string, value: Value | undefined) {
  const next = { ...props };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/** Shifts every element and boundary inside `id` (transitively) by (dx, dy). */
function shiftContent(model: Model, id: string, dx: number, dy: number): Model {
  const inside = descendantBoundaries(model, id);
  inside.add(id);
  return {
    ...model,
    boundaries: model.boundaries.map((b) =>
      b.id !== id && inside.has(b.id) && b.position ? { ...b, position: { x: b.position.x + dx, y: b.position.y + dy } } : b,
    ),
    elements: model.elements.map((e) =>
      e.boundary && inside.has(e.boundary) && e.position ? { ...e, position: { x: e.position.x + dx, y: e.position.y + dy } } : e,
    ),
  };
}

/**
 * Moves each element of `ids` to a free spot inside `boundary` (or outside every boundary) and
 * applies `patch` to it; a boundary too full to take it grows downwards. Membership then
 * follows the drawing (`reconcile`).
 */
function moveInto(model: Model, ids: string[], boundary: string | null, patch: (e: Element) => Element): Model {
  let m = model;
  for (const id of ids) {
    const el = m.elements.find((e) => e.id === id);
    if (!el) continue;
    if ((el.boundary ?? null) === boundary && el.position) {
      m = { ...m, elements: m.elements.map((e) => (e.id === id ? patch(e) : e)) };
      continue;
    }
    const near = el.position ?? null;
    let at = spotIn(m, boundary, near, id);
    if (!at && boundary) {
      // Full: grow the boundary by one row at the bottom and use it.
      const r = boundaryRect(m, boundary)!;
      const grown = { width: Math.max(r.width, NODE_W + 48), height: r.height + NODE_H + 48 };
      m = { ...m, boundaries: m.boundaries.map((b) => (b.id === boundary ? { ...b, size: grown } : b)) };
      at = spotIn(m, boundary, { x: r.x + 24, y: r.y + r.height }, id);
    }
    if (!at) continue;
    const position = { x: snap(at.x), y: snap(at.y) };
    m = { ...m, elements: m.elements.map((e) => (e.id === id ? { ...patch(e), position } : e)) };
  }
  return reconcile(m);
}

export function createDocStore(initial: Model = emptyModel(), path: string | null = null) {
  return createStore<DocState & DocActions>()((set, get) => ({
    model: initial,
    saved: initial,
    path,
    past: [],
    future: [],
    lastMerge: null,
    selection: [],
    clipboard: null,
    pasteCount: 0,
    analysis: null,
    focus: null,
    loads: 0,
    view: NO_VIEW,
    labels: null,

    load(model, path) {
      set({ model, saved: model, path, past: [], future: [], selection: [], lastMerge: null, analysis: null, view: NO_VIEW, labels: null, loads: get().loads + 1 });
    },
    loadUnsaved(model) {
      get().load(model, null);
      set({ saved: emptyModel(model.name) });
    },
    setTriage(triage, mergeKey) {
      get().commit((m) => ({ ...m, triage }), mergeKey);
    },
    markSaved(path) {
      set({ saved: get().model, path });
    },
    commit(edit, mergeKey) {
      const { model, past, lastMerge } = get();
      const next = edit(model);
      if (next === model) return;
      const now = Date.now();
      const merge = mergeKey !== undefined && lastMerge?.key === mergeKey && now - lastMerge.at < MERGE_WINDOW_MS;
      set({
        model: next,
        past: merge ? past : [...past, model].slice(-HISTORY_LIMIT),
        future: [],
        lastMerge: mergeKey !== undefined ? { key: mergeKey, at: now } : null,
      });
    },
    undo() {
      const { past, model, future } = get();
      if (!past.length) return;
      const prev = past[past.length - 1];
      set({ model: prev, past: past.slice(0, -1), future: [model, ...future], lastMerge: null });
      get().select(get().selection);
    },
    redo() {
      const { past, model, future } = get();
      if (!future.length) return;
      set({ model: future[0], past: [...past, model], future: future.slice(1), lastMerge: null });
      get().select(get().selection);
    },
    select(ids) {
      const m = get().model;
      const exists = new Set([...m.elements.map((e) => e.id), ...m.boundaries.map((b) => b.id), ...m.flows.map((f) => f.id)]);
      const next = ids.filter((id) => exists.has(id));
      const cur = get().selection;
      if (next.length === cur.length && next.every((id, i) => id === cur[i])) return;
      set({ selection: next });
    },
    selectAll() {
      const m = get().model;
      set({ selection: [...m.boundaries.map((b) => b.id), ...m.elements.map((e) => e.id), ...m.flows.map((f) => f.id)] });
    },
    focusOn(id) {
      set({ selection: [id], focus: { id, n: (get().focus?.n ?? 0) + 1 } });
    },
    setAnalysis(report) {
      set({ analysis: report });
    },
    toggleView(kind) {
      set({ view: toggleView(get().view, kind) });
    },
    stepView(delta, count) {
      set({ view: stepView(get().view, delta, count) });
    },
    showThreat(id) {
      set({ view: showThreat(get().view, id) });
    },
    setLabels(model, positions) {
      set({ labels: { model, positions } });
    },
    addElement(spec, at) {
      const id = newId();
      get().commit((m) => {
        const position = { x: snap(at.x), y: snap(at.y) };
        const el: Element = {
          id,
          name: uniqueName(m, spec.label),
          kind: spec.kind,
          type: spec.type,
          boundary: null, // reconcile: the boundary it is drawn in
          description: "",
          properties: {},
          assets: [],
          mitigations: [],
          position,
        };
        return reconcile({ ...m, elements: [...m.elements, el] });
      });
      set({ selection: [id] });
      return id;
    },
    addBoundary(kind, at) {
      const id = newId();
      get().commit((m) => {
        const position = { x: snap(at.x), y: snap(at.y) };
        const label = kind === "vpc" ? "VPC" : kind.charAt(0).toUpperCase() + kind.slice(1);
        const b: Boundary = { id, name: uniqueName(m, label), kind, parent: null, description: "", position, size: { ...DEFAULT_BOUNDARY } };
        // A boundary drawn over elements (or boundaries) adopts them.
        return reconcile({ ...m, boundaries: [...m.boundaries, b] });
      });
      set({ selection: [id] });
      return id;
    },
    addFlow(from, to) {
      const m = get().model;
      if (from === to || !m.elements.some((e) => e.id === from) || !m.elements.some((e) => e.id === to)) return null;
      if (m.flows.some((f) => f.from === from && f.to === to)) return null;
      const id = newId();
      get().commit((m) => ({ ...m, flows: [...m.flows, { id, from, to, label: "", properties: {}, assets: [] }] }));
      return id;
    },
    moveItems(moves, mergeKey) {
      if (!moves.length) return;
      get().commit((model) => {
        let m = model;
        const ids = new Set(moves.map((mv) => mv.id));
        const ancestorMoved = (b: string | null | undefined): boolean => {
          for (let cur = b ?? null, i = 0; cur && i < 64; i++) {
            if (ids.has(cur)) return true;
            cur = m.boundaries.find((x) => x.id === cur)?.parent ?? null;
          }
          return false;
        };
        // Content of a moved boundary moves with it; its own move entry would count twice.
        const own = moves.filter((mv) => {
          const e = model.elements.find((x) => x.id === mv.id);
          if (e) return !ancestorMoved(e.boundary);
          const b = model.boundaries.find((x) => x.id === mv.id);
          return b ? !ancestorMoved(b.parent) : false;
        });
        for (const mv of own) {
          const x = snap(mv.x);
          const y = snap(mv.y);
          const b = m.boundaries.find((b) => b.id === mv.id);
          if (b) {
            const p = b.position ?? { x: 0, y: 0 };
            if (p.x === x && p.y === y) continue;
            m = shiftContent(m, b.id, x - p.x, y - p.y);
            m = { ...m, boundaries: m.boundaries.map((o) => (o.id === b.id ? { ...o, position: { x, y } } : o)) };
          } else {
            m = { ...m, elements: m.elements.map((e) => (e.id === mv.id ? { ...e, position: { x, y } } : e)) };
          }
        }
        return m === model ? model : reconcile(m);
      }, mergeKey);
    },
    resizeBoundary(id, rect) {
      get().commit((m) => {
        const next = {
          ...m,
          boundaries: m.boundaries.map((b) =>
            b.id === id
              ? { ...b, position: { x: snap(rect.x), y: snap(rect.y) }, size: { width: Math.max(160, snap(rect.width)), height: Math.max(96, snap(rect.height)) } }
              : b,
          ),
        };
        // What the new outline encloses now belongs to it; what it no longer encloses leaves.
        return reconcile(next);
      });
    },
    nudge(dx, dy) {
      const { selection, model } = get();
      const sel = new Set(selection);
      const moves: Move[] = [];
      for (const b of model.boundaries) {
        if (!sel.has(b.id) || (b.parent && sel.has(b.parent))) continue;
        const p = b.position ?? { x: 0, y: 0 };
        moves.push({ id: b.id, x: p.x + dx, y: p.y + dy });
      }
      for (const e of model.elements) {
        if (!sel.has(e.id) || (e.boundary && sel.has(e.boundary))) continue;
        const p = e.position ?? { x: 0, y: 0 };
        moves.push({ id: e.id, x: p.x + dx, y: p.y + dy });
      }
      // One undo step per burst of arrow presses on the same selection.
      get().moveItems(moves, `nudge:${selection.join(",")}`);
    },
    deleteSelection() {
      const sel = new Set(get().selection);
      if (!sel.size) return;
      get().commit((m) => {
        // Deleting a boundary keeps its content: children move up to the parent boundary.
        const removedB = m.boundaries.filter((b) => sel.has(b.id));
        const parentOf = new Map(removedB.map((b) => [b.id, b.parent ?? null]));
        const lift = (id: string | null): string | null => {
          let cur = id;
          let guard = 0;
          while (cur && parentOf.has(cur) && guard++ < 64) cur = parentOf.get(cur) ?? null;
          return cur;
        };
        const elements = m.elements.filter((e) => !sel.has(e.id)).map((e) => (e.boundary && parentOf.has(e.boundary) ? { ...e, boundary: lift(e.boundary) } : e));
        const alive = new Set(elements.map((e) => e.id));
        return reconcile({
          ...m,
          boundaries: m.boundaries.filter((b) => !sel.has(b.id)).map((b) => (b.parent && parentOf.has(b.parent) ? { ...b, parent: lift(b.parent) } : b)),
          elements,
          flows: m.flows.filter((f) => !sel.has(f.id) && alive.has(f.from) && alive.has(f.to)),
          grants: m.grants.filter((g) => alive.has(g.principal)),
        });
      });
      set({ selection: [] });
    },
    copy() {
      const { model, selection } = get();
      const sel = new Set(selection);
      const elements = model.elements.filter((e) => sel.has(e.id));
      const ids = new Set(elements.map((e) => e.id));
      set({
        clipboard: {
          elements,
          boundaries: model.boundaries.filter((b) => sel.has(b.id)),
          flows: model.flows.filter((f) => ids.has(f.from) && ids.has(f.to)),
        },
        pasteCount: 0,
      });
    },
    paste() {
      const clip = get().clipboard;
      if (!clip || (!clip.elements.length && !clip.boundaries.length)) return;
      const n = get().pasteCount + 1;
      const d = 2 * GRID * n;
      const map = new Map<string, string>();
      for (const x of [...clip.elements, ...clip.boundaries, ...clip.flows]) map.set(x.id, newId());
      const remap = (id: string | null) => (id && map.has(id) ? map.get(id)! : id);
      get().commit((m) => {
        const boundaries = clip.boundaries.map((b) => ({
          ...b,
          id: map.get(b.id)!,
          name: uniqueName(m, b.name),
          parent: remap(b.parent ?? null),
          position: b.position ? { x: b.position.x + d, y: b.position.y + d } : null,
        }));
        const elements = clip.elements.map((e) => ({
          ...e,
          id: map.get(e.id)!,
          name: uniqueName(m, e.name),
          boundary: remap(e.boundary ?? null),
          position: e.position ? { x: e.position.x + d, y: e.position.y + d } : null,
        }));
        const flows = clip.flows.map((f) => ({ ...f, id: map.get(f.id)!, from: map.get(f.from)!, to: map.get(f.to)! }));
        return reconcile({ ...m, boundaries: [...m.boundaries, ...boundaries], elements: [...m.elements, ...elements], flows: [...m.flows, ...flows] });
      });
      set({ selection: [...map.values()], pasteCount: n });
    },
    updateElement(id, patch, mergeKey) {
      const { boundary, ...rest } = patch;
      const el = get().model.elements.find((e) => e.id === id);
      // Membership is drawn: choosing a boundary moves the element into it.
      if (el && boundary !== undefined && (boundary ?? null) !== (el.boundary ?? null)) {
        get().commit((m) => moveInto(m, [id], boundary ?? null, (e) => ({ ...e, ...rest })));
        return;
      }
      get().commit((m) => ({ ...m, elements: m.elements.map((e) => (e.id === id ? { ...e, ...patch } : e)) }), mergeKey);
    },
    bringInto(ids, boundary) {
      get().commit((m) => moveInto(m, ids, boundary, (e) => e));
    },
    updateBoundary(id, patch, mergeKey) {
      get().commit((m) => ({ ...m, boundaries: m.boundaries.map((b) => (b.id === id ? { ...b, ...patch } : b)) }), mergeKey);
    },
    updateFlow(id, patch, mergeKey) {
      get().commit((m) => ({ ...m, flows: m.flows.map((f) => (f.id === id ? { ...f, ...patch } : f)) }), mergeKey);
    },
    setProperty(id, name, value, mergeKey) {
      get().commit(
        (m) => ({
          ...m,
          elements: m.elements.map((e) => (e.id === id ? { ...e, properties: withProps(e.properties as Record<string, Value>, name, value) } : e)),
          flows: m.flows.map((f) => (f.id === id ? { ...f, properties: withProps(f.properties as Record<string, Value>, name, value) } : f)),
        }),
        mergeKey,
      );
    },
    addAsset(name, classification) {
      const id = newId();
      get().commit((m) => ({ ...m, assets: [...m.assets, { id, name, classification, tags: [], description: "" }] }));
      return id;
    },
    updateAsset(id, patch, mergeKey) {
      get().commit((m) => ({ ...m, assets: m.assets.map((a) => (a.id === id ? { ...a, ...patch } : a)) }), mergeKey);
    },
    removeAsset(id) {
      get().commit((m) => ({
        ...m,
        assets: m.assets.filter((a) => a.id !== id),
        elements: m.elements.map((e) => (e.assets.includes(id) ? { ...e, assets: e.assets.filter((a) => a !== id) } : e)),
        flows: m.flows.map((f) => (f.assets.includes(id) ? { ...f, assets: f.assets.filter((a) => a !== id) } : f)),
      }));
    },
    setModelName(name) {
      get().commit((m) => ({ ...m, name }), "model-name");
    },
  }));
}

/** The app's single document store. */
export const docStore = createDocStore();

/** The document store components read: the app's by default, a test's own through `DocProvider`. */
const DocContext = createContext<DocStore>(docStore);
export const DocProvider = DocContext.Provider;

/** The document store of the surrounding `DocProvider` (for actions; render with `useDoc`). */
export function useDocStore(): DocStore {
  return useContext(DocContext);
}

/** React hook over the surrounding document store. */
export function useDoc<T>(selector: (s: DocState & DocActions) => T): T {
  return useStore(useDocStore(), selector);
}

export const isDirty = (s: DocState) => s.model !== s.saved;
