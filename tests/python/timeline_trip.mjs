// The other end of a Python timeline call, for the pytest tests: takes the table, extra tables
// and options a TimelineWidget carries (as the notebook front end gets them), resolves
// `{ $table }` and `$data` as js/notebook/widget.js does, and prints what huntkit makes of them:
// the timeline as data (events, values) or the duration spans, or the error.
// usage: node timeline_trip.mjs SPEC.json   with { kind, table: {file, format}, tables: {key: {file, format}}, options }
import { readFileSync } from "node:fs";
import * as hk from "huntkit";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const load = ({ file, format }) => {
  const bytes = readFileSync(file);
  return format === "json" ? JSON.parse(bytes.toString("utf8")) : new Uint8Array(bytes);
};
const tables = Object.fromEntries(Object.entries(spec.tables).map(([k, t]) => [k, load(t)]));
const resolve = (v) => {
  if (Array.isArray(v)) return v.map(resolve);
  if (v === null || typeof v !== "object") return v;
  if (typeof v.$table === "string") return tables[v.$table];
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
};
const { $data, ...options } = resolve(spec.options);
const data = $data ?? load(spec.table);
const out = {};
try {
  if (spec.kind === "timelineDuration") {
    out.spans = JSON.parse(JSON.stringify(hk.timelineDuration(data, options).toRows(), (_k, x) => (typeof x === "bigint" ? Number(x) : x)));
  } else {
    const tl = hk.timelineSeries(data, spec.kind === "timelineValues" ? options : { ...options, valueColumn: undefined });
    out.timeline = { ...tl, series: tl.series.map(({ times, ...s }) => ({ ...s, count: times.length })) };
  }
} catch (err) {
  out.error = { code: err.code, message: err.message };
}
console.log(JSON.stringify(out));
