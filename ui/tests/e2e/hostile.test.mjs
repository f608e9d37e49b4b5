// End-to-end: hostile content in the REAL app. The model of tests/corpus/hostile (names and
// descriptions holding <script>, event-handler HTML, template syntax, formula starts, a
// right-to-left override, control characters, a 10,000-character word and a dozen scripts) is
// opened: nothing it holds runs, every name is shown as text, and nothing overflows the window,
// a canvas node, the inspector or the register. Then the page, acting as an attacker would,
// names files it was never given: the app refuses them. Run under xvfb-run (see harness.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, orDump, repo, tmp } from "./harness.mjs";

const source = path.join(repo, "tests", "corpus", "hostile", "hostile-names.yaml");
const LONG = "W".repeat(10_000);

/** Calls an app command from the page; resolves to { ok, value | reason } (not `error`: webdriverio reads a result with an `error` key as a failed command). */
async function invoke(browser, cmd, args) {
  return browser.executeAsync((c, a, done) => {
    window.__TAURI_INTERNALS__.invoke(c, a).then((v) => done({ ok: true, value: v }), (e) => done({ ok: false, reason: e?.message ?? String(e) }));
  }, cmd, args);
}

/**
 * What spills out of the panel `sel`, as text: a box or a run of text that ends past the
 * panel's right edge and that no box inside the panel clips on purpose (an ellipsis, a line
 * clamp, a scroller) — so a name cut off by the panel's own edge counts as spilled.
 */
async function overflows(browser, sel) {
  return browser.execute((s) => {
    const pane = document.querySelector(s);
    if (!pane) return [`${s}: missing`];
    const right = pane.getBoundingClientRect().right;
    /** The right edge a node is clipped at by its ancestors inside the panel. */
    const clipAt = (node) => {
      let edge = Infinity;
      for (let a = node.parentElement; a && a !== pane; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") edge = Math.min(edge, a.getBoundingClientRect().right);
      }
      return edge;
    };
    const bad = [];
    for (const e of pane.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && Math.min(r.right, clipAt(e)) > right + 1) bad.push(`${s} ${e.tagName.toLowerCase()}.${e.className}: box ends at ${Math.round(r.right)}px, the panel at ${Math.round(right)}px`);
    }
    const texts = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    for (let t = texts.nextNode(); t; t = texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(t);
      const end = Math.max(0, ...[...range.getClientRects()].map((q) => q.right));
      if (Math.min(end, clipAt(t)) > right + 1) bad.push(`${s} text "${t.textContent.slice(0, 20)}" ends at ${Math.round(end)}px, the panel at ${Math.round(right)}px`);
    }
    return bad.slice(0, 5);
  }, sel);
}

