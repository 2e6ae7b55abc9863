// huntkit's Python package in JupyterLab: a real Jupyter server with the test venv's CPython
// kernel (pandas, pyarrow, the built huntkit wheel), driven in headless Chromium. The widgets
// render (pixels read back), a click reaches Python, a bad column is a Python error naming it,
// and two widgets on one page make the kernel send the wasm once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { brushTimeline, canvasColours, notebook, openBrowser, openNotebook, root, runCell, shots, startJupyterLab, waitForOutput, widgetIn, workdir } from "./notebook.mjs";

const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`);

const CELLS = [
  // 0
  `import huntkit, pyarrow.ipc as ipc
flows = ipc.open_file("az_net_flows.arrow").read_pandas()
procs = ipc.open_file("win_proc_test.arrow").read_pandas()
print(huntkit.__version__, len(flows), len(procs))`,
  // 1
  `m = flows.hunt.matrix(x="L7Protocol", y="AllExtIPs", sort="asc")`,
  // 2
  `t = huntkit.process_tree(procs, legend_col="SubjectUserName")
clicked = []
t.observe(lambda change: clicked.append(change["new"]["NewProcessName"]), names="selected")`,
  // 3
  `print("wasm sent", huntkit._widgets.wasm_sends(), "time(s)")`,
  // 4
  `print("cell:", m.selected)`,
  // 5
  `print("row:", t.selected["NewProcessName"], "|", t.selected["CommandLine"], "|", t.selected_key)
print("observed:", clicked)`,
  // 6
  `flows.hunt.matrix(x="L7Protocol", y="AllExtIP")`,
  // 7: what a server kernel could send: SignIn's front end, claiming to be Pyodide
  `import anywidget, traitlets
from huntkit._static import SIGNIN_ESM
class Forged(anywidget.AnyWidget):
    _esm = SIGNIN_ESM
    cloud = traitlets.Unicode("global").tag(sync=True)
    client_id = traitlets.Unicode("c").tag(sync=True)
    _authority = traitlets.Unicode("https://login.microsoftonline.com/t").tag(sync=True)
    _scopes = traitlets.List(["https://api.loganalytics.io/.default"]).tag(sync=True)
    _kernel = traitlets.Unicode("pyodide").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
forged = Forged()
forged`,
  // 8
  `print(forged.status)`,
  // 9: an error only the wasm can find (a schema name): shown in the output, and in Python
  `bad = huntkit.process_tree(procs, schema="windoze")`,
  // 10
  `print(bad.error["code"], "|", bad.error["message"])`,
  // 11
  `tl = flows.hunt.timeline(time_column="FlowStartTime", group_by="L7Protocol", source_columns=["VMName", "AllExtIPs"])`,
  // 12
  `s = tl.selected
