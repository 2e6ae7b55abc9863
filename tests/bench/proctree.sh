#!/usr/bin/env bash
# Process-tree benchmark (not a test): Windows 4688 and MDE (Sentinel schema) test data
# replicated to 10k / 100k / 1M rows with distinct hosts and PIDs; huntkit native, huntkit wasm
# (Node) and MSTICPy 3.0.2's build_process_tree (its own venv, stopped after 120 s: a lower
# bound) on the same files. Also the native peak memory (one build from one copy of the file,
# which counts as 1×) against the input size. Prints a table.
set -euo pipefail
cd "$(dirname "$0")"
# An empty RUSTFLAGS would override .cargo/config.toml (SIMD for the IoC loops).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
SIZES=${SIZES:-"10000 100000 1000000"}
MSTICPY_LIMIT=${MSTICPY_LIMIT:-120}
../../.ci/bootstrap --browser >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q pandas==2.3.3 pyarrow numpy; }
[ -x .venv-msticpy/bin/python ] || { python3 -m venv .venv-msticpy && .venv-msticpy/bin/pip install -q msticpy==3.0.2 pandas==2.3.3 pyarrow; }
(cd ../.. && [ -f npm/dist/node.js ] || npm/build.sh >/dev/null)
(cd ../.. && cargo build -q --release --example bench_proctree)
native_bin=../../target/release/examples/bench_proctree
mkdir -p data
printf '| data | rows in | processes | huntkit native s | huntkit wasm s | MSTICPy s | wasm vs MSTICPy | native peak RSS / input |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for kind in win mde; do
  base=../fixtures/$([ $kind = win ] && echo win_proc_test || echo mde_proc_pub).arrow
  for n in $SIZES; do
    f=data/proctree_${kind}_$n.arrows
    [ -f "$f" ] || .venv/bin/python proctrees.py gen "$base" "$kind" "$n" "$f"
    native=$("$native_bin" "$f")
    rss_kb=$( { /usr/bin/time -f '%M' "$native_bin" "$f" --once >/dev/null; } 2>&1 | tail -1)
    wasm=$(cd .. && node --max-old-space-size=8192 bench/proctree.mjs "bench/$f")
    if m=$(timeout "$MSTICPY_LIMIT" .venv-msticpy/bin/python proctrees.py msticpy "$f" 2>/dev/null | tail -1); then :; else m='{"seconds": null}'; fi
    node --input-type=module -e '
      const [native, wasm, m, rss, kind, limit] = process.argv.slice(1);
      const N = JSON.parse(native), W = JSON.parse(wasm), M = JSON.parse(m);
      const ms = M.seconds === null ? `> ${limit}` : M.seconds.toFixed(3);
      const ratio = M.seconds === null ? `> ${(Number(limit) / W.seconds).toFixed(0)}×` : `${(M.seconds / W.seconds).toFixed(0)}×`;
      if (M.rows_out !== undefined && M.rows_out !== N.rows_out) throw new Error(`rows out differ: msticpy ${M.rows_out}, huntkit ${N.rows_out}`);
      const rows = W.input_bytes;
      console.log(`| ${kind} | ${Number(process.argv[7]).toLocaleString("en")} | ${N.rows_out.toLocaleString("en")} | ${N.seconds.toFixed(3)} | ${W.seconds.toFixed(3)} | ${ms} | ${ratio} | ${(rss * 1024 / rows).toFixed(1)}× |`);
    ' "$native" "$wasm" "$m" "$rss_kb" "$kind" "$MSTICPY_LIMIT" "$n"
  done
done
