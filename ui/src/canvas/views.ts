// The canvas "Views": which graph finding of the analysis the diagram emphasises. Pure: the
// state transitions (toggle, step, show a threat) and `emphasisOf`, which picks the ids to
// emphasise out of `Analysis.graph` / `Threat.highlight`. Nothing here finds a path, a radius or
// a loop — the core did; this only chooses which of its answers to draw.
import type { Analysis } from "../bindings/Analysis";
import type { Model } from "../bindings/Model";
import type { Severity } from "../bindings/Severity";

export type ViewKind = "attack" | "blast" | "loops" | "crossings";

export interface ViewState {
  /** The view toggled on, if any (one at a time: two emphases at once would read as one). */
  kind: ViewKind | null;
  /** Which attack path / trigger loop is shown (wraps around). */
  step: number;
  /** A threat whose highlight is shown (picked in a threat list); cleared by any view toggle. */
  threat: string | null;
}

export const NO_VIEW: ViewState = { kind: null, step: 0, threat: null };

export const VIEW_LABEL: Record<ViewKind, string> = {
  attack: "Attack paths",
  blast: "Blast radius",
  loops: "Trigger loops",
  crossings: "Boundary crossings",
};

/** Turns `kind` on (from the first step), or off when it is already on. */
export function toggleView(s: ViewState, kind: ViewKind): ViewState {
  return s.kind === kind ? NO_VIEW : { kind, step: 0, threat: null };
}

/** Moves to the next (`delta` 1) or previous (-1) of `count` items, wrapping around. */
export function stepView(s: ViewState, delta: number, count: number): ViewState {
  if (count <= 0) return { ...s, step: 0 };
  return { ...s, step: (((s.step + delta) % count) + count) % count };
}

/** Shows a threat's highlight (null clears it); it replaces any view. */
export function showThreat(s: ViewState, threat: string | null): ViewState {
  return threat === null ? { ...s, threat: null } : { kind: null, step: 0, threat };
}

/** An extra, non-flow edge: a grant from a function to a resource it reaches. */
export interface GrantEdge {
  id: string;
  from: string;
  to: string;
}

/** What the canvas draws for the current view. */
export interface Emphasis {
  /** Element and flow ids drawn emphasised; the others are dimmed when `dim` is set. */
  nodes: Set<string>;
  flows: Set<string>;
  dim: boolean;
  /** Position of each element along the shown attack path (1 = entry), drawn on the node. */
  order: Map<string, number>;
  grants: GrantEdge[];
  /** One line saying what is shown ("2 of 7: Internet user → OrdersTable"). */
  caption: string;
  /** How many items the view steps through (attack paths, loops); 0 when it does not step. */
  count: number;
  severity: Severity | null;
}

const empty = (caption: string): Emphasis => ({
  nodes: new Set(),
  flows: new Set(),
  dim: false,
  order: new Map(),
  grants: [],
  caption,
  count: 0,
  severity: null,
});

/** The emphasis of view state `s` on `analysis`, or null when nothing is shown. */
export function emphasisOf(s: ViewState, analysis: Analysis | null, model: Model, selection: readonly string[]): Emphasis | null {
  if (!s.kind && !s.threat) return null;
  if (!analysis) return empty("Waiting for the analysis…");
  const name = (id: string) => model.elements.find((e) => e.id === id)?.name ?? "(removed element)";
  const g = analysis.graph;
  if (s.threat) {
    const t = analysis.threats.find((x) => x.id === s.threat);
    if (!t) return empty("That threat no longer fires.");
    return { ...empty(`Threat: ${t.title} — ${t.target.name}`), nodes: new Set(t.highlight.elements), flows: new Set(t.highlight.flows), dim: true, severity: t.severity };
  }
  switch (s.kind) {
    case "attack": {
      const paths = g.attack_paths;
      if (!paths.length) return empty("No attack paths: no Internet entry point reaches a sensitive store.");
      const p = paths[Math.min(s.step, paths.length - 1)];
      return {
        // The target's severity shows beside the caption, as a chip with its name.
        ...empty(`${s.step + 1} of ${paths.length}: ${name(p.entry)} → ${name(p.target)}`),
        nodes: new Set(p.elements),
        flows: new Set(p.flows),
        dim: true,
        order: new Map(p.elements.map((id, i) => [id, i + 1])),
        count: paths.length,
        severity: p.severity,
      };
    }
    case "blast": {
      const fn = model.elements.find((e) => selection.length === 1 && e.id === selection[0]);
      if (!fn || fn.kind !== "function") return empty("Select a function to see its blast radius.");
      const r = g.blast_radius.find((b) => b.function === fn.id);
      if (!r) return { ...empty(`${fn.name}: its grants reach no modelled resource.`), nodes: new Set([fn.id]), dim: true };
      const reach = r.reaches.filter((id) => id !== fn.id);
      const n = `${reach.length} modelled resource${reach.length === 1 ? "" : "s"}`;
      const caption = r.wildcard ? `${fn.name}: a wildcard grant (Resource: *) reaches every resource; named grants reach ${n}` : `${fn.name}: grants reach ${n}`;
      return {
        ...empty(caption),
        nodes: new Set([fn.id, ...reach]),
        dim: true,
        grants: reach.map((to) => ({ id: `grant:${fn.id}:${to}`, from: fn.id, to })),
      };
    }
    case "loops": {
      const loops = g.trigger_loops;
      if (!loops.length) return empty("No trigger loops.");
      const l = loops[Math.min(s.step, loops.length - 1)];
      return {
        ...empty(`Loop ${s.step + 1} of ${loops.length}: ${l.elements.map(name).join(" → ")} → ${name(l.elements[0])}`),
        nodes: new Set(l.elements),
        flows: new Set(l.flows),
        dim: true,
        count: loops.length,
      };
    }
    case "crossings": {
      const n = g.boundary_crossings.length;
      if (!n) return empty("No flow crosses a trust boundary.");
      return { ...empty(`${n} flow${n === 1 ? " crosses" : "s cross"} a trust boundary`), flows: new Set(g.boundary_crossings), dim: true };
    }
  }
  return null;
}
