// The native menu bar on the REAL app. WebDriver cannot reach GTK menus, so the menus are walked
// with real X key presses (xdotool): F10 opens the bar, arrows move between menus, a mnemonic
// letter chooses an item — the same GTK activation a mouse click gives, then the shell's
// `tw://menu` event and the page's action. Also checks that the keys the menu shows beside its
// items are not taken from text fields, and act once (not once by the menu and once by the page).
// Run: xvfb-run -a -s "-screen 0 1440x900x24" node --test tests/e2e/menus.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { launch, orDump, repo, tmp } from "./harness.mjs";

const example = (name) => path.join(repo, "models", "examples", name);

/** Presses `keys` (xdotool names) in the app window, 150 ms apart. */
function press(...keys) {
  const found = spawnSync("xdotool", ["search", "--onlyvisible", "--name", "Threatwright"], { encoding: "utf8" });
  const win = found.stdout.trim().split("\n")[0];
  assert.ok(win, `no Threatwright window: ${found.stderr}`);
  spawnSync("xdotool", ["windowfocus", "--sync", win]);
  const r = spawnSync("xdotool", ["key", "--delay", "150", ...keys], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

const presenting = (browser) => browser.execute(() => !!document.querySelector(".app-shell.presenting"));
const fileName = (browser) => browser.execute(() => document.querySelector('[data-testid="file-name"]')?.textContent ?? "");
const wait = (browser, f, what) => browser.waitUntil(f, { timeout: 10_000, timeoutMsg: what });

test("real app: View → Presentation Mode from the menu bar; F5 toggles once; the shown keys leave text fields alone", async () => {
  const browser = await launch([example("orders-service.yaml")]);
  try {
    await orDump(browser, () => browser.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
    await browser.pause(500);
    press("F10", "Right", "Right", "Down", "p"); // File → Edit → View, an item selected (mnemonics live), &Presentation Mode
    await wait(browser, () => presenting(browser), "View → Presentation Mode did not present");
    if (process.env.E2E_SHOT_DIR) spawnSync("import", ["-window", "root", path.join(process.env.E2E_SHOT_DIR, "menus-presenting.png")]);

    // F5 is shown beside the item: one press leaves presentation mode (a menu accelerator that
    // also fired would toggle it twice).
    press("F5");
    await wait(browser, async () => !(await presenting(browser)), "F5 did not leave presentation mode");
    await browser.pause(500);
    assert.equal(await presenting(browser), false, "F5 acted twice");

    // In a text field Ctrl+A, typing (an F too) and Delete edit the field, not the diagram.
    const nodes = () => browser.execute(() => document.querySelectorAll(".react-flow__node").length);
    const before = await nodes();
    const name = await browser.$('[data-testid="model-name"]');
    await name.click();
    press("ctrl+a", "Z", "e", "f", "Home", "Delete");
    await wait(browser, async () => (await name.getValue()) === "ef", `the field holds ${JSON.stringify(await name.getValue())}, not "ef"`);
    assert.equal(await nodes(), before, "Delete or Ctrl+A reached the diagram");
    const selected = await browser.execute(() => document.querySelectorAll(".react-flow__node.selected").length);
    assert.equal(selected, 0, "Ctrl+A in the field selected the diagram");
  } finally {
    await browser.deleteSession();
  }
});

test("real app: File → Open Recent lists the opened files and is rebuilt after an open", async () => {
  // One start with photo-pipeline, then one with orders-service: the recent list is both, newest first.
  const first = await launch([example("photo-pipeline.yaml")]);
  try {
    await orDump(first, () => first.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
  } finally {
    await first.deleteSession();
  }
  const browser = await launch([example("orders-service.yaml")]);
  try {
    await orDump(browser, () => browser.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
    await browser.pause(500);
    // Open &Recent, its last entry: photo-pipeline.
    press("F10", "Down", "r", "End");
    if (process.env.E2E_SHOT_DIR) spawnSync("import", ["-window", "root", path.join(process.env.E2E_SHOT_DIR, "menus-recent.png")]);
    press("Return");
    await wait(browser, async () => (await fileName(browser)).includes("photo-pipeline"), "Open Recent did not open photo-pipeline.yaml");
    await browser.pause(500);
    // That open moved photo-pipeline to the front: the last entry is now orders-service.
    press("F10", "Down", "r", "End", "Return");
    await wait(browser, async () => (await fileName(browser)).includes("orders-service"), "Open Recent was not rebuilt after the open");
  } finally {
    await browser.deleteSession();
  }
  assert.ok(tmp);
});
