import { guard } from "./core.js";
import { buildProcessTree as wasmBuildProcessTree } from "./wasm/huntkit.js";

/** Builds a process tree from process events. See processTree.d.ts. */
export function buildProcessTree(table, options) {
  return guard(() => wasmBuildProcessTree(table, options));
}
