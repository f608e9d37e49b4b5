// The canvas context menu (right-click, or Shift+F10 / the Menu key on the selection): on an
// element — rename, show threats, add a flow to…, bring into a boundary…, duplicate, delete; on
// a flow — rename its label, show threats, reverse, delete; on a boundary — rename, select what
// it holds, duplicate, delete; on the empty canvas — add a component or boundary here, paste,
// select all, fit. Lists (targets, boundaries, components) open in place with a filter box.
// Arrow keys move, Enter runs, Esc or a click elsewhere closes.
import { useReactFlow } from "@xyflow/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { docStore, useDoc } from "../store/document";
import { useSchema } from "../store/schema";
import { addFromPalette } from "../panels/paletteItems";
import { canvasUi, useCanvasUi, type MenuTarget } from "./canvasUi";
import { duplicate, remove, reverseFlow } from "./actions";
import { NODE_H, NODE_W } from "../lib/geometry";

interface Item {
  label: string;
  hint?: string;
  run?: () => void;
  /** Opens a list in place of the menu. */
  list?: () => { label: string; run: () => void }[];
  danger?: boolean;
}

const close = () => canvasUi.setState({ menu: null });

/** The ids a command on `target` applies to: the whole selection when the target is part of it. */
function scope(target: MenuTarget): string[] {
  if (target.kind === "pane") return [];
  const sel = docStore.getState().selection;
  return sel.includes(target.id) ? sel : [target.id];
}

function useItems(target: MenuTarget, at: { x: number; y: number }): Item[] {
  const model = useDoc((s) => s.model);
  const schema = useSchema();
  const rf = useReactFlow();
  const st = docStore.getState();
  const showThreats = (id: string) => () => st.focusOn(id);
  const renameIt = (id: string) => () => canvasUi.setState({ renaming: id });
  const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  if (target.kind === "element") {
    const ids = scope(target);
    return [
      { label: "Rename", hint: "F2", run: renameIt(target.id) },
      { label: "Show threats", run: showThreats(target.id) },
      {
        label: "Add flow to…",
        list: () =>
          byName(model.elements.filter((e) => e.id !== target.id)).map((e) => ({
            label: e.name,
            run: () => {
              const id = st.addFlow(target.id, e.id);
              if (id) st.select([id]);
            },
          })),
      },
      {
        label: "Bring into boundary…",
        list: () => [
          ...byName(model.boundaries).map((b) => ({ label: b.name, run: () => st.bringInto(ids, b.id) })),
          { label: "(no boundary)", run: () => st.bringInto(ids, null) },
        ],
      },
      { label: "Duplicate", run: () => duplicate(ids) },
      { label: ids.length > 1 ? `Delete ${ids.length} items` : "Delete", hint: "Del", run: () => remove(ids), danger: true },
    ];
  }
  if (target.kind === "flow") {
    return [
      { label: "Rename label", hint: "F2", run: renameIt(target.id) },
      { label: "Show threats", run: showThreats(target.id) },
      { label: "Reverse direction", run: () => reverseFlow(target.id) },
      { label: "Delete", hint: "Del", run: () => remove(scope(target)), danger: true },
    ];
  }
  if (target.kind === "boundary") {
    return [
      { label: "Rename", hint: "F2", run: renameIt(target.id) },
      { label: "Select contents", run: () => st.select(model.elements.filter((e) => e.boundary === target.id).map((e) => e.id)) },
      { label: "Duplicate", run: () => duplicate(scope(target)) },
      { label: "Delete (keep contents)", hint: "Del", run: () => remove(scope(target)), danger: true },
    ];
  }
  const types = (schema?.vendor_types ?? []).filter((v) => v.vendor === "aws" || v.vendor === "generic");
  return [
    {
      label: "Add component here…",
      list: () =>
        types.map((v) => ({
          label: `${v.label} (${v.kind})`,
          run: () => addFromPalette({ kind: "element", type: v.type, elementKind: v.kind, label: v.label.replace(/^(Amazon|AWS)\s+/, "") }, { x: at.x - NODE_W / 2, y: at.y - NODE_H / 2 }),
        })),
    },
    {
      label: "Add boundary here…",
      list: () => (schema?.boundary_kinds ?? ["account"]).map((k) => ({ label: k, run: () => addFromPalette({ kind: "boundary", boundaryKind: k }, { x: at.x - 24, y: at.y - 16 }) })),
    },
    { label: "Paste", hint: "Ctrl+V", run: () => st.paste() },
    { label: "Select all", hint: "Ctrl+A", run: () => st.selectAll() },
    { label: "Fit the diagram", hint: "F", run: () => void rf.fitView({ padding: 0.15, duration: 300 }) },
  ];
}

