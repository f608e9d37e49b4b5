// Help in the header: the user guide (bundled, offline), the tour, the keyboard shortcuts and
// the About box with the version every part of the product shares (the Cargo workspace's).
import { useEffect, useRef } from "react";
import { uiStore, useUi } from "../app/files";
import { openGuide } from "./Guide";
import { startTour } from "./Tour";

const ITEMS: { id: string; label: string; hint?: string; run: () => void }[] = [
  { id: "guide", label: "User guide", run: () => openGuide("README.md") },
  { id: "first-model", label: "Your first model in ten minutes", run: () => openGuide("first-model.md") },
  { id: "tour", label: "Tour of the window", run: startTour },
  { id: "shortcuts", label: "Keyboard shortcuts", hint: "?", run: () => uiStore.setState({ help: true, helpMenu: false }) },
  { id: "settings", label: "Settings…", hint: "Ctrl+,", run: () => uiStore.setState({ settings: true, helpMenu: false }) },
  { id: "about", label: "About Threatwright", run: () => uiStore.setState({ about: true, helpMenu: false }) },
];

export function HelpMenu() {
  const open = useUi((s) => s.helpMenu);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) uiStore.setState({ helpMenu: false });
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === "Escape") uiStore.setState({ helpMenu: false });
    };
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", esc);
    ref.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", esc);
    };
  }, [open]);
  return (
    <div className="help-menu-wrap" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => uiStore.setState({ helpMenu: !open })}
        title="Help: user guide, tour, shortcuts, about"
        data-testid="cmd-help"
      >
        Help
      </button>
      {open && (
        <div
          className="help-menu"
          role="menu"
          aria-label="Help"
          data-testid="help-menu"
          onKeyDown={(e) => {
            if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
            e.preventDefault();
            const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
            const i = items.indexOf(document.activeElement as HTMLButtonElement);
            items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
          }}
        >
          {ITEMS.map((it) => (
            <button type="button" role="menuitem" key={it.id} onClick={it.run} data-testid={`help-${it.id}`}>
              <span>{it.label}</span>
              {it.hint && <kbd>{it.hint}</kbd>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function About({ version }: { version: string | null }) {
  const open = useUi((s) => s.about);
  if (!open) return null;
  const close = () => uiStore.setState({ about: false });
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal about" role="dialog" aria-modal="true" aria-labelledby="about-title" data-testid="about" onClick={(e) => e.stopPropagation()}>
        <h2 id="about-title">Threatwright {version ?? ""}</h2>
        <p>Threat modeling and risk assessment for serverless architectures.</p>
        <p className="muted">
          The app, the <code>threatwright</code> command-line tool and the PDF report carry the same version. MIT licence.
        </p>
        <div className="modal-actions">
          <button type="button" onClick={() => openGuide("install.md")}>Installing and updating</button>
          <button type="button" className="primary" autoFocus onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}
