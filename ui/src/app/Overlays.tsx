// Modal overlays: the unsaved-changes confirmation, the shortcut help, and the error banner
// (backend errors such as located YAML diagnostics, shown as plain text).
import { baseName, declineRecovery, newBlank, openInterrupted, restoreRecovery, uiStore, useUi } from "./files";
import { locatedText } from "../lib/located";
import TemplateGallery, { ImportButtons } from "./Gallery";
import { ReimportDialog } from "./Reimport";
import { ComparisonDialog } from "../panels/Revisions";
import { ExportDialog } from "./ExportDialog";
import { SettingsDialog } from "./Settings";

export const SHORTCUTS: [string, string][] = [
  ["Delete / Backspace", "Delete the selection"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Y, Ctrl+Shift+Z", "Redo"],
  ["Ctrl+X / Ctrl+C / Ctrl+V", "Cut / copy / paste"],
  ["Ctrl+A", "Select everything"],
  ["Ctrl+D", "Duplicate the selection"],
  ["F2, double-click", "Rename in place (a flow: its label)"],
  ["Right-click, Shift+F10", "Context menu"],
  ["Ctrl+F", "Find an element by name and centre it"],
  ["Arrow keys (Shift: ×4)", "Nudge the selection"],
  ["Shift+drag", "Box-select"],
  ["Ctrl/Shift+click", "Add to the selection"],
  ["F", "Fit the diagram in view"],
  ["Ctrl+G", "Guided session: questions that settle what the analysis assumed"],
  ["F5", "Presentation mode: larger type, panels hidden (Esc leaves)"],
  ["[ / ]", "Previous / next attack path or trigger loop (Views)"],
  ["Ctrl+S / Ctrl+Shift+S", "Save / Save as"],
  ["Ctrl+O", "Open a model"],
  ["Ctrl+N", "New model (blank or from a template)"],
  ["Ctrl+,", "Settings: your name on decisions and revisions"],
  ["Ctrl+Q", "Quit (asks first if there are unsaved changes)"],
  ["?", "This help"],
  ["Esc", "Close overlays, clear the selection"],
];

/** "2026-11-29T19:20:02Z" → "2026-11-29 19:20 UTC". */
const when = (iso: string) => iso.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d).*Z$/, "$1 $2 UTC");

