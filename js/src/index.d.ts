/**
 * huntkit — threat-hunting building blocks compiled from Rust to WebAssembly.
 *
 * In browsers call `await init()` once before anything else; the Node entry initialises itself.
 */

/**
 * A table: Arrow IPC bytes (stream or file format — e.g. `tableToIPC(table)` from apache-arrow,
 * pyarrow's IPC writers, DuckDB-wasm), JSON text or bytes (JSON lines, an object per line, as
 * SIEM exports are; or one array of objects), or an array of plain row objects. Nested objects
 * become dotted columns (`process.parent.pid`). Strings may be Utf8, LargeUtf8, Utf8View or
 * dictionary-encoded. From rows each column's type is inferred: numbers → Float64, BigInts →
 * Int64, booleans, `Date`s → timestamps, anything else → text.
 */
export type TableInput = Uint8Array | ArrayBuffer | string | Array<Record<string, unknown>> | ResultTable | { toArrow(): Uint8Array };

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

/** MSTICPy's schema fields (snake_case or camelCase) mapped to column names. */
export interface ProcessSchemaMapping {
  process_name: string;
  process_id: string;
  parent_id: string;
  time_stamp: string;
  cmd_line?: string;
  /** A value: the separator of process paths. Default *"\\"*. */
  path_separator?: string;
  user_name?: string;
  logon_id?: string;
  host_name_column?: string;
  /** Parent image name; when set, parents are matched by PID **and** name. */
  parent_name?: string;
  target_logon_id?: string;
  user_id?: string;
  event_id_column?: string;
  /** A value: rows whose **event_id_column** equals it are process creations. */
  event_id_identifier?: string | number;
  /** The process's unique id (Sysmon `ProcessGuid`, ECS `process.entity_id`): parents are linked by it first, exactly. */
  process_guid?: string;
  /** The parent's unique id (`ParentProcessGuid`, `process.parent.entity_id`). */
  parent_guid?: string;
  /**
   * A value: the build that reads the table. *"mde"* and *"mde_internal"* flatten Defender rows
   * (created, initiating and initiating-parent processes). Default *"generic"*.
   */
  builder?: "generic" | "mde" | "mde_internal";
}

/** Options of {@link buildProcessTree}. */
export interface ProcessTreeOptions {
  /**
   * A built-in schema (*"windows"*, *"linux"*, *"mde"* (Sentinel/M365D `DeviceProcessEvents`),
   * *"mde_internal"*, *"sysmon"*, *"osquery"*, *"hx"*, *"ecs"* (Elastic); MSTICPy's names
   * such as *"WIN_EVENT_SCH"* work too) or a custom mapping. Default: inferred from the columns
   * as MSTICPy does.
   */
  schema?: string | ProcessSchemaMapping;
  /**
   * Keep only process creations when the schema has an event-id column (4688, Sysmon 1,
   * `SYSCALL_EXECVE`, `ProcessCreated`); the other rows are counted in `rowsFilteredOut`.
   * Default *true*.
   */
  eventFilter?: boolean;
  /**
   * A text time that does not parse (ISO 8601, `M/D/YYYY h:mm:ss AM`, epoch numbers and
   * FILETIME do): an error naming the row and value (*"error"*, the default), or a flagged
   * root counted in `timesUnparsed` (*"flag"*).
   */
  badTimes?: "error" | "flag";
}

/** One process of a tree. */
export interface ProcessNode {
  /** MSTICPy's `proc_key`: `lower(name)|pid|time` (time rounded to 10 µs). */
  key: string | null;
  parentKey: string | null;
  name: string | null;
  pid: string | null;
  host: string | null;
  /** Creation time in ms since the epoch (`new Date(time)`); 0 for inferred parents. */
  time: number | null;
  /** 1 for roots. */
  depth: number;
  path: string;
  isRoot: boolean;
  isLeaf: boolean;
  isBranch: boolean;
  /** A parent synthesized because it is not in the data. */
  inferred: boolean;
  /** The input row, or `null` for an inferred parent. */
  row: number | null;
  /** Why the row is odd (missing PID or time, part of a PID-reuse cycle), if it is. */
  flag: string | null;
}

