// The demo's JupyterLite site (target/jupyterlite/site, built by demo/jupyterlite/build.sh),
// served by demo/serve.mjs, in headless Chromium with every off-host request aborted: the
// example notebooks run top to bottom in the Pyodide kernel with no server, the widgets render,
// huntkit's engine answers in the kernel, and the Azure notebook signs in with MSAL against the
// mock authority and reads from the mock APIs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { certificateSpki } from "../../demo/mock-azure/authority.mjs";
import { startServer } from "../../demo/serve.mjs";
import { brushTimeline, canvasColours, openBrowser, outputText, root, runCell, shots, waitForOutput, widgetIn } from "./notebook.mjs";

let server, site, nb;
const timings = {};

before(async () => {
  server = await startServer(0);
  site = `http://127.0.0.1:${server.address().port}/lite`;
  // The mock sign-in authority has a local test certificate: trust that one.
  nb = await openBrowser({}, { trustSpki: certificateSpki() });
});

after(async () => {
  await nb?.browser.close();
  server?.close();
  if (Object.keys(timings).length) console.log(`# JupyterLite timings: ${JSON.stringify(timings)}`);
});

/** Opens `name` from the site (in a fresh browser context) and waits for the Pyodide kernel. */
async function open(name) {
  const page = await (await nb.newContext()).newPage();
  const t0 = Date.now();
  await page.goto(`${site}/lab/index.html?path=${name}`);
  await page.waitForSelector(".jp-Notebook .jp-CodeCell .cm-content", { timeout: 120_000 });
  await page.waitForSelector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 180_000 });
  return { page, t0 };
}

/** Indexes of the code cells. */
async function codeCells(page) {
  return page.$$eval(".jp-Notebook .jp-Cell", (cells) => cells.flatMap((c, i) => (c.classList.contains("jp-CodeCell") ? [i] : [])));
}

/** Runs every code cell in order; returns their outputs by cell index. */
async function runAll(page, stopBefore = Infinity) {
  const outs = {};
  for (const i of await codeCells(page)) {
    if (i >= stopBefore) break;
    outs[i] = await runCell(page, i, { timeout: 180_000 });
    assert.doesNotMatch(outs[i], /Traceback|Error/, `cell ${i}:\n${outs[i]}`);
  }
  return outs;
}

const summary = JSON.parse(readFileSync(`${root}tests/golden/proctree/win_proc_test.summary.json`, "utf8"));

test("process-trees.ipynb: runs top to bottom; the trees render; a click reaches Python; build_process_tree in the kernel", async () => {
  const { page, t0 } = await open("process-trees.ipynb");
  const kernelReady = Date.now();
  const outs = await runAll(page);
  assert.match(outs[1], /^huntkit \d+\.\d+\.\d+ in Pyodide$/);
  const tree = await widgetIn(page, 3);
  timings.firstWidgetAfterKernelReadyMs = Date.now() - kernelReady;
  timings.pageToKernelReadyMs = kernelReady - t0;
  assert.equal(await tree.locator(".huntkit-error").count(), 0);
  const { colours } = await canvasColours(page, 3, 60);
  const tinted = colours.filter(([rgb]) => rgb !== "255,255,255").reduce((n, [, c]) => n + c, 0);
  assert.ok(tinted > 20_000, `coloured pixels of the Windows tree: ${tinted}`);
  // The Defender tree: drawn, with inferred (dashed) parents.
  const mde = await widgetIn(page, 7);
  assert.equal(await mde.locator(".huntkit-error").count(), 0);
  assert.ok((await mde.evaluate((e) => e.huntkitPlot.visibleNodes().length)) > 100);
  // MSTICPy's numbers for this data, computed in the kernel.
  const want = `${summary.rows_out} processes, ${summary.roots} roots, ${summary.inferred_parents} inferred parents, depth ${summary.max_depth}`;
  assert.ok(outs[9].startsWith(`${want}\n`), outs[9]);
  assert.match(outs[9], /proc_key\s+parent_key\s+path\s+NewProcessName/);
  assert.match(outs[9], /1010 rows × 4 columns \(first 8 shown\)|8 rows × 4 columns/);

  // Click the second box, re-run the cell that reads the selection.
  assert.equal(outs[5], "click a process above, then run this cell again");
  await tree.scrollIntoViewIfNeeded();
  const box = await tree.evaluate((e) => {
    const plot = e.huntkitPlot;
    const i = plot.visibleNodes()[1];
    const [x, y, w, h] = plot.nodeBox(i);
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + x + w / 2, y: r.top + y + h / 2 };
  });
  await page.mouse.click(box.x, box.y);
  const want5 = await tree.evaluate((e) => `${e.huntkitPlot.value.row.NewProcessName} ${e.huntkitPlot.value.row.CommandLine}`);
  assert.equal(await runCell(page, 5), want5);
  await page.screenshot({ path: `${shots}jupyterlite-process-trees.png` });
  await page.context().close();
});

