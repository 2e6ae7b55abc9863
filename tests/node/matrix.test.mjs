// node --test on the built package, imported by name through its `exports` map.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import {
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  makeTable,
  LargeUtf8,
  Int64,
} from "apache-arrow";

import * as huntkit from "huntkit";

const fixture = (name) => new URL(`../fixtures/${name}`, import.meta.url);
const flows = new Uint8Array(readFileSync(fixture("az_net_flows.arrow")));
const opts = { x: "L7Protocol", y: "AllExtIPs" };

/** MSTICPy's golden CSV as [x, y, value, size, plotSize] rows (NaN for empty fields). */
function golden(name) {
  const text = readFileSync(new URL(`../golden/matrix/${name}.csv`, import.meta.url), "utf8");
  return text
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map((v, i) => (i < 2 ? v : v === "" ? NaN : Number(v))));
}

const cellsOf = (m) => m.cells.map((c) => [c.x, c.y, c.value, c.size, c.plotSize]);

function assertCellsClose(actual, expected) {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    assert.deepEqual(row.slice(0, 2), expected[i].slice(0, 2), `cell ${i}`);
    for (let k = 2; k < 5; k++) {
      const [a, e] = [row[k], expected[i][k]];
      assert.ok(Object.is(a, e) || Math.abs(a - e) <= 1e-9 * Math.abs(e), `cell ${i} col ${k}: ${a} vs ${e}`);
    }
  });
}

test("the package exports exactly the documented API", () => {
  assert.deepEqual(Object.keys(huntkit).sort(), [
    "AzureClient",
    "IocExtractor",
    "buildProcessTree",
    "defang",
    "describeTable",
    "extractIocs",
    "extractIocsFromTable",
    "init",
    "initSync",
    "matrix",
    "memoryUsage",
    "msalTokenProvider",
    "pastedTokenProvider",
    "plotMatrix",
    "plotProcessTree",
    "plotTimeline",
    "plotTimelineDuration",
    "plotTimelineValues",
    "readTable",
    "refang",
    "setMemoryLimit",
    "timelineDuration",
    "timelineSeries",
  ]);
  const pkg = JSON.parse(readFileSync(new URL("../../npm/package.json", import.meta.url), "utf8"));
  assert.equal(pkg.name, "huntkit");
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.equal(pkg.type, "module");
});

test("matrix on Arrow IPC (file format) matches MSTICPy's goldens", () => {
  const m = huntkit.matrix(flows, opts);
  assert.deepEqual(m.xLabels, ["ftp", "http", "https", "microsoft-ds", "ms-wbt-server", "ntp", "ssh"]);
  assert.equal(m.yLabels.length, 87);
  assert.deepEqual([m.rows, m.skippedRows, m.measure, m.valueName], [460, 0, "count", "row_count"]);
  assertCellsClose(cellsOf(m), golden("az_net_flows__L7Protocol_x_AllExtIPs__count"));
  const v = huntkit.matrix(flows, { ...opts, valueCol: "TotalAllowedFlows", logSize: true, invert: true });
  assertCellsClose(cellsOf(v), golden("az_net_flows__L7Protocol_x_AllExtIPs__value_col+log_size+invert"));
  // Rows with a null VMIPAddress are skipped and counted.
  const s = huntkit.matrix(flows, { x: "VMIPAddress", y: "AllExtIPs", valueCol: "DestPort", distCount: true });
  assert.deepEqual([s.skippedRows, s.cells.length], [8, 84]);
  assertCellsClose(cellsOf(s), golden("az_net_flows__VMIPAddress_x_AllExtIPs__dist_count"));
});

test("every string encoding and row objects give the same cells", () => {
  const rows = [
    { src: "10.0.0.1", dst: "a.example", bytes: 10n },
    { src: "10.0.0.1", dst: "a.example", bytes: 5n },
    { src: "10.0.0.2", dst: "b.example", bytes: 7n },
    { src: null, dst: "b.example", bytes: 1n },
  ];
  const want = [
    ["10.0.0.1", "a.example", 15, 15, 10],
    ["10.0.0.2", "b.example", 7, 7, 10 * (7 / 15)],
  ];
  const o = { x: "src", y: "dst", valueCol: "bytes" };
  // apache-arrow's tableFromArrays makes Dictionary<Int32, Utf8> strings and Int64 BigInts.
  const dict = tableFromArrays({
    src: rows.map((r) => r.src),
    dst: rows.map((r) => r.dst),
    bytes: BigInt64Array.from(rows.map((r) => r.bytes)),
  });
  assert.equal(String(dict.schema.fields[0].type), "Dictionary<Int32, Utf8>");
  const large = makeTable({
    src: vectorFromArray(rows.map((r) => r.src), new LargeUtf8()),
    dst: vectorFromArray(rows.map((r) => r.dst), new LargeUtf8()),
    bytes: vectorFromArray(rows.map((r) => r.bytes), new Int64()),
  });
  for (const input of [tableToIPC(dict, "stream"), tableToIPC(large, "file"), tableToIPC(large).buffer, rows]) {
    const m = huntkit.matrix(input, o);
    assertCellsClose(cellsOf(m), want);
    assert.equal(m.skippedRows, 1);
  }
  assert.deepEqual(huntkit.describeTable(rows), {
    numRows: 4,
    columns: [
      { name: "src", type: "Utf8" },
      { name: "dst", type: "Utf8" },
      { name: "bytes", type: "Int64" },
    ],
  });
});

