// Ctrl+F: find an element or boundary by name (or type) and centre the canvas on it. Matches
// update as you type; Up/Down choose, Enter goes (and selects), Esc closes. Names that start
// with the query come first.
import { useEffect, useMemo, useRef, useState } from "react";
import { docStore, useDoc } from "../store/document";
import { canvasUi, useCanvasUi } from "./canvasUi";
import { shownName } from "../lib/names";

const MAX = 12;

export function matches(items: { id: string; name: string; extra: string }[], query: string) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits = items.filter((i) => i.name.toLowerCase().includes(q) || i.extra.toLowerCase().includes(q));
  const rank = (i: { name: string }) => (i.name.toLowerCase().startsWith(q) ? 0 : i.name.toLowerCase().includes(q) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function Bar() {
  const model = useDoc((s) => s.model);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const items = useMemo(
    () => [
      ...model.elements.map((e) => ({ id: e.id, name: e.name, extra: e.type })),
      ...model.boundaries.map((b) => ({ id: b.id, name: b.name, extra: `${b.kind} boundary` })),
    ],
    [model],
  );
  const found = useMemo(() => matches(items, query), [items, query]);
  const go = (i: number) => {
    const hit = found[i];
    if (hit) docStore.getState().focusOn(hit.id);
  };
  const close = () => canvasUi.setState({ find: false });
  return (
    <div className="find-bar" role="search" data-testid="find-bar">
      <input
        ref={ref}
        type="search"
        aria-label="Find an element by name"
        placeholder="Find by name…"
        data-testid="find-input"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Escape") close();
          else if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, Math.min(found.length, MAX) - 1));
          else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
          else if (e.key === "Enter") go(active);
          else return;
          e.preventDefault();
        }}
      />
      <span className="muted find-count" data-testid="find-count">
        {query.trim() ? `${found.length} found` : ""}
      </span>
      <button type="button" onClick={close} aria-label="Close the find bar" title="Close (Esc)">
        ✕
      </button>
      {found.length > 0 && (
        <ul className="find-results" role="listbox" aria-label="Matches">
          {found.slice(0, MAX).map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} className={i === active ? "active" : ""} data-testid="find-result" onMouseDown={(e) => { e.preventDefault(); setActive(i); go(i); }}>
              <strong>{shownName(h.name)}</strong> <span className="muted">{h.extra}</span>
            </li>
          ))}
          {found.length > MAX && <li className="muted">… {found.length - MAX} more</li>}
        </ul>
      )}
    </div>
  );
}

export default function FindBar() {
  const open = useCanvasUi((s) => s.find);
  return open ? <Bar /> : null;
}
