#!/usr/bin/env bash
# Builds the Python package `huntkit` as a pure-Python wheel, at the npm package's version:
#   target/python/huntkit-<version>-py3-none-any.whl
# Needs npm/dist (npm/build.sh) and the bundler from js/package.json (.ci/bootstrap installs it).
# The wheel carries the anywidget front ends, the Pyodide worker script and the wasm, bundled
# here by esbuild from js/notebook/ and js/src/.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f npm/dist/wasm/huntkit_bg.wasm ] || { echo "npm/dist is missing: run npm/build.sh first" >&2; exit 1; }
esbuild=js/node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "esbuild is missing: run .ci/bootstrap" >&2; exit 1; }

stage=target/python/stage
rm -rf "$stage"
mkdir -p "$stage"
cp -r js/python/huntkit "$stage/"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
static="$stage/huntkit/static"
mkdir -p "$static"
common=(--alias:huntkit=./npm/dist/index.js --bundle --minify --legal-comments=none --log-level=warning --target=es2022)
# The widgets' `_esm`: ES modules imported from blob: URLs, so everything in one file.
"$esbuild" js/notebook/widget.js "${common[@]}" --format=esm --outfile="$static/widget.js"
"$esbuild" js/notebook/signin.js "${common[@]}" --format=esm --outfile="$static/signin.js"
# The Pyodide worker's script: a classic script (global `huntkit`) that Python evaluates
# synchronously. wasm-bindgen's default wasm URL (import.meta.url) is never used there: the
# wasm is given as bytes.
"$esbuild" js/notebook/worker.js "${common[@]}" --format=iife --global-name=huntkit \
  --define:import.meta.url=undefined --outfile="$static/huntkit.iife.js"
"$esbuild" js/notebook/auth.js "${common[@]}" --format=esm --outfile="$static/huntkit-auth.js"
cp js/notebook/auth.html "$static/huntkit-auth.html"
cp npm/dist/wasm/huntkit_bg.wasm "$static/"

version=$(node -p 'require("./npm/package.json").version')
python3 js/python/wheel.py "$stage" "$version" target/python
