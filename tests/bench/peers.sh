#!/usr/bin/env bash
# huntkit against the in-browser peers (benchmarks, not tests): matrix aggregation against
# DuckDB-wasm on the same Arrow IPC bytes (1M and 10M flow rows) in headless Chromium, and IoC
# extraction against the npm ioc-extractor on the same 10 MB text in Node, scored against the
# planted indicators. Installs the peers pinned (tests/bench/peers/package-lock.json) and makes
# its own data (needs the pandas venv of run.sh for the flows). Prints tables.
set -euo pipefail
cd "$(dirname "$0")"
../../.ci/bootstrap >/dev/null
(cd peers && npm ci --no-audit --no-fund >/dev/null)
(cd ../.. && [ -f npm/dist/node.js ] || npm/build.sh >/dev/null)
mkdir -p data
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q pandas==2.3.3 pyarrow numpy; }
for n in 1000000 10000000; do
  [ -f data/flows_$n.arrows ] || .venv/bin/python flows.py gen $n data/flows_$n.arrows
done
node peers_matrix.mjs data/flows_1000000.arrows data/flows_10000000.arrows --runs 3
[ -f data/ioc_truth.json ] || python3 ioc_text.py mixed data/ioc_mixed_10mb.txt 10000000 data/ioc_truth.json
node --expose-gc peers_ioc.mjs data/ioc_mixed_10mb.txt data/ioc_truth.json
