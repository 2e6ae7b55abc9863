// Two builds of the package in one Node process: extractIocs on the same text, alternated, 30
// rounds each (what to trust when the machine's speed drifts between runs): best, first
// quartile and median times, and B/A for each. Used by ioc_ab.sh.
// Usage: node ioc_ab.mjs <distA> <distB> <text file> [rounds]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const [distA, distB, file, rounds = "30"] = process.argv.slice(2);
const builds = [
  ["A", await import(resolve(distA, "node.js"))],
  ["B", await import(resolve(distB, "node.js"))],
];
const text = readFileSync(file, "utf8");
// A full collection before each run (`node --expose-gc`, as ioc_ab.sh runs it): without it, a
// run pays for the garbage of the one before, which favours whichever build runs first.
const collect = globalThis.gc ?? (() => {});
const times = { A: [], B: [] };
const found = {};
for (let i = 0; i < Number(rounds); i++) {
  // Alternate which goes first, so neither always runs after the other's garbage.
  for (const [name, m] of i % 2 ? builds.slice().reverse() : builds) {
    collect();
    const t0 = performance.now();
    found[name] = m.extractIocs(text).length;
    times[name].push(performance.now() - t0);
  }
}
const at = (name, q) => {
  const sorted = times[name].slice().sort((x, y) => x - y);
  return sorted[Math.floor(q * (sorted.length - 1))];
};
const mbs = (ms) => (Buffer.byteLength(text) / 1e3 / ms).toFixed(1);
for (const name of ["A", "B"]) {
  const [best, p25, median] = [0, 0.25, 0.5].map((q) => at(name, q));
  console.log(
    `${name} best ${best.toFixed(1)} ms (${mbs(best)} MB/s), p25 ${p25.toFixed(1)}, median ${median.toFixed(1)} (${found[name]} found)`,
  );
}
const ratio = (q) => (at("B", q) / at("A", q)).toFixed(3);
console.log(`B/A best ${ratio(0)}, p25 ${ratio(0.25)}, median ${ratio(0.5)}`);
