// End-to-end: the served demo in headless Debian Chromium, driven by playwright-core.
// Checks pixels drawn on the canvas, the hover tooltip, zoom, pan, the controls, selection,
// and that the page raises no errors. Saves screenshots to tests/e2e/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

import { startServer } from "../../demo/serve.mjs";

const shots = new URL("./screenshots/", import.meta.url).pathname;
let server, browser, page, origin;
const problems = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(0);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--font-render-hinting=none",
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1100, height: 1000 },
    deviceScaleFactor: 1,
    timezoneId: "UTC",
  });
  page = await context.newPage();
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  await page.goto(`${origin}/demo/`);
  await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The cell of the demo's plot matching x and y, with its marker in page coordinates. */
async function cell(x, y) {
  return page.evaluate(
    ([x, y]) => {
      const plot = window.__huntkitPlot();
      const cells = plot.matrix().cells;
      const index = cells.findIndex((c) => c.x === x && c.y === y);
      const [cx, cy, r] = plot.marker(index);
      const box = plot.canvas.getBoundingClientRect();
      return { index, cell: cells[index], cx, cy, r, pageX: box.left + cx, pageY: box.top + cy };
    },
    [x, y],
  );
}

/** RGBA of the canvas backing store at CSS (x, y): the device pixel containing that point. */
async function pixel(x, y) {
  return page.evaluate(
    ([x, y]) => {
      const canvas = window.__huntkitPlot().canvas;
      const dpr = canvas.width / canvas.getBoundingClientRect().width;
      // Read through a copy, so the plot's own context is not flagged for readback.
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      return Array.from(ctx.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data);
    },
    [x, y],
  );
}

// Red at alpha 0.6 over white; overlapping circles darken it.
// Where circles overlap, a neighbour's blue outline may cross a centre: red still dominates.
const isMarkerFill = ([r, g, b]) => r > g + 20 && r > b;
const isWhite = ([r, g, b]) => r === 255 && g === 255 && b === 255;

test("every cell's circle is drawn at its marker, nothing between", async () => {
  await page.screenshot({ path: `${shots}demo-initial.png` });
  const info = await page.evaluate(() => {
    const plot = window.__huntkitPlot();
    const m = plot.matrix();
    return { n: m.cells.length, markers: m.cells.map((_, i) => plot.marker(i)), status: document.getElementById("status").textContent };
  });
  assert.equal(info.status, "460 rows → 89 cells, 7 × 87 labels");
  assert.equal(info.n, 89);
  const unfilled = [];
  for (const [i, [cx, cy]] of info.markers.entries()) {
    const px = await pixel(cx, cy);
    if (!isMarkerFill(px)) unfilled.push({ i, cx, cy, px });
  }
  assert.deepEqual(unfilled, [], "a filled circle at every cell centre");
  // The biggest cells have 47 rows; (ftp, 90.130.70.73) has 1.
  const big = await cell("https", "13.71.172.130");
  const small = await cell("ftp", "90.130.70.73");
  assert.equal(big.cell.value, 47);
  assert.equal(small.cell.value, 1);
  // Dense y axis: the largest marker is MSTICPy's 10 px; tiny cells keep the 2 px minimum radius.
  assert.deepEqual([big.r, small.r], [5, 2]);
  // Columns left to right in label order, y label 0 at the bottom.
  assert.ok(small.cx < big.cx);
  const bottom = await page.evaluate(() => {
    const plot = window.__huntkitPlot();
    const cells = plot.matrix().cells;
    const i = cells.findIndex((c) => c.yIndex === 0);
    const j = cells.findIndex((c) => c.yIndex === 86);
    return [plot.marker(i)[1], plot.marker(j)[1]];
  });
  assert.ok(bottom[0] > bottom[1], "yLabels[0] is drawn at the bottom");
  // Between two adjacent x columns on the small cell's row there is only background.
  assert.ok(isWhite(await pixel(small.cx + 40, small.cy + 2)));
});

test("hover shows the tooltip with x, y and value", async () => {
  const big = await cell("https", "13.71.172.130");
  await page.mouse.move(big.pageX, big.pageY);
  const tooltip = page.locator(".huntkit-tooltip");
  await tooltip.waitFor({ state: "visible" });
  assert.equal(await tooltip.textContent(), "L7Protocol: https\nAllExtIPs: 13.71.172.130\nrows: 47");
  await page.screenshot({ path: `${shots}demo-hover.png` });
  await page.mouse.move(5, 5);
  await tooltip.waitFor({ state: "hidden" });
});

