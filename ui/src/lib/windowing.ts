// Windowing for long lists: which slice of fixed-height rows a scrolled viewport shows, with an
// overscan on both sides, and the space the rows above and below it stand for. Pure; the list
// renders only `from..to` between two spacers, so the DOM holds a screenful, not every row.

export interface Window {
  from: number;
  to: number;
  /** Height (px) of the rows before `from` and after `to`. */
  before: number;
  after: number;
}

export function windowOf(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 8): Window {
  if (count <= 0) return { from: 0, to: 0, before: 0, after: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + 1;
  const from = Math.max(0, Math.min(count - 1, first - overscan));
  const to = Math.min(count, first + visible + overscan);
  return { from, to, before: from * rowHeight, after: (count - to) * rowHeight };
}
