import { init, describeTable, plotTimeline, plotTimelineDuration, plotTimelineValues, readTable } from "../npm/dist/index.js";
import { readFile } from "./files.js";

/** Bundled data and the columns each plot starts with. */
const DATASETS = {
  az_net_flows: {
    file: "./data/az_net_flows.arrow",
    timeColumn: "FlowStartTime",
    groupBy: "L7Protocol",
    valueColumn: "TotalAllowedFlows",
    endTimeColumn: "FlowEndTime",
    sourceColumns: ["VMName", "AllExtIPs", "L7Protocol", "TotalAllowedFlows"],
  },
  win_proc_test: { file: "./data/win_proc_test.arrow", timeColumn: "TimeGenerated", groupBy: "Account" },
  net_synth_5000: {
    file: "./data/net_synth_5000.arrow",
    timeColumn: "TimeGenerated",
    groupBy: "Protocol",
    valueColumn: "Bytes",
    sourceColumns: ["SourceIP", "DestinationIP", "DestPort", "Bytes"],
  },
  generated: { timeColumn: "TimeGenerated", groupBy: "Host", valueColumn: "Bytes", sourceColumns: ["Host", "Process", "Bytes"] },
};
const $ = (id) => document.getElementById(id);
const plots = { events: null, values: null, duration: null };
let data = null;
let spec = {};
let marker = null;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "status error" : "status";
}

function fillSelect(select, names, value, blank) {
  select.replaceChildren();
  if (blank) select.append(new Option(blank, ""));
  for (const name of names) select.append(new Option(name, name));
  select.value = names.includes(value) ? value : blank ? "" : (names[0] ?? "");
}

/**
 * 200,000 events over 30 days on six hosts, with a burst on one of them: enough for the
 * density drawing (more events than half the pixel columns) and for the range selector to matter.
 */
function generated(n = 200_000) {
  const start = Date.UTC(2024, 0, 1);
  const hosts = ["dc01", "web01", "web02", "sql01", "ws-0042", "ws-0117"];
  const procs = ["svchost.exe", "powershell.exe", "cmd.exe", "rundll32.exe", "chrome.exe"];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const burst = i % 10 === 0;
    const t = burst ? start + 20 * 86_400_000 + random() * 3_600_000 : start + random() * 30 * 86_400_000;
    rows[i] = {
      TimeGenerated: new Date(Math.floor(t)),
      Host: burst ? "ws-0042" : hosts[Math.floor(random() * hosts.length)],
      Process: procs[Math.floor(random() * procs.length)],
      Bytes: Math.floor(random() * random() * 100_000),
    };
  }
  return rows;
}

function options() {
  const o = {
    timeColumn: $("timeColumn").value,
    groupBy: $("groupBy").value || null,
    legend: $("legend").value || null,
    rangeTool: $("rangeTool").checked,
    sourceColumns: spec.sourceColumns?.filter((c) => columns.includes(c)) ?? null,
  };
  if (marker) o.refTimes = [[marker, "selected"]];
  return o;
}

let columns = [];

function showSelection(sel) {
  $("mark").disabled = !sel;
  $("rows").replaceChildren();
  if (!sel) {
    $("selection").textContent = "";
    return;
  }
  const when = (d) => d.toISOString().replace("T", " ").replace("Z", "");
  const span = sel.start.getTime() === sel.end.getTime() ? `at ${when(sel.start)}` : `from ${when(sel.start)} to ${when(sel.end)}`;
  const per = sel.series.map((s) => `${s.name}: ${s.rows.length}`).join(", ");
  $("selection").textContent = `selected ${sel.count} event${sel.count === 1 ? "" : "s"} ${span}${per ? ` (${per})` : ""}`;
  const shown = plots.events.selectedTable().toRows().slice(0, 20);
  if (!shown.length) return;
  const cols = [...new Set([$("timeColumn").value, $("groupBy").value, ...(options().sourceColumns ?? [])])].filter((c) => c && c in shown[0]);
  const table = document.createElement("table");
  table.className = "rows";
  const head = table.createTHead().insertRow();
  for (const c of cols) head.append(Object.assign(document.createElement("th"), { textContent: c }));
  const body = table.createTBody();
  for (const r of shown) {
    const tr = body.insertRow();
    for (const c of cols) tr.insertCell().textContent = r[c] instanceof Date ? when(r[c]) : String(r[c] ?? "");
  }
  $("rows").append(table);
}

