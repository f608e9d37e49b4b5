// End-to-end: the canvas is the model, in the REAL app. A boundary dragged from the palette
// over two nodes makes them its members (saved in the file) and changes the analysis; a node
// is renamed by double-click; a context-menu Delete removes one; a palette drag adds one;
// Ctrl+F finds one by name and selects it. Run under xvfb-run (see harness.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { launch, orDump, tmp } from "./harness.mjs";

const ids = { api: randomUUID(), fn: randomUUID(), table: randomUUID() };
// An unauthenticated API → function flow that crosses no boundary yet (so TW-FLOW-002 is quiet).
const MODEL = `name: Canvas e2e
elements:
  - id: ${ids.api}
    name: Public API
    type: aws.apigateway
    properties: { auth: none }
    position: { x: 0, y: 96 }
  - id: ${ids.fn}
    name: Handler
    type: aws.lambda
    position: { x: 480, y: 96 }
  - id: ${ids.table}
    name: Orders table
    type: aws.dynamodb
    position: { x: 480, y: 256 }
flows:
  - { from: ${ids.api}, to: ${ids.fn}, label: "POST /orders", authenticated: false }
  - { from: ${ids.fn}, to: ${ids.table} }
`;

const node = (id) => `.react-flow__node[data-id="${id}"]`;

/** Rule ids of the threats the inspector lists for the whole model. */
async function rules(browser) {
  return browser.execute(() => [...document.querySelectorAll('[data-testid="threat-item"]')].map((e) => e.getAttribute("data-rule")));
}

/** An attribute read in one script (nodes re-render under live analysis: element handles go stale). */
async function attr(browser, sel, name) {
  return browser.execute((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, sel, name);
}

/** The centre of an element, in client pixels. */
async function centre(browser, sel) {
  return browser.execute((s) => {
    const b = document.querySelector(s).getBoundingClientRect();
    return { x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2) };
  }, sel);
}

/** Drags with real pointer input from the centre of `from` to client point (x, y). */
async function drag(browser, from, x, y) {
  const r = await browser.execute((sel) => {
    const el = document.querySelector(sel);
    el.scrollIntoView({ block: "center" });
    const b = el.getBoundingClientRect();
    return { x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2) };
  }, from);
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: r.x, y: r.y })
    .down({ button: 0 })
    .move({ x: r.x + 20, y: r.y + 5, duration: 50 })
    .move({ x: Math.round((r.x + x) / 2), y: Math.round((r.y + y) / 2), duration: 100 })
    .move({ x, y, duration: 100 })
    .up({ button: 0 })
    .perform();
}

