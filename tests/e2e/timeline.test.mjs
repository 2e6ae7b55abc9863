// End-to-end: the timelines demo page in headless Chromium. Checks a glyph's pixels at a known
// event time, the hover tooltip, that dragging the range selector moves the main range, that a
// Shift+drag brush selects exactly the events in its span (and the page lists them), the
// reference line, the density drawing of 200,000 generated events, and no page errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tableFromIPC } from "apache-arrow";
import { openDemo, shots } from "./browser.mjs";

let page, problems, close;

before(async () => {
  ({ page, problems, close } = await openDemo("/demo/timeline.html", { deviceScaleFactor: 1, timezoneId: "UTC" }));
});

after(async () => {
  await close?.();
});

/** Pixel [r, g, b] at (x, y) CSS px of the `which` plot's canvas (read from a copy). */
async function pixel(which, x, y) {
  return page.evaluate(
    ([which, x, y]) => {
      const { canvas } = window.__huntkitTimelines()[which];
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const d = ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
    [which, x, y],
  );
}

const call = (which, method, ...args) =>
  page.evaluate(([which, method, args]) => window.__huntkitTimelines()[which][method](...args), [which, method, args]);
const canvasBox = (which) => page.locator(`#${which} canvas`).boundingBox();
const near = (got, want, tol, what) => assert.ok(got.every((v, k) => Math.abs(v - want[k]) <= tol), `${what}: got ${got}, want ${want}`);

test("the bundled flows: a series per protocol with its rows, none left out", async () => {
  assert.equal(await page.textContent("#status"), "460 events in 7 series");
  // The rows per protocol, read with apache-arrow.
  const flows = tableFromIPC(readFileSync(new URL("../../demo/data/az_net_flows.arrow", import.meta.url)));
  const want = new Map();
  for (let i = 0; i < flows.numRows; i++) {
    const p = flows.get(i).L7Protocol;
    want.set(p, [...(want.get(p) ?? []), i]);
  }
  const tl = await call("events", "timeline");
  assert.deepEqual(
    tl.series.map((s) => [s.name, s.rows]),
    [...want.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  );
});

test("the ftp event is drawn at its time, in its series' colour", async () => {
  const tl = await call("events", "timeline");
  const ftp = tl.series[0];
  assert.deepEqual([ftp.rows, ftp.times], [[87], [Date.UTC(2019, 1, 12, 20, 30, 17)]]);
  const [x, y] = await call("events", "eventPoint", 0, 87);
  const [left, , width] = await call("events", "plotArea");
  const [a, b] = (await page.evaluate(() => window.__huntkitTimelines().events.window)).map((d) => new Date(d).getTime());
  assert.ok(Math.abs(x - (left + ((ftp.times[0] - a) / (b - a)) * width)) < 1e-6);
  // Viridis' first of seven (#440154) at alpha 0.5 over white, at the diamond's centre.
  assert.equal(ftp.color, "#440154");
  near(await pixel("events", x, y), [162, 128, 169], 3, "ftp diamond");
  // Empty plot area just left of it.
  near(await pixel("events", x - 12, y), [255, 255, 255], 0, "background");
});

test("hovering the event shows its tooltip", async () => {
  const box = await canvasBox("events");
  const [x, y] = await call("events", "eventPoint", 0, 87);
  await page.mouse.move(box.x + x, box.y + y);
  const tooltip = page.locator("#events .huntkit-tooltip");
  await tooltip.waitFor({ state: "visible" });
  assert.equal(
    await tooltip.textContent(),
    "ftp\nVMName: msticalertswin1\nAllExtIPs: 90.130.70.73\nL7Protocol: ftp\nTotalAllowedFlows: 1\nFlowStartTime: 2019-02-12 20:30:17.000",
  );
  await page.mouse.move(box.x + 2, box.y + 2);
  await tooltip.waitFor({ state: "hidden" });
});

test("dragging the range selector's window moves the main range by the same time", async () => {
  const box = await canvasBox("events");
  const windowOf = () => page.evaluate(() => window.__huntkitTimelines().events.window.map((d) => d.getTime()));
  // Narrow the main range first (wheel in), so the window can move.
  const [left, top, width, height] = await call("events", "plotArea");
  await page.mouse.move(box.x + left + width / 2, box.y + top + height / 2);
  await page.mouse.wheel(0, -462.1); // ×2
  const before = await windowOf();
  const [wl, wr, wy] = await call("events", "windowBox");
  const tl = await call("events", "timeline");
  await page.mouse.move(box.x + (wl + wr) / 2, box.y + wy);
  await page.mouse.down();
  await page.mouse.move(box.x + (wl + wr) / 2 + 60, box.y + wy, { steps: 4 });
  await page.mouse.up();
  const after = await windowOf();
  const moved = after[0] - before[0];
  assert.ok(moved > 0, "moved right");
  assert.ok(Math.abs(after[1] - after[0] - (before[1] - before[0])) < 1, "same width");
  const [nwl] = await call("events", "windowBox");
  assert.ok(Math.abs(nwl - wl - 60) < 0.5, `window box followed the pointer: ${nwl - wl}`);
  // Double click: back to the initial range.
  await page.mouse.dblclick(box.x + left + 5, box.y + top + 5);
  const reset = await windowOf();
  assert.ok(reset.every((v, i) => Math.abs(v - tl.xRange[i]) < 1), `${reset} vs ${tl.xRange}`);
});

test("Shift+drag brushes a span: exactly its events, listed on the page and followed by the values plot", async () => {
  const box = await canvasBox("events");
  const [left, top, width, height] = await call("events", "plotArea");
  const [x0, x1] = [left + width * 0.3, left + width * 0.45];
  await page.keyboard.down("Shift");
  await page.mouse.move(box.x + x0, box.y + top + height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + x1, box.y + top + height / 2, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  const sel = await page.evaluate(() => {
    const v = window.__huntkitTimelines().events.value;
    return { ...v, start: v.start.getTime(), end: v.end.getTime() };
  });
  // The rows whose time falls in the span, computed from the timeline's data.
  const tl = await call("events", "timeline");
  const want = tl.series
    .flatMap((s) => s.rows.filter((_, k) => s.times[k] >= sel.start && s.times[k] <= sel.end + 1))
    .sort((a, b) => a - b);
  assert.ok(want.length > 10, `a real span: ${want.length}`);
  assert.deepEqual(sel.rows, want);
  assert.equal(sel.count, want.length);
  const text = await page.textContent("#selection");
  assert.ok(text.startsWith(`selected ${want.length} events from 2019-02-1`), text);
  assert.equal(await page.locator("#rows tbody tr").count(), Math.min(20, want.length));
  // The linked values plot selected the same span.
  const linked = await page.evaluate(() => window.__huntkitTimelines().values.value);
  assert.equal(linked.count, want.length);
  // The span is shaded: a pixel inside it is no longer white where nothing is drawn.
  const shaded = await pixel("events", (x0 + x1) / 2, top + 3);
  assert.ok(shaded[2] > shaded[0], `blue-grey shade: ${shaded}`);
  await page.screenshot({ path: `${shots}timeline-brush.png` });
});

test("a reference line at the selection is drawn in red at its time", async () => {
  const start = await page.evaluate(() => window.__huntkitTimelines().events.value.start.getTime());
  await page.click("#mark");
  await page.waitForFunction(() => window.__huntkitTimelines().events?.timeline().refs.length === 1);
  const tl = await call("events", "timeline");
  assert.deepEqual(tl.refs, [{ time: start, label: "selected" }]);
  const [left, top, width] = await call("events", "plotArea");
  const [a, b] = tl.xRange;
  const x = left + ((start - a) / (b - a)) * width;
  // A dashed line, half transparent, anti-aliased: the reddest pixel of a dash's length.
  let red = [0, 255, 255];
  for (let dx = -1; dx <= 1; dx++) {
    for (let dy = 1; dy <= 13; dy++) {
      const p = await pixel("events", x + dx, top + 30 + dy);
      if (p[0] - p[1] > red[0] - red[1]) red = p;
    }
  }
  assert.ok(red[0] > 240 && red[0] - red[1] > 50 && Math.abs(red[1] - red[2]) < 8, `red line at ${x}: ${red}`);
  // Nothing red a few pixels away.
  const off = await pixel("events", x + 6, top + 30);
  assert.ok(off[0] - off[1] < 10, `no red beside it: ${off}`);
  await page.click("#clearMark");
});

test("200,000 generated events are drawn as a density, and hovering reports counts", async () => {
  await page.selectOption("#dataset", "generated");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("200000 events"), null, { timeout: 60_000 });
  assert.equal(await page.textContent("#status"), "200000 events in 6 series; 6 series drawn as a density");
  const tl = await call("events", "timeline");
  assert.equal(tl.series.reduce((n, s) => n + s.rows.length, 0), 200_000);
  // ws-0042 (series 4) holds the burst: one hour with 20,000 events, drawn in its darkest shade.
  assert.equal(tl.series[4].name, "ws-0042");
  const burst = Date.UTC(2024, 0, 21, 0, 30);
  const [left, top, width, height] = await call("events", "plotArea");
  const [a, b] = tl.xRange;
  const x = left + ((burst - a) / (b - a)) * width;
  const yOf = (i) => top + height - ((i - tl.yRange[0]) / (tl.yRange[1] - tl.yRange[0])) * height;
  const dark = await pixel("events", x, yOf(4));
  const light = await pixel("events", left + ((Date.UTC(2024, 0, 10) - a) / (b - a)) * width, yOf(4));
  assert.ok(dark[0] + dark[1] + dark[2] < light[0] + light[1] + light[2] - 60, `burst darker: ${dark} vs ${light}`);
  const box = await canvasBox("events");
  await page.mouse.move(box.x + x, box.y + yOf(4));
  const tooltip = page.locator("#events .huntkit-tooltip");
  await tooltip.waitFor({ state: "visible" });
  const lines = (await tooltip.textContent()).split("\n");
  assert.equal(lines[0], "ws-0042");
  assert.match(lines[1], /^\d+ events$/);
  assert.ok(Number(lines[1].split(" ")[0]) > 1000, lines[1]);
  // Zoomed far in, glyphs again.
  assert.equal(await call("events", "isDense", 4), true);
  await call("events", "setWindow", new Date(burst).toISOString(), new Date(burst + 1000).toISOString());
  assert.equal(await call("events", "isDense", 4), false);
  await tooltip.waitFor({ state: "hidden" }); // stale after the view changed
  await page.screenshot({ path: `${shots}timeline-density.png` });
});

test("no page errors or warnings", () => {
  assert.deepEqual(problems, []);
});
