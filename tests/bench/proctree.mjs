// Times buildProcessTree in wasm (Node) on an IPC file: bytes → tree, including reading the
// columns the tree needs into wasm memory. The median of at least 5 runs, and of more for
// small files (until 3 s have been spent), after one warm-up run (which also grows the wasm
// memory). Prints JSON.
import { readFileSync } from "node:fs";
import { buildProcessTree } from "huntkit";

const bytes = new Uint8Array(readFileSync(process.argv[2]));
const runs = [];
let processes = 0;
buildProcessTree(bytes).free();
for (let spent = 0; runs.length < 5 || (spent < 3 && runs.length < 101); spent += runs.at(-1)) {
  const t = performance.now();
  const tree = buildProcessTree(bytes);
  processes = tree.summary().processes;
  runs.push((performance.now() - t) / 1000);
  tree.free();
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: runs[runs.length >> 1], runs: runs.length, rows_out: processes, input_bytes: bytes.length }));
