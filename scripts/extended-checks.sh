#!/usr/bin/env bash
# Extended checks: slow work kept out of the default test run (./scripts/test.sh).
#
#   scripts/extended-checks.sh [FUZZ_SECONDS_PER_TARGET]      (default 20)
#
# - fuzzing: every reader's fuzz target for the given time (scripts/fuzz.sh); a crash fails.
# Benchmarks print figures and assert nothing: run them with `cargo bench` (see benches/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
scripts/install-deps.sh
echo "== fuzzing, ${seconds}s a target"
scripts/fuzz.sh "$seconds"
echo "extended checks: passed"
