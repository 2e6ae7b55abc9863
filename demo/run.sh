#!/usr/bin/env bash
# Sets up the machine (toolchain), builds the npm package and serves the demo on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/bootstrap
npm/build.sh
exec node demo/serve.mjs "${PORT:-8080}"
