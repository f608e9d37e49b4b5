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
// The heat-map grid (cell scores and banded severities), the bands and a mitigation plan from a
// real CLI analysis, so the mock's severities are the core's, never set by hand here.
const REAL = JSON.parse(await readFile(path.join(here, "fixtures", "analysis-photo-pipeline.json"), "utf8"));
// The core's import and export formats (names, dialog labels, extensions), as list_formats returns them.
const FORMATS = {
  import: [
    { name: "sam", label: "SAM / CloudFormation template", extensions: ["yaml", "yml", "json", "template"] },
    { name: "serverless", label: "Serverless Framework (serverless.yml)", extensions: ["yml", "yaml"] },
    { name: "threat-dragon", label: "OWASP Threat Dragon model (JSON)", extensions: ["json"] },
  ],
  export: [
    { name: "json", label: "Threatwright analysis (JSON)", extensions: ["json"] },
    { name: "yaml", label: "Threatwright analysis (YAML)", extensions: ["yaml"] },
    { name: "csv", label: "Risk register (CSV)", extensions: ["csv"] },
    { name: "markdown", label: "Risk register (Markdown)", extensions: ["md"] },
    { name: "sarif", label: "SARIF 2.1.0 log", extensions: ["sarif"] },
    { name: "threat-dragon", label: "OWASP Threat Dragon model (JSON)", extensions: ["json"] },
    { name: "pdf", label: "PDF risk report", extensions: ["pdf"] },
  ],
};
const XSS = "<img src=x onerror=alert(1)>";

// Fake backend: a threat "API route accepts unauthenticated requests" on every trigger whose
// auth is unset or none, so the UI's live-analysis loop can be exercised without Rust.
// A small laid-out model, as new_from_template / import_file would return it.
const el = (id, name, kind, type, x, y, properties = {}) => ({
  id, name, kind, type, boundary: null, description: "", properties, assets: [], mitigations: [], position: { x, y },
});
const TEMPLATE_MODEL = {
  name: "Webhook ingest", description: "", version: "", author: "", scope: "", assets: [], boundaries: [], grants: [], triage: [],
  elements: [
    el("00000000-0000-4000-8000-000000000001", "Webhook API", "trigger", "aws.apigateway", 0, 0),
    el("00000000-0000-4000-8000-000000000002", "Ingest fn", "function", "aws.lambda", 300, 0),
    el("00000000-0000-4000-8000-000000000003", "Partner API", "trigger", "aws.apigateway", 0, 200),
  ],
  flows: [{ id: "00000000-0000-4000-8000-000000000009", from: "00000000-0000-4000-8000-000000000001", to: "00000000-0000-4000-8000-000000000002", label: "", properties: {}, assets: [] }],
};
const TEMPLATES = [
  { name: "aws-webhook-ingest", vendor: "aws", description: "Third-party webhooks land on an API and are queued for processing." },
  { name: "azure-functions-cosmosdb", vendor: "azure", description: "HTTP-triggered Azure Functions over Cosmos DB." },
  { name: "gcp-cloud-run-storage", vendor: "gcp", description: "Cloud Run service writing to Cloud Storage." },
];

