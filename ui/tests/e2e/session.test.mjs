// The guided session in the REAL app (WebDriver): three questions answered with the buttons and
// field the schema's question asks for, the threats each answer resolved shown and gone from the
// register; the log saved in the .twm, listed again when the project is reopened, and printed
// in the PDF report's appendix.
// Run: xvfb-run -a -s "-screen 0 1440x900x24" node --test tests/e2e/session.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { launch, orDump, threatwright, tmp } from "./harness.mjs";

const run = threatwright;

const click = async (browser, sel) => {
  const el = await browser.$(sel);
  await el.waitForClickable({ timeout: 20_000 });
  await el.click();
};

const openCount = async (browser) => {
  const text = await (await browser.$('[data-testid="register-totals"]')).getProperty("textContent");
  const m = text.match(/^(\d+) open/);
  return m ? Number(m[1]) : NaN;
};

/** Answers the question on screen: Yes (clicked, or the Y key), the first choice, or a value
 *  typed in its field. */
async function answerOne(browser, byKey) {
  const yes = await browser.$('[data-testid="session-yes"]');
  if ((await yes.isExisting()) && byKey) return browser.keys(["y"]);
  if (await yes.isExisting()) return click(browser, '[data-testid="session-yes"]');
  const choice = await browser.$('[data-testid="session-choice"]');
  if (await choice.isExisting()) return choice.click();
  const input = await browser.$('[data-testid="session-input"]');
  const kind = await input.getAttribute("type");
  await input.setValue(kind === "number" ? "30" : "checked-in-session");
  return click(browser, '[data-testid="session-set"]');
}

test("real app: a guided session answers three questions, shows what they resolved, and keeps its log in the .twm", async () => {
  const project = path.join(tmp, "session.twm");
  run("convert", "models/examples/photo-pipeline.yaml", "-o", project);

  let browser = await launch([project]);
  const asked = [];
  try {
    await orDump(browser, () => browser.$('[data-testid="view-session"]').then((b) => b.waitForClickable({ timeout: 30_000 })), "the project never opened: ");
    await orDump(browser, () => browser.waitUntil(async () => Number.isFinite(await openCount(browser)), { timeout: 30_000, timeoutMsg: "no analysis" }));
    const before = await openCount(browser);
    // Settings: the name the session records (and the project's next revision).
    await click(browser, '[data-testid="cmd-help"]');
    await click(browser, '[data-testid="help-settings"]');
    const name = await browser.$('[data-testid="settings-name"]');
    await name.waitForDisplayed({ timeout: 10_000 });
    await name.setValue("Ana Souza");
    await click(browser, '[data-testid="settings-save"]');
    await (await browser.$('[data-testid="settings-dialog"]')).waitForExist({ reverse: true, timeout: 10_000 });
    await click(browser, '[data-testid="view-session"]');
    const question = await browser.$('[data-testid="session-question"]');
    await question.waitForDisplayed({ timeout: 20_000 });
    assert.match(await (await browser.$('[data-testid="session-progress"]')).getText(), /^Question 1 of \d+$/);

    let resolved = 0;
    for (let i = 0; i < 3; i++) {
      const q = await (await browser.$('[data-testid="session-question"]')).getText();
      const subject = await (await browser.$('[data-testid="session-subject"]')).getText();
      assert.match(q, /\?$/, "a question in words");
      // The element asked about is selected on the canvas.
      asked.push({ q, subject });
      if (i === 1) await (await browser.$('[data-testid="session-note"]')).setValue("confirmed by Ana in the handler code");
      await answerOne(browser, i === 2);
      // The effect of this answer, then the next question.
      await browser.waitUntil(
        async () => (await (await browser.$('[data-testid="session-effect"]')).isExisting()) || (await (await browser.$('[data-testid="session-summary"]')).isExisting()),
        { timeout: 20_000, timeoutMsg: `no effect shown after answering "${q}"` },
      );
      const effect = await browser.$('[data-testid="session-effect"]');
      if (await effect.isExisting()) {
        assert.match(await effect.getText(), new RegExp(subject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
        const r = await browser.$('[data-testid="session-resolved"]');
        if (await r.isExisting()) resolved += Number((await r.getText()).match(/Resolved (\d+)/)[1]);
      }
      if (i === 0 && process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "session-question.png"));
    }
    assert.ok(resolved > 0, "three answers resolved no threat");
    await browser.waitUntil(async () => (await openCount(browser)) <= before - resolved, {
      timeout: 20_000,
      timeoutMsg: `the register did not lose the ${resolved} resolved threats (was ${before})`,
    });

    // The summary, then the log in the Model panel, then saved.
    await click(browser, '[data-testid="session-finish"]');
    const summary = await browser.$('[data-testid="session-summary"]');
    await summary.waitForDisplayed({ timeout: 10_000 });
    assert.match(await summary.getText(), /3 questions answered, 0 skipped/);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "session-summary.png"));
    await click(browser, '[data-testid="session-done"]');
    await browser.execute(() => document.querySelector('[data-testid="canvas"] .react-flow__pane')?.dispatchEvent(new MouseEvent("click", { bubbles: true })));
    await browser.keys(["Escape"]);
    await click(browser, '[data-testid="cmd-save"]');
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="dirty-marker"]')).isExisting()), {
      timeout: 20_000,
      timeoutMsg: "the project was not saved",
    });
  } finally {
    await browser.deleteSession();
  }

  // Reopened: the log is read back from the .twm.
  browser = await launch([project]);
  try {
    const log = await browser.$('[data-testid="session-log"]');
    await orDump(browser, () => log.waitForExist({ timeout: 30_000 }), "no session log after reopening: ");
    await click(browser, '[data-testid="session-log"] summary');
    const entries = await browser.$$('[data-testid="session-log-entry"]');
    assert.equal(entries.length, 3);
    for (const [i, e] of entries.entries()) {
      const text = await e.getText();
      assert.ok(text.includes(asked[i].q), `entry ${i} does not hold its question: ${text}`);
      assert.ok(text.includes(asked[i].subject), `entry ${i} does not name ${asked[i].subject}: ${text}`);
    }
    assert.match(await entries[1].getText(), /confirmed by Ana in the handler code/);
    for (const e of entries) assert.match(await e.getText(), / · Ana Souza · /, "answered by the name set in Settings");
    // The revision the session saved is by that name too.
    await click(browser, '[data-testid="revisions"] summary');
    const latest = await browser.$('[data-testid="revision"]');
    assert.match(await latest.getText(), /#2 .* UTC · Ana Souza/);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "session-log.png"));
  } finally {
    await browser.deleteSession();
  }

  // The PDF report prints the log as an appendix.
  const pdf = path.join(tmp, "session.pdf");
  run("report", project, "-o", pdf);
  const text = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).stdout;
  assert.match(text, /Guided session log/);
  assert.ok(text.includes("confirmed by Ana"), "the note is not in the PDF appendix");
});
