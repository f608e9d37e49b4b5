// Re-import…: choose the source's format, pick it, review the report (for infrastructure the
// drift: changes, and the threats that appear, disappear or re-score; for a Threat Composer file
// the decisions it changes and the threats it brings) and apply it as one undoable edit, or
// cancel and keep the model as it is.
import { applyReimport, baseName, REIMPORT_FORMATS, reimportFrom, uiStore, useUi } from "./files";

const threats = (n: number) => `${n} ${n === 1 ? "threat" : "threats"}`;

export function ReimportDialog() {
  const reimport = useUi((s) => s.reimport);
  const formats = useUi((s) => s.formats);
  if (!reimport) return null;
  const close = () => uiStore.setState({ reimport: null });
  const sources = (formats?.import ?? []).filter((f) => REIMPORT_FORMATS.includes(f.name));
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal reimport-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="reimport-title"
        data-testid="reimport-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="reimport-title">Re-import onto this model</h2>
        {reimport.stage === "choose" ? (
          <>
            <p>
              Lay a newer version of the infrastructure onto this model: elements are matched by their logical id or resource
              address, and your names, layout, descriptions and triage are kept. Or lay a Threat Composer file on: the statuses
              your team set there become triage decisions, and the threats written there are kept on the elements they name.
              You review the changes before they are applied.
            </p>
            <div className="new-actions">
              {sources.map((f) => (
                <button type="button" key={f.name} onClick={() => void reimportFrom(f.name)} data-testid={`reimport-${f.name}`}>
                  {f.label}…
                </button>
              ))}
            </div>
            <div className="modal-actions">
              <button type="button" onClick={close}>Cancel</button>
            </div>
          </>
        ) : (
          <>
            <p data-testid="reimport-summary">
              {baseName(reimport.preview.source)}:{" "}
              {reimport.format === "threat-composer"
                ? reimport.preview.changed
                  ? "decisions or threats to lay on"
                  : "nothing new for this model"
                : reimport.preview.changed
                  ? "the infrastructure changed"
                  : "no changes in the infrastructure"}
              ;{" "}
              {threats(reimport.preview.threats_added)} appear, {threats(reimport.preview.threats_removed)} disappear.
            </p>
            <pre className="reimport-report" data-testid="reimport-report" tabIndex={0} aria-label={reimport.format === "threat-composer" ? "Threat Composer report" : "Drift report"}>
              {reimport.preview.report}
            </pre>
            <div className="modal-actions">
              <button type="button" onClick={close} data-testid="reimport-cancel">Cancel</button>
              <button type="button" className="primary" onClick={applyReimport} data-testid="reimport-apply">
                Apply changes
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
