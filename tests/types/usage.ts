// Type-checked (not run) by tests/run.sh: the published .d.ts describes the API as used.
import {
  init,
  matrix,
  plotMatrix,
  describeTable,
  buildProcessTree,
  plotProcessTree,
  type MatrixResult,
  type ProcessSelection,
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
const view = plotProcessTree(document.body, tree, { legendCol: "User", showTable: true, height: 500 });
const stop = view.on("select", (sel: ProcessSelection | null) => sel?.row?.["CommandLine"]);
view.on("toggle", ({ index, collapsed }) => index + Number(collapsed));
const hits: number[] = view.highlight("powershell");
const box = view.nodeBox(hits[0] ?? 0)?.[2];
view.update({ legendCol: null }).destroy();
stop();
plotProcessTree(document.body, new Uint8Array(), { schema: "windows" }).destroy();
tree.free();
export { first, cols, zoom, code, depth, below, box };