/** Counts of a tree. Data rows out + inferred = processes + duplicates dropped. */
export interface ProcessTreeSummary {
  rowsIn: number;
  /** Rows that are not process-creation events under the schema's event filter. */
  rowsFilteredOut: number;
  processes: number;
  roots: number;
  leaves: number;
  branches: number;
  isolated: number;
  maxDepth: number;
  inferred: number;
  duplicatesDropped: number;
  flagged: number;
  /** Parent links made by unique process ids (exact). */
  linkedById: number;
  /** Parent links made by PID and time to a process in the data. */
  linkedByPid: number;
  /** Rows whose time did not parse (with `badTimes: "flag"`). */
  timesUnparsed: number;
}

/**
 * A process: its key (`node.key`, the first process with that key), or a node object, which
 * also names its host (the same key can occur on several hosts).
 */
export type ProcessRef = string | Pick<ProcessNode, "key" | "host">;

/** A built process tree. */
export class ProcessTree {
  private constructor();
  readonly schemaName: string;
  summary(): ProcessTreeSummary;
  /** Every node, in tree order (by path, then time). */
  nodes(): ProcessNode[];
  node(process: ProcessRef): ProcessNode;
  roots(): ProcessNode[];
  parent(process: ProcessRef): ProcessNode | null;
  children(process: ProcessRef): ProcessNode[];
  /** Root first, down to the node's parent. */
  ancestors(process: ProcessRef): ProcessNode[];
  /** Everything below the node in tree order, down to **depth** levels (default: all). */
  descendants(process: ProcessRef, depth?: number): ProcessNode[];
  siblings(process: ProcessRef): ProcessNode[];
  /** Every input column (null on inferred rows) plus the tree columns, as Arrow IPC stream bytes. */
  toArrow(): Uint8Array;
  /** The same as row objects (64-bit integers as BigInt, times as `Date`). */
  toRows(): Array<Record<string, unknown>>;
  /**
   * MSTICPy's `tree_to_text`: a block per process (`Process/PID`, `Time`, `Cmdline`, `Account`
   * lines), indented by depth, wrapped at **width** columns as Python's textwrap does. Default *80*.
   */
  toText(width?: number): string;
  /** Frees the wasm memory now instead of at garbage collection. */
  free(): void;
}

/**
 * Builds the process tree of process-creation events (MSTICPy's `build_process_tree`): parents
 * are matched by PID (and parent name where the schema has one) within a host to the latest
 * process started at or before the child; missing parents are inferred and flagged. Defender for
 * Endpoint rows are flattened (created / initiating / initiating-parent) and missing parents and
 * grandparents inferred.
 */
export function buildProcessTree(table: TableInput, options?: ProcessTreeOptions): ProcessTree;

/** Options of {@link plotProcessTree}. */
export interface PlotProcessTreeOptions {
  /** With a table: the schema to build with (as {@link buildProcessTree}). Not with a tree. */
  schema?: string | ProcessSchemaMapping;
  /** With a table: as {@link ProcessTreeOptions.eventFilter}. */
  eventFilter?: boolean;
  /** With a table: as {@link ProcessTreeOptions.badTimes}. */
  badTimes?: "error" | "flag";
  /**
   * Colour boxes by this column: text → a categorical palette with a legend; numbers → a
   * Viridis gradient. Default: by depth.
   */
  legendCol?: string | null;
  /**
   * Tooltip (and table) columns. Default: the schema's time, user, command line, host and
   * logon id, then the process key.
   */
  tooltipCols?: string[];
  /** Title. Default *"ProcessTree"*. */
  title?: string;
  /** Row height at zoom 1 in px, 8–200. Default *34* (20 rows in MSTICPy's 700 px). */
  rowHeight?: number;
  /** Hide the legend. */
  hideLegend?: boolean;
  /**
   * PID labels, MSTICPy's `pid_fmt`: *"hex"* (`PID: 0x1a4`), *"dec"* (`PID: 420`) or *"guid"*
   * (`GUID: …`). Default: as written. A PID that does not parse is shown as written.
   */
  pidFmt?: "hex" | "dec" | "guid";
  /** Show an HTML table of the rows in view beside the plot, synced with the selection. */
  showTable?: boolean;
  /** Free the plot when it has been out of the page for a second (see {@link PlotLifetime}). Default *true*. */
  freeWhenDetached?: boolean;
  /** Width in px. Default: the element's width (follows resizes). */
  width?: number;
  /** Height in px. Default *700*. */
  height?: number;
}