export function Overlays() {
  const confirm = useUi((s) => s.confirm);
  const help = useUi((s) => s.help);
  const error = useUi((s) => s.error);
  const newDialog = useUi((s) => s.newDialog);
  const warnings = useUi((s) => s.importWarnings);
  const recovery = useUi((s) => s.recovery);
  const busy = useUi((s) => s.busy);
  const cancelBusy = useUi((s) => s.cancelBusy);
  const interrupted = useUi((s) => s.interrupted);
  const notice = useUi((s) => s.notice);
  return (
    <>
      {warnings && (
        <div className="warning-card import-warnings" role="status" data-testid="import-warnings">
          <strong>
            Imported {warnings.source.split(/[\\/]/).pop()}
            {warnings.warnings.length ? ` with ${warnings.warnings.length} warning${warnings.warnings.length === 1 ? "" : "s"}` : " — no warnings"}
          </strong>
          {warnings.warnings.length > 0 && (
            <ul>
              {warnings.warnings.map((w, i) => (
                <li key={i}>{locatedText(w)}</li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => uiStore.setState({ importWarnings: null })} data-testid="import-warnings-dismiss">
            Dismiss
          </button>
        </div>
      )}
      {busy && (
        <div className="busy" role="status" aria-live="polite" data-testid="busy">
          <span className="spinner" aria-hidden="true" />
          {busy}
          {cancelBusy && (
            <button type="button" onClick={cancelBusy} data-testid="busy-cancel" title="Stop and keep the document that was open">
              Cancel
            </button>
          )}
        </div>
      )}
      {interrupted && (
        <div className="warning-card import-warnings" role="alert" data-testid="interrupted">
          <strong>{baseName(interrupted)} was not reopened</strong>
          <p>The last start did not finish opening it (the app was closed, hung or crashed while it loaded).</p>
          <button type="button" onClick={() => void openInterrupted()} data-testid="interrupted-open">
            Open it anyway
          </button>{" "}
          <button type="button" onClick={() => uiStore.setState({ interrupted: null })} data-testid="interrupted-dismiss">
            Dismiss
          </button>
        </div>
      )}
      {notice && !busy && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
          <button type="button" onClick={() => uiStore.setState({ notice: null })} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {recovery && (
        <div className="modal-backdrop">
          <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="recovery-title" data-testid="recovery-dialog">
            <h2 id="recovery-title">Restore unsaved changes?</h2>
            <p>
              {recovery.path
                ? `An autosave of ${recovery.path.split(/[\\/]/).pop()} from ${when(recovery.saved_at)} is newer than the saved file.`
                : `An untitled model (${recovery.model.name}, ${recovery.model.elements.length} components) was left unsaved at ${when(recovery.saved_at)}.`}{" "}
              Restore it? Restored changes stay unsaved until you save.
            </p>
            <div className="modal-actions">
              <button type="button" className="primary" autoFocus onClick={restoreRecovery} data-testid="recovery-restore">Restore</button>
              <button type="button" onClick={declineRecovery} data-testid="recovery-discard">Discard autosave</button>
            </div>
          </div>
        </div>
      )}
      <ReimportDialog />
      <ComparisonDialog />
      <ExportDialog />
      <SettingsDialog />
      {newDialog && (
        <div className="modal-backdrop" onClick={() => uiStore.setState({ newDialog: false })}>
          <div className="modal new-dialog" role="dialog" aria-modal="true" aria-labelledby="new-title" data-testid="new-dialog" onClick={(e) => e.stopPropagation()}>
            <h2 id="new-title">New model</h2>
            <div className="new-actions">
              <button type="button" className="primary" onClick={() => void newBlank()} data-testid="new-blank">Blank model</button>
              <ImportButtons />
            </div>
            <h3 className="section-title">From a template</h3>
            <TemplateGallery />
            <div className="modal-actions">
              <button type="button" onClick={() => uiStore.setState({ newDialog: false })}>Cancel</button>
            </div>
          </div>
        </div>
      )}
      {error && (
        <div className="error-banner" role="alert" data-testid="error-banner">
          <strong>{error.code === "model_invalid" ? "This file is not a valid model:" : `Error (${error.code}):`}</strong>
          {error.diagnostics?.length ? (
            <ul className="diagnostics" data-testid="error-diagnostics">
              {error.diagnostics.map((d, i) => (
                <li key={i}>
                  <code>{locatedText(d)}</code>
                </li>
              ))}
            </ul>
          ) : (
            <pre>{error.message}</pre>
          )}
          <button type="button" onClick={() => uiStore.setState({ error: null })}>
            Dismiss
          </button>
        </div>
      )}
      {confirm && (
        <div className="modal-backdrop">
          <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
            <h2 id="confirm-title">Unsaved changes</h2>
            <p>{confirm.message} Save them first?</p>
            <div className="modal-actions">
              <button type="button" className="primary" autoFocus onClick={() => confirm.resolve("save")} data-testid="confirm-save">Save</button>
              <button type="button" onClick={() => confirm.resolve("discard")} data-testid="confirm-discard">Discard</button>
              <button type="button" onClick={() => confirm.resolve("cancel")}>Cancel</button>
            </div>
          </div>
        </div>
      )}
      {help && (
        <div className="modal-backdrop" onClick={() => uiStore.setState({ help: false })}>
          <div className="modal help" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" onClick={(e) => e.stopPropagation()}>
            <h2 id="help-title">Keyboard shortcuts</h2>
            <table>
              <tbody>
                {SHORTCUTS.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row"><kbd>{k}</kbd></th>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Drag from a node's edge dot to another node to draw a data flow; drop nodes into a boundary to place them inside it.</p>
            <button type="button" onClick={() => uiStore.setState({ help: false })}>Close</button>
          </div>
        </div>
      )}
    </>
  );
}
