// Left palette (placeholder): the component groups users will drag onto the canvas.
// Drag-and-drop and vendor variants arrive with the editor.

export interface PaletteGroup {
  id: string;
  label: string;
  items: string[];
}

export const PALETTE_GROUPS: PaletteGroup[] = [
  { id: "compute", label: "Compute", items: ["Function", "Container task", "Workflow"] },
  {
    id: "triggers",
    label: "Triggers",
    items: ["API", "Queue", "Topic", "Schedule", "Bucket event", "Stream", "Event bus"],
  },
  { id: "stores", label: "Stores", items: ["Table", "Bucket", "Cache", "Secrets"] },
  { id: "external", label: "External", items: ["User", "Third-party service", "Identity provider"] },
  { id: "boundaries", label: "Boundaries", items: ["Internet", "Cloud account", "Network"] },
];

export default function Palette() {
  return (
    <aside className="side-pane palette" aria-label="Palette">
      <h2 className="pane-title">Palette</h2>
      {PALETTE_GROUPS.map((group) => (
        <details key={group.id} className="palette-group" open={group.id === "compute"}>
          <summary>{group.label}</summary>
          <ul>
            {group.items.map((item) => (
              <li key={item} className="palette-item" aria-disabled="true">
                {item}
              </li>
            ))}
          </ul>
        </details>
      ))}
      <p className="pane-hint muted">Drag &amp; drop arrives with the editor.</p>
    </aside>
  );
}
