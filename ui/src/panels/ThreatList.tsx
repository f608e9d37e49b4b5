// A ranked list of threats with severity colour AND word/letter, title, target; each card has a
// triage status select and a note (an undoable edit of `model.triage`); decided threats render
// muted with their status. Expanding an item shows why it fired, how the score moved and the
// mitigations. Clicking the title selects the threat's target and centres the canvas on it.
// Every card shows its rule id (copyable, with the rule's documentation one click away); cards
// an edit just added or changed are marked and open on "Why it fired".
import { useState } from "react";
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";
import { SEVERITY_LETTER } from "../canvas/convert";
import { triage } from "../app/triage";
import { STATUSES, STATUS_LABEL, usdShort } from "../lib/threats";
import { docStore } from "../store/document";
import RuleRef from "./RuleRef";
import { TriageHistory } from "./Revisions";
import "./inspector.css";
import type { ChangeKind } from "./threatChanges";
import { shownName } from "../lib/names";

const NO_FRESH: ReadonlyMap<string, ChangeKind> = new Map();
const CHANGE_LABEL: Record<ChangeKind, string> = { new: "new", changed: "changed" };

/** The note of a decision. While it has focus it shows what was typed, so keystrokes made
 *  before the core has recorded the previous one are never lost. */
function NoteInput({ threat, note, decided }: { threat: Threat; note: string; decided: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      aria-label={`Triage note of “${threat.title}”`}
      data-testid="triage-note"
      placeholder={decided ? "why? (note)" : "note…"}
      value={draft ?? note}
      onFocus={() => setDraft(note)}
      onBlur={() => setDraft(null)}
      onChange={(e) => {
        setDraft(e.target.value);
        void triage(threat, threat.status, e.target.value, true);
      }}
    />
  );
}

export default function ThreatList({
  threats,
  testId,
  showTarget = true,
  openFirst = false,
  emptyText = "No open threats.",
  fresh = NO_FRESH,
  openId = null,
}: {
  threats: Threat[];
  testId: string;
  showTarget?: boolean;
  openFirst?: boolean;
  emptyText?: string;
  /** Threats the last edit added or changed: marked, and opened on "Why it fired". */
  fresh?: ReadonlyMap<string, ChangeKind>;
  /** A threat picked elsewhere (a register row): its card opens too. */
  openId?: string | null;
}) {
  if (!threats.length) return <p className="muted" data-testid={`${testId}-empty`}>{emptyText}</p>;
  return (
    <ol className="threat-list" data-testid={testId}>
      {threats.map((t, i) => {
        const note = t.triage?.note ?? "";
        const decided = t.status !== "open";
        const change = fresh.get(t.id);
        return (
          <li
            key={t.id}
            className={`threat sev-${t.severity}${decided ? " decided" : ""}${change ? " fresh" : ""}`}
            data-testid="threat-item"
            data-rule={t.rule}
            data-target={t.target.id}
            data-threat-id={t.id}
            data-status={t.status}
            data-change={change}
          >
            <button type="button" className="threat-head" onClick={() => {
                docStore.getState().showThreat(t.id);
                docStore.getState().focusOn(t.target.id);
              }} title="Select the target and highlight what the threat names">
              <span className={`sev-chip sev-${t.severity}`}>
                <span className="sev-letter">{SEVERITY_LETTER[t.severity]}</span>
                {t.severity}
              </span>
              <span className="threat-title" data-testid="threat-title">{t.title}</span>
              {showTarget && <span className="threat-target">{shownName(t.target.name)}</span>}
              {decided && (
                <span className="status-chip" data-testid="threat-status">
                  {STATUS_LABEL[t.status]}
                </span>
              )}
              {change && (
                <span className="change-chip" data-testid="threat-change">
                  {CHANGE_LABEL[change]} since your edit
                </span>
              )}
            </button>
            <div className="rule-row">
              <RuleRef rule={t.rule} />
            </div>
            <div className="triage-row">
              <select
                aria-label={`Triage status of “${t.title}”`}
                data-testid="triage-status"
                value={t.status}
                onChange={(e) => void triage(t, e.target.value as TriageStatus, note)}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
              <NoteInput threat={t} note={note} decided={decided} />
            </div>
            {t.triage && (
              <p className="triage-by muted" data-testid="triage-by">
                {STATUS_LABEL[t.status]} by {t.triage.owner || "unknown"} on {t.triage.date}
              </p>
            )}
            <TriageHistory threat={t.id} />
            <details className="threat-detail" open={!!change || openId === t.id || (openFirst && i === 0)}>
              <summary>
                {t.category} · score {t.score}
                {t.inherent_score !== t.score && ` (inherent ${t.inherent_score})`} · {t.confidence} confidence
                {t.cost && ` · ≈ ${usdShort(t.cost.usd_per_month)}/month`}
              </summary>
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
              {t.description && <p className="threat-desc">{t.description}</p>}
              {(t.explanation ?? []).length > 0 && (
                <>
                  <h4>How it was scored</h4>
                  <ul className="rationale">
                    {t.explanation.map((r, k) => (
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
        );
      })}
    </ol>
  );
}
