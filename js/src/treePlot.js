// plotProcessTree(): the process-tree plot on the shared plot controller, plus what only it
// has: the optional HTML table of the rows in view, search marks and select/toggle/hover
// events. All text goes in through textContent: command lines are attacker-controlled.
import { assertReady } from "./core.js";
import { JS_ONLY, mountPlot, without } from "./plot.js";
import { Plot, ProcessTree, optionKeys } from "./wasm/huntkit.js";

const DEFAULT_HEIGHT = 700; // MSTICPy's default figure height
const EVENTS = ["select", "toggle", "hover"];

/** Options that change the drawing: the plot's keys beyond the build's (declared in the core). */
let style = null;
function styleKeys() {
  if (!style) {
    const keys = optionKeys();
    style = keys.PlotProcessTreeOptions.filter((k) => !keys.ProcessTreeOptions.includes(k));
  }
  return style;
}

/** Listeners by event type: `on(type, fn)` (returns the unsubscribe) and `emit(type, detail)`. */
function eventHub(types, name) {
  const handlers = Object.fromEntries(types.map((e) => [e, new Set()]));
  return {
    emit(type, detail) {
      for (const fn of handlers[type]) fn(detail);
    },
    on(type, fn) {
      if (!handlers[type]) throw new TypeError(`${name}: unknown event "${type}" (${types.join(", ")})`);
      handlers[type].add(fn);
      return () => handlers[type].delete(fn);
    },
  };
}

/** `"Key: value"` → `["Key", "value"]` (a tooltip line). */
function field(line) {
  const at = line.indexOf(": ");
  return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 2)];
}

/**
 * The HTML table of the rows in view, one line each, built from the tooltip fields into `wrap`;
 * a click on a row calls `onSelect(node)`.
 */
function renderRowsTable(plot, wrap, onSelect) {
  const nodes = Array.from(plot.nodesInView());
  const lines = nodes.map((i) => plot.nodeTooltip(i));
  const skip = new Set(["Inferred parent", "Note"]);
  const columns = [];
  for (const l of lines) for (const [k] of l.map(field)) if (!skip.has(k) && !columns.includes(k)) columns.push(k);
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
    const values = Object.fromEntries(lines[k].map(field));
    for (const c of columns) {
      const td = tr.insertCell();
      td.textContent = values[c] ?? "";
      Object.assign(td.style, { padding: "2px 4px", borderBottom: "1px solid #eee", verticalAlign: "top", wordBreak: "break-all" });
    }
    if (node === plot.selectedNode) tr.style.background = "#ffe8b0";
    tr.style.cursor = "pointer";
    tr.addEventListener("click", () => onSelect(node));
  });
  wrap.replaceChildren(table);
}

/** Search marks: `highlight(text)` marks the matches; `next()`/`previous()` select them in turn. */
function searchMarks(plot, select, redraw) {
  let matches = [];
  let current = -1;
  const jump = (step) => {
    if (!matches.length) return undefined;
    current = (current + step + matches.length) % matches.length;
    select(matches[current]);
    return matches[current];
  };
  return {
    highlight(text) {
      matches = Array.from(plot.highlight(String(text ?? "")));
      current = -1;
      redraw();
      return matches;
    },
    next: () => jump(1),
    previous: () => jump(-1),
  };
}

/**
 * Draws the process tree of `treeOrTable` (a `ProcessTree`, or a table whose tree is built
 * with `options.schema` or an inferred schema) into `element` (or detached, with null). See
 * treePlot.d.ts.
 */
