// The guided session panel (facilitator mode): one question at a time about the selected element
// or flow, in the words of the property schema, with the answers as buttons; what the last answer
// resolved or raised; a summary at the end. And the session log of the model (Model panel).
import { useEffect, useState } from "react";
import type { Question } from "../bindings/Question";
import type { SessionEntry } from "../bindings/SessionEntry";
import type { Value } from "../bindings/Value";
import { answer, closeSession, current, finishSession, remaining, skip, useSession } from "../app/session";
import { useDoc } from "../store/document";
import { shownName } from "../lib/names";

const NO_ENTRIES: SessionEntry[] = [];

const CATEGORY_LETTER: Record<string, string> = {
  Spoofing: "S",
  Tampering: "T",
  Repudiation: "R",
  "Information Disclosure": "I",
  "Denial of Service": "D",
  "Elevation of Privilege": "E",
};

/** The answer buttons (yes/no, a choice) or field (number, text, list) of a question. */
function Answers({ q, note, busy }: { q: Question; note: string; busy: boolean }) {
  const [text, setText] = useState("");
  const give = (value: Value, label: string) => void answer(q, value, label, note);
  const a = q.answer;
  // The facilitator's keys, outside text fields: Y / N, or the number of a choice.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (busy || e.ctrlKey || e.metaKey || e.altKey || t?.closest("input, textarea, select, [contenteditable]")) return;
      const k = e.key.toLowerCase();
      if (a.type === "yes_no" && (k === "y" || k === "n")) {
        e.preventDefault();
        void answer(q, k === "y", k === "y" ? "Yes" : "No", note);
      } else if (a.type === "choice" && /^[1-9]$/.test(k) && a.options[Number(k) - 1]) {
        e.preventDefault();
        const o = a.options[Number(k) - 1];
        void answer(q, o, o, note);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [q, a, note, busy]);
  if (a.type === "yes_no") {
    return (
      <div className="session-answers" role="group" aria-label="Answers">
        <button type="button" className="primary" disabled={busy} onClick={() => give(true, "Yes")} data-testid="session-yes" title="Yes (Y)">Yes</button>
        <button type="button" disabled={busy} onClick={() => give(false, "No")} data-testid="session-no" title="No (N)">No</button>
      </div>
    );
  }
  if (a.type === "choice") {
    return (
      <div className="session-answers" role="group" aria-label="Answers">
        {a.options.map((o, i) => (
          <button type="button" key={o} disabled={busy} onClick={() => give(o, o)} data-testid="session-choice" title={i < 9 ? `${o} (${i + 1})` : o}>
            {o}
          </button>
        ))}
      </div>
    );
  }
  const parse = (): Value | null => {
    const t = text.trim();
    if (!t) return null;
    if (a.type === "number") {
      const n = Number(t);
      return Number.isInteger(n) && n >= a.min && n <= a.max ? n : null;
    }
    if (a.type === "list") return t.split(",").map((s) => s.trim()).filter(Boolean);
    return t;
  };
  const value = parse();
  const hint = a.type === "number" ? `${a.min} to ${a.max}` : a.type === "list" ? "comma-separated" : "";
  return (
    <form
      className="session-answers"
      onSubmit={(e) => {
        e.preventDefault();
        if (value !== null) give(value, text.trim());
      }}
    >
      <input
        type={a.type === "number" ? "number" : "text"}
        aria-label={`Answer${hint ? ` (${hint})` : ""}`}
        placeholder={hint}
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="session-input"
      />
      <button type="submit" className="primary" disabled={busy || value === null} data-testid="session-set">Set</button>
    </form>
  );
}

function Effect({ entry }: { entry: SessionEntry }) {
  return (
    <div className="session-effect" role="status" data-testid="session-effect">
      <div>
        <strong>{entry.subject}</strong>: {entry.answer}.{" "}
        {!entry.resolved.length && !entry.raised.length && <span className="muted">No threat changed.</span>}
      </div>
      {entry.resolved.length > 0 && (
        <div data-testid="session-resolved">
          <span className="session-tag resolved">Resolved {entry.resolved.length}</span>
          <ul>{entry.resolved.map((t) => <li key={t}>{t}</li>)}</ul>
        </div>
      )}
      {entry.raised.length > 0 && (
        <div data-testid="session-raised">
          <span className="session-tag raised">Raised {entry.raised.length}</span>
          <ul>{entry.raised.map((t) => <li key={t}>{t}</li>)}</ul>
        </div>
      )}
    </div>
  );
}

