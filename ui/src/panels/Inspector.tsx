// Right inspector. For an element or a flow: its name in a compact header, then tabs Threats |
// Properties | Details; Threats comes first, and what the last edit changed in the target's
// threats is shown where the user is looking (pinned above Properties and Details, first and
// open on the Threats tab). Properties are driven by the core's property schema. With nothing
// (or several things) selected: the model's report details, summary, data assets and its top
// ranked threats (the register shows them all).
import type { Boundary } from "../bindings/Boundary";
import type { BoundaryKind } from "../bindings/BoundaryKind";
import type { Element } from "../bindings/Element";
import type { Flow } from "../bindings/Flow";
import type { Value } from "../bindings/Value";
import type { Threat } from "../bindings/Threat";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useDoc, useDocStore } from "../store/document";
import { categoryOfType, elementProperties, flowProperties, useSchema } from "../store/schema";
import AssetEditor from "./AssetEditor";
import PropertyField from "./PropertyField";
import ThreatList from "./ThreatList";
import ChangedThreats, { NoLongerFires } from "./ChangedThreats";
import ModelDetails from "./ModelDetails";
import Revisions from "./Revisions";
import { SessionLog } from "./Session";
import Tabs, { panelId, tabId } from "./Tabs";
import { changedFirst, type ChangeKind, type ThreatChanges } from "./threatChanges";
import { useThreatChanges } from "./useThreatChanges";
import "./inspector.css";
import { uiStore, useUi } from "../app/files";
import { filterThreats, STATUSES, STATUS_LABEL, type ThreatFilter } from "../lib/threats";
import { clipped, shownName } from "../lib/names";

const NO_THREATS: never[] = [];
/** How many of the whole model's ranked threats the model inspector lists; the register has all. */
export const TOP_THREATS = 30;

/** The threats of target `id` (every threat when null), or null before the first analysis. */
function useThreatsOrNull(id: string | null): Threat[] | null {
  const all = useDoc((s) => s.analysis?.analysis.threats);
  return useMemo(() => (all ? all.filter((t) => id === null || t.target.id === id) : null), [all, id]);
}

function useThreatsFor(id: string | null): Threat[] {
  return useThreatsOrNull(id) ?? NO_THREATS;
}

function ThreatFilterSelect() {
  const filter = useUi((s) => s.filter);
  return (
    <select aria-label="Show threats" data-testid="threat-filter" value={filter} onChange={(e) => uiStore.setState({ filter: e.target.value as ThreatFilter })}>
      <option value="all">all statuses</option>
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABEL[s]}
        </option>
      ))}
      {filter.startsWith("cell:") && <option value={filter}>heat-map cell L{filter.split(":")[1]} × I{filter.split(":")[2]}</option>}
    </select>
  );
}

