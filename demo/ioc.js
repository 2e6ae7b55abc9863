import { init, extractIocs, extractIocsFromTable } from "../npm/dist/index.js";

const $ = (id) => document.getElementById(id);
// The controls act as they change; Enter must not submit (reload) the page.
$("controls").addEventListener("submit", (e) => e.preventDefault());

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function options() {
  const o = {};
  for (const k of ["ignoreTlds", "excludePrivate", "decode", "schemelessUrls"]) o[k] = $(k).checked;
  return o;
}

/** A table of `rows` (arrays of cell text) under `headers`; text only, never HTML. */
function showTable(headers, rows) {
  const head = $("matches").tHead;
  const body = $("matches").tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  const tr = head.insertRow();
  for (const h of headers) {
    const th = document.createElement("th");
    th.textContent = h;
    tr.append(th);
  }
  for (const row of rows) {
    const r = body.insertRow();
    row.forEach((v, i) => {
      const td = r.insertCell();
      td.textContent = v;
      if (i === 1 || i === 2) td.className = "mono";
    });
  }
}

/** The text with each outermost match marked (defanged ones in red), built from text nodes. */
function showMarked(text, found) {
  const out = $("marked");
  out.replaceChildren();
  let at = 0;
  for (const m of found) {
    if (m.start < at) continue; // inside an earlier (containing) match
    out.append(text.slice(at, m.start));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(m.start, m.end);
    mark.title = `${m.type}: ${m.value}${m.decoded.length ? ` (${m.decoded.join(" → ")})` : ""}`;
    if (m.defanged) mark.className = "defanged";
    out.append(mark);
    at = m.end;
  }
  out.append(text.slice(at));
}

function extract() {
  const text = $("text").value;
  try {
    const t0 = performance.now();
    const found = extractIocs(text, options());
    const ms = performance.now() - t0;
    showMarked(text, found);
    showTable(
      ["type", "value", "original", "offsets", "defanged", "decoded"],
      found.map((m) => [m.type, m.value, m.original, `${m.start}–${m.end}`, m.defanged ? "yes" : "", m.decoded.join(" → ")]),
    );
    setStatus(`${found.length} indicators in ${ms.toFixed(1)} ms`);
  } catch (e) {
    setStatus(`${e.name}: ${e.message}`, true);
  }
}

async function fromTable() {
  try {
    const bytes = new Uint8Array(await (await fetch("./data/win_proc_test.arrow")).arrayBuffer());
    const t0 = performance.now();
    const out = extractIocsFromTable(bytes, { columns: ["CommandLine", "NewProcessName"], includePaths: true, ...options() });
    const ms = performance.now() - t0;
    const rows = out.toRows();
    out.free();
    $("marked").replaceChildren();
    showTable(
      ["IoCType", "Observable", "Input", "SourceIndex", "Column", "Start–End"],
      rows.map((r) => [r.IoCType, r.Observable, r.Input, String(r.SourceIndex), r.Column, `${r.Start}–${r.End}`]),
    );
    setStatus(`${rows.length} indicators in 1,000 process events in ${ms.toFixed(1)} ms`);
  } catch (e) {
    setStatus(`${e.name}: ${e.message}`, true);
  }
}

await init();
$("text").value = await (await fetch("./data/ioc_report.txt")).text();
$("extract").addEventListener("click", extract);
$("table").addEventListener("click", fromTable);
for (const k of ["ignoreTlds", "excludePrivate", "decode", "schemelessUrls"]) $(k).addEventListener("change", extract);
extract();
window.__HUNTKIT_READY__ = true;
