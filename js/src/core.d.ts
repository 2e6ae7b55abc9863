// Types of core.js: Initialisation, memory and the error type.

/** Errors thrown by huntkit have this shape; branch on `code`. */
export interface HuntkitError extends Error {
  name: "HuntkitError";
  /**
   * `missing-column`, `column-type`, `invalid-option`, `invalid-table`, `arrow`,
   * `too-large`, `not-initialised`, `wasm-trap` (the wasm module stopped: out of memory despite
   * the estimates, or a bug) and then `wasm-stopped` for every later call; Azure calls add
   * `http`, `network`, `timeout`, `cancelled` and `invalid-config`.
   */
  code: string;
  /** `http` errors: the HTTP status (200 for a Log Analytics partial result with `failOnPartial`). */
  status?: number;
  /** `http` errors: the service's error code (`BadArgumentError`, `AuthorizationFailed`, …). */
  azureCode?: string;
  /** `http` errors: the request or correlation id, for a support ticket. */
  requestId?: string;
  /** `too-large` errors: the bytes the call would need. */
  needed?: number;
  /** `too-large` errors: the bytes it could use. */
  available?: number;
}

/**
 * Loads the wasm module. Idempotent. **source** defaults to `huntkit_bg.wasm` beside the
 * module; pass a URL (e.g. Observable Framework's `import.meta.resolve("npm:huntkit/huntkit_bg.wasm")`),
 * a `Response`, bytes or a `WebAssembly.Module`.
 */
export function init(source?: InitSource | { module_or_path: InitSource }): Promise<void>;

/** What {@link init} loads the wasm from. */
export type InitSource = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/** Synchronous initialisation from wasm bytes or a compiled module (or wasm-bindgen's `{ module }`). */
export function initSync(module: BufferSource | WebAssembly.Module | { module: BufferSource | WebAssembly.Module }): void;

/** huntkit's memory, in bytes. */
export interface MemoryUsage {
  /** The wasm memory's size. It grows to the largest working set and never shrinks (freed
   * memory is reused), so a steady value over many re-renders means nothing leaks. */
  wasmBytes: number;
  /** Allocated now. */
  inUse: number;
  /** The most allocated at once since the last `memoryUsage()` call. */
  peak: number;
  /** The most a call may use: 4 GiB (what wasm32 addresses) or what `setMemoryLimit` set. */
  limit: number;
  /** What a new call may still allocate (the limit less what is in use and a reserve of a
   * thirty-second of it for the allocator's bookkeeping). */
  available: number;
}

/** huntkit's memory figures; each call starts a new `peak`. */
export function memoryUsage(): MemoryUsage;

/**
 * Sets the most wasm memory huntkit's calls may use, in bytes (`null`: all that wasm32
 * addresses, 4 GiB; lower it on small devices). Each call estimates what its input needs before
 * it allocates and fails with a `too-large` HuntkitError (with `needed` and `available` bytes,
 * and how much input would fit in its message) rather than running out.
 */
export function setMemoryLimit(bytes: number | null): void;