/** A selected process: its index in tree order, its node, and its input row (null if inferred). */
export interface ProcessSelection {
  index: number;
  node: ProcessNode;
  row: Record<string, unknown> | null;
}

/** What is under a point of the plot. */
export type TreeHit = { node: number } | { toggle: number } | { overview: number } | undefined;

/** The handle {@link plotProcessTree} returns. Nodes are indexes in tree order (as `tree.nodes()`). */
export interface ProcessTreePlotHandle {
  /** The element created inside the target (plot, tooltip and table). */
  element: HTMLDivElement & { value: ProcessSelection | null; huntkitPlot: ProcessTreePlotHandle };
  canvas: HTMLCanvasElement;
  /** The selection; selecting also sets `element.value` and fires a bubbling `input` event. */
  value: ProcessSelection | null;
  /** Listens to an event; returns a function that stops listening. */
  on(event: "select", fn: (selection: ProcessSelection | null) => void): () => void;
  on(event: "toggle", fn: (change: { index: number; collapsed: boolean }) => void): () => void;
  on(event: "hover", fn: (hover: { index: number } | null) => void): () => void;
  /** Merges `options` into the current ones and redraws; the view, collapsed nodes, marks and selection stay. */
  update(options: Omit<PlotProcessTreeOptions, "schema">): ProcessTreePlotHandle;
  /** Marks the processes whose name, PID, command line or key contains `text` (any case); returns their indexes. */
  highlight(text: string): number[];
  /** Selects and scrolls to the next match (wrapping); returns its index. */
  next(): number | undefined;
  /** Selects and scrolls to the previous match; returns its index. */
  previous(): number | undefined;
  /** Selects a process (expanding its ancestors and scrolling to it); `undefined` clears. */
  select(index: number | undefined): void;
  /** Collapses or expands a process's subtree. */
  toggle(index: number): void;
  expandAll(): void;
  /** `[x, y, w, h]` of a process's box in CSS px relative to the canvas, or `undefined` if collapsed away. */
  nodeBox(index: number): [number, number, number, number] | undefined;
  hitTest(x: number, y: number): TreeHit;
  /** Processes shown, top to bottom. */
  visibleNodes(): number[];
  /** Removes the plot and frees its memory (idempotent; a `ProcessTree` passed in stays usable). See {@link PlotLifetime}. */
  destroy(): void;
}

/**
 * Draws a process tree into a `<canvas>` created inside `element` (or, with *null*, in a
 * detached element for you to place, as Observable's `view(...)` wants), as MSTICPy's
 * `plot_process_tree`: one box per process at x = depth, y = tree order, with connectors, the
 * process name, PID and command line; inferred parents dashed. Hover for details, wheel to zoom
 * (shift+wheel scrolls), drag to pan, arrows/PageUp/PageDown/Home/End, click to select, click
 * the ⊟ button or double-click to collapse, drag the overview strip to jump. Only the rows in
 * view are drawn, so 100,000 processes stay smooth. Pass a {@link ProcessTree}, or a table
 * whose tree is built on the fly.
 */
export function plotProcessTree(
  element: Element | null,
  treeOrTable: ProcessTree | TableInput,
  options?: PlotProcessTreeOptions,
): ProcessTreePlotHandle;

/** A time: a `Date`, ISO 8601 text, or an epoch number (s, ms, µs or ns, told apart by size). */
export type TimeInput = Date | string | number | bigint;

/**
 * Options of the timelines (MSTICPy's `display_timeline*` parameters in camelCase). Each plot
 * reads its own: `overlay*` are for the events timeline, `valueColumn`/`kind` for values,
 * `endTimeColumn`/`ylabelCols` for duration. An unknown key is an error with a suggestion.
 */
