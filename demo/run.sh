#!/usr/bin/env bash
# Sets up the machine (toolchain, pinned Python and npm packages), builds the npm package, the
# Python wheel, the JupyterLite site, the Observable notebook and the dashboard example, and
# serves them all on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
.ci/bootstrap --notebooks
npm/build.sh
js/python/build.sh
demo/jupyterlite/build.sh
demo/observable/build.sh
demo/dashboard/build.sh
exec node demo/serve.mjs "${PORT:-8080}"
