import { init, buildProcessTree, describeTable, plotProcessTree } from "../npm/dist/index.js";

const DATASETS = {
  win_proc_test: { file: "./data/win_proc_test.arrow", legend: "SubjectUserName" },
  mde_proc_pub: { file: "./data/mde_proc_pub.arrow", legend: "AccountName" },
};
const $ = (id) => document.getElementById(id);
let plot = null;
let tree = null;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) → row objects; empty fields are null. */
export function parseCsv(text) {
  const records = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      records.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    records.push(row);
  }
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== "");
  if (!header) throw new Error("the CSV file is empty");
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] === undefined || r[k] === "" ? null : r[k]])));
}

/** A user's file as something buildProcessTree takes: Arrow bytes or row objects. */
async function readFile(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".json")) {
    const data = JSON.parse(await file.text());
    if (!Array.isArray(data)) throw new Error("the JSON file must hold an array of row objects");
    return data;
  }
  if (name.endsWith(".csv")) return parseCsv(await file.text());
  return new Uint8Array(await file.arrayBuffer());
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
