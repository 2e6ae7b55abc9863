#!/usr/bin/env bash
# Sets up the machine (toolchain, pinned Python and npm packages), builds the npm package, the
# Python wheel and the JupyterLite site, and serves the demo pages and the site on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
.ci/bootstrap --notebooks
npm/build.sh
js/python/build.sh
demo/jupyterlite/build.sh
exec node demo/serve.mjs "${PORT:-8080}"