test("wheel zoom magnifies around the pointer; drag pans; double-click resets", async () => {
  const before = await cell("https", "13.71.172.130");
  await page.mouse.move(before.pageX, before.pageY);
  await page.mouse.wheel(0, -600);
  await page.waitForFunction(() => window.__huntkitPlot().zoom > 1);
  const zoomed = await cell("https", "13.71.172.130");
  const zoom = await page.evaluate(() => window.__huntkitPlot().zoom);
  assert.ok(zoom > 2, `zoom ${zoom}`);
  // The point under the pointer stays put; the circle grows.
  // (Pointer coordinates arrive rounded to whole px, so allow for that.)
  const slack = zoom - 1;
  assert.ok(Math.abs(zoomed.cx - before.cx) <= slack && Math.abs(zoomed.cy - before.cy) <= slack);
  assert.ok(Math.abs(zoomed.r - before.r * zoom) < 1e-6);
  assert.ok(isMarkerFill(await pixel(zoomed.cx, zoomed.cy)));
  await page.screenshot({ path: `${shots}demo-zoomed.png` });

  await page.mouse.move(zoomed.pageX, zoomed.pageY);
  await page.mouse.down();
  await page.mouse.move(zoomed.pageX - 30, zoomed.pageY - 20, { steps: 3 });
  await page.mouse.up();
  const panned = await cell("https", "13.71.172.130");
  assert.ok(Math.abs(panned.cx - (zoomed.cx - 30)) < 1e-6 && Math.abs(panned.cy - (zoomed.cy - 20)) < 1e-6);
  await page.waitForTimeout(50); // one animation frame for the drag redraw
  assert.ok(isMarkerFill(await pixel(panned.cx, panned.cy)));

  await page.mouse.dblclick(panned.pageX, panned.pageY);
  await page.waitForFunction(() => window.__huntkitPlot().zoom === 1);
  const reset = await cell("https", "13.71.172.130");
  assert.deepEqual([reset.cx, reset.cy], [before.cx, before.cy]);
});

test("controls re-aggregate; clicking a cell selects it", async () => {
  await page.selectOption("#valueCol", "TotalAllowedFlows");
  await page.waitForFunction(() => window.__huntkitPlot().matrix().measure === "sum");
  const big = await cell("https", "13.71.172.130");
  assert.equal(big.cell.value, 765);
  await page.mouse.move(big.pageX, big.pageY);
  const tooltip = page.locator(".huntkit-tooltip");
  await page.waitForFunction(() => document.querySelector(".huntkit-tooltip").textContent.includes("765"));
  assert.equal(await tooltip.textContent(), "L7Protocol: https\nAllExtIPs: 13.71.172.130\nTotalAllowedFlows (sum): 765");

  await page.check("#logSize");
  await page.waitForFunction(() => window.__huntkitPlot().matrix().cells.some((c) => c.size !== c.value));
  await page.mouse.move(5, 5);
  await page.mouse.move(big.pageX, big.pageY);
  await page.waitForFunction(() => document.querySelector(".huntkit-tooltip").textContent.includes("size"));
  assert.equal(
    await tooltip.textContent(),
    "L7Protocol: https\nAllExtIPs: 13.71.172.130\nTotalAllowedFlows (sum): 765\nsize: 6.6399",
  );

  await page.selectOption("#sort", "asc");
  await page.waitForFunction(() => window.__huntkitPlot().matrix().yLabels[0] === "99.84.106.92");

  const sel = await cell("ssh", "10.0.3.4").catch(() => null);
  const target = sel ?? (await cell("https", "13.71.172.130"));
  await page.mouse.click(target.pageX, target.pageY);
  const selected = await page.locator("#selected").textContent();
  assert.equal(selected, `selected: ${JSON.stringify(target.cell)}`);

  await page.check("#intersect");
  await page.waitForFunction(() => window.__huntkitPlot().matrix().intersect === true);
  await page.screenshot({ path: `${shots}demo-controls.png` });
  await page.uncheck("#intersect");
  await page.uncheck("#logSize");
  await page.selectOption("#sort", "");
  await page.selectOption("#valueCol", "");
});

test("a bad option shows the error and keeps the page alive", async () => {
  await page.selectOption("#x", "FlowType");
  await page.selectOption("#y", "FlowType");
  await page.selectOption("#valueCol", "VMName");
  const status = await page.locator("#status").textContent();
  assert.equal(status, "HuntkitError: column `VMName` (valueCol) has type Utf8, expected a number");
  await page.selectOption("#valueCol", "");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("460 rows"));
});

test("the second dataset loads", async () => {
  await page.selectOption("#dataset", "net_synth_5000");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("5000 rows → 1255 cells"));
  await page.screenshot({ path: `${shots}demo-synth.png` });
});

test("no page errors or console errors", () => {
  assert.deepEqual(problems, []);
});
