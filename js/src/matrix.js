// matrix() and plotMatrix(): the DOM and event half of the matrix plot. Layout, scaling,
// hit-testing and painting happen in Rust (MatrixPlot); this file owns elements and events.
import { assertReady } from "./core.js";
import { matrix as wasmMatrix, MatrixPlot } from "./wasm/huntkit.js";

/** Aggregates `table` by (x, y). See index.d.ts. */
export function matrix(table, options) {
  assertReady();
  return wasmMatrix(table, options);
}

const DEFAULT_HEIGHT = 700; // MSTICPy's default figure height
const PLOT_ONLY = ["width", "height"];

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
  if (!element || typeof element.appendChild !== "function") {
    throw new TypeError("plotMatrix: `element` must be a DOM element to draw into");
  }
  let opts = { ...options };
  const root = document.createElement("div");
  root.className = "huntkit-matrix";
  Object.assign(root.style, {
    position: "relative",
    width: opts.width ? `${opts.width}px` : "100%",
    height: `${opts.height ?? DEFAULT_HEIGHT}px`,
    overflow: "hidden",
  });
  const canvas = document.createElement("canvas");
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  Object.assign(canvas.style, { display: "block", width: "100%", height: "100%", touchAction: "none" });
  const tooltip = document.createElement("div");
  tooltip.className = "huntkit-tooltip";
  tooltip.setAttribute("role", "tooltip");
  Object.assign(tooltip.style, {
    position: "absolute",
    pointerEvents: "none",
    display: "none",
    whiteSpace: "pre",
    font: "12px sans-serif",
    background: "rgba(255,255,255,0.95)",
    border: "1px solid #999",
    borderRadius: "3px",
    padding: "4px 6px",
    color: "#222",
    zIndex: 1,
  });
  root.append(canvas, tooltip);
  element.appendChild(root);

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

  let frame = 0;
  const draw = () => {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        plot.draw();
      });
    }
  };
  const drawNow = () => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    plot.draw();
  };

  const local = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  };
  let hovered;
  const hover = (x, y) => {
    const index = plot.hitTest(x, y);
    hovered = index;
    if (index === undefined) {
      tooltip.style.display = "none";
      canvas.style.cursor = plot.inPlot(x, y) ? "grab" : "default";
      return;
    }
    tooltip.textContent = plot.tooltip(index).join("\n");
    tooltip.style.display = "block";
    const [w, h] = size();
    const left = x + 14 + tooltip.offsetWidth > w ? x - 14 - tooltip.offsetWidth : x + 14;
    const top = y + 14 + tooltip.offsetHeight > h ? y - 14 - tooltip.offsetHeight : y + 14;
    tooltip.style.left = `${Math.max(0, left)}px`;
    tooltip.style.top = `${Math.max(0, top)}px`;
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
          handle.value = plot.matrix().cells[index];
          root.value = handle.value;
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
      const step = 40;
      const actions = {
        "+": () => plot.zoomAt(1.25, w / 2, h / 2),
        "=": () => plot.zoomAt(1.25, w / 2, h / 2),
        "-": () => plot.zoomAt(0.8, w / 2, h / 2),
        0: () => plot.resetView(),
        ArrowLeft: () => plot.pan(step, 0),
        ArrowRight: () => plot.pan(-step, 0),
        ArrowUp: () => plot.pan(0, step),
        ArrowDown: () => plot.pan(0, -step),
      };
      const act = actions[ev.key];
      if (act) {
        ev.preventDefault();
        act();
        draw();
      }
    },
  };
  for (const [type, fn] of Object.entries(listeners)) {
    canvas.addEventListener(type, fn, type === "wheel" ? { passive: false } : undefined);
  }

  const observer = new ResizeObserver(() => {
    const [w, h] = size();
    plot.resize(w, h, globalThis.devicePixelRatio || 1);
    drawNow();
  });
  observer.observe(root);
  drawNow();

  const handle = {
    element: root,
    canvas,
    /** The last clicked cell (also `element.value`, with an `input` event, for Observable's `view`). */
    value: undefined,
    /** Re-aggregates and redraws with `options` merged into the current ones. */
    update(next = {}) {
      const merged = { ...opts, ...next };
      plot.update(wasmOptions(merged));
      opts = merged;
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
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
      for (const [type, fn] of Object.entries(listeners)) canvas.removeEventListener(type, fn);
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
  return handle;
}
