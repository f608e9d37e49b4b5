// The history of the open `.twm` project: its revisions (listed, compared with the open model,
// restored as one undoable edit) and the triage history each threat card shows. Reloaded when
// the open file changes and after every save (each save of a project is a new revision).
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import { compareRevision, loadRevision, projectHistory, type ProjectHistory, type RevisionComparison } from "../ipc";
import { docStore } from "../store/document";
import { fail, uiStore } from "./files";

interface HistoryState {
  /** The project the history is of; null when the open file is not a project. */
  path: string | null;
  history: ProjectHistory | null;
  /** A revision compared with the open model, shown in a dialog. */
  comparison: RevisionComparison | null;
}

export const historyStore = createStore<HistoryState>()(() => ({ path: null, history: null, comparison: null }));
export const useHistory = <T,>(sel: (s: HistoryState) => T) => useStore(historyStore, sel);

export const isProject = (path: string | null): path is string => !!path && /\.twm$/i.test(path);

/** Loads the open project's history (clears it for a file that is not a project). */
export async function refreshHistory() {
  const path = docStore.getState().path;
  if (!isProject(path)) {
    historyStore.setState({ path: null, history: null });
    return;
  }
  try {
    const history = await projectHistory(path);
    if (docStore.getState().path === path) historyStore.setState({ path, history });
  } catch (e) {
    // A project that cannot be read has no history to show; the open itself reports why.
    console.warn("project history:", e);
    historyStore.setState({ path, history: null });
  }
}

/** Keeps the history current: on open, on save as, and after each save. */
export function watchHistory(): () => void {
  void refreshHistory();
  return docStore.subscribe((s, prev) => {
    if (s.path !== prev.path || s.saved !== prev.saved) void refreshHistory();
  });
}

export async function compareWith(revision: number) {
  const path = historyStore.getState().path;
  if (!path) return;
  try {
    const comparison = await compareRevision(path, revision, docStore.getState().model);
    historyStore.setState({ comparison });
  } catch (e) {
    fail(e);
  }
}

/** Replaces the open model with revision `revision`, as one undoable edit; saving keeps it as a new revision. */
export async function restore(revision: number) {
  const path = historyStore.getState().path;
  if (!path) return;
  try {
    const model = await loadRevision(path, revision);
    docStore.getState().commit(() => model);
    historyStore.setState({ comparison: null });
    uiStore.setState({ notice: `Restored revision ${revision}. Save to keep it as a new revision; Ctrl+Z takes it back.` });
  } catch (e) {
    fail(e);
  }
}
