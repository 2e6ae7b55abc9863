// End-to-end: the process-tree demo page in headless Debian Chromium (playwright-core). A small
// known tree is loaded through the page's file picker (CSV parsed in the browser); its boxes are
// checked by pixels, then hover, collapse, search, selection and the escaped table.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, shots } from "./browser.mjs";

const smallCsv = new URL("../fixtures/tree_small.csv", import.meta.url).pathname;
let page, problems, browser, close;

before(async () => {
  ({ page, problems, browser, close } = await openDemo("/demo/tree.html", { deviceScaleFactor: 1, timezoneId: "UTC" }));
  await page.setInputFiles("#file", smallCsv);
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("4 rows"));
});

after(async () => {
  await close?.();
});

/** Canvas pixel (CSS px relative to the canvas) as [r, g, b]. */
async function pixel(x, y) {
  return page.evaluate(
    ([x, y]) => {
      // Read from a copy, so the plot's own canvas is never read back.
      const { canvas } = window.__huntkitTree();
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const d = ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
    [x, y],
  );
}

const boxes = () =>
  page.evaluate(() => {
    const plot = window.__huntkitTree();
    return plot.visibleNodes().map((i) => [i, plot.nodeBox(i)]);
  });

/** Viridis at depth 1, 2, 3 of 3 (fill alpha 0.4 over white). */
const FILL = { 1: [68, 1, 84], 2: [33, 144, 141], 3: [253, 231, 37] };
const onWhite = (c) => c.map((v) => Math.round(0.4 * v + 0.6 * 255));
const near = (got, want, what) =>
  assert.ok(got.every((v, k) => Math.abs(v - want[k]) <= 3), `${what}: got ${got}, want ${want}`);

test("the status line counts the tree", async () => {
  assert.equal(await page.textContent("#status"), "4 rows → 6 processes (2 inferred), 2 roots, depth 3");
});

test("six boxes at depth and tree order, filled by depth", async () => {
  const shown = await boxes();
  assert.deepEqual(shown.map(([i]) => i), [0, 1, 2, 3, 4, 5]);
  const depth = [1, 2, 3, 3, 1, 2];
  const [x0, y0, w0, h0] = shown[0][1];
  for (const [k, [, [x, y, w, h]]] of shown.entries()) {
    // One level (a third of a box) right per depth, one row down per node.
    assert.ok(Math.abs(x - (x0 + ((depth[k] - 1) * w0) / 3.5)) < 0.01, `x of box ${k}`);
    assert.ok(Math.abs(y - (y0 + k * (h0 / 0.92))) < 0.01, `y of box ${k}`);
    assert.equal(w, w0);
    // The bottom-right corner, inside the outline: the fill only.
    near(await pixel(x + w - 4, y + h - 3), onWhite(FILL[depth[k]]), `fill of box ${k}`);
  }
  // Right of the deepest box, in row 2: background.
  const [, [x2, y2, w2, h2]] = shown[2];
  assert.deepEqual(await pixel(x2 + w2 + 20, y2 + h2 / 2), [255, 255, 255]);
  // A connector runs from cmd.exe (row 1) down to whoami.exe (row 2).
  const [, [x1, y1, , h1]] = shown[1];
  const grey = await pixel(Math.floor(x1 + (w0 / 3.5) * 0.3), y1 + h1 + 2);
  near(grey, [110, 110, 110], "connector");
  await page.screenshot({ path: `${shots}tree-small.png` });
});

test("hovering a box shows its tooltip, escaped", async () => {
  const [, [x, y, w, h]] = (await boxes())[3];
  const box = await page.$eval(".huntkit-tree canvas", (c) => c.getBoundingClientRect().toJSON());
  await page.mouse.move(box.x + x + w / 2, box.y + y + h / 2);
  const tip = await page.textContent(".huntkit-tree .huntkit-tooltip");
  assert.equal(
    tip,
    [
      "Process: C:\\W\\notepad.exe",
      "PID: 0x300",
      "Time: 2024-01-01 10:00:02.000",
      "User: bob",
      "Command line: notepad <script>window.__pwned=1</script>",
      "Host: host1",
      "Key: c:\\w\\notepad.exe|0x300|2024-01-01 10:00:02.000000",
    ].join("\n"),
  );
  await page.mouse.move(box.x + x + 2, box.y + 2);
});

test("collapsing cmd.exe hides its two children", async () => {
  const before = await boxes();
  const [, [x, y, , h]] = before[1];
  const box = await page.$eval(".huntkit-tree canvas", (c) => c.getBoundingClientRect().toJSON());
  const s = Math.min(h * 0.4, 14);
  await page.mouse.click(box.x + x - s / 2 - 3, box.y + y + h / 2);
  const after = await boxes();
  assert.deepEqual(after.map(([i]) => i), [0, 1, 4, 5]);
  // Row 2 now holds services.exe (depth 1): whoami's old place shows no yellow fill.
  const [, [wx, wy, ww, wh]] = before[2];
  assert.notDeepEqual(await pixel(wx + ww - 4, wy + wh - 3), onWhite(FILL[3]));
  near(await pixel(after[2][1][0] + after[2][1][2] - 4, after[2][1][1] + after[2][1][3] - 3), onWhite(FILL[1]), "services.exe moved up");
  await page.screenshot({ path: `${shots}tree-collapsed.png` });
  // Colouring by another column keeps the collapsed subtree (and recolours: alice's cmd.exe
  // is the first category).
  await page.selectOption("#legend", "SubjectUserName");
  assert.deepEqual((await boxes()).map(([i]) => i), [0, 1, 4, 5]);
  const [, [cx, cy, cw, ch]] = (await boxes())[1];
  near(await pixel(cx + cw - 4, cy + ch - 3), onWhite([31, 119, 180]), "cmd.exe in the first category colour");
  await page.selectOption("#legend", "");
  await page.mouse.click(box.x + x - s / 2 - 3, box.y + y + h / 2);
  assert.equal((await boxes()).length, 6);
});

test("search marks the matching boxes", async () => {
  await page.fill("#search", "WHOAMI");
  assert.equal(await page.textContent("#matches"), "2 matches");
  const shown = await boxes();
  const orange = [255, 140, 0];
  for (const [k, [, [x, y, , h]]] of shown.entries()) {
    const marked = k === 1 || k === 2; // cmd.exe's command line and whoami.exe
    const got = await pixel(x - 2, y + h / 2);
    if (marked) near(got, orange, `mark on box ${k}`);
    else assert.notDeepEqual(got, orange, `no mark on box ${k}`);
  }
  await page.screenshot({ path: `${shots}tree-search.png` });
  await page.fill("#search", "");
});

test("clicking a box selects it and reports its row", async () => {
  const [, [x, y, w, h]] = (await boxes())[3];
  const box = await page.$eval(".huntkit-tree canvas", (c) => c.getBoundingClientRect().toJSON());
  await page.mouse.click(box.x + x + w / 2, box.y + y + h / 2);
  assert.equal(
    await page.textContent("#selected"),
    "selected: C:\\W\\notepad.exe (PID 0x300)\nc:\\w\\notepad.exe|0x300|2024-01-01 10:00:02.000000",
  );
  const value = await page.evaluate(() => window.__huntkitTree().value);
  assert.equal(value.index, 3);
  assert.equal(value.row.CommandLine, "notepad <script>window.__pwned=1</script>");
  assert.equal(value.row.SubjectUserName, "bob");
  // The selection outline (dark) sits 1 px outside the box.
  near(await pixel(x - 1, y + h / 2), [34, 34, 34], "selection outline");
});

test("the table shows the rows as text, never as markup", async () => {
  await page.check("#showTable");
  await page.waitForSelector(".huntkit-tree-table td");
  const cells = await page.$$eval(".huntkit-tree-table td", (tds) => tds.map((td) => td.textContent));
  assert.ok(cells.includes("notepad <script>window.__pwned=1</script>"), cells.join(" | "));
  assert.equal(await page.$$eval(".huntkit-tree-table script", (s) => s.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // The selected row is highlighted in the table.
  const selected = await page.$eval('.huntkit-tree-table tr[data-node="3"]', (tr) => tr.style.background);
  assert.equal(selected, "rgb(255, 232, 176)");
  await page.screenshot({ path: `${shots}tree-table.png` });
  await page.uncheck("#showTable");
});

test("a JSON file of row objects loads through the picker", async () => {
  const rows = [
    { TimeGenerated: "2024-01-01T10:00:00Z", NewProcessName: "C:\\a.exe", NewProcessId: "0x10", ProcessId: "0x1", ParentProcessName: "C:\\p.exe" },
    { TimeGenerated: "2024-01-01T10:00:01Z", NewProcessName: "C:\\b.exe", NewProcessId: "0x20", ProcessId: "0x10", ParentProcessName: "C:\\a.exe" },
  ];
  await page.setInputFiles("#file", { name: "rows.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(rows)) });
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("2 rows"));
  assert.equal(await page.textContent("#status"), "2 rows → 3 processes (1 inferred), 1 roots, depth 3");
  const bad = { name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"not": "rows"}') };
  await page.setInputFiles("#file", bad);
  await page.waitForFunction(() => document.querySelector("#status").className === "error");
  assert.equal(await page.textContent("#status"), "Error: the JSON file must hold an array of row objects");
});

test("a table is built on the fly; keys scroll; HiDPI doubles the backing store", async () => {
  const result = await page.evaluate(async () => {
    const hk = await import("/npm/dist/index.js");
    const rows = Array.from({ length: 300 }, (_, i) => ({
      TimeGenerated: new Date(Date.UTC(2024, 0, 1) + i * 1000),
      NewProcessName: `x${i}.exe`,
      NewProcessId: `0x${(i + 1).toString(16)}`,
      ProcessId: `0x${i.toString(16)}`,
      ParentProcessName: i ? `x${i - 1}.exe` : "init.exe",
    }));
    const el = document.createElement("div");
    el.style.width = "600px";
    document.body.append(el);
    const plot = hk.plotProcessTree(el, rows, { schema: "windows", height: 300, rowHeight: 20 });
    const shown = plot.visibleNodes().length;
    const y0 = plot.nodeBox(5)[1];
    plot.canvas.dispatchEvent(new KeyboardEvent("keydown", { key: "PageDown", bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const y1 = plot.nodeBox(5)[1];
    let error;
    try {
      hk.plotProcessTree(el, rows, { schema: "windows", legendColumn: "x" });
    } catch (e) {
      error = `${e.name} ${e.code}: ${e.message}`;
    }
    plot.destroy();
    el.remove();
    return { shown, scrolled: y0 - y1, error };
  });
  assert.equal(result.shown, 301);
  // PageDown moves the content up by 90% of the 300 px element (minus the 30 px title strip).
  assert.ok(result.scrolled > 200 && result.scrolled < 300, `scrolled ${result.scrolled}`);
  assert.match(result.error, /^HuntkitError invalid-option: .*legendColumn.*legendCol/);

  const hidpi = await browser.newContext({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 2 });
  const p2 = await hidpi.newPage();
  await p2.goto(page.url());
  await p2.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 30_000 });
  const sizes = await p2.evaluate(() => {
    const c = window.__huntkitTree().canvas;
    return [c.width, c.height, c.getBoundingClientRect().width, c.getBoundingClientRect().height];
  });
  assert.deepEqual([sizes[0], sizes[1]], [Math.round(sizes[2] * 2), Math.round(sizes[3] * 2)]);
  await p2.screenshot({ path: `${shots}tree-hidpi.png` });
  await hidpi.close();
});

test("the bundled samples draw with a legend and no page errors", async () => {
  await page.selectOption("#dataset", "mde_proc_pub");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("200 rows"));
  assert.equal(await page.textContent("#status"), "200 rows → 266 processes (66 inferred), 3 roots, depth 10");
  await page.selectOption("#dataset", "win_proc_test");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("1000 rows"));
  await page.screenshot({ path: `${shots}tree-win.png` });
  assert.deepEqual(problems, [], problems.join("\n"));
});
