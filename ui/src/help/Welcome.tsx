// The head of the empty canvas. On the first start it welcomes the user and offers the sample
// project, the tour and the guide; afterwards it says the model is empty and keeps the same
// offers. "First start" ends when a model with content has been on the canvas once.
import { useEffect } from "react";
import { openSample } from "../app/files";
import { useDoc } from "../store/document";
import { openGuide } from "./Guide";
import { startTour } from "./Tour";

const WELCOMED = "threatwright.welcomed";

function firstStart(): boolean {
  try {
    return !localStorage.getItem(WELCOMED);
  } catch {
    return false;
  }
}

/** Marks the first start as over once the canvas has held a model with content. */
export function useWelcomed() {
  const hasContent = useDoc((s) => s.model.elements.length > 0);
  useEffect(() => {
    if (!hasContent) return;
    try {
      localStorage.setItem(WELCOMED, new Date().toISOString());
    } catch {
      /* storage unavailable: the welcome stays, which is harmless */
    }
  }, [hasContent]);
}

export default function Welcome() {
  const first = firstStart();
  return (
    <div className="welcome" data-testid={first ? "welcome" : "empty-welcome"}>
      <h1>{first ? "Welcome to Threatwright" : "Your model is empty"}</h1>
      <p>
        {first
          ? "Model a serverless system as functions, triggers, stores and the parties around them; Threatwright derives the threats of every element and flow, ranks them by risk and writes the report. "
          : ""}
        Start from an architecture template, import your infrastructure code, or drag a component from the palette onto
        the canvas. Press <kbd>?</kbd> for shortcuts.
      </p>
      <div className="welcome-actions">
        <button type="button" className="primary" onClick={() => void openSample()} data-testid="open-sample" title="Open an example photo-sharing backend, drawn as first sketched: its unknown and insecure settings are yours to find">
          Open the sample project
        </button>
        <button type="button" onClick={startTour} data-testid="tour-start" title="A short tour of the canvas, panels and register">
          Take the tour
        </button>
        <button type="button" onClick={() => openGuide("first-model.md")} data-testid="guide-open" title="Your first model in ten minutes (user guide)">
          Read the guide
        </button>
      </div>
    </div>
  );
}
