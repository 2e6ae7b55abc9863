#!/usr/bin/env bash
# The native benchmarks of a revision and the working tree, alternated in one run (A, B, A, B…):
# on a machine whose speed drifts by tens of percent between runs, only a side-by-side run
# compares. `tests/bench/ab.sh <rev> [rounds]`; needs the data of run.sh, proctree.sh, ioc.sh and
# timeline.sh in tests/bench/data (their 1M-row files and the 10 MB text). Prints each run's line
# (the examples' own JSON), labelled A (the revision) or B (the working tree).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
rev=$1
rounds=${2:-5}
wt=$(mktemp -d)/worktree
trap 'git worktree remove --force "$wt" 2>/dev/null || true' EXIT
git worktree add -q --detach "$wt" "$rev"
(cd "$wt" && CARGO_TARGET_DIR="$wt/target" cargo build -q --release --examples)
cargo build -q --release --examples
d=tests/bench/data
for ((r = 1; r <= rounds; r++)); do
  for side in A B; do
    bin=$([ $side = A ] && echo "$wt/target/release/examples" || echo target/release/examples)
    echo "$side matrix   $("$bin/bench_matrix" $d/flows_1000000.arrows $d/flows_10000000.arrows | tr -d '\n')"
    echo "$side proctree $("$bin/bench_proctree" $d/proctree_win_1000000.arrows | tr -d '\n')"
    echo "$side ioc      $("$bin/bench_ioc" $d/ioc_mixed_10mb.txt | tr -d '\n')"
    echo "$side timeline $("$bin/bench_timeline" $d/timeline_1000000.arrows | tr -d '\n')"
  done
done
