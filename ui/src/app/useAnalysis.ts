// Live analysis: every model change re-runs `analyze_model`. The first change after a quiet
// moment is analysed at once (a one-property edit shows its effect without waiting); changes in
// quick succession (typing, dragging) are debounced to one trailing run. Stale answers (from a
// model that has changed since) are dropped.
import { useEffect } from "react";
import { analyzeModel, type CommandError } from "../ipc";
import { debounce } from "../lib/debounce";
import { docStore } from "../store/document";
import { uiStore } from "./files";

export const ANALYSIS_DEBOUNCE_MS = 250;

export function useAnalysis() {
  useEffect(() => {
    let seq = 0;
    let lastChange = 0;
    const analyse = async () => {
      const mine = ++seq;
      const model = docStore.getState().model;
      try {
        const report = await analyzeModel(model);
        if (mine === seq && docStore.getState().model === model) docStore.getState().setAnalysis(report);
      } catch (e) {
        if (mine === seq) uiStore.setState({ error: e as CommandError });
      }
    };
    const trailing = debounce(() => void analyse(), ANALYSIS_DEBOUNCE_MS);
    const changed = () => {
      const now = Date.now();
      const quiet = now - lastChange >= ANALYSIS_DEBOUNCE_MS;
      lastChange = now;
      if (quiet) {
        trailing.cancel();
        void analyse();
      } else {
        trailing();
      }
    };
    changed();
    const unsub = docStore.subscribe((s, prev) => {
      if (s.model !== prev.model) changed();
    });
    return () => {
      unsub();
      trailing.cancel();
    };
  }, []);
}
