// Every format the core reads and writes, through the REAL app (WebDriver): each import format
// imports a public or written-for-us fixture, and each export format writes a file that reads as
// that format; the two exchange formats read back (Open Threat Model and Threat Composer). The
// list comes from the app itself (`list_formats`, i.e. the core's Format::ALL), so a new format
// without a fixture here fails this test.
// Run: xvfb-run -a -s "-screen 0 1280x800x24" node --test tests/e2e/formats.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { chooseFile, launch, opened, orDump, repo, tmp } from "./harness.mjs";

const corpus = (...p) => path.join(repo, "tests", "corpus", ...p);
const FIXTURES = {
  sam: corpus("sam", "rest-api-cognito.yaml"),
  serverless: corpus("serverless", "orders-api.yml"),
  terraform: corpus("terraform", "orders", "main.tf"),
  "threat-dragon": corpus("threat-dragon", "orders-v2.json"),
  otm: corpus("otm", "startleft", "mtmt-nested-tz.otm"),
  threagile: corpus("threagile", "example.yaml"),
  "threat-composer": corpus("threat-composer", "ThreatComposer.tc.json"),
  tm7: corpus("tm7", "orders.tm7"),
};

/** What a written file must look like, by export format. */
const LOOKS = {
  json: (t) => assert.ok(JSON.parse(t).threats.length > 0),
  yaml: (t) => assert.match(t, /^format_version: /m),
  csv: (t) => assert.match(t.split("\n")[0], /^rank,/),
  markdown: (t) => assert.match(t, /^# /m),
  sarif: (t) => assert.equal(JSON.parse(t).version, "2.1.0"),
  "threat-dragon": (t) => assert.ok(JSON.parse(t).detail.diagrams.length === 1),
  otm: (t) => assert.equal(JSON.parse(t).otmVersion, "0.2.0"),
  threagile: (t) => assert.match(t, /^threagile_version: /m),
  "threat-composer": (t) => assert.equal(JSON.parse(t).schema, 1),
  pdf: (t) => assert.ok(t.startsWith("%PDF-")),
};

const invoke = (browser, cmd, args) =>
  browser.executeAsync(
    (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ v }), (e) => done({ e: JSON.stringify(e) })),
    cmd,
    args,
  );

test("real app: every import format imports and every export format writes; OTM and Threat Composer read back", async () => {
  const browser = await launch([]);
  try {
    await (await browser.$('[data-testid="import-threat-dragon"]')).waitForExist({ timeout: 20_000 });
    const formats = (await invoke(browser, "list_formats", {})).v;
    assert.deepEqual(formats.import.map((f) => f.name).sort(), Object.keys(FIXTURES).sort(), "a fixture for every import format");
    assert.deepEqual(formats.export.map((f) => f.name).sort(), Object.keys(LOOKS).sort(), "a check for every export format");

    for (const f of formats.import) {
      const r = await invoke(browser, "import_file", { path: FIXTURES[f.name], format: f.name });
      assert.equal(r.e, undefined, `${f.name}: ${r.e}`);
      assert.ok(r.v.model.elements.length > 0 && r.v.model.elements.every((e) => e.position), `${f.name}: elements, placed`);
      console.log(`formats: ${f.name} → ${r.v.model.elements.length} elements, ${r.v.model.flows.length} flows, ${r.v.warnings.length} warnings`);
    }

    const model = (await invoke(browser, "import_file", { path: FIXTURES.sam, format: "sam" })).v.model;
    for (const f of formats.export) {
      const out = path.join(tmp, `formats-out.${f.extensions[0]}`);
      const r = await invoke(browser, "export_file", { format: f.name, path: out, model });
      assert.equal(r.e, undefined, `${f.name}: ${r.e}`);
      assert.ok(statSync(out).size > 0, `${f.name}: empty`);
      LOOKS[f.name](readFileSync(out, f.name === "pdf" ? "latin1" : "utf8"));
      if (f.name === "otm" || f.name === "threat-composer") {
        const back = await invoke(browser, "import_file", { path: out, format: f.name });
        assert.equal(back.e, undefined, `${f.name} back: ${back.e}`);
        assert.deepEqual(back.v.model.elements.map((e) => e.name), model.elements.map((e) => e.name), `${f.name}: the same elements back`);
        assert.deepEqual(back.v.model.flows.length, model.flows.length, `${f.name}: the same flows back`);
      }
    }
  } finally {
    await browser.deleteSession();
  }
});

test("real app: the export dialog writes the PDF report through the native save dialog, shows its progress and opens it when done", async () => {
  const browser = await launch([path.join(repo, "models", "examples", "photo-pipeline.yaml")]);
  try {
    const pdfButton = await browser.$('[data-testid="cmd-export-pdf"]');
    await orDump(browser, () => pdfButton.waitForClickable({ timeout: 30_000 }), "the model never opened: ");
    await browser.waitUntil(async () => (await browser.$$(".react-flow__node")).length > 5, { timeout: 20_000 });
    await pdfButton.click();
    const dialog = await browser.$('[data-testid="export-dialog"]');
    await dialog.waitForDisplayed({ timeout: 10_000 });
    // Every export format is offered, the PDF report chosen.
    const offered = await browser.execute(() => [...document.querySelectorAll('[data-testid="export-dialog"] input[type="radio"]')].map((r) => r.value));
    const { v: formats } = await invoke(browser, "list_formats", {});
    assert.deepEqual([...offered].sort(), formats.export.map((f) => f.name).sort());
    assert.equal(await (await browser.$('[data-testid="export-choice-pdf"]')).isSelected(), true);
    const open = await browser.$('[data-testid="export-open-when-done"]');
    if (!(await open.isSelected())) await open.click();
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "export-dialog.png"));

    const out = path.join(tmp, "photo-report.pdf");
    await (await browser.$('[data-testid="export-run"]')).click();
    await chooseFile(browser, "^Export PDF", out, { save: true });
    const done = await browser.$('[data-testid="export-done"]');
    await orDump(browser, () => done.waitForDisplayed({ timeout: 60_000 }), "the export never finished: ");
    assert.match(await done.getText(), /PDF report saved to .*photo-report\.pdf in \d+\.\d s, and opened\./);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "export-done.png"));
    assert.equal(readFileSync(out).subarray(0, 5).toString("latin1"), "%PDF-");
    // "Open when done" handed the file to the desktop's viewer (TW_OPEN_WITH records it).
    await browser.waitUntil(async () => existsSync(opened) && readFileSync(opened, "utf8").includes(out), {
      timeout: 10_000,
      timeoutMsg: "the report was not opened",
    });
    await (await browser.$('[data-testid="export-close"]')).click();
    await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  } finally {
    await browser.deleteSession();
  }
});
