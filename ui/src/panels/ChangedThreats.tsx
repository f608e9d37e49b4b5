// "Your edit changed …": the threats of the selected target that the last edit added or changed
// (with why each fired) and those it made stop firing. Shown pinned above the Properties and
// Details tabs, so the effect of a property change is on screen without scrolling or switching.
import type { Threat } from "../bindings/Threat";
import { SEVERITY_LETTER } from "../canvas/convert";
import RuleRef from "./RuleRef";
import type { ThreatChanges } from "./threatChanges";
import "./inspector.css";

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "No longer fires: A, B" — the threats an edit resolved, or nothing. */
export function NoLongerFires({ removed }: { removed: Threat[] }) {
  if (!removed.length) return null;
  return (
    <p className="no-longer" data-testid="threats-removed">
      <span aria-hidden="true">✓ </span>No longer fires: {removed.map((t) => t.title).join("; ")}
    </p>
  );
}

export default function ChangedThreats({ changes, onShow, onDismiss }: { changes: ThreatChanges; onShow: (id: string) => void; onDismiss: () => void }) {
  const { changed, removed } = changes;
  const fresh = changed.filter((c) => c.kind === "new").length;
  const parts = [fresh && `${plural(fresh, "new threat")}`, changed.length - fresh && `${changed.length - fresh} changed`, removed.length && `${removed.length} resolved`].filter(Boolean);
  return (
    <section className="changed-strip" aria-label="What your last edit changed" data-testid="threats-changed">
      <div className="changed-head">
        <strong>Your edit: {parts.join(", ")}</strong>
        <button type="button" className="changed-dismiss" aria-label="Dismiss what changed" title="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
      {changed.length > 0 && (
        <ul className="changed-list">
          {changed.map(({ threat: t, kind }) => (
            <li key={t.id} className={`changed-card sev-${t.severity}`} data-testid="changed-threat" data-rule={t.rule} data-change={kind}>
              <button type="button" className="changed-title" title="Show this threat in the Threats tab" onClick={() => onShow(t.id)}>
                <span className={`sev-chip sev-${t.severity}`}>
                  <span className="sev-letter">{SEVERITY_LETTER[t.severity]}</span>
                  {t.severity}
                </span>
                <span className="threat-title" data-testid="threat-title">
                  {t.title}
                </span>
                <span className="change-chip">{kind}</span>
              </button>
              <RuleRef rule={t.rule} />
              {t.rationale.length > 0 && (
                <details className="changed-why" open>
                  <summary>Why it fired</summary>
                  <ul className="rationale">
                    {t.rationale.map((r, k) => (
                      <li key={k}>{r}</li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
      <NoLongerFires removed={removed} />
    </section>
  );
}
