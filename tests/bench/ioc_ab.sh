#!/usr/bin/env bash
# IoC extraction speed of two revisions compared in one Node process (alternated runs, 30
# rounds each): the comparison to trust on a machine whose speed drifts by tens of percent between
# runs. `tests/bench/ioc_ab.sh <revA> [<revB>]`; without revB, B is the working tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
# An empty RUSTFLAGS would override .cargo/config.toml (SIMD for the IoC loops).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
data=tests/bench/data/ioc_mixed_10mb.txt
[ -f "$data" ] || { mkdir -p tests/bench/data && python3 tests/bench/ioc_text.py mixed "$data"; }
out=$(mktemp -d)
wt="$out/worktree"
trap 'git worktree remove --force "$wt" 2>/dev/null || true; rm -rf "$out"' EXIT
build_rev() { # build_rev <rev> <dir>
  git worktree add -q --detach "$wt" "$1" 2>/dev/null || git -C "$wt" checkout -q --detach "$1"
  (cd "$wt" && npm/build.sh >/dev/null)
  cp -r "$wt/npm/dist" "$2"
}
build_rev "$1" "$out/A"
if [ -n "${2:-}" ]; then
  build_rev "$2" "$out/B"
else
  npm/build.sh >/dev/null
  cp -r npm/dist "$out/B"
fi
node --expose-gc tests/bench/ioc_ab.mjs "$out/A" "$out/B" "$data"
