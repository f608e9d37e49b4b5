// Left palette: stencils grouped Compute / Triggers / Stores / External / Boundaries, from the
// core's vendor-type catalog. A vendor switch picks AWS / Azure / GCP / generic variants; the
// search box looks across every vendor ("sqs"). Drag onto the canvas (pointer events, not
// HTML5 drag-and-drop, so it works the same on every platform's webview), or click / press
// Enter to add the item beside the selection, else in free space in the middle of the view.
import { useReactFlow } from "@xyflow/react";
import { useMemo, useRef, useState, type PointerEvent } from "react";
import type { ElementKind } from "../bindings/ElementKind";
import type { VendorTypeInfo } from "../bindings/VendorTypeInfo";
import Glyph from "../canvas/nodes/Glyph";
import { NODE_H, NODE_W } from "../lib/geometry";
import { docStore } from "../store/document";
import { useSchema } from "../store/schema";
import { canvasUi, useCanvasUi } from "../canvas/canvasUi";
import { placeForNew } from "../canvas/actions";
import { addFromPalette, type PaletteItem } from "./paletteItems";

/** How far (px) the pointer must travel before a press on a stencil becomes a drag. */
const DRAG_SLOP = 5;

/** The stencil following the pointer while it is dragged to the canvas. */
function DragGhost() {
  const drag = useCanvasUi((s) => s.drag);
  if (!drag) return null;
  return (
    <div className="palette-ghost" data-testid="palette-ghost" style={{ left: drag.x + 8, top: drag.y + 8 }} aria-hidden="true">
      {drag.label}
    </div>
  );
}

const GROUPS: { id: string; label: string; kind: ElementKind }[] = [
  { id: "compute", label: "Compute", kind: "function" },
  { id: "triggers", label: "Triggers", kind: "trigger" },
  { id: "stores", label: "Stores", kind: "store" },
  { id: "external", label: "External", kind: "external" },
];
const VENDOR_LABEL: Record<string, string> = { aws: "AWS", azure: "Azure", gcp: "GCP", generic: "Generic" };

function shortLabel(v: VendorTypeInfo): string {
  if (v.vendor === "generic") {
    const c = v.category.replace(/_/g, " ");
    return c.charAt(0).toUpperCase() + c.slice(1);
  }
  return v.label.replace(/^(Amazon|AWS|Azure|Google|Microsoft)\s+/, "");
}

export default function Palette() {
  const schema = useSchema();
  const rf = useReactFlow();
  const [vendor, setVendor] = useState("aws");
  const [query, setQuery] = useState("");
  const cascade = useRef(0);

  const items = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = schema?.vendor_types ?? [];
    return q
      ? all.filter((v) => `${v.type} ${v.label} ${v.category}`.toLowerCase().includes(q))
      : all.filter((v) => v.vendor === vendor);
  }, [schema, vendor, query]);

  const addAtCentre = (item: PaletteItem) => {
    const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
    const c = pane ? rf.screenToFlowPosition({ x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 }) : { x: 0, y: 0 };
    const k = cascade.current++ % 6;
    const st = docStore.getState();
    const at = item.kind === "boundary" ? { x: c.x - 200 + k * 32, y: c.y - 140 + k * 32 } : placeForNew(st.model, st.selection, c);
    addFromPalette(item, at);
  };

  // A press that moves becomes a drag; released over the canvas it adds the item there.
  const press = useRef<{ item: PaletteItem; label: string; x: number; y: number; dragging: boolean } | null>(null);
  const dropped = useRef(false);
  const onPointerDown = (item: PaletteItem, label: string) => (e: PointerEvent<HTMLButtonElement>) => {
    if (e.button !== 0) return;
    press.current = { item, label, x: e.clientX, y: e.clientY, dragging: false };
    dropped.current = false;
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLButtonElement>) => {
    const p = press.current;
    if (!p) return;
    if (!p.dragging && Math.hypot(e.clientX - p.x, e.clientY - p.y) < DRAG_SLOP) return;
    p.dragging = true;
    canvasUi.setState({ drag: { item: p.item, label: p.label, x: e.clientX, y: e.clientY } });
  };
  const onPointerUp = (e: PointerEvent<HTMLButtonElement>) => {
    const p = press.current;
    press.current = null;
    canvasUi.setState({ drag: null });
    if (!p?.dragging) return; // a click: onClick adds it
    dropped.current = true; // the click that follows this release is not a second add
    const over = document.elementFromPoint(e.clientX, e.clientY)?.closest(".react-flow__pane, .react-flow__node, .react-flow__edge");
    if (!over) return;
    const f = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addFromPalette(p.item, p.item.kind === "boundary" ? { x: f.x - 24, y: f.y - 16 } : { x: f.x - NODE_W / 2, y: f.y - NODE_H / 2 });
  };

  const tile = (item: PaletteItem, key: string, label: string, glyph: string, title: string) => (
    <li key={key}>
      <button
        type="button"
        className="palette-item"
        data-testid={`palette-${key}`}
        title={`${title}: click to add, or drag onto the canvas`}
        onPointerDown={onPointerDown(item, label)}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          press.current = null;
          canvasUi.setState({ drag: null });
        }}
        onClick={() => {
          if (dropped.current) {
            dropped.current = false;
            return;
          }
          addAtCentre(item);
        }}
      >
        <Glyph name={glyph} size={18} />
        <span>{label}</span>
      </button>
    </li>
  );

  const q = query.trim().toLowerCase();
  const boundaryKinds = (schema?.boundary_kinds ?? []).filter((k) => !q || k.includes(q) || "boundary".includes(q));
  return (
    <aside className="side-pane palette" aria-label="Palette">
      <DragGhost />
      <h2 className="pane-title">Palette</h2>
      <div className="vendor-switch" role="radiogroup" aria-label="Vendor">
        {(schema?.vendors ?? ["aws", "azure", "gcp", "generic"]).map((v) => (
          <button key={v} type="button" role="radio" aria-checked={vendor === v} className={vendor === v ? "on" : ""} data-testid={`vendor-${v}`} onClick={() => setVendor(v)}>
            {VENDOR_LABEL[v] ?? v}
          </button>
        ))}
      </div>
      <input className="palette-search" type="search" placeholder="Search (e.g. sqs)" aria-label="Search the palette" data-testid="palette-search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {GROUPS.map((g) => {
        const list = items.filter((v) => v.kind === g.kind);
        if (!list.length) return null;
        return (
          <details key={g.id} className="palette-group" open>
            <summary>{g.label}</summary>
            <ul>
              {list.map((v) =>
                tile({ kind: "element", type: v.type, elementKind: v.kind, label: shortLabel(v) }, `item-${v.type}`, q ? `${shortLabel(v)} · ${v.vendor}` : shortLabel(v), v.category, `${v.label} (${v.type})`),
              )}
            </ul>
          </details>
        );
      })}
      {boundaryKinds.length > 0 && (
        <details className="palette-group" open>
          <summary>Boundaries</summary>
          <ul>
            {boundaryKinds.map((k) => tile({ kind: "boundary", boundaryKind: k }, `boundary-${k}`, k === "vpc" ? "VPC" : k.charAt(0).toUpperCase() + k.slice(1), "boundary", `${k} trust boundary`))}
          </ul>
        </details>
      )}
    </aside>
  );
}
