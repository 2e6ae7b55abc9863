#!/usr/bin/env bash
# Packs the built package (npm/build.sh) as `npm publish` would, into
# target/npm/huntkit-<version>.tgz, and prints that path. The demo's Observable notebook and
# dashboard and the bundler tests install this tarball, as an app would install the package.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f npm/dist/wasm/huntkit_bg.wasm ] || { echo "npm/dist is missing: run npm/build.sh first" >&2; exit 1; }
mkdir -p target/npm
(cd npm && npm pack --silent --pack-destination ../target/npm >/dev/null)
echo "target/npm/huntkit-$(node -p 'require("./npm/package.json").version').tgz"
