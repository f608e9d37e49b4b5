// Shared harness of the end-to-end tests of the REAL desktop app: starts one WebKitWebDriver per
// test file (before/after hooks registered on import), launches the app binary with arguments,
// and dumps the page when a wait fails. Each `tests/e2e-*.test.mjs` file imports it.
//   TW_APP_BIN       app binary (default: $CARGO_TARGET_DIR/debug/threatwright-app, else <repo>/target/...)
//   WEBKIT_WEBDRIVER WebKitWebDriver binary (default: WebKitWebDriver on PATH)
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const targetDir = path.resolve(repo, process.env.CARGO_TARGET_DIR ?? "target");
const appBin = path.resolve(process.env.TW_APP_BIN ?? path.join(targetDir, "debug", "threatwright-app"));
const driverBin = process.env.WEBKIT_WEBDRIVER ?? "WebKitWebDriver";

function rootCrateVersion() {
  const toml = readFileSync(path.join(repo, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith("workspace.package]"));
  const m = pkg?.match(/^version\s*=\s*"([^"]+)"/m);
  assert.ok(m, "could not read [workspace.package] version from root Cargo.toml");
  return m[1];
}
export const expectedVersion = process.env.TW_EXPECTED_VERSION ?? rootCrateVersion();

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

export const tmp = mkdtempSync(path.join(os.tmpdir(), "tw-e2e-"));
const openWith = path.join(tmp, "open-with.sh");
/** The files the app opened with the desktop's viewer ("Open when done"), one per line. */
export const opened = path.join(tmp, "opened.txt");
let driver;

before(async () => {
  assert.ok(existsSync(appBin), `app binary not found at ${appBin} (cargo build -p threatwright-app)`);
  assert.ok(process.env.DISPLAY || process.env.WAYLAND_DISPLAY, "no display: run under xvfb-run -a");
  const port = await freePort();
  // The app inherits TAURI_WEBVIEW_AUTOMATION from the driver; without it session creation hangs.
  // XDG_CONFIG_HOME / XDG_DATA_HOME keep the recent-files list and the autosave recovery files
  // of this run out of the user's own. TW_TRUSTED_DIRS: native file dialogs cannot be driven, so
  // files under these folders count as chosen by the user (any other path the page names is refused).
  const trusted = [tmp, path.join(repo, "tests", "corpus"), path.join(repo, "models")].join(path.delimiter);
  // "Open when done" runs TW_OPEN_WITH instead of the desktop's viewer: it records the path.
  writeFileSync(openWith, `#!/bin/sh\necho "$1" >> "${opened}"\n`, { mode: 0o755 });
  driver = spawn(driverBin, [`--port=${port}`, "--host=127.0.0.1"], {
    env: {
      ...process.env,
      TAURI_WEBVIEW_AUTOMATION: "true",
      XDG_CONFIG_HOME: tmp,
      XDG_DATA_HOME: path.join(tmp, "data"),
      TW_TRUSTED_DIRS: trusted,
      TW_OPEN_WITH: openWith,
    },
    // Not "inherit": an app that outlives its session (seen once: the window refused to close)
    // would hold this file's stdout open, and node --test waits for it forever.
    stdio: ["ignore", "ignore", "pipe"],
  });
  driver.stderr.on("data", (d) => process.stderr.write(d));
  await waitForDriver(port, driver);
  driver.port = port;
});

after(async () => {
  // Wait for the driver (and with it the last app) to exit before removing their folders.
  if (driver && driver.exitCode === null) {
    const exited = new Promise((resolve) => driver.once("exit", resolve));
    driver.kill();
    await exited;
  }
  // An app that outlived its session would keep running (and writing into tmp): end it.
  spawnSync("pkill", ["-f", "--", appBin]);
  // The last app may still be flushing its WebKit data into XDG_DATA_HOME: retry for a while.
  rmSync(tmp, { recursive: true, force: true, maxRetries: 50, retryDelay: 200 });
});

/** Starts the real app with `args`; the caller must end the session (which closes the app). */
export async function launch(args) {
  return remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "warn",
    connectionRetryTimeout: 60_000,
    connectionRetryCount: 0,
    // Waits without their own timeout: generous, since a wait ends as soon as
    // the element is there, and a loaded CI machine renders the first frame late.
    waitforTimeout: 20_000,
    capabilities: { "webkitgtk:browserOptions": { binary: appBin, args } },
  });
}

/** Runs a test's first wait; when it fails, the error also says what the window shows instead. */
export async function orDump(browser, wait, what = "") {
  try {
    return await wait();
  } catch (e) {
    throw new Error(`${what}${e.message}\n${await pageDump(browser)}`);
  }
}

/** On failure, report what the window actually shows (blank page, fatal error text, ...). */
export async function pageDump(browser) {
  try {
    return await browser.execute(() => `url=${location.href} body=${document.body.innerText.slice(0, 1500)}`);
  } catch (e) {
    return `page dump failed: ${e}`;
  }
}


const xdo = (...args) => spawnSync("xdotool", args, { encoding: "utf8", timeout: 10_000 });

/** Types `file` into the native GTK file chooser titled `title` (a regex) and confirms it: an
 *  open dialog takes it in its location field (Ctrl+L), a save dialog (`save`) in its name. */
export async function chooseFile(browser, title, file, { save = false } = {}) {
  let win = "";
  await browser.waitUntil(
    async () => (win = xdo("search", "--onlyvisible", "--name", title).stdout.trim().split("\n")[0] ?? "") !== "",
    { timeout: 15_000, interval: 250, timeoutMsg: `the native dialog ${title} never opened` },
  );
  xdo("windowfocus", "--sync", win);
  await browser.pause(300);
  xdo("key", "--clearmodifiers", save ? "ctrl+a" : "ctrl+l");
  xdo("type", "--delay", "15", file);
  // Return confirms; the first press can go to the location completion popup.
  const open = () => xdo("search", "--onlyvisible", "--name", title).stdout.trim() !== "";
  for (let i = 0; i < 4; i++) {
    await browser.pause(500);
    if (!open()) break; // never press Return into the app's window
    xdo("key", "--clearmodifiers", "Return");
  }
}

const cliBin = path.resolve(repo, process.env.CARGO_TARGET_DIR ?? "target", "debug", "threatwright");

/** Runs the `threatwright` CLI built beside the app (as user "ana"); fails the test unless it
 *  exits 0, and returns its output. */
export function threatwright(...args) {
  const r = spawnSync(cliBin, args, { cwd: repo, encoding: "utf8", env: { ...process.env, USER: "ana" } });
  assert.equal(r.status, 0, `threatwright ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}
