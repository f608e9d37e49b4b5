#!/usr/bin/env bash
# Extended checks: slow work kept out of the default test run (./scripts/test.sh).
#
#   scripts/extended-checks.sh [FUZZ_SECONDS_PER_TARGET]      (default 20)
#
# - fuzzing: every reader's fuzz target for the given time (scripts/fuzz.sh); a crash fails.
# - packaging: builds the .deb in release mode (scripts/package.sh, ~10 min cold) and installs
#   it: the installed app opens its window and the installed CLI works (scripts/package-smoke.sh).
# Benchmarks print figures and assert nothing: run them with `cargo bench` (see benches/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
scripts/install-deps.sh
echo "== fuzzing, ${seconds}s a target"
scripts/fuzz.sh "$seconds"
echo "== packaging: build the .deb, install it, start the app and the CLI"
scripts/package.sh
scripts/package-smoke.sh
echo "extended checks: passed"
