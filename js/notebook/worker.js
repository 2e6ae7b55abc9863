// huntkit inside a Pyodide kernel (JupyterLite runs Python in a Web Worker): the functions the
// Python package calls through Pyodide's JS bridge. js/python/build.sh bundles this file with
// huntkit's ESM as a classic script (IIFE, global `huntkit`), so Python loads it synchronously
// and initialises the wasm with `initSync` (synchronous compilation is allowed in workers).
//
// Options arrive as JSON text and results leave as JSON text or Arrow IPC bytes: plain data
// crosses the bridge, never proxies that Python would have to free. Absent values are
// `undefined` (Python's None; Pyodide turns `null` into `jsnull`).
import * as hk from "huntkit";
import { toJson } from "./values.js";

export { initSync } from "huntkit";

const parse = (json) => (json ? JSON.parse(json) : undefined);

/** A huntkit table as Python wants it: Arrow IPC bytes, or rows as JSON text; with its column types. */
function result(table, want) {
  return {
    columns: table.columns,
    arrow: want === "arrow" ? table.toArrow() : undefined,
    rows: want === "arrow" ? undefined : toJson(table.toRows()),
  };
}

/** The text's indicators as JSON rows with MSTICPy's column names (offsets are UTF-16). */
export function extractIocs(text, optionsJson) {
  const rows = hk.extractIocs(text, parse(optionsJson)).map((m) => ({
    IoCType: m.type,
    Observable: m.value,
    Original: m.original,
    Start: m.start,
    End: m.end,
    Defanged: m.defanged,
    Decoded: m.decoded.length ? m.decoded.join(">") : null,
  }));
  return JSON.stringify(rows);
}

/** Indicators in table columns (`extractIocsFromTable`), as a result. */
export function extractIocsFromTable(table, optionsJson, want) {
  return result(hk.extractIocsFromTable(table, parse(optionsJson)), want);
}

export const refang = (text) => hk.refang(text);

/** The process tree of `table` (every input column plus the tree's), as a result. */
export function buildProcessTree(table, optionsJson, want) {
  const tree = hk.buildProcessTree(table, parse(optionsJson));
  try {
    return { ...result(hk.readTable(tree.toArrow()), want), summary: toJson(tree.summary()) };
  } finally {
    tree.free();
  }
}

/** The matrix cells of `table` (`matrix(...).arrow` as a table), as a result. */
export function matrixData(table, optionsJson, want) {
  const m = hk.matrix(table, parse(optionsJson));
  const cells = {
    columns: [],
    toArrow: () => m.arrow,
    toRows: () => m.cells.map((c) => ({ [m.xColumn]: c.x, [m.yColumn]: c.y, [m.valueName]: c.value, size: c.size, plot_size: c.plotSize })),
  };
  cells.columns = [
    { name: m.xColumn, type: "Utf8" },
    { name: m.yColumn, type: "Utf8" },
    { name: m.valueName, type: "Float64" },
    { name: "size", type: "Float64" },
    { name: "plot_size", type: "Float64" },
  ];
  return { ...result(cells, want), skippedRows: m.skippedRows };
}

/** `describeTable` as JSON text. */
export const describeTable = (table) => toJson(hk.describeTable(table));

/**
 * An `AzureClient` whose tokens are `pasted` (JSON text of an array of tokens: each used only
 * for its audience), or else come from `getToken(scope, forceRefresh)`: a Python callable that
 * returns the token, or `{ error, code }` when it has none (its message then reaches the user).
 */
export function azureClient(optionsJson, pasted, getToken) {
  const options = parse(optionsJson) ?? {};
  const fromPython = (scope, opts) => {
    const token = getToken(scope, Boolean(opts?.forceRefresh));
    if (typeof token === "string") return token;
    const err = new Error(token?.error ?? "no token");
    err.errorCode = token?.code;
    throw err;
  };
  return new hk.AzureClient({ ...options, getToken: pasted ? hk.pastedTokenProvider(JSON.parse(pasted)) : fromPython });
}

/** The `{ url, scope }` and sign-in authority of `cloud`'s APIs, as JSON text (no tokens involved). */
export function cloudEndpoints(optionsJson) {
  const options = parse(optionsJson) ?? {};
  const client = new hk.AzureClient({ ...options, getToken: () => Promise.reject(new Error("no token")) });
  try {
    const apis = ["resourceManager", "logAnalytics", "microsoftGraph", "defender"];
    return toJson({
      cloud: client.cloud,
      authority: client.authority,
      apis: Object.fromEntries(apis.map((api) => [api, client.endpoint(api)])),
    });
  } finally {
    client.free();
  }
}

/** Runs an Azure call (`client[group][method](...args)`) and hands back its table and warnings. */
export async function azureCall(client, group, method, argsJson, want) {
  const args = parse(argsJson) ?? [];
  const r = await client[group][method](...args);
  return { ...result(r.table, want), warnings: toJson(r.warnings ?? []), pages: r.pages ?? 1 };
}
