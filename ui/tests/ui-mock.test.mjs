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

const schema = JSON.parse(await readFile(path.join(here, "fixtures", "schema.json"), "utf8"));
const XSS = "<img src=x onerror=alert(1)>";

// Fake backend: a threat "API route accepts unauthenticated requests" on every trigger whose
// auth is unset or none, so the UI's live-analysis loop can be exercised without Rust.
function backendScript(mocksCjs) {
  return `(() => { const exports = {}; ${mocksCjs};
    window.__twCalls = [];
    const schema = ${JSON.stringify(schema)};
    exports.mockIPC((cmd, args) => {
      window.__twCalls.push({ cmd, args });
      switch (cmd) {
        case "app_info": return { version: ${JSON.stringify(MOCK_VERSION)} };
        case "get_schema": return schema;
        case "get_startup": return { path: null, model: null };
        case "list_recent_files": return [];
        case "set_document_state": return null;
        case "analyze_model": {
          const threats = args.model.elements.filter((e) => e.kind === "trigger" && (e.properties.auth ?? "none") === "none").map((e) => ({
            id: "t-" + e.id, rule: "API-01", title: "API route accepts unauthenticated requests", category: "spoofing",
            description: "d", target: { id: e.id, name: e.name, kind: "trigger", type: e.type }, confidence: "high",
            likelihood: 4, impact: 4, score: 16, severity: "high", status: "open",
            rationale: ["auth is none"], mitigations: [{ text: "Add an authorizer", practice: null, standard: null }],
            references: { cwe: [], capec: [], owasp_serverless: [], csa: [], other: [] }, compliance: [], generic: false }));
          return { analysis: { model: args.model.name, as_of: "", threats, summary: { total: threats.length, by_severity: {}, by_category: {}, elements: 0, flows: 0, rules_evaluated: 1 }, diagnostics: [] }, micros: 3000 };
        }
      }
      throw { code: "unknown_command", message: cmd };
    });
  })()`;
}

async function openApp(opts = {}) {
  const mocksCjs = await readFile(require.resolve("@tauri-apps/api/mocks") /* -> mocks.cjs, self-contained */, "utf8");
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...opts });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("dialog", (d) => {
    errors.push("unexpected dialog: " + d.message());
    void d.dismiss();
  });
  await page.addInitScript(backendScript(mocksCjs));
  await page.goto(baseUrl);
  await page.locator(".react-flow").waitFor({ state: "visible", timeout: 10_000 });
  await page.getByTestId("palette-item-aws.lambda").waitFor();
  return { page, errors };
}

test("built UI renders the canvas, palette and version from the mocked backend", async () => {
  const { page, errors } = await openApp();
  await page.locator(".react-flow__minimap").waitFor({ state: "visible" });
  await page.locator(".react-flow__controls").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("app-version").textContent(), `v${MOCK_VERSION}`);
  assert.match(await page.title(), /Untitled — Threatwright/);
  for (const group of ["Compute", "Triggers", "Stores", "External", "Boundaries"]) {
    assert.ok(await page.locator("summary", { hasText: group }).first().isVisible(), `palette group ${group}`);
  }
  assert.ok(await page.getByText("Your model is empty").isVisible());
  const box = await page.locator(".react-flow").boundingBox();
  assert.ok(box && box.width > 600 && box.height > 600, `canvas box ${JSON.stringify(box)}`);
  // Vendor switch and search.
  await page.getByTestId("vendor-azure").click();
  await page.getByTestId("palette-item-azure.function").waitFor();
  await page.getByTestId("palette-search").fill("sqs");
  await page.getByTestId("palette-item-aws.sqs").waitFor();
  assert.equal(await page.getByTestId("palette-item-aws.lambda").count(), 0);
  assert.deepEqual(errors, [], "no page or console errors (CSP violations show up here)");
  await page.close();
});

