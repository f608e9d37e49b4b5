// The register's tools: the filter bar (severity toggles, STRIDE, status, target, rule, free text,
// the count shown and the resolved-by-design toggle), the sortable column headers and the bulk
// triage bar of the checked threats. The query, the sort and what they mean are pure functions in
// `lib/register.ts`; the bulk triage is `app/triage.ts` `triageMany` (one undoable edit).
import { memo, useMemo, useState } from "react";
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";
import type { CommandError } from "../bindings/CommandError";
import { SEVERITY_LETTER } from "../canvas/convert";
import { triageMany, triageOwner } from "../app/triage";
import { uiStore, useUi } from "../app/files";
import { STATUSES, STATUS_LABEL } from "../lib/threats";
import { ariaSort, bulkResult, isQuerying, NO_QUERY, nextSort, queryChoices, SEVERITIES, STRIDE, type RegisterQuery, type SortKey } from "../lib/register";
import { shownName } from "../lib/names";
import { docStore } from "../store/document";

const setQuery = (part: Partial<RegisterQuery>) => uiStore.setState((s) => ({ registerQuery: { ...s.registerQuery, ...part } }));

/** The filter bar above the register: every control narrows what the heat-map cell left.
 *  Memoised: the register re-renders on every scroll, the bar only when its inputs change. */
export const FilterBar = memo(function FilterBar({ threats, shown, resolved }: { threats: Threat[]; shown: number; resolved: number }) {
  const q = useUi((s) => s.registerQuery);
  const showResolved = useUi((s) => s.showResolved);
  const { targets, rules } = useMemo(() => queryChoices(threats), [threats]);
  return (
    <div className="register-filters" role="search" aria-label="Filter the register" data-testid="register-filters">
      <input
        type="search"
        className="register-search"
        aria-label="Search threats (title, target, rule id)"
        placeholder="Search title, target, rule…"
        data-testid="register-search"
        value={q.text}
        onChange={(e) => setQuery({ text: e.target.value })}
      />
      <span className="register-count" data-testid="register-count" aria-live="polite">
        {shown} of {threats.length}
      </span>
      <span role="group" aria-label="Severity" className="sev-toggles">
        {SEVERITIES.map((s) => {
          const on = q.severities.includes(s);
          return (
            <button
              key={s}
              type="button"
              className={`sev-toggle sev-${s}`}
              aria-pressed={on}
              data-testid={`register-sev-${s}`}
              title={`${on ? "Hide" : "Show only"} ${s} threats (several can be on)`}
              onClick={() => setQuery({ severities: on ? q.severities.filter((x) => x !== s) : [...q.severities, s] })}
            >
              <span className="sev-letter" aria-hidden="true">{SEVERITY_LETTER[s]}</span>
              {s}
            </button>
          );
        })}
      </span>
      <select aria-label="STRIDE category" data-testid="register-category" value={q.category} onChange={(e) => setQuery({ category: e.target.value as RegisterQuery["category"] })}>
        <option value="">any STRIDE</option>
        {STRIDE.map((c) => (
          <option key={c} value={c}>{c}</option>
        ))}
      </select>
      <select aria-label="Status" data-testid="register-status" value={q.status} onChange={(e) => setQuery({ status: e.target.value as RegisterQuery["status"] })}>
        <option value="">any status</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>{STATUS_LABEL[s]}</option>
        ))}
      </select>
      <select aria-label="Target" data-testid="register-target" value={q.target} onChange={(e) => setQuery({ target: e.target.value })}>
        <option value="">any target</option>
        {targets.map((t) => (
          <option key={t.id} value={t.id}>{shownName(t.name)}</option>
        ))}
      </select>
      <select aria-label="Rule" data-testid="register-rule" value={q.rule} onChange={(e) => setQuery({ rule: e.target.value })}>
        <option value="">any rule</option>
        {rules.map((r) => (
          <option key={r} value={r}>{r}</option>
        ))}
      </select>
      {isQuerying(q) && (
        <button type="button" className="filter-chip" data-testid="register-clear-filters" onClick={() => uiStore.setState({ registerQuery: NO_QUERY })}>
          Clear filters ✕
        </button>
      )}
      {resolved > 0 && (
        <button
          type="button"
          className="filter-chip group-toggle"
          aria-pressed={showResolved}
          data-testid="register-show-resolved"
          title="Decisions whose threat no longer fires (resolved by design), listed read-only below the threats"
          onClick={() => uiStore.setState({ showResolved: !showResolved })}
        >
          Show resolved ({resolved})
        </button>
      )}
    </div>
  );
});

