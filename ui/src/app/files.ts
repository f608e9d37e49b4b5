// File actions (new / open / save / save as / recent) over the document store and the IPC
// wrappers. Actions that would drop unsaved changes go through `confirmDiscard`, which the App
// wires to its confirmation dialog.
import {
  checkRecovery,
  clearRecovery,
  closeWindow,
  exportFile,
  openExported,
  finishOpening,
  getStartup,
  importFile,
  listFormats,
  listRecentFiles,
  listTemplates,
  newFromTemplate,
  sampleProject,
  openModel,
  pickImportPath,
  pickExportPath,
  pickOpenPath,
  pickSavePath,
  reimportFile,
  saveModel,
  type CommandError,
  type ExportFormat,
  type Formats,
  type ImportFormat,
  type Located,
  type Recovery,
  type ReimportPreview,
  type TemplateInfo,
} from "../ipc";
import { docStore, emptyModel, isDirty } from "../store/document";
import type { Model } from "../bindings/Model";
import type { ThreatFilter } from "../lib/threats";
import { NO_QUERY, type RegisterQuery, type RegisterSort } from "../lib/register";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";

export type Choice = "save" | "discard" | "cancel";

export interface ImportWarnings {
  source: string;
  warnings: Located[];
}

interface UiState {
  error: CommandError | null;
  recent: string[];
  confirm: { message: string; resolve: (c: Choice) => void } | null;
  help: boolean;
  /** The core's import and export formats (null until loaded). */
  formats: Formats | null;
  /** Built-in templates (null until loaded). */
  templates: TemplateInfo[] | null;
  /** File → New dialog (blank or from a template). */
  newDialog: boolean;
  /** Warnings of the last import, until dismissed. */
  importWarnings: ImportWarnings | null;
  /** An autosave newer than the file, offered at start-up. */
  recovery: Recovery | null;
  /** A long-running command in progress ("Exporting PDF report…"). */
  busy: string | null;
  /** Cancels the work `busy` names (null: it cannot be cancelled). */
  cancelBusy: (() => void) | null;
  /** A model is being opened (the canvas shows that, not the empty-model gallery). */
  opening: boolean;
  /** The start-up file that was not reopened because the last start never finished opening it. */
  interrupted: string | null;
  /** A short confirmation ("Report saved to …"). */
  notice: string | null;
  /** Which threats the lists and the register show. */
  filter: ThreatFilter;
  /** The bottom register panel is open. */
  register: boolean;
  /** The register shows one row per rule and severity (the default), not one per finding. */
  registerGrouped: boolean;
  /** The register's filter bar (combined with `filter`). */
  registerQuery: RegisterQuery;
  /** The register's column sort (null: rank order). */
  registerSort: RegisterSort;
  /** The register lists the decisions resolved by design below the threats. */
  showResolved: boolean;
  /** The step of the canvas tour on screen (null: no tour). */
  tour: number | null;
  /** The user guide page open in the guide viewer ("first-model.md"; null: closed). */
  guide: string | null;
  /** The Help menu in the header is open. */
  helpMenu: boolean;
  /** The About box is open. */
  about: boolean;
  /** The Settings dialog is open. */
  settings: boolean;
  /** Presentation mode for a shared screen: panels hidden, larger type, the diagram fitted.
   *  `register` holds whether the register was open before, to put it back. */
  presenting: { register: boolean } | null;
  /** The export dialog: choosing the format, the export running (since `started`, ms), or done. */
  exportDialog: ExportDialog | null;
  /** Re-import infrastructure: choosing the source format, or reviewing the drift before applying it. */
  reimport: { stage: "choose" } | { stage: "review"; preview: ReimportPreview; format: ImportFormat } | null;
}
export const uiStore = createStore<UiState>()(() => ({
  error: null,
  recent: [],
  confirm: null,
  help: false,
  formats: null,
  templates: null,
  newDialog: false,
  importWarnings: null,
  reimport: null,
  exportDialog: null,
  presenting: null,
  recovery: null,
  busy: null,
  cancelBusy: null,
  opening: false,
  interrupted: null,
  notice: null,
  filter: "all",
  register: true,
  registerGrouped: true,
  registerQuery: NO_QUERY,
  registerSort: null,
  showResolved: false,
  tour: null,
  guide: null,
  helpMenu: false,
  about: false,
  settings: false,
}));
export const useUi = <T,>(sel: (s: UiState) => T) => useStore(uiStore, sel);

