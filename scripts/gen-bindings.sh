#!/usr/bin/env bash
# Regenerates the TypeScript bindings in ui/src/bindings/ from the Rust IPC types (ts-rs).
# Never edit those files by hand; `cargo test -p threatwright-app` fails when they drift.
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_BINDINGS=1 cargo test -p threatwright-app bindings_are_up_to_date
