// Header: file and edit commands, file name with unsaved marker, analysis status and totals.
// When the window is too narrow for every command (from 1024 px up the file name, totals and
// analysis status must stay in view), the least used commands move, in COLLAPSE order, into
// a "More ▾" list at the end of the toolbar.
import { About, HelpMenu } from "../help/HelpMenu";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useReactFlow } from "@xyflow/react";
import { appInfo, type CommandError } from "../ipc";
import { autoLayout as layOut } from "../canvas/actions";
import { docStore, isDirty, useDoc } from "../store/document";
import { baseName, exportAs, exportReport, newModel, openDialog, openPath, save, saveAs, uiStore, useUi } from "./files";
import { SEVERITY_LETTER } from "../canvas/convert";
import type { Severity } from "../bindings/Severity";

const SEVS: Severity[] = ["critical", "high", "medium", "low"];

/** The commands that give way first when the header is too narrow, in that order. */
const COLLAPSE = ["layout", "reimport", "save-as", "recent", "export", "pdf", "redo"] as const;
type Collapsible = (typeof COLLAPSE)[number];

/** How many of COLLAPSE are moved into "More ▾" so that the header does not overflow. */
function useCollapsed(header: React.RefObject<HTMLElement | null>) {
  const [hidden, setHidden] = useState(0);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = header.current;
    if (!el) return;
    const seen = new ResizeObserver(() => setWidth(el.clientWidth));
    seen.observe(el);
    return () => seen.disconnect();
  }, [header]);
  // A new width starts again from every command shown, then hides one at a time until it fits.
  useLayoutEffect(() => setHidden(0), [width]);
  useLayoutEffect(() => {
    const el = header.current;
    if (el && el.scrollWidth > el.clientWidth && hidden < COLLAPSE.length) setHidden(hidden + 1);
  });
  return new Set<Collapsible>(COLLAPSE.slice(0, hidden));
}

