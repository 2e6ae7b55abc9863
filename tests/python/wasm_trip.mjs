// The other end of a Python → wasm trip, for the pytest tests: reads a table the way the
// notebook front end does (Arrow IPC bytes, or JSON rows) with the built npm package, and prints
// what huntkit sees as JSON: the columns and their Arrow types, and the rows (a BigInt as
// "<digits>n", a Date as ISO text). With matrix options, the `matrix` result or its error.
// usage: node wasm_trip.mjs FILE arrow|json [matrix-options-json]
import { readFileSync } from "node:fs";
import * as hk from "huntkit";

const [file, format, matrixOptions] = process.argv.slice(2);
const bytes = readFileSync(file);
const table = format === "json" ? JSON.parse(bytes.toString("utf8")) : new Uint8Array(bytes);
const plain = (v) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)));
const out = {};
try {
  const read = hk.readTable(table);
  out.columns = read.columns;
  out.rows = plain(read.toRows());
  if (matrixOptions) {
    const m = hk.matrix(table, JSON.parse(matrixOptions));
    out.matrix = { cells: m.cells, skippedRows: m.skippedRows };
  }
} catch (err) {
  out.error = { code: err.code, message: err.message };
}
console.log(JSON.stringify(out));