export const baseName = (p: string | null) => (p ? p.split(/[\\/]/).pop() || p : "Untitled");

export function fail(e: unknown) {
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
  if (choice === "discard") {
    // Discarded on purpose: the recovery file must not bring the changes back at the next start.
    clearRecovery(docStore.getState().path).catch(() => {});
    return true;
  }
  return false;
}

/** File → Quit and Ctrl+Q, and closing the window with unsaved changes: asks, then closes. */
export async function quit() {
  if (await confirmDiscard()) await closeWindow();
}

export async function startup() {
  void loadTemplates();
  void loadFormats();
  const { ticket, cancelled } = beginOpening("Opening the start-up model…");
  try {
    const opened = await getStartup();
    if (cancelled()) return;
    if (opened?.interrupted) {
      uiStore.setState({ interrupted: opened.interrupted });
      endOpening(ticket);
      return;
    }
    if (!opened) return endOpening(ticket);
    if (opened.model) return showOpened(ticket, opened.model, opened.path);
    docStore.getState().load(emptyModel(opened.path ? baseName(opened.path).replace(/\.(ya?ml|twm)$/, "") : undefined), opened.path);
    endOpening(ticket);
    await offerRecovery(opened.path);
  } catch (e) {
    endOpening(ticket);
    if (!cancelled()) fail(e);
  } finally {
    void refreshRecent();
  }
}

// ---- opening with progress and cancel ----------------------------------------------------

let openTicket = 0;

/**
 * Starts an open: shows progress with a Cancel that drops its result and keeps the document
 * that was open. Returns the ticket of this open and whether it was cancelled (or overtaken).
 */
function beginOpening(what: string) {
  const ticket = ++openTicket;
  uiStore.setState({
    busy: what,
    opening: true,
    cancelBusy: () => {
      openTicket++;
      uiStore.setState({ busy: null, cancelBusy: null, opening: false });
      finishOpening().catch(() => {});
    },
  });
  return { ticket, cancelled: () => ticket !== openTicket };
}

function endOpening(ticket: number) {
  if (ticket !== openTicket) return;
  openTicket++;
  uiStore.setState({ busy: null, cancelBusy: null, opening: false });
  finishOpening().catch(() => {});
}

/**
 * Shows an opened model, then keeps the progress up ("Analysing N elements…") until its first
 * analysis has landed, which is when the window is interactive and the "being opened" marker goes.
 */
async function showOpened(ticket: number, model: Model, path: string | null) {
  docStore.getState().load(model, path);
  uiStore.setState({ error: null, importWarnings: null, interrupted: null, opening: false });
  if (ticket === openTicket) uiStore.setState({ busy: `Analysing ${model.elements.length} elements and ${model.flows.length} flows…` });
  await new Promise<void>((resolve) => {
    if (docStore.getState().analysis) return resolve();
    const unsub = docStore.subscribe((s) => {
      if (s.analysis || s.model !== model) {
        unsub();
        resolve();
      }
    });
  });
  endOpening(ticket);
  await offerRecovery(path);
}

/** Opens the model at `path` with progress and Cancel (the document shown stays until it lands). */
async function openWithProgress(path: string) {
  const { ticket, cancelled } = beginOpening(`Opening ${baseName(path)} — reading and laying it out…`);
  try {
    const opened = await openModel(path);
    if (cancelled()) return;
    if (opened.model) await showOpened(ticket, opened.model, opened.path);
    else endOpening(ticket);
  } catch (e) {
    endOpening(ticket);
    if (!cancelled()) fail(e);
  }
}

/** "Open it anyway": the start-up file the last start never finished opening. */
export async function openInterrupted() {
  const path = uiStore.getState().interrupted;
  uiStore.setState({ interrupted: null });
  if (path) await openPath(path);
}

/** Looks for an autosave newer than the file (or of the untitled model) and offers it. */
export async function offerRecovery(path: string | null) {
  try {
    const recovery = await checkRecovery(path);
    if (recovery) uiStore.setState({ recovery });
  } catch {
    /* no recovery to offer */
  }
}

