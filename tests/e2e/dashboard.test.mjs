// The dashboard example (demo/dashboard, a Vite app built for production into target/dashboard
// with huntkit installed from its tarball) in headless Chromium: both plots drawn, and selection
// linked both ways (a matrix cell selects that account's processes in the tree; a process selects
// its cell and lists the indicators in its command line).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { startServer } from "../../demo/serve.mjs";
import { openBrowser, shots } from "../notebooks/notebook.mjs";

let server, nb, page;

before(async () => {
  server = await startServer(0);
  nb = await openBrowser();
  page = await nb.context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/dashboard/`);
  await page.waitForFunction(() => document.body.dataset.ready || document.body.dataset.error, null, { timeout: 30_000 });
});

after(async () => {
  await nb?.browser.close();
  server?.close();
});

test("the production build loads huntkit with a bare import and draws both plots", async () => {
  assert.equal(await page.evaluate(() => document.body.dataset.error ?? null), null);
  assert.equal(await page.textContent("#status"), "1000 events, 1010 processes. Click a cell or a process.");
  const scripts = await page.$$eval("script[src]", (s) => s.map((e) => e.getAttribute("src")));
  assert.ok(scripts.every((src) => src.startsWith("./assets/")), `bundled: ${scripts}`);
  const drawn = await page.evaluate(() =>
    ["#matrix canvas", "#tree canvas"].map((sel) => {
      const c = document.querySelector(sel);
      const copy = document.createElement("canvas");
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < d.length; k += 4) if (d[k] !== 255 || d[k + 1] !== 255 || d[k + 2] !== 255) n++;
      return n;
    }),
  );
  assert.ok(drawn[0] > 5000 && drawn[1] > 20_000, `painted pixels: ${drawn}`);
});

test("a matrix cell selects that account's process of that program in the tree", async () => {
  const target = await page.evaluate(() => {
    const m = window.dashboard.matrix;
    const cells = m.matrix().cells;
    const i = cells.findIndex((c) => c.x === "LOCAL SERVICE" && c.y === "conhost.exe");
    const [cx, cy] = m.marker(i);
    const r = m.canvas.getBoundingClientRect();
    return { x: r.left + cx, y: r.top + cy };
  });
  await page.mouse.click(target.x, target.y);
  assert.equal(await page.textContent("#status"), "LOCAL SERVICE ran conhost.exe 2 times: the first is selected in the tree");
  const selected = await page.evaluate(() => window.dashboard.treeView.value);
  assert.equal(selected.node.name, "C:\\Windows\\System32\\conhost.exe");
  assert.equal(selected.row.SubjectUserName, "LOCAL SERVICE");
  // The tree's selection selected the cell back (a ring), without looping.
  assert.deepEqual(await page.evaluate(() => [window.dashboard.matrix.value.x, window.dashboard.matrix.value.y]), ["LOCAL SERVICE", "conhost.exe"]);
  await page.screenshot({ path: `${shots}dashboard.png` });
});

test("a process selects its cell and lists the indicators of its command line", async () => {
  const target = await page.evaluate(() => {
    const t = window.dashboard.treeView;
    // Another process in view, below the selected one: a real one (not an inferred parent).
    const r = t.canvas.getBoundingClientRect();
    const i = t.visibleNodes().find((n) => {
      const box = t.nodeBox(n);
      return n > t.value.index && box && box[1] > 40 && box[1] + box[3] < r.height - 10;
    });
    const [x, y, w, h] = t.nodeBox(i);
    return { x: r.left + x + w / 2, y: r.top + y + h / 2 };
  });
  await page.mouse.click(target.x, target.y);
  const { node, row } = await page.evaluate(() => window.dashboard.treeView.value);
  const cell = await page.evaluate(() => window.dashboard.matrix.value);
  const program = row.NewProcessName.split("\\").pop();
  assert.deepEqual([cell.x, cell.y], [row.SubjectUserName, program]);
  assert.equal(await page.textContent("#status"), `${program} (PID ${node.pid}) by ${row.SubjectUserName}: ${cell.value} such processes`);
  const iocs = await page.$$eval("#iocs tbody tr", (trs) => trs.map((tr) => tr.cells[1].textContent));
  const hk = await import("huntkit");
  assert.deepEqual(iocs, hk.extractIocs(row.CommandLine).map((m) => m.value));
});

test("no request left 127.0.0.1 and no page error", () => {
  assert.deepEqual(nb.offsite, []);
  assert.deepEqual(nb.problems, []);
});