test("matrix.ipynb: the matrix renders, a clicked cell reaches Python, matrix_data has MSTICPy's numbers", async () => {
  const { page } = await open("matrix.ipynb");
  const outs = await runAll(page);
  const m = await widgetIn(page, 2);
  assert.equal(await m.locator(".huntkit-error").count(), 0);
  // MSTICPy's golden for this aggregation (TotalAllowedFlows summed, no log): the first rows.
  const golden = readFileSync(`${root}tests/golden/matrix/az_net_flows__L7Protocol_x_AllExtIPs__value_col.csv`, "utf8").trim().split("\n");
  assert.equal(golden[1], "ftp,90.130.70.73,1.0,1.0,0.013071895424836602");
  assert.match(outs[6], /L7Protocol\s+AllExtIPs\s+TotalAllowedFlows\s+size\s+plot_size/);
  assert.match(outs[6], /ftp\s+90\.130\.70\.73\s+1(\.0)?\s+1(\.0)?\s+0\.013071895424836602/);
  assert.match(outs[6], /http\s+13\.107\.4\.50\s+49(\.0)?\s+49(\.0)?\s+0\.6405228758169934/);
  assert.equal(outs[4], "None"); // nothing clicked yet
  await m.scrollIntoViewIfNeeded();
  const target = await m.evaluate((e) => {
    const plot = e.huntkitPlot;
    const cells = plot.matrix().cells;
    const i = cells.findIndex((c) => c.x === "http" && c.y === "13.107.4.50");
    const [cx, cy] = plot.marker(i);
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + cx, y: r.top + cy };
  });
  await page.mouse.click(target.x, target.y);
  const out = await runCell(page, 4);
  assert.match(out, /^\{'x': 'http', 'y': '13\.107\.4\.50', 'x_index': \d+, 'y_index': \d+, 'value': 49, 'size': 3\.8918202981106265, 'plot_size': [\d.]+\}$/);
  await page.context().close();
});

test("iocs.ipynb: extract_iocs and refang answer in the kernel, as huntkit does in JS", async () => {
  const { page } = await open("iocs.ipynb");
  const outs = await runAll(page);
  assert.match(outs[2], /IoCType\s+Observable\s+Original\s+Defanged\s+Decoded/);
  assert.match(outs[2], /email\s+billing@invoices-secure\.com\s+billing\[at\]invoices-secure\[\.\]com\s+True/);
  assert.match(outs[2], /url\s+https:\/\/docs\.invoices-secure\.com\/view\?id=88231\s+hxxps:\/\/docs\.invoices-secure\[\.\]com\/view\?id=88231\s+True/);
  // The same text through the npm package in this page's twin (Node): the same indicators.
  const hk = await import("huntkit");
  const report = readFileSync(`${root}demo/data/ioc_report.txt`, "utf8");
  const js = hk.extractIocs(report);
  assert.match(outs[2], new RegExp(`${js.length} rows × 5 columns`));
  assert.equal(outs[3], "'beacon to https://evil.example.com/a from 10.1.2.3, mail admin@evil.example'");
  const win = readFileSync(`${root}demo/data/win_proc_test.arrow`);
  const table = hk.extractIocsFromTable(new Uint8Array(win), { columns: ["CommandLine"], types: ["url", "ipv4", "dns"] }).toRows();
  assert.match(outs[5], /IoCType\s+Observable\s+SourceIndex/);
  for (const row of table.slice(0, 3)) assert.ok(outs[5].includes(row.Observable), `${row.Observable} in\n${outs[5]}`);
  await page.context().close();
});

test("timelines.ipynb: the three timelines render; a brushed span reaches Python with its rows", async () => {
  const { page } = await open("timelines.ipynb");
  const outs = await runAll(page);
  const cells = await codeCells(page);
  const [events, selection, values, duration] = [cells[1], cells[2], cells[3], cells[4]];
  for (const i of [events, values, duration]) {
    const el = await widgetIn(page, i);
    assert.equal(await el.locator(".huntkit-error").count(), 0, await el.innerText());
    const { colours } = await canvasColours(page, i, 80);
    const tinted = colours.filter(([rgb]) => rgb !== "255,255,255").reduce((n, [, c]) => n + c, 0);
    assert.ok(tinted > 3_000, `cell ${i}: coloured pixels ${tinted}`);
  }
  const tl = await widgetIn(page, events);
  const data = await tl.evaluate((e) => e.huntkitPlot.timeline());
  assert.deepEqual([data.series.map((s) => s.name), data.series.reduce((n, s) => n + s.rows.length, 0)], [["dc01", "web01", "ws-0042"], 2000]);
  assert.deepEqual(data.refs.map((r) => [new Date(r.time).toISOString(), r.label]), [["2024-03-01T13:00:00.000Z", "Alert time"]]);
  const spans = await (await widgetIn(page, duration)).evaluate((e) => e.huntkitPlot.timeline().series.length);
  assert.equal(spans, 7);
  assert.equal(outs[selection], "select a span above (Shift+drag), then run this cell again");
  const sel = await brushTimeline(page, tl, 0.2, 0.5);
  assert.ok(sel.count > 100, `a real span: ${sel.count}`);
  const per = sel.series.map((s) => `'${s.name}': ${s.rows.length}`).join(", ");
  assert.equal(await runCell(page, selection), `${sel.count} events from ${sel.start} to ${sel.end}\n{${per}}`);
  await page.screenshot({ path: `${shots}jupyterlite-timelines.png` });
  await page.context().close();
});