export interface TimelineOptions {
  /** The time column. Default *"TimeGenerated"*. Any time type, ISO text or epoch numbers. */
  timeColumn?: string;
  /** Tooltip columns. Default *NewProcessName, EventID, CommandLine* when all three exist. */
  sourceColumns?: string | string[];
  /** One series (events, values) or span (duration) per value of these columns. */
  groupBy?: string | string[];
  /** Colour of an ungrouped series: `#rgb`, `#rrggbb` or a basic CSS name. Default *"navy"*. */
  color?: string;
  /** Marker size in px, or a column of numbers (scaled 4–20 px). Default *10*. */
  size?: number | string;
  title?: string;
  /** Default *"left"* with several series (none with one). */
  legend?: "left" | "right" | "inline" | "none";
  /** Default *true*. */
  yaxis?: boolean;
  /** Vertical grid lines. Default *true*. */
  xgrid?: boolean;
  /** Horizontal grid lines. Default *false* (values: *true*). */
  ygrid?: boolean;
  /** The range selector under the plot. Default *true*. */
  rangeTool?: boolean;
  /** The main figure's height in px. Default: from the number of series, *max(300, 40·n)*. */
  height?: number;
  /** Width in px. Default: the container's. */
  width?: number;
  /** A reference line at this time (MSTICPy's `ref_time`, `alert`, `ref_event`). */
  refTime?: TimeInput;
  /** Its label. Default *"Ref time"*. */
  refLabel?: string;
  /** A reference line per row of this table. */
  refEvents?: TableInput;
  /** The `refEvents` column holding labels. Default: `reference <row>`. */
  refCol?: string;
  /** The `refEvents` column holding times. Default *timeColumn*. */
  refTimeCol?: string;
  /** Reference lines: times, `[time, label]` pairs or `{ time, label }`. */
  refTimes?: Array<TimeInput | [TimeInput, string?] | { time: TimeInput; label?: string }>;
  /** A second table of events, drawn as the series "Secondary" (events timeline). */
  overlayData?: TableInput;
  /** Default *"green"*. */
  overlayColor?: string;
  /** Tooltip columns of the overlay. */
  overlayColumns?: string | string[];
  /** The value column (values timeline; required there). */
  valueColumn?: string;
  /** Values timeline glyphs. Default *"vbar"*. */
  kind?: TimelineValueKind | TimelineValueKind[];
  /** The end time column (duration). Default *timeColumn*. */
  endTimeColumn?: string;
  /** The `groupBy` columns that label a span (duration). Default: all of them. */
  ylabelCols?: string | string[];
}

export type TimelineValueKind = "vbar" | "circle" | "line";

/** A table drawn as a series of its own (MSTICPy's dict input to `display_timeline`). */
export interface NamedTimelineSeries {
  data: TableInput;
  timeColumn?: string;
  sourceColumns?: string | string[];
  color?: string;
  size?: number | string;
}

/** What the events timeline draws: one table, or `{ name: { data, … } }`, a series each. */
export type TimelineData = TableInput | Record<string, NamedTimelineSeries>;

/** A timeline as data. Times are ms since the epoch (UTC). */
export interface TimelineResult {
  kind: "events" | "values" | "duration";
  title: string;
  /** Bottom row first. */
  series: Array<{
    name: string;
    color: string;
    yIndex: number;
    /** Which table `rows` index: 0 the data, 1 the overlay; for named series, their position. */
    source: number;
    /** Input rows with a time, in input order. */
    rows: number[];
    times: number[];
    /** Values timeline: the value of each row (NaN for null). */
    values?: number[];
  }>;
  xRange: [number, number];
  yRange: [number, number];
  /** The main figure's height in px. */
  height: number;
  refs: Array<{ time: number; label: string }>;
  /** Rows left out because their time is null or does not parse. */
  skippedNullTimes: number;
  /** Rows left out because a `groupBy` column is null. */
  droppedNullGroups: number;
}

/**
 * The events timeline of `data` as data: the series (name, colour, y index, rows, times) and
 * the ranges, as the plot draws them. With `valueColumn`, the values timeline's (each series
 * with `values`).
 */
export function timelineSeries(data: TimelineData, options?: TimelineOptions): TimelineResult;
/**
 * The duration timeline's spans (needs `groupBy`): the group columns, `Label`, `Start`, `End`
 * (timestamps, UTC), `Duration` (ns) and `Count`, one row per group, bottom to top.
 */
export function timelineDuration(data: TableInput, options: TimelineOptions): ResultTable;

/** A timeline plot's value: the brushed span (Shift+drag) or the clicked event. */
export interface TimelineSelection {
  start: Date;
  end: Date;
  /** Events selected, over all series. */
  count: number;
  /** Rows of the data table (absent for named series). */
  rows?: number[];
  /** Per series: its name, which table (`source`) and the rows. */
  series: Array<{ name: string; source: number; rows: number[] }>;
}

