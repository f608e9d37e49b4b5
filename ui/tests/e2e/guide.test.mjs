// The first-run experience and the user guide's screenshots, on the REAL app (WebDriver).
// A fresh profile is a first start: the welcome, the tour (all steps, reopened from Help), the
// bundled guide and the sample project. Then a second start takes every screenshot the guide
// uses into docs/guide/img/ (so a UI change updates them); src/help/guide.test.ts fails when the
// guide names an image no `shot(...)` call below produces.
// Run: xvfb-run -a -s "-screen 0 1280x800x24" node --test tests/e2e/guide.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chooseFile, launch, orDump, repo } from "./harness.mjs";

const IMG = path.join(repo, "docs", "guide", "img");

/** Saves the window as docs/guide/img/<name>.png (the name must appear in the guide). */
async function shot(browser, name) {
  mkdirSync(IMG, { recursive: true });
  await browser.pause(400); // let transitions and fitView settle
  await browser.saveScreenshot(path.join(IMG, `${name}.png`));
}

const click = async (browser, testid) => {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForClickable({ timeout: 20_000 });
  await el.click();
};

const count = (browser, sel) => browser.execute((s) => document.querySelectorAll(s).length, sel);

test("real app: first start shows the welcome, the tour and the guide, and opens the sample project", async () => {
  const browser = await launch([]);
  try {
    const welcome = await browser.$('[data-testid="welcome"]');
    await orDump(browser, () => welcome.waitForDisplayed({ timeout: 30_000 }), "no welcome on a first start: ");
    assert.equal(await (await browser.$(".welcome h1")).getText(), "Welcome to Threatwright");
    await (await browser.$('[data-testid="template-gallery"]')).waitForDisplayed({ timeout: 20_000 });
    await shot(browser, "welcome");

    // The tour walks every region, one card at a time, and ends on Done.
    await click(browser, "tour-start");
    const titles = [];
    for (let i = 0; i < 12 && (await count(browser, '[data-testid="tour"]')); i++) {
      const title = await browser.execute(() => document.getElementById("tour-title")?.textContent ?? "");
      titles.push(title);
      if (title === "Canvas") await shot(browser, "tour");
      await click(browser, "tour-next");
      await browser.waitUntil(
        async () => (await browser.execute(() => document.getElementById("tour-title")?.textContent ?? "")) !== title,
        { timeout: 5_000, timeoutMsg: `the tour stayed on ${title}` },
      );
    }
    assert.deepEqual(titles, ["Files and commands", "Palette", "Canvas", "Inspector", "Risk register", "Live analysis", "Help"]);
    assert.equal(await count(browser, '[data-testid="tour"]'), 0, "Done ends the tour");

    // Help reopens it; Esc dismisses it.
    await click(browser, "cmd-help");
    await click(browser, "help-tour");
    await (await browser.$('[data-testid="tour"]')).waitForDisplayed({ timeout: 5_000 });
    await browser.keys(["Escape"]);
    await browser.waitUntil(async () => (await count(browser, '[data-testid="tour"]')) === 0, { timeout: 5_000, timeoutMsg: "Esc left the tour open" });

    // Help → User guide: the bundled pages, links between them stay in the viewer.
    await click(browser, "cmd-help");
    await click(browser, "help-guide");
    const guide = await browser.$('[data-testid="guide"]');
    await guide.waitForDisplayed({ timeout: 5_000 });
    assert.equal(await guide.getAttribute("data-page"), "README.md");
    const pages = await count(browser, '[data-testid^="guide-page-"]');
    assert.ok(pages >= 10, `${pages} guide pages bundled`);
    await browser.execute(() => document.querySelector('.guide-body a[data-page="first-model.md"]').click());
    await browser.waitUntil(async () => (await guide.getAttribute("data-page")) === "first-model.md", { timeout: 5_000, timeoutMsg: "the contents link did not open the page" });
    assert.match(await browser.execute(() => document.querySelector(".guide-body h1")?.textContent ?? ""), /first model/i);
    await click(browser, "guide-close");

    // The sample project opens unsaved and is analysed.
    await click(browser, "open-sample");
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) > 10, { timeout: 20_000, timeoutMsg: "the sample never reached the canvas" });
    await browser.waitUntil(async () => (await count(browser, '[data-testid="register-group"], [data-testid="register-row"]')) > 0, {
      timeout: 20_000,
      timeoutMsg: "the sample's threats never reached the register",
    });
    assert.equal(await (await browser.$('[data-testid="file-name"]')).getText(), "Untitled •");
  } finally {
    await browser.deleteSession();
  }
});

