#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader (libFuzzer through cargo fuzz, on the stable
# toolchain with RUSTC_BOOTSTRAP=1).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 20 s, every target)
#
# Seeds come from the test fixtures; the growing corpus stays in fuzz/corpus/<target> (not
# committed). A crash leaves its input in fuzz/artifacts/<target>/ and makes this script fail:
# copy it to tests/corpus/fuzz/<target>/ (replayed by tests/it/fuzz_replay.rs), then fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
all=(model_yaml rule_files import_sam import_serverless import_threat_dragon import_terraform import_threagile import_tm7 import_otm import_threat_composer open_twm)
targets=("${@:-${all[@]}}")
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seeds() { # the fixture files that seed one target
  case "$1" in
    model_yaml) ls models/examples/*.yaml models/templates/*.yaml tests/corpus/families/*.yaml tests/corpus/invalid/*.yaml ;;
    rule_files) ls models/rules/*.yaml tests/corpus/user-rules/*.yaml tests/corpus/rules-invalid/*.yaml ;;
    import_sam) find tests/corpus/sam -type f ;;
    import_serverless) find tests/corpus/serverless -type f ;;
    import_threat_dragon) find tests/corpus/threat-dragon -type f ;;
    import_terraform) find tests/corpus/terraform -type f \( -name '*.tf' -o -name '*.json' \) ;;
    import_threagile) find tests/corpus/threagile -type f ;;
    import_tm7) find tests/corpus/tm7 -type f ;;
    import_otm) find tests/corpus/otm -type f ;;
    import_threat_composer) find tests/corpus/threat-composer -type f -name '*.json' ;;
    open_twm) ls tests/corpus/twm/*.twm ;;
    *) echo "unknown fuzz target $1 (expected one of ${all[*]})" >&2; exit 2 ;;
  esac
}

failed=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  seeds "$t" | while read -r f; do cp -n "$f" "$corpus/seed-$(basename "$f")"; done
  max_len=65536
  if [[ $t == open_twm ]]; then
    # The fixtures are all broken projects; a real one (about 150 KB) lets the fuzzer reach the
    # model pages, so this target takes inputs that large.
    [[ -f $corpus/seed-photo-pipeline.twm ]] ||
      cargo run -q -- convert models/examples/photo-pipeline.yaml -o "$corpus/seed-photo-pipeline.twm" </dev/null
    max_len=262144
  fi
  echo "== fuzz $t for ${seconds}s"
  # -rss_limit_mb: a reader that needs more than 2 GB on a small input is a finding too.
  if ! cargo fuzz run --fuzz-dir fuzz "$t" "$corpus" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" -print_final_stats=1; then
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]}; inputs in fuzz/artifacts/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s), ${seconds}s each, no crash"
