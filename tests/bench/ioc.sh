#!/usr/bin/env bash
# IoC extraction benchmark (not a test): 10 MB of generated mixed text (report prose with
# defanged indicators, sshd and web logs, PowerShell command lines, some -EncodedCommand) and
# 1 MB lines of pathological text; huntkit native, huntkit wasm (Node, `extractIocs`, JS objects
# included) and MSTICPy 3.0.2's `IoCExtract().extract(src=text)` (its own venv) on the same files.
# Prints a table (MB/s; best of 5 native and best of 10 wasm runs for huntkit, one run for
# MSTICPy).
set -euo pipefail
cd "$(dirname "$0")"
# An empty RUSTFLAGS would override .cargo/config.toml (SIMD for the IoC loops).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
../../.ci/bootstrap --browser >/dev/null
[ -x .venv-msticpy/bin/python ] || { python3 -m venv .venv-msticpy && .venv-msticpy/bin/pip install -q msticpy==3.0.2 pandas==2.3.3 pyarrow; }
mkdir -p data
[ -f data/ioc_mixed_10mb.txt ] || python3 ioc_text.py mixed data/ioc_mixed_10mb.txt
[ -f data/ioc_path_dots.txt ] || python3 ioc_text.py pathological data
files=(data/ioc_mixed_10mb.txt data/ioc_path_*.txt)
(cd ../.. && [ -f npm/dist/node.js ] || npm/build.sh >/dev/null)
native=$(cd ../.. && cargo run -q --release --example bench_ioc -- "${files[@]/#/tests/bench/}")
wasm=$(cd .. && node --expose-gc bench/ioc.mjs "${files[@]/#/bench/}")
msticpy=$(MSTICPYCONFIG=/dev/null .venv-msticpy/bin/python ioc_msticpy.py data/ioc_mixed_10mb.txt 2>/dev/null | tail -1)
node --input-type=module -e '
const lines = (s) => s.trim().split("\n").map(JSON.parse);
const [native, wasm] = [lines(process.argv[1]), lines(process.argv[2])];
const m = JSON.parse(process.argv[3]);
const mbs = (r) => (r.bytes / 1e6 / r.seconds).toFixed(1);
console.log("| text | MB | indicators | huntkit native MB/s | huntkit wasm MB/s | MSTICPy MB/s | wasm vs MSTICPy |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
native.forEach((n, i) => {
  const w = wasm[i];
  const name = n.file.split("/").pop().replace(/^ioc_/, "").replace(/\.txt$/, "");
  const mixed = name.startsWith("mixed");
  const ms = mixed ? mbs(m) : "—";
  const ratio = mixed ? `${(m.seconds / w.seconds).toFixed(0)}×` : "—";
  console.log(`| ${name} | ${(n.bytes / 1e6).toFixed(1)} | ${w.found.toLocaleString("en")} | ${mbs(n)} | ${mbs(w)} | ${ms} | ${ratio} |`);
});
' "$native" "$wasm" "$msticpy"