function describe() {
  const tl = plots.events.timeline();
  const events = tl.series.reduce((n, s) => n + s.rows.length, 0);
  const left = [];
  if (tl.skippedNullTimes) left.push(`${tl.skippedNullTimes} without a time`);
  if (tl.droppedNullGroups) left.push(`${tl.droppedNullGroups} with no ${$("groupBy").value}`);
  const dense = tl.series.filter((_, i) => plots.events.isDense(i)).length;
  setStatus(
    `${events} events in ${tl.series.length} series` +
      (left.length ? `; left out: ${left.join(", ")}` : "") +
      (dense ? `; ${dense} series drawn as a density` : ""),
  );
}

function destroyAll() {
  for (const k of Object.keys(plots)) {
    plots[k]?.destroy();
    plots[k] = null;
  }
}

/** (Re)draws the three plots from the controls. */
function redraw() {
  destroyAll();
  showSelection(null);
  $("clearMark").disabled = !marker;
  try {
    const o = options();
    plots.events = plotTimeline($("events"), data, { ...o, title: `${$("dataset").value} events` });
    plots.events.element.addEventListener("input", () => {
      const sel = plots.events.value;
      showSelection(sel);
      // The values plot follows the selection (no input event: no loop).
      plots.values?.select(sel?.start ?? null, sel?.end);
    });
    const valueColumn = $("valueColumn").value;
    $("valuesSection").className = valueColumn ? "" : "hidden";
    $("kind").disabled = !valueColumn;
    if (valueColumn) {
      plots.values = plotTimelineValues($("values"), data, { ...o, valueColumn, kind: $("kind").value.split(","), title: valueColumn });
    }
    const groupBy = o.groupBy ?? $("timeColumn").value;
    plots.duration = plotTimelineDuration($("duration"), data, {
      ...o,
      groupBy,
      endTimeColumn: spec.endTimeColumn && columns.includes(spec.endTimeColumn) ? spec.endTimeColumn : null,
      legend: null,
    });
    describe();
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
}

function useData(input, name) {
  // Row objects are converted once (not once per plot).
  data = Array.isArray(input) ? readTable(input) : input;
  spec = DATASETS[name] ?? {};
  marker = null;
  const described = describeTable(data).columns;
  columns = described.map((c) => c.name);
  const times = described.filter((c) => /^(Timestamp|Date)/.test(c.type) || /time|date/i.test(c.name)).map((c) => c.name);
  const numbers = described.filter((c) => /^(Float|Int|UInt)/.test(c.type)).map((c) => c.name);
  fillSelect($("timeColumn"), times.length ? times : columns, spec.timeColumn ?? times[0]);
  fillSelect($("groupBy"), columns, spec.groupBy, "(none)");
  fillSelect($("valueColumn"), numbers, spec.valueColumn, "(none)");
  redraw();
}

async function loadDataset(name) {
  if (name === "generated") return useData(generated(), name);
  const bytes = new Uint8Array(await (await fetch(DATASETS[name].file)).arrayBuffer());
  useData(bytes, name);
}

await init();
$("dataset").addEventListener("change", (ev) => loadDataset(ev.target.value));
$("file").addEventListener("change", async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  try {
    const input = await readFile(file);
    $("dataset").value = "file";
    useData(input, "file");
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
});
for (const id of ["timeColumn", "groupBy", "valueColumn", "kind", "legend", "rangeTool"]) $(id).addEventListener("change", redraw);
$("mark").addEventListener("click", () => {
  marker = plots.events?.value?.start ?? null;
  redraw();
});
$("clearMark").addEventListener("click", () => {
  marker = null;
  redraw();
});
$("controls").addEventListener("submit", (ev) => ev.preventDefault());
await loadDataset($("dataset").value);
window.__huntkitTimelines = () => plots;
window.__HUNTKIT_READY__ = true;