/** Restores the offered autosave as an unsaved (undoable) edit of the open document. */
export function restoreRecovery() {
  const r = uiStore.getState().recovery;
  if (!r) return;
  docStore.getState().commit(() => r.model);
  uiStore.setState({ recovery: null });
}

/** Declines the offered autosave (its recovery file is dropped). */
export function declineRecovery() {
  const r = uiStore.getState().recovery;
  uiStore.setState({ recovery: null });
  if (r) clearRecovery(r.path).catch(() => {});
}

export async function loadTemplates() {
  if (uiStore.getState().templates) return;
  try {
    uiStore.setState({ templates: await listTemplates() });
  } catch {
    uiStore.setState({ templates: [] });
  }
}

export async function loadFormats() {
  if (uiStore.getState().formats) return;
  try {
    uiStore.setState({ formats: await listFormats() });
  } catch {
    uiStore.setState({ formats: { import: [], export: [] } });
  }
}

/** File → New: asks "blank or from a template" in a dialog. */
export function newModel() {
  void loadTemplates();
  uiStore.setState({ newDialog: true });
}

export async function newBlank() {
  uiStore.setState({ newDialog: false });
  if (await confirmDiscard()) docStore.getState().load(emptyModel(), null);
}

/** A new untitled model from a built-in template. */
export async function newFromTemplateName(name: string) {
  uiStore.setState({ newDialog: false });
  if (!(await confirmDiscard())) return;
  try {
    const model = await newFromTemplate(name);
    docStore.getState().load(model, null);
    uiStore.setState({ error: null, importWarnings: null });
  } catch (e) {
    fail(e);
  }
}

/** The welcome screen's sample project (the photo-pipeline example), opened unsaved. */
export async function openSample() {
  if (!(await confirmDiscard())) return;
  try {
    const model = await sampleProject();
    docStore.getState().loadUnsaved(model);
    uiStore.setState({ error: null, importWarnings: null });
  } catch (e) {
    fail(e);
  }
}

/** Import a file of `format` (SAM, serverless.yml, Threat Dragon): opens it unsaved, shows the warnings. */
export async function importDialog(format: ImportFormat) {
  uiStore.setState({ newDialog: false });
  if (!(await confirmDiscard())) return;
  try {
    const path = await pickImportPath(format);
    if (!path) return;
    const imported = await importFile(path, format);
    docStore.getState().loadUnsaved(imported.model);
    uiStore.setState({
      error: null,
      importWarnings: { source: imported.source, warnings: imported.warnings },
    });
  } catch (e) {
    fail(e);
  }
}

/** Formats whose re-import can be laid onto a model: infrastructure as code, and Threat Composer files
 * (their decisions and threats). */
export const REIMPORT_FORMATS = ["sam", "serverless", "terraform", "threat-composer"];

/** Re-import infrastructure…: pick the source, preview the drift against the open model. */
export async function reimportFrom(format: ImportFormat) {
  try {
    const path = await pickImportPath(format);
    if (!path) return;
    uiStore.setState({ busy: format === "threat-composer" ? "Reading the Threat Composer file…" : "Re-importing infrastructure…", notice: null });
    const preview = await reimportFile(path, format, docStore.getState().model);
    uiStore.setState({ reimport: { stage: "review", preview, format }, error: null });
  } catch (e) {
    uiStore.setState({ reimport: null });
    fail(e);
  } finally {
    uiStore.setState({ busy: null });
  }
}

/** Applies a reviewed re-import as one undoable edit. */
export function applyReimport() {
  const r = uiStore.getState().reimport;
  if (r?.stage !== "review") return;
  docStore.getState().commit(() => r.preview.model);
  uiStore.setState({
    reimport: null,
    notice: `Re-imported ${baseName(r.preview.source)}: threats ${r.preview.threats_added} appeared, ${r.preview.threats_removed} disappeared`,
    importWarnings: r.preview.warnings.length ? { source: r.preview.source, warnings: r.preview.warnings } : null,
  });
}

