// What each table function does with bad input, cell by cell as the README's "Bad input" table
// says: a result (with what was skipped counted) or a HuntkitError with a stable code naming the
// column. Never a crash, never a hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RecordBatch, Schema, Field, Struct, Table, Utf8, makeData, tableToIPC, vectorFromArray } from "apache-arrow";
import * as hk from "huntkit";

const utf8 = (xs) => vectorFromArray(xs, new Utf8());
const ipc = (t) => tableToIPC(t, "stream");

/** The inputs, each with columns `a`, `b`, `t` where it has columns. */
const inputs = {
  "no rows (`[]`)": () => [],
  "zero-row IPC": () => ipc(new Table({ a: utf8([]), b: utf8([]), t: utf8([]) })),
  "all-null columns": () => [{ a: null, b: null, t: null }, { a: null, b: null, t: null }],
  "wrong types (booleans, numbers)": () => [{ a: true, b: 1.5, t: true }, { a: false, b: 2.5, t: false }],
  "duplicate column names": () => {
    const f = () => new Field("a", new Utf8(), true);
    const [f1, f2] = [f(), f()];
    const children = [utf8(["x", "y"]).data[0], utf8(["p", "q"]).data[0]];
    const data = makeData({ type: new Struct([f1, f2]), length: 2, nullCount: 0, children });
    return ipc(new Table([new RecordBatch(new Schema([f1, f2]), data)]));
  },
  "a 20 MB string": () => [{ a: "x".repeat(20_000_000) + " 10.0.0.1", b: "y", t: "2024-01-01T00:00:00Z" }],
  "invalid UTF-8 in a text column": () => {
    const bytes = ipc(new Table({ a: utf8(["xyzw", "ok"]), b: utf8(["p", "q"]), t: utf8(["2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"]) }));
    const at = Buffer.from(bytes).indexOf("xyzw");
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    return bytes;
  },
  "zero-row batches between rows": () => {
    const empty = new Table({ a: utf8([]), b: utf8([]), t: utf8([]) });
    const rows = new Table({ a: utf8(["x", "y"]), b: utf8(["p", "q"]), t: utf8(["2024-01-01T00:00:00Z", null]) });
    return ipc(new Table([...empty.batches, ...rows.batches, ...empty.batches]));
  },
};

const mapping = { process_name: "a", process_id: "b", parent_id: "b", time_stamp: "t" };
const functions = {
  describeTable: (t) => `${hk.describeTable(t).numRows} rows`,
  matrix: (t) => {
    const m = hk.matrix(t, { x: "a", y: "b" });
    return `${m.cells.length} cells, ${m.skippedRows} rows skipped`;
  },
  buildProcessTree: (t) => {
    const s = hk.buildProcessTree(t, { schema: mapping, badTimes: "flag" }).summary();
    return `${s.processes} processes, ${s.flagged} flagged`;
  },
  timelineSeries: (t) => {
    const r = hk.timelineSeries(t, { timeColumn: "t" });
    return `${r.series.reduce((n, s) => n + s.rows.length, 0)} events, ${r.skippedNullTimes} null times`;
  },
  extractIocsFromTable: (t) => `${hk.extractIocsFromTable(t, { columns: ["a"] }).numRows} matches`,
};

// [input][function]: the result's text, or the error code and a word of its message.
const expected = {
  "no rows (`[]`)": {
    describeTable: "0 rows",
    matrix: ["missing-column", /`a` \(x\).*no columns/],
    buildProcessTree: ["invalid-option", /lacks the column\(s\) `a`, `b`, `t`/],
    timelineSeries: ["missing-column", /`t` \(timeColumn\).*no columns/],
    extractIocsFromTable: ["missing-column", /`a`/],
  },
  "zero-row IPC": {
    describeTable: "0 rows",
    matrix: "0 cells, 0 rows skipped",
    buildProcessTree: "0 processes, 0 flagged",
    timelineSeries: "0 events, 0 null times",
    extractIocsFromTable: "0 matches",
  },
  "all-null columns": {
    describeTable: "2 rows",
    matrix: "0 cells, 2 rows skipped",
    buildProcessTree: "1 processes, 1 flagged",
    timelineSeries: "0 events, 2 null times",
    extractIocsFromTable: "0 matches",
  },
  "wrong types (booleans, numbers)": {
    describeTable: "2 rows",
    matrix: "2 cells, 0 rows skipped",
    buildProcessTree: ["column-type", /`t` \(time_stamp\) has type Boolean/],
    timelineSeries: ["column-type", /`t` \(timeColumn\) has type Boolean/],
    extractIocsFromTable: "0 matches",
  },
  "duplicate column names": {
    describeTable: "2 rows",
    matrix: ["missing-column", /`b` \(y\).*columns are: a, a/],
    buildProcessTree: ["invalid-option", /lacks the column\(s\) `b`, `t`/],
    timelineSeries: ["missing-column", /`t`.*columns are: a, a/],
    extractIocsFromTable: "0 matches",
  },
  "a 20 MB string": {
    describeTable: "1 rows",
    matrix: "1 cells, 0 rows skipped",
    buildProcessTree: "2 processes, 0 flagged",
    timelineSeries: "1 events, 0 null times",
    extractIocsFromTable: "1 matches",
  },
  "invalid UTF-8 in a text column": {
    describeTable: "2 rows",
    matrix: ["invalid-table", /Invalid UTF8/],
    buildProcessTree: ["invalid-table", /Invalid UTF8/],
    timelineSeries: "2 events, 0 null times",
    extractIocsFromTable: ["invalid-table", /Invalid UTF8/],
  },
  "zero-row batches between rows": {
    describeTable: "2 rows",
    matrix: "2 cells, 0 rows skipped",
    buildProcessTree: "3 processes, 1 flagged",
    timelineSeries: "1 events, 1 null times",
    extractIocsFromTable: "0 matches",
  },
};

for (const [input, make] of Object.entries(inputs)) {
  test(`bad input: ${input}`, () => {
    for (const [fn, run] of Object.entries(functions)) {
      const want = expected[input][fn];
      if (typeof want === "string") {
        assert.equal(run(make()), want, `${fn} on ${input}`);
      } else {
        const [code, message] = want;
        assert.throws(() => run(make()), (e) => e.name === "HuntkitError" && e.code === code && message.test(e.message), `${fn} on ${input}`);
      }
    }
  });
}
