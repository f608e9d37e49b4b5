// The rule id of a threat card (`TW-API-001`): a copy button, and "About" which shows the
// rule's section of the generated rule reference (`docs/rules.md`, served with the schema) in
// a dialog, with how to turn the rule off on the command line.
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { useSchema } from "../store/schema";
import "./inspector.css";

/** Copies `text`; the async Clipboard API first, then a selected textarea for webviews without it. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** `*emphasis*` and `code` spans of one line of the generated Markdown. */
function inline(text: string): ReactNode[] {
  return text.split(/(\*[^*]+\*|`[^`]+`)/).map((part, i) =>
    part.startsWith("*") && part.endsWith("*") && part.length > 2 ? (
      <em key={i}>{part.slice(1, -1)}</em>
    ) : part.startsWith("`") && part.endsWith("`") && part.length > 2 ? (
      <code key={i}>{part.slice(1, -1)}</code>
    ) : (
      part
    ),
  );
}

/** Renders the small Markdown subset the rule reference is generated in: paragraphs, "- " lists. */
export function RuleDocBody({ doc }: { doc: string }) {
  const blocks = doc
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b && !b.startsWith("## "));
  return (
    <>
      {blocks.map((b, i) => {
        const lines = b.split("\n");
        const items = lines.filter((l) => l.startsWith("- "));
        if (!items.length) return <p key={i}>{inline(b)}</p>;
        const lead = lines.filter((l) => !l.startsWith("- "));
        return (
          <div key={i}>
            {lead.length > 0 && <h4>{inline(lead.join(" "))}</h4>}
            <ul>
              {items.map((l, k) => (
                <li key={k}>{inline(l.slice(2))}</li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

function RuleDialog({ rule, onClose }: { rule: string; onClose: () => void }) {
  const info = useSchema()?.rules.find((r) => r.id === rule);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    close.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        onClose();
      } else if (e.key === "Tab") {
        // Modal: the close button is the dialog's one control, so focus stays on it.
        e.preventDefault();
        close.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      back?.focus();
    };
  }, [onClose]);
  const titleId = `rule-doc-title-${rule}`;
  return createPortal(
    <div className="rule-doc-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="rule-doc" data-testid="rule-doc">
        <div className="rule-doc-head">
          <h3 id={titleId}>
            <code>{rule}</code> {info?.title ?? ""}
          </h3>
          <button ref={close} type="button" className="rule-doc-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="rule-doc-body">{info ? <RuleDocBody doc={info.doc} /> : <p className="muted">No documentation for this rule in the app's catalog.</p>}</div>
        <p className="rule-doc-disable">
          To leave it out of a command-line run: <code>threatwright analyze model.twm --disable {rule}</code>
        </p>
        <p className="muted rule-doc-source">From the generated rule reference, docs/rules.md.</p>
      </div>
    </div>,
    document.body,
  );
}

export default function RuleRef({ rule }: { rule: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const [open, setOpen] = useState(false);
  const onClose = useCallback(() => setOpen(false), []);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <span className="rule-ref">
      <code className="rule-id" data-testid="rule-id">
        {rule}
      </code>
      <button
        type="button"
        className="rule-btn"
        data-testid="rule-copy"
        title={`Copy ${rule} (e.g. for --disable ${rule})`}
        aria-label={`Copy rule id ${rule}`}
        onClick={async () => setCopied((await copyText(rule)) ? "yes" : "no")}
      >
        {copied === "yes" ? "Copied" : copied === "no" ? "Copy failed" : "Copy"}
      </button>
      <button type="button" className="rule-btn" data-testid="rule-about" aria-haspopup="dialog" title="What this rule checks, its mitigations and references" onClick={() => setOpen(true)}>
        About this rule
      </button>
      {open && <RuleDialog rule={rule} onClose={onClose} />}
    </span>
  );
}
