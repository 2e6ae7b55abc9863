#!/usr/bin/env bash
# Runs every huntkit test: lint, native Rust (unit + MSTICPy goldens), wasm-bindgen-test in
# headless Chromium, type check, node --test on the built package, and end-to-end tests of the
# served demo in headless Chromium. Installs what it needs first (.ci/bootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
# An empty RUSTFLAGS would override .cargo/config.toml (which turns on wasm SIMD).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
step() { printf '\n== %s\n' "$*"; }

step "bootstrap"
.ci/bootstrap --browser

step "lint: rustfmt, clippy (native and wasm32), module boundary"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# Only bindings/ and render/canvas.rs may touch wasm-bindgen, js-sys or web-sys.
if grep -rnE 'wasm_bindgen|web_sys|js_sys' crate/src | grep -vE ':[0-9]+:\s*//' |
  grep -vE '^crate/src/(bindings/|render/canvas\.rs)'; then
  echo "error: wasm types outside crate/src/bindings and crate/src/render/canvas.rs" >&2
  exit 1
fi

step "build the npm package"
npm/build.sh

step "cargo test (native: unit, doc, MSTICPy golden parity)"
cargo test

step "wasm-bindgen-test (headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test web

step "type check of the published .d.ts"
(cd tests && node node_modules/typescript/bin/tsc -p types)

step "node --test: the package in Node, and the demo end to end in headless Chromium"
(cd tests && node --test --test-reporter=spec node/ e2e/)