test("drag from the palette adds a node; selecting it shows its properties", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("palette-item-aws.apigateway").dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 200, y: 200 } });
  const node = page.locator(".react-flow__node-trigger");
  await node.waitFor();
  assert.equal(await page.getByTestId("inspector-name").inputValue(), "API Gateway REST API");
  // Click-to-add a function, then select the API again by clicking it on the canvas.
  await page.getByTestId("palette-item-aws.lambda").click();
  await page.locator(".react-flow__node-function").waitFor();
  assert.equal(await page.getByTestId("inspector-name").inputValue(), "Lambda function");
  await node.click();
  assert.equal(await page.getByTestId("inspector-name").inputValue(), "API Gateway REST API");
  assert.ok(await page.getByText("Routes without an authorizer accept requests from anyone").isVisible());
  assert.equal(await page.locator("#prop-auth option").first().textContent(), "default (none)");
  // Connect by dragging from the API's right handle onto the function.
  await page.locator(".react-flow__node-trigger .react-flow__handle-right").dragTo(page.locator(".react-flow__node-function"));
  await page.locator(".react-flow__edge").waitFor();
  // Title shows the unsaved marker; undo removes the flow.
  assert.match(await page.title(), /•/);
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await page.locator(".react-flow__edge").waitFor({ state: "detached" });
  await page.keyboard.press("?");
  await page.getByTestId("help-overlay").waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("help-overlay").waitFor({ state: "detached" });
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT });
  assert.deepEqual(errors, []);
  await page.close();
});

test("threat list shows mocked threats; clicking one selects its target", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("palette-item-aws.lambda").click();
  await page.getByTestId("palette-item-aws.apigateway").click();
  await page.getByTestId("palette-item-aws.lambda").click(); // selection is now the 2nd function
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  const item = page.getByTestId("threats-all").getByTestId("threat-item");
  await item.first().waitFor({ timeout: 5000 });
  assert.equal(await item.count(), 1);
  assert.equal(await item.getByTestId("threat-title").textContent(), "API route accepts unauthenticated requests");
  assert.match(await page.getByTestId("analysis-status").textContent(), /Analysed ✓ 3 ms/);
  const target = await item.getAttribute("data-target");
  const badge = page.getByTestId(`badge-${target}`);
  assert.equal(await badge.getAttribute("data-severity"), "high");
  assert.equal((await badge.textContent()).trim(), "H1");
  await item.locator(".threat-head").click();
  assert.equal(await page.getByTestId("inspector-name").inputValue(), "API Gateway REST API");
  await page.locator(`.react-flow__node[data-id="${target}"].selected`).waitFor();
  // Setting auth clears the threat on the next analysis.
  await page.getByTestId("prop-auth").selectOption("jwt");
  await page.getByTestId("threats-selection-empty").waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("a hostile element name renders as text, never as markup", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("palette-item-aws.lambda").click();
  await page.getByTestId("inspector-name").fill(XSS);
  const node = page.locator(".react-flow__node-function .node-name");
  await page.waitForFunction((x) => document.querySelector(".react-flow__node-function .node-name")?.textContent === x, XSS);
  assert.equal(await node.textContent(), XSS);
  assert.equal(await page.locator(".react-flow img").count(), 0);
  assert.equal(await page.evaluate(() => typeof window.__xss), "undefined");
  assert.deepEqual(errors, [], "no alert dialog, no errors");
  await page.close();
});

test("follows the system colour scheme (light and dark)", async () => {
  const backgrounds = {};
  for (const colorScheme of ["light", "dark"]) {
    const { page } = await openApp({ colorScheme });
    backgrounds[colorScheme] = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      flowDark: document.querySelector(".react-flow")?.classList.contains("dark") ?? false,
    }));
    await page.close();
  }
  assert.notEqual(backgrounds.light.body, backgrounds.dark.body);
  assert.equal(backgrounds.light.flowDark, false);
  assert.equal(backgrounds.dark.flowDark, true);
});