// Fake backend: a threat "API route accepts unauthenticated requests" on every trigger whose
// auth is unset or none (status from model.triage), so the UI's live-analysis loop can be
// exercised without Rust. `opts`: { recovery, pdfError, pdfDelayMs, startupPath }.
function backendScript(mocksCjs, opts = {}) {
  return `(() => { const exports = {}; ${mocksCjs};
    window.__twCalls = [];
    const schema = ${JSON.stringify(schema)};
    const opts = ${JSON.stringify(opts)};
    const templateModel = ${JSON.stringify(TEMPLATE_MODEL)};
    const real = ${JSON.stringify(REAL)};
    const cellOf = (l, i) => real.heat_map.cells.find((c) => c.likelihood === l && c.impact === i);
    exports.mockIPC(async (cmd, args) => {
      window.__twCalls.push({ cmd, args });
      switch (cmd) {
        case "app_info": return { version: ${JSON.stringify(MOCK_VERSION)} };
        case "get_schema": return schema;
        case "get_startup": return { path: opts.startupPath ?? null, model: opts.startupPath ? { ...templateModel, elements: [] } : null };
        case "list_recent_files": return [];
        case "set_document_state": return null;
        case "list_templates": return ${JSON.stringify(TEMPLATES)};
        case "list_formats": return ${JSON.stringify(FORMATS)};
        case "new_from_template": return templateModel;
        case "pick_import_path": return "/home/u/app/template.yaml";
        case "import_file": if (opts.importError) throw opts.importError; return { model: templateModel, source: args.path, warnings: [
          { file: "/home/u/app/template.yaml", line: 12, column: 7, subject: null, field: null, message: "unsupported resource type AWS::Custom::Thing (skipped)" },
          { file: "/home/u/app/template.yaml", line: 30, column: 9, subject: null, field: null, message: "cannot resolve !ImportValue SharedVpc" },
        ] };
        case "current_user": return "alice";
        case "today_date": return "2026-11-29";
        case "check_recovery": return opts.recovery ?? null;
        case "clear_recovery": return null;
        case "autosave_model": return null;
        case "pick_export_path": return "/home/u/" + args.suggested;
        case "export_file": {
          await new Promise((r) => setTimeout(r, opts.pdfDelayMs ?? 300));
          if (opts.pdfError) throw opts.pdfError;
          return null;
        }
        case "triage_threat": {
          // The core's policy (engine::triage::record): target = name; open + blank note clears.
          const { threat: id, status, note, owner, date } = args.request;
          const el = args.model.elements.find((e) => "t-" + e.id === id);
          if (!el) throw { code: "triage_failed", message: "no threat with id " + id, diagnostics: [] };
          const rest = (args.model.triage ?? []).filter((d) => d.threat !== id);
          const keep = !(status === "open" && !note.trim());
          const triage = keep ? [...rest, { threat: id, rule: "API-01", target: el.name, status, note, owner, date }] : rest;
          return { ...args.model, triage };
        }
        case "analyze_model": {
          const decided = new Map((args.model.triage ?? []).map((d) => [d.threat, d]));
          const threats = args.model.elements.filter((e) => e.kind === "trigger" && (e.properties.auth ?? "none") === "none").map((e, i) => {
            const d = decided.get("t-" + e.id);
            return {
            id: "t-" + e.id, rule: "API-01", title: "API route accepts unauthenticated requests", category: "spoofing",
            description: "d", target: { id: e.id, name: e.name, kind: "trigger", type: e.type }, confidence: "high",
            likelihood: 4, impact: 4 + (i % 2), score: cellOf(4, 4 + (i % 2)).score, severity: cellOf(4, 4 + (i % 2)).severity, status: d ? d.status : "open",
            inherent_likelihood: 4, inherent_impact: 4, inherent_score: cellOf(4, 4).score, inherent_severity: cellOf(4, 4).severity, explanation: ["base 4 × 4"],
            triage: d ? { note: d.note, owner: d.owner, date: d.date } : null, cost: null,
            rationale: ["auth is none"], mitigations: [{ text: "Add an authorizer", practice: null, standard: null }],
            references: { cwe: [], capec: [], owasp_serverless: [], csa: [], other: [] }, compliance: [], generic: false }; });
          const ids = new Set(threats.map((t) => t.id));
          const resolved = [...decided.values()].filter((d) => !ids.has(d.threat)).map((d) => ({ threat: d.threat, rule: d.rule, target: d.target, decided: d.status, note: d.note, owner: d.owner, date: d.date }));
          // The real grid, with this mock's threats counted into it (residual likelihood and impact).
          const cells = real.heat_map.cells.map((c) => {
            const here = threats.filter((t) => t.likelihood === c.likelihood && t.impact === c.impact);
            return { ...c, count: here.length, open: here.filter((t) => t.status === "open").length };
          });
          return { analysis: { format_version: real.format_version, bands: real.bands, heat_map: { cells },
            mitigation_plan: threats.length ? real.mitigation_plan : [],
            model: args.model.name, as_of: "", threats, resolved, compliance: [], denial_of_wallet: [],
            summary: { total: threats.length, by_severity: {}, by_category: {}, by_status: {}, open_by_severity: {}, denial_of_wallet_usd_month: threats.length ? 43210 : 0, elements: 0, flows: 0, rules_evaluated: 1 }, diagnostics: [] }, micros: 3000 };
        }
      }
      throw { code: "unknown_command", message: cmd };
    });
  })()`;
}

