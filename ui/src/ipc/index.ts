// The one and only bridge between the UI and the Rust backend.
//
// Rule: no other module may import `@tauri-apps/api` (enforced by src/ipc/boundary.test.ts).
// Every command the UI uses gets a typed wrapper here (Rust `verb_noun` → TS `verbNoun`), so the
// command surface stays small, reviewable and easy to mock in tests. Types come from the
// generated bindings in src/bindings (never edited by hand).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AnalysisReport } from "../bindings/AnalysisReport";
import type { AnalysisUpdate } from "../bindings/AnalysisUpdate";
import type { AppInfo } from "../bindings/AppInfo";
import type { CommandError } from "../bindings/CommandError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Located } from "../bindings/Located";
import type { Model } from "../bindings/Model";
import type { OpenedModel } from "../bindings/OpenedModel";
import type { Schema } from "../bindings/Schema";
import type { ImportedModel } from "../bindings/ImportedModel";
import type { ReimportPreview } from "../bindings/ReimportPreview";
import type { Recovery } from "../bindings/Recovery";
import type { TemplateInfo } from "../bindings/TemplateInfo";
import type { FormatInfo } from "../bindings/FormatInfo";
import type { Formats } from "../bindings/Formats";
import type { TriageRequest } from "../bindings/TriageRequest";
import type { LabelPosition } from "../bindings/LabelPosition";
import type { ProjectHistory } from "../bindings/ProjectHistory";
import type { RevisionComparison } from "../bindings/RevisionComparison";
import type { Question } from "../bindings/Question";
import type { Answer } from "../bindings/Answer";

export type { AnalysisReport, AnalysisUpdate, AppInfo, CommandError, ErrorCode, FormatInfo, Formats, ImportedModel, LabelPosition, Located, Model, OpenedModel, ProjectHistory, Recovery, ReimportPreview, RevisionComparison, Schema, TemplateInfo, TriageRequest };
/** The core's name of an import format (`sam`, `serverless`, `threat-dragon`; see `listFormats`). */
export type ImportFormat = string;
/** The core's name of an export format (`json`, `sarif`, `pdf`, …; see `listFormats`). */
export type ExportFormat = string;

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

function toCommandError(err: unknown): CommandError {
  if (isCommandError(err)) return { ...err, diagnostics: Array.isArray(err.diagnostics) ? err.diagnostics : [] };
  // Outside the Tauri webview (plain browser, no mock) invoke() throws a TypeError.
  const message = err instanceof Error ? err.message : String(err);
  return { code: "ipc_unavailable", message, diagnostics: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toCommandError(err);
  }
}

/** Version and build facts of the running app. */
export const appInfo = () => call<AppInfo>("app_info");
/** Palette catalog and typed property schema. */
export const getSchema = () => call<Schema>("get_schema");
/**
 * Runs the threat analysis (off the main thread in Rust). With `base`, the revision of the
 * analysis the page holds, the answer is usually only what changed since (`lib/delta.ts`).
 */
export const analyzeModel = (model: Model, base: number | null = null) => call<AnalysisUpdate>("analyze_model", { model, base });
/** Places every element and boundary with the core's auto-layout. */
export const layoutModel = (model: Model) => call<Model>("layout_model", { model });
/** The core's flow label centres (clear of nodes and of each other) for the model's positions. */
export const placeFlowLabels = (model: Model) => call<LabelPosition[]>("place_flow_labels", { model });
/** The model named on the command line (path without model = new file to create). */
export const getStartup = () => call<OpenedModel>("get_startup");
export const openModel = (path: string) => call<OpenedModel>("open_model", { path });
/** The opened model is interactive (or the open failed or was cancelled): clears the core's "being opened" marker. */
export const finishOpening = () => call<null>("finish_opening");
export const saveModel = (path: string, model: Model) => call<null>("save_model", { path, model });
export const listRecentFiles = () => call<string[]>("list_recent_files");
/** Native open dialog; null when cancelled. */
export const pickOpenPath = () => call<string | null>("pick_open_path");
/** Native save dialog; null when cancelled. */
export const pickSavePath = (suggested: string) => call<string | null>("pick_save_path", { suggested });
export const setDocumentState = (title: string, dirty: boolean) =>
  call<null>("set_document_state", { title, dirty });