test("real app: the guide's screenshots (template, properties, threat card, register, import, views)", async () => {
  const browser = await launch([]);
  try {
    // The first start is over (the sample had content): the empty canvas says so.
    const head = await browser.$(".empty-state h1");
    await orDump(browser, () => head.waitForDisplayed({ timeout: 30_000 }), "no empty canvas: ");
    assert.equal(await head.getText(), "Your model is empty");

    await click(browser, "template-aws-webhook-ingest");
    await browser.waitUntil(async () => (await count(browser, '[data-testid="register-group"]')) > 0, { timeout: 20_000, timeoutMsg: "no register groups" });
    await shot(browser, "first-model");

    const fn = await browser.execute(() => {
      const n = document.querySelector(".react-flow__node-function");
      return n?.getAttribute("data-id");
    });
    assert.ok(fn, "the template has a function");
    const fnName = await browser.execute((id) => document.querySelector(`[data-testid="rf__node-${id}"]`)?.innerText.split("\n")[0] ?? "", fn);
    await (await browser.$(`[data-testid="rf__node-${fn}"]`)).click();
    const input = await browser.$('[data-testid="inspector-name"]');
    await browser.waitUntil(async () => (await input.getValue()) !== "", { timeout: 10_000 });
    await click(browser, "tab-properties");
    await shot(browser, "properties");

    await click(browser, "tab-threats");
    await (await browser.$('[data-testid="threat-item"] details[open], [data-testid="threat-item"] .threat-detail[open]')).waitForExist({ timeout: 10_000 });
    await shot(browser, "threat-card");

    await click(browser, "view-attack");
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node.tw-emph")) >= 2, { timeout: 10_000, timeoutMsg: "no attack path" });
    await shot(browser, "attack-paths");
    await click(browser, "view-clear");

    await (await browser.$(`[data-testid="rf__node-${fn}"]`)).click();
    await click(browser, "view-blast");
    await browser.waitUntil(
      async () => /grants reach|reaches every resource|reach no modelled/.test(await browser.execute(() => document.querySelector('[data-testid="view-caption"]')?.textContent ?? "")),
      { timeout: 10_000, timeoutMsg: `no blast radius caption for ${fnName}` },
    );
    await shot(browser, "blast-radius");
    await click(browser, "view-clear");

    // Import SAM through the real native file chooser, typed into with real key events.
    const sam = path.join(repo, "tests", "corpus", "sam", "knowledge-vulnerable.yaml");
    await click(browser, "cmd-new");
    await browser.execute(() => document.querySelector('[data-testid="new-dialog"] [data-testid="import-sam"]').click());
    // An edited template asks first; an untouched one does not.
    if (await browser.$('[data-testid="confirm-discard"]').then((b) => b.waitForExist({ timeout: 2_000 }).then(() => true, () => false))) {
      await click(browser, "confirm-discard");
    }
    // The GTK file chooser, titled by the command ("Import SAM / CloudFormation template").
    await chooseFile(browser, "^Import SAM", sam);
    const banner = await browser.$('[data-testid="import-warnings"]');
    await orDump(browser, () => banner.waitForDisplayed({ timeout: 20_000 }), "the SAM import never finished (native dialog not driven?): ");
    assert.match(await banner.getText(), /Imported knowledge-vulnerable\.yaml/);
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) > 10, { timeout: 20_000 });
    await shot(browser, "import-sam");
    await browser.execute(() => document.querySelector('[data-testid="import-warnings-dismiss"]').click());

    // The register, grouped: the first rule that fired on several targets, opened to them.
    const group = '[data-testid="register-group"]';
    await browser.waitUntil(async () => (await count(browser, group)) > 0, { timeout: 20_000, timeoutMsg: "no group row in the register" });
    const targets = await browser.execute((g) => {
      const row = document.querySelector(g);
      row.click();
      return row.getAttribute("data-targets").split(" ").length;
    }, group);
    await browser.waitUntil(async () => (await count(browser, '[data-testid="register-row"].member')) >= targets, {
      timeout: 10_000,
      timeoutMsg: `the group did not open to its ${targets} targets`,
    });
    await shot(browser, "register-grouped");

    // The guided session on the imported model: its first question answered, the second shown.
    await click(browser, "view-session");
    await (await browser.$('[data-testid="session-question"]')).waitForDisplayed({ timeout: 20_000 });
    const first = await (await browser.$('[data-testid="session-question"]')).getText();
    const yes = await browser.$('[data-testid="session-yes"]');
    if (await yes.isExisting()) {
      await yes.click();
      await (await browser.$('[data-testid="session-effect"]')).waitForDisplayed({ timeout: 20_000 });
      await browser.waitUntil(async () => (await (await browser.$('[data-testid="session-question"]')).getText()) !== first, { timeout: 20_000 });
    }
    await shot(browser, "session-question");
    await click(browser, "session-close");

    // Bulk triage: the register searched for that rule, its group checked, the bar filled in.
    const rule = await browser.execute((g) => document.querySelector(g).getAttribute("data-rule"), group);
    await (await browser.$('[data-testid="register-search"]')).click();
    for (const ch of rule) await browser.keys([ch]);
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="register-search"]').value)) === rule, { timeout: 10_000 });
    await browser.execute((r) => document.querySelector(`[data-testid="register-group"][data-rule="${r}"] [data-testid="register-check"]`).click(), rule);
    const note = await browser.$('[data-testid="bulk-note"]');
    await note.waitForDisplayed({ timeout: 10_000 });
    await note.click();
    for (const ch of "Only our own services publish here (SEC-123)") await browser.keys([ch]);
    await shot(browser, "register-bulk");
  } finally {
    await browser.deleteSession();
  }
});
