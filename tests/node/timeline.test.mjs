// The timelines as data through the package: MSTICPy's goldens, the duration table, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as huntkit from "huntkit";

const fixture = (name) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const golden = (name) => JSON.parse(readFileSync(new URL(`../golden/timeline/${name}.json`, import.meta.url), "utf8"));
const procs = fixture("win_proc_test.arrow");
const flows = fixture("az_net_flows.arrow");

test("grouped events timeline matches MSTICPy's series, colours, times and ranges", () => {
  const g = golden("tl_group_by");
  const tl = huntkit.timelineSeries(procs, { groupBy: "Account" });
  assert.equal(tl.kind, "events");
  assert.equal(tl.title, g.title);
  assert.equal(tl.height, g.height);
  assert.deepEqual(tl.xRange.map((v) => Math.round(v * 10) / 10), g.x_range_ms);
  // The left legend lists the top row first.
  assert.deepEqual(tl.series.map((s) => s.name).reverse(), g.legends[0].labels);
  assert.deepEqual(
    tl.series.map((s) => [s.color, s.yIndex, s.rows.length]),
    g.series.map((s) => [s.color, s.y_index[0], s.rows]),
  );
  for (const [i, s] of tl.series.entries()) {
    assert.deepEqual([...s.times].sort(), [...g.series[i].times_ms].sort(), `series ${i} times`);
  }
  assert.equal(tl.skippedNullTimes, 0);
  assert.equal(tl.droppedNullGroups, 0);
});

test("values timeline carries each row's value; duration spans come back as a table", () => {
  const v = huntkit.timelineSeries(flows, { valueColumn: "TotalAllowedFlows", timeColumn: "FlowStartTime" });
  assert.equal(v.kind, "values");
  assert.equal(v.series[0].values.length, v.series[0].rows.length);
  assert.equal(v.series[0].rows.length, 460);

  const g = golden("dur_one_col");
  const spans = huntkit.timelineDuration(flows, { groupBy: "L7Protocol" }).toRows();
  assert.deepEqual(
    spans.map((r) => [r.L7Protocol, r.Start.getTime(), r.End.getTime()]),
    g.duration.groups.map((d) => [d.keys[0], d.start_ms, d.end_ms]),
  );
  assert.equal(spans.reduce((n, r) => n + Number(r.Count), 0), 460);
  assert.equal(Number(spans[1].Duration), (g.duration.groups[1].end_ms - g.duration.groups[1].start_ms) * 1e6);
});

test("named tables, reference times in any form, and an overlay that keeps the groups", () => {
  const rows = [
    { TimeGenerated: "2024-01-01T10:00:00Z", Account: "a" },
    { TimeGenerated: "2024-01-01T10:05:00Z", Account: "b" },
    { TimeGenerated: null, Account: "b" },
  ];
  const named = huntkit.timelineSeries({ logons: { data: rows, color: "#ff0000" }, procs: { data: rows.slice(0, 1) } });
  assert.deepEqual(named.series.map((s) => [s.name, s.color, s.rows]), [["logons", "#ff0000", [0, 1]], ["procs", "#FDE724", [0]]]);
  assert.equal(named.skippedNullTimes, 1);

  const t0 = Date.UTC(2024, 0, 1, 10);
  const tl = huntkit.timelineSeries(rows, {
    groupBy: "Account",
    overlayData: [{ TimeGenerated: new Date(t0 + 60_000) }],
    refTime: new Date(t0),
    refTimes: ["2024-01-01T10:01:00Z", [1704103500, "epoch seconds"], { time: t0 + 360_000, label: "ms" }],
  });
  assert.deepEqual(tl.series.map((s) => [s.name, s.source]), [["a", 0], ["b", 0], ["Secondary", 1]]);
  assert.deepEqual(tl.refs, [
    { time: t0, label: "Ref time" },
    { time: t0 + 60_000, label: "reference 0" },
    { time: t0 + 300_000, label: "epoch seconds" },
    { time: t0 + 360_000, label: "ms" },
  ]);
});

test("bad options are errors naming the option", () => {
  const err = (f, code, text) => assert.throws(f, (e) => e.name === "HuntkitError" && e.code === code && e.message.includes(text), text);
  err(() => huntkit.timelineSeries(procs, { groupby: "Account" }), "invalid-option", "did you mean `groupBy`?");
  err(() => huntkit.timelineSeries(procs, { refTime: "yesterday" }), "invalid-option", 'option `refTime`: expected a Date, ISO 8601 text or an epoch number, got "yesterday"');
  err(() => huntkit.timelineSeries(procs, { kind: "line" }), "invalid-option", "values timeline only");
  err(() => huntkit.timelineSeries(flows, { valueColumn: "TotalAllowedFlows", timeColumn: "FlowStartTime", kind: "bars" }), "invalid-option", '"bars"');
  err(() => huntkit.timelineSeries(procs, { color: "blurple" }), "invalid-option", "blurple");
  err(() => huntkit.timelineSeries(procs, { timeColumn: "When" }), "missing-column", "When");
  err(() => huntkit.timelineSeries(procs, { refCol: "x" }), "invalid-option", "refEvents");
  err(() => huntkit.timelineSeries({ a: { data: procs, colour: "red" } }), "invalid-option", 'series "a"');
  err(() => huntkit.timelineDuration(flows, { groupBy: "L7Protocol", overlayData: flows }), "invalid-option", "overlayData");
});
