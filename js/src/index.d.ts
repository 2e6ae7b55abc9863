/**
 * huntkit — threat-hunting building blocks compiled from Rust to WebAssembly.
 *
 * In browsers call `await init()` once before anything else; the Node entry initialises itself.
 */

export * from "./core.js";
export * from "./table.js";
export * from "./matrix.js";
export * from "./processTree.js";
export * from "./treePlot.js";
export * from "./timeline.js";
export * from "./ioc.js";
export * from "./azure.js";
export * from "./msal.js";
