// Types of timeline.js: The timelines: as data, and the three plots.
import type { TableInput, ResultTable } from "./table.js";

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
