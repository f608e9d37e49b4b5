// Browser test of the built UI (ui/dist) in headless Debian Chromium via playwright-core,
// with the Rust backend replaced by @tauri-apps/api's mockIPC. No Rust build needed.
// Run: npm --prefix ui run build && npm --prefix ui run test:browser
// Set UI_SHOT=/path/to.png to save a screenshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "..", "dist");
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const MOCK_VERSION = "4.5.6-mock";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};
// Same CSP as src-tauri/tauri.conf.json (minus the IPC origins), so CSP breakage shows up here too.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

let server;
let baseUrl;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(dist, "index.html")), "ui/dist missing: run `npm run build` first");
  server = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.resolve(dist, "." + (urlPath === "/" ? "/index.html" : urlPath));
    if (!file.startsWith(dist + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "content-security-policy": CSP,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

test("built UI renders the canvas and the version from mocked app_info", async () => {
  const mocksCjs = await readFile(require.resolve("@tauri-apps/api/mocks") /* -> mocks.cjs, self-contained */, "utf8");
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.addInitScript(
    `(() => { const exports = {}; ${mocksCjs};
      window.__twCalls = [];
      exports.mockIPC((cmd, args) => {
        window.__twCalls.push({ cmd, args });
        if (cmd === "app_info") return { version: ${JSON.stringify(MOCK_VERSION)} };
        throw { code: "unknown_command", message: cmd };
      });
    })()`,
  );
  await page.goto(baseUrl);

  await page.locator(".react-flow").waitFor({ state: "visible", timeout: 10_000 });
  await page.locator(".react-flow__minimap").waitFor({ state: "visible" });
  await page.locator(".react-flow__controls").waitFor({ state: "visible" });
  const version = page.getByTestId("app-version");
  await version.waitFor({ state: "visible", timeout: 10_000 });
  assert.equal(await version.textContent(), `v${MOCK_VERSION}`);
  assert.equal(await page.title(), "Threatwright");
  for (const group of ["Compute", "Triggers", "Stores", "External", "Boundaries"]) {
    assert.ok(await page.getByText(group, { exact: true }).isVisible(), `palette group ${group}`);
  }
  assert.ok(await page.getByText("Your model is empty").isVisible());

  // The canvas fills the centre pane (layout sanity, catches missing CSS).
  const box = await page.locator(".react-flow").boundingBox();
  assert.ok(box && box.width > 600 && box.height > 600, `canvas box ${JSON.stringify(box)}`);

  const calls = await page.evaluate(() => window.__twCalls);
  assert.ok(calls.some((c) => c.cmd === "app_info"), JSON.stringify(calls));
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT });
  assert.deepEqual(errors, [], "no page or console errors (CSP violations show up here)");
  await page.close();
});

test("follows the system colour scheme (light and dark)", async () => {
  const mocksCjs = await readFile(require.resolve("@tauri-apps/api/mocks"), "utf8");
  const backgrounds = {};
  for (const colorScheme of ["light", "dark"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme });
    await page.addInitScript(
      `(() => { const exports = {}; ${mocksCjs}; exports.mockIPC(() => ({ version: "0.0.0" })); })()`,
    );
    await page.goto(baseUrl);
    await page.locator(".react-flow").waitFor({ state: "visible", timeout: 10_000 });
    backgrounds[colorScheme] = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      flowDark: document.querySelector(".react-flow")?.classList.contains("dark") ?? false,
    }));
    if (process.env.UI_SHOT && colorScheme === "dark") {
      await page.screenshot({ path: process.env.UI_SHOT.replace(/\.png$/, "") + "-dark.png" });
    }
    await page.close();
  }
  assert.notEqual(backgrounds.light.body, backgrounds.dark.body);
  assert.equal(backgrounds.light.flowDark, false);
  assert.equal(backgrounds.dark.flowDark, true);
});
