// Type-checked (not run) by tests/run.sh: the published .d.ts describes the API as used.
import { init, matrix, plotMatrix, describeTable, type MatrixResult, type HuntkitError } from "huntkit";

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
export { first, cols, zoom, code };