test("real app: a boundary drawn over two nodes adopts them and changes the analysis; rename, context menu, palette drag, find", async () => {
  const file = path.join(tmp, "canvas.yaml");
  writeFileSync(file, MODEL);
  const browser = await launch([file]);
  try {
    await orDump(browser, async () => {
      await (await browser.$(node(ids.fn))).waitForDisplayed({ timeout: 20_000 });
      await browser.waitUntil(async () => (await rules(browser)).includes("TW-API-001"), { timeout: 20_000, timeoutMsg: "never analysed" });
    });
    assert.ok(!(await rules(browser)).includes("TW-FLOW-002"), "no boundary is crossed yet");

    // 1. Drag an account boundary from the palette so its top-left lands above-left of the handler:
    //    it covers the handler and the table, not the API.
    const fnBox = await browser.execute((sel) => document.querySelector(sel).getBoundingClientRect().toJSON(), node(ids.fn));
    await drag(browser, '[data-testid="palette-boundary-account"]', Math.round(fnBox.x - 10), Math.round(fnBox.y - 20));
    await (await browser.$(".react-flow__node-boundary")).waitForExist({ timeout: 10_000 });
    // Selected after the drop, the boundary lists what it now holds.
    await browser.waitUntil(
      async () =>
        JSON.stringify(await browser.execute(() => [...document.querySelectorAll('[data-testid="boundary-member"]')].map((e) => e.textContent).sort())) ===
        JSON.stringify(["Handler", "Orders table"]),
      { timeout: 5_000, timeoutMsg: "the boundary's member list does not show the two nodes drawn inside it" },
    );
    // Clicking inside the boundary's empty area reaches the canvas: nothing stays selected.
    await browser.execute(() => {
      const b = document.querySelector(".react-flow__node-boundary").getBoundingClientRect();
      window.__inside = { x: Math.round(b.x + 16), y: Math.round(b.y + b.height - 14) };
    });
    const inside = await browser.execute(() => window.__inside);
    await browser.action("pointer").move({ x: inside.x, y: inside.y }).down().up().perform();
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="inspector-title"]').textContent)) === "Model", {
      timeout: 5_000,
      timeoutMsg: "a click inside the boundary's empty area selected something",
    });
    await browser.waitUntil(async () => (await rules(browser)).includes("TW-FLOW-002"), {
      timeout: 15_000,
      timeoutMsg: "the flow into the drawn boundary was never analysed as crossing it",
    });
    await browser.keys(["Control", "s"]);
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ reverse: true, timeout: 10_000 });
    const saved = readFileSync(file, "utf8");
    for (const id of [ids.fn, ids.table]) {
      const block = saved.slice(saved.indexOf(`id: ${id}`)).split(/\n  - /)[0];
      assert.match(block, /boundary: Account\n/, `element ${id} is saved as a member of the drawn boundary`);
    }
    const apiBlock = saved.slice(saved.indexOf(`id: ${ids.api}`)).split(/\n  - /)[0];
    assert.doesNotMatch(apiBlock, /boundary:/, "the API stays outside");

    // 2. Rename in place by double-click.
    const nm = await centre(browser, `${node(ids.fn)} .node-name`);
    await browser.action("pointer").move(nm).down().up().pause(40).down().up().perform();
    const field = await browser.$('[data-testid="rename-field"]');
    await field.waitForDisplayed({ timeout: 5_000 });
    await browser.execute(() => document.querySelector('[data-testid="rename-field"]').select());
    await browser.keys([..."Order handler", "Enter"]);
    await browser.waitUntil(async () => (await attr(browser, `${node(ids.fn)} .tw-node`, "data-name")) === "Order handler", {
      timeout: 5_000,
      timeoutMsg: "the node was not renamed",
    });

    // 3. A palette drag adds a node where it is dropped.
    const before = await browser.execute(() => document.querySelectorAll(".react-flow__node:not(.react-flow__node-boundary)").length);
    const pane = await browser.execute(() => document.querySelector(".react-flow__pane").getBoundingClientRect().toJSON());
    await drag(browser, '[data-testid="palette-item-aws.sqs"]', Math.round(pane.x + 120), Math.round(pane.y + pane.height - 120));
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelectorAll(".react-flow__node:not(.react-flow__node-boundary)").length)) === before + 1,
      { timeout: 5_000, timeoutMsg: "the dragged stencil did not become a node" },
    );

    // WebKitWebDriver keeps the right button of a context click pressed, so the drag goes first.
    // 4. Context menu → Delete on the table.
    const t = await centre(browser, `${node(ids.table)} .tw-node`);
    await browser.action("pointer").move({ x: t.x, y: t.y }).down({ button: 2 }).up({ button: 2 }).perform();
    const menu = await browser.$('[data-testid="context-menu"]');
    await menu.waitForDisplayed({ timeout: 5_000 });
    const items = await browser.execute(() => [...document.querySelectorAll('[data-testid="menu-item"]')].map((b) => b.textContent));
    for (const want of ["Rename", "Show threats", "Add flow to…", "Bring into boundary…", "Duplicate", "Delete"]) {
      assert.ok(items.some((t) => t.startsWith(want)), `menu offers ${want}: ${items}`);
    }
    await browser.execute(() => [...document.querySelectorAll('[data-testid="menu-item"]')].find((b) => b.textContent.startsWith("Delete")).click());
    // Asked of the page, not through an element handle: WebKitWebDriver can fail to make a
    // handle of a node React is removing at that moment ("stale element").
    await browser.waitUntil(async () => !(await browser.execute((sel) => !!document.querySelector(sel), node(ids.table))), {
      timeout: 5_000,
      timeoutMsg: "the deleted table is still drawn",
    });

    // 5. Ctrl+F finds the API by name and selects it.
    await (await browser.$(".react-flow__pane")).click({ x: 5, y: 5 });
    await browser.keys(["Control", "f"]);
    await (await browser.$('[data-testid="find-input"]')).waitForDisplayed({ timeout: 5_000 });
    await browser.keys([..."public", "Enter"]);
    await browser.waitUntil(async () => ((await attr(browser, `${node(ids.api)} .tw-node`, "class")) ?? "").includes("selected"), {
      timeout: 5_000,
      timeoutMsg: "Ctrl+F did not select the API",
    });
    if (process.env.E2E_SHOT) await browser.saveScreenshot(process.env.E2E_SHOT.replace(/\.png$/, "-canvas.png"));
  } finally {
    await browser.deleteSession();
  }
});

