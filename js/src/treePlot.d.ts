// Types of treePlot.js: `plotProcessTree`.
import type { TableInput } from "./table.js";
import type { ProcessTree, ProcessNode, ProcessSchemaMapping } from "./processTree.js";

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
