// Times buildProcessTree in wasm (Node) on an IPC file: median of 5, bytes → tree (including
// the copy into wasm memory; the first run also grows the wasm memory). Prints JSON.
import { readFileSync } from "node:fs";
import { buildProcessTree } from "huntkit";

const bytes = new Uint8Array(readFileSync(process.argv[2]));
const runs = [];
let processes = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const tree = buildProcessTree(bytes);
  processes = tree.summary().processes;
  runs.push((performance.now() - t) / 1000);
  tree.free();
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: runs[2], rows_out: processes, input_bytes: bytes.length }));
