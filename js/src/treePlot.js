// plotProcessTree(): the DOM and event half of the process-tree plot. Layout, colours,
// hit-testing, search and painting happen in Rust (TreePlot); this file owns the elements,
// the events and the optional HTML table. All text goes in through textContent: command
// lines are attacker-controlled.
import { assertReady } from "./core.js";
import { attach, canvasAndTooltip, checkContainer, frameScheduler, localPoint, showTooltip, viewKeys } from "./dom.js";
import { TreePlot, ProcessTree } from "./wasm/huntkit.js";

const DEFAULT_HEIGHT = 700; // MSTICPy's default figure height
const EVENTS = ["select", "toggle", "hover"];
/** Options that change the drawing (the rest are layout of the DOM). */
const STYLE_KEYS = ["legendCol", "tooltipCols", "title", "rowHeight", "hideLegend", "pidFmt"];
/** Options only this JS half reads. */
const JS_ONLY = ["freeWhenDetached"];
const wasmOptions = (options) => Object.fromEntries(Object.entries(options).filter(([k]) => !JS_ONLY.includes(k)));

/**
 * Draws the process tree of `treeOrTable` (a `ProcessTree`, or a table whose tree is built
 * with `options.schema` or an inferred schema) into `element`. See index.d.ts.
 */
