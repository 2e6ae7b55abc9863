#!/usr/bin/env bash
# Instructions per run of extractIocs in wasm (Node), counted by valgrind's callgrind: the
# deterministic measure for small IoC speed changes, where timings on a shared machine drift.
# V8 runs single-threaded and predictable, with only its optimising tier; the count is
# (10 runs - 4 runs) / 6 on 1 MB of the mixed benchmark text, JS objects included.
# `tests/bench/ioc_ir.sh [<dist dir> ...]` (default: npm/dist). Installs valgrind when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { apt-get install -y -q valgrind >/dev/null || sudo apt-get install -y -q valgrind >/dev/null; }
data=tests/bench/data/ioc_mixed_10mb.txt
[ -f "$data" ] || { mkdir -p tests/bench/data && python3 tests/bench/ioc_text.py mixed "$data"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 1 MB, cut at a line.
head -c 1000000 "$data" | sed '$d' >"$work/text.txt"
cat >"$work/run.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
const [dist, file, runs] = process.argv.slice(2);
const { extractIocs } = await import(resolve(dist, "node.js"));
const text = readFileSync(file, "utf8");
for (let i = 0; i < Number(runs); i++) extractIocs(text);
JS
count() { # count <dist> <runs>
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded --predictable \
    --no-liftoff --no-wasm-dynamic-tiering "$work/run.mjs" "$1" "$work/text.txt" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for dist in "${@:-npm/dist}"; do
  a=$(count "$dist" 4)
  b=$(count "$dist" 10)
  echo "$dist: $(((b - a) / 6)) instructions per run (1 MB)"
done
