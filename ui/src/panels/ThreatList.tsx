// A ranked list of threats with severity colour AND word/letter, title, target; expanding an
// item shows why it fired (rationale) and the mitigations. Clicking the title selects the
// threat's target and centres the canvas on it.
import type { Threat } from "../bindings/Threat";
import { SEVERITY_LETTER } from "../canvas/convert";
import { docStore } from "../store/document";

export default function ThreatList({ threats, testId, showTarget = true, openFirst = false }: { threats: Threat[]; testId: string; showTarget?: boolean; openFirst?: boolean }) {
  if (!threats.length) return <p className="muted" data-testid={`${testId}-empty`}>No open threats.</p>;
  return (
    <ol className="threat-list" data-testid={testId}>
      {threats.map((t, i) => (
        <li key={t.id} className={`threat sev-${t.severity}`} data-testid="threat-item" data-rule={t.rule} data-target={t.target.id}>
          <button type="button" className="threat-head" onClick={() => docStore.getState().focusOn(t.target.id)} title="Select and show the target">
            <span className={`sev-chip sev-${t.severity}`}>
              <span className="sev-letter">{SEVERITY_LETTER[t.severity]}</span>
              {t.severity}
            </span>
            <span className="threat-title" data-testid="threat-title">{t.title}</span>
            {showTarget && <span className="threat-target">{t.target.name}</span>}
          </button>
          <details className="threat-detail" open={openFirst && i === 0}>
            <summary>
              {t.category} · score {t.score} · {t.confidence} confidence
            </summary>
            {t.description && <p className="threat-desc">{t.description}</p>}
            {t.rationale.length > 0 && (
              <>
                <h4>Why it fired</h4>
                <ul className="rationale">
                  {t.rationale.map((r, k) => (
                    <li key={k}>{r}</li>
                  ))}
                </ul>
              </>
            )}
            {t.mitigations.length > 0 && (
              <>
                <h4>Mitigations</h4>
                <ul className="mitigations">
                  {t.mitigations.map((m, k) => (
                    <li key={k}>
                      {m.text}
                      {(m.practice || m.standard) && <span className="muted"> — {[m.practice, m.standard].filter(Boolean).join(", ")}</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </details>
        </li>
      ))}
    </ol>
  );
}
