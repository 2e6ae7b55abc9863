// Memory limits: every call either stays within the limit or fails with a `too-large`
// HuntkitError before it allocates past it; never a trap. Limits are swept from far too small
// to enough, on generated inputs of several shapes (dense, distinct, wide), and the peak of
// wasm memory in use (huntkit's counting allocator) is read back each time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as huntkit from "huntkit";

const fixture = (name) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const MiB = 2 ** 20;

/** Runs `call` under `limit` bytes: `{ ok, peak, error }` (the result freed). */
function under(limit, call) {
  huntkit.setMemoryLimit(limit);
  const before = huntkit.memoryUsage();
  try {
    const result = call();
    result?.free?.();
    return { ok: true, peak: huntkit.memoryUsage().peak, before: before.inUse };
  } catch (error) {
    return { ok: false, peak: huntkit.memoryUsage().peak, before: before.inUse, error };
  } finally {
    huntkit.setMemoryLimit(null);
  }
}

/** Sweeps limits from what is in use plus `lo` to plus `hi` (geometric, `steps`; by default
 * to four times what the call takes): each call stays under its limit, and fails only with
 * `too-large`; the largest limits succeed. Returns the outcomes. */
function sweep(name, call, { lo = 64 * 1024, hi, steps = 14 } = {}) {
  const free = under(null, call);
  assert.ok(free.ok, `${name}: runs without a limit (${free.error})`);
  hi ??= Math.max((free.peak - free.before) * 4, lo * 2);
  const outcomes = [];
  for (let i = 0; i < steps; i++) {
    const limit = huntkit.memoryUsage().inUse + Math.round(lo * (hi / lo) ** (i / (steps - 1)));
    const o = under(limit, call);
    outcomes.push({ limit, ...o });
    assert.ok(o.peak <= limit, `${name}: used ${o.peak} bytes under a limit of ${limit} (${o.ok ? "succeeded" : o.error.message})`);
    if (!o.ok) {
      assert.equal(o.error.name, "HuntkitError", `${name}: ${o.error}`);
      assert.equal(o.error.code, "too-large", `${name}: ${o.error.message}`);
      assert.ok(o.error.needed > o.error.available, `${name}: ${o.error.message}`);
      assert.match(o.error.message, /fit/);
    }
  }
  assert.ok(outcomes.at(-1).ok, `${name}: fits under ${hi} bytes`);
  assert.ok(!outcomes[0].ok, `${name}: fails under ${lo} bytes`);
  return outcomes;
}

// Inputs of several shapes.
const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const ipc = (objects) => {
  const t = huntkit.readTable(objects);
  const bytes = t.toArrow();
  t.free();
  return bytes;
};
const distinct = ipc(rows(60000, (i) => ({ a: `host-${i}-${"x".repeat(i % 40)}`, b: `user${(i * 7919) % 60000}`, n: i })));
const repeated = ipc(rows(200000, (i) => ({ a: `h${i % 50}`, b: `u${i % 7}`, n: i % 13 })));
const events = ipc(rows(100000, (i) => ({ TimeGenerated: new Date(1.7e12 + i * 1000), Host: `h${i % 30}`, Account: `acct${i % 500}`, EventID: 4600 + (i % 90) })));

test("matrix stays within the limit or says what fits", () => {
  for (const [name, table, o] of [
    ["distinct pairs", distinct, { x: "a", y: "b" }],
    ["distinct count", distinct, { x: "a", y: "b", valueCol: "n", distCount: true }],
    ["repeated pairs, sum", repeated, { x: "a", y: "b", valueCol: "n" }],
  ]) {
    sweep(`matrix ${name}`, () => huntkit.matrix(table, o));
  }
});

test("process trees stay within the limit", () => {
  for (const name of ["win_proc_test.arrow", "linux_proc_test.arrow", "mde_proc_cs1.arrow"]) {
    const bytes = fixture(name);
    sweep(`tree ${name}`, () => huntkit.buildProcessTree(bytes));
  }
});