function Menu({ target, at, x, y }: { target: MenuTarget; at: { x: number; y: number }; x: number; y: number }) {
  const items = useItems(target, at);
  const [list, setList] = useState<{ title: string; entries: { label: string; run: () => void }[] } | null>(null);
  const [filter, setFilter] = useState("");
  const [active, setActiveState] = useState(0);
  const activeRef = useRef(0);
  const setActive = (n: number) => {
    activeRef.current = n;
    setActiveState(n);
  };
  const ref = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => {
    if (!list) return items.map((it) => ({ label: it.list ? `${it.label}` : it.label, hint: it.list ? "▸" : it.hint, danger: it.danger, run: it.run, list: it.list }));
    const q = filter.trim().toLowerCase();
    return list.entries.filter((e) => !q || e.label.toLowerCase().includes(q)).map((e) => ({ label: e.label, hint: undefined, danger: false, run: e.run, list: undefined }));
  }, [items, list, filter]);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) close();
    };
    window.addEventListener("mousedown", onDown, true);
    return () => window.removeEventListener("mousedown", onDown, true);
  }, []);
  useEffect(() => {
    (ref.current?.querySelector(list ? "input" : '[role="menuitem"]') as HTMLElement | null)?.focus();
  }, [list]);

  const choose = (i: number) => {
    const r = rows[i];
    if (!r) return;
    if (r.list) {
      setList({ title: r.label, entries: r.list() });
      setFilter("");
      setActive(0);
      return;
    }
    close();
    r.run?.();
  };
  const onKey = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === "Escape") {
      e.preventDefault();
      if (list) setList(null);
      else close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      // From the ref, not the render: keys can arrive faster than React renders.
      const n = (activeRef.current + (e.key === "ArrowDown" ? 1 : rows.length - 1)) % Math.max(1, rows.length);
      activeRef.current = n;
      setActive(n);
      if (!list) (ref.current?.querySelectorAll('[role="menuitem"]')[n] as HTMLElement | undefined)?.focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(activeRef.current);
    } else if (e.key === "ArrowLeft" && list && !filter) {
      setList(null);
    }
  };
  // Keep the menu inside the window.
  const left = Math.min(x, window.innerWidth - 260);
  const top = Math.min(y, window.innerHeight - Math.min(360, 34 + rows.length * 30));
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={list ? list.title : "Canvas actions"} data-testid="context-menu" style={{ left, top }} onKeyDown={onKey} onContextMenu={(e) => e.preventDefault()}>
      {list && (
        <>
          <button type="button" className="menu-back" onClick={() => setList(null)} data-testid="menu-back">
            ◂ {list.title}
          </button>
          <input aria-label={`Filter: ${list.title}`} placeholder="filter…" value={filter} onChange={(e) => { setFilter(e.target.value); setActive(0); }} data-testid="menu-filter" />
        </>
      )}
      <div className="menu-rows">
        {rows.map((r, i) => (
          <button
            key={`${r.label}-${i}`}
            type="button"
            role="menuitem"
            className={`${r.danger ? "danger" : ""}${i === active ? " active" : ""}`}
            data-testid="menu-item"
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(i)}
          >
            <span>{r.label}</span>
            {r.hint && <kbd>{r.hint}</kbd>}
          </button>
        ))}
        {!rows.length && <p className="muted">Nothing matches.</p>}
      </div>
    </div>
  );
}

export default function ContextMenu() {
  const menu = useCanvasUi((s) => s.menu);
  if (!menu) return null;
  const key = menu.target.kind === "pane" ? `pane:${menu.x}:${menu.y}` : menu.target.id;
  return <Menu key={key} target={menu.target} at={menu.at} x={menu.x} y={menu.y} />;
}
