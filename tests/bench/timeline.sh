#!/usr/bin/env bash
# Timeline benchmark (not a test): huntkit's plotTimeline in headless Chromium at 100k / 1M / 10M
# generated events on 10 hosts (build + first draw; pan/zoom frame times at the largest), beside
# MSTICPy 3.0.2's display_timeline on the same files (timed in Python, stopped after
# MSTICPY_LIMIT s) and its HTML rendered by BokehJS in the same Chromium (stopped after
# BOKEH_LIMIT_S s). Makes its own venv (tests/bench/.venv-msticpy) and data (tests/bench/data).
# Prints a table.
set -euo pipefail
cd "$(dirname "$0")"
SIZES=${SIZES:-"100000 1000000 10000000"}
MSTICPY_LIMIT=${MSTICPY_LIMIT:-600}
../../.ci/bootstrap --browser >/dev/null
[ -x .venv-msticpy/bin/python ] || { python3 -m venv .venv-msticpy && .venv-msticpy/bin/pip install -q msticpy==3.0.2 pandas==2.3.3 bokeh==3.9.2 pyarrow; }
(cd ../.. && [ -f npm/dist/index.js ] || npm/build.sh >/dev/null)
mkdir -p data
msticpy="{"
for n in $SIZES; do
  f=data/timeline_$n.arrows
  [ -f "$f" ] || .venv-msticpy/bin/python timelines.py gen "$n" "$f"
  if m=$(timeout "$MSTICPY_LIMIT" .venv-msticpy/bin/python -W ignore timelines.py msticpy "$f" "data/msticpy_$n.html" 2>/dev/null | tail -1); then :; else
    m="{\"failed\": \"no figure after ${MSTICPY_LIMIT} s or out of memory\"}"
    rm -f "data/msticpy_$n.html"
  fi
  msticpy="$msticpy\"$n\": $m,"
done
msticpy="${msticpy%,}}"
node timeline.mjs "$msticpy" $SIZES