test("azure.ipynb: MSAL signs in against the mock authority, the kernel queries the mock, the result is drawn", async () => {
  const { page } = await open("azure.ipynb");
  // Code cells: install, mock info, SignIn, query, tree, incidents, Resource Graph + hunting, pasted token.
  const cells = await codeCells(page);
  const signinCell = cells[2];
  await runAll(page, signinCell + 1);
  const status = page.locator(".huntkit-signin-status");
  await waitForOutput(page, signinCell, /not signed in/);
  // The button opens MSAL's popup; the mock authority answers at once.
  const popup = page.waitForEvent("popup");
  await page.locator(".huntkit-signin button").click();
  await popup;
  await page.waitForFunction((el) => el.textContent.startsWith("signed in"), await status.elementHandle(), { timeout: 30_000 });
  assert.equal(await status.textContent(), "signed in as analyst@contoso.com: tokens for 3 APIs handed to the kernel");
  // One token per API audience, from the mock authority.
  assert.deepEqual(server.authority.log.map((e) => e.audience).sort(), ["https://api.loganalytics.io", "https://graph.microsoft.com", "https://management.azure.com"]);
  const before = server.mock.log.length;
  const query = await runCell(page, cells[3], { timeout: 60_000 });
  assert.equal(query, "1000 process events from analyst@contoso.com");
  await runCell(page, cells[4]);
  const tree = await widgetIn(page, cells[4]);
  assert.equal(await tree.locator(".huntkit-error").count(), 0);
  assert.equal(await tree.evaluate((e) => e.huntkitPlot.visibleNodes().length > 0), true);
  const incidents = await runCell(page, cells[5]);
  assert.match(incidents, /name\s+properties\.title\s+properties\.severity/);
  assert.match(incidents, /inc-1\s+Incident 1\s+High/);
  assert.equal(await runCell(page, cells[6]), "5 VMs (every page); 2 hunting rows from ['ws1', 'ws2']");
  assert.equal(await runCell(page, cells[7]), "1000 rows with a pasted token");
  // Every API call carried the token of its own audience.
  const calls = server.mock.log.slice(before).map((e) => `${e.method} ${e.api} ${e.audience}`);
  assert.ok(calls.length >= 3, JSON.stringify(calls));
  for (const c of calls) {
    assert.match(c, /^(POST la https:\/\/api\.loganalytics\.io|(GET|POST) arm https:\/\/management\.azure\.com|POST graph https:\/\/graph\.microsoft\.com)$/);
  }
  await page.screenshot({ path: `${shots}jupyterlite-azure.png` });
  await page.context().close();
});

test("SignIn and token errors, and errors from the wasm, are Python HuntkitErrors", async () => {
  // A fresh notebook in the site: SignIn needs a client id; a token for the wrong API is refused.
  const { page } = await open("azure.ipynb");
  const cells = await codeCells(page);
  await runAll(page, cells[2]);
  await runCell(page, cells.at(-1)); // defines mock_token
  const last = cells.at(-1);
  await page.locator(".jp-Notebook .jp-Cell").nth(last).locator(".cm-content").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(
    'try:\n    huntkit.SignIn(cloud="global")\nexcept huntkit.HuntkitError as e:\n    print(e.code, e.message)\n' +
      'az = huntkit.AzureClient(cloud="global", workspace_id="w", token=mock_token("https://graph.microsoft.com"), endpoints=endpoints)\n' +
      'try:\n    await az.log_analytics.query("print 1")\nexcept huntkit.HuntkitError as e:\n    print(e.code, e.message)\n' +
      'try:\n    huntkit.extract_iocs("x", ioc_types=["nonsense"])\nexcept huntkit.HuntkitError as e:\n    print(e.code, e.message)',
  );
  const out = await runCell(page, last);
  assert.match(out, /^invalid-config SignIn needs `client_id`/m);
  assert.match(out, /no pasted token is for https:\/\/api\.loganalytics\.io \(pasted tokens are for https:\/\/graph\.microsoft\.com\)/);
  // An error raised by the wasm is a Python HuntkitError with its code and message.
  const hk = await import("huntkit");
  let js;
  try {
    hk.extractIocs("x", { types: ["nonsense"] });
  } catch (err) {
    js = `${err.code} ${err.message}`;
  }
  assert.ok(js && out.split("\n").includes(js), `${js} in\n${out}`);
  await page.context().close();
});

test("no request left 127.0.0.1 and no page error", () => {
  assert.deepEqual(nb.offsite, []);
  assert.deepEqual(nb.problems, []);
});
