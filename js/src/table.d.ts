// Types of table.js: Tables in and out.

/**
 * A table: Arrow IPC bytes (stream or file format — e.g. `tableToIPC(table)` from apache-arrow,
 * pyarrow's IPC writers, DuckDB-wasm), JSON text or bytes (JSON lines, an object per line, as
 * SIEM exports are; or one array of objects), or an array of plain row objects. Nested objects
 * become dotted columns (`process.parent.pid`). Strings may be Utf8, LargeUtf8, Utf8View or
 * dictionary-encoded. From rows each column's type is inferred: numbers → Float64, BigInts →
 * Int64, booleans, `Date`s → timestamps, anything else → text.
 */
export type TableInput = Uint8Array | ArrayBuffer | string | Array<Record<string, unknown>> | ResultTable | { toArrow(): Uint8Array };

/**
 * A result table (IoCs from a table, an Azure query's result). Every function taking a table
 * takes it as it is.
 */
export class ResultTable {
  private constructor();
  readonly numRows: number;
  /** `[{ name, type }]`, types as Arrow writes them (`Utf8`, `Int64`, `Timestamp(ns, "UTC")`). */
  readonly columns: Array<{ name: string; type: string }>;
  /** Arrow IPC stream bytes. */
  toArrow(): Uint8Array;
  /** Row objects: Int64 as BigInt, timestamps as `Date`, null for missing values. */
  toRows(): Array<Record<string, unknown>>;
  free(): void;
}

/** Column names and Arrow types of a table. */
export function describeTable(table: TableInput): {
  numRows: number;
  columns: Array<{ name: string; type: string }>;
};

/**
 * Any table input as a {@link ResultTable}: the data as huntkit reads it, to pass on as Arrow IPC
 * (`toArrow()`) or rows (`toRows()`).
 */
export function readTable(table: TableInput): ResultTable;
