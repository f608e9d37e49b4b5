// The header at the narrowest supported window (1024×700) on the REAL app: the file name,
// the open-threat totals and the analysis status stay in view, and the commands with no room
// move into "More ▾", from which they still work; at 1440×900 every command has its button.
// Presentation mode (Present in the Views bar, F5) hides the panels and enlarges the type.
// Run: xvfb-run -a -s "-screen 0 1440x900x24" node --test tests/e2e/header.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, orDump, repo } from "./harness.mjs";

/** Where the header's parts are, and whether the header overflows. */
const header = (browser) =>
  browser.execute(() => {
    const h = document.querySelector("header.app-header");
    const right = (id) => document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect().right ?? Infinity;
    return {
      overflow: h.scrollWidth - h.clientWidth,
      viewport: document.documentElement.clientWidth,
      name: right("file-name"),
      totals: right("threat-totals"),
      status: right("analysis-status"),
      more: [...document.querySelectorAll('[data-testid="cmd-more"] option')].map((o) => o.textContent),
      layout: !!document.querySelector('[data-testid="cmd-layout"]'),
    };
  });

test("real app: at 1024×700 the header keeps the file name, totals and status in view; the rest is under More", async () => {
  const browser = await launch([path.join(repo, "models", "examples", "orders-service.yaml")]);
  try {
    await orDump(browser, () => browser.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
    await browser.setWindowSize(1024, 700);
    await browser.waitUntil(async () => (await header(browser)).overflow <= 0, { timeout: 10_000, timeoutMsg: "the header still overflows at 1024 px" });
    const narrow = await header(browser);
    for (const part of ["name", "totals", "status"]) assert.ok(narrow[part] <= narrow.viewport, `${part} out of view: ${JSON.stringify(narrow)}`);
    assert.ok(narrow.more.includes("Auto-layout") && !narrow.layout, `Auto-layout moved under More: ${JSON.stringify(narrow)}`);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "header-1024.png"));

    // A command under More still works.
    if (narrow.more.includes("Re-import…")) {
      await (await browser.$('[data-testid="cmd-more"]')).selectByVisibleText("Re-import…");
      await (await browser.$('[data-testid="reimport-dialog"]')).waitForDisplayed({ timeout: 10_000 });
      await browser.keys(["Escape"]);
    }

    await browser.setWindowSize(1440, 900);
    await browser.waitUntil(async () => (await header(browser)).layout, { timeout: 10_000, timeoutMsg: "Auto-layout never came back at 1440 px" });
    const wide = await header(browser);
    assert.deepEqual(wide.more, [], `every command has its button at 1440 px: ${JSON.stringify(wide)}`);
    assert.ok(wide.overflow <= 0, JSON.stringify(wide));
  } finally {
    await browser.deleteSession();
  }
});

test("real app: presentation mode gives the canvas the screen with larger type; Esc brings the panels back", async () => {
  const browser = await launch([path.join(repo, "models", "examples", "orders-service.yaml")]);
  const layout = () =>
    browser.execute(() => {
      const shown = (sel) => {
        const el = document.querySelector(sel);
        return !!el && el.getBoundingClientRect().width > 0;
      };
      return {
        palette: shown(".palette"),
        inspector: shown(".inspector"),
        register: document.querySelector('[data-testid="register"]').classList.contains("open"),
        canvas: document.querySelector(".canvas-pane").getBoundingClientRect().width,
        window: window.innerWidth,
        type: parseFloat(getComputedStyle(document.querySelector('[data-testid="cmd-save"]')).fontSize),
      };
    });
  try {
    await orDump(browser, () => browser.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
    const before = await layout();
    assert.ok(before.palette && before.inspector, JSON.stringify(before));
    await (await browser.$('[data-testid="view-present"]')).click();
    await browser.waitUntil(async () => !(await layout()).palette, { timeout: 5_000, timeoutMsg: "the palette stayed" });
    const on = await layout();
    assert.deepEqual([on.palette, on.inspector, on.register], [false, false, false], JSON.stringify(on));
    assert.ok(on.canvas >= on.window - 2, `the canvas takes the width: ${JSON.stringify(on)}`);
    assert.ok(on.type > before.type, `larger type: ${before.type} → ${on.type}`);
    assert.equal(await (await browser.$('[data-testid="view-present"]')).getAttribute("aria-pressed"), "true");
    // No screenshot here: once presentation mode has settled, WebKitWebDriver's screenshot
    // request hangs (60 s) while the page keeps painting; see the note of issue 13.
    await browser.keys(["Escape"]);
    await browser.waitUntil(async () => (await layout()).palette, { timeout: 5_000, timeoutMsg: "Esc did not leave presentation mode" });
    const off = await layout();
    assert.deepEqual([off.inspector, off.register, off.type], [true, before.register, before.type], JSON.stringify(off));
  } finally {
    await browser.deleteSession();
  }
});
