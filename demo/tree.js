import { init, buildProcessTree, describeTable, plotProcessTree } from "../npm/dist/index.js";
import { readFile } from "./files.js";

const DATASETS = {
  win_proc_test: { file: "./data/win_proc_test.arrow", legend: "SubjectUserName" },
  mde_proc_pub: { file: "./data/mde_proc_pub.arrow", legend: "AccountName" },
};
const $ = (id) => document.getElementById(id);
// The controls act as they change; Enter must not submit (reload) the page.
$("controls").addEventListener("submit", (e) => e.preventDefault());
let plot = null;
let tree = null;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function columnsOf(input) {
  if (input instanceof Uint8Array) return describeTable(input).columns.map((c) => c.name);
  return [...new Set(input.flatMap((r) => Object.keys(r)))];
}

function show(input, label, legend) {
  plot?.destroy();
  tree?.free();
  plot = null;
  tree = null;
  $("matches").textContent = "";
  $("selected").textContent = "";
  try {
    tree = buildProcessTree(input);
    const columns = columnsOf(input);
    const legendSelect = $("legend");
    legendSelect.replaceChildren(new Option("(depth)", ""));
    for (const c of columns) legendSelect.append(new Option(c, c));
    legendSelect.value = columns.includes(legend) ? legend : "";
    plot = plotProcessTree($("plot"), tree, {
      height: 640,
      title: `${label}: process tree (${tree.schemaName} schema)`,
      legendCol: legendSelect.value || null,
      showTable: $("showTable").checked,
    });
    plot.on("select", (sel) => {
      $("selected").textContent = sel
        ? `selected: ${sel.node.name} (PID ${sel.node.pid})${sel.node.inferred ? " [inferred]" : ""}\n${sel.node.key}`
        : "";
    });
    const s = tree.summary();
    setStatus(
      `${s.rowsIn} rows → ${s.processes} processes (${s.inferred} inferred), ${s.roots} roots, depth ${s.maxDepth}` +
        (s.flagged ? `, ${s.flagged} flagged` : ""),
    );
    if ($("search").value) search();
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
}

function search() {
  if (!plot) return;
  const found = plot.highlight($("search").value);
  $("matches").textContent = $("search").value ? `${found.length} match${found.length === 1 ? "" : "es"}` : "";
}

async function loadDataset(name) {
  const spec = DATASETS[name];
  const bytes = new Uint8Array(await (await fetch(spec.file)).arrayBuffer());
  show(bytes, name, spec.legend);
}

await init();
$("dataset").addEventListener("change", (ev) => loadDataset(ev.target.value));
$("file").addEventListener("change", async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  try {
    const input = await readFile(file);
    $("dataset").value = "file";
    show(input, file.name, null);
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
});
$("legend").addEventListener("change", () => plot?.update({ legendCol: $("legend").value || null }));
$("showTable").addEventListener("change", () => plot?.update({ showTable: $("showTable").checked }));
$("search").addEventListener("input", search);
$("next").addEventListener("click", () => plot?.next());
$("prev").addEventListener("click", () => plot?.previous());
await loadDataset($("dataset").value);
window.__huntkitTree = () => plot;
window.__HUNTKIT_READY__ = true;
