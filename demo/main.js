import { init, describeTable, plotMatrix } from "../npm/dist/index.js";

const DATASETS = {
  az_net_flows: { file: "./data/az_net_flows.arrow", x: "L7Protocol", y: "AllExtIPs", valueCol: "TotalAllowedFlows" },
  net_synth_5000: { file: "./data/net_synth_5000.arrow", x: "SourceIP", y: "DestinationIP", valueCol: "Bytes" },
};
const $ = (id) => document.getElementById(id);
const status = $("status");
let plot = null;
let table = null;

function setStatus(text, isError = false) {
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function fillSelect(select, names, value, blank) {
  select.replaceChildren();
  if (blank) select.append(new Option(blank, ""));
  for (const name of names) select.append(new Option(name, name));
  select.value = value ?? "";
}

function options() {
  const valueCol = $("valueCol").value || null;
  $("distCount").disabled = !valueCol;
  return {
    x: $("x").value,
    y: $("y").value,
    valueCol,
    distCount: Boolean(valueCol) && $("distCount").checked,
    logSize: $("logSize").checked,
    invert: $("invert").checked,
    intersect: $("intersect").checked,
    sort: $("sort").value || null,
    title: `${$("dataset").value}: ${$("x").value} × ${$("y").value}`,
  };
}

function describe(m) {
  const skipped = m.skippedRows ? `, ${m.skippedRows} rows skipped (null x or y)` : "";
  setStatus(`${m.rows} rows → ${m.cells.length} cells, ${m.xLabels.length} × ${m.yLabels.length} labels${skipped}`);
}

function redraw() {
  try {
    if (plot) plot.update(options());
    else plot = plotMatrix($("plot"), table, { ...options(), height: 640 });
    describe(plot.matrix());
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
}

async function load(name) {
  const spec = DATASETS[name];
  const bytes = new Uint8Array(await (await fetch(spec.file)).arrayBuffer());
  table = bytes;
  const columns = describeTable(bytes).columns.map((c) => c.name);
  fillSelect($("x"), columns, spec.x);
  fillSelect($("y"), columns, spec.y);
  fillSelect($("valueCol"), columns, "", "(count rows)");
  if (plot) {
    plot.destroy();
    plot = null;
  }
  redraw();
}

await init();
$("controls").addEventListener("change", (ev) => {
  if (ev.target.id === "dataset") load(ev.target.value);
  else redraw();
});
$("plot").addEventListener("input", (ev) => {
  const cell = ev.target.value;
  $("selected").textContent = cell ? `selected: ${JSON.stringify(cell)}` : "";
});
await load($("dataset").value);
window.__huntkitPlot = () => plot;
window.__HUNTKIT_READY__ = true;
