// End-to-end test of the REAL desktop app (real Rust backend, embedded ui/dist), driven through
// WebKitWebDriver directly (no tauri-driver). Needs an X display: run under xvfb-run.
//   TW_APP_BIN       app binary (default: $CARGO_TARGET_DIR/debug/threatwright-app, else <repo>/target/...)
//   TW_EXPECTED_VERSION  expected version (default: [workspace.package] version of the root Cargo.toml)
//   WEBKIT_WEBDRIVER WebKitWebDriver binary (default: WebKitWebDriver on PATH)
//   E2E_SHOT         optional path for a WebDriver screenshot
// Run: xvfb-run -a -s "-screen 0 1280x800x24" npm --prefix ui run test:e2e
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expectedVersion, launch, orDump, repo, tmp } from "./harness.mjs";

const modelPath = path.join(tmp, "e2e-model.yaml");
const THREAT = "API route accepts unauthenticated requests";

/** New from a template by its gallery card; returns once its threats are in the register. */
async function openTemplate(browser, name) {
  const card = await browser.$(`[data-testid="template-${name}"]`);
  await card.waitForClickable({ timeout: 20_000 });
  await card.click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid="register-row"]')).length > 0, {
    timeout: 20_000,
    timeoutMsg: "the template's threats never reached the register",
  });
}

async function waitForThreat(browser) {
  await browser.waitUntil(
    async () =>
      browser.execute(
        (title) => [...document.querySelectorAll('[data-testid="threat-title"]')].some((e) => e.textContent === title),
        THREAT,
      ),
    { timeout: 20_000, timeoutMsg: `threat "${THREAT}" never appeared` },
  );
}

test("real app: draw function + API, auth none, see the threat, save, reopen, see it again", async () => {
  let browser = await launch([modelPath]);
  try {
    const header = await browser.$("header.app-header");
    await orDump(browser, async () => {
      await header.waitForDisplayed({ timeout: 20_000 });
    }, "header never appeared: ");
    const version = await browser.$('[data-testid="app-version"]');
    await version.waitForDisplayed({ timeout: 20_000 });
    assert.equal(await version.getText(), `v${expectedVersion}`);
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector('[data-testid="file-name"]')?.textContent)) === "e2e-model.yaml",
      { timeout: 20_000, timeoutMsg: "the command-line path never became the document's file" },
    );
    // This file's first launch is a first start (a fresh profile): the empty canvas welcomes.
    assert.equal(await (await browser.$(".empty-state h1")).getText(), "Welcome to Threatwright");

    // A function and an API trigger from the palette (click adds at the centre of the view).
    const fnItem = await browser.$('[data-testid="palette-item-aws.lambda"]');
    await fnItem.waitForClickable({ timeout: 20_000 });
    await fnItem.click();
    await (await browser.$(".react-flow__node-function")).waitForDisplayed();
    await (await browser.$('[data-testid="palette-item-aws.apigateway"]')).click();
    await (await browser.$(".react-flow__node-trigger")).waitForDisplayed();
    const nameInput = await browser.$('[data-testid="inspector-name"]');
    await browser.waitUntil(async () => (await nameInput.getValue()) === "API Gateway REST API");

    // Connect API → function from the inspector's Details tab, then set the API's auth to none.
    await (await browser.$('[data-testid="tab-details"]')).click();
    await (await browser.$('[data-testid="connect-to"]')).selectByVisibleText("Lambda function");
    await (await browser.$(".react-flow__edge")).waitForExist({ timeout: 10_000 });
    // Its left end: with the native menu bar the canvas is shorter and the minimap (bottom
    // right) covers the node's middle.
    await (await browser.$(".react-flow__node-trigger")).click({ x: -80 });
    await browser.waitUntil(async () => (await nameInput.getValue()) === "API Gateway REST API");
    await (await browser.$('[data-testid="tab-properties"]')).click();
    await (await browser.$('[data-testid="prop-auth"]')).selectByAttribute("value", "none");
    await (await browser.$('[data-testid="tab-threats"]')).click();
    await waitForThreat(browser);
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist();

    // Save with Ctrl+S (focus on the canvas, not a text field).
    await (await browser.$(".react-flow__pane")).click();
    await browser.keys(["Control", "s"]);
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ reverse: true, timeout: 10_000 });
    assert.ok(existsSync(modelPath), "Ctrl+S wrote the model file");
    const yaml = readFileSync(modelPath, "utf8");
    assert.match(yaml, /auth: none/);
    if (process.env.E2E_SHOT) await browser.saveScreenshot(process.env.E2E_SHOT);
  } finally {
    await browser.deleteSession(); // closes the app
  }

  browser = await launch([modelPath]);
  try {
    await (await browser.$(".react-flow__node-trigger")).waitForDisplayed({ timeout: 20_000 });
    await (await browser.$(".react-flow__edge")).waitForExist({ timeout: 10_000 });
    await waitForThreat(browser);
    assert.equal(await browser.getTitle(), "e2e-model.yaml — Threatwright");
  } finally {
    await browser.deleteSession();
  }
});

