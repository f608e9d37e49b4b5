// End-to-end test of the REAL desktop app (real Rust backend, embedded ui/dist), driven through
// WebKitWebDriver directly (no tauri-driver). Needs an X display: run under xvfb-run.
//   TW_APP_BIN       app binary (default: $CARGO_TARGET_DIR/debug/threatwright-app, else <repo>/target/...)
//   TW_EXPECTED_VERSION  expected version (default: [package] version of the root Cargo.toml)
//   WEBKIT_WEBDRIVER WebKitWebDriver binary (default: WebKitWebDriver on PATH)
//   E2E_SHOT         optional path for a WebDriver screenshot
// Run: xvfb-run -a -s "-screen 0 1280x800x24" npm --prefix ui run test:e2e
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const targetDir = path.resolve(repo, process.env.CARGO_TARGET_DIR ?? "target");
const appBin = path.resolve(process.env.TW_APP_BIN ?? path.join(targetDir, "debug", "threatwright-app"));
const driverBin = process.env.WEBKIT_WEBDRIVER ?? "WebKitWebDriver";

function rootCrateVersion() {
  const toml = readFileSync(path.join(repo, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith("package]"));
  const m = pkg?.match(/^version\s*=\s*"([^"]+)"/m);
  assert.ok(m, "could not read [package] version from root Cargo.toml");
  return m[1];
}
const expectedVersion = process.env.TW_EXPECTED_VERSION ?? rootCrateVersion();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForDriver(port, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("WebKitWebDriver did not come up");
}

let driver;
let browser;

before(async () => {
  assert.ok(existsSync(appBin), `app binary not found at ${appBin} (cargo build -p threatwright-app)`);
  assert.ok(process.env.DISPLAY || process.env.WAYLAND_DISPLAY, "no display: run under xvfb-run -a");
  const port = await freePort();
  // The app inherits TAURI_WEBVIEW_AUTOMATION from the driver; without it session creation hangs.
  driver = spawn(driverBin, [`--port=${port}`, "--host=127.0.0.1"], {
    env: { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForDriver(port, driver);
  browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryTimeout: 60_000,
    connectionRetryCount: 0,
    capabilities: { "webkitgtk:browserOptions": { binary: appBin, args: [] } },
  });
});

after(async () => {
  try {
    await browser?.deleteSession(); // also closes the app
  } finally {
    driver?.kill();
  }
});

/** On failure, report what the window actually shows (blank page, fatal error text, ...). */
async function pageDump() {
  try {
    return await browser.execute(() => `url=${location.href} body=${document.body.innerText.slice(0, 800)}`);
  } catch (e) {
    return `page dump failed: ${e}`;
  }
}

test("real app shows the header with the version reported by Rust", async () => {
  const header = await browser.$("header.app-header");
  try {
    await header.waitForDisplayed({ timeout: 20_000 });
  } catch (e) {
    throw new Error(`header never appeared: ${e.message}\n${await pageDump()}`);
  }
  const version = await browser.$('[data-testid="app-version"]');
  await version.waitForDisplayed({ timeout: 20_000 });
  const text = await version.getText();
  if (process.env.E2E_SHOT) await browser.saveScreenshot(process.env.E2E_SHOT);
  assert.equal(text, `v${expectedVersion}`);
  assert.equal(await browser.getTitle(), "Threatwright");
  assert.ok(await (await browser.$(".react-flow")).isDisplayed(), "React Flow canvas is displayed");
  assert.equal(await (await browser.$(".empty-state h1")).getText(), "Your model is empty");
});
