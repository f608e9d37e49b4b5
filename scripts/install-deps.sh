#!/usr/bin/env bash
# Installs everything needed to build, run and test Threatwright. Idempotent and fast when warm:
# apt is skipped entirely when every package is already installed, and `npm ci` only runs when
# ui/node_modules is missing or older than ui/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Build (libwebkit2gtk-4.1-dev is the only build-critical one; the rest is Tauri's list).
  libwebkit2gtk-4.1-dev build-essential pkg-config curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # Run headless, screenshots, real-app e2e (WebKitWebDriver), browser tests, PDF checks, fonts.
  xvfb xauth imagemagick webkit2gtk-driver poppler-utils chromium fonts-dejavu-core fonts-noto-core fonts-noto-cjk
  # Real key events into native dialogs (the guide's import screenshot drives the GTK file chooser).
  xdotool
  # Window checks of the installed package (scripts/package-smoke.sh: xwininfo).
  x11-utils
  # Benchmarks (scripts/bench.sh): whole-process time and peak memory; pytm in a virtualenv.
  time python3-venv
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing apt packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: apt packages already installed"
fi

# The test command checks formatting and lints: make sure the toolchain has rustfmt and clippy.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    echo "install-deps: adding the rustfmt and clippy components"
    rustup component add rustfmt clippy
  else
    echo "install-deps: cargo fmt / cargo clippy missing and no rustup to add them" >&2
    exit 1
  fi
fi

# npm rewrites node_modules/.package-lock.json on every install, so it dates the tree.
STAMP=ui/node_modules/.package-lock.json
if [[ ! -f $STAMP || ui/package-lock.json -nt $STAMP ]]; then
  echo "install-deps: npm ci in ui/"
  npm --prefix ui ci --no-audit --no-fund
else
  echo "install-deps: ui/node_modules up to date"
fi
