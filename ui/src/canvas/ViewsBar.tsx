// The canvas "Views" control: toggles for the graph findings of the analysis (attack paths,
// blast radius, trigger loops, boundary crossings), the caption of what is shown, and Previous /
// Next for views that step through several findings, and the presentation-mode toggle. Plain buttons with aria-pressed, so it is
// reachable and usable from the keyboard; the state lives in the document store.
import { Panel } from "@xyflow/react";
import { useDoc, useDocStore } from "../store/document";
import { VIEW_LABEL, type Emphasis, type ViewKind } from "./views";
import { togglePresenting, useUi } from "../app/files";
import { startSession, useSession } from "../app/session";

const KINDS: ViewKind[] = ["attack", "blast", "loops", "crossings"];

export default function ViewsBar({ emphasis }: { emphasis: Emphasis | null }) {
  const store = useDocStore();
  const view = useDoc((s) => s.view);
  const graph = useDoc((s) => s.analysis?.analysis.graph ?? null);
  const presenting = useUi((s) => !!s.presenting);
  const inSession = useSession((s) => s.open);
  const counts: Record<ViewKind, number | null> = {
    attack: graph ? graph.attack_paths.length : null,
    blast: null,
    loops: graph ? graph.trigger_loops.length : null,
    crossings: graph ? graph.boundary_crossings.length : null,
  };
  return (
    <Panel position="top-left" className="views-bar" data-testid="views-bar">
      <div role="toolbar" aria-label="Views" className="views-toggles">
        <span className="views-title" aria-hidden="true">
          Views
        </span>
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className="view-toggle"
            aria-pressed={view.kind === k}
            data-testid={`view-${k}`}
            onClick={() => store.getState().toggleView(k)}
          >
            {VIEW_LABEL[k]}
            {counts[k] !== null && <span className="view-count">{counts[k]}</span>}
          </button>
        ))}
        <button
          type="button"
          className="view-toggle"
          aria-pressed={presenting}
          data-testid="view-present"
          title="Presentation mode for a shared screen: larger type, panels hidden (F5; Esc leaves)"
          onClick={togglePresenting}
        >
          Present
        </button>
        <button
          type="button"
          className="view-toggle"
          aria-pressed={inSession}
          data-testid="view-session"
          title="Guided session: answer the questions that settle what the analysis had to assume, element by element (Ctrl+G)"
          onClick={() => void startSession()}
        >
          Guided session
        </button>
      </div>
      {emphasis && (
        <div className="views-status" role="status" data-testid="view-caption-row">
          {emphasis.count > 1 && (
            <button type="button" className="view-step" aria-label="Previous" title="Previous ([)" onClick={() => store.getState().stepView(-1, emphasis.count)}>
              ‹
            </button>
          )}
          <span className="view-caption" data-testid="view-caption">
            {emphasis.severity && <span className={`sev-chip sev-${emphasis.severity}`}>{emphasis.severity}</span>}
            {emphasis.caption}
          </span>
          {emphasis.count > 1 && (
            <button type="button" className="view-step" aria-label="Next" title="Next (])" onClick={() => store.getState().stepView(1, emphasis.count)}>
              ›
            </button>
          )}
          <button
            type="button"
            className="view-step"
            aria-label="Clear the view"
            title="Clear the view"
            data-testid="view-clear"
            onClick={() => {
              const v = store.getState().view;
              if (v.kind) store.getState().toggleView(v.kind);
              else store.getState().showThreat(null);
            }}
          >
            ×
          </button>
        </div>
      )}
    </Panel>
  );
}
