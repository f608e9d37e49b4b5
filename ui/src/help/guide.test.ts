// The bundled user guide: every screenshot it shows is taken by the end-to-end tests on the
// real app, every link between its pages resolves, and raw HTML in a page is never injected.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PAGES, guidePages, renderPage, resolveLink } from "./guide";

const repo = path.resolve(__dirname, "..", "..", "..");
const guideDir = path.join(repo, "docs", "guide");
const e2e = readFileSync(path.join(repo, "ui", "tests", "e2e", "guide.test.mjs"), "utf8");
const pages = readdirSync(guideDir).filter((f) => f.endsWith(".md"));

describe("the user guide", () => {
  it("has the pages the issue asks for, all bundled", () => {
    for (const p of ["README.md", "install.md", "first-model.md", "drawing.md", "importing.md", "triage.md", "views.md", "reports.md", "ci.md", "rules.md", "formats.md"]) {
      expect(pages).toContain(p);
      expect(Object.keys(PAGES)).toContain(p);
    }
    expect(guidePages()[0].name).toBe("README.md");
  });

  it("shows only screenshots the end-to-end tests take, and each one exists", () => {
    const shots = new Set([...e2e.matchAll(/shot\(browser, "([a-z0-9-]+)"\)/g)].map((m) => m[1]));
    expect(shots.size).toBeGreaterThan(5);
    const used = new Set<string>();
    for (const p of pages) {
      const text = readFileSync(path.join(guideDir, p), "utf8");
      for (const m of text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        const name = m[1].match(/^img\/([a-z0-9-]+)\.png$/)?.[1];
        expect(name, `${p}: image ${m[1]} is not img/<name>.png`).toBeTruthy();
        expect(shots.has(name!), `${p}: img/${name}.png is taken by no shot() in tests/e2e/guide.test.mjs`).toBe(true);
        expect(existsSync(path.join(guideDir, "img", `${name}.png`)), `${p}: img/${name}.png missing`).toBe(true);
        used.add(name!);
      }
    }
    for (const s of shots) expect(used.has(s), `screenshot ${s} is taken but the guide never shows it`).toBe(true);
  });

  it("links between guide pages and to the references resolve inside the viewer", () => {
    for (const p of pages) {
      const text = readFileSync(path.join(guideDir, p), "utf8");
      for (const m of text.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const href = m[1];
        if (/^[a-z]+:/i.test(href) || href.startsWith("#")) continue;
        if (!href.split("#")[0].endsWith(".md")) continue;
        expect(resolveLink(p, href), `${p}: link ${href} opens no bundled page`).not.toBeNull();
      }
    }
  });

  it("renders Markdown without injecting raw HTML", () => {
    PAGES["test-hostile.md"] = "# T\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](first-model.md)";
    const html = renderPage("test-hostile.md");
    delete PAGES["test-hostile.md"];
    expect(html).not.toContain("<script");
    expect(html).not.toContain("onerror");
    expect(html).toContain('data-page="first-model.md"');
  });
});
