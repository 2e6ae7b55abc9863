// Initialisation shared by every entry point. The wasm-bindgen glue lives in ./wasm/.
import initWasm, { initSync as initWasmSync } from "./wasm/huntkit.js";
import { huntkitError } from "./errors.js";

let ready = null;
let initialised = false;
let memory = null;

/** A plain object (wasm-bindgen's own `{ module_or_path }` / `{ module }` argument). */
const isPlainObject = (x) => x !== null && typeof x === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(x));

/**
 * Loads and instantiates the wasm module (browsers; Node's entry does it for you).
 * Idempotent. `source` is optional: a URL (string or `URL`), a `Request`, a `Response` or a
 * promise of one (`fetch(...)`), bytes (`BufferSource`), a `WebAssembly.Module`, or
 * wasm-bindgen's own `{ module_or_path }`; by default `huntkit_bg.wasm` is fetched from beside
 * this file (`new URL(..., import.meta.url)`, which bundlers and CDNs resolve).
 */
export function init(source) {
  if (!ready) {
    const arg = source === undefined ? undefined : isPlainObject(source) && "module_or_path" in source ? source : { module_or_path: source };
    ready = initWasm(arg).then((exports) => {
      memory = exports.memory;
      initialised = true;
    });
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

/** Synchronous initialisation from wasm bytes (`BufferSource`), a `WebAssembly.Module` or `{ module }`. */
export function initSync(module) {
  if (!initialised) {
    memory = initWasmSync(isPlainObject(module) && "module" in module ? module : { module }).memory;
    initialised = true;
  }
}

/** Throws a clear error when a function is called before `init()` finished. */
export function assertReady() {
  if (!initialised) {
    throw huntkitError("huntkit is not initialised: `await init()` first (Node's entry does this itself)", "not-initialised");
  }
}

/**
 * `{ wasmBytes }`: the size of huntkit's wasm memory. It grows to the largest working set and
 * never shrinks (freed memory is reused), so a steady value over many re-renders means nothing
 * leaks.
 */
export function memoryUsage() {
  assertReady();
  return { wasmBytes: memory.buffer.byteLength };
}