function ResolvedList() {
  const resolved = useDoc((s) => s.analysis?.analysis.resolved) ?? [];
  const model = useDoc((s) => s.model);
  if (!resolved.length) return null;
  const name = (id: string) => model.elements.find((e) => e.id === id)?.name ?? model.flows.find((f) => f.id === id)?.label ?? id;
  return (
    <details className="resolved-section" data-testid="resolved">
      <summary className="section-title">Resolved by design ({resolved.length})</summary>
      <ul className="resolved-list">
        {resolved.map((r) => (
          <li key={r.threat}>
            <strong>{r.rule}</strong> on {name(r.target)} — no longer fires (was {STATUS_LABEL[r.decided]}
            {r.owner ? ` by ${r.owner}` : ""}
            {r.date ? `, ${r.date}` : ""}){r.note && <span className="muted">: {r.note}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

type Tab = "threats" | "properties" | "details";

function ElementName({ el }: { el: Element }) {
  const st = useDocStore().getState();
  return (
    <div className="field insp-name">
      <label htmlFor="inspector-name">Name</label>
      <input id="inspector-name" data-testid="inspector-name" value={el.name} onChange={(e) => st.updateElement(el.id, { name: e.target.value }, `name:${el.id}`)} />
    </div>
  );
}

function ElementDetails({ el }: { el: Element }) {
  const schema = useSchema();
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const types = (schema?.vendor_types ?? []).filter((v) => v.kind === el.kind);
  const others = model.elements.filter((e) => e.id !== el.id);
  return (
    <>
      <div className="field">
        <label htmlFor="inspector-type">Type</label>
        <select id="inspector-type" data-testid="inspector-type" value={el.type} onChange={(e) => st.updateElement(el.id, { type: e.target.value })}>
          {!types.some((t) => t.type === el.type) && <option value={el.type}>{el.type}</option>}
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label} ({t.type})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="inspector-boundary">Trust boundary</label>
        <select id="inspector-boundary" value={el.boundary ?? ""} onChange={(e) => st.updateElement(el.id, { boundary: e.target.value || null })}>
          <option value="">(none)</option>
          {model.boundaries.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="connect-to">Add flow to…</label>
        <select
          id="connect-to"
          data-testid="connect-to"
          value=""
          onChange={(e) => {
            const id = e.target.value && st.addFlow(el.id, e.target.value);
            if (id) st.select([id]);
          }}
        >
          <option value="">choose a target…</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function ElementProperties({ el }: { el: Element }) {
  const schema = useSchema();
  const st = useDocStore().getState();
  const props = elementProperties(schema, el.kind, categoryOfType(schema, el.type));
  const set = (name: string, v: Value | undefined, typing?: boolean) => st.setProperty(el.id, name, v, typing ? `prop:${el.id}:${name}` : undefined);
  return (
    <>
      {props.map((p) => (
        <PropertyField key={p.name} prop={p} value={(el.properties as Record<string, Value>)[p.name]} onChange={(v, typing) => set(p.name, v, typing)} />
      ))}
    </>
  );
}

function FlowHeader({ flow }: { flow: Flow }) {
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const name = (id: string) => model.elements.find((e) => e.id === id)?.name ?? "?";
  return (
    <>
      <p className="flow-ends">
        {name(flow.from)} → {name(flow.to)}
      </p>
      <div className="field insp-name">
        <label htmlFor="flow-label">Label</label>
        <input id="flow-label" data-testid="flow-label" value={flow.label} placeholder="e.g. POST /orders" onChange={(e) => st.updateFlow(flow.id, { label: e.target.value }, `label:${flow.id}`)} />
      </div>
    </>
  );
}

function FlowProperties({ flow }: { flow: Flow }) {
  const schema = useSchema();
  const st = useDocStore().getState();
  return (
    <>
      {flowProperties(schema).map((p) => (
        <PropertyField
          key={p.name}
          prop={p}
          value={(flow.properties as Record<string, Value>)[p.name]}
          onChange={(v, typing) => st.setProperty(flow.id, p.name, v, typing ? `prop:${flow.id}:${p.name}` : undefined)}
        />
      ))}
    </>
  );
}

function FlowDetails({ flow }: { flow: Flow }) {
  return (
    <>
      <h3 className="section-title insp-first">Data carried</h3>
      <AssetEditor flowId={flow.id} />
    </>
  );
}

/** The Threats tab: what the last edit changed first (open on why it fired), then the rest. */
function TargetThreats({ threats, changes }: { threats: Threat[]; changes: ThreatChanges }) {
  const picked = useDoc((s) => s.view.threat);
  const fresh = useMemo(() => new Map<string, ChangeKind>(changes.changed.map((c) => [c.threat.id, c.kind])), [changes]);
  const open = threats.filter((t) => t.status === "open").length;
  return (
    <>
      <NoLongerFires removed={changes.removed} />
      {threats.length > 0 && (
        <p className="insp-count muted">
          {open} open of {threats.length}
        </p>
      )}
      <ThreatList threats={changedFirst(threats, changes)} testId="threats-selection" showTarget={false} openFirst={fresh.size === 0 && !threats.some((t) => t.id === picked)} openId={picked} fresh={fresh} />
    </>
  );
}

/** What screen readers hear after an edit changed the target's threats. */
function announce({ changed, removed }: ThreatChanges): string {
  const parts = [
    ...changed.map((c) => `${c.kind === "new" ? "New threat" : "Threat changed"}: ${c.threat.title} (${c.threat.severity})`),
    ...removed.map((t) => `No longer fires: ${t.title}`),
  ];
  return parts.join(". ");
}

/** An element or a flow: compact header, then the tabs. */
function TargetInspector({ el, flow, tab, setTab }: { el?: Element; flow?: Flow; tab: Tab; setTab: (t: Tab) => void }) {
  const id = (el?.id ?? flow?.id) as string;
  const current = useThreatsOrNull(id);
  const threats = current ?? NO_THREATS;
  const [changes, dismiss] = useThreatChanges(useDocStore(), id, current);
  const open = threats.filter((t) => t.status === "open").length;
  const changed = changes.changed.length > 0 || changes.removed.length > 0;
  const showInThreats = useCallback(
    (tid: string) => {
      setTab("threats");
      requestAnimationFrame(() => document.querySelector(`[data-testid="threats-selection"] [data-threat-id="${tid}"]`)?.scrollIntoView({ block: "nearest" }));
    },
    [setTab],
  );
  const tabs = [
    {
      key: "threats" as const,
      name: `Threats, ${open} open of ${threats.length}${changed ? ", changed by your edit" : ""}`,
      label: (
        <>
          Threats{" "}
          <span className={`tab-badge${open ? "" : " zero"}${changed ? " changed" : ""}`} data-testid="threat-count">
            {open}
          </span>
        </>
      ),
    },
    { key: "properties" as const, label: "Properties" },
    { key: "details" as const, label: "Details" },
  ];
  return (
    <>
      <div className="insp-head">
        {el && <ElementName el={el} />}
        {flow && <FlowHeader flow={flow} />}
        <Tabs prefix="insp" label={el ? "Component" : "Data flow"} tabs={tabs} active={tab} onSelect={setTab} />
      </div>
      <p className="insp-sr-only" aria-live="polite" data-testid="changes-announcement">
        {announce(changes)}
      </p>
      {tab !== "threats" && changed && <ChangedThreats changes={changes} onShow={showInThreats} onDismiss={dismiss} />}
      <div role="tabpanel" id={panelId("insp", tab)} aria-labelledby={tabId("insp", tab)} className="insp-panel" data-testid={`panel-${tab}`} tabIndex={0}>
        {tab === "threats" && <TargetThreats threats={threats} changes={changes} />}
        {tab === "properties" && el && <ElementProperties key={el.id} el={el} />}
        {tab === "properties" && flow && <FlowProperties key={flow.id} flow={flow} />}
        {tab === "details" && el && <ElementDetails key={el.id} el={el} />}
        {tab === "details" && flow && <FlowDetails key={flow.id} flow={flow} />}
      </div>
    </>
  );
}

function BoundaryInspector({ b }: { b: Boundary }) {
  const schema = useSchema();
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const members = model.elements.filter((e) => e.boundary === b.id);
  const nested = model.boundaries.filter((x) => x.parent === b.id);
  return (
    <>
      <div className="field">
        <label htmlFor="inspector-name">Name</label>
        <input id="inspector-name" data-testid="inspector-name" value={b.name} onChange={(e) => st.updateBoundary(b.id, { name: e.target.value }, `name:${b.id}`)} />
      </div>
      <div className="field">
        <label htmlFor="boundary-kind">Kind</label>
        <select id="boundary-kind" data-testid="boundary-kind" value={b.kind} onChange={(e) => st.updateBoundary(b.id, { kind: e.target.value as BoundaryKind })}>
          {(schema?.boundary_kinds ?? [b.kind]).map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <h3 className="section-title">
        Members ({members.length} component{members.length === 1 ? "" : "s"}
        {nested.length ? `, ${nested.length} boundar${nested.length === 1 ? "y" : "ies"}` : ""})
      </h3>
      {members.length + nested.length > 0 ? (
        <ul className="member-list" data-testid="boundary-members">
          {[...nested, ...members].map((m) => (
            <li key={m.id}>
              <button type="button" className="link" data-testid="boundary-member" onClick={() => st.focusOn(m.id)} title="Select it and centre the canvas on it">
                {m.name}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing is drawn inside it.</p>
      )}
      <p className="muted">Membership is what the canvas shows: drag components in or out, or draw and resize the boundary over them.</p>
    </>
  );
}

function Summary() {
  const model = useDoc((s) => s.model);
  const summary = useDoc((s) => s.analysis?.analysis.summary);
  const all = useThreatsFor(null);
  const filter = useUi((s) => s.filter);
  const threats = filterThreats(all, filter);
  const open = all.filter((t) => t.status === "open");
  return (
    <>
      <ModelDetails />
      <section className="summary" aria-label="Model summary">
        <dl>
          <dt>Components</dt>
          <dd>{model.elements.length}</dd>
          <dt>Flows</dt>
          <dd>{model.flows.length}</dd>
          <dt>Boundaries</dt>
          <dd>{model.boundaries.length}</dd>
          <dt>Open threats</dt>
          <dd data-testid="summary-open">{summary ? open.length : "…"}</dd>
          <dt>Triaged</dt>
          <dd data-testid="summary-triaged">{summary ? all.length - open.length : "…"}</dd>
        </dl>
      </section>
      <details className="assets-section">
        <summary className="section-title">Data assets ({model.assets.length})</summary>
        <AssetEditor />
      </details>
      <Revisions />
      <SessionLog />
      <ResolvedList />
      <div className="threats-heading">
        <h3 className="section-title">Threats ({threats.length})</h3>
        <ThreatFilterSelect />
      </div>
      <ThreatList
        threats={threats.length > TOP_THREATS ? threats.slice(0, TOP_THREATS) : threats}
        testId="threats-all"
        emptyText={filter === "all" || filter === "open" ? "No open threats." : "No threats with this status."}
      />
      {threats.length > TOP_THREATS && (
        <div className="show-all">
          <p className="muted">
            The {TOP_THREATS} highest-ranked of {threats.length}.
          </p>
          <button type="button" data-testid="show-all-threats" onClick={() => uiStore.setState({ register: true })}>
            Show all {threats.length} in the register
          </button>
        </div>
      )}
    </>
  );
}

export default function Inspector() {
  const selection = useDoc((s) => s.selection);
  const model = useDoc((s) => s.model);
  // The tab stays as the user left it across selections, as in other desktop inspectors...
  const [tab, setTab] = useState<Tab>("threats");
  // ...except when a threat is picked (a register row, a card): then its card is what to show.
  const picked = useDoc((s) => s.view.threat);
  const lastPicked = useRef<string | null>(null);
  // ...or when something asks to be shown (Show threats, Find, a register row): its threats first.
  const focus = useDoc((s) => s.focus);
  useEffect(() => {
    if (focus) setTab("threats");
  }, [focus]);
  useEffect(() => {
    if (picked && picked !== lastPicked.current) {
      setTab("threats");
      requestAnimationFrame(() => document.querySelector(`[data-testid="threats-selection"] [data-threat-id="${picked}"]`)?.scrollIntoView({ block: "nearest" }));
    }
    lastPicked.current = picked;
  }, [picked]);
  const one = selection.length === 1 ? selection[0] : null;
  const el = one ? model.elements.find((e) => e.id === one) : undefined;
  const flow = one ? model.flows.find((f) => f.id === one) : undefined;
  const b = one ? model.boundaries.find((x) => x.id === one) : undefined;
  const title = el ? clipped(shownName(el.name), 80) : flow ? "Data flow" : b ? "Trust boundary" : selection.length > 1 ? `${selection.length} selected` : "Model";
  const tabbed = !!(el || flow);
  return (
    <aside className={`side-pane inspector${tabbed ? " insp-tabbed" : ""}`} aria-label="Inspector" data-testid="inspector">
      <h2 className="pane-title" data-testid="inspector-title" title={el ? shownName(el.name) : undefined}>
        {title}
      </h2>
      {tabbed && <TargetInspector key={one} el={el} flow={flow} tab={tab} setTab={setTab} />}
      {b && <BoundaryInspector key={b.id} b={b} />}
      {!el && !flow && !b && <Summary />}
    </aside>
  );
}
