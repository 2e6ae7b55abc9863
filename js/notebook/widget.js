// The anywidget front end of huntkit's Python package: draws huntkit's plots in a notebook's
// output area (JupyterLab, JupyterLite, VS Code, Colab, marimo). js/python/build.sh bundles this
// file and huntkit's ESM into one `_esm` file.
//
// The wasm does not come from a URL (an anywidget `_esm` runs from a `blob:` URL, where
// `import.meta.url` is useless): the view asks its kernel for the bytes with a custom message,
// once per page. Every later widget of the same wasm (same content hash) reuses the huntkit
// that the first one initialised.
import * as huntkit from "huntkit";
import { plainValue, toPython } from "./values.js";

const RUNTIMES = Symbol.for("huntkit.notebook.runtimes");

/** Promises of initialised huntkit modules, by wasm content hash, shared by every widget of the page. */
function runtimes() {
  globalThis[RUNTIMES] ??= new Map();
  return globalThis[RUNTIMES];
}

/** The wasm bytes of `hash`, asked from the kernel behind `model` (sent gzip-compressed). */
function requestWasm(model, hash) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg, buffers) => {
      if (msg?.type !== "huntkit:wasm" || msg.hash !== hash || !buffers?.length) return;
      model.off("msg:custom", onMessage);
      const view = buffers[0];
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      if (msg.encoding !== "gzip") return resolve(bytes);
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      new Response(stream).arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject);
    };
    model.on("msg:custom", onMessage);
    model.send({ type: "huntkit:wasm?", hash });
  });
}

/** huntkit, initialised with the wasm `model` names (fetched from the kernel once per page). */
export function runtime(model) {
  const hash = model.get("_wasm_hash");
  const cache = runtimes();
  let entry = cache.get(hash);
  if (!entry) {
    entry = requestWasm(model, hash).then(async (bytes) => {
      await huntkit.init(bytes);
      const loads = (globalThis.__huntkitWasmLoads ?? 0) + 1;
      globalThis.__huntkitWasmLoads = loads; // read by the notebook tests
      return huntkit;
    });
    entry.catch(() => cache.delete(hash));
    cache.set(hash, entry);
  }
  return entry;
}

/** The table a model carries: Arrow IPC bytes, or row objects sent as JSON. */
function tableOf(model) {
  const view = model.get("_table");
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (model.get("_table_format") === "json") return JSON.parse(new TextDecoder().decode(bytes));
  // A copy: the plot reads columns lazily, and the widget manager may reuse its buffer.
  return bytes.slice();
}

/** The extra tables a model carries (`_tables`), by key: Arrow bytes or rows. */
function extraTables(model) {
  const out = {};
  for (const [key, t] of Object.entries(model.get("_tables") ?? {})) {
    const view = t.data;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    out[key] = t.format === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : bytes.slice();
  }
  return out;
}

/** `options` with each `{ $table: key }` replaced by that table. */
function withTables(options, tables) {
  if (Array.isArray(options)) return options.map((v) => withTables(v, tables));
  if (options === null || typeof options !== "object") return options;
  if (typeof options.$table === "string") {
    if (!(options.$table in tables)) throw new Error(`table "${options.$table}" was not sent`);
    return tables[options.$table];
  }
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, withTables(v, tables)]));
}

/** A timeline kind: `$data` (MSTICPy's dict input) replaces the table when given. */
const timelineKind = (plot) => ({
  draw: (hk, el, table, { $data, ...options }) => hk[plot](el, $data ?? table, { ...options, freeWhenDetached: false }),
  // The span (or clicked event): start/end as ISO text, count, rows and per-series rows.
  selected: (value) => (value ? plainValue(value) : null),
});

/** Each plot kind: how to draw it and what its selection looks like in Python. */
// The widget frees its plot when the view goes (the render's cleanup), not when the notebook
// takes its output out of the page for a while (windowing, moving cells): `freeWhenDetached: false`.
const KINDS = {
  processTree: {
    draw: (hk, el, table, options) => hk.plotProcessTree(el, table, { ...options, freeWhenDetached: false }),
    // The clicked process: its input row (column names as they are), and its proc_key.
    selected: (value) => (value?.row ? plainValue(value.row) : null),
    extra: (value) => ({ selected_key: value?.node?.key ?? null }),
  },
  matrix: {
    draw: (hk, el, table, options) => hk.plotMatrix(el, table, { ...options, freeWhenDetached: false }),
    selected: (cell) => (cell ? toPython(cell) : null),
  },
  timeline: timelineKind("plotTimeline"),
  timelineValues: timelineKind("plotTimelineValues"),
  timelineDuration: timelineKind("plotTimelineDuration"),
};

/** A HuntkitError (or any error) as `{ code, message }`. */
function errorInfo(err) {
  return { code: typeof err?.code === "string" ? err.code : "error", message: String(err?.message ?? err) };
}

function errorBox(info) {
  const box = document.createElement("div");
  box.className = "huntkit-error";
  box.setAttribute("role", "alert");
  Object.assign(box.style, {
    font: "13px ui-monospace, monospace",
    color: "#b00020",
    background: "#fff3f3",
    border: "1px solid #f3c4c4",
    borderRadius: "4px",
    padding: "6px 8px",
    whiteSpace: "pre-wrap",
  });
  box.textContent = `HuntkitError [${info.code}]: ${info.message}`;
  return box;
}

function status(text) {
  const line = document.createElement("div");
  line.className = "huntkit-status";
  Object.assign(line.style, { font: "12px sans-serif", color: "#666", padding: "4px 0" });
  line.textContent = text;
  return line;
}

async function render({ model, el }) {
  performance.mark("huntkit:render");
  el.classList.add("huntkit-widget");
  const waiting = status("huntkit: loading…");
  el.replaceChildren(waiting);
  let hk;
  try {
    hk = await runtime(model);
  } catch (err) {
    el.replaceChildren(errorBox(errorInfo(err)));
    return undefined;
  }
  let plot = null;
  let shown = false;
  const report = (info) => {
    model.set("error", info);
    model.save_changes();
  };
  const onInput = () => {
    const kind = KINDS[model.get("_kind")];
    for (const [name, v] of Object.entries(kind.extra?.(plot.value) ?? {})) model.set(name, v);
    model.set("selected", kind.selected(plot.value));
    model.save_changes();
  };
  const draw = () => {
    plot?.destroy();
    plot = null;
    delete el.huntkitPlot;
    el.replaceChildren();
    const kind = KINDS[model.get("_kind")];
    try {
      if (!kind) throw new Error(`this huntkit front end cannot draw "${model.get("_kind")}"; update the huntkit package`);
      const table = tableOf(model);
      performance.mark("huntkit:table");
      plot = kind.draw(hk, el, table, withTables(model.get("_options"), extraTables(model)));
      performance.mark("huntkit:drawn");
      plot.element.addEventListener("input", onInput);
      el.huntkitPlot = plot; // the JS plot handle, for scripts in the page
      if (model.get("error") !== null) report(null);
    } catch (err) {
      const info = errorInfo(err);
      el.replaceChildren(errorBox(info));
      report(info);
    }
    shown = true;
  };
  const redraw = () => shown && draw();
  model.on("change:_table", redraw);
  model.on("change:_options", redraw);
  model.on("change:_kind", redraw);
  model.on("change:_tables", redraw);
  draw();
  return () => {
    model.off("change:_table", redraw);
    model.off("change:_options", redraw);
    model.off("change:_kind", redraw);
    model.off("change:_tables", redraw);
    plot?.destroy();
    plot = null;
    delete el.huntkitPlot;
  };
}

export default { render };
