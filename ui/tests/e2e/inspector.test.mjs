// End-to-end test of the REAL app's inspector: the effect of an edit is shown first. Changing a
// property on the Properties tab pins the threat it made appear above the properties — inside
// the pane, without scrolling, "Why it fired" open, its rule id shown — and the rule's generated
// documentation opens in the app; the model's report details are editable and saved.
//   E2E_SHOT_DIR  optional folder for WebDriver screenshots of the inspector after the edit
// Run: xvfb-run -a -s "-screen 0 1280x800x24" npm --prefix ui run test:e2e
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { launch, orDump, tmp } from "./harness.mjs";

const RULE = "TW-API-001";
const CARD = `[data-testid="threats-changed"] [data-testid="changed-threat"][data-rule="${RULE}"]`;

/** Where `selector` sits relative to the inspector pane (px), and whether it is inside it. */
function placement(browser, selector) {
  return browser.execute((sel) => {
    const pane = document.querySelector('[data-testid="inspector"]').getBoundingClientRect();
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {
      top: Math.round(r.top - pane.top),
      bottom: Math.round(r.bottom - pane.top),
      paneHeight: Math.round(pane.height),
      inside: r.top >= pane.top && r.bottom <= pane.bottom && r.left >= pane.left && r.right <= pane.right,
    };
  }, selector);
}

/** A DOM click, for rows the small register may have scrolled out of WebDriver's reach. */
const domClick = (browser, selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);

/** Clicks the register row of a target's finding, opening its rule's group first if the
 * grouped register folds it into one. */
async function clickRegisterRow(browser, id) {
  const sel = `[data-testid="register-row"][data-target="${id}"]`;
  const present = () => browser.execute((s) => !!document.querySelector(s), sel);
  if (!(await present())) await domClick(browser, `[data-testid="register-group"][data-targets~="${id}"]`);
  await browser.waitUntil(present, { timeout: 10_000, timeoutMsg: `no register row for ${id}` });
  await domClick(browser, sel);
}

const tab = async (browser, name) => (await browser.$(`[data-testid="tab-${name}"]`)).click();

