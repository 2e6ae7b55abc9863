#!/usr/bin/env bash
# Builds the dashboard example for production into target/dashboard/ with Vite, huntkit installed
# from the packed npm package (npm/pack.sh) as an app would install it. Needs
# demo/dashboard/node_modules (.ci/bootstrap --notebooks). Served at /dashboard/ by demo/serve.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=$(npm/pack.sh)
cd demo/dashboard
npm install --no-save --no-audit --no-fund --loglevel=error "../../$tarball"
node_modules/.bin/vite build --outDir ../../target/dashboard --emptyOutDir --base ./ --logLevel warn
echo "dashboard: target/dashboard ($(du -sh ../../target/dashboard | cut -f1))"
