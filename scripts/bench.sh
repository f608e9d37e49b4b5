#!/usr/bin/env bash
# Whole-process figures for BENCHMARKS.md: the release CLI on OWASP pytm's
# benchmark architecture at N = 100, 1,000, 10,000 and 50,000 functions, beside
# OWASP pytm 1.4 (from PyPI, in a virtualenv under target/) on the same
# architecture. Prints a Markdown table; asserts nothing.
#
#   scripts/bench.sh              # every size; pytm at 100 and 1,000
#   PYTM_MAX=10000 scripts/bench.sh   # pytm at 10,000 too (about a minute and a half)
#   RUNS=5 scripts/bench.sh       # best of 5 (default 3)
#
# Needs /usr/bin/time and python3-venv (scripts/install-deps.sh installs both); the per-stage
# figures come from `cargo bench --bench scale`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
pytm_max=${PYTM_MAX:-1000}
dir=target/bench-estates
mkdir -p "$dir"

scripts/install-deps.sh >/dev/null
cargo build --release -q < /dev/null
cargo bench --bench scale -q -- write "$dir" < /dev/null >/dev/null
tw=target/release/threatwright
venv=target/pytm-venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'pytm==1.4.0'
fi

# best SECONDS PEAK_KB over $runs runs of a command (its output discarded)
best() {
  local t m best_t="" best_m="" log
  log=$(mktemp)
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -o "$log" -f "%e %M" "$@" >/dev/null 2>&1; then
      echo "refused $(tail -1 "$log" | cut -d' ' -f2)"  # exit 2: over a reader limit
      rm -f "$log"
      return
    fi
    read -r t m < <(tail -1 "$log")
    if [[ -z $best_t ]] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then best_t=$t; fi
    if [[ -z $best_m ]] || (( m > best_m )); then best_m=$m; fi
  done
  rm -f "$log"
  echo "$best_t $best_m"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $($tw --version)"
echo
echo "| N | file | \`validate\` | \`analyze --format json -o\` | peak | JSON | pytm 1.4 \`--json\` | pytm peak | speed-up |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in 100 1000 10000 50000; do
  model=$dir/pytm-estate-$n.yaml
  size=$(awk -v b="$(stat -c %s "$model")" 'BEGIN { printf "%.1f", b / 1e6 }')
  read -r vt _ < <(best "$tw" validate "$model")
  out=$dir/out-$n.json
  read -r at am < <(best "$tw" analyze "$model" --format json -o "$out")
  if [[ $at == refused ]]; then
    echo "| $n | ${size} MB | refused: over the 32 MiB model-file limit (SECURITY.md) | | | | | | |"
    continue
  fi
  json="–"; [[ -f $out ]] && json="$(awk -v b="$(stat -c %s "$out")" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
  if (( n <= pytm_max )); then
    read -r pt pm < <(best "$venv/bin/python" scripts/bench/pytm_estate.py "$n" "$dir/pytm-$n.json")
    speed=$(awk -v p="$pt" -v a="$at" 'BEGIN { printf "%.0f×", p / a }')
    pytm="$pt s"; ppeak="$((pm / 1024)) MiB"
  else
    pytm="–"; ppeak="–"; speed="–"
  fi
  echo "| $n | ${size} MB | $vt s | $at s | $((am / 1024)) MiB | $json | $pytm | $ppeak | $speed |"
  rm -f "$out"
done
