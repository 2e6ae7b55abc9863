// Times huntkit's matrix() in wasm (Node) on each IPC file: the first call, then the median of
// the next 5, bytes → cells,
// including the copy into wasm memory and the IPC decode. Prints JSON.
import { readFileSync } from "node:fs";
import { matrix } from "huntkit";

const variants = {
  count: {},
  value_col: { valueCol: "Bytes" },
  dist_count: { valueCol: "Protocol", distCount: true },
  "value_col+log_size+invert": { valueCol: "Bytes", logSize: true, invert: true },
};
const result = {};
for (const path of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(path));
  for (const [name, opts] of Object.entries(variants)) {
    const runs = [];
    let m;
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      m = matrix(bytes, { x: "SourceIP", y: "DestinationIP", ...opts });
      runs.push((performance.now() - t) / 1000);
    }
    // The first call apart (it grows the wasm memory, once per page load); then the median of 5.
    const steady = runs.slice(1).sort((a, b) => a - b)[2];
    result[`${m.rows}/${name}`] = { first: runs[0], seconds: steady, cells: m.cells.length };
  }
}
console.log(JSON.stringify(result));
