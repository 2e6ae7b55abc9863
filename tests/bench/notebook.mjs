// Notebook timings (a benchmark, not a test; tests/bench/notebook.sh runs it):
// - JupyterLab, CPython kernel, pandas DataFrame in: from Shift+Enter on `huntkit.process_tree(df)`
//   (100k rows) and `huntkit.matrix(df, ...)` (1M rows) to the first drawn frame of the plot;
//   each 3 times (a fresh cell each), after one warm-up plot that loads the wasm;
// - JupyterLite: the first cell's run (Pyodide starts on the first execution), then
//   `%pip install huntkit` with the kernel started, then the first drawn tree;
// - the wheel's size. Prints a table.
// usage: node bench/notebook.mjs TREE_100K.arrow FLOWS_1M.arrow WHEEL   (from tests/)
import { statSync } from "node:fs";
import { basename } from "node:path";

import { startServer } from "../../demo/serve.mjs";
import { notebook, openBrowser, openNotebook, runCell, startJupyterLab, workdir } from "../notebooks/notebook.mjs";

const [treeFile, flowsFile, wheel] = process.argv.slice(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cellLocator = (page, i) => page.locator(".jp-Notebook .jp-Cell").nth(i);

/** Runs cell `i` and returns ms from the keypress to the plot's first frame in its output. */
async function timeToFrame(page, i) {
  const c = cellLocator(page, i);
  await c.locator(".cm-content").click();
  await page.waitForTimeout(300);
  const t0 = Date.now();
  await page.keyboard.press("Shift+Enter");
  const el = c.locator(".huntkit-widget");
  await el.waitFor({ timeout: 120_000 });
  // The plot handle is set right after its first (synchronous) draw.
  await page.waitForFunction((e) => e.huntkitPlot || e.querySelector(".huntkit-error"), await el.elementHandle(), { timeout: 120_000, polling: "raf" });
  const ms = Date.now() - t0;
  const error = await el.locator(".huntkit-error").count();
  if (error) throw new Error(await el.innerText());
  return ms;
}

const rows = [];
{
  const cells = [
    `import time, huntkit, pyarrow.ipc as ipc
procs = ipc.open_stream("${basename(treeFile)}").read_pandas()
flows = ipc.open_stream("${basename(flowsFile)}").read_pandas()
print(len(procs), len(flows))`,
    `huntkit.matrix(flows.head(100), x="SourceIP", y="DestinationIP")`, // warm-up: loads the wasm
  ];
  for (let k = 0; k < 3; k++) cells.push(`huntkit.process_tree(procs)`);
  for (let k = 0; k < 3; k++) cells.push(`huntkit.matrix(flows, x="SourceIP", y="DestinationIP", value_col="Bytes")`);
  const { readFileSync } = await import("node:fs");
  const dir = workdir({
    "bench.ipynb": notebook(cells),
    [basename(treeFile)]: readFileSync(treeFile),
    [basename(flowsFile)]: readFileSync(flowsFile),
  });
  const lab = await startJupyterLab(dir);
  const nb = await openBrowser();
  try {
    const page = await openNotebook(nb.context, `${lab.url}/lab/tree/bench.ipynb?reset`);
    const sizes = await runCell(page, 0, { timeout: 300_000 });
    await timeToFrame(page, 1);
    const tree = [];
    for (let k = 0; k < 3; k++) tree.push(await timeToFrame(page, 2 + k));
    const matrix = [];
    for (let k = 0; k < 3; k++) matrix.push(await timeToFrame(page, 5 + k));
    const [nTree, nFlows] = sizes.split(" ").map(Number);
    rows.push([`JupyterLab: process_tree(df), ${nTree.toLocaleString("en")} rows`, tree, 2000]);
    rows.push([`JupyterLab: matrix(df), ${nFlows.toLocaleString("en")} rows`, matrix, 3000]);
  } finally {
    await nb.browser.close();
    await lab.stop();
  }
}
{
  const server = await startServer(0);
  const nb = await openBrowser();
  try {
    const start = [];
    const install = [];
    const widget = [];
    for (let k = 0; k < 3; k++) {
      const page = await (await nb.newContext()).newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/lite/lab/index.html?path=process-trees.ipynb`);
      await page.waitForSelector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 180_000 });
      // A first cell above the notebook's own, `1 + 1`: its run starts Pyodide.
      await cellLocator(page, 1).locator(".cm-content").click();
      await page.keyboard.press("Escape");
      await page.keyboard.press("a");
      await page.keyboard.press("Enter");
      await page.keyboard.insertText("1 + 1");
      let t0 = Date.now();
      await runCell(page, 1, { timeout: 180_000 });
      start.push(Date.now() - t0);
      t0 = Date.now();
      await runCell(page, 2, { timeout: 180_000 });
      install.push(Date.now() - t0);
      widget.push(await timeToFrame(page, 4));
      await page.context().close();
    }
    rows.push(["JupyterLite: first cell run (starts Pyodide and IPython)", start, null]);
    rows.push(["JupyterLite: then %pip install huntkit + import", install, null]);
    rows.push(["JupyterLite: then process_tree (1,000 rows) → first frame", widget, null]);
  } finally {
    await nb.browser.close();
    server.close();
  }
}

console.log("\n| measure | runs (ms) | median | goal |");
console.log("|---|---|---:|---:|");
for (const [what, runs, goal] of rows) {
  console.log(`| ${what} | ${runs.join(", ")} | ${median(runs)} ms | ${goal ? `≤ ${goal} ms` : "—"} |`);
}
console.log(`\nwheel: ${basename(wheel)}, ${(statSync(wheel).size / 1024).toFixed(1)} KiB`);