/** Options of the timeline plots: the timeline options plus the plot's lifetime. */
export interface PlotTimelineOptions extends TimelineOptions {
  /** Free the wasm memory 1 s after the element leaves the document. Default *true*. */
  freeWhenDetached?: boolean;
}

/** The handle the timeline plots return. */
export interface TimelinePlotHandle {
  element: HTMLDivElement & { value: TimelineSelection | null };
  canvas: HTMLCanvasElement;
  /** The selection, null before any; also `element.value`, with an `input` event. */
  readonly value: TimelineSelection | null;
  /** Rebuilds with `options` merged into the current ones (the view and selection reset). */
  update(options: Partial<PlotTimelineOptions>): TimelinePlotHandle;
  /** Selects the visible events from `start` to `end` (null: none), without an `input` event. */
  select(start: TimeInput | null, end?: TimeInput): TimelineSelection | null;
  /** The selected rows of the data table. */
  selectedTable(): ResultTable;
  /** The timeline shown, as data. */
  timeline(): TimelineResult;
  /** The main time range shown. */
  readonly window: [Date, Date];
  setWindow(start: TimeInput, end: TimeInput): TimelinePlotHandle;
  /** `[x, y]` in CSS px of series `series`' event at input row `row` (undefined: not in view). */
  eventPoint(series: number, row: number): [number, number] | undefined;
  /** The range selector's window: `[left, right, middle y]` in CSS px. */
  windowBox(): [number, number, number] | undefined;
  /** The main plot area: `[left, top, width, height]` in CSS px. */
  plotArea(): [number, number, number, number];
  toggleSeries(series: number): TimelinePlotHandle;
  isHidden(series: number): boolean;
  /** Whether the series is drawn as a density (more than one event in view per 2 pixel columns). */
  isDense(series: number): boolean;
  visibleCount(series: number): number;
  destroy(): void;
}

/**
 * Draws the events timeline (MSTICPy's `display_timeline`) into a canvas in `element` (null: a
 * detached element to place yourself). Drag pans, the wheel zooms, Shift+drag selects a span, a
 * click selects an event, the range selector moves the main range, double click resets. Series
 * with more than one event in view per 2 pixel columns are drawn as a density.
 */
export function plotTimeline(element: HTMLElement | null, data: TimelineData, options?: PlotTimelineOptions): TimelinePlotHandle;
/** Draws the values timeline (MSTICPy's `display_timeline_values`); needs `valueColumn`. */
export function plotTimelineValues(element: HTMLElement | null, data: TableInput, options: PlotTimelineOptions): TimelinePlotHandle;
/** Draws the duration timeline (MSTICPy's `display_timeline_duration`); needs `groupBy`. */
export function plotTimelineDuration(element: HTMLElement | null, data: TableInput, options: PlotTimelineOptions): TimelinePlotHandle;

/** A built-in IoC type (MSTICPy's names, plus huntkit's), or a custom type's name. */
export type IocTypeName =
  | "ipv4"
  | "ipv6"
  | "ipv4_cidr"
  | "ipv6_cidr"
  | "dns"
  | "url"
  | "email"
  | "md5_hash"
  | "sha1_hash"
  | "sha256_hash"
  | "sha512_hash"
  | "windows_path"
  | "linux_path"
  | "registry_key"
  | "mac_address"
  | "cve"
  | "attack_technique"
  | (string & {});

/** Options of {@link extractIocs} and {@link IocExtractor.extract}. */
export interface ExtractIocsOptions {
  /**
   * Report only these types (aliases `md5`, `sha1`, `sha256`, `sha512`, `domain`, `mac`,
   * `registry` work too). Default: every type (for tables: no Linux paths, and Windows paths
   * only with **includePaths**, as MSTICPy).
   */
  types?: IocTypeName | IocTypeName[];
  /** Report Windows paths (default *true* for text, *false* for tables). */
  includePaths?: boolean;
  /** Accept any alphabetic TLD instead of checking the Public Suffix List. Default *false*. */
  ignoreTlds?: boolean;
  /** Drop private, loopback, link-local, documentation and reserved IP addresses. Default *false*. */
  excludePrivate?: boolean;
  /** Refang before matching (`evil[.]com`, `hxxp://`, `[at]`…). Default *true*; *false* is MSTICPy's `defanged=False`. */
  refang?: boolean;
  /** Search percent-encoded, base64 (incl. UTF-16LE) and hex blobs too. Default *true*. */
  decode?: boolean;
  /** How many decodings deep (blobs inside decoded blobs). Default *3*, at most 8. */
  maxDepth?: number;
  /** Also report `example.com/path` (no scheme) and defanged `evil[.]com` as URLs. Default *false*. */
  schemelessUrls?: boolean;
}

