#!/usr/bin/env bash
# Runs every huntkit test: lint, native Rust (unit + MSTICPy goldens), wasm-bindgen-test in
# headless Chromium, type check, node --test on the built package, end-to-end tests of the
# served demo in headless Chromium, the Python package's unit tests (pytest), every fuzz target
# briefly on its committed corpus (tests/fuzz.sh), and the notebooks:
# JupyterLab (CPython kernel) and the demo's JupyterLite site (Pyodide kernel), driven in headless
# Chromium. Installs what it needs first (.ci/bootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
# An empty RUSTFLAGS would override .cargo/config.toml (which turns on wasm SIMD).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
step() { printf '\n== %s\n' "$*"; }

step "bootstrap"
.ci/bootstrap --browser --notebooks

step "lint: rustfmt, clippy (native and wasm32), the core has no wasm dependencies"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# The core crate has no wasm crate in its dependency tree (native or wasm32), so only
# huntkit-wasm can touch wasm-bindgen, js-sys or web-sys: the boundary is a compile error.
for target in x86_64-unknown-linux-gnu wasm32-unknown-unknown; do
  if cargo tree -p huntkit --target "$target" -e normal,build --prefix none |
    grep -E '^(wasm-bindgen|js-sys|web-sys|serde-wasm-bindgen)'; then
    echo "error: the huntkit core crate depends on a wasm crate for $target (see above)" >&2
    exit 1
  fi
done

step "build the npm package and the Python wheel"
npm/build.sh
js/python/build.sh
target/venv/tests/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/python/huntkit-*.whl

step "cargo test (native: unit, doc, MSTICPy golden parity)"
cargo test

step "wasm-bindgen-test (headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test web

step "type check of the published .d.ts"
(cd tests && node node_modules/typescript/bin/tsc -p types)

step "build the demo's sites: the JupyterLite site, the Observable notebook, the dashboard"
demo/jupyterlite/build.sh >/dev/null
demo/observable/build.sh
demo/dashboard/build.sh

step "node --test: the package in Node, the demo end to end and the bundlers' builds in headless Chromium"
(cd tests && node --test --test-reporter=spec node/ e2e/ bundlers/)

step "pytest: the Python package (argument mapping, every table kind through the wasm, errors)"
target/venv/tests/bin/python -m pytest -q -p no:cacheprovider tests/python

step "fuzzing: every target briefly on its committed corpus (cargo-fuzz, nightly)"
tests/fuzz.sh "${FUZZ_SECONDS:-5}"

step "notebooks: JupyterLab (CPython kernel) and the JupyterLite site (Pyodide kernel) in headless Chromium"
(cd tests && node --test --test-reporter=spec notebooks/)
