#!/usr/bin/env bash
# Builds the demo's Observable notebook (Notebooks 2.0 format, demo/observable/notebook/) with
# Notebook Kit into target/observable/, offline: huntkit comes from the packed npm package
# (npm/pack.sh), installed here as an app would, and the data files from demo/data/. Needs
# demo/observable/node_modules (.ci/bootstrap --notebooks). Served at /observable/ by demo/serve.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=$(npm/pack.sh)
(cd demo/observable && npm install --no-save --no-audit --no-fund --loglevel=error "../../$tarball")
# The notebook and its file attachments, staged beside node_modules (imports resolve from there).
stage=demo/observable/stage
rm -rf "$stage"
mkdir -p "$stage/data"
cp demo/observable/notebook/index.html "$stage/"
cp demo/data/az_net_flows.arrow demo/data/win_proc_test.arrow demo/data/ioc_report.txt "$stage/data/"
log=$(mktemp)
(cd demo/observable && node_modules/.bin/notebooks build --root stage --out ../../../target/observable --empty -- stage/index.html) >"$log" 2>&1 ||
  { cat "$log" >&2; rm -f "$log"; exit 1; }
rm -f "$log"
rm -rf "$stage"
[ -f target/observable/index.html ] || { echo "notebooks build made no page" >&2; exit 1; }
echo "Observable notebook: target/observable ($(du -sh target/observable | cut -f1))"
