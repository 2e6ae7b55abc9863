// matrix() and plotMatrix(): the DOM and event half of the matrix plot. Layout, scaling,
// hit-testing and painting happen in Rust (MatrixPlot); this file owns elements and events.
import { assertReady } from "./core.js";
import { attach, canvasAndTooltip, checkContainer, frameScheduler, localPoint, showTooltip, viewKeys } from "./dom.js";
import { matrix as wasmMatrix, MatrixPlot } from "./wasm/huntkit.js";

/** Aggregates `table` by (x, y). See index.d.ts. */
export function matrix(table, options) {
  assertReady();
  return wasmMatrix(table, options);
}

const DEFAULT_HEIGHT = 700; // MSTICPy's default figure height
const PLOT_ONLY = ["width", "height", "freeWhenDetached"];

function wasmOptions(options) {
  const out = { ...options };
  for (const key of PLOT_ONLY) delete out[key];
  return out;
}

/**
 * Draws the matrix plot of `table` into a `<canvas>` created inside `element`.
 * Returns a handle: `{ element, canvas, update(options), destroy(), value, ... }`.
 */
export function plotMatrix(element, table, options = {}) {
  assertReady();
  checkContainer("plotMatrix", element);
  let opts = { ...options };
  const root = document.createElement("div");
  root.className = "huntkit-matrix";
  Object.assign(root.style, {
    position: "relative",
    width: opts.width ? `${opts.width}px` : "100%",
    height: `${opts.height ?? DEFAULT_HEIGHT}px`,
    overflow: "hidden",
  });
  const { canvas, tooltip } = canvasAndTooltip();
  root.append(canvas, tooltip);
  root.value = null; // an input's value from the start, so Observable's `view` yields at once
  element?.appendChild(root);

  const size = () => [Math.max(1, root.clientWidth), Math.max(1, root.clientHeight)];
  let plot;
  try {
    const [w, h] = size();
    plot = new MatrixPlot(canvas, table, wasmOptions(opts), w, h, globalThis.devicePixelRatio || 1);
  } catch (err) {
    root.remove();
    throw err;
  }
  canvas.setAttribute("aria-label", opts.title ?? "Interaction Plot");

  const { draw, drawNow, cancel } = frameScheduler(() => plot.draw());

  const local = (ev) => localPoint(canvas, ev);
  let hovered;
  const hover = (x, y) => {
    const index = plot.hitTest(x, y);
    hovered = index;
    if (index === undefined) {
      tooltip.style.display = "none";
      canvas.style.cursor = plot.inPlot(x, y) ? "grab" : "default";
      return;
    }
    showTooltip(tooltip, plot.tooltip(index), x, y, ...size());
    canvas.style.cursor = "pointer";
  };

  let drag = null;
  const listeners = {
    pointerdown(ev) {
      const [x, y] = local(ev);
      if (ev.button !== 0 || !plot.inPlot(x, y)) return;
      drag = { x, y, moved: false };
      canvas.setPointerCapture?.(ev.pointerId);
    },
    pointermove(ev) {
      const [x, y] = local(ev);
      if (drag) {
        if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 0) drag.moved = true;
        plot.pan(x - drag.x, y - drag.y);
        drag.x = x;
        drag.y = y;
        tooltip.style.display = "none";
        draw();
        return;
      }
      hover(x, y);
    },
    pointerup(ev) {
      const wasDrag = drag?.moved;
      drag = null;
      canvas.releasePointerCapture?.(ev.pointerId);
      if (!wasDrag) {
        const [x, y] = local(ev);
        const index = plot.hitTest(x, y);
        if (index !== undefined) {
          select(index);
          root.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
    },
    pointercancel() {
      drag = null;
    },
    pointerleave() {
      if (!drag) tooltip.style.display = "none";
    },
    wheel(ev) {
      const [x, y] = local(ev);
      if (!plot.inPlot(x, y)) return;
      ev.preventDefault();
      const lines = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? 400 : 1;
      plot.zoomAt(Math.exp(-ev.deltaY * lines * 0.0015), x, y);
      drawNow();
      hover(x, y);
    },
    dblclick() {
      plot.resetView();
      draw();
    },
    keydown(ev) {
      const [w, h] = size();
      const actions = {
        ...viewKeys(plot, w, h),
      };
      const act = actions[ev.key];
      if (act) {
        ev.preventDefault();
        act();
        draw();
      }
    },
  };
  /** Marks cell `index` (undefined: none) and makes it the value. */
  const select = (index) => {
    plot.select(index);
    handle.value = index === undefined ? null : (plot.matrix().cells[index] ?? null);
    root.value = handle.value;
    drawNow();
  };

  const detach = attach(canvas, listeners, root, (w, h) => {
    plot.resize(w, h, globalThis.devicePixelRatio || 1);
    drawNow();
  }, opts.freeWhenDetached === false ? null : () => handle.destroy());
  drawNow();

  let destroyed = false;
  const handle = {
    element: root,
    canvas,
    /** The last clicked cell, null before (also `element.value`, with an `input` event, for Observable's `view`). */
    value: null,
    /**
     * Selects cell `index` (or, given `{ x, y }`, the cell of those labels; undefined/null:
     * none): a ring marks it and it becomes `value`. No `input` event is fired (a click does),
     * so linked plots can select each other without loops. Returns the cell or null.
     */
    select(target) {
      const cells = plot.matrix().cells;
      const index = target == null ? undefined : typeof target === "number" ? target : cells.findIndex((c) => c.x === String(target.x) && c.y === String(target.y));
      select(index === -1 || index >= cells.length ? undefined : index);
      return handle.value;
    },
    /** Re-aggregates and redraws with `options` merged into the current ones. */
    update(next = {}) {
      const merged = { ...opts, ...next };
      plot.update(wasmOptions(merged));
      opts = merged;
      // The selection follows its labels into the new aggregation (or goes, with them).
      const was = handle.value;
      if (was) handle.select({ x: was.x, y: was.y });
      if (next.width !== undefined) root.style.width = next.width ? `${next.width}px` : "100%";
      if (next.height !== undefined) root.style.height = `${next.height ?? DEFAULT_HEIGHT}px`;
      canvas.setAttribute("aria-label", opts.title ?? "Interaction Plot");
      tooltip.style.display = "none";
      const [w, h] = size();
      plot.resize(w, h, globalThis.devicePixelRatio || 1);
      drawNow();
      return handle;
    },
    /** Removes the plot and frees its wasm memory. */
    destroy() {
      if (destroyed) return;
      destroyed = true;
      delete root.huntkitPlot;
      detach();
      cancel();
      root.remove();
      plot.free();
    },
    /** The aggregated matrix shown, as `matrix()` returns it. */
    matrix: () => plot.matrix(),
    /** `[cx, cy, r]` of cell `index`'s circle, in CSS px relative to the canvas. */
    marker: (index) => plot.marker(index),
    /** The cell index under (x, y) in CSS px relative to the canvas, or `undefined`. */
    hitTest: (x, y) => plot.hitTest(x, y),
    /** Current zoom factor (1 = whole matrix). */
    get zoom() {
      return plot.zoom;
    },
    /** Index of the hovered cell, or `undefined`. */
    get hovered() {
      return hovered;
    },
  };
  // For code that only has the element (Observable's `view` keeps the element, not the handle).
  root.huntkitPlot = handle;
  return handle;
}
