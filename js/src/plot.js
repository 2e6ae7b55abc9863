// The DOM half of every plot: one controller. The wasm `Plot` owns layout, gestures (what a
// press, drag, wheel or key does), hit-testing, tooltip text and painting; this file owns the
// elements and the DOM events, hands each event to the plot and applies what it says changed
// (redraw, tooltip, cursor, the value with its `input` event). A plot kind is its wasm
// constructor plus the few calls of its own handle (matrix.js, treePlot.js, timeline.js).
import { guard } from "./core.js";
import { attach, canvasAndTooltip, checkContainer, frameScheduler, localPoint, showTooltip } from "./dom.js";

const REDRAW = 1;
const VALUE = 2;
const HOVER = 4;
const CONSUMED = 8;
const TOGGLED = 16;

/** Pixels per wheel `deltaMode` unit: pixels, lines, pages. */
const WHEEL_UNIT = [1, 16, 400];

/**
 * Mounts a plot in `spec.element` (or detached, when it is null) and returns its core handle.
 *
 * `spec`: `name` (for errors), `element`, `options`, `className`, `defaultHeight`,
 * `ariaLabel(options)`, `tooltipStyle`, `create(canvas, width, height, dpr)` (makes the wasm
 * Plot), `valueOf(plot)` (the value after a click or brush), and optional: `fitHeight` (the
 * plot's `preferredHeight` sets the height), `panel` (an element shown beside the plot),
 * `onValue(value)`, `onToggle(index)`, `onHover()`, `afterDraw()`.
 */
