// Two builds of the package compared in one Node process, alternated: matrix (count) and a
// process tree from the same Arrow IPC bytes. `node tests/bench/wasm_ab.mjs <distA> <distB>
// <flows.arrows> <proctree.arrows> [rounds]`; prints best and median ms per build.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [distA, distB, flowsPath, treePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const load = async (dist) => import(pathToFileURL(resolve(dist, "node.js")).href);
const builds = { A: await load(distA), B: await load(distB) };
const flows = new Uint8Array(readFileSync(flowsPath));
const tree = new Uint8Array(readFileSync(treePath));
const jobs = {
  matrix: (h) => h.matrix(flows, { x: "SourceIP", y: "DestinationIP" }).cells.length,
  processTree: (h) => {
    const t = h.buildProcessTree(tree);
    const n = t.summary.rowsIn ?? t.length;
    t.free();
    return n;
  },
};
const times = {};
for (let r = 0; r < rounds; r++) {
  for (const [side, h] of Object.entries(builds)) {
    for (const [job, run] of Object.entries(jobs)) {
      const t0 = performance.now();
      run(h);
      (times[`${job} ${side}`] ??= []).push(performance.now() - t0);
    }
  }
}
for (const [k, v] of Object.entries(times)) {
  v.sort((a, b) => a - b);
  console.log(`${k.padEnd(16)} best ${v[0].toFixed(1)} ms, median ${v[v.length >> 1].toFixed(1)} ms`);
}
