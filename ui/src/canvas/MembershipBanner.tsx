// Shown when the model's declared memberships contradict its drawing (a hand-edited file puts
// an element in a boundary it is drawn outside of, or the reverse): names what disagrees and
// offers the two honest fixes — lay the model out again from its memberships, or keep the
// drawing and adopt what it shows (one undoable edit each). Until then the analysis runs on
// the declared memberships, and this says so: the model is never analysed silently as
// something other than what is drawn.
import { useMemo, useState } from "react";
import { layoutModel, type CommandError } from "../ipc";
import { contradictions, reconcile } from "../lib/membership";
import { useDoc, useDocStore } from "../store/document";
import { uiStore } from "../app/files";
import { shownName } from "../lib/names";

export default function MembershipBanner() {
  const model = useDoc((s) => s.model);
  const store = useDocStore();
  const [busy, setBusy] = useState(false);
  const found = useMemo(() => contradictions(model), [model]);
  if (!found.length) return null;
  const name = (id: string | null) => (id ? (model.boundaries.find((b) => b.id === id)?.name ?? id) : "no boundary");
  const shown = found.slice(0, 4);
  const relayout = async () => {
    setBusy(true);
    try {
      const laid = await layoutModel(store.getState().model);
      store.getState().commit(() => laid);
    } catch (e) {
      uiStore.setState({ error: e as CommandError });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="warning-card membership-banner" role="alert" data-testid="membership-banner">
      <strong>
        {found.length} item{found.length === 1 ? " is" : "s are"} drawn where {found.length === 1 ? "it does" : "they do"} not belong
      </strong>
      <ul>
        {shown.map((c) => (
          <li key={c.id}>
            “{shownName(c.name)}” belongs to {name(c.declared)} but is drawn in {name(c.drawn)}
          </li>
        ))}
        {found.length > shown.length && <li>… and {found.length - shown.length} more</li>}
      </ul>
      <p className="muted">The analysis uses the memberships the file declares until you choose.</p>
      <div className="membership-actions">
        <button type="button" disabled={busy} onClick={() => void relayout()} data-testid="membership-relayout" title="Keep the memberships; lay the diagram out again">
          Lay out from the boundaries
        </button>
        <button type="button" disabled={busy} onClick={() => store.getState().commit(reconcile)} data-testid="membership-adopt" title="Keep the drawing; each item joins the boundary it is drawn in">
          Adopt the drawing
        </button>
      </div>
    </div>
  );
}
