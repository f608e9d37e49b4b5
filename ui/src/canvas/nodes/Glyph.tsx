// Generic line glyphs drawn for the project (no vendor logos: their licences restrict
// redistribution). One glyph per category, 24×24, stroked in the current text colour.
import type { ReactNode } from "react";

const P = (d: string) => <path d={d} />;

const GLYPHS: Record<string, ReactNode> = {
  // compute
  function: P("M7 4h3l7 16M12.5 11L7 20"), // λ
  workflow: (
    <>
      <rect x="3" y="4" width="6" height="5" rx="1" />
      <rect x="15" y="15" width="6" height="5" rx="1" />
      {P("M6 9v4a2 2 0 0 0 2 2h7")}
    </>
  ),
  // triggers
  api: P("M13 2L5 14h6l-1 8 8-12h-6z"), // lightning
  function_url: P("M13 2L5 14h6l-1 8 8-12h-6z"),
  webhook: (
    <>
      <circle cx="12" cy="6" r="3" />
      <circle cx="6" cy="17" r="3" />
      <circle cx="18" cy="17" r="3" />
      {P("M10.5 8.5L7.5 14.5M13.5 8.5l3 6M9 17h6")}
    </>
  ),
  cdn: (
    <>
      <circle cx="12" cy="12" r="9" />
      {P("M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18")}
    </>
  ),
  queue: P("M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5"), // inbox
  topic: (
    <>
      <circle cx="12" cy="12" r="2" />
      {P("M7.8 7.8a6 6 0 0 0 0 8.4M16.2 7.8a6 6 0 0 1 0 8.4M5 5a10 10 0 0 0 0 14M19 5a10 10 0 0 1 0 14")}
    </>
  ),
  event_bus: P("M3 8h18M3 16h18M7 8v8M12 8v8M17 8v8"),
  schedule: (
    <>
      <circle cx="12" cy="12" r="9" />
      {P("M12 7v5l3 2")}
    </>
  ),
  storage_event: (
    <>
      {P("M5 7h14l-1.5 13h-11z")}
      <ellipse cx="12" cy="7" rx="7" ry="2.5" />
      {P("M13 10l-3 5h3l-1 3")}
    </>
  ),
  stream: P("M3 8c3-3 6 3 9 0s6 3 9 0M3 13c3-3 6 3 9 0s6 3 9 0M3 18c3-3 6 3 9 0s6 3 9 0"),
  // stores
  table: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="1" />
      {P("M3 10h18M3 14.5h18M10 10v9")}
    </>
  ),
  database: (
    <>
      <ellipse cx="12" cy="6" rx="8" ry="3" />
      {P("M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3")}
    </>
  ),
  bucket: (
    <>
      {P("M4 7h16l-2 14H6z")}
      <ellipse cx="12" cy="7" rx="8" ry="3" />
    </>
  ),
  cache: P("M13 2L4 14h7l-1 8 9-12h-7z"),
  secret_store: (
    <>
      <rect x="5" y="11" width="14" height="10" rx="1.5" />
      {P("M8 11V8a4 4 0 0 1 8 0v3M12 15v2")}
    </>
  ),
  key_store: (
    <>
      <circle cx="8" cy="12" r="4" />
      {P("M12 12h9M18 12v3M21 12v2")}
    </>
  ),
  log_store: (
    <>
      <rect x="5" y="3" width="14" height="18" rx="1.5" />
      {P("M8 8h8M8 12h8M8 16h5")}
    </>
  ),
  // externals
  user: (
    <>
      <circle cx="12" cy="8" r="4" />
      {P("M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7")}
    </>
  ),
  browser: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="1.5" />
      {P("M3 9h18M6 6.5h.01M8.5 6.5h.01")}
    </>
  ),
  admin: (
    <>
      <circle cx="10" cy="8" r="4" />
      {P("M3 21c0-4.4 3-7 7-7 1.5 0 2.8.3 3.9 1M18 14l1 2 2 .3-1.5 1.5.4 2.2-1.9-1-1.9 1 .4-2.2L15 16.3l2-.3z")}
    </>
  ),
  partner_api: P("M3 21V9l6-4v4l6-4v4l6-4v16zM7 17h2M12 17h2M17 17h1"), // building
  identity_provider: (
    <>
      {P("M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z")}
      {P("M9 12l2 2 4-4")}
    </>
  ),
  pipeline: (
    <>
      <circle cx="5" cy="12" r="2" />
      <circle cx="12" cy="12" r="2" />
      <circle cx="19" cy="12" r="2" />
      {P("M7 12h3M14 12h3")}
    </>
  ),
  service: (
    <>
      <rect x="4" y="4" width="16" height="16" rx="2" />
      {P("M4 10h16M10 10v10")}
    </>
  ),
  boundary: <rect x="3" y="5" width="18" height="14" rx="2" strokeDasharray="3 2.5" />,
  lock_open: (
    <>
      <rect x="5" y="11" width="14" height="10" rx="1.5" />
      {P("M8 11V7a4 4 0 0 1 7.5-2")}
    </>
  ),
};

export default function Glyph({ name, size = 22, title }: { name: string | null; size?: number; title?: string }) {
  return (
    <svg
      className="glyph"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? "img" : undefined}
    >
      {title && <title>{title}</title>}
      {(name !== null && GLYPHS[name]) || GLYPHS.service}
    </svg>
  );
}
