// Two builds of the package in one Node process: extractIocs on the same text, alternated, best
// of 12 each (what to trust when the machine's speed drifts between runs). Used by ioc_ab.sh.
// Usage: node ioc_ab.mjs <distA> <distB> <text file>
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const [distA, distB, file] = process.argv.slice(2);
const builds = [
  ["A", await import(resolve(distA, "node.js"))],
  ["B", await import(resolve(distB, "node.js"))],
];
const text = readFileSync(file, "utf8");
const best = { A: Infinity, B: Infinity };
const found = {};
for (let i = 0; i < 12; i++) {
  // Alternate which goes first, so neither always runs after the other's garbage.
  for (const [name, m] of i % 2 ? builds.slice().reverse() : builds) {
    const t0 = performance.now();
    found[name] = m.extractIocs(text).length;
    best[name] = Math.min(best[name], performance.now() - t0);
  }
}
const mbs = (ms) => (Buffer.byteLength(text) / 1e3 / ms).toFixed(1);
console.log(`A ${best.A.toFixed(1)} ms (${mbs(best.A)} MB/s, ${found.A} found)`);
console.log(`B ${best.B.toFixed(1)} ms (${mbs(best.B)} MB/s, ${found.B} found)`);
console.log(`B/A ${(best.B / best.A).toFixed(3)}`);