test("real app: new from a template shows its threats in the register; triage mutes one", async () => {
  const browser = await launch([]);
  try {
    await openTemplate(browser, "aws-webhook-ingest");
    // textContent: on a 1280×800 screen the bottom of the 900 px window may be off-screen.
    const totals = await browser.execute(() => document.querySelector('[data-testid="register-totals"]')?.textContent ?? "");
    assert.match(totals, /\d+ open · .*DoW exposure ≈ \$[\d.]+[kM]?\/month/);
    const first = await browser.$('[data-testid="threats-all"] [data-testid="triage-status"]');
    await first.selectByAttribute("value", "accepted");
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelectorAll('[data-testid="threats-all"] [data-status="accepted"]').length)) === 1,
      { timeout: 10_000, timeoutMsg: "the triaged threat never showed as accepted" },
    );
    assert.match(await browser.getTitle(), /^Untitled/);
    if (process.env.E2E_SHOT) await browser.saveScreenshot(process.env.E2E_SHOT.replace(/\.png$/, "-template.png"));
    // The PDF report command behind "Export PDF report…" (the native save dialog is skipped).
    const pdf = path.join(tmp, "report.pdf");
    const err = await browser.executeAsync((out, done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      invoke("new_from_template", { name: "aws-webhook-ingest" })
        .then((model) => invoke("export_file", { format: "pdf", path: out, model }))
        .then(() => done(null), (e) => done(JSON.stringify(e)));
    }, pdf);
    assert.equal(err, null);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString("latin1"), "%PDF-");
  } finally {
    await browser.deleteSession();
  }
});

test("real app: a triage note keeps every keystroke, typed fast or slowly", async () => {
  const browser = await launch([]);
  try {
    await openTemplate(browser, "aws-webhook-ingest");
    const note = await browser.$('[data-testid="threats-all"] [data-testid="triage-note"]');
    await note.waitForExist({ timeout: 10_000 });
    await browser.execute(() => document.querySelector('[data-testid="threats-all"] [data-testid="triage-note"]').focus());
    // Real key events, one WebDriver call each (a single call with many keys drops some in
    // WebKitWebDriver, even into a bare <input>): as fast as that goes, then one every 150 ms.
    // Each keystroke records a decision in the core and re-analyses while the next arrive.
    const started = Date.now();
    for (const ch of "behind the WAF, see SEC-123") await browser.keys([ch]);
    const perKey = (Date.now() - started) / 27;
    for (const ch of " (ok)") {
      await browser.keys([ch]);
      await browser.pause(150);
    }
    console.log(`app: typed a triage note at ${perKey.toFixed(0)} ms a key, then 150 ms a key`);
    const typed = "behind the WAF, see SEC-123 (ok)";
    await browser.pause(1_000);
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute("data-testid")), "triage-note", "the field kept the focus");
    // Out of the field, it shows the recorded decision's note: the core has every keystroke.
    await browser.execute(() => document.activeElement?.blur());
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector('[data-testid="threats-all"] [data-testid="triage-note"]')?.value)) === typed,
      { timeout: 10_000, timeoutMsg: "the recorded note is not what was typed" },
    );
  } finally {
    await browser.deleteSession();
  }
});