export function plotProcessTree(element, treeOrTable, options = {}) {
  assertReady();
  checkContainer("plotProcessTree", element);
  let opts = { ...options };
  const root = document.createElement("div");
  root.className = "huntkit-tree";
  Object.assign(root.style, { display: "flex", gap: "8px", width: opts.width ? `${opts.width}px` : "100%" });
  const wrap = document.createElement("div");
  Object.assign(wrap.style, {
    position: "relative",
    flex: "1 1 auto",
    minWidth: "0",
    height: `${opts.height ?? DEFAULT_HEIGHT}px`,
    overflow: "hidden",
  });
  const { canvas, tooltip } = canvasAndTooltip({ whiteSpace: "pre-wrap", maxWidth: "560px", wordBreak: "break-all" });
  wrap.append(canvas, tooltip);
  const tableWrap = document.createElement("div");
  tableWrap.className = "huntkit-tree-table";
  Object.assign(tableWrap.style, {
    flex: "0 0 42%",
    height: `${opts.height ?? DEFAULT_HEIGHT}px`,
    overflow: "auto",
    font: "12px sans-serif",
    display: opts.showTable ? "block" : "none",
  });
  root.append(wrap, tableWrap);
  root.value = null; // an input's value from the start, so Observable's `view` yields at once
  element?.appendChild(root);

  const size = () => [Math.max(1, wrap.clientWidth), Math.max(1, wrap.clientHeight)];
  const dpr = () => globalThis.devicePixelRatio || 1;
  let plot;
  try {
    const [w, h] = size();
    plot =
      treeOrTable instanceof ProcessTree
        ? TreePlot.fromTree(canvas, treeOrTable, wasmOptions(opts), w, h, dpr())
        : new TreePlot(canvas, treeOrTable, wasmOptions(opts), w, h, dpr());
  } catch (err) {
    root.remove();
    throw err;
  }
  canvas.setAttribute("aria-label", opts.title ?? "ProcessTree");

  const handlers = Object.fromEntries(EVENTS.map((e) => [e, new Set()]));
  const emit = (type, detail) => {
    for (const fn of handlers[type]) fn(detail);
  };

  // The table: the rows in view, one line each, built from the tooltip fields.
  const renderTable = () => {
    if (!opts.showTable) return;
    const nodes = Array.from(plot.nodesInView());
    const lines = nodes.map((i) => plot.tooltip(i));
    const fields = (line) => {
      const at = line.indexOf(": ");
      return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 2)];
    };
    const skip = new Set(["Inferred parent", "Note"]);
    const columns = [];
    for (const l of lines) for (const [k] of l.map(fields)) if (!skip.has(k) && !columns.includes(k)) columns.push(k);
    const table = document.createElement("table");
    Object.assign(table.style, { borderCollapse: "collapse", width: "100%" });
    const head = table.createTHead().insertRow();
    for (const c of columns) {
      const th = document.createElement("th");
      th.textContent = c;
      Object.assign(th.style, { textAlign: "left", borderBottom: "1px solid #999", padding: "2px 4px", position: "sticky", top: "0", background: "#fff" });
      head.appendChild(th);
    }
    const body = table.createTBody();
    nodes.forEach((node, k) => {
      const tr = body.insertRow();
      tr.dataset.node = String(node);
      const values = Object.fromEntries(lines[k].map(fields));
      for (const c of columns) {
        const td = tr.insertCell();
        td.textContent = values[c] ?? "";
        Object.assign(td.style, { padding: "2px 4px", borderBottom: "1px solid #eee", verticalAlign: "top", wordBreak: "break-all" });
      }
      if (node === plot.selected) tr.style.background = "#ffe8b0";
      tr.style.cursor = "pointer";
      tr.addEventListener("click", () => select(node, true));
    });
    tableWrap.replaceChildren(table);
  };

  const { draw, drawNow, cancel } = frameScheduler(() => {
    plot.draw();
    renderTable();
  });

  const select = (node, reveal = false) => {
    plot.select(node);
    if (reveal && node !== undefined) plot.reveal(node);
    const detail = node === undefined ? null : { index: node, node: plot.node(node), row: plot.row(node) };
    handle.value = detail;
    root.value = detail;
    root.dispatchEvent(new Event("input", { bubbles: true }));
    emit("select", detail);
    drawNow();
  };
  const toggle = (node) => {
    if (plot.toggle(node)) {
      emit("toggle", { index: node, collapsed: plot.isCollapsed(node) });
      drawNow();
    }
  };

  const local = (ev) => localPoint(canvas, ev);
  let hovered;
  const hover = (x, y) => {
    const hit = plot.hitTest(x, y);
    const node = hit?.node;
    if (node !== hovered) emit("hover", node === undefined ? null : { index: node });
    hovered = node;
    if (node === undefined) {
      tooltip.style.display = "none";
      canvas.style.cursor = hit?.toggle !== undefined || hit?.overview !== undefined ? "pointer" : "grab";
      return;
    }
    showTooltip(tooltip, plot.tooltip(node), x, y, ...size());
    canvas.style.cursor = "pointer";
  };

  let drag = null;
  const listeners = {
    pointerdown(ev) {
      if (ev.button !== 0) return;
      const [x, y] = local(ev);
      const hit = plot.hitTest(x, y);
      drag = { x, y, moved: false, overview: hit?.overview !== undefined };
      if (drag.overview) {
        plot.scrollToFraction(hit.overview);
        draw();
      }
      canvas.setPointerCapture?.(ev.pointerId);
    },
    pointermove(ev) {
      const [x, y] = local(ev);
      if (drag) {
        if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 2) drag.moved = true;
        if (drag.overview) {
          const hit = plot.hitTest(Math.max(x, 0), y);
          if (hit?.overview !== undefined) plot.scrollToFraction(hit.overview);
        } else {
          plot.pan(x - drag.x, y - drag.y);
        }
        drag.x = x;
        drag.y = y;
        tooltip.style.display = "none";
        draw();
        return;
      }
      hover(x, y);
    },
    pointerup(ev) {
      const d = drag;
      drag = null;
      canvas.releasePointerCapture?.(ev.pointerId);
      if (!d || d.moved || d.overview) return;
      const [x, y] = local(ev);
      const hit = plot.hitTest(x, y);
      if (hit?.toggle !== undefined) toggle(hit.toggle);
      else if (hit?.node !== undefined) select(hit.node);
    },
    pointercancel() {
      drag = null;
    },
    pointerleave() {
      if (!drag) tooltip.style.display = "none";
    },
    wheel(ev) {
      ev.preventDefault();
      const [x, y] = local(ev);
      const lines = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? 400 : 1;
      if (ev.shiftKey) plot.pan(0, -ev.deltaY * lines);
      else plot.zoomAt(Math.exp(-ev.deltaY * lines * 0.0015), x, y);
      drawNow();
      hover(x, y);
    },
    dblclick(ev) {
      const [x, y] = local(ev);
      const hit = plot.hitTest(x, y);
      if (hit?.node !== undefined) toggle(hit.node);
    },
    keydown(ev) {
      const [w, h] = size();
      const actions = {
        ...viewKeys(plot, w, h),
        PageUp: () => plot.pan(0, h * 0.9),
        PageDown: () => plot.pan(0, -h * 0.9),
        Home: () => plot.scrollToFraction(0),
        End: () => plot.scrollToFraction(1),
      };
      const act = actions[ev.key];
      if (act) {
        ev.preventDefault();
        act();
        draw();
      }
    },
  };
  const detach = attach(canvas, listeners, wrap, (w, h) => {
    plot.resize(w, h, dpr());
    drawNow();
  }, opts.freeWhenDetached === false ? null : () => handle.destroy());
  drawNow();

  let matches = [];
  let current = -1;
  const jump = (step) => {
    if (!matches.length) return undefined;
    current = (current + step + matches.length) % matches.length;
    select(matches[current], true);
    return matches[current];
  };

  let destroyed = false;
  const handle = {
    element: root,
    canvas,
    /** The selected process `{ index, node, row }` (also `element.value`, with an `input` event). */
    value: null,
    /** Listens to "select" ({index, node, row} or null), "toggle" ({index, collapsed}) or "hover". */
    on(type, fn) {
      if (!handlers[type]) throw new TypeError(`plotProcessTree: unknown event "${type}" (${EVENTS.join(", ")})`);
      handlers[type].add(fn);
      return () => handlers[type].delete(fn);
    },
    /** New options merged into the current ones; the view, collapsed nodes, marks and selection stay. */
    update(next = {}) {
      const merged = { ...opts, ...next };
      delete merged.schema;
      if (Object.keys(next).some((k) => STYLE_KEYS.includes(k))) plot.update(wasmOptions(merged));
      opts = merged;
      if (next.height !== undefined) wrap.style.height = tableWrap.style.height = `${next.height ?? DEFAULT_HEIGHT}px`;
      if (next.width !== undefined) root.style.width = next.width ? `${next.width}px` : "100%";
      tableWrap.style.display = opts.showTable ? "block" : "none";
      canvas.setAttribute("aria-label", opts.title ?? "ProcessTree");
      const [w, h] = size();
      plot.resize(w, h, dpr());
      drawNow();
      return handle;
    },
    /** Marks the processes matching `text` (name, PID, command line, key); returns their indexes. */
    highlight(text) {
      matches = Array.from(plot.highlight(String(text ?? "")));
      current = -1;
      drawNow();
      return matches;
    },
    /** Selects and shows the next (or first) match; returns its index. */
    next: () => jump(1),
    /** Selects and shows the previous match; returns its index. */
    previous: () => jump(-1),
    /** Selects node `index` (undefined: nothing) and scrolls it into view. */
    select: (index) => select(index, true),
    /** Collapses or expands node `index`'s subtree. */
    toggle,
    /** Expands every node. */
    expandAll() {
      plot.expandAll();
      drawNow();
    },
    /** `[x, y, w, h]` of node `index`'s box in CSS px relative to the canvas, or undefined. */
    nodeBox: (index) => plot.nodeBox(index),
    /** The node at (x, y): `{ node }`, `{ toggle }`, `{ overview }` or undefined. */
    hitTest: (x, y) => plot.hitTest(x, y),
    /** Nodes shown, top to bottom (collapsed subtrees left out). */
    visibleNodes: () => Array.from(plot.visibleNodes()),
    /** Removes the plot and frees its wasm memory (a ProcessTree passed in stays usable). */
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
  // For code that only has the element (Observable's `view` keeps the element, not the handle).
  root.huntkitPlot = handle;
  return handle;
}
