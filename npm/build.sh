#!/usr/bin/env bash
# Builds the npm package into npm/dist: cargo (wasm32, release) → wasm-bindgen --target web →
# the hand-written glue from js/src. Prints the wasm size raw / gzip / brotli and fails over the
# budget (600 KiB brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
# An empty RUSTFLAGS would override .cargo/config.toml (which turns on wasm SIMD).
[ -n "${RUSTFLAGS:-}" ] || unset RUSTFLAGS
TARGET=wasm32-unknown-unknown
if rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  cargo build --release --target "$TARGET" -p huntkit-wasm
else
  # Fallback toolchain when rustup has no wasm32 target: Debian's rustc-web, building std.
  RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    /usr/bin/cargo build --release --target "$TARGET" -p huntkit-wasm -Zbuild-std=std,panic_abort
fi

dist=npm/dist
rm -rf "$dist"
mkdir -p "$dist/wasm"
wasm-bindgen --target web --remove-name-section --out-dir "$dist/wasm" --out-name huntkit \
  "target/$TARGET/release/huntkit_wasm.wasm"
cp js/src/*.js js/src/*.d.ts "$dist/"
cp LICENSE-MIT LICENSE-APACHE npm/

node --input-type=module -e '
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
const wasm = readFileSync(process.argv[1]);
const kb = (n) => (n / 1024).toFixed(1) + " KiB";
const br = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
console.log(`huntkit_bg.wasm: ${kb(wasm.length)} raw, ${kb(gzipSync(wasm, { level: 9 }).length)} gzip, ${kb(br.length)} brotli (budget 600 KiB brotli)`);
if (br.length > 600 * 1024) {
  console.error("huntkit_bg.wasm is over its size budget (600 KiB brotli): see README, Size");
  process.exit(1);
}
' "$dist/wasm/huntkit_bg.wasm"
