#!/usr/bin/env bash
# THE launch command: installs dependencies, builds the UI and the app, then starts the app.
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY) it runs under Xvfb so it still starts.
# Honours CARGO_TARGET_DIR (default: <repo>/target). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR=$REPO/$CARGO_TARGET_DIR ;; esac
BIN=$CARGO_TARGET_DIR/debug/threatwright-app

./scripts/install-deps.sh
npm --prefix ui run build
cargo build -p threatwright-app

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "run-app: no DISPLAY set; starting the app under a virtual X server (xvfb-run, 1280x800)."
  echo "run-app: the window is not visible; stop it with Ctrl+C."
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$BIN" "$@"
fi
exec "$BIN" "$@"
