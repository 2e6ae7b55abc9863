// The three timelines (MSTICPy's display_timeline, display_timeline_values and
// display_timeline_duration): as data, and as plots on the shared plot controller.
import { assertReady, guard } from "./core.js";
import { mountPlot, without } from "./plot.js";
import { Plot, timeline as wasmTimeline, timelineDuration as wasmDuration } from "./wasm/huntkit.js";

/** Options only the JS half reads. */
const JS_ONLY = ["freeWhenDetached"];

/**
 * The timeline of `data` as data: its series (name, colour, y index, rows, times in ms) and
 * ranges; with `valueColumn`, the values timeline's (each series with `values`). See timeline.d.ts.
 */
export function timelineSeries(data, options) {
  return guard(() => wasmTimeline(data, options ?? {}, options?.valueColumn != null ? "values" : "events"));
}

/** The duration timeline's spans, one row per group: a ResultTable. See timeline.d.ts. */
export function timelineDuration(data, options) {
  return guard(() => wasmDuration(data, options ?? {}));
}

/** A wasm `Float64Array` as a plain array (undefined stays undefined). */
const array = (v) => (v === undefined ? undefined : Array.from(v));

function mountTimeline(name, kind, element, data, options = {}) {
  assertReady();
  let title = "Timeline";
  const core = mountPlot({
    name,
    element,
    options,
    className: "huntkit-timeline",
    defaultHeight: (options.height ?? 300) + 138,
    fitHeight: true,
    ariaLabel: () => title,
    create: (canvas, w, h, dpr) => {
      const p = Plot.timeline(canvas, data, without(options, JS_ONLY), kind, w, h, dpr);
      title = p.timelineTitle;
      return p;
    },
    valueOf: (p) => p.timelineValue(),
  });
  const { plot } = core;

  const handle = {
    element: core.element,
    canvas: core.canvas,
    /**
     * The brushed span (Shift+drag) or clicked event: `{ start, end, count, rows, series }`,
     * null before any (also `element.value`, with an `input` event).
     */
    get value() {
      return core.value;
    },
    /** Rebuilds and redraws with `options` merged into the current ones (the view resets). */
    update(next = {}) {
      core.setOptions(next, (merged) => {
        plot.update(without(merged, JS_ONLY));
        title = plot.timelineTitle;
      });
      core.setValue(null, false);
      return handle;
    },
    /**
     * Selects the visible events from `start` to `end` (Dates, ISO text or epoch numbers;
     * null: none). It becomes `value`; no `input` event is fired. Returns the value.
     */
    select(start, end) {
      plot.selectSpan(start ?? null, end ?? null);
      core.setValue(plot.timelineValue(), false);
      core.refresh();
      return core.value;
    },
    /** The selected rows of the events table, as a ResultTable. */
    selectedTable: () => plot.selectionTable(),
    /** The timeline shown, as `timelineSeries()` returns it. */
    timeline: () => plot.timelineData(),
    /** The main range `[start, end]` as Dates. */
    get window() {
      return Array.from(plot.timeWindow, (ms) => new Date(ms));
    },
    /** Shows `start`..`end` (Dates, ISO text or epoch numbers) in the main area. */
    setWindow(start, end) {
      plot.setTimeWindow(start, end);
      core.refresh();
      return handle;
    },
    /** `[x, y]` in CSS px of series `series`' event at input row `row`, or undefined. */
    eventPoint: (series, row) => array(plot.eventPoint(series, row)),
    /** The range selector's window: `[left, right, middle y]` in CSS px, or undefined. */
    windowBox: () => array(plot.windowBox()),
    /** The main plot area: `[left, top, width, height]` in CSS px. */
    plotArea: () => array(plot.plotArea()),
    /** Hides or shows series `series` (as its legend item does). */
    toggleSeries(series) {
      plot.toggleSeries(series);
      core.refresh();
      return handle;
    },
    /** Whether series `series` is hidden. */
    isHidden: (series) => plot.isHidden(series),
    /** Whether series `series` is drawn as a density (more than one event in view per 2 pixel columns). */
    isDense: (series) => plot.isDense(series),
    /** How many of series `series`' events are in the main range. */
    visibleCount: (series) => plot.visibleCount(series),
    /** Removes the plot and frees its wasm memory (idempotent). */
    destroy: core.destroy,
  };
  core.element.huntkitPlot = handle;
  return handle;
}

/**
 * Draws the events timeline of `data` (a table, or named tables) into `element` (or detached,
 * with null). Drag pans, the wheel zooms, Shift+drag selects a span, a click selects an event,
 * the range selector under it moves the main range. See timeline.d.ts.
 */
export function plotTimeline(element, data, options) {
  return mountTimeline("plotTimeline", "events", element, data, options);
}

/** Draws the values timeline of `data` (`valueColumn`; `kind`: vbar, circle, line). */
export function plotTimelineValues(element, data, options) {
  return mountTimeline("plotTimelineValues", "values", element, data, options);
}

/** Draws the duration timeline of `data`: a span per `groupBy` group. */
export function plotTimelineDuration(element, data, options) {
  return mountTimeline("plotTimelineDuration", "duration", element, data, options);
}
