// An ARIA tab list: one tab stop (the selected tab), arrows / Home / End move between tabs and
// select them, as WAI-ARIA's "tabs with automatic activation" pattern describes.
import { useRef, type KeyboardEvent, type ReactNode } from "react";

export interface TabDef<K extends string> {
  key: K;
  label: ReactNode;
  /** Accessible name when `label` is more than words (a count badge). */
  name?: string;
}

export const tabId = (prefix: string, key: string) => `${prefix}-tab-${key}`;
export const panelId = (prefix: string, key: string) => `${prefix}-panel-${key}`;

export default function Tabs<K extends string>({
  prefix,
  tabs,
  active,
  onSelect,
  label,
}: {
  prefix: string;
  tabs: TabDef<K>[];
  active: K;
  onSelect: (key: K) => void;
  label: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (e: KeyboardEvent, i: number) => {
    const last = tabs.length - 1;
    const to = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onSelect(tabs[to].key);
    refs.current[to]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="insp-tabs">
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={tabId(prefix, t.key)}
          aria-controls={panelId(prefix, t.key)}
          aria-selected={t.key === active}
          aria-label={t.name}
          tabIndex={t.key === active ? 0 : -1}
          data-testid={`tab-${t.key}`}
          className="insp-tab"
          onClick={() => onSelect(t.key)}
          onKeyDown={(e) => move(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
