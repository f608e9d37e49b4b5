// The user guide viewer (Help → User guide): the bundled guide pages in a side list and the
// open page; links between pages stay inside the viewer. Works offline.
import { useMemo, useRef } from "react";
import { uiStore, useUi } from "../app/files";
import { guidePages, renderPage, titleOf } from "./guide";

export function openGuide(page = "README.md") {
  uiStore.setState({ guide: page, helpMenu: false });
}

export default function Guide() {
  const page = useUi((s) => s.guide);
  const body = useRef<HTMLDivElement>(null);
  const pages = useMemo(() => guidePages(), []);
  const html = useMemo(() => (page ? renderPage(page) : ""), [page]);
  if (!page) return null;
  const close = () => uiStore.setState({ guide: null });
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal guide"
        role="dialog"
        aria-modal="true"
        aria-label="User guide"
        data-testid="guide"
        data-page={page}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") close();
        }}
      >
        <nav className="guide-pages" aria-label="Guide pages">
          <ul>
            {pages.map((p) => (
              <li key={p.name}>
                <button
                  type="button"
                  className={p.name === page ? "current" : ""}
                  aria-current={p.name === page ? "page" : undefined}
                  onClick={() => uiStore.setState({ guide: p.name })}
                  data-testid={`guide-page-${p.name}`}
                >
                  {p.name === "README.md" ? "Contents" : p.title}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <article
          className="guide-body"
          ref={body}
          aria-label={titleOf(page)}
          tabIndex={0}
          onClick={(e) => {
            const a = (e.target as HTMLElement).closest("a[data-page]");
            if (!a) return;
            e.preventDefault();
            uiStore.setState({ guide: a.getAttribute("data-page") });
            body.current?.scrollTo(0, 0);
          }}
          // The HTML is rendered from the guide bundled at build time, never from user input.
          dangerouslySetInnerHTML={{ __html: html }}
        />
        <button type="button" className="guide-close" onClick={close} data-testid="guide-close" aria-label="Close the guide">
          ×
        </button>
      </div>
    </div>
  );
}