function Summary() {
  const log = useDoc((s) => s.model.session ?? NO_ENTRIES);
  const startLen = useSession((s) => s.startLen);
  const answered = log.slice(startLen);
  const skipped = useSession((s) => s.skipped.length);
  const left = useSession((s) => remaining(s).length);
  const resolved = answered.reduce((n, e) => n + e.resolved.length, 0);
  const raised = answered.reduce((n, e) => n + e.raised.length, 0);
  return (
    <div data-testid="session-summary">
      <p className="session-summary-line">
        {answered.length} question{answered.length === 1 ? "" : "s"} answered, {skipped} skipped, {left} left. The answers resolved{" "}
        <strong>{resolved}</strong> threat{resolved === 1 ? "" : "s"} and raised <strong>{raised}</strong>.
      </p>
      <SessionEntries entries={answered} />
      <p className="muted">The log is kept in the model (saved with it) and printed in the PDF report.</p>
    </div>
  );
}

export function SessionEntries({ entries }: { entries: SessionEntry[] }) {
  return (
    <ol className="session-log" aria-label="Session log">
      {entries.map((e, i) => (
        <li key={i} data-testid="session-log-entry">
          <span className="muted">{e.at} · {e.who || "unknown"} · {e.subject}:</span> {e.question} <strong>{e.answer}</strong>
          {(e.resolved.length > 0 || e.raised.length > 0) && (
            <span className="muted"> — resolved {e.resolved.length}, raised {e.raised.length}</span>
          )}
          {e.note && <div className="session-note">{e.note}</div>}
        </li>
      ))}
    </ol>
  );
}

/** The model's session log, in the Model panel. */
export function SessionLog() {
  const entries = useDoc((s) => s.model.session ?? NO_ENTRIES);
  if (!entries.length) return null;
  return (
    <details className="revisions-section" data-testid="session-log">
      <summary className="section-title">Session log ({entries.length})</summary>
      <SessionEntries entries={entries} />
    </details>
  );
}

export default function SessionPanel() {
  const open = useSession((s) => s.open);
  const busy = useSession((s) => s.busy);
  const finished = useSession((s) => s.finished);
  const last = useSession((s) => s.last);
  const q = useSession(current);
  const log = useDoc((s) => s.model.session ?? NO_ENTRIES);
  const done0 = useSession((s) => s.startLen);
  const skippedN = useSession((s) => s.skipped.length);
  const left = useSession((s) => remaining(s).length);
  const asked = Math.max(0, log.length - done0) + skippedN;
  const total = asked + left;
  const [note, setNote] = useState("");
  const key = q ? `${q.subject}|${q.property}` : "";
  useEffect(() => setNote(""), [key]);
  if (!open) return null;
  const done = finished || (!busy && !q);
  return (
    <section className="session-panel" role="dialog" aria-label="Guided session" data-testid="session-panel">
      <header className="session-head">
        <h2>Guided session</h2>
        {!done && <span className="muted" data-testid="session-progress">Question {asked + 1} of {total}</span>}
        <button type="button" className="icon-button" aria-label="Close the guided session" onClick={closeSession} data-testid="session-close">✕</button>
      </header>
      {last && !done && <Effect entry={last} />}
      {done ? (
        <>
          {!finished && (
            <p data-testid="session-none">
              {skippedN ? "Nothing left to ask but the questions you skipped." : "Nothing left to ask: every property the open threats rest on is set."}
            </p>
          )}
          <Summary />
          <div className="modal-actions">
            <button type="button" className="primary" onClick={closeSession} data-testid="session-done">Done</button>
          </div>
        </>
      ) : q ? (
        <div className="session-question" key={`${q.subject}|${q.property}`}>
          <div className="session-subject">
            <span className="stride-chip" title={q.category}>{CATEGORY_LETTER[q.category] ?? "?"}</span>
            <strong data-testid="session-subject">{shownName(q.subject_name)}</strong>
            <span className="muted"> · {q.subject_kind} · <code>{q.property}</code></span>
          </div>
          <p className="session-text" data-testid="session-question">{q.question}</p>
          <p className="muted session-why">{q.why}.{q.default !== null ? ` Assumed so far: ${String(q.default)}.` : " Unknown so far."}</p>
          <details className="session-stake">
            <summary>{q.threats.length} open threat{q.threats.length === 1 ? "" : "s"} rest{q.threats.length === 1 ? "s" : ""} on it</summary>
            <ul>
              {q.threats.map((t) => (
                <li key={t.id}>
                  <span className={`sev-chip sev-${t.severity}`}>{t.severity}</span> {t.title} <span className="muted">on {shownName(t.target)}</span>
                </li>
              ))}
            </ul>
          </details>
          <Answers q={q} note={note} busy={busy} />
          <input className="session-note-field" type="text" aria-label="Note (optional)" placeholder="Note (optional): who confirmed it, where" value={note} onChange={(e) => setNote(e.target.value)} data-testid="session-note" />
          <div className="modal-actions">
            <button type="button" disabled={busy} onClick={() => skip(q)} data-testid="session-skip">Skip</button>
            <button type="button" onClick={finishSession} data-testid="session-finish">Finish</button>
          </div>
        </div>
      ) : (
        <p className="muted">Finding the questions…</p>
      )}
    </section>
  );
}