test("real app: Attack paths highlights a path the core found; flow labels cover no node", async () => {
  const browser = await launch([]);
  try {
    await openTemplate(browser, "aws-rest-api-cognito");
    const toggle = await browser.$('[data-testid="view-attack"]');
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    await browser.waitUntil(
      async () => browser.execute(() => document.querySelectorAll(".react-flow__node.tw-emph").length >= 2),
      { timeout: 10_000, timeoutMsg: "no attack path was highlighted" },
    );
    const seen = await browser.execute(() => ({
      caption: document.querySelector('[data-testid="view-caption"]')?.textContent ?? "",
      emph: document.querySelectorAll(".react-flow__node.tw-emph").length,
      steps: document.querySelectorAll('[data-testid^="path-step-"]').length,
      dim: document.querySelectorAll(".react-flow__node.tw-dim").length,
      flows: document.querySelectorAll('.flow-label[data-emph="on"]').length,
    }));
    assert.match(seen.caption, /1 of \d+: Customer → /, JSON.stringify(seen));
    assert.equal(seen.steps, seen.emph, "every node on the path shows its step");
    assert.equal(seen.flows, seen.emph - 1, "a path of n nodes takes n − 1 flows");
    assert.ok(seen.dim > 0, "the rest is dimmed");
    if (process.env.E2E_SHOT) await browser.saveScreenshot(process.env.E2E_SHOT.replace(/\.png$/, "-attack.png"));
    // The core placed the labels (place_flow_labels): none sits on a node.
    await browser.$('[data-testid="view-clear"]').then((b) => b.click());
    await browser.waitUntil(
      async () =>
        browser.execute(() => {
          const boxes = (sel) => [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
          const nodes = boxes(".react-flow__node:not(.react-flow__node-boundary)");
          const labels = boxes(".flow-label");
          const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          return labels.length > 0 && labels.every((l) => !nodes.some((n) => hit(l, n)));
        }),
      { timeout: 10_000, timeoutMsg: "a flow label still covers a node" },
    );
  } finally {
    await browser.deleteSession();
  }
});

test("real app: a Threat Dragon file imports through the core and exports as SARIF and Markdown", async () => {
  const dragon = path.join(repo, "tests", "corpus", "threat-dragon", "orders-v2.json");
  const browser = await launch([]);
  try {
    await (await browser.$('[data-testid="import-threat-dragon"]')).waitForExist({ timeout: 20_000 });
    // What the import button does after its native dialog (which WebDriver cannot drive).
    const out = await browser.executeAsync((file, dir, done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      invoke("import_file", { path: file, format: "threat-dragon" })
        .then(async (imported) => {
          const sarif = `${dir}/dragon.sarif`;
          const md = `${dir}/dragon.md`;
          await invoke("export_file", { format: "sarif", path: sarif, model: imported.model });
          await invoke("export_file", { format: "markdown", path: md, model: imported.model });
          done({ elements: imported.model.elements.length, placed: imported.model.elements.every((e) => e.position), sarif, md });
        })
        .catch((e) => done({ error: JSON.stringify(e) }));
    }, dragon, tmp);
    assert.equal(out.error, undefined, out.error);
    assert.ok(out.elements > 0 && out.placed, JSON.stringify(out));
    const sarif = JSON.parse(readFileSync(out.sarif, "utf8"));
    assert.equal(sarif.version, "2.1.0");
    assert.ok(sarif.runs[0].results.length > 0, "the imported model has findings");
    assert.match(readFileSync(out.md, "utf8"), /\|/, "a Markdown register table");
    // An unknown format is rejected by the core's enum, not guessed.
    const bad = await browser.executeAsync((file, done) => {
      window.__TAURI_INTERNALS__.invoke("import_file", { path: file, format: "cdk" }).then(() => done(null), (e) => done(String(e)));
    }, dragon);
    assert.match(bad ?? "", /cdk/);
  } finally {
    await browser.deleteSession();
  }
});

test("real app: a .twm project file saves with Ctrl+S and reopens with its triage", async () => {
  const twm = path.join(tmp, "e2e-project.twm");
  let browser = await launch([twm]);
  try {
    const fnItem = await browser.$('[data-testid="palette-item-aws.lambda"]');
    await fnItem.waitForClickable({ timeout: 20_000 });
    await (await browser.$('[data-testid="palette-item-aws.apigateway"]')).click();
    await (await browser.$('[data-testid="tab-properties"]')).click();
    await (await browser.$('[data-testid="prop-auth"]')).selectByAttribute("value", "none");
    // The API is selected: its own threat card is on the inspector's Threats tab.
    await (await browser.$('[data-testid="tab-threats"]')).click();
    await waitForThreat(browser);
    const status = await browser.$('[data-testid="triage-status"]');
    await status.waitForExist({ timeout: 10_000 });
    await status.selectByAttribute("value", "transferred");
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelectorAll('[data-status="transferred"]').length)) > 0,
      { timeout: 10_000, timeoutMsg: "triage never applied" },
    );
    await (await browser.$(".react-flow__pane")).click();
    await browser.keys(["Control", "s"]);
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ reverse: true, timeout: 10_000 });
    assert.equal(readFileSync(twm).subarray(0, 16).toString("latin1"), "SQLite format 3\0", "Ctrl+S wrote an SQLite project");
  } finally {
    await browser.deleteSession();
  }
  browser = await launch([twm]);
  try {
    await (await browser.$(".react-flow__node-trigger")).waitForDisplayed({ timeout: 20_000 });
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelectorAll('[data-status="transferred"]').length)) > 0,
      { timeout: 20_000, timeoutMsg: "the triage decision did not survive the .twm round trip" },
    );
    assert.equal(await browser.getTitle(), "e2e-project.twm — Threatwright");
  } finally {
    await browser.deleteSession();
  }
});

