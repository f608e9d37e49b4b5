#!/usr/bin/env bash
# Accepts reviewed golden files: moves every `<golden>.new` written by a failing
# test run over its golden. Run `cargo test` first; review the `.new` files
# (the failure shows a short diff; `diff -u GOLDEN GOLDEN.new` shows all).
#   scripts/accept-golden.sh            accept everything pending
#   scripts/accept-golden.sh docs       only docs/ (rules.md, properties.md)
#   scripts/accept-golden.sh analysis   only tests/golden/ (analysis snapshots)
#   scripts/accept-golden.sh corpus     only tests/corpus/ (expected diagnostics)
#   scripts/accept-golden.sh --list     list what is pending, change nothing
set -euo pipefail
cd "$(dirname "$0")/.."

list=0
dirs=()
for arg in "$@"; do
  case "$arg" in
    docs) dirs+=(docs) ;;
    analysis) dirs+=(tests/golden) ;;
    corpus) dirs+=(tests/corpus) ;;
    --list) list=1 ;;
    *) echo "usage: $0 [--list] [docs|analysis|corpus ...]" >&2; exit 2 ;;
  esac
done
if ((${#dirs[@]} == 0)); then dirs=(docs tests/golden tests/corpus); fi

count=0
while IFS= read -r -d '' new; do
  golden=${new%.new}
  count=$((count + 1))
  if ((list)); then
    if [[ -e $golden ]]; then
      echo "pending: $golden ($(diff "$golden" "$new" | grep -c '^[<>]' || true) lines differ)"
    else
      echo "pending: $golden (new file)"
    fi
  else
    mv -- "$new" "$golden"
    echo "accepted: $golden"
  fi
done < <(find "${dirs[@]}" -name '*.new' -type f -print0 | sort -z)

if ((count == 0)); then echo "no pending golden files under: ${dirs[*]}"; fi
