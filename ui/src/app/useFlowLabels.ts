// Flow label placement by the core: when element positions, flow ends or label texts change
// (and only then), asks `place_flow_labels`, debounced; stale answers are dropped. Until it
// answers — or when the backend cannot — the canvas puts each label mid-flow.
import { useEffect } from "react";
import { placeFlowLabels } from "../ipc";
import { debounce } from "../lib/debounce";
import { labelKey } from "../canvas/labels";
import { docStore } from "../store/document";

export const LABELS_DEBOUNCE_MS = 300;

export function useFlowLabels() {
  useEffect(() => {
    let seq = 0;
    let key = "";
    const run = debounce(async () => {
      const model = docStore.getState().model;
      const k = labelKey(model);
      if (k === key) return;
      const mine = ++seq;
      try {
        const positions = await placeFlowLabels(model);
        if (mine !== seq) return;
        key = k;
        docStore.getState().setLabels(model, positions);
      } catch {
        /* no placement (an older backend, a test without it): labels stay mid-flow */
      }
    }, LABELS_DEBOUNCE_MS);
    run();
    const unsub = docStore.subscribe((s, prev) => {
      if (s.model !== prev.model) {
        if (s.loads !== prev.loads) key = "";
        run();
      }
    });
    return () => {
      unsub();
      run.cancel();
    };
  }, []);
}
