// Memory per call, and the largest inputs that fit in wasm32's 4 GiB: for each bundled input,
// the peak huntkit allocates without a limit and the smallest limit (found by bisection) under
// which the call's own estimates let it run; the largest input is that input scaled to what a
// call may use under 4 GiB (less the reserve), assuming memory linear in size.
// `node tests/bench/memory.mjs` (after `tests/bench/run.sh` made the data, or with the
// fixtures only).
import { existsSync, readFileSync } from "node:fs";

import * as huntkit from "../../npm/dist/node.js";

const here = (p) => new URL(p, import.meta.url);
const data = (name) => (existsSync(here(`data/${name}`)) ? new Uint8Array(readFileSync(here(`data/${name}`))) : null);
const MiB = 2 ** 20;

function attempt(limit, call) {
  huntkit.setMemoryLimit(limit);
  try {
    call()?.free?.();
    return true;
  } catch (e) {
    if (e.code !== "too-large") throw e;
    return false;
  } finally {
    huntkit.setMemoryLimit(null);
  }
}

function measure(call) {
  const base = huntkit.memoryUsage().inUse;
  huntkit.memoryUsage();
  call()?.free?.();
  const peak = huntkit.memoryUsage().peak - base;
  let lo = base, hi = base + peak * 64 + 64 * MiB;
  while (hi - lo > Math.max(64 * 1024, (hi - base) / 200)) {
    const mid = Math.round((lo + hi) / 2);
    if (attempt(mid, call)) hi = mid;
    else lo = mid;
  }
  return { peak, limit: hi - base };
}

const flows = data("flows_1000000.arrows");
const win = data("proctree_win_1000000.arrows");
const mde = data("proctree_mde_1000000.arrows");
const events = data("timeline_1000000.arrows");
const text = existsSync(here("data/ioc_mixed_10mb.txt")) ? readFileSync(here("data/ioc_mixed_10mb.txt"), "utf8") : null;
const cases = [
  ["matrix (count)", "1M flow rows", 1e6, "rows", flows && (() => huntkit.matrix(flows, { x: "SourceIP", y: "DestinationIP" }))],
  ["matrix (distinct count)", "1M flow rows", 1e6, "rows", flows && (() => huntkit.matrix(flows, { x: "SourceIP", y: "DestinationIP", valueCol: "Protocol", distCount: true }))],
  ["buildProcessTree", "1M Windows 4688 rows", 1e6, "rows", win && (() => huntkit.buildProcessTree(win))],
  ["buildProcessTree", "1M MDE rows", 1e6, "rows", mde && (() => huntkit.buildProcessTree(mde))],
  ["timelineSeries (by host)", "1M events", 1e6, "rows", events && (() => huntkit.timelineSeries(events, { groupBy: "Host" }))],
  ["extractIocs", "10 MB mixed text", 1e7, "bytes", text && (() => huntkit.extractIocs(text))],
];
// What a call may use under 4 GiB: the limit less the reserve (1/32) and what is in use.
const usable = 2 ** 32 * (31 / 32) - huntkit.memoryUsage().inUse;
const rows = [["call", "input", "peak (MiB)", "smallest limit (MiB)", "largest input in 4 GiB"]];
for (const [call, input, size, unit, run] of cases) {
  if (!run) continue;
  const { peak, limit } = measure(run);
  const largest = (size * usable) / limit;
  const fmt = largest >= 1e6 ? `${(largest / 1e6).toFixed(0)}M ${unit}` : `${Math.round(largest)} ${unit}`;
  rows.push([call, input, (peak / MiB).toFixed(0), (limit / MiB).toFixed(0), unit === "bytes" ? `${(largest / 1e6).toFixed(0)} MB of text` : fmt]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
