// The user guide bundled into the app (docs/guide/*.md and its screenshots), so Help works
// offline. Pages are Markdown rendered by `marked`; links between guide pages and to the
// format references (docs/*.md) open inside the viewer; images resolve to bundled files.
import { Marked } from "marked";

// Globs must be literal for Vite to bundle them, hence one call per kind of file.
type Files = Record<string, string>;
const GUIDE = import.meta.glob("../../../docs/guide/*.md", { query: "?raw", import: "default", eager: true }) as Files;
const REFERENCE = import.meta.glob("../../../docs/*.md", { query: "?raw", import: "default", eager: true }) as Files;
const CHANGELOG = import.meta.glob("../../../CHANGELOG.md", { query: "?raw", import: "default", eager: true }) as Files;
const IMAGES = import.meta.glob("../../../docs/guide/img/*.png", { query: "?url", import: "default", eager: true }) as Files;

const file = (p: string) => p.split("/").pop() ?? p;

/** Bundled pages by name: "first-model.md" (guide), "../rules.md" (references) and
 * "../../CHANGELOG.md". */
export const PAGES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(GUIDE).map(([p, t]) => [file(p), t])),
  ...Object.fromEntries(Object.entries(REFERENCE).map(([p, t]) => [`../${file(p)}`, t])),
  ...Object.fromEntries(Object.entries(CHANGELOG).map(([, t]) => ["../../CHANGELOG.md", t])),
};
const IMAGE_URLS: Record<string, string> = Object.fromEntries(Object.entries(IMAGES).map(([p, u]) => [file(p), u]));

/** The guide's own pages in reading order: README.md (contents) first, then as it lists them. */
export function guidePages(): { name: string; title: string }[] {
  const names = Object.keys(PAGES).filter((n) => !n.startsWith("../"));
  const order = (PAGES["README.md"] ?? "").match(/\(([a-z0-9-]+\.md)\)/g)?.map((m) => m.slice(1, -1)) ?? [];
  const rank = (n: string) => (n === "README.md" ? -1 : order.indexOf(n) === -1 ? 999 : order.indexOf(n));
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((name) => ({ name, title: titleOf(name) }));
}

export function titleOf(name: string): string {
  const text = PAGES[name] ?? "";
  return text.match(/^#\s+(.+)$/m)?.[1].trim() ?? name;
}

/** Resolves a link of page `from` to a bundled page name, or null (external or missing). */
export function resolveLink(from: string, href: string): string | null {
  if (/^[a-z]+:/i.test(href) || href.startsWith("#")) return null;
  const path = href.split("#")[0];
  const inRef = from.startsWith("../");
  let name = path;
  if (inRef) name = path.startsWith("guide/") ? path.slice("guide/".length) : `../${path.replace(/^\.\//, "")}`;
  else name = path.replace(/^\.\//, "");
  return name in PAGES ? name : null;
}

/** The page as HTML: images point at bundled files, links carry the page they open. */
export function renderPage(name: string): string {
  const md = new Marked({ gfm: true });
  md.use({
    renderer: {
      image({ href, text }) {
        const url = IMAGE_URLS[file(href)];
        const alt = escapeHtml(text);
        return url ? `<img src="${url}" alt="${alt}" title="${alt}">` : `<span class="guide-missing-image">[${alt}]</span>`;
      },
      link({ href, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const target = resolveLink(name, href);
        if (target) return `<a href="#" data-page="${escapeHtml(target)}">${inner}</a>`;
        return `<a class="external" title="${escapeHtml(href)}">${inner}</a>`;
      },
      html() {
        return ""; // the guide is Markdown only: raw HTML is dropped, never injected
      },
    },
  });
  return md.parse(PAGES[name] ?? `# Not found\n\nThe page ${name} is not bundled.`) as string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}
