// The register as a work surface in the REAL app (WebDriver): a template whose rule fires on
// three targets, filtered by text and by severity; the group checked with its check box and
// triaged in bulk (accepted, a note typed fast with real key events) as one undoable edit; the
// keyboard grid (ArrowDown + Enter selects a threat's target; Ctrl+A in the register checks its
// rows, not the canvas's nodes).
// Run: xvfb-run -a -s "-screen 0 1440x900x24" node --test tests/e2e/register.test.mjs
//      (E2E_SHOT_DIR=/tmp/shots keeps screenshots; GTK_THEME=Adwaita:dark for the dark theme)
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, orDump } from "./harness.mjs";

const TEMPLATE = "aws-sqs-sns-fanout";
const GROUP_TITLE = "Dependencies of an exposed function are not scanned";
const NOTE = "Accepted: SCA runs in the CI pipeline, tracked in SEC-123 (review 2027-01)";

/** The element of `role` whose accessible name (aria-label, else its text) is `name` (a string or
 *  a regular expression source), as the page has it now; null when there is none. */
async function byRole(browser, role, name) {
  const tags = {
    button: 'button, [role="button"]',
    checkbox: 'input[type="checkbox"]',
    combobox: "select",
    textbox: 'input:not([type]), input[type="text"]',
    searchbox: 'input[type="search"]',
    row: "tr",
    status: '[role="status"]',
    columnheader: "th",
  };
  const found = await browser.execute(
    (sel, want, exact) => {
      const norm = (s) => (s ?? "").replace(/\s+/g, " ").trim();
      const ok = (n) => (exact ? n === want : new RegExp(want).test(n));
      return [...document.querySelectorAll(sel)].find((el) => ok(norm(el.getAttribute("aria-label") ?? el.textContent))) ?? null;
    },
    tags[role],
    name instanceof RegExp ? name.source : name,
    !(name instanceof RegExp),
  );
  return found ? browser.$(found) : null;
}

/** Waits for the control, then returns it. */
async function control(browser, role, name, timeout = 10_000) {
  let el = null;
  await browser.waitUntil(async () => (el = await byRole(browser, role, name)) !== null, { timeout, timeoutMsg: `no ${role} named ${name}` });
  return el;
}

const text = (browser, sel) => browser.execute((s) => document.querySelector(s)?.textContent ?? null, sel);
const shot = async (browser, name) => {
  if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, `${name}.png`));
};
/** Each key its own WebDriver call: one call with many keys drops some in WebKitWebDriver. */
const typeFast = async (browser, s) => {
  for (const ch of s) await browser.keys([ch]);
};
const shownLines = (browser) =>
  browser.execute(() =>
    [...document.querySelectorAll("tbody tr[data-index]")].map((r) => ({
      kind: r.dataset.testid,
      rule: r.dataset.rule ?? null,
      target: r.dataset.target ?? null,
      status: r.dataset.status ?? null,
      text: r.textContent,
    })),
  );