test("real app: an autosave of an untitled model is offered at the next start and restores unsaved", async () => {
  let browser = await launch([]);
  try {
    await (await browser.$('[data-testid="template-gallery"]')).waitForDisplayed({ timeout: 20_000 });
    // What the 30 s timer does, without waiting 30 s: autosave an untitled model, then "crash".
    const err = await browser.executeAsync((done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      invoke("new_from_template", { name: "aws-webhook-ingest" })
        .then((model) => invoke("autosave_model", { path: null, model }))
        .then(() => done(null), (e) => done(JSON.stringify(e)));
    });
    assert.equal(err, null);
  } finally {
    await browser.deleteSession();
  }
  browser = await launch([]);
  try {
    const dialog = await browser.$('[data-testid="recovery-dialog"]');
    await dialog.waitForDisplayed({ timeout: 20_000 });
    if (process.env.E2E_SHOT) {
      await browser.pause(1000);
      await browser.saveScreenshot(process.env.E2E_SHOT.replace(/\.png$/, "-recovery.png"));
    }
    await (await browser.$('[data-testid="recovery-restore"]')).click();
    await (await browser.$(".react-flow__node-function")).waitForDisplayed({ timeout: 10_000 });
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist();
    assert.match(await browser.getTitle(), /^Untitled • — Threatwright/);
  } finally {
    await browser.deleteSession();
  }
});

test("real app: the register groups one rule across its targets; a group opens to them; the toggle lists every finding", async () => {
  // Four identical nightly jobs on an end-of-life runtime: each of their rules fires four times.
  const jobs = [1, 2, 3, 4].map((i) => `  - {name: Job ${i}, type: aws.lambda, properties: {runtime: python3.8}}`).join("\n");
  const file = path.join(tmp, "e2e-grouped.yaml");
  writeFileSync(file, `name: Nightly jobs\nelements:\n${jobs}\n`);
  const browser = await launch([file]);
  try {
    const count = (sel) => browser.execute((s) => document.querySelectorAll(s).length, sel);
    const group = '[data-testid="register-group"][data-rule="TW-FN-003"]';
    await browser.waitUntil(async () => (await count(group)) === 1, { timeout: 20_000, timeoutMsg: "no grouped row for TW-FN-003" });
    const text = await browser.execute((s) => document.querySelector(s).textContent, group);
    assert.match(text, /4 targets: Job 1, Job 2, Job 3, Job 4/);
    assert.equal(await browser.execute((s) => document.querySelector(s).getAttribute("aria-expanded"), group), "false");
    const groups = await count('[data-testid="register-group"]');
    const before = await count('[data-testid="register-row"]');
    // Keyboard: Enter on the focused group row lists its four findings below it.
    await browser.execute((s) => document.querySelector(s).focus(), group);
    await browser.keys(["Enter"]);
    await browser.waitUntil(async () => (await count('[data-testid="register-row"].member')) === 4, { timeout: 10_000, timeoutMsg: "the group did not open" });
    const members = await browser.execute(() => [...document.querySelectorAll('[data-testid="register-row"].member')].map((r) => r.dataset.target));
    const targets = (await browser.execute((s) => document.querySelector(s).dataset.targets, group)).split(" ");
    assert.deepEqual(members, targets, "the open group lists its own targets in rank order");
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "register-grouped.png"));
    // The toggle: one row per finding, no group rows.
    await browser.execute(() => document.querySelector('[data-testid="register-group-toggle"]').click());
    await browser.waitUntil(async () => (await count('[data-testid="register-group"]')) === 0, { timeout: 10_000 });
    const flat = await count('[data-testid="register-row"]');
    assert.ok(flat > before, `${flat} rows listed flat, ${before} single findings beside ${groups} groups before`);
    assert.equal(await browser.execute(() => document.querySelector('[data-testid="register-group-toggle"]').getAttribute("aria-pressed")), "false");
  } finally {
    await browser.deleteSession();
  }
});