/** The file name an export of the open document suggests ("orders-report.pdf", "orders.sarif"). */
export function exportName(format: ExportFormat): string {
  const model = docStore.getState().model;
  const path0 = docStore.getState().path;
  const stem = (path0 ? baseName(path0).replace(/\.(ya?ml|twm)$/, "") : model.name || "threat-model").replace(/[\\/:*?"<>|]/g, "-");
  const info = uiStore.getState().formats?.export.find((f) => f.name === format);
  const ext = info?.extensions[0] ?? format;
  return format === "pdf" ? `${stem}-report.pdf` : format === "threat-dragon" ? `${stem}.threat-dragon.${ext}` : `${stem}.${ext}`;
}

export type ExportDialog =
  | { stage: "choose"; format: ExportFormat }
  | { stage: "running"; format: ExportFormat; path: string; started: number }
  | { stage: "done"; format: ExportFormat; path: string; seconds: number; opened: boolean };

const OPEN_WHEN_DONE = "tw.openWhenDone";
/** "Open when done" in the export dialog, remembered across starts (off by default). */
export const openWhenDone = () => localStorage.getItem(OPEN_WHEN_DONE) === "1";
export const setOpenWhenDone = (on: boolean) => localStorage.setItem(OPEN_WHEN_DONE, on ? "1" : "0");

export const formatLabel = (format: ExportFormat) =>
  format === "pdf" ? "PDF report" : (uiStore.getState().formats?.export.find((f) => f.name === format)?.label ?? format);

/** Opens the export dialog with `format` chosen (every export goes through it). */
export function exportAs(format: ExportFormat) {
  uiStore.setState({ exportDialog: { stage: "choose", format } });
}

/** Runs the export the dialog holds: save dialog, then the analysis is rendered off the main
 * thread while the dialog shows the time it takes; then the file is opened if asked. */
export async function runExport() {
  const d = uiStore.getState().exportDialog;
  if (d?.stage !== "choose") return;
  const { format } = d;
  const model = docStore.getState().model;
  try {
    const path = await pickExportPath(format, exportName(format));
    if (!path) return;
    const started = Date.now();
    uiStore.setState({ exportDialog: { stage: "running", format, path, started }, notice: null });
    await exportFile(format, path, model);
    const open = openWhenDone();
    if (open) await openExported(path);
    const seconds = (Date.now() - started) / 1000;
    uiStore.setState({ exportDialog: { stage: "done", format, path, seconds, opened: open }, notice: `${formatLabel(format)} saved to ${path}` });
  } catch (e) {
    uiStore.setState({ exportDialog: null });
    fail(e);
  }
}

/** Opens the exported file of a finished export. */
export async function openExport() {
  const d = uiStore.getState().exportDialog;
  if (d?.stage !== "done") return;
  try {
    await openExported(d.path);
    uiStore.setState({ exportDialog: { ...d, opened: true } });
  } catch (e) {
    fail(e);
  }
}

/** Export PDF report…: the most common export, one click from the header. */
export const exportReport = () => exportAs("pdf");

export async function openPath(path: string) {
  if (!(await confirmDiscard())) return;
  await openWithProgress(path);
  void refreshRecent();
}

export async function openDialog() {
  if (!(await confirmDiscard())) return;
  try {
    const path = await pickOpenPath();
    if (path) await openWithProgress(path);
  } catch (e) {
    fail(e);
  }
  void refreshRecent();
}

export async function saveAs(): Promise<boolean> {
  try {
    const s = docStore.getState();
    const path = await pickSavePath(s.path ? baseName(s.path) : `${s.model.name || "model"}.twm`);
    if (!path) return false;
    return await saveTo(path);
  } catch (e) {
    fail(e);
    return false;
  }
}

async function saveTo(path: string): Promise<boolean> {
  const model = docStore.getState().model;
  const before = docStore.getState().path;
  try {
    await saveModel(path, model);
    // The file now holds these changes: their recovery files are no longer needed.
    for (const p of new Set([before, path])) clearRecovery(p).catch(() => {});
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

/** Enters or leaves presentation mode (F5; Esc leaves): the palette, inspector and register
 *  give the canvas the screen, the type grows, and the register comes back as it was. */
export function togglePresenting() {
  const p = uiStore.getState().presenting;
  if (p) uiStore.setState({ presenting: null, register: p.register });
  else uiStore.setState({ presenting: { register: uiStore.getState().register }, register: false, helpMenu: false });
}
