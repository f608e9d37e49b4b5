// Rename in place: a text field over the node, boundary tab or flow label being renamed
// (double-click, F2 or the context menu). Enter or leaving the field keeps the name, Esc
// cancels; the rename is one undoable edit. A blank element or boundary name is refused.
import { useViewport } from "@xyflow/react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useDoc } from "../store/document";
import { canvasUi, useCanvasUi } from "./canvasUi";
import { nameOf, rename } from "./actions";

interface Box {
  left: number;
  top: number;
  width: number;
}

/** Where the field goes, relative to the canvas: over the item's name (or label). */
function boxOf(id: string, wrap: HTMLElement): Box | null {
  const w = wrap.getBoundingClientRect();
  const el =
    wrap.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"] .node-name`) ??
    wrap.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"] .boundary-tab`) ??
    wrap.querySelector(`[data-flow-label="${CSS.escape(id)}"]`) ??
    wrap.querySelector(`.react-flow__edge[data-id="${CSS.escape(id)}"]`) ??
    wrap.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const width = Math.max(160, r.width + 24);
  return { left: r.left - w.left + r.width / 2 - width / 2, top: r.top - w.top + r.height / 2 - 15, width };
}

function Field({ id, wrap }: { id: string; wrap: HTMLElement }) {
  const model = useDoc((s) => s.model);
  const viewport = useViewport();
  const what = nameOf(model, id);
  const [text, setText] = useState(what?.name ?? "");
  const [box, setBox] = useState<Box | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useLayoutEffect(() => setBox(boxOf(id, wrap)), [id, wrap, viewport]);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, [box !== null]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!what) return null;
  const finish = (keep: boolean) => {
    if (done.current) return;
    done.current = true;
    if (keep) rename(id, text);
    canvasUi.setState({ renaming: null });
  };
  return (
    <input
      ref={ref}
      className="rename-field"
      data-testid="rename-field"
      aria-label={what.kind === "flow" ? "Flow label" : `Rename ${what.name}`}
      placeholder={what.kind === "flow" ? "label, e.g. POST /orders" : "name"}
      value={text}
      style={box ? { left: box.left, top: box.top, width: box.width } : { visibility: "hidden" }}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === "Enter") finish(true);
        if (e.key === "Escape") finish(false);
      }}
      onBlur={() => finish(true)}
    />
  );
}

export default function RenameField({ wrap }: { wrap: HTMLElement | null }) {
  const id = useCanvasUi((s) => s.renaming);
  if (!id || !wrap) return null;
  return <Field key={id} id={id} wrap={wrap} />;
}
