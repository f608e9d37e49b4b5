// Live analysis: every model change re-runs `analyze_model`. The first change after a quiet
// moment is analysed at once (a one-property edit shows its effect without waiting); changes in
// quick succession (typing, dragging) are debounced to one trailing run. Stale answers (from a
// model that has changed since) are dropped. The shell answers with only what changed since the
// analysis the page holds (its revision is sent as `base`), which the page applies to its copy:
// on a 2,000-element model that is a few threats instead of 11 MB.
import { useEffect } from "react";
import { analyzeModel, type AnalysisReport, type AnalysisUpdate, type CommandError } from "../ipc";
import { debounce } from "../lib/debounce";
import { applyDelta } from "../lib/delta";
import { docStore } from "../store/document";
import { uiStore } from "./files";

export const ANALYSIS_DEBOUNCE_MS = 250;

export function useAnalysis() {
  useEffect(() => {
    let seq = 0;
    let lastChange = 0;
    // The analysis this hook last showed and its revision in the shell (a delta's base).
    let held: { revision: number; report: AnalysisReport } | null = null;
    const analyse = async (): Promise<void> => {
      const mine = ++seq;
      const model = docStore.getState().model;
      // Another document loaded since (or the analysis was cleared): ask for the whole.
      const base = held && docStore.getState().analysis === held.report ? held : null;
      try {
        performance.mark("analysis:sent");
        const update: AnalysisUpdate = await analyzeModel(model, base?.revision ?? null);
        performance.mark("analysis:received");
        if (mine !== seq || docStore.getState().model !== model) return;
        let analysis = update.analysis;
        if (!analysis && update.delta && base && update.delta.base === base.revision) analysis = applyDelta(base.report.analysis, update.delta);
        if (!analysis) {
          // A delta from an analysis this page no longer holds: start over with the whole.
          held = null;
          return base ? analyse() : undefined;
        }
        const report = { analysis, micros: update.micros };
        held = { revision: update.revision, report };
        docStore.getState().setAnalysis(report);
        performance.mark("analysis:applied");
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