export default function Header() {
  const [version, setVersion] = useState<string | null>(null);
  const [versionError, setVersionError] = useState<CommandError | null>(null);
  const path = useDoc((s) => s.path);
  const dirty = useDoc(isDirty);
  const report = useDoc((s) => s.analysis);
  const canUndo = useDoc((s) => s.past.length > 0);
  const canRedo = useDoc((s) => s.future.length > 0);
  const recent = useUi((s) => s.recent);
  const busy = useUi((s) => s.busy);
  const exports = useUi((s) => s.formats?.export ?? []);
  const rf = useReactFlow();
  const headerRef = useRef<HTMLElement>(null);
  const collapsed = useCollapsed(headerRef);
  const shown = (c: Collapsible) => !collapsed.has(c);

  useEffect(() => {
    appInfo().then((i) => setVersion(i.version), setVersionError);
  }, []);

  const open = (report?.analysis.threats ?? []).filter((t) => t.status === "open");
  const count = (s: Severity) => open.filter((t) => t.severity === s).length;
  const ms = report ? report.micros / 1000 : 0;

  const autoLayout = () => layOut(() => void rf.fitView({ padding: 0.15, duration: 300 }));

  return (
    <header className="app-header" ref={headerRef}>
      <About version={version} />
      <span className="app-name">Threatwright</span>
      {version && (
        <span className="app-version" data-testid="app-version" title="Threatwright version">
          v{version}
        </span>
      )}
      {versionError && (
        <span className="app-version error" data-testid="app-version-error" title={`${versionError.code}: ${versionError.message}`}>
          version unavailable
        </span>
      )}
      <nav className="toolbar" aria-label="Commands">
        <button type="button" onClick={() => void newModel()} title="New model: blank or from a template (Ctrl+N)" data-testid="cmd-new">New…</button>
        <button type="button" onClick={() => void openDialog()} title="Open… (Ctrl+O)" data-testid="cmd-open">Open…</button>
        {shown("recent") && <select
          aria-label="Open a recent file"
          className="recent"
          value=""
          data-testid="recent-files"
          onChange={(e) => e.target.value && void openPath(e.target.value)}
          disabled={!recent.length}
        >
          <option value="">Recent ▾</option>
          {recent.map((r) => (
            <option key={r} value={r} title={r}>
              {baseName(r)} — {r}
            </option>
          ))}
        </select>}
        <button type="button" onClick={() => void save()} title="Save (Ctrl+S)" data-testid="cmd-save">Save</button>
        {shown("save-as") && <button type="button" onClick={() => void saveAs()} title="Save as… (Ctrl+Shift+S)">Save as…</button>}
        {shown("pdf") && <button type="button" onClick={() => void exportReport()} disabled={!!busy} title="Export the PDF risk report" data-testid="cmd-export-pdf">
          PDF report…
        </button>}
        {shown("export") && <button
          type="button"
          onClick={() => exportAs(exports[0]?.name ?? "pdf")}
          disabled={!!busy || !exports.length}
          title="Export the analysis in any format: JSON, CSV, Markdown, SARIF, Threat Dragon, OTM, Threagile, Threat Composer, YAML or the PDF report"
          data-testid="cmd-export"
        >
          Export…
        </button>}
        {shown("reimport") && <button
          type="button"
          onClick={() => uiStore.setState({ reimport: { stage: "choose" } })}
          disabled={!!busy}
          title="Re-import: lay a newer SAM, Serverless or Terraform source, or a Threat Composer file, onto this model and review the changes"
          data-testid="cmd-reimport"
        >
          Re-import…
        </button>}
        <span className="sep" />
        <button type="button" onClick={() => docStore.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="cmd-undo">Undo</button>
        {shown("redo") && <button type="button" onClick={() => docStore.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Y)" data-testid="cmd-redo">Redo</button>}
        <span className="sep" />
        {shown("layout") && <button type="button" onClick={() => void autoLayout()} title="Arrange the diagram left to right" data-testid="cmd-layout">Auto-layout</button>}
        {collapsed.size > 0 && (
          <MoreMenu
            collapsed={collapsed}
            actions={{
              layout: ["Auto-layout", () => void autoLayout(), false],
              reimport: ["Re-import…", () => uiStore.setState({ reimport: { stage: "choose" } }), !!busy],
              "save-as": ["Save as…", () => void saveAs(), false],
              pdf: ["PDF report…", () => void exportReport(), !!busy],
              redo: ["Redo", () => docStore.getState().redo(), !canRedo],
            }}
            recent={recent}
            exports={busy ? [] : exports}
          />
        )}
        <HelpMenu />
      </nav>
      <span className="header-spacer" />
      <span className="model-name" data-testid="file-name" title={path ?? "not saved yet"}>
        {baseName(path)}
        {dirty && <span className="dirty" data-testid="dirty-marker" title="Unsaved changes"> •</span>}
      </span>
      <span className="totals" data-testid="threat-totals" aria-label="Open threats by severity" title={`${open.length} open threats`}>
        {SEVS.map((s) => (
          <span key={s} className={`total sev-${s}`} title={`${count(s)} ${s}`}>
            <span className="sev-letter">{SEVERITY_LETTER[s]}</span>
            {count(s)}
          </span>
        ))}
      </span>
      <span className="analysis-status" data-testid="analysis-status" role="status">
        {report ? `Analysed ✓ ${ms < 1 ? "<1" : Math.round(ms)} ms` : "Analysing…"}
      </span>
    </header>
  );
}

/** The commands the header had no room for, as one list: actions, then recent files and export formats. */
function MoreMenu({
  collapsed,
  actions,
  recent,
  exports,
}: {
  collapsed: Set<Collapsible>;
  actions: Partial<Record<Collapsible, [string, () => void, boolean]>>;
  recent: string[];
  exports: { name: string; label: string }[];
}) {
  const run = (value: string) => {
    const [kind, arg] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    if (kind === "do") actions[arg as Collapsible]?.[1]();
    else if (kind === "recent") void openPath(arg);
    else if (kind === "export") void exportAs(arg);
  };
  const commands = COLLAPSE.filter((c) => collapsed.has(c) && actions[c]);
  return (
    <select aria-label="More commands" className="recent more" value="" data-testid="cmd-more" onChange={(e) => e.target.value && run(e.target.value)}>
      <option value="">More ▾</option>
      {commands.map((c) => (
        <option key={c} value={`do:${c}`} disabled={actions[c]![2]} data-testid={`more-${c}`}>
          {actions[c]![0]}
        </option>
      ))}
      {collapsed.has("recent") && recent.length > 0 && (
        <optgroup label="Open recent">
          {recent.map((r) => (
            <option key={r} value={`recent:${r}`} title={r}>
              {baseName(r)}
            </option>
          ))}
        </optgroup>
      )}
      {collapsed.has("export") && exports.length > 0 && (
        <optgroup label="Export as">
          {exports.map((f) => (
            <option key={f.name} value={`export:${f.name}`}>
              {f.label}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}
