// The model's name and report details (description, version, author, scope): what the PDF
// cover and the exports print. Each field is an undoable edit of the model; typing in one field
// merges into one undo step.
import type { Model } from "../bindings/Model";
import { useDoc, useDocStore } from "../store/document";
import "./inspector.css";

type MetaKey = "description" | "version" | "author" | "scope";

const FIELDS: { key: MetaKey; label: string; placeholder: string; long?: boolean }[] = [
  { key: "description", label: "Description", placeholder: "What the system does, for the report's readers", long: true },
  { key: "version", label: "Version", placeholder: "e.g. 1.4 or 2026-Q3" },
  { key: "author", label: "Author", placeholder: "who wrote this model" },
  { key: "scope", label: "Scope", placeholder: "What the assessment covers and leaves out", long: true },
];

export default function ModelDetails() {
  const model = useDoc((s) => s.model);
  const st = useDocStore().getState();
  const set = (key: MetaKey, value: string) => st.commit((m: Model) => ({ ...m, [key]: value }), `meta:${key}`);
  return (
    <section className="model-details" aria-label="Report details">
      <div className="field">
        <label htmlFor="model-name">Model name</label>
        <input id="model-name" data-testid="model-name" value={model.name} onChange={(e) => st.setModelName(e.target.value)} />
      </div>
      <div className="meta-grid">
        {FIELDS.map((f) => (
          <div key={f.key} className={`field${f.long ? " meta-long" : ""}`}>
            <label htmlFor={`model-${f.key}`}>{f.label}</label>
            {f.long ? (
              <textarea
                id={`model-${f.key}`}
                data-testid={`model-${f.key}`}
                rows={2}
                value={model[f.key]}
                placeholder={f.placeholder}
                onChange={(e) => set(f.key, e.target.value)}
              />
            ) : (
              <input id={`model-${f.key}`} data-testid={`model-${f.key}`} value={model[f.key]} placeholder={f.placeholder} onChange={(e) => set(f.key, e.target.value)} />
            )}
          </div>
        ))}
      </div>
      <p className="muted meta-hint">Printed on the PDF report's cover and in the exports.</p>
    </section>
  );
}
