// Infrastructure formats on the REAL app (WebDriver): a Terraform directory imported through the
// real GTK file chooser (a `.tf` file stands for its directory), and "Re-import infrastructure…":
// a changed SAM template laid onto an open model, the drift report reviewed, applied as one
// undoable edit, and undone; then a Threat Composer file laid onto the same model (a status the
// team changed becomes a triage decision, its own threat is kept on the queue it names).
// Run: xvfb-run -a -s "-screen 0 1280x800x24" node --test tests/e2e/reimport.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { chooseFile, launch, orDump, repo, tmp } from "./harness.mjs";

const click = async (browser, testid) => {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForClickable({ timeout: 20_000 });
  await el.click();
};

const count = (browser, sel) => browser.execute((s) => document.querySelectorAll(s).length, sel);

test("real app: re-import infrastructure shows the drift, applies it undoably; Terraform imports", async () => {
  const model = path.join(tmp, "fanout.yaml");
  copyFileSync(path.join(repo, "tests", "corpus", "drift", "fanout.yaml"), model);
  const browser = await launch([model]);
  try {
    await orDump(browser, () => browser.$(".react-flow__node").then((n) => n.waitForExist({ timeout: 30_000 })), "the model never opened: ");
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) >= 8, { timeout: 20_000 });
    const before = await count(browser, ".react-flow__node");

    await click(browser, "cmd-reimport");
    await (await browser.$('[data-testid="reimport-dialog"]')).waitForDisplayed({ timeout: 10_000 });
    await click(browser, "reimport-sam");
    await chooseFile(browser, "^Import SAM", path.join(repo, "tests", "corpus", "drift", "fanout-v2.json"));
    const report = await browser.$('[data-testid="reimport-report"]');
    await orDump(browser, () => report.waitForDisplayed({ timeout: 20_000 }), "no drift report: ");
    const text = await report.getText();
    assert.match(text, /elements added \(1\):\s+\+ AuditFunction/, text);
    assert.match(text, /triage decisions kept/, text);
    assert.match(await (await browser.$('[data-testid="reimport-summary"]')).getText(), /the infrastructure changed/);
    await browser.saveScreenshot(path.join(tmp, "reimport.png"));
    copyFileSync(path.join(tmp, "reimport.png"), "/tmp/tw-reimport.png");
    // Nothing is applied before the user says so.
    assert.equal(await count(browser, ".react-flow__node"), before);

    await click(browser, "reimport-apply");
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) === before + 1, {
      timeout: 10_000,
      timeoutMsg: "the new function never appeared",
    });
    assert.ok(await browser.execute(() => [...document.querySelectorAll(".react-flow__node")].some((n) => n.textContent.includes("AuditFunction"))));
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ timeout: 5_000 });
    // One undo takes the whole re-import back.
    await click(browser, "cmd-undo");
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) === before, { timeout: 10_000, timeoutMsg: "undo kept the re-import" });

    // A Threat Composer file the team worked on, laid onto the model.
    await click(browser, "cmd-reimport");
    await click(browser, "reimport-threat-composer");
    await chooseFile(browser, "^Import AWS Threat Composer", path.join(repo, "tests", "corpus", "threat-composer", "fanout-team.tc.json"));
    await orDump(browser, () => report.waitForDisplayed({ timeout: 20_000 }), "no Threat Composer report: ");
    const tcText = await report.getText();
    assert.match(tcText, /triage changed \(1\)/, tcText);
    assert.match(tcText, /threats kept from Threat Composer: 1 \(before: 0\)/, tcText);
    assert.match(await (await browser.$('[data-testid="reimport-summary"]')).getText(), /decisions or threats to lay on/);
    await click(browser, "reimport-apply");
    await (await browser.$('[data-testid="reimport-dialog"]')).waitForExist({ timeout: 10_000, reverse: true });
    // Saved, the model holds the decision and the kept threat.
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ timeout: 5_000 });
    await click(browser, "cmd-save");
    await (await browser.$('[data-testid="dirty-marker"]')).waitForExist({ timeout: 10_000, reverse: true });
    const saved = readFileSync(model, "utf8");
    assert.match(saved, /status: not_applicable\n\s+note: The topic policy is managed by the platform team \(PLAT-118\)/, saved);
    assert.match(saved, /title: A partner with a leaked queue URL can send forged billing messages/, saved);

    // Terraform through the import dialog: picking main.tf imports its whole directory.
    await click(browser, "cmd-new");
    await browser.execute(() => document.querySelector('[data-testid="new-dialog"] [data-testid="import-terraform"]').click());
    if (await browser.$('[data-testid="confirm-discard"]').then((b) => b.waitForExist({ timeout: 2_000 }).then(() => true, () => false))) {
      await click(browser, "confirm-discard");
    }
    await chooseFile(browser, "^Import Terraform", path.join(repo, "tests", "corpus", "terraform", "orders", "main.tf"));
    const banner = await browser.$('[data-testid="import-warnings"]');
    await orDump(browser, () => banner.waitForDisplayed({ timeout: 20_000 }), "the Terraform import never finished: ");
    assert.match(await banner.getText(), /aws_glue_job/);
    await browser.waitUntil(async () => (await count(browser, ".react-flow__node")) >= 12, { timeout: 20_000 });
    const names = await browser.execute(() => [...document.querySelectorAll(".react-flow__node")].map((n) => n.textContent));
    for (const n of ["create_order", "worker[0]", "worker[1]", "inbox"]) {
      assert.ok(names.some((t) => t.includes(n)), `${n} not on the canvas: ${names.join(" | ")}`);
    }
    await browser.saveScreenshot("/tmp/tw-terraform.png");
  } finally {
    await browser.deleteSession();
  }
});
