// Types of core.js: Initialisation, memory and the error type.

/** Errors thrown by huntkit have this shape; branch on `code`. */
export interface HuntkitError extends Error {
  name: "HuntkitError";
  /**
   * `missing-column`, `column-type`, `invalid-option`, `invalid-table`, `arrow`,
   * `not-initialised`; Azure calls add `http`, `network`, `timeout`, `cancelled` and `invalid-config`.
   */
  code: string;
  /** `http` errors: the HTTP status (200 for a Log Analytics partial result with `failOnPartial`). */
  status?: number;
  /** `http` errors: the service's error code (`BadArgumentError`, `AuthorizationFailed`, …). */
  azureCode?: string;
  /** `http` errors: the request or correlation id, for a support ticket. */
  requestId?: string;
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

/**
 * The size of huntkit's wasm memory, bytes. It grows to the largest working set and never
 * shrinks (freed memory is reused), so a steady value over many re-renders means nothing leaks.
 */
export function memoryUsage(): { wasmBytes: number };
