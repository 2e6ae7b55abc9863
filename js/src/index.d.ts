/**
 * huntkit — threat-hunting building blocks compiled from Rust to WebAssembly.
 *
 * In browsers call `await init()` once before anything else; the Node entry initialises itself.
 */

/**
 * A table: Arrow IPC bytes (stream or file format — e.g. `tableToIPC(table)` from apache-arrow,
 * pyarrow's IPC writers, DuckDB-wasm) or an array of plain row objects. Strings may be Utf8,
 * LargeUtf8, Utf8View or dictionary-encoded. From row objects each column's type is inferred:
 * numbers → Float64, BigInts → Int64, booleans, `Date`s → timestamps, anything else → text.
 */
export type TableInput = Uint8Array | ArrayBuffer | Array<Record<string, unknown>>;

/** Errors thrown by huntkit have this shape; branch on `code`. */
export interface HuntkitError extends Error {
  name: "HuntkitError";
  /** `missing-column`, `column-type`, `invalid-option`, `invalid-table`, `arrow` or `not-initialised`. */
  code: string;
}

/**
 * Loads the wasm module. Idempotent. **source** defaults to `huntkit_bg.wasm` beside the
 * module; pass a URL (e.g. Observable Framework's `import.meta.resolve("npm:huntkit/huntkit_bg.wasm")`),
 * a `Response`, bytes or a `WebAssembly.Module`.
 */
export function init(source?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** Synchronous initialisation from wasm bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): void;

/** Column names and Arrow types of a table. */
export function describeTable(table: TableInput): {
  numRows: number;
  columns: Array<{ name: string; type: string }>;
};

/** A sort: *true* or *"asc"* ascending, *"desc"* descending, *false* or *null* none. */
export type Sort = boolean | "asc" | "ascending" | "desc" | "descending" | null;

/** Options of {@link matrix} (MSTICPy's `plot_matrix` parameters, camelCase). */
export interface MatrixOptions {
  /** **x** column (required). `xCol` is accepted too. */
  x?: string;
  /** **y** column (required). `yCol` is accepted too. */
  y?: string;
  xCol?: string;
  yCol?: string;
  /** Column summed per (x, y) pair; default: count rows. Must be numeric unless **distCount**. */
  valueCol?: string | null;
  /** Count distinct values of **valueCol** instead of summing it (needs **valueCol**). Default *false*. */
  distCount?: boolean;
  /** Natural log of the size (after **invert**). Default *false*. */
  logSize?: boolean;
  /** Size = max / value, so rare pairs stand out. Default *false*. */
  invert?: boolean;
  /** Presence only: every pair drawn with the same crossed circle. Default *false*. */
  intersect?: boolean;
  /** Sort both axes. Default *null* (x ascending, y in order of first appearance, as MSTICPy). */
  sort?: Sort;
  /** Sort x; overrides **sort** (*false* switches x sorting off). */
  sortX?: Sort;
  /** Sort y; overrides **sort**. The y label list runs bottom to top, so it is reversed. */
  sortY?: Sort;
}

/** One (x, y) pair present in the data. */
export interface MatrixCell {
  x: string;
  y: string;
  /** Index into `xLabels`. */
  xIndex: number;
  /** Index into `yLabels` (0 = bottom row). */
  yIndex: number;
  /** Rows, sum or distinct count. */
  value: number;
  /** `value` after **invert** then **logSize**; may be ±Infinity or NaN exactly where MSTICPy's is. */
  size: number;
  /** `size × 10 / max(size)`: MSTICPy's marker size, 0–10. */
  plotSize: number;
}

/** The result of {@link matrix}. */
export interface MatrixResult {
  xColumn: string;
  yColumn: string;
  measure: "count" | "sum" | "distinctCount";
  /** `row_count` or the value column's name (MSTICPy's column name). */
  valueName: string;
  /** x labels, left to right. */
  xLabels: string[];
  /** y labels, **bottom to top**. */
  yLabels: string[];
  /** Cells in (x, y) ascending order. */
  cells: MatrixCell[];
  /** Rows read. */
  rows: number;
  /** Rows skipped because x or y was null. */
  skippedRows: number;
  intersect: boolean;
  /** The cells as an Arrow IPC stream: x, y, value (named `valueName`), size, plot_size. */
  arrow: Uint8Array;
}

/**
 * Aggregates `table` by (x, y): rows, **valueCol** sum or distinct count per pair, scaled as
 * MSTICPy's matrix plot does. Throws a {@link HuntkitError} naming the column or option at fault.
 *
 * ```js
 * const m = matrix(rows, { x: "L7Protocol", y: "AllExtIPs" });
 * m.cells[0]; // { x: "ftp", y: "90.130.70.73", value: 1, size: 1, plotSize: 0.2128, ... }
 * ```
 */
export function matrix(table: TableInput, options: MatrixOptions): MatrixResult;

/** Options of {@link plotMatrix}: the matrix options plus presentation. */
export interface PlotMatrixOptions extends MatrixOptions {
  /** Title. Default *"Interaction Plot"*. */
  title?: string;
  /** Circle colour: `#rgb`, `#rrggbb` or a basic CSS name. Default *"red"*. */
  color?: string;
  /** Width in px. Default: the element's width (follows resizes). */
  width?: number;
  /** Height in px. Default *700*. */
  height?: number;
  /** Fixed axis label size in px. Default: from the plot size, 5–**maxLabelFontSize**. */
  fontSize?: number;
  /** Largest automatic label size in px. Default *11*. */
  maxLabelFontSize?: number;
  /** Smallest circle radius in px, so single-row cells stay visible. Default *2*. */
  minRadius?: number;
}

/** The handle {@link plotMatrix} returns. */
export interface MatrixPlotHandle {
  /** The element created inside the target: holds the canvas and the tooltip. */
  element: HTMLDivElement & { value?: MatrixCell };
  canvas: HTMLCanvasElement;
  /** Last clicked cell; clicking also sets `element.value` and fires a bubbling `input` event. */
  value: MatrixCell | undefined;
  /** Merges `options` into the current ones, re-aggregates and redraws. */
  update(options: PlotMatrixOptions): MatrixPlotHandle;
  /** Removes the plot and frees its memory. */
  destroy(): void;
  /** The matrix shown. */
  matrix(): Omit<MatrixResult, "arrow"> & { arrow: Uint8Array };
  /** `[cx, cy, r]` of cell `index`'s circle in CSS px relative to the canvas. */
  marker(index: number): [number, number, number] | undefined;
  /** Cell index under (x, y) CSS px, or `undefined`. */
  hitTest(x: number, y: number): number | undefined;
  /** Zoom factor (1 = whole matrix). */
  readonly zoom: number;
  /** Hovered cell index. */
  readonly hovered: number | undefined;
}

/**
 * Draws the matrix plot into a `<canvas>` created inside `element`: categorical axes, circles
 * sized by `plotSize`, hover tooltip, wheel zoom, drag pan (double-click or `0` resets; `+`/`-`
 * and arrow keys too), crisp on HiDPI, follows the element's size.
 */
export function plotMatrix(
  element: Element,
  table: TableInput,
  options: PlotMatrixOptions,
): MatrixPlotHandle;