test("real app: an edit on the Properties tab shows the new threat at once, with why it fired and its rule", async (t) => {
  const modelPath = path.join(tmp, "inspector-model.yaml");
  const browser = await launch([modelPath]);
  try {
    const fnItem = await browser.$('[data-testid="palette-item-aws.lambda"]');
    await orDump(browser, async () => {
      await fnItem.waitForClickable({ timeout: 20_000 });
    }, "palette never appeared: ");
    await fnItem.click();
    await (await browser.$('[data-testid="palette-item-aws.apigateway"]')).click();
    const name = await browser.$('[data-testid="inspector-name"]');
    await browser.waitUntil(async () => (await name.getValue()) === "API Gateway REST API");

    // The Threats tab is the default: a tablist with the open-threat count on its first tab.
    const tabs = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="inspector"] [role="tablist"] [role="tab"]')].map((b) => [b.textContent.replace(/\d+/g, "").trim(), b.getAttribute("aria-selected")]),
    );
    assert.deepEqual(tabs, [["Threats", "true"], ["Properties", "false"], ["Details", "false"]]);

    // Wire the API to the function (Details tab), then make it authenticated (Properties tab).
    await tab(browser, "details");
    await (await browser.$('[data-testid="connect-to"]')).selectByVisibleText("Lambda function");
    await (await browser.$(".react-flow__edge")).waitForExist({ timeout: 10_000 });
    // Its left end: with the native menu bar the canvas is shorter and the minimap covers its middle.
    await (await browser.$(".react-flow__node-trigger")).click({ x: -80 });
    await browser.waitUntil(async () => (await name.getValue()) === "API Gateway REST API");
    // Its threats as the analysis has them now (auth unset counts as none), before any edit.
    await tab(browser, "threats");
    await (await browser.$(`[data-testid="threats-selection"] [data-rule="${RULE}"]`)).waitForExist({ timeout: 20_000 });
    await tab(browser, "properties");
    const auth = await browser.$('[data-testid="prop-auth"]');
    await auth.selectByAttribute("value", "jwt");
    try {
      await (await browser.$('[data-testid="threats-removed"]')).waitForDisplayed({ timeout: 20_000 });
    } catch (e) {
      const inspector = await browser.execute(() => document.querySelector('[data-testid="inspector"]').innerText.slice(0, 600));
      throw new Error(`${e.message}\nauth=${await auth.getValue()}\n${inspector}`);
    }

    // The edit under test: auth back to none. Scroll the properties away first, as a user
    // working down a long list would have.
    await auth.selectByAttribute("value", "none");
    await browser.execute(() => {
      const panel = document.querySelector('[data-testid="panel-properties"]');
      panel.scrollTop = panel.scrollHeight;
    });
    const card = await browser.$(CARD);
    await card.waitForExist({ timeout: 20_000, timeoutMsg: `no pinned card for ${RULE} after the edit` });
    assert.equal(await card.getAttribute("data-change"), "new");
    assert.equal(await (await card.$('[data-testid="rule-id"]')).getText(), RULE);
    assert.equal(await (await card.$('[data-testid="threat-title"]')).getText(), "API route accepts unauthenticated requests");
    const why = await browser.execute((sel) => {
      const d = document.querySelector(`${sel} details.changed-why`);
      return { open: d?.open, summary: d?.querySelector("summary")?.textContent, reasons: d?.querySelectorAll("li").length ?? 0 };
    }, CARD);
    assert.deepEqual({ open: why.open, summary: why.summary }, { open: true, summary: "Why it fired" });
    assert.ok(why.reasons > 0, "the reasons it fired are listed");
    const pinned = await placement(browser, CARD);
    t.diagnostic(`pinned card after the edit: ${JSON.stringify(pinned)}`);
    assert.ok(pinned.inside, `the new threat's card is inside the inspector without scrolling: ${JSON.stringify(pinned)}`);
    const reasons = await placement(browser, `${CARD} details.changed-why ul`);
    assert.ok(reasons.inside, `"Why it fired" is visible too: ${JSON.stringify(reasons)}`);
    if (process.env.E2E_SHOT_DIR) {
      for (const [w, h] of [[1440, 900], [1024, 700]]) {
        await browser.setWindowSize(w, h);
        await browser.pause(400);
        t.diagnostic(`at ${w}×${h}: ${JSON.stringify(await placement(browser, CARD))}`);
        await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, `inspector-after-edit-${w}x${h}.png`));
      }
    }

    // The card leads to the Threats tab, where the same threat comes first, marked and open.
    await (await card.$(".changed-title")).click();
    const first = await browser.$('[data-testid="threats-selection"] [data-testid="threat-item"]');
    await first.waitForExist();
    assert.equal(await browser.execute(() => document.querySelector('[data-testid="tab-threats"]').getAttribute("aria-selected")), "true");
    assert.equal(await first.getAttribute("data-rule"), RULE);
    const apiId = await first.getAttribute("data-target");
    assert.equal(await first.getAttribute("data-change"), "new");
    assert.equal(await browser.execute(() => document.querySelector('[data-testid="threats-selection"] [data-testid="threat-item"] details').open), true);
    const listed = await placement(browser, '[data-testid="threats-selection"] [data-testid="threat-item"]');
    t.diagnostic(`first card on the Threats tab: ${JSON.stringify(listed)}`);
    assert.ok(listed.top >= 0 && listed.top < listed.paneHeight / 2, `the new threat leads the Threats tab: ${JSON.stringify(listed)}`);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "inspector-threats-tab.png"));

    // "About this rule" shows the rule's generated documentation and how to disable it.
    await (await first.$('[data-testid="rule-about"]')).click();
    const dialog = await browser.$('[role="dialog"][data-testid="rule-doc"]');
    await dialog.waitForDisplayed();
    const doc = await dialog.getText();
    assert.match(doc, new RegExp(`${RULE}\\s+API route accepts unauthenticated requests`));
    assert.match(doc, /Mitigations/);
    assert.match(doc, new RegExp(`--disable ${RULE}`));
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "inspector-rule-doc.png"));
    await browser.keys(["Escape"]);
    await dialog.waitForExist({ reverse: true });

    // Arrow keys move between the tabs.
    await (await browser.$('[data-testid="tab-threats"]')).click();
    await browser.keys(["ArrowRight"]);
    assert.equal(await browser.execute(() => document.activeElement?.dataset.testid), "tab-properties");
    await (await browser.$('[data-testid="prop-auth"]')).waitForExist();

    // The session's worst case: a Lambda's property near the end of its ~26 fields. The card of
    // the threat it creates is pinned above them, not 2,400 px down.
    // (Selected through its register row: at 1024×700 the minimap covers the node.)
    const fnId = await (await browser.$(".react-flow__node-function")).getAttribute("data-id");
    await clickRegisterRow(browser, fnId);
    await browser.waitUntil(async () => (await name.getValue()) === "Lambda function");
    await tab(browser, "properties");
    const late = await browser.$('[data-testid="prop-unsafe_deserialization"]');
    await late.scrollIntoView();
    await late.selectByAttribute("value", "true");
    const lambdaCard = '[data-testid="threats-changed"] [data-testid="changed-threat"][data-change="new"]';
    await (await browser.$(lambdaCard)).waitForExist({ timeout: 20_000, timeoutMsg: "no pinned card after the Lambda edit" });
    const lambda = await placement(browser, lambdaCard);
    const scrolled = await browser.execute(() => document.querySelector('[data-testid="panel-properties"]').scrollTop);
    t.diagnostic(`Lambda: properties scrolled ${scrolled} px, new card ${await (await browser.$(lambdaCard)).getAttribute("data-rule")} at ${JSON.stringify(lambda)}`);
    assert.ok(scrolled > 0, "the edited field was below the fold");
    assert.ok(lambda.inside, `the Lambda's new threat is inside the inspector: ${JSON.stringify(lambda)}`);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "inspector-lambda-edit.png"));

    // Picking a threat in the register shows its card on the Threats tab, whatever tab was open.
    await clickRegisterRow(browser, apiId);
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="tab-threats"]')?.getAttribute("aria-selected"))) === "true", {
      timeoutMsg: "a register row did not bring the Threats tab forward",
    });

    // Nothing selected (Escape): the model's report details are editable, and saved with it.
    await (await browser.$('[data-testid="tab-threats"]')).click();
    await browser.keys(["Escape"]);
    await browser.waitUntil(async () => (await (await browser.$('[data-testid="inspector-title"]')).getText()).toLowerCase() === "model");
    const author = await browser.$('[data-testid="model-author"]');
    await author.waitForDisplayed();
    await author.setValue("Dana Reviewer");
    await (await browser.$('[data-testid="model-version"]')).setValue("1.4");
    await (await browser.$('[data-testid="model-scope"]')).setValue("The public API and its function");
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "inspector-model.png"));
    await browser.keys(["Control", "s"]);
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ reverse: true, timeout: 10_000 });
    const yaml = readFileSync(modelPath, "utf8");
    assert.match(yaml, /author: Dana Reviewer/);
    assert.match(yaml, /version: ['"]?1\.4/);
    assert.match(yaml, /scope: The public API and its function/);
  } finally {
    await browser.deleteSession();
  }
});
