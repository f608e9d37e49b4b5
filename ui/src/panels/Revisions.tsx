// The revisions of the open `.twm` project, newest first, with author and date: compare one
// with the open model (threats added, removed, re-scored, re-triaged), or restore it as one
// undoable edit. Shown only for project files; a YAML model has no revisions.
import { compareWith, historyStore, restore, useHistory } from "../app/history";

const when = (iso: string) => iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");

export default function Revisions() {
  const history = useHistory((s) => s.history);
  if (!history) return null;
  const revisions = [...history.revisions].reverse();
  return (
    <details className="revisions-section" data-testid="revisions">
      <summary className="section-title">Revisions ({revisions.length})</summary>
      <ol className="revision-list" aria-label="Revisions of this project">
        {revisions.map((r, i) => (
          <li key={r.number} data-testid="revision" data-revision={r.number}>
            <div className="revision-head">
              <strong>#{r.number}</strong> <span className="muted">{when(r.date)}</span> · {r.author || "unknown"}
              {i === 0 && <span className="muted"> (latest)</span>}
            </div>
            {r.message && <div className="revision-message">{r.message}</div>}
            <div className="revision-actions">
              <button type="button" onClick={() => void compareWith(r.number)} data-testid="revision-compare" aria-label={`Compare revision ${r.number} with the open model`}>
                Compare
              </button>
              <button type="button" onClick={() => void restore(r.number)} data-testid="revision-restore" aria-label={`Restore revision ${r.number}`}>
                Restore
              </button>
            </div>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** A revision compared with the open model. */
export function ComparisonDialog() {
  const c = useHistory((s) => s.comparison);
  if (!c) return null;
  const close = () => historyStore.setState({ comparison: null });
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal reimport-dialog" role="dialog" aria-modal="true" aria-labelledby="compare-title" data-testid="compare-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="compare-title">Revision {c.revision} compared with the open model</h2>
        <p data-testid="compare-summary">
          Since revision {c.revision}: {c.added} threats added, {c.removed} removed, {c.rescored} re-scored, {c.retriaged} re-triaged.
        </p>
        <pre className="reimport-report" data-testid="compare-report" tabIndex={0} aria-label="Changes in the threats">
          {c.report}
        </pre>
        <div className="modal-actions">
          <button type="button" onClick={close} data-testid="compare-close">Close</button>
          <button type="button" className="primary" onClick={() => void restore(c.revision)} data-testid="compare-restore">
            Restore revision {c.revision}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The triage history of one threat, from the project file. */
export function TriageHistory({ threat }: { threat: string }) {
  const entries = useHistory((s) => s.history?.triage.filter((e) => e.threat === threat));
  if (!entries?.length) return null;
  return (
    <details className="triage-history" data-testid="triage-history">
      <summary>Triage history ({entries.length})</summary>
      <ol>
        {[...entries].reverse().map((e, k) => (
          <li key={k}>
            <span className="muted">#{e.revision} · {when(e.at)} · {e.who || "unknown"}:</span> {e.from ?? "open"} → {e.to ?? "open (decision removed)"}
            {e.note && <> — {e.note}</>}
          </li>
        ))}
      </ol>
    </details>
  );
}
