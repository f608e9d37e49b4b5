// Data assets of the model (name + classification). With `flowId`, each asset also gets a
// "carried by this flow" checkbox.
import { useState } from "react";
import type { Classification } from "../bindings/Classification";
import { useDoc, useDocStore } from "../store/document";

const CLASSES: Classification[] = ["public", "internal", "confidential", "restricted"];

export default function AssetEditor({ flowId }: { flowId?: string }) {
  const assets = useDoc((s) => s.model.assets);
  const flow = useDoc((s) => (flowId ? s.model.flows.find((f) => f.id === flowId) : undefined));
  const [name, setName] = useState("");
  const [cls, setCls] = useState<Classification>("confidential");
  const st = useDocStore().getState();

  const add = () => {
    const n = name.trim();
    if (!n) return;
    const id = st.addAsset(n, cls);
    if (flow) st.updateFlow(flow.id, { assets: [...flow.assets, id] });
    setName("");
  };

  return (
    <div className="asset-editor" data-testid="asset-editor">
      {assets.length === 0 && <p className="muted">No data assets yet.</p>}
      <ul className="asset-list">
        {assets.map((a) => (
          <li key={a.id} className={`asset cls-${a.classification}`}>
            {flow && (
              <input
                type="checkbox"
                aria-label={`${a.name} is carried by this flow`}
                data-testid={`flow-asset-${a.name}`}
                checked={flow.assets.includes(a.id)}
                onChange={(e) => st.updateFlow(flow.id, { assets: e.target.checked ? [...flow.assets, a.id] : flow.assets.filter((x) => x !== a.id) })}
              />
            )}
            <input className="asset-name" aria-label="Asset name" value={a.name} onChange={(e) => st.updateAsset(a.id, { name: e.target.value }, `asset-name:${a.id}`)} />
            <select aria-label="Classification" value={a.classification} onChange={(e) => st.updateAsset(a.id, { classification: e.target.value as Classification })}>
              {CLASSES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <button type="button" className="icon-btn" title="Delete asset" aria-label={`Delete ${a.name}`} onClick={() => st.removeAsset(a.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="asset-add">
        <input placeholder="New asset, e.g. Customer PII" aria-label="New asset name" data-testid="asset-new-name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === "Enter" && add()} />
        <select aria-label="New asset classification" value={cls} onChange={(e) => setCls(e.target.value as Classification)}>
          {CLASSES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <button type="button" data-testid="asset-add" onClick={add}>
          Add
        </button>
      </div>
    </div>
  );
}