export const closeWindow = () => call<null>("close_window");
/** The built-in architecture templates. */
export const listTemplates = () => call<TemplateInfo[]>("list_templates");
/** A new, laid-out model from a built-in template. */
export const newFromTemplate = (name: string) => call<Model>("new_from_template", { name });
export const sampleProject = () => call<Model>("sample_project");
/** Every import and export format of the core, with dialog labels and extensions. */
export const listFormats = () => call<Formats>("list_formats");
/** Native open dialog for an import source of `format`; null when cancelled. */
export const pickImportPath = (format: ImportFormat) => call<string | null>("pick_import_path", { format });
/** Imports a file of `format` (laid out) plus the importer's located warnings. */
export const importFile = (path: string, format: ImportFormat) => call<ImportedModel>("import_file", { path, format });
/** Re-imports infrastructure onto `model`: the updated model and the drift report, applied by the UI. */
export const reimportFile = (path: string, format: ImportFormat, model: Model) =>
  call<ReimportPreview>("reimport_file", { path, format, model });
/** The OS user name (owner of triage decisions). */
export const currentUser = () => call<string>("current_user");
/** The OS account's name (what a blank name in Settings falls back to). */
export const osUserName = () => call<string>("os_user_name");
/** Sets the name recorded as owner, session answerer and revision author; returns the one in use. */
export const setUserName = (name: string) => call<string>("set_user_name", { name });
/** Today as YYYY-MM-DD (UTC). */
export const todayDate = () => call<string>("today_date");
/** Autosaves into the .twm project, or a recovery file for YAML / untitled models. */
export const autosaveModel = (path: string | null, model: Model) => call<null>("autosave_model", { path, model });
/** An autosave newer than the file (or of the untitled model), if any. */
export const checkRecovery = (path: string | null) => call<Recovery | null>("check_recovery", { path });
export const clearRecovery = (path: string | null) => call<null>("clear_recovery", { path });
/** Writes the analysis of `model` in `format` (rendered off the main thread). */
export const exportFile = (format: ExportFormat, path: string, model: Model) => call<null>("export_file", { format, path, model });
/** Opens an exported file with the desktop's viewer for its type. */
export const openExported = (path: string) => call<null>("open_exported", { path });
/** Native save dialog for an export in `format`; null when cancelled. */
export const pickExportPath = (format: ExportFormat, suggested: string) =>
  call<string | null>("pick_export_path", { format, suggested });
/** The revisions and triage history of a `.twm` project file. */
export const projectHistory = (path: string) => call<ProjectHistory>("project_history", { path });
/** Revision `revision` of a project compared with the open model. */
export const compareRevision = (path: string, revision: number, model: Model) =>
  call<RevisionComparison>("compare_revision", { path, revision, model });
/** The model of one revision, to restore. */
export const loadRevision = (path: string, revision: number) => call<Model>("load_revision", { path, revision });

/** `model` with a triage decision recorded by the core's one policy (open + no note clears it). */
export const triageThreat = (model: Model, request: TriageRequest) => call<Model>("triage_threat", { model, request });
/** `model` with every decision recorded in order by the same policy; all or none. */
export const triageThreats = (model: Model, requests: TriageRequest[]) => call<Model>("triage_threats", { model, requests });

/** The guided session's questions on `model`, in the order to ask them. */
export const sessionQuestions = (model: Model) => call<Question[]>("session_questions", { model });
/** `model` with the answer recorded: the property set, the log entry appended last. */
export const sessionAnswer = (model: Model, answer: Answer) => call<Model>("session_answer", { model, answer });

/** Called with the id of each native menu item the user chooses (`src-tauri/src/menu.rs`). */
export function onMenu(handler: (id: string) => void): () => void {
  let unlisten: (() => void) | null = null;
  let cancelled = false;
  listen<string>("tw://menu", (e) => handler(e.payload))
    .then((u) => (cancelled ? u() : (unlisten = u)))
    .catch(() => {
      /* no backend (browser tests): no menu bar */
    });
  return () => {
    cancelled = true;
    unlisten?.();
  };
}

/** Called when the user closes the window with unsaved changes (the close is on hold). */
export function onCloseRequested(handler: () => void): () => void {
  let unlisten: (() => void) | null = null;
  let cancelled = false;
  listen("tw://close-requested", handler)
    .then((u) => (cancelled ? u() : (unlisten = u)))
    .catch(() => {
      /* no backend (browser tests): nothing to listen to */
    });
  return () => {
    cancelled = true;
    unlisten?.();
  };
}