/** One indicator found in a text. */
export interface IocMatch {
  type: IocTypeName;
  /** The indicator, refanged (`http://evil.com/a`), decoded when found in an encoded blob. */
  value: string;
  /** The text as written: `text.slice(start, end)` (for a decoded match: the whole blob). */
  original: string;
  /** UTF-16 offset (JS string index) of `original`. */
  start: number;
  end: number;
  /** Whether it was written defanged (`evil[.]com`, `hxxp://`). */
  defanged: boolean;
  /**
   * The decodings that revealed it, outermost first: `"percent"`, `"base64"`, `"base64-utf16le"`,
   * `"hex"`. A frozen array shared by the matches with the same chain (empty for plain text).
   */
  decoded: readonly string[];
}

/** Options of {@link extractIocsFromTable}. */
export interface ExtractIocsFromTableOptions extends ExtractIocsOptions {
  /** The column(s) to search. */
  columns: string | string[];
}

/**
 * Indicators found in a table: one row per indicator per cell, with MSTICPy's columns `IoCType`,
 * `Observable`, `SourceIndex` (input row position), `Input` (the whole cell), plus `Column`,
 * `Start`/`End` (UTF-16 offsets into `Input`), `Defanged` and `Decoded` (`"base64>percent"`, or null).
 */
export interface IocTable extends ResultTable {
  /** Row objects (`SourceIndex`, `Start`, `End` as BigInt). */
  toRows(): Array<{
    IoCType: string;
    Observable: string;
    SourceIndex: bigint;
    Input: string;
    Column: string;
    Start: bigint;
    End: bigint;
    Defanged: boolean;
    Decoded: string | null;
  }>;
}

/** Options of {@link IocExtractor.addIocType}. */
export interface IocTypeOptions {
  /** Conflict priority: 0 is highest (built-ins use 0–4; a match on the same text keeps the highest). Default *0*. */
  priority?: number;
  /** The capture group holding the value (number or name). Default: the whole match. */
  group?: number | string;
}

/** An extractor with its own custom types (MSTICPy's `IoCExtract`, without its process-wide types). */
export class IocExtractor {
  constructor();
  /**
   * Adds (or replaces) a custom type. **regex** uses the `regex-lite` dialect (linear time: no
   * look-around or back-references); a bad pattern throws naming the type.
   */
  addIocType(name: string, regex: string, options?: IocTypeOptions): this;
  /**
   * Checks domains against this Public Suffix List (the text of `public_suffix_list.dat`, e.g.
   * fetched from publicsuffix.org) instead of the snapshot built in (2025-04-07); ICANN section
   * only, as tldextract. Returns how many rules it read; a text with no rule throws.
   */
  setPublicSuffixList(text: string): number;
  /** Every type name, built-in then custom. */
  readonly types: string[];
  extract(text: string, options?: ExtractIocsOptions): IocMatch[];
  extractFromTable(table: TableInput, options: ExtractIocsFromTableOptions): IocTable;
  free(): void;
}

/** Every indicator in **text**, in order, with refanged values and UTF-16 offsets. */
export function extractIocs(text: string, options?: ExtractIocsOptions): IocMatch[];

/** Indicators in **columns** of a table (MSTICPy's `extract_df`). */
export function extractIocsFromTable(table: TableInput, options: ExtractIocsFromTableOptions): IocTable;

/** **text** with every defanged form made plain (`hxxp://evil[.]com` → `http://evil.com`). */
export function refang(text: string): string;

/** MSTICPy's `defang_ioc`, readable: `evil[.]com`, `hxxp://evil[.]com/a`, `user[AT]evil[.]com`. */
export function defang(value: string, type?: IocTypeName): string;

/** A token for **scope** (`<resource>/.default`), or a promise of one; MSAL's `{ accessToken }` is accepted. */
export type GetToken = (
  scope: string,
  context: { forceRefresh: boolean; tenantId?: string; authority?: string },
) => string | { accessToken: string } | Promise<string | { accessToken: string }>;

