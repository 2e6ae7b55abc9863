// matrix() and plotMatrix(): the aggregation, and the matrix plot on the shared plot controller.
import { assertReady, guard } from "./core.js";
import { JS_ONLY, mountPlot, without } from "./plot.js";
import { Plot, matrix as wasmMatrix } from "./wasm/huntkit.js";

/** Aggregates `table` by (x, y). See matrix.d.ts. */
export function matrix(table, options) {
  return guard(() => wasmMatrix(table, options));
}

const DEFAULT_HEIGHT = 700; // MSTICPy's default figure height

/**
 * Draws the matrix plot of `table` into a `<canvas>` created inside `element` (or detached, with
 * null). Returns a handle: `{ element, canvas, update(options), select(cell), destroy(), value, … }`.
 */
export function plotMatrix(element, table, options = {}) {
  assertReady();
  const core = mountPlot({
    name: "plotMatrix",
    element,
    options,
    className: "huntkit-matrix",
    defaultHeight: DEFAULT_HEIGHT,
    ariaLabel: (o) => o.title ?? "Interaction Plot",
    create: (canvas, w, h, dpr) => Plot.matrix(canvas, table, without(options, JS_ONLY), w, h, dpr),
    valueOf: (plot) => cellOf(plot, plot.selectedCell),
  });
  const { plot } = core;
  const cellOf = (p, index) => (index === undefined ? null : (p.matrixResult().cells[index] ?? null));

  const handle = {
    element: core.element,
    canvas: core.canvas,
    /** The last clicked cell, null before (also `element.value`, with an `input` event). */
    get value() {
      return core.value;
    },
    /** Re-aggregates and redraws with `options` merged into the current ones. */
    update(next = {}) {
      core.setOptions(next, (merged) => plot.update(without(merged, JS_ONLY)));
      // The selection follows its labels into the new aggregation (or goes, with them).
      const was = core.value;
      if (was) handle.select({ x: was.x, y: was.y });
      return handle;
    },
    /**
     * Selects cell `index` (or, given `{ x, y }`, the cell of those labels; undefined/null:
     * none): a ring marks it and it becomes `value`. No `input` event is fired (a click does),
     * so linked plots can select each other without loops. Returns the cell or null.
     */
    select(target) {
      const cells = plot.matrixResult().cells;
      let index = target == null ? undefined : typeof target === "number" ? target : cells.findIndex((c) => c.x === String(target.x) && c.y === String(target.y));
      if (index === -1 || index >= cells.length) index = undefined;
      plot.selectCell(index);
      core.setValue(cellOf(plot, index), false);
      core.drawNow();
      return core.value;
    },
    /** Removes the plot and frees its wasm memory (idempotent). */
    destroy: core.destroy,
    /** The aggregated matrix shown, as `matrix()` returns it. */
    matrix: () => plot.matrixResult(),
    /** `[cx, cy, r]` of cell `index`'s circle, in CSS px relative to the canvas. */
    marker: (index) => plot.marker(index),
    /** The cell index under (x, y) in CSS px relative to the canvas, or `undefined`. */
    hitTest: (x, y) => plot.cellAt(x, y),
    /** Current zoom factor (1 = whole matrix). */
    get zoom() {
      return plot.zoom;
    },
    /** Index of the hovered cell, or `undefined`. */
    get hovered() {
      return plot.hoveredCell;
    },
  };
  // For code that only has the element (Observable's `view` keeps the element, not the handle).
  core.element.huntkitPlot = handle;
  return handle;
}
