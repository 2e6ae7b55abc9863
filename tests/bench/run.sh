#!/usr/bin/env bash
# Matrix aggregation benchmark (not a test): 100k / 1M / 10M synthetic flow rows, huntkit native,
# huntkit wasm (Node) and pandas groupby (MSTICPy's aggregation) on the same files in one run.
# Prints a table. Makes its own Python venv (tests/bench/.venv) and data (tests/bench/data).
# Every huntkit figure starts from Arrow IPC stream bytes (wasm: including the copy into wasm
# memory). "pandas groupby" is MSTICPy's aggregation on a DataFrame already in memory;
# "pandas from IPC" adds reading the same bytes into that DataFrame. Each figure is the median of
# 5 calls after a first one, which is shown apart (for the wasm it grows the memory).
set -euo pipefail
cd "$(dirname "$0")"
# An empty RUSTFLAGS would override .cargo/config.toml (SIMD for the IoC loops).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
SIZES=${SIZES:-"100000 1000000 10000000"}
../../.ci/bootstrap --browser >/dev/null
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q pandas==2.3.3 pyarrow numpy
fi
mkdir -p data
files=()
for n in $SIZES; do
  f=data/flows_$n.arrows
  [ -f "$f" ] || .venv/bin/python flows.py gen "$n" "$f"
  files+=("$f")
done
(cd ../.. && [ -f npm/dist/node.js ] || npm/build.sh >/dev/null)
native=$(cd ../.. && cargo run -q --release --example bench_matrix -- "${files[@]/#/tests/bench/}")
wasm=$(cd .. && node --max-old-space-size=8192 bench/wasm.mjs "${files[@]/#/bench/}")
pandas=$(.venv/bin/python flows.py pandas "${files[@]}")
node --input-type=module -e '
const [native, wasm, pandas] = process.argv.slice(1).map(JSON.parse);
const f = (s) => s.toFixed(3).padStart(8);
console.log("| rows | variant | pandas groupby s | pandas from IPC s | huntkit native s | huntkit wasm s | wasm vs groupby | wasm vs from IPC | first call: pandas / wasm s |");
console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
for (const key of Object.keys(pandas)) {
  const [rows, variant] = key.split("/");
  if (native[key].cells !== pandas[key].cells || wasm[key].cells !== pandas[key].cells) throw new Error(`cell counts differ for ${key}`);
  const p = pandas[key];
  const ratio = (s) => `${(s / wasm[key].seconds).toFixed(1)}×`;
  console.log(`| ${Number(rows).toLocaleString("en")} | ${variant} | ${f(p.seconds)} | ${f(p.from_ipc)} | ${f(native[key].seconds)} | ${f(wasm[key].seconds)} | ${ratio(p.seconds)} | ${ratio(p.from_ipc)} | ${p.first.toFixed(3)} / ${wasm[key].first.toFixed(3)} |`);
}' "$native" "$wasm" "$pandas"
