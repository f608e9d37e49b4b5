// The one export dialog: every export format of the core (`list_formats`), the PDF report first;
// "Open when done" (remembered); the export running with the time it has taken; then where the
// file went, with Open. The render runs off the main thread (`export_file`), so the window stays
// usable while a large model's report is written.
import { useEffect, useState } from "react";
import { exportName, formatLabel, openExport, openWhenDone, runExport, setOpenWhenDone, uiStore, useUi } from "./files";

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  return <>{Math.max(0, (now - since) / 1000).toFixed(1)} s</>;
}

export function ExportDialog() {
  const d = useUi((s) => s.exportDialog);
  const formats = useUi((s) => s.formats?.export ?? []);
  const [open, setOpen] = useState(openWhenDone);
  if (!d) return null;
  const close = () => uiStore.setState({ exportDialog: null });
  const ordered = [...formats].sort((a, b) => (a.name === "pdf" ? -1 : b.name === "pdf" ? 1 : 0));
  return (
    <div className="modal-backdrop" onClick={d.stage === "running" ? undefined : close}>
      <div className="modal export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-title" data-testid="export-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="export-title">Export</h2>
        {d.stage === "choose" && (
          <>
            <fieldset className="export-formats">
              <legend>Format</legend>
              {ordered.map((f) => (
                <label key={f.name} className="export-format">
                  <input
                    type="radio"
                    name="export-format"
                    value={f.name}
                    checked={d.format === f.name}
                    onChange={() => uiStore.setState({ exportDialog: { stage: "choose", format: f.name } })}
                    data-testid={`export-choice-${f.name}`}
                  />
                  {f.name === "pdf" ? "PDF risk report" : f.label} <span className="muted">.{f.extensions[0]}</span>
                </label>
              ))}
            </fieldset>
            <p className="muted">Saved as {exportName(d.format)} — the save dialog lets you change it.</p>
            <label className="export-open">
              <input
                type="checkbox"
                checked={open}
                onChange={(e) => {
                  setOpen(e.target.checked);
                  setOpenWhenDone(e.target.checked);
                }}
                data-testid="export-open-when-done"
              />
              Open when done
            </label>
            <div className="modal-actions">
              <button type="button" onClick={close} data-testid="export-cancel">Cancel</button>
              <button type="button" className="primary" onClick={() => void runExport()} data-testid="export-run">
                Export…
              </button>
            </div>
          </>
        )}
        {d.stage === "running" && (
          <div role="status" aria-live="polite" data-testid="export-progress">
            <p>
              Writing the {formatLabel(d.format)} to <code>{d.path}</code>… <Elapsed since={d.started} />
            </p>
            <div className="progress-bar indeterminate" aria-hidden="true"><span /></div>
            <p className="muted">The window stays usable; this dialog says when the file is written.</p>
          </div>
        )}
        {d.stage === "done" && (
          <div role="status" data-testid="export-done">
            <p>
              {formatLabel(d.format)} saved to <code>{d.path}</code> in {d.seconds.toFixed(1)} s{d.opened ? ", and opened." : "."}
            </p>
            <div className="modal-actions">
              <button type="button" onClick={() => void openExport()} data-testid="export-open">Open</button>
              <button type="button" className="primary" onClick={close} data-testid="export-close">Close</button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
