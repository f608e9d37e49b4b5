// Modal overlays: the unsaved-changes confirmation, the shortcut help, and the error banner
// (backend errors such as located YAML diagnostics, shown as plain text).
import { uiStore, useUi } from "./files";

export const SHORTCUTS: [string, string][] = [
  ["Delete / Backspace", "Delete the selection"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Y, Ctrl+Shift+Z", "Redo"],
  ["Ctrl+C / Ctrl+V", "Copy / paste"],
  ["Ctrl+A", "Select everything"],
  ["Arrow keys (Shift: ×4)", "Nudge the selection"],
  ["Shift+drag", "Box-select"],
  ["Ctrl/Shift+click", "Add to the selection"],
  ["F", "Fit the diagram in view"],
  ["Ctrl+S / Ctrl+Shift+S", "Save / Save as"],
  ["Ctrl+O", "Open a model"],
  ["Ctrl+N", "New model"],
  ["?", "This help"],
  ["Esc", "Close overlays, clear the selection"],
];

export function Overlays() {
  const confirm = useUi((s) => s.confirm);
  const help = useUi((s) => s.help);
  const error = useUi((s) => s.error);
  return (
    <>
      {error && (
        <div className="error-banner" role="alert" data-testid="error-banner">
          <strong>{error.code === "model_invalid" ? "This file is not a valid model:" : `Error (${error.code}):`}</strong>
          <pre>{error.message}</pre>
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
