// IoC extraction benchmark in wasm (Node, the built package): extractIocs on each file, best of
// 5 runs after a warm-up; prints one JSON line per file.
import { readFileSync } from "node:fs";
import { extractIocs } from "huntkit";

for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, "utf8");
  const bytes = Buffer.byteLength(text);
  const found = extractIocs(text).length;
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const n = extractIocs(text).length;
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (n !== found) throw new Error("not deterministic");
  }
  console.log(JSON.stringify({ file: path, bytes, seconds: best, mb_per_s: bytes / 1e6 / best, found }));
}