test("timelines stay within the limit", () => {
  sweep("timeline", () => huntkit.timelineSeries(events, { groupBy: "Host" }));
  sweep("timeline values", () => huntkit.timelineSeries(events, { kind: "line", valueColumn: "EventID" }));
});

test("IoC extraction stays within the limit, dense texts included", () => {
  for (const unit of ["1.2.3.4 ", "a@b.cc ", "hxxp://a[.]io ", "a[.]io ", "C:\\a\\b ", "%68%74%74%70%3a%2f%2fa.io "]) {
    const text = unit.repeat(Math.floor(400000 / unit.length));
    sweep(`extractIocs ${JSON.stringify(unit)}`, () => huntkit.extractIocs(text, { includePaths: true }));
  }
});

test("IoC extraction from a table whose dense cells outgrow it (each match repeats its cell)", () => {
  const table = ipc(rows(20, () => ({ c: "1.2.3.4 ".repeat(1000) })));
  const outcomes = sweep("extractIocsFromTable", () => huntkit.extractIocsFromTable(table, { columns: ["c"] }));
  assert.ok(outcomes.some((o) => o.ok));
});

test("rows of objects are read within the limit", () => {
  const objects = rows(50000, (i) => ({ host: `h${i}`, user: `u${i % 77}`, n: i, at: new Date(1.7e12 + i) }));
  sweep("readTable(objects)", () => huntkit.readTable(objects));
});

test("a too-large error says what fits and the call works again after", () => {
  huntkit.setMemoryLimit(8 * MiB);
  try {
    assert.throws(
      () => huntkit.matrix(distinct, { x: "a", y: "b" }),
      (e) => e.code === "too-large" && /^column `a` \(x\): 60,000 rows need about [\d.]+ MiB of memory, more than the [\d.]+ MiB available \(the limit set is 8\.0 MiB\); about [1-9][\d,]+ rows like these fit/.test(e.message),
    );
  } finally {
    huntkit.setMemoryLimit(null);
  }
  assert.equal(huntkit.matrix(distinct, { x: "a", y: "b" }).cells.length, 60000);
  assert.throws(() => huntkit.setMemoryLimit(-1), (e) => e.code === "invalid-option");
  const usage = huntkit.memoryUsage();
  assert.equal(usage.limit, 2 ** 32);
  assert.ok(usage.inUse > 0 && usage.inUse <= usage.wasmBytes && usage.available < usage.limit - usage.inUse);
});

test("beyond what wasm32 holds: errors that say so, and the module works after", () => {
  // No limit set: the boundary is the 4 GiB wasm32 addresses.
  const text = "a".repeat(300_000_000);
  assert.throws(
    () => huntkit.extractIocs(text),
    (e) =>
      e.code === "too-large" &&
      /^extractIocs: 300,000,000 bytes of text need about [\d.]+ GiB of memory, more than the [\d.]+ GiB available \(wasm32 addresses 4\.0 GiB\); about \d\d,\d{3},\d{3} bytes of text like these fit/.test(e.message),
  );
  // Dense cells whose match rows (each repeating its cell) outgrow 4 GiB (400,000 rows of
  // 16 KB): stopped part-way.
  const big = ipc(rows(200, () => ({ c: "1.2.3.4 ".repeat(2000) })));
  assert.throws(
    () => huntkit.extractIocsFromTable(big, { columns: ["c"] }),
    (e) => e.code === "too-large" && /^extractIocsFromTable: 200 rows need about [\d.]+ GiB .*wasm32 addresses 4\.0 GiB\); about [\d,]+ rows like these fit/.test(e.message),
  );
  assert.deepEqual(
    huntkit.extractIocs("then 10.0.0.1").map((m) => m.value),
    ["10.0.0.1"],
  );
  assert.ok(huntkit.memoryUsage().inUse < 64 * MiB, "nothing is left allocated");
});
