// Left palette: stencils grouped Compute / Triggers / Stores / External / Boundaries, from the
// core's vendor-type catalog. A vendor switch picks AWS / Azure / GCP / generic variants; the
// search box looks across every vendor ("sqs"). Drag onto the canvas, or click / press Enter
// to drop the item in the middle of the view.
import { useReactFlow } from "@xyflow/react";
import { useMemo, useRef, useState, type DragEvent } from "react";
import type { ElementKind } from "../bindings/ElementKind";
import type { VendorTypeInfo } from "../bindings/VendorTypeInfo";
import Glyph from "../canvas/nodes/Glyph";
import { freeSpot, NODE_H, NODE_W } from "../lib/geometry";
import { docStore } from "../store/document";
import { useSchema } from "../store/schema";
import { addFromPalette, PALETTE_MIME, type PaletteItem } from "./paletteItems";

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
    const at =
      item.kind === "boundary"
        ? { x: c.x - 200 + k * 32, y: c.y - 140 + k * 32 }
        : freeSpot(docStore.getState().model, { x: c.x - NODE_W / 2, y: c.y - NODE_H / 2 });
    addFromPalette(item, at);
  };

  const tile = (item: PaletteItem, key: string, label: string, glyph: string, title: string) => (
    <li key={key}>
      <button
        type="button"
        className="palette-item"
        data-testid={`palette-${key}`}
        draggable
        title={title}
        onDragStart={(e: DragEvent) => {
          e.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
          e.dataTransfer.effectAllowed = "copy";
        }}
        onClick={() => addAtCentre(item)}
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
