#!/usr/bin/env bash
# Coverage-guided fuzzing of huntkit's input parsers and engines: cargo-fuzz (libFuzzer) on a
# nightly toolchain, both installed pinned from the registries. Each target (crate/fuzz/
# fuzz_targets/) runs for a fixed time from its committed corpus (crate/fuzz/corpus/<target>);
# a crash fails the script and leaves its input in crate/fuzz/artifacts/. Prints executions
# and crashes per target.
#
#   tests/fuzz.sh [seconds per target] [target ...]    (default 60 s, every target)
#   MERGE=1 tests/fuzz.sh 300                          (also folds new inputs into the
#                                                       committed corpora, minimised)
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUSTFLAGS
PER=${1:-60}
shift || true
CARGO_FUZZ_VERSION=0.13.2
log() { printf '[fuzz] %s\n' "$*" >&2; }
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "rustup toolchain install nightly"
  rustup toolchain install nightly --profile minimal >&2
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >&2
fi
dir=crate/fuzz
fuzz() { cargo +nightly fuzz "$1" --fuzz-dir "$dir" "${@:2}"; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(fuzz list)
log "building ${#targets[@]} targets (release, debug assertions, ASan)"
fuzz build -O --debug-assertions >&2
printf '| target | seconds | executions | exec/s | corpus | crashes |\n|---|---:|---:|---:|---:|---:|\n'
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$t"
  scratch=$(mktemp -d)
  out=$(mktemp)
  # New inputs go to the scratch directory (listed first); the committed corpus is only read.
  if fuzz run -O --debug-assertions "$t" "$scratch" "$dir/corpus/$t" -- \
    -max_total_time="$PER" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 >"$out" 2>&1; then
    crashes=0
  else
    crashes=1
    failed=1
    tail -40 "$out" >&2
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$out" | grep -o '[0-9]*$' || echo 0)
  size=$(find "$dir/corpus/$t" -type f | wc -l)
  if [ "${MERGE:-0}" = 1 ] && [ "$crashes" = 0 ]; then
    fuzz run -O --debug-assertions "$t" "$dir/corpus/$t" "$scratch" -- -merge=1 -max_len=16384 >/dev/null 2>&1
    size=$(find "$dir/corpus/$t" -type f | wc -l)
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$PER" "$execs" "$rate" "$size" "$crashes"
  rm -rf "$scratch" "$out"
done
exit "$failed"
