// Right inspector (placeholder): shows the selection's properties and threats; with nothing
// selected it shows the model summary.

export default function Inspector() {
  return (
    <aside className="side-pane inspector" aria-label="Inspector">
      <h2 className="pane-title">Inspector</h2>
      <p className="muted">Nothing selected.</p>
      <section className="summary" aria-label="Model summary">
        <h3>Model summary</h3>
        <dl>
          <dt>Components</dt>
          <dd>0</dd>
          <dt>Flows</dt>
          <dd>0</dd>
          <dt>Open threats</dt>
          <dd>0</dd>
        </dl>
      </section>
    </aside>
  );
}
