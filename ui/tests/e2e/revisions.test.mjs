// A .twm project's history in the REAL app (WebDriver): the revisions listed with author and
// date, one compared with the open model (the threat re-triaged since), and restored as one
// undoable edit; a threat's card shows its triage history from the file.
// Run: xvfb-run -a -s "-screen 0 1280x800x24" node --test tests/e2e/revisions.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, orDump, threatwright, tmp } from "./harness.mjs";

const run = threatwright;

const click = async (browser, sel) => {
  const el = await browser.$(sel);
  await el.waitForClickable({ timeout: 20_000 });
  await el.click();
};

test("real app: a project's revisions are listed, compared and restored; a card shows its triage history", async () => {
  // Revision 1: the model; revision 2: its top threat accepted, with a note.
  const project = path.join(tmp, "orders.twm");
  run("convert", "models/examples/orders-service.yaml", "-o", project);
  const top = JSON.parse(run("analyze", project, "--format", "json", "--as-of", "2026-11-01")).threats[0];
  run("triage", project, top.id, "--status", "accepted", "--note", "behind the VPN (SEC-123)", "--owner", "Ana");

  const browser = await launch([project]);
  try {
    const card = `[data-testid="threats-all"] [data-threat-id="${top.id}"]`;
    await orDump(browser, () => browser.$(card).then((c) => c.waitForExist({ timeout: 30_000 })), "the project never opened: ");
    assert.equal(await (await browser.$(card)).getAttribute("data-status"), "accepted");

    // The card's triage history, read from the file.
    const history = await browser.$(`${card} [data-testid="triage-history"]`);
    await history.waitForExist({ timeout: 10_000 });
    await click(browser, `${card} [data-testid="triage-history"] summary`);
    assert.match(await history.getText(), /#2 .*: open → accepted — behind the VPN \(SEC-123\)/);

    // Two revisions, newest first, with their author.
    await click(browser, '[data-testid="revisions"] summary');
    const revs = await browser.$$('[data-testid="revision"]');
    assert.equal(revs.length, 2);
    assert.equal(await revs[0].getAttribute("data-revision"), "2");
    assert.match(await revs[1].getText(), /#1 .* UTC · ana/);
    assert.match(await revs[0].getText(), /triage /);

    // Revision 1 compared with the open model: the decision made since.
    await click(browser, '[data-revision="1"] [data-testid="revision-compare"]');
    const report = await browser.$('[data-testid="compare-report"]');
    await report.waitForDisplayed({ timeout: 20_000 });
    assert.match(await report.getText(), /triage changed \(1\):[\s\S]*open → accepted/);
    assert.match(await (await browser.$('[data-testid="compare-summary"]')).getText(), /0 threats added, 0 removed, 0 re-scored, 1 re-triaged/);
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "revisions-compare.png"));

    // Restored: the threat is open again, the document is dirty, and one undo takes it back.
    await click(browser, '[data-testid="compare-restore"]');
    await browser.waitUntil(async () => (await (await browser.$(card)).getAttribute("data-status")) === "open", {
      timeout: 10_000,
      timeoutMsg: "the restored revision still has the decision",
    });
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ timeout: 5_000 });
    if (process.env.E2E_SHOT_DIR) await browser.saveScreenshot(path.join(process.env.E2E_SHOT_DIR, "revisions-restored.png"));
    await click(browser, '[data-testid="cmd-undo"]');
    await browser.waitUntil(async () => (await (await browser.$(card)).getAttribute("data-status")) === "accepted", {
      timeout: 10_000,
      timeoutMsg: "undo did not take the restore back",
    });
  } finally {
    await browser.deleteSession();
  }
});
