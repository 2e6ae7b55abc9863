// Initialisation shared by every entry point. The wasm-bindgen glue lives in ./wasm/.
import initWasm, { initSync as initWasmSync } from "./wasm/huntkit.js";

let ready = null;
let initialised = false;

/**
 * Loads and instantiates the wasm module (browsers; Node's entry does it for you).
 * Idempotent. `source` is optional: a URL, `Response`, `BufferSource` or `WebAssembly.Module`;
 * by default `huntkit_bg.wasm` is fetched from beside this file.
 */
export function init(source) {
  if (!ready) {
    const arg = source === undefined ? undefined : { module_or_path: source };
    ready = initWasm(arg).then(() => {
      initialised = true;
    });
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

/** Synchronous initialisation from wasm bytes (`BufferSource`) or a `WebAssembly.Module`. */
export function initSync(module) {
  if (!initialised) {
    initWasmSync({ module });
    initialised = true;
  }
}

/** Throws a clear error when a function is called before `init()` finished. */
export function assertReady() {
  if (!initialised) {
    const err = new Error("huntkit is not initialised: `await init()` first (Node's entry does this itself)");
    err.name = "HuntkitError";
    err.code = "not-initialised";
    throw err;
  }
}