test("real app: the register filters, triages a group in bulk as one undoable edit, and is driven by keyboard", async () => {
  const browser = await launch([]);
  try {
    const card = await browser.$(`[data-testid="template-${TEMPLATE}"]`);
    await orDump(browser, () => card.waitForClickable({ timeout: 30_000 }), "the template gallery never showed: ");
    await card.click();
    const count = '[data-testid="register-count"]';
    await browser.waitUntil(async () => /^\d+ of [1-9]\d*$/.test((await text(browser, count)) ?? ""), { timeout: 20_000, timeoutMsg: "the register never counted its threats" });
    const total = Number((await text(browser, count)).split(" of ")[1]);
    assert.ok(total >= 10, `the template has ${total} threats`);
    const totalsBefore = await text(browser, '[data-testid="register-totals"]');
    assert.match(totalsBefore, new RegExp(`^${total} open · `));

    // Free text: the rule's three findings, one group row.
    const search = await control(browser, "searchbox", /^Search threats/);
    await search.click();
    await typeFast(browser, "dependencies");
    await browser.waitUntil(async () => (await text(browser, count)) === `3 of ${total}`, { timeout: 10_000, timeoutMsg: "the text filter did not narrow to 3" });
    let lines = await shownLines(browser);
    assert.deepEqual(lines.map((l) => [l.kind, l.rule]), [["register-group", "TW-FN-022"]]);
    assert.match(lines[0].text, /3 targets: /);

    // Severity (with the text cleared): low, then high as well.
    await (await control(browser, "button", "Clear filters ✕")).click();
    await (await control(browser, "button", /^L\s*low$/)).click();
    await browser.waitUntil(async () => (await text(browser, count)) === `2 of ${total}`, { timeout: 10_000, timeoutMsg: "the low filter did not narrow to 2" });
    await (await control(browser, "button", /^H\s*high$/)).click();
    await browser.waitUntil(async () => (await text(browser, count)) === `3 of ${total}`, { timeout: 10_000, timeoutMsg: "low + high did not show 3" });
    lines = await shownLines(browser);
    assert.deepEqual(lines.map((l) => l.rule ?? l.kind), ["register-row", "TW-GEN-009"], JSON.stringify(lines));
    assert.match(lines[0].text, /high/);
    await (await control(browser, "button", "Clear filters ✕")).click();
    await browser.waitUntil(async () => (await text(browser, count)) === `${total} of ${total}`, { timeout: 10_000 });

    // The group checked with its box; the bulk bar takes status, owner and a note typed fast.
    await (await control(browser, "searchbox", /^Search threats/)).click();
    await typeFast(browser, "dependencies");
    await browser.waitUntil(async () => (await text(browser, count)) === `3 of ${total}`, { timeout: 10_000 });
    await (await control(browser, "checkbox", `Select all 3 “${GROUP_TITLE}”`)).click();
    const apply = await control(browser, "button", "Apply to 3 threats");
    const owner = await control(browser, "textbox", "Owner of the decision");
    assert.ok((await owner.getValue()).length > 0, "the owner defaults to the OS user");
    await (await control(browser, "combobox", "Status for the selected threats")).selectByAttribute("value", "accepted");
    await (await control(browser, "textbox", "Note for the selected threats")).click();
    await typeFast(browser, NOTE);
    assert.equal(await (await control(browser, "textbox", "Note for the selected threats")).getValue(), NOTE, "every keystroke of the note is kept");
    await shot(browser, "register-bulk");
    await apply.click();
    await browser.waitUntil(async () => /^Marked 3 threats accepted/.test((await text(browser, '[data-testid="bulk-notice"]')) ?? ""), {
      timeout: 20_000,
      timeoutMsg: "no result of the bulk triage",
    });

    // Every member reads accepted, with the whole note; the totals moved by three.
    // (A WebDriver click on a <tr> is "not interactable" in WebKitWebDriver: the page's click.)
    await browser.execute(() => {
      const row = document.querySelector('[data-testid="register-group"]');
      row.focus();
      row.click();
    });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="register-row"].member')).length === 3, { timeout: 10_000, timeoutMsg: "the group did not open" });
    lines = await shownLines(browser);
    const members = lines.filter((l) => l.kind === "register-row");
    assert.deepEqual(members.map((m) => m.status), ["accepted", "accepted", "accepted"]);
    const notes = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="threats-all"] [data-status="accepted"] [data-testid="triage-note"]')].map((n) => n.value),
    );
    assert.deepEqual(notes, [NOTE, NOTE, NOTE], "each decision holds the whole note");
    const totalsAfter = await text(browser, '[data-testid="register-totals"]');
    assert.match(totalsAfter, new RegExp(`^${total - 3} open · .*3 triaged`));
    await shot(browser, "register-bulk-applied");

    // One Ctrl+Z (focus on the group row, not in a field) undoes all three.
    await browser.keys(["Control", "z"]);
    await browser.waitUntil(async () => (await text(browser, '[data-testid="register-totals"]')) === totalsBefore, {
      timeout: 10_000,
      timeoutMsg: "one Ctrl+Z did not reopen all three",
    });
    lines = await shownLines(browser);
    assert.deepEqual(lines.filter((l) => l.kind === "register-row").map((m) => m.status), ["open", "open", "open"]);

    // Keyboard: from the first row, ArrowDown + Enter selects the second row's threat target.
    await (await control(browser, "button", "Clear filters ✕")).click();
    await (await control(browser, "button", "Clear selection")).click();
    await browser.waitUntil(async () => (await text(browser, count)) === `${total} of ${total}`, { timeout: 10_000 });
    await browser.execute(() => document.querySelector('tbody tr[data-index="0"]').focus());
    await browser.keys(["ArrowDown"]);
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.dataset.index)) === "1", { timeout: 5_000, timeoutMsg: "ArrowDown did not move to row 2" });
    const second = (await shownLines(browser))[1];
    assert.equal(second.kind, "register-row", JSON.stringify(second));
    await browser.keys(["Enter"]);
    await browser.waitUntil(async () => (await browser.$$(`.react-flow__node.selected[data-id="${second.target}"]`)).length === 1, {
      timeout: 10_000,
      timeoutMsg: "Enter did not select the threat's target",
    });
    // Ctrl+A in the register checks every shown threat and leaves the canvas selection alone.
    await browser.keys(["Control", "a"]);
    await control(browser, "button", `Apply to ${total} threats`);
    assert.equal((await browser.$$(".react-flow__node.selected")).length, 1, "Ctrl+A in the register did not select the canvas");
    await shot(browser, "register-keyboard");
    if (process.env.E2E_SHOT_DIR) {
      await browser.setWindowSize(1024, 700);
      await (await control(browser, "searchbox", /^Search threats/)).click();
      await typeFast(browser, "order");
      await browser.pause(500);
      await shot(browser, "register-1024");
    }
  } finally {
    await browser.deleteSession();
  }
});
