// Initialisation shared by every entry point. The wasm-bindgen glue lives in ./wasm/.
import initWasm, { initSync as initWasmSync, memoryFigures, setMemoryLimit as wasmSetMemoryLimit } from "./wasm/huntkit.js";
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

/** The trap that stopped the wasm module, once one did. */
let stopped = null;

/** Throws a clear error when a function is called before `init()` finished, or after a trap. */
export function assertReady() {
  if (!initialised) {
    throw huntkitError("huntkit is not initialised: `await init()` first (Node's entry does this itself)", "not-initialised");
  }
  if (stopped) {
    throw huntkitError(
      `huntkit's wasm module stopped in an earlier call (${stopped.message}) and cannot be used again: reload the page (or restart the kernel)`,
      "wasm-stopped",
    );
  }
}

/**
 * Runs `call` (which enters the wasm) once huntkit is ready. A trap in it (the wasm ran out of
 * memory despite the estimates, or a bug) leaves the module unusable: it becomes a HuntkitError
 * with code `wasm-trap` saying so, and every later call fails with `wasm-stopped` rather than
 * with whatever the broken module would do.
 */
export function guard(call) {
  assertReady();
  try {
    return call();
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      stopped = err;
      const e = huntkitError(
        `huntkit's wasm module stopped: ${err.message} (out of memory, or a bug: please report it with the shape of the input). Reload the page (or restart the kernel) to use huntkit again`,
        "wasm-trap",
      );
      e.cause = err;
      throw e;
    }
    throw err;
  }
}

/**
 * huntkit's memory, in bytes: `wasmBytes` the wasm memory's size (it grows to the largest
 * working set and never shrinks, so a steady value over many re-renders means nothing leaks),
 * `inUse` what is allocated now, `peak` the most at once since the last call, `limit` the most
 * a call may use (`setMemoryLimit`), `available` what a new call may still allocate.
 */
export function memoryUsage() {
  assertReady();
  const [inUse, peak, limit, available] = memoryFigures();
  return { wasmBytes: memory.buffer.byteLength, inUse, peak, limit, available };
}

/**
 * Sets the most wasm memory huntkit's calls may use, in bytes (`null`: all that wasm32
 * addresses, 4 GiB). Each call estimates what its input needs before it allocates and fails
 * with a `too-large` HuntkitError saying how much would fit, rather than running out.
 */
export function setMemoryLimit(bytes) {
  assertReady();
  wasmSetMemoryLimit(bytes ?? undefined);
}
