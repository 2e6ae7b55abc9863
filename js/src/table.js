import { guard } from "./core.js";
import { describeTable as wasmDescribeTable, readTable as wasmReadTable } from "./wasm/huntkit.js";

/** `{ numRows, columns: [{ name, type }] }` of a table. See table.d.ts. */
export function describeTable(table) {
  return guard(() => wasmDescribeTable(table));
}

/** Any table input as a `ResultTable` (`toArrow()`, `toRows()`): the data as huntkit reads it. See table.d.ts. */
export function readTable(table) {
  return guard(() => wasmReadTable(table));
}
