import {
  init,
  AzureClient,
  msalTokenProvider,
  pastedTokenProvider,
  buildProcessTree,
  plotProcessTree,
  plotMatrix,
  extractIocsFromTable,
  describeTable,
} from "../npm/dist/index.js";

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 200;
let result = null; // the last ResultTable
let running = null; // AbortController of the call in flight
let view = null; // the plot in #view

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

/** An unsigned token for the local mock (it checks the audience, not a signature). */
function sampleToken(scope) {
  const b64 = (s) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const aud = scope.replace(/\/[^/]*$/, "");
  return `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ aud, exp: Math.floor(Date.now() / 1000) + 3600 }))}.sample`;
}

async function tokenProvider(cloud) {
  const mode = $("auth").value;
  if (mode === "sample") return async (scope) => sampleToken(scope);
  if (mode === "paste") return pastedTokenProvider($("token").value.split(/\s+/).filter(Boolean));
  let msal;
  try {
    msal = await import("./vendor/msal-browser.mjs");
  } catch {
    throw new Error("MSAL sign-in needs @azure/msal-browser served at /demo/vendor/msal-browser.mjs");
  }
  return msalTokenProvider({
    cloud,
    tenantId: $("tenant").value.trim() || "organizations",
    clientId: $("client").value.trim(),
    redirectUri: new URL("./vendor/redirect.html", location.href).href,
    msal,
  });
}

async function client() {
  const cloud = $("cloud").value;
  const [subscriptionId, resourceGroup, workspaceName] = $("sentinel").value.split("/");
  const options = {
    cloud,
    getToken: await tokenProvider(cloud),
    workspaceId: $("workspace").value.trim() || undefined,
    workspace: subscriptionId && resourceGroup && workspaceName ? { subscriptionId, resourceGroup, workspaceName } : undefined,
  };
  if ($("auth").value === "sample") {
    const base = `${location.origin}/mock-azure/${cloud}`;
    options.endpoints = {
      resourceManager: `${base}/arm/`,
      logAnalytics: `${base}/la/`,
      microsoftGraph: `${base}/graph/`,
      defender: `${base}/mde/`,
    };
  }
  return new AzureClient(options);
}

/** The first MAX_ROWS rows of `table` in #result, as text only. */
function showResult(table) {
  const rows = table.toRows();
  const columns = table.columns.map((c) => c.name);
  const head = $("result").tHead;
  const body = $("result").tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  const tr = head.insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c;
    tr.append(th);
  }
  for (const row of rows.slice(0, MAX_ROWS)) {
    const r = body.insertRow();
    for (const c of columns) {
      const v = row[c];
      r.insertCell().textContent = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
    }
  }
  for (const [select, pick] of [
    [$("mx"), 0],
    [$("my"), 1],
  ]) {
    select.replaceChildren(...columns.map((c) => new Option(c, c)));
    select.selectedIndex = Math.min(pick, columns.length - 1);
  }
  $("send").hidden = false;
  return rows.length;
}

async function run(event) {
  event.preventDefault();
  running?.abort();
  running = new AbortController();
  const signal = running.signal;
  $("cancel").disabled = false;
  $("warnings").textContent = "";
  setStatus("running…");
  const started = performance.now();
  try {
    const az = await client();
    const query = $("query").value;
    const timespan = $("timespan").value.trim() || undefined;
    let out;
    switch ($("api").value) {
      case "logAnalytics":
        out = await az.logAnalytics.query(query, { timespan, signal });
        break;
      case "resourceGraph":
        out = await az.resourceGraph.query(query, { signal });
        break;
      case "incidents":
        out = await az.sentinel.incidents({ top: 50, signal });
        break;
      default:
        out = await az.hunting.query(query, { timespan, signal });
    }
    az.free();
    result = out.table;
    const n = result ? showResult(result) : 0;
    $("warnings").textContent = out.warnings.join("\n");
    const ms = Math.round(performance.now() - started);
    setStatus(`${n} rows, ${out.tables.length} table(s), ${out.pages} page(s), ${out.requests} request(s) in ${ms} ms`);
  } catch (err) {
    setStatus(`${err.name}${err.code ? ` (${err.code})` : ""}: ${err.message}`, true);
  } finally {
    $("cancel").disabled = true;
  }
}

function show(make) {
  try {
    view?.destroy?.();
    view = null;
    $("view").replaceChildren();
    view = make();
  } catch (err) {
    setStatus(`${err.name}: ${err.message}`, true);
  }
}

$("form").addEventListener("submit", run);
$("cancel").addEventListener("click", () => running?.abort());
$("toTree").addEventListener("click", () =>
  show(() => {
    const tree = buildProcessTree(result);
    const s = tree.summary();
    setStatus(`process tree (${tree.schemaName}): ${s.processes} processes, ${s.roots} roots, ${s.inferred} inferred, depth ${s.maxDepth}`);
    const div = document.createElement("div");
    $("view").append(div);
    return plotProcessTree(div, tree, { height: 520, title: "query result: process tree" });
  }),
);
$("toMatrix").addEventListener("click", () =>
  show(() => {
    const div = document.createElement("div");
    $("view").append(div);
    const plot = plotMatrix(div, result, { xCol: $("mx").value, yCol: $("my").value, height: 520 });
    const m = plot.matrix();
    setStatus(`matrix: ${m.rows} rows → ${m.cells.length} cells`);
    return plot;
  }),
);
$("toIocs").addEventListener("click", () =>
  show(() => {
    const columns = describeTable(result)
      .columns.filter((c) => c.type === "Utf8")
      .map((c) => c.name);
    const iocs = extractIocsFromTable(result, { columns });
    const rows = iocs.toRows();
    const pre = document.createElement("pre");
    pre.id = "iocs";
    pre.textContent = rows
      .slice(0, MAX_ROWS)
      .map((r) => `${r.IoCType}\t${r.Observable}\t${r.Column}[${r.SourceIndex}]`)
      .join("\n");
    $("view").append(pre);
    setStatus(`IoCs: ${rows.length} in ${columns.length} text columns`);
    return null;
  }),
);

await init();
window.__HUNTKIT_READY__ = true;
