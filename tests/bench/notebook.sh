#!/usr/bin/env bash
# Notebook timings (not a test): JupyterLab time to first frame for a 100k-row process tree and a
# 1M-row matrix from pandas DataFrames, JupyterLite time to the first widget, and the wheel size.
# Builds what it needs (package, wheel, JupyterLite site), generates its data under
# tests/bench/data/, and prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
.ci/bootstrap --browser --notebooks
npm/build.sh
js/python/build.sh
target/venv/tests/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/python/huntkit-*.whl
demo/jupyterlite/build.sh >/dev/null
mkdir -p tests/bench/data
py=target/venv/tests/bin/python
[ -f tests/bench/data/win_100k.arrow ] || $py tests/bench/proctrees.py gen tests/fixtures/win_proc_test.arrow win 100000 tests/bench/data/win_100k.arrow
[ -f tests/bench/data/flows_1m.arrow ] || $py tests/bench/flows.py gen 1000000 tests/bench/data/flows_1m.arrow
cd tests && node bench/notebook.mjs bench/data/win_100k.arrow bench/data/flows_1m.arrow ../target/python/huntkit-*.whl
