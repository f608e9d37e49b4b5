// The short tour of the window: one step per region (toolbar, palette, canvas, inspector,
// register, Help), each outlined on screen with a card that says what the region is for.
// Started from the welcome screen or Help → Tour; Esc or "Done" ends it.
import { useEffect, useLayoutEffect, useState } from "react";
import { uiStore, useUi } from "../app/files";

export interface TourStep {
  /** The region it outlines (the first element the selector finds; the step is skipped if none). */
  target: string;
  title: string;
  text: string;
}

export const TOUR: TourStep[] = [
  {
    target: ".app-header .toolbar",
    title: "Files and commands",
    text: "Start a model (blank, from a template or imported), open and save .twm projects, export the report, undo and redo. Your work is autosaved and offered back after a crash.",
  },
  {
    target: ".palette",
    title: "Palette",
    text: "Drag functions, triggers, stores, external parties and trust boundaries onto the canvas. Switch the vendor (AWS, Azure, GCP, generic) at the top.",
  },
  {
    target: ".canvas-pane",
    title: "Canvas",
    text: "Draw a data flow by dragging from a node's edge dot to another node. Right-click for the context menu, F fits the diagram, Ctrl+F finds an element. The Views bar shows attack paths and blast radius.",
  },
  {
    target: ".inspector",
    title: "Inspector",
    text: "Select an element or flow to edit its properties. Unknown properties lower a threat's confidence; the threats of the selection say why they fired and how they were scored.",
  },
  {
    target: ".register-pane",
    title: "Risk register",
    text: "Every threat, ranked by risk and grouped by rule. Open a group to see its targets, triage a threat (mitigated, accepted, not applicable) with a note, and filter by a heat-map cell.",
  },
  {
    target: ".app-header .totals",
    title: "Live analysis",
    text: "The open threats by severity, updated after every edit. The status beside them says when the analysis ran.",
  },
  {
    target: '[data-testid="cmd-help"]',
    title: "Help",
    text: "Reopen this tour, read the user guide (offline) and see every keyboard shortcut from here.",
  },
];

/** The steps whose region is on screen now. */
function present(): TourStep[] {
  return TOUR.filter((s) => document.querySelector(s.target));
}

export function startTour() {
  uiStore.setState({ tour: 0, helpMenu: false, newDialog: false, help: false, guide: null });
}

export default function Tour() {
  const step = useUi((s) => s.tour);
  const [box, setBox] = useState<DOMRect | null>(null);
  const steps = step === null ? [] : present();
  const current = step === null ? null : steps[Math.min(step, steps.length - 1)];

  useLayoutEffect(() => {
    if (!current) return setBox(null);
    const measure = () => setBox(document.querySelector(current.target)?.getBoundingClientRect() ?? null);
    measure();
    window.addEventListener("resize", measure);
    return () => window.removeEventListener("resize", measure);
  }, [current]);

  useEffect(() => {
    if (step === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") uiStore.setState({ tour: null });
      else if (e.key === "ArrowRight") next();
      else if (e.key === "ArrowLeft") back();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  });

  if (step === null || !current || !box) return null;
  const index = steps.indexOf(current);
  const last = index === steps.length - 1;
  function next() {
    const s = uiStore.getState().tour;
    if (s === null) return;
    uiStore.setState({ tour: s + 1 >= present().length ? null : s + 1 });
  }
  function back() {
    const s = uiStore.getState().tour;
    if (s) uiStore.setState({ tour: s - 1 });
  }
  // The card sits beside the region where there is room: below, else above, else inside.
  const cardW = 320;
  const below = box.bottom + 180 < window.innerHeight;
  const above = box.top > 190;
  const top = below ? box.bottom + 10 : above ? box.top - 10 : box.top + 16;
  const left = Math.max(8, Math.min(box.left, window.innerWidth - cardW - 8));
  return (
    <div className="tour" data-testid="tour" data-step={index}>
      <div
        className="tour-outline"
        style={{ left: box.left - 4, top: box.top - 4, width: box.width + 8, height: box.height + 8 }}
      />
      <div
        className={`tour-card${!below && above ? " above" : ""}`}
        role="dialog"
        aria-modal="false"
        aria-labelledby="tour-title"
        style={{ left, top, width: cardW }}
      >
        <p className="tour-count">
          Tour · {index + 1} of {steps.length}
        </p>
        <h2 id="tour-title">{current.title}</h2>
        <p>{current.text}</p>
        <div className="modal-actions">
          {index > 0 && (
            <button type="button" onClick={back} data-testid="tour-back">
              Back
            </button>
          )}
          <button type="button" className="primary" autoFocus onClick={next} data-testid="tour-next">
            {last ? "Done" : "Next"}
          </button>
          {!last && (
            <button type="button" onClick={() => uiStore.setState({ tour: null })} data-testid="tour-close">
              Close tour
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
