// Live analysis: every model change re-runs `analyze_model`, debounced; stale answers (from a
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
    const run = debounce(async () => {
      const mine = ++seq;
      const model = docStore.getState().model;
      try {
        const report = await analyzeModel(model);
        if (mine === seq && docStore.getState().model === model) docStore.getState().setAnalysis(report);
      } catch (e) {
        if (mine === seq) uiStore.setState({ error: e as CommandError });
      }
    }, ANALYSIS_DEBOUNCE_MS);
    run();
    const unsub = docStore.subscribe((s, prev) => {
      if (s.model !== prev.model) run();
    });
    return () => {
      unsub();
      run.cancel();
    };
  }, []);
}
