// Right inspector: properties of the selection (driven by the core's property schema), then its
// threats. With nothing (or several things) selected: the model summary, data assets and the
// whole model's ranked threats.
import type { Boundary } from "../bindings/Boundary";
import type { BoundaryKind } from "../bindings/BoundaryKind";
import type { Element } from "../bindings/Element";
import type { Flow } from "../bindings/Flow";
import type { Value } from "../bindings/Value";
import { useDoc, useDocStore } from "../store/document";
import { categoryOfType, elementProperties, flowProperties, useSchema } from "../store/schema";
import AssetEditor from "./AssetEditor";
import PropertyField from "./PropertyField";
import ThreatList from "./ThreatList";
import { uiStore, useUi } from "../app/files";
import { filterThreats, STATUSES, STATUS_LABEL, type ThreatFilter } from "../lib/threats";

const NO_THREATS: never[] = [];

function useThreatsFor(id: string | null) {
  return (useDoc((s) => s.analysis?.analysis.threats) ?? NO_THREATS).filter((t) => id === null || t.target.id === id);
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

function ElementInspector({ el }: { el: Element }) {
  const schema = useSchema();
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const category = categoryOfType(schema, el.type);
  const props = elementProperties(schema, el.kind, category);
  const types = (schema?.vendor_types ?? []).filter((v) => v.kind === el.kind);
  const others = model.elements.filter((e) => e.id !== el.id);
  const set = (name: string, v: Value | undefined, typing?: boolean) => st.setProperty(el.id, name, v, typing ? `prop:${el.id}:${name}` : undefined);
  return (
    <>
      <div className="field">
        <label htmlFor="inspector-name">Name</label>
        <input id="inspector-name" data-testid="inspector-name" value={el.name} onChange={(e) => st.updateElement(el.id, { name: e.target.value }, `name:${el.id}`)} />
      </div>
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
      <h3 className="section-title">Properties</h3>
      {props.map((p) => (
        <PropertyField key={p.name} prop={p} value={(el.properties as Record<string, Value>)[p.name]} onChange={(v, typing) => set(p.name, v, typing)} />
      ))}
    </>
  );
}

function FlowInspector({ flow }: { flow: Flow }) {
  const schema = useSchema();
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const name = (id: string) => model.elements.find((e) => e.id === id)?.name ?? "?";
  return (
    <>
      <p className="flow-ends">
        {name(flow.from)} → {name(flow.to)}
      </p>
      <div className="field">
        <label htmlFor="flow-label">Label</label>
        <input id="flow-label" data-testid="flow-label" value={flow.label} placeholder="e.g. POST /orders" onChange={(e) => st.updateFlow(flow.id, { label: e.target.value }, `label:${flow.id}`)} />
      </div>
      <h3 className="section-title">Properties</h3>
      {flowProperties(schema).map((p) => (
        <PropertyField
          key={p.name}
          prop={p}
          value={(flow.properties as Record<string, Value>)[p.name]}
          onChange={(v, typing) => st.setProperty(flow.id, p.name, v, typing ? `prop:${flow.id}:${p.name}` : undefined)}
        />
      ))}
      <h3 className="section-title">Data carried</h3>
      <AssetEditor flowId={flow.id} />
    </>
  );
}

function BoundaryInspector({ b }: { b: Boundary }) {
  const schema = useSchema();
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const inside = model.elements.filter((e) => e.boundary === b.id).length;
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
      <p className="muted">
        {inside} component{inside === 1 ? "" : "s"} directly inside. Drag nodes in or out to change membership; drag a corner to resize.
      </p>
    </>
  );
}

function Summary() {
  const model = useDoc((s) => s.model);
  const summary = useDoc((s) => s.analysis?.analysis.summary);
  const st = useDocStore().getState();
  const all = useThreatsFor(null);
  const filter = useUi((s) => s.filter);
  const threats = filterThreats(all, filter);
  const open = all.filter((t) => t.status === "open");
  return (
    <>
      <div className="field">
        <label htmlFor="model-name">Model name</label>
        <input id="model-name" data-testid="model-name" value={model.name} onChange={(e) => st.setModelName(e.target.value)} />
      </div>
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
      <ResolvedList />
      <div className="threats-heading">
        <h3 className="section-title">Threats ({threats.length})</h3>
        <ThreatFilterSelect />
      </div>
      <ThreatList threats={threats} testId="threats-all" emptyText={filter === "all" || filter === "open" ? "No open threats." : "No threats with this status."} />
    </>
  );
}

export default function Inspector() {
  const selection = useDoc((s) => s.selection);
  const model = useDoc((s) => s.model);
  const one = selection.length === 1 ? selection[0] : null;
  const el = one ? model.elements.find((e) => e.id === one) : undefined;
  const flow = one ? model.flows.find((f) => f.id === one) : undefined;
  const b = one ? model.boundaries.find((x) => x.id === one) : undefined;
  const threats = useThreatsFor(one ?? "");
  const title = el ? el.name : flow ? "Data flow" : b ? "Trust boundary" : selection.length > 1 ? `${selection.length} selected` : "Model";
  return (
    <aside className="side-pane inspector" aria-label="Inspector" data-testid="inspector">
      <h2 className="pane-title" data-testid="inspector-title">
        {title}
      </h2>
      {el && <ElementInspector key={el.id} el={el} />}
      {flow && <FlowInspector key={flow.id} flow={flow} />}
      {b && <BoundaryInspector key={b.id} b={b} />}
      {(el || flow) && (
        <>
          <h3 className="section-title">Threats ({threats.filter((t) => t.status === "open").length} open of {threats.length})</h3>
          <ThreatList threats={threats} testId="threats-selection" showTarget={false} openFirst />
        </>
      )}
      {!el && !flow && !b && <Summary />}
    </aside>
  );
}