/** A sortable column header: click for its natural order, again for the other, again for rank. */
export function SortHead({ label, k }: { label: string; k: SortKey }) {
  const sort = useUi((s) => s.registerSort);
  const state = ariaSort(sort, k);
  return (
    <th scope="col" aria-sort={state}>
      <button
        type="button"
        className="sort-head"
        data-testid={`register-sort-${k}`}
        title={state === "none" ? `Sort by ${label.toLowerCase()}` : "Click to reverse; again for rank order"}
        onClick={() => uiStore.setState({ registerSort: nextSort(sort, k) })}
      >
        {label}
        <span className="sort-mark" aria-hidden="true">{state === "ascending" ? "▲" : state === "descending" ? "▼" : ""}</span>
      </button>
    </th>
  );
}

/** What the last bulk triage did; a result names the decisions it made (`triage`), so it stops
 *  showing once they change (an undo, another edit). */
export type BulkNotice = { kind: "done"; text: string; triage: unknown } | { kind: "error"; text: string } | null;

/** Triage of the checked threats: status, owner (the OS user by default), note; one undoable edit. */
export function BulkBar({ threats, onClear, notice, setNotice }: { threats: Threat[]; onClear: () => void; notice: BulkNotice; setNotice: (n: BulkNotice) => void }) {
  const [status, setStatus] = useState<TriageStatus>("accepted");
  const [owner, setOwner] = useState(triageOwner);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const n = threats.length;
  const apply = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const done = await triageMany(threats, status, note, owner);
      setNotice({ kind: "done", text: `${bulkResult(done, status)} (Ctrl+Z undoes it)`, triage: docStore.getState().model.triage });
    } catch (e) {
      setNotice({ kind: "error", text: `Nothing was changed: ${(e as CommandError).message ?? String(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="register-bulk" role="region" aria-label="Bulk triage" data-testid="register-bulk">
      {n > 0 && (
        <>
          <strong className="bulk-count">{n} selected</strong>
          <select aria-label="Status for the selected threats" data-testid="bulk-status" value={status} onChange={(e) => setStatus(e.target.value as TriageStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{STATUS_LABEL[s]}</option>
            ))}
          </select>
          <input aria-label="Owner of the decision" data-testid="bulk-owner" className="bulk-owner" value={owner} placeholder="owner" onChange={(e) => setOwner(e.target.value)} />
          <input
            aria-label="Note for the selected threats"
            data-testid="bulk-note"
            className="bulk-note"
            value={note}
            placeholder="note (blank keeps each threat's note)"
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !busy) void apply();
            }}
          />
          <button type="button" className="primary" data-testid="bulk-apply" disabled={busy} onClick={() => void apply()}>
            {busy ? "Applying…" : `Apply to ${n} threat${n === 1 ? "" : "s"}`}
          </button>
          <button type="button" data-testid="bulk-clear" onClick={onClear}>
            Clear selection
          </button>
        </>
      )}
      <span className={`bulk-notice${notice?.kind === "error" ? " error" : ""}`} role={notice?.kind === "error" ? "alert" : "status"} data-testid="bulk-notice">
        {notice?.text ?? ""}
      </span>
      {n === 0 && notice && (
        <button type="button" className="filter-chip" onClick={() => setNotice(null)} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
