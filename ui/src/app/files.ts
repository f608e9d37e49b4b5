// File actions (new / open / save / save as / recent) over the document store and the IPC
// wrappers. Actions that would drop unsaved changes go through `confirmDiscard`, which the App
// wires to its confirmation dialog.
import { getStartup, listRecentFiles, openModel, pickOpenPath, pickSavePath, saveModel, type CommandError } from "../ipc";
import { docStore, emptyModel, isDirty } from "../store/document";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";

export type Choice = "save" | "discard" | "cancel";

interface UiState {
  error: CommandError | null;
  recent: string[];
  confirm: { message: string; resolve: (c: Choice) => void } | null;
  help: boolean;
}
export const uiStore = createStore<UiState>()(() => ({ error: null, recent: [], confirm: null, help: false }));
export const useUi = <T,>(sel: (s: UiState) => T) => useStore(uiStore, sel);

export const baseName = (p: string | null) => (p ? p.split(/[\\/]/).pop() || p : "Untitled");

function fail(e: unknown) {
  uiStore.setState({ error: e as CommandError });
}

async function refreshRecent() {
  try {
    const recent = await listRecentFiles();
    if (Array.isArray(recent)) uiStore.setState({ recent });
  } catch {
    /* no recent list: keep the old one */
  }
}

/** Asks before unsaved changes would be lost; true = go ahead. */
export async function confirmDiscard(): Promise<boolean> {
  if (!isDirty(docStore.getState())) return true;
  const choice = await new Promise<Choice>((resolve) =>
    uiStore.setState({ confirm: { message: "This model has unsaved changes.", resolve } }),
  );
  uiStore.setState({ confirm: null });
  if (choice === "save") return save();
  return choice === "discard";
}

export async function startup() {
  try {
    const opened = await getStartup();
    if (!opened) return;
    docStore.getState().load(opened.model ?? emptyModel(opened.path ? baseName(opened.path).replace(/\.ya?ml$/, "") : undefined), opened.path);
  } catch (e) {
    fail(e);
  }
  void refreshRecent();
}

export async function newModel() {
  if (await confirmDiscard()) docStore.getState().load(emptyModel(), null);
}

export async function openPath(path: string) {
  if (!(await confirmDiscard())) return;
  try {
    const opened = await openModel(path);
    if (opened.model) docStore.getState().load(opened.model, opened.path);
    uiStore.setState({ error: null });
  } catch (e) {
    fail(e);
  }
  void refreshRecent();
}

export async function openDialog() {
  if (!(await confirmDiscard())) return;
  try {
    const path = await pickOpenPath();
    if (path) {
      const opened = await openModel(path);
      if (opened.model) docStore.getState().load(opened.model, opened.path);
      uiStore.setState({ error: null });
    }
  } catch (e) {
    fail(e);
  }
  void refreshRecent();
}

export async function saveAs(): Promise<boolean> {
  try {
    const s = docStore.getState();
    const path = await pickSavePath(s.path ? baseName(s.path) : `${s.model.name || "model"}.yaml`);
    if (!path) return false;
    return await saveTo(path);
  } catch (e) {
    fail(e);
    return false;
  }
}

async function saveTo(path: string): Promise<boolean> {
  const model = docStore.getState().model;
  try {
    await saveModel(path, model);
    // Mark exactly what was written as saved (edits made meanwhile stay dirty).
    docStore.setState({ saved: model, path });
    void refreshRecent();
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

export async function save(): Promise<boolean> {
  const path = docStore.getState().path;
  return path ? saveTo(path) : saveAs();
}