test("readTable: any input as a ResultTable, the data as huntkit reads it", () => {
  const rows = [
    { host: "a", n: 1, when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), ok: true },
    { host: null, n: 2.5, extra: { k: [1] } },
  ];
  const t = huntkit.readTable(rows);
  assert.equal(t.numRows, 2);
  // A nested object becomes dotted columns; an array stays JSON text.
  assert.deepEqual(t.columns.map((c) => `${c.name}:${c.type}`), ["host:Utf8", "n:Float64", "when:Timestamp(ms, \"UTC\")", "ok:Boolean", "extra.k:Utf8"]);
  assert.deepEqual(t.toRows(), [
    { host: "a", n: 1, when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), ok: true, "extra.k": null },
    { host: null, n: 2.5, when: null, ok: null, "extra.k": "[1]" },
  ]);
  // Arrow in, the same Arrow out; a result table reads as itself.
  const again = huntkit.readTable(t.toArrow());
  assert.deepEqual(again.toRows(), t.toRows());
  assert.deepEqual(huntkit.readTable(t).columns, t.columns);
  assert.throws(() => huntkit.readTable("x"), /expected Arrow IPC bytes/);
});

test("the cells come back as Arrow IPC with MSTICPy's columns", () => {
  const m = huntkit.matrix(flows, { ...opts, valueCol: "TotalAllowedFlows" });
  const t = tableFromIPC(m.arrow);
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ["L7Protocol", "AllExtIPs", "TotalAllowedFlows", "size", "plot_size"],
  );
  assert.equal(t.numRows, 89);
  const https = t.toArray().find((r) => r.L7Protocol === "https" && r.AllExtIPs === "13.71.172.130");
  assert.deepEqual([https.TotalAllowedFlows, https.size, https.plot_size], [765, 765, 10]);
});

test("bad input is a HuntkitError naming the column, row or option", () => {
  const cases = [
    [() => huntkit.matrix(flows, { x: "Nope", y: "AllExtIPs" }), "missing-column", /^column `Nope` \(x\) is not in the table; its columns are: index, TenantId,/],
    [() => huntkit.matrix(flows, { ...opts, valueCol: "FlowType" }), "column-type", /^column `FlowType` \(valueCol\) has type Utf8, expected a number$/],
    [() => huntkit.matrix(new Uint8Array([1, 2, 3, 4, 5]), opts), "invalid-table", /^invalid table: not readable as Arrow IPC/],
    [() => huntkit.matrix(flows.slice(0, 4000), opts), "invalid-table", /^invalid table: /],
    [() => huntkit.matrix("a,b\n1,2", opts), "invalid-table", /expected Arrow IPC bytes .* got string$/],
    [() => huntkit.matrix([{ a: 1 }, 7], { x: "a", y: "a" }), "invalid-table", /^invalid table: row 1 is not an object/],
    [() => huntkit.matrix(flows, { ...opts, vlaueCol: "TotalAllowedFlows" }), "invalid-option", /unknown option `vlaueCol`; did you mean `valueCol`\?$/],
    [() => huntkit.matrix(flows, { ...opts, sort: "sideways" }), "invalid-option", /^option `sort`: expected "asc", "desc", true or false, got "sideways"$/],
    [() => huntkit.matrix(flows, { ...opts, distCount: true }), "invalid-option", /^option `distCount`: counting distinct values needs `valueCol`/],
    [() => huntkit.matrix(flows, { x: "L7Protocol" }), "invalid-option", /^option `y`: both `x` and `y` column names are required$/],
    [() => huntkit.matrix(flows, { ...opts, logSize: "yes" }), "invalid-option", /^option `logSize`: expected a boolean, got string$/],
  ];
  for (const [fn, code, message] of cases) {
    assert.throws(fn, (err) => {
      assert.ok(err instanceof Error);
      assert.equal(err.name, "HuntkitError");
      assert.equal(err.code, code, err.message);
      assert.match(err.message, message);
      return true;
    });
  }
});

test("the browser entry refuses calls before init()", () => {
  const entry = new URL("../../npm/dist/index.js", import.meta.url).href;
  const out = execFileSync(process.execPath, [
    "--input-type=module",
    "-e",
    `const m = await import(${JSON.stringify(entry)});
     try { m.matrix([], {}); } catch (e) { console.log(e.name, e.code); }
     m.initSync(${JSON.stringify(new URL("../../npm/dist/wasm/huntkit_bg.wasm", import.meta.url).pathname)} && (await import("node:fs")).readFileSync(${JSON.stringify(new URL("../../npm/dist/wasm/huntkit_bg.wasm", import.meta.url).pathname)}));
     console.log(m.matrix([{a: "x", b: "y"}], {x: "a", y: "b"}).cells.length);`,
  ]);
  assert.equal(out.toString(), "HuntkitError not-initialised\n1\n");
});