test("real app: a file whose drawing contradicts its memberships is flagged on open, and adopting the drawing changes the analysis", async () => {
  const file = path.join(tmp, "contradiction.yaml");
  // The boundary is drawn around the handler and the table, but the file declares no members.
  writeFileSync(
    file,
    MODEL.replace("elements:", `boundaries:\n  - { id: ${randomUUID()}, name: Account, kind: account, position: { x: 448, y: 48 }, size: { width: 448, height: 320 } }\nelements:`),
  );
  const browser = await launch([file]);
  try {
    const banner = await browser.$('[data-testid="membership-banner"]');
    await orDump(browser, async () => {
      await banner.waitForDisplayed({ timeout: 20_000 });
    });
    const text = await banner.getText();
    assert.match(text, /2 items are drawn where they do not belong/);
    assert.match(text, /Handler/);
    await browser.waitUntil(async () => (await rules(browser)).includes("TW-API-001"), { timeout: 20_000, timeoutMsg: "never analysed" });
    assert.ok(!(await rules(browser)).includes("TW-FLOW-002"), "until the user chooses, the declared memberships are analysed");
    await (await browser.$('[data-testid="membership-adopt"]')).click();
    await banner.waitForExist({ reverse: true, timeout: 5_000 });
    await browser.waitUntil(async () => (await rules(browser)).includes("TW-FLOW-002"), {
      timeout: 15_000,
      timeoutMsg: "adopting the drawing did not put the handler inside the boundary",
    });
  } finally {
    await browser.deleteSession();
  }
});

test("real app: Auto-layout of an arrangement it already made leaves the document clean", async () => {
  const file = path.join(tmp, "relayout.yaml");
  writeFileSync(file, MODEL);
  const browser = await launch([file]);
  try {
    await (await browser.$(node(ids.fn))).waitForDisplayed({ timeout: 20_000 });
    const layout = await browser.$('[data-testid="cmd-layout"]');
    const dirty = await browser.$('[data-testid="dirty-marker"]');
    await layout.click();
    await dirty.waitForExist({ timeout: 10_000, timeoutMsg: "the first layout moved nothing" });
    await (await browser.$(".react-flow__pane")).click({ x: 5, y: 5 });
    await browser.keys(["Control", "s"]);
    await dirty.waitForExist({ reverse: true, timeout: 10_000 });
    await layout.click();
    await browser.pause(1_500); // the layout answers in milliseconds; give it ample time to (wrongly) mark the document
    assert.equal(await dirty.isExisting(), false, "laying out the same arrangement again marked the document unsaved");
    assert.equal(await (await browser.$('[data-testid="cmd-undo"]')).isEnabled(), true, "the first layout is still one undo step");
  } finally {
    await browser.deleteSession();
  }
});