export function mountPlot(spec) {
  checkContainer(spec.name, spec.element);
  let opts = { ...spec.options };
  const heightOf = (o) => `${o.height ?? spec.defaultHeight}px`;
  const root = document.createElement("div");
  root.className = spec.className;
  Object.assign(root.style, { display: "flex", gap: "8px", width: opts.width ? `${opts.width}px` : "100%" });
  const wrap = document.createElement("div");
  Object.assign(wrap.style, { position: "relative", flex: "1 1 auto", minWidth: "0", height: heightOf(opts), overflow: "hidden" });
  const { canvas, tooltip } = canvasAndTooltip(spec.tooltipStyle);
  wrap.append(canvas, tooltip);
  root.append(wrap);
  if (spec.panel) {
    spec.panel.style.height = heightOf(opts);
    root.append(spec.panel);
  }
  root.value = null; // an input's value from the start, so Observable's `view` yields at once
  spec.element?.appendChild(root);

  const size = () => [Math.max(1, wrap.clientWidth), Math.max(1, wrap.clientHeight)];
  const dpr = () => globalThis.devicePixelRatio || 1;
  let plot;
  try {
    plot = guard(() => spec.create(canvas, ...size(), dpr()));
  } catch (err) {
    root.remove();
    throw err;
  }
  const label = () => canvas.setAttribute("aria-label", spec.ariaLabel(opts));
  label();
  /** A plot that knows its height (a timeline's grows with its series) gets it. */
  const fit = () => {
    if (!spec.fitHeight) return;
    wrap.style.height = `${plot.preferredHeight}px`;
    if (spec.panel) spec.panel.style.height = wrap.style.height;
  };
  if (spec.fitHeight) {
    fit();
    plot.resize(...size(), dpr());
  }

  const { draw, drawNow, cancel } = frameScheduler(() => {
    plot.draw();
    spec.afterDraw?.();
  });

  let at = [0, 0];
  const refreshTooltip = (bits) => {
    if (bits & HOVER || tooltip.style.display !== "none") {
      const lines = plot.tooltip();
      if (lines.length) showTooltip(tooltip, lines, at[0], at[1], ...size());
      else tooltip.style.display = "none";
    }
  };
  /**
   * Applies what an input changed. Discrete inputs (a click, a key, a wheel step) paint at once,
   * so the page shows the result when the event returns; pointer moves paint once a frame.
   */
  const apply = (bits, now = true) => {
    if (bits & TOGGLED) spec.onToggle?.(plot.toggled);
    if (bits & VALUE) setValue(spec.valueOf(plot), true);
    if (bits & REDRAW) (now ? drawNow : draw)();
    refreshTooltip(bits);
    if (bits & HOVER) spec.onHover?.();
    canvas.style.cursor = plot.cursor;
    return bits;
  };
  /** Sets the value (and `element.value`); `fire` dispatches the bubbling `input` event. */
  const setValue = (value, fire) => {
    handle.value = value;
    root.value = value;
    if (fire) root.dispatchEvent(new Event("input", { bubbles: true }));
    spec.onValue?.(value);
  };

  const local = (ev) => (at = localPoint(canvas, ev));
  const listeners = {
    pointerdown(ev) {
      const [x, y] = local(ev);
      if (ev.button === 0) canvas.setPointerCapture?.(ev.pointerId);
      apply(plot.pointerDown(x, y, ev.button, ev.shiftKey));
    },
    pointermove(ev) {
      const [x, y] = local(ev);
      apply(plot.pointerMove(x, y), false);
    },
    pointerup(ev) {
      const [x, y] = local(ev);
      canvas.releasePointerCapture?.(ev.pointerId);
      apply(plot.pointerUp(x, y));
    },
    pointercancel() {
      apply(plot.pointerLeave());
    },
    pointerleave() {
      apply(plot.pointerLeave());
    },
    wheel(ev) {
      const [x, y] = local(ev);
      if (apply(plot.wheel(x, y, ev.deltaY * (WHEEL_UNIT[ev.deltaMode] ?? 1), ev.shiftKey)) & CONSUMED) ev.preventDefault();
    },
    dblclick(ev) {
      const [x, y] = local(ev);
      apply(plot.doubleClick(x, y));
    },
    keydown(ev) {
      if (apply(plot.key(ev.key)) & CONSUMED) ev.preventDefault();
    },
  };
  const detach = attach(
    canvas,
    listeners,
    wrap,
    (w, h) => {
      plot.resize(w, h, dpr());
      drawNow();
    },
    opts.freeWhenDetached === false ? null : () => handle.destroy(),
  );
  drawNow();

  let destroyed = false;
  const handle = {
    element: root,
    canvas,
    /** The selection (null before any); also `element.value`, with an `input` event. */
    value: null,
    /** The wasm plot (for the kind's own calls). */
    plot,
    /** The current options. */
    get options() {
      return opts;
    },
    /** Merges `next` into the options; `rebuild` decides whether the wasm plot needs them. */
    setOptions(next, rebuild) {
      const merged = { ...opts, ...next };
      if (rebuild) guard(() => rebuild(merged));
      opts = merged;
      if (next.width !== undefined) root.style.width = next.width ? `${next.width}px` : "100%";
      if (spec.fitHeight) fit();
      else if (next.height !== undefined) {
        wrap.style.height = heightOf(opts);
        if (spec.panel) spec.panel.style.height = heightOf(opts);
      }
      label();
      tooltip.style.display = "none";
      plot.resize(...size(), dpr());
      drawNow();
    },
    setValue,
    draw,
    drawNow,
    /** Redraws now after a change made through the handle (the tooltip goes: it may be stale). */
    refresh() {
      tooltip.style.display = "none";
      drawNow();
    },
    /** Removes the plot and frees its wasm memory (idempotent). */
    destroy() {
      if (destroyed) return;
      destroyed = true;
      delete root.huntkitPlot;
      detach();
      cancel();
      root.remove();
      plot.free();
    },
  };
  return handle;
}

/** Options only the JS half reads (never passed to the wasm, which refuses unknown keys). */
export const JS_ONLY = ["width", "height", "freeWhenDetached", "showTable"];

/** `options` without the keys in `drop`. */
export const without = (options, drop) => Object.fromEntries(Object.entries(options).filter(([k]) => !drop.includes(k)));