test("real app: hostile names are shown as text, run nothing and overflow nothing; unchosen paths are refused", async () => {
  const file = path.join(tmp, "hostile.yaml");
  copyFileSync(source, file);
  const browser = await launch([file]);
  try {
    await orDump(browser, async () => {
      await browser.waitUntil(async () => (await browser.$$('[data-testid="threat-item"]')).length > 10, {
        timeout: 30_000,
        timeoutMsg: "the hostile model was never analysed",
      });
      // Nodes are drawn once measured; on a loaded machine that can trail the analysis.
      await browser.waitUntil(
        async () => (await browser.execute(() => document.querySelectorAll(".react-flow__node:not(.react-flow__node-boundary)").length)) === 12,
        { timeout: 30_000, timeoutMsg: "not every element was drawn" },
      );
    });
    const page = await browser.execute(() => ({
      pwned: window.__pwned ?? null,
      inlineScripts: [...document.scripts].filter((s) => !s.src).length,
      frames: document.querySelectorAll("iframe, object, embed").length,
      injected: document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"], [onerror], [onload]').length,
      text: document.body.textContent,
      window: { sw: document.documentElement.scrollWidth, w: window.innerWidth, sh: document.documentElement.scrollHeight, h: window.innerHeight },
      boundaries: document.querySelectorAll(".react-flow__node-boundary").length,
      names: [...document.querySelectorAll('[data-testid="node-name"]')].map((n) => n.textContent),
      nodes: [...document.querySelectorAll(".react-flow__node:not(.react-flow__node-boundary)")].map((n) => ({ w: n.offsetWidth, h: n.offsetHeight, text: n.textContent.slice(0, 30) })),
    }));
    assert.equal(page.pwned, null, "a script from the model ran");
    assert.equal(page.inlineScripts, 0, "an inline <script> reached the page");
    assert.equal(page.frames, 0, "an <iframe> reached the page");
    assert.equal(page.injected, 0, "markup from the model became elements");
    for (const name of ["<script>window.__pwned=1</script> Orders API", '<img src=x onerror="window.__pwned=2"> handler', "{{constructor.constructor('window.__pwned=3')()}}", "ไทย"]) {
      assert.ok(page.text.includes(name), `${name} is shown as text`);
    }
    assert.ok(page.window.sw <= page.window.w && page.window.sh <= page.window.h, `the window scrolls: ${JSON.stringify(page.window)}`);
    assert.equal(page.boundaries, 1, "the boundary is drawn");
    assert.equal(page.nodes.length, 12, "every element is drawn");
    // A right-to-left override cannot make "invoice‮fdp.exe" read as "invoiceexe.pdf", nor an
    // escape sequence hide text: both show as visible marks (the stored name is unchanged).
    assert.ok(page.names.includes("invoice\ufffdfdp.exe"), `the override is shown: ${page.names.join(" | ").slice(0, 300)}`);
    assert.ok(page.names.some((n) => n.startsWith("bell\u2407 tab\u2409cr\u240d")), "control characters are shown as pictures");
    assert.ok(!page.names.some((n) => /[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/.test(n)), "a control or bidi character reached a node");
    for (const n of page.nodes) {
      assert.ok(n.w <= 420 && n.h <= 240, `node ${n.text}… is ${n.w}×${n.h}px`);
    }

    // The long name, selected: the inspector and the register keep it inside their boxes.
    await browser.execute((long) => {
      const n = [...document.querySelectorAll('[data-testid="node-name"]')].find((e) => e.textContent.startsWith(long.slice(0, 50)));
      n.closest(".react-flow__node").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }, LONG);
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="inspector-name"]')?.value?.length ?? 0)) === LONG.length, {
      timeoutMsg: "the long-named node was not selected",
    });
    const toggle = await browser.$('[data-testid="register-toggle"]');
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await (await browser.$('[data-testid="register-table"]')).waitForDisplayed();
    const boxes = [];
    for (const sel of ['[data-testid="inspector"]', '[data-testid="register"]']) boxes.push(...(await overflows(browser, sel)));
    assert.deepEqual(boxes, [], "a panel overflows sideways");
    await browser.saveScreenshot(path.join(tmp, "hostile.png"));
    if (process.env.TW_SCREENSHOTS) copyFileSync(path.join(tmp, "hostile.png"), path.join(process.env.TW_SCREENSHOTS, "hostile.png"));

    // The page names files the user never chose: every file command refuses, nothing is written.
    const outside = path.join(os.tmpdir(), `tw-not-chosen-${process.pid}.json`);
    const model = await invoke(browser, "new_from_template", { name: "aws-webhook-ingest" });
    assert.ok(model.ok, model.reason);
    const attempts = [
      ["export_file", { format: "json", path: outside, model: model.value }],
      ["save_model", { path: outside.replace(/json$/, "yaml"), model: model.value }],
      ["open_model", { path: "/etc/passwd" }],
      ["import_file", { path: "/etc/passwd", format: "sam" }],
      ["export_file", { format: "json", path: path.join(tmp, "..", path.basename(outside)), model: model.value }],
    ];
    for (const [cmd, args] of attempts) {
      const r = await invoke(browser, cmd, args);
      assert.equal(r.ok, false, `${cmd} ${args.path} was allowed`);
      assert.match(r.reason, /not a file you chose/, `${cmd}: ${r.reason}`);
    }
    assert.ok(!existsSync(outside) && !existsSync(outside.replace(/json$/, "yaml")), "a refused path was written");
    const inside = path.join(tmp, "chosen-export.json");
    const ok = await invoke(browser, "export_file", { format: "json", path: inside, model: model.value });
    assert.ok(ok.ok, `a file under a trusted folder is written: ${ok.reason}`);
    assert.ok(JSON.parse(readFileSync(inside, "utf8")).threats.length > 0);

    // A project's autosave writes into the project, and its recovery reads from it: only for a
    // project the user chose. A copy of a real project outside the trusted folders is refused.
    const project = path.join(tmp, "chosen.twm");
    const saved = await invoke(browser, "save_model", { path: project, model: model.value });
    assert.ok(saved.ok, saved.reason);
    const stranger = path.join(os.tmpdir(), `tw-not-chosen-${process.pid}.twm`);
    copyFileSync(project, stranger);
    const before = readFileSync(stranger);
    try {
      for (const [cmd, args] of [["autosave_model", { path: stranger, model: model.value }], ["check_recovery", { path: stranger }]]) {
        const r = await invoke(browser, cmd, args);
        assert.equal(r.ok, false, `${cmd} reached a project the user never chose`);
        assert.match(r.reason, /not a file you chose/, `${cmd}: ${r.reason}`);
      }
      assert.ok(readFileSync(stranger).equals(before), "the refused project was written");
    } finally {
      rmSync(stranger, { force: true });
    }
  } finally {
    await browser.deleteSession();
  }
});
