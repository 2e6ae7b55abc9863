// IoC extraction benchmark in wasm (Node, the built package): extractIocs on each file, best of
// 10 runs after 3 warm-up runs (the hot functions compiled by V8's optimising tier); prints one
// JSON line per file. Run with `node --expose-gc` (as ioc.sh does): a full collection before each
// run, so a run pays for its own allocations and the collections they cause, not for the
// garbage of the run before.
import { readFileSync } from "node:fs";
import { extractIocs } from "huntkit";

const collect = globalThis.gc ?? (() => {});
for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, "utf8");
  const bytes = Buffer.byteLength(text);
  let found;
  for (let i = 0; i < 3; i++) found = extractIocs(text).length;
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    collect();
    const t0 = performance.now();
    const n = extractIocs(text).length;
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (n !== found) throw new Error("not deterministic");
  }
  console.log(JSON.stringify({ file: path, bytes, seconds: best, mb_per_s: bytes / 1e6 / best, found }));
}