/** Endpoint overrides: URLs (a proxy, a test server, Azure Germany's) keep the cloud's token audience unless `<name>Audience` is given too. */
export interface AzureEndpoints {
  authority?: string;
  resourceManager?: string;
  logAnalytics?: string;
  microsoftGraph?: string;
  defender?: string;
  keyVaultSuffix?: string;
  resourceManagerAudience?: string;
  logAnalyticsAudience?: string;
  microsoftGraphAudience?: string;
  defenderAudience?: string;
}

/** The workspace Sentinel calls address. */
export interface SentinelWorkspace {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

/** Options of `new AzureClient(...)`. */
export interface AzureClientOptions {
  /** `global` (alias `public`), `usgov` (`gov`) or `cn` (`china`). `de` needs every endpoint given: Azure Germany closed on 2021-10-29. Default *global*. */
  cloud?: string;
  tenantId?: string;
  /** Asked for one token per API; see {@link msalTokenProvider} and {@link pastedTokenProvider}. */
  getToken: GetToken;
  endpoints?: AzureEndpoints;
  /** Defender for Endpoint environment: `global`, `us`, `eu`, `uk`, `gcc`, `gcc-high` or `dod` (default `global`, `gcc-high` in usgov). */
  defender?: string;
  /** Default Log Analytics workspace id. */
  workspaceId?: string;
  /** Sentinel workspace, or (from a msticpyconfig) the name of a configured workspace. */
  workspace?: SentinelWorkspace | string;
  /** Retries of 408/429/5xx: `Retry-After`/`x-ms-retry-after-ms` honoured, else exponential backoff with jitter. Defaults: 4 attempts, 500 ms base, 8 s cap, server waits up to 60 s. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Sentinel api-version (default `2025-06-01`). */
  sentinelApiVersion?: string;
}

/** Options every call takes. */
export interface AzureCallOptions {
  /** Cancels the call (it rejects with `code: "cancelled"`). */
  signal?: AbortSignal;
  /** Client timeout per request, seconds (rejects with `code: "timeout"`). */
  timeout?: number;
}

/** What a call resolves to. */
export interface AzureResult {
  /** The first table (null when there is none, e.g. a Key Vault secret). */
  table: ResultTable | null;
  /** Every table by name (`PrimaryResult`, `resources`, `incidents`, `results`, …). */
  tables: Array<{ name: string; table: ResultTable }>;
  /** Non-fatal problems: a partial Log Analytics result, a truncated Resource Graph result. */
  warnings: string[];
  /** The object itself for single-object results (an incident, a secret); Log Analytics: `{ statistics, render }` when sent. */
  json: unknown;
  pages: number;
  /** Requests sent, retries and the token refresh included. */
  requests: number;
}

export interface LogAnalyticsQueryOptions extends AzureCallOptions {
  /** Default: the client's. */
  workspaceId?: string;
  /** ISO 8601 duration (`P1D`) or interval, or `{ start, end }` as `Date`s or ISO strings. */
  timespan?: string | { start: Date | string; end: Date | string };
  additionalWorkspaces?: string[];
  /** Seconds the service may run the query (`Prefer: wait=`). Default *300*. */
  serverTimeout?: number;
  /** Reject a partial result instead of resolving with a warning. */
  failOnPartial?: boolean;
  statistics?: boolean;
}

export interface ResourceGraphQueryOptions extends AzureCallOptions {
  subscriptions?: string[];
  managementGroups?: string[];
  /** Most rows (default: every page). */
  limit?: number;
  apiVersion?: string;
}

export interface SentinelOptions extends AzureCallOptions {
  /** Most rows over all `nextLink` pages. */
  limit?: number;
  apiVersion?: string;
  /** Default: the client's. */
  workspace?: SentinelWorkspace;
}

/** Options of `hunting.query`. */
export interface HuntingQueryOptions extends AzureCallOptions {
  /** ISO 8601 interval, or `{ start, end }`. */
  timespan?: string | { start: Date | string; end: Date | string };
  /** *"graph"* (`security/runHuntingQuery`, the default where the cloud has it) or *"defender"*. */
  api?: "graph" | "defender";
}

/** Options of `keyVault.getSecret`. */
export interface KeyVaultSecretOptions extends AzureCallOptions {
  /** The secret's version. Default: the current one. */
  version?: string;
  /** Key Vault's api-version. Default *"7.5"*. */
  apiVersion?: string;
}

export interface SentinelIncidentsOptions extends SentinelOptions {
  /** OData `$filter`, e.g. `properties/severity eq 'High'`. */
  filter?: string;
  /** OData `$orderby`, e.g. `properties/createdTimeUtc desc`. */
  orderBy?: string;
  /** Page size (`$top`). */
  top?: number;
}

/** Azure APIs of one cloud through `fetch`; tokens stay in memory and go only to their API. */
export class AzureClient {
  constructor(options: AzureClientOptions);
  /** A client from the text of a `msticpyconfig.yaml` (`Azure.cloud`, `AzureSentinel.Workspaces`, the Defender environment). */
  static fromMsticpyConfig(yamlText: string, options: Omit<AzureClientOptions, "cloud"> & { cloud?: string }): AzureClient;
  readonly cloud: "global" | "usgov" | "cn" | "de";
  readonly tenantId: string | undefined;
  readonly workspaceId: string | undefined;
  /** Names of the configured workspaces (from a msticpyconfig). */
  readonly workspaces: string[];
  /** The sign-in host, e.g. `https://login.microsoftonline.us`. */
  readonly authority: string;
  endpoint(api: "resourceManager" | "logAnalytics" | "microsoftGraph" | "defender" | "keyVault"): { url: string; scope: string };
  readonly logAnalytics: { query(query: string, options?: LogAnalyticsQueryOptions): Promise<AzureResult> };
  readonly resourceGraph: { query(query: string, options?: ResourceGraphQueryOptions): Promise<AzureResult> };
  readonly sentinel: {
    incidents(options?: SentinelIncidentsOptions): Promise<AzureResult>;
    incident(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentEntities(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentAlerts(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    incidentComments(incidentId: string, options?: SentinelOptions): Promise<AzureResult>;
    bookmarks(options?: SentinelOptions): Promise<AzureResult>;
    watchlists(options?: SentinelOptions): Promise<AzureResult>;
    watchlistItems(alias: string, options?: SentinelOptions): Promise<AzureResult>;
    analyticsRules(options?: SentinelOptions): Promise<AzureResult>;
  };
  /** Defender advanced hunting: Graph `security/runHuntingQuery` (default where the cloud has it), or the Defender API. */
  readonly hunting: {
    query(query: string, options?: HuntingQueryOptions): Promise<AzureResult>;
  };
  /** Key Vault's data plane sends no CORS headers: from a page this rejects (`code: "network"`) saying so. */
  readonly keyVault: {
    getSecret(vault: string, name: string, options?: KeyVaultSecretOptions): Promise<{ value: string; id: string; attributes?: Record<string, unknown> }>;
  };
  /** Forgets the cached tokens. */
  clearTokens(): void;
  free(): void;
}

/** Options of {@link msalTokenProvider}. */
export interface MsalTokenProviderOptions {
  cloud?: string;
  /** Default *organizations*. */
  tenantId?: string;
  /** The app registration's id (registered as a single-page application). */
  clientId: string;
  /** msal-browser v5: a same-origin page running `broadcastResponseToMainFrame()`. */
  redirectUri?: string;
  /** msal-browser v5: a same-origin relay page for popups from cross-origin iframes (`runPopupRelay()`). */
  popupRelayUri?: string;
  /** Sign-in host, overriding the cloud's. */
  authority?: string;
  /** Default *popup*. */
  interaction?: "popup" | "redirect";
  loginHint?: string;
  /** Default *sessionStorage*. */
  cacheLocation?: "sessionStorage" | "localStorage" | "memoryStorage";
  /** The `@azure/msal-browser` module (default: `import("@azure/msal-browser")`). */
  msal?: { PublicClientApplication: new (config: unknown) => unknown };
}

/** A {@link GetToken} on `@azure/msal-browser`: silent first, then popup (or redirect) when interaction is required. */
export function msalTokenProvider(options: MsalTokenProviderOptions): GetToken;

/** A {@link GetToken} for pasted tokens (`az account get-access-token`), each used only for the API its `aud` names. */
export function pastedTokenProvider(tokens: string | string[]): GetToken;