export function plotProcessTree(element, treeOrTable, options = {}) {
  assertReady();
  const events = eventHub(EVENTS, "plotProcessTree");
  const emit = events.emit;
  const tableWrap = document.createElement("div");
  tableWrap.className = "huntkit-tree-table";
  Object.assign(tableWrap.style, { flex: "0 0 42%", overflow: "auto", font: "12px sans-serif", display: options.showTable ? "block" : "none" });

  let ready = false; // the table is drawn once the handle exists
  const selection = (plot, index) => (index === undefined ? null : { index, node: plot.node(index), row: plot.row(index) });
  const core = mountPlot({
    name: "plotProcessTree",
    element,
    options,
    className: "huntkit-tree",
    defaultHeight: DEFAULT_HEIGHT,
    ariaLabel: (o) => o.title ?? "ProcessTree",
    tooltipStyle: { whiteSpace: "pre-wrap", maxWidth: "560px", wordBreak: "break-all" },
    panel: tableWrap,
    create: (canvas, w, h, dpr) =>
      treeOrTable instanceof ProcessTree
        ? Plot.treeOf(canvas, treeOrTable, without(options, JS_ONLY), w, h, dpr)
        : Plot.tree(canvas, treeOrTable, without(options, JS_ONLY), w, h, dpr),
    valueOf: (plot) => selection(plot, plot.selectedNode),
    onValue: (value) => emit("select", value),
    onToggle: (index) => emit("toggle", { index, collapsed: plot.isCollapsed(index) }),
    onHover: () => {
      const node = plot.hoveredNode;
      emit("hover", node === undefined ? null : { index: node });
    },
    afterDraw: () => ready && renderTable(),
  });
  const { plot } = core;

  /** Selects node `index` (undefined: nothing), shows it, and reports it (event and `input`). */
  const select = (index) => {
    plot.selectNode(index);
    if (index !== undefined) plot.reveal(index);
    core.setValue(selection(plot, index), true);
    core.drawNow();
  };

  const renderTable = () => core.options.showTable && renderRowsTable(plot, tableWrap, select);
  ready = true;
  renderTable();
  const search = searchMarks(plot, select, () => core.drawNow());

  const handle = {
    element: core.element,
    canvas: core.canvas,
    /** The selected process `{ index, node, row }` (also `element.value`, with an `input` event). */
    get value() {
      return core.value;
    },
    /** Listens to "select" ({index, node, row} or null), "toggle" ({index, collapsed}) or "hover". */
    on: events.on,
    /** New options merged into the current ones; the view, collapsed nodes, marks and selection stay. */
    update(next = {}) {
      const restyle = Object.keys(next).some((k) => styleKeys().includes(k));
      core.setOptions(
        Object.fromEntries(Object.entries(next).filter(([k]) => k !== "schema")),
        restyle ? (merged) => plot.update(without(merged, [...JS_ONLY, "schema"])) : null,
      );
      tableWrap.style.display = core.options.showTable ? "block" : "none";
      core.drawNow();
      return handle;
    },
    /** Marks the processes matching `text` (name, PID, command line, key); returns their indexes. */
    highlight: search.highlight,
    /** Selects and shows the next (or first) match; returns its index. */
    next: search.next,
    /** Selects and shows the previous match; returns its index. */
    previous: search.previous,
    /** Selects node `index` (undefined: nothing) and scrolls it into view. */
    select,
    /** Collapses or expands node `index`'s subtree. */
    toggle(index) {
      if (plot.toggle(index)) {
        emit("toggle", { index, collapsed: plot.isCollapsed(index) });
        core.drawNow();
      }
    },
    /** Expands every node. */
    expandAll() {
      plot.expandAll();
      core.drawNow();
    },
    /** `[x, y, w, h]` of node `index`'s box in CSS px relative to the canvas, or undefined. */
    nodeBox: (index) => plot.nodeBox(index),
    /** The node at (x, y): `{ node }`, `{ toggle }`, `{ overview }` or undefined. */
    hitTest: (x, y) => plot.treeHit(x, y),
    /** Nodes shown, top to bottom (collapsed subtrees left out). */
    visibleNodes: () => Array.from(plot.visibleNodes()),
    /** Removes the plot and frees its wasm memory (a ProcessTree passed in stays usable). */
    destroy: core.destroy,
  };
  // For code that only has the element (Observable's `view` keeps the element, not the handle).
  core.element.huntkitPlot = handle;
  return handle;
}