print(s["count"], s["start"], s["end"], s["rows"] == sorted(tl.selected_rows.index.tolist()), len(tl.selected_rows))
print(tl.selected_rows.L7Protocol.value_counts().sort_index().to_dict())`,
];

let lab, nb, page;

before(async () => {
  const dir = workdir({
    "widgets.ipynb": notebook(CELLS),
    "az_net_flows.arrow": fixture("az_net_flows.arrow"),
    "win_proc_test.arrow": fixture("win_proc_test.arrow"),
  });
  lab = await startJupyterLab(dir);
  nb = await openBrowser();
  page = await openNotebook(nb.context, `${lab.url}/lab/tree/widgets.ipynb?reset`);
});

after(async () => {
  await nb?.browser.close();
  await lab?.stop();
});

test("the kernel imports huntkit and reads the data", async () => {
  const out = await runCell(page, 0);
  assert.match(out, /^\d+\.\d+\.\d+ 460 1000$/);
});

test("the matrix widget renders: red markers on white", async () => {
  await runCell(page, 1);
  const el = await widgetIn(page, 1);
  assert.equal(await el.locator(".huntkit-error").count(), 0, await el.innerText());
  const { colours, width } = await canvasColours(page, 1, 200);
  assert.ok(width > 600, `canvas width ${width}`);
  assert.equal(colours[0][0], "255,255,255", "mostly white background");
  // Markers: MSTICPy's red ("red" at alpha 0.5 over white is 255,128,128; overlaps are deeper).
  const red = colours.filter(([rgb]) => {
    const [r, g, b] = rgb.split(",").map(Number);
    return r > 200 && g < 160 && Math.abs(g - b) < 8;
  });
  const redPixels = red.reduce((n, [, c]) => n + c, 0);
  assert.ok(redPixels > 500, `red marker pixels: ${redPixels} in ${JSON.stringify(colours.slice(0, 20))}`);
});

test("the process-tree widget renders its boxes", async () => {
  await runCell(page, 2);
  const el = await widgetIn(page, 2);
  assert.equal(await el.locator(".huntkit-error").count(), 0, await el.innerText());
  const { colours } = await canvasColours(page, 2, 40);
  const tinted = colours.filter(([rgb]) => rgb !== "255,255,255").reduce((n, [, c]) => n + c, 0);
  assert.ok(tinted > 20_000, `coloured pixels: ${tinted}`);
  await page.screenshot({ path: `${shots}jupyterlab-widgets.png`, fullPage: false });
});

test("two widgets on the page: the wasm was sent once", async () => {
  assert.equal(await runCell(page, 3), "wasm sent 1 time(s)");
  assert.equal(await page.evaluate(() => globalThis.__huntkitWasmLoads), 1);
});

test("a click on a matrix cell reaches Python", async () => {
  const el = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".huntkit-widget");
  await el.scrollIntoViewIfNeeded();
  const target = await el.evaluate((e) => {
    const plot = e.huntkitPlot;
    const cells = plot.matrix().cells;
    const i = cells.findIndex((c) => c.x === "http" && c.y === "13.107.4.50");
    const [cx, cy] = plot.marker(i);
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + cx, y: r.top + cy, cell: cells[i] };
  });
  await page.mouse.click(target.x, target.y);
  const out = await runCell(page, 4);
  assert.equal(out, "cell: {'x': 'http', 'y': '13.107.4.50', 'x_index': 1, 'y_index': 0, 'value': 6, 'size': 6, 'plot_size': 1.2765957446808511}".replace("'x_index': 1", `'x_index': ${target.cell.xIndex}`).replace("'y_index': 0", `'y_index': ${target.cell.yIndex}`));
});

test("a click on a process box reaches Python: its input row", async () => {
  const el = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".huntkit-widget");
  await el.scrollIntoViewIfNeeded();
  const target = await el.evaluate((e) => {
    const plot = e.huntkitPlot;
    const i = plot.visibleNodes()[1];
    const [x, y, w, h] = plot.nodeBox(i);
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + x + w / 2, y: r.top + y + h / 2, i };
  });
  await page.mouse.click(target.x, target.y);
  const out = await runCell(page, 5);
  // What Python got is the clicked box's input row and key, as the plot has them.
  const want = await el.evaluate((e, i) => {
    const plot = e.huntkitPlot;
    const { row, node } = plot.value;
    return i === plot.value.index ? `row: ${row.NewProcessName} | ${row.CommandLine} | ${node.key}\nobserved: ['${row.NewProcessName.replaceAll("\\", "\\\\")}']` : "not the clicked box";
  }, target.i);
  assert.equal(out, want);
  assert.match(out, /^row: C:\\Windows\\.+\.exe \| .+ \| .+\|.+\nobserved: \['C:\\\\Windows\\\\.+\.exe'\]$/);
});

test("a bad column name is a Python error naming it", async () => {
  const out = await runCell(page, 6);
  assert.match(out, /HuntkitError: \[missing-column\] column `AllExtIP` \(y\) is not in the table; its columns are: index, TenantId/);
});

test("the sign-in front end refuses a kernel on a server, whatever it claims", async () => {
  await runCell(page, 7);
  const box = page.locator(".jp-Notebook .jp-Cell").nth(7).locator(".huntkit-signin");
  await box.waitFor();
  assert.equal(await box.locator("button").isDisabled(), true);
  const refusal = "huntkit.SignIn runs only in JupyterLite (Pyodide kernel): with a kernel on a server, tokens would leave the browser. Paste a token instead.";
  assert.equal(await box.locator(".huntkit-signin-status").textContent(), refusal);
  assert.equal(await runCell(page, 8), refusal);
});

test("a draw error from the wasm is shown and reaches Python's `error`", async () => {
  await runCell(page, 9);
  const box = page.locator(".jp-Notebook .jp-Cell").nth(9).locator(".huntkit-error");
  await box.waitFor();
  const shown = await box.textContent();
  assert.match(shown, /^HuntkitError \[invalid-option\]: option `schema`: unknown schema "windoze"/);
  const out = await runCell(page, 10);
  assert.equal(`HuntkitError [${out.replace(" | ", "]: ")}`, shown);
});

test("a timeline of a DataFrame renders, and a brushed span reaches Python as rows of the DataFrame", async () => {
  await runCell(page, 11);
  const el = await widgetIn(page, 11);
  assert.equal(await el.locator(".huntkit-error").count(), 0, await el.innerText());
  const { colours } = await canvasColours(page, 11, 80);
  const tinted = colours.filter(([rgb]) => rgb !== "255,255,255").reduce((n, [, c]) => n + c, 0);
  assert.ok(tinted > 5_000, `coloured pixels: ${tinted}`);
  const sel = await brushTimeline(page, el, 0.35, 0.6);
  assert.ok(sel.count > 20, `a real span: ${sel.count}`);
  // Python's view of the same selection: the count, times, rows, and the DataFrame's rows.
  const perProtocol = Object.fromEntries(sel.series.map((s) => [s.name, s.rows.length]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const out = await runCell(page, 12);
  const dict = Object.entries(perProtocol).map(([k, v]) => `'${k}': ${v}`).join(", ");
  assert.equal(out, `${sel.count} ${sel.start} ${sel.end} True ${sel.count}\n{${dict}}`);
  await page.screenshot({ path: `${shots}jupyterlab-timeline.png`, fullPage: false });
});

test("no request left 127.0.0.1 and no page error", () => {
  assert.deepEqual(nb.offsite, []);
  assert.deepEqual(nb.problems, []);
});