async function openApp(opts = {}, backend = {}) {
  const mocksCjs = await readFile(require.resolve("@tauri-apps/api/mocks") /* -> mocks.cjs, self-contained */, "utf8");
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...opts });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("dialog", (d) => {
    errors.push("unexpected dialog: " + d.message());
    void d.dismiss();
  });
  if (backend.autosaveMs) await page.addInitScript(`window.__twAutosaveMs = ${backend.autosaveMs}`);
  await page.addInitScript(backendScript(mocksCjs, backend));
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
  // The register panel takes the bottom; the canvas keeps most of the window.
  assert.ok(box && box.width > 600 && box.height > 520, `canvas box ${JSON.stringify(box)}`);
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

const calls = (page, cmd) => page.evaluate((c) => window.__twCalls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
const lastModel = async (page) => (await calls(page, "analyze_model")).at(-1).model;

test("empty canvas shows the template gallery; a template opens untitled with its threats", async () => {
  const { page, errors } = await openApp();
  const gallery = page.getByTestId("empty-state").getByTestId("template-gallery");
  await gallery.waitFor();
  assert.equal(await gallery.locator(".template-card").count(), 3);
  const card = page.getByTestId("template-aws-webhook-ingest");
  assert.equal(await card.locator(".template-name").textContent(), "Webhook Ingest");
  assert.equal(await card.locator(".vendor-badge").textContent(), "AWS");
  assert.match(await card.locator(".template-desc").textContent(), /webhooks land/);
  assert.ok(await page.getByTestId("import-sam").isVisible());
  assert.ok(await page.getByTestId("import-serverless").isVisible());
  await card.click();
  await page.getByTestId("empty-state").waitFor({ state: "detached" });
  assert.equal((await calls(page, "new_from_template"))[0].name, "aws-webhook-ingest");
  await page.getByTestId("register-row").first().waitFor();
  assert.equal(await page.getByTestId("register-row").count(), 2);
  assert.match(await page.title(), /^Untitled — Threatwright/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("File → New offers Blank or a template in a dialog", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("palette-item-aws.lambda").click();
  await page.getByTestId("cmd-new").click();
  const dialog = page.getByTestId("new-dialog");
  await dialog.getByTestId("template-gallery").waitFor();
  assert.ok(await dialog.getByTestId("new-blank").isVisible());
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT.replace(/\.png$/, "-new.png") });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("cmd-new").click();
  await dialog.getByTestId("template-gcp-cloud-run-storage").click();
  // Unsaved changes: the confirmation comes first.
  await page.getByTestId("confirm-discard").click();
  await page.locator(".react-flow__node-trigger").first().waitFor();
  assert.deepEqual(await calls(page, "clear_recovery"), [{ path: null }], "discarded changes are not offered for recovery later");
  await page.getByTestId("cmd-new").click();
  await dialog.getByTestId("new-blank").click();
  await page.getByTestId("empty-state").waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("importing SAM opens the model unsaved and shows the warnings until dismissed", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("import-sam").click();
  const panel = page.getByTestId("import-warnings");
  await panel.waitFor();
  assert.match(await panel.textContent(), /template\.yaml with 2 warnings/);
  assert.match(await panel.textContent(), /template\.yaml:12:7: unsupported resource type/);
  assert.equal((await calls(page, "import_file"))[0].format, "sam");
  await page.locator(".react-flow__node-function").waitFor();
  assert.match(await page.title(), /^Untitled • — Threatwright/);
  assert.equal(await page.getByTestId("file-name").textContent(), "Untitled •");
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT.replace(/\.png$/, "-import.png") });
  await page.getByTestId("import-warnings-dismiss").click();
  await panel.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("every import format has a button; Export as writes the chosen format through export_file", async () => {
  const { page, errors } = await openApp();
  for (const f of ["sam", "serverless", "threat-dragon"]) await page.getByTestId(`import-${f}`).waitFor();
  await page.getByTestId("import-threat-dragon").click();
  await page.getByTestId("import-warnings").waitFor();
  assert.deepEqual((await calls(page, "pick_import_path"))[0], { format: "threat-dragon" });
  assert.equal((await calls(page, "import_file"))[0].format, "threat-dragon");
  const options = await page.getByTestId("export-format").locator("option").allTextContents();
  assert.equal(options.length, 8, options.join(" | "));
  await page.getByTestId("export-format").selectOption("sarif");
  await page.getByTestId("notice").waitFor();
  assert.match(await page.getByTestId("notice").textContent(), /SARIF 2\.1\.0 log saved to \/home\/u\/Webhook ingest\.sarif/);
  assert.deepEqual((await calls(page, "pick_export_path"))[0], { format: "sarif", suggested: "Webhook ingest.sarif" });
  assert.equal((await calls(page, "export_file"))[0].format, "sarif");
  assert.deepEqual(errors, []);
  await page.close();
});

test("an error with located diagnostics lists each problem with its file, line and column", async () => {
  const importError = {
    code: "import_failed",
    message: "2 problems, first: /home/u/t.yaml:3:5: not a mapping",
    diagnostics: [
      { file: "/home/u/t.yaml", line: 3, column: 5, subject: null, field: null, message: "not a mapping" },
      { file: "/home/u/t.yaml", line: 9, column: 1, subject: null, field: null, message: "unknown resource type" },
    ],
  };
  const { page, errors } = await openApp({}, { importError });
  await page.getByTestId("import-sam").click();
  const items = page.getByTestId("error-diagnostics").locator("li");
  await items.first().waitFor();
  assert.deepEqual(await items.allTextContents(), ["/home/u/t.yaml:3:5: not a mapping", "/home/u/t.yaml:9:1: unknown resource type"]);
  assert.match(await page.getByTestId("error-banner").textContent(), /import_failed/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("triage: status and note update model.triage as an undoable edit; decided threats are muted and filterable", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("template-aws-webhook-ingest").click();
  const items = page.getByTestId("threats-all").getByTestId("threat-item");
  await items.first().waitFor();
  await items.first().getByTestId("triage-status").selectOption("accepted");
  await page.locator('[data-testid="threats-all"] [data-status="accepted"]').waitFor();
  const accepted = page.locator('[data-testid="threats-all"] [data-status="accepted"]');
  assert.equal(await accepted.getByTestId("threat-status").textContent(), "accepted");
  assert.ok(Number(await accepted.evaluate((e) => getComputedStyle(e).opacity)) < 0.8, "decided threats are muted");
  await accepted.getByTestId("triage-note").fill("Partner IPs only, WAF allow-list");
  await page.waitForFunction(() => window.__twCalls.filter((c) => c.cmd === "analyze_model").at(-1).args.model.triage[0]?.note === "Partner IPs only, WAF allow-list");
  const [d] = (await lastModel(page)).triage;
  assert.deepEqual({ status: d.status, owner: d.owner, date: d.date, rule: d.rule }, { status: "accepted", owner: "alice", date: "2026-11-29", rule: "API-01" });
  const recorded = await calls(page, "triage_threat");
  assert.deepEqual(recorded[0].request, { threat: d.threat, status: "accepted", note: "", owner: "alice", date: "2026-11-29" });
  assert.equal(recorded.at(-1).request.note, "Partner IPs only, WAF allow-list", "the core records every decision");
  assert.match(await accepted.getByTestId("triage-by").textContent(), /accepted by alice on 2026-11-29/);
  // Filter by status.
  await page.getByTestId("threat-filter").selectOption("open");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="threats-all"] [data-testid="threat-item"]').length === 1);
  assert.equal(await page.getByTestId("register-row").count(), 1);
  await page.getByTestId("threat-filter").selectOption("accepted");
  await page.waitForFunction(() => document.querySelector('[data-testid="threats-all"] [data-testid="threat-item"]')?.dataset.status === "accepted");
  await page.getByTestId("threat-filter").selectOption("all");
  // Undo: the note (one step), then the status.
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.querySelector('[data-testid="threats-all"] [data-status="accepted"]'));
  assert.deepEqual((await lastModel(page)).triage, []);
  // A decision whose threat no longer fires is listed as resolved by design.
  await page.keyboard.press("Control+y");
  await page.keyboard.press("Control+y");
  await accepted.waitFor();
  const target = await accepted.getAttribute("data-target");
  await accepted.locator(".threat-head").click();
  await page.getByTestId("prop-auth").selectOption("iam");
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await page.getByTestId("resolved").waitFor();
  assert.match(await page.getByTestId("resolved").textContent(), /Resolved by design \(1\)/);
  assert.match(await page.getByTestId("resolved").textContent(), /API-01 on (Webhook|Partner) API/);
  assert.ok(target);
  assert.deepEqual(errors, []);
  await page.close();
});

test("register: ranked rows select their target, the heat map filters, totals show the DoW exposure", async () => {
  const { page, errors } = await openApp();
  await page.getByTestId("template-aws-webhook-ingest").click();
  await page.getByTestId("register-row").first().waitFor();
  assert.match(await page.getByTestId("register-totals").textContent(), /^2 open · 1 critical · 1 high · DoW exposure ≈ \$43k\/month$/);
  const row = page.getByTestId("register-row").nth(1);
  const target = await row.getAttribute("data-target");
  await row.click();
  await page.locator(`.react-flow__node[data-id="${target}"].selected`).waitFor();
  assert.equal(await page.getByTestId("heat-4-4").textContent(), "1");
  assert.equal(await page.getByTestId("heat-4-5").textContent(), "1");
  await page.getByTestId("heat-4-5").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 1);
  assert.equal(await page.getByTestId("heat-4-5").getAttribute("aria-pressed"), "true");
  await page.getByTestId("heat-4-5").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 2);
  await page.getByTestId("register-toggle").click();
  await page.getByTestId("register-table").waitFor({ state: "detached" });
  assert.ok(await page.getByTestId("register-totals").isVisible(), "the totals line stays when collapsed");
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT.replace(/\.png$/, "-register.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("Export PDF report shows a busy state, then where it went; missing fonts give a clear error", async () => {
  const { page, errors } = await openApp({}, { pdfDelayMs: 600 });
  await page.getByTestId("template-aws-webhook-ingest").click();
  await page.getByTestId("cmd-export-pdf").click();
  await page.getByTestId("busy").waitFor();
  assert.equal(await page.getByTestId("cmd-export-pdf").isDisabled(), true);
  await page.getByTestId("notice").waitFor();
  assert.match(await page.getByTestId("notice").textContent(), /Report saved to \/home\/u\/Webhook ingest-report\.pdf/);
  const [args] = await calls(page, "export_file");
  assert.equal(args.format, "pdf");
  assert.equal(args.path, "/home/u/Webhook ingest-report.pdf");
  assert.equal(args.model.elements.length, 3);
  assert.deepEqual(await calls(page, "pick_export_path"), [{ format: "pdf", suggested: "Webhook ingest-report.pdf" }]);
  await page.close();
  const second = await openApp({}, { pdfDelayMs: 50, pdfError: { code: "fonts_missing", message: "The PDF report needs fonts that are not installed: DejaVuSans.ttf", diagnostics: [] } });
  await second.page.getByTestId("cmd-export-pdf").click();
  await second.page.getByTestId("error-banner").waitFor();
  assert.match(await second.page.getByTestId("error-banner").textContent(), /fonts_missing[\s\S]*DejaVuSans\.ttf/);
  assert.equal(await second.page.getByTestId("busy").count(), 0);
  assert.deepEqual([...errors, ...second.errors], []);
  await second.page.close();
});

test("start-up offers a newer autosave; restoring it leaves the document unsaved", async () => {
  const recovery = { path: "/home/u/m.yaml", saved_at: "2026-11-29T10:00:00Z", model: TEMPLATE_MODEL };
  const { page, errors } = await openApp({}, { recovery, startupPath: "/home/u/m.yaml" });
  const dialog = page.getByTestId("recovery-dialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /m\.yaml from 2026-11-29 10:00 UTC is newer than the saved file/);
  await page.getByTestId("recovery-restore").click();
  await page.locator(".react-flow__node-function").waitFor();
  assert.match(await page.title(), /^m\.yaml • — Threatwright/);
  assert.deepEqual((await calls(page, "check_recovery"))[0], { path: "/home/u/m.yaml" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("unsaved changes are autosaved on a timer", async () => {
  const { page, errors } = await openApp({}, { autosaveMs: 150 });
  await page.getByTestId("palette-item-aws.lambda").click();
  await page.waitForFunction(() => window.__twCalls.some((c) => c.cmd === "autosave_model"));
  const [args] = await calls(page, "autosave_model");
  assert.equal(args.path, null);
  assert.equal(args.model.elements.length, 1);
  await page.waitForTimeout(400);
  assert.equal((await calls(page, "autosave_model")).length, 1, "no new autosave without new changes");
  assert.deepEqual(errors, []);
  await page.close();
});
