// Types of matrix.js: `matrix` and `plotMatrix`.
import type { TableInput } from "./table.js";

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
  /** Free the plot when it has been out of the page for a second (see {@link PlotLifetime}). Default *true*. */
  freeWhenDetached?: boolean;
}

/**
 * How long a plot lives. {@link MatrixPlotHandle.destroy} frees it at once. A plot that was in
 * the page and has been out of it for a second frees itself too (an Observable cell that re-runs
 * replaces its element; a framework unmounts a component), so memory stays flat however often a
 * cell re-runs. Moving the element elsewhere within that second keeps the plot; pass
 * **freeWhenDetached**: *false* to keep a plot that leaves the page for longer (and free it
 * yourself).
 */
export type PlotLifetime = "freeWhenDetached";

/** The handle {@link plotMatrix} returns. */
export interface MatrixPlotHandle {
  /** The plot's element (appended to the target, or detached when the target is null): holds the canvas and the tooltip. */
  element: HTMLDivElement & { value: MatrixCell | null; huntkitPlot: MatrixPlotHandle };
  canvas: HTMLCanvasElement;
  /** Last clicked cell (null before); clicking also sets `element.value` and fires a bubbling `input` event. */
  value: MatrixCell | null;
  /** Merges `options` into the current ones, re-aggregates and redraws. */
  update(options: PlotMatrixOptions): MatrixPlotHandle;
  /**
   * Selects a cell by index or by its `{ x, y }` labels (null: none): a ring marks it and it
   * becomes **value**. Fires no `input` event (a click does), so linked plots can select each
   * other. Returns the cell, or null when there is no such cell.
   */
  select(target: number | { x: unknown; y: unknown } | null | undefined): MatrixCell | null;
  /** Removes the plot and frees its memory (idempotent). */
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
 * Draws the matrix plot into a `<canvas>` created inside `element` (or, with *null*, in a
 * detached element for you to place: Observable's `view(plotMatrix(null, data, options).element)`):
 * categorical axes, circles sized by `plotSize`, hover tooltip, wheel zoom, drag pan
 * (double-click or `0` resets; `+`/`-` and arrow keys too), crisp on HiDPI, follows the element's size.
 */
export function plotMatrix(
  element: Element | null,
  table: TableInput,
  options: PlotMatrixOptions,
): MatrixPlotHandle;
