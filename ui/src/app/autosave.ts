// Autosave: every AUTOSAVE_MS, unsaved changes not autosaved yet go into the `.twm` project
// itself, or (YAML / untitled) into a recovery file in the app data dir. Start-up offers to
// restore an autosave newer than the file (see `offerRecovery` in files.ts).
import { useEffect } from "react";
import type { Model } from "../bindings/Model";
import { autosaveModel } from "../ipc";
import { docStore, isDirty, type DocStore } from "../store/document";

export const AUTOSAVE_MS = 30_000;

type Save = (path: string | null, model: Model) => Promise<unknown>;

/** One autosave pass: writes when there are unsaved changes not yet autosaved. Returns whether it wrote. */
export function makeAutosaver(store: DocStore, save: Save) {
  let last: Model | null = null;
  let running = false;
  return async function tick(): Promise<boolean> {
    const s = store.getState();
    if (running || !isDirty(s) || s.model === last) return false;
    running = true;
    const model = s.model;
    try {
      await save(s.path, model);
      last = model;
      return true;
    } catch {
      return false; // retried on the next tick
    } finally {
      running = false;
    }
  };
}

export function useAutosave(intervalMs = AUTOSAVE_MS) {
  useEffect(() => {
    const tick = makeAutosaver(docStore, autosaveModel);
    const ms = (window as { __twAutosaveMs?: number }).__twAutosaveMs ?? intervalMs;
    const id = setInterval(() => void tick(), ms);
    return () => clearInterval(id);
  }, [intervalMs]);
}
