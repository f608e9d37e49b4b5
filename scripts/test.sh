#!/usr/bin/env bash
# THE test command: installs dependencies, checks formatting, builds the UI, lints, then runs every test:
#   1. rustfmt check (cargo fmt --all --check)       5. app crate unit tests + app build
#   2. UI build (tsc + vite)                          6. Vitest (jsdom + mocked IPC)
#   3. clippy -D warnings on the workspace, all       7. Playwright + Chromium on ui/dist (mocked IPC)
#      targets (the app crate embeds ui/dist)         8. end-to-end on the REAL app (WebKitWebDriver, Xvfb)
#   4. core crate tests (cargo test at the root)
# Honours CARGO_TARGET_DIR (default: <repo>/target).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR=$REPO/$CARGO_TARGET_DIR ;; esac
export TW_APP_BIN=$CARGO_TARGET_DIR/debug/threatwright-app

START=$SECONDS
STAGE_START=$SECONDS
stage() {
  local now=$SECONDS
  if [[ -n ${STAGE_NAME:-} ]]; then echo "    -> ${STAGE_NAME} done in $((now - STAGE_START)) s"; fi
  STAGE_NAME=$1
  STAGE_START=$now
  printf '\n==================================================================\n'
  printf '== %s\n' "$1"
  printf '==================================================================\n'
}
trap 'rc=$?; if ((rc)); then echo; echo "!! FAILED in stage: ${STAGE_NAME:-setup} (exit $rc) after $((SECONDS - START)) s"; fi' EXIT

stage "install dependencies"
./scripts/install-deps.sh

stage "formatting (cargo fmt --all --check)"
cargo fmt --all --check

stage "UI build (tsc --noEmit && vite build)"
npm --prefix ui run build

# After the UI build: the app crate's build script embeds ui/dist.
stage "lints (cargo clippy --workspace --all-targets -- -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

stage "core crate tests (cargo test)"
cargo test

stage "app crate unit tests (cargo test -p threatwright-app)"
cargo test -p threatwright-app

stage "app build (cargo build -p threatwright-app)"
# tauri::generate_context! embeds ui/dist when lib.rs is compiled, and cargo does not track
# ui/dist. Once (a fresh clone, 2026-12-05) the binary of this stage served an index.html
# whose bundle it did not hold, so every end-to-end test saw a blank window; recompiling lib.rs
# fixed it. Recompile it here so the binary always embeds the UI built above.
touch src-tauri/src/lib.rs
cargo build -p threatwright-app
echo "binary: $TW_APP_BIN"

stage "UI unit tests (vitest)"
npm --prefix ui test

stage "UI browser test (playwright-core + chromium, mocked IPC)"
npm --prefix ui run test:browser

stage "end-to-end test of the real app (WebKitWebDriver under Xvfb)"
xvfb-run -a -s "-screen 0 1280x800x24" npm --prefix ui run test:e2e

stage "summary"
echo "ALL TESTS PASSED in $((SECONDS - START)) s (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
