import { assertReady } from "./core.js";
import { describeTable as wasmDescribeTable } from "./wasm/huntkit.js";

/** `{ numRows, columns: [{ name, type }] }` of a table. See index.d.ts. */
export function describeTable(table) {
  assertReady();
  return wasmDescribeTable(table);
}
