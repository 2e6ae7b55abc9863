// Type-checked (not run) by tests/run.sh: the published .d.ts describes the API as used.
import {
  init,
  matrix,
  plotMatrix,
  describeTable,
  buildProcessTree,
  type MatrixResult,
  type HuntkitError,
  type ProcessNode,
} from "huntkit";

await init();
const m: MatrixResult = matrix([{ a: "x", b: "y" }], { x: "a", y: "b", sort: "asc", logSize: true });
const first: number = m.cells[0].plotSize;
const cols: string[] = describeTable(new Uint8Array()).columns.map((c) => c.name);
const plot = plotMatrix(document.body, new ArrayBuffer(0), { x: "a", y: "b", title: "t", height: 300 });
plot.update({ invert: true }).destroy();
const zoom: number = plot.zoom;
function code(e: unknown): string {
  return (e as HuntkitError).code;
}
const tree = buildProcessTree([], { schema: { process_name: "a", process_id: "b", parent_id: "c", time_stamp: "d" } });
const roots: ProcessNode[] = tree.roots();
const depth: number = tree.summary().maxDepth;
const below: ProcessNode[] = tree.descendants(roots[0].key ?? "", 2);
tree.free();
export { first, cols, zoom, code, depth, below };
