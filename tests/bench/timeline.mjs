// Timeline benchmark (not a test), in headless Debian Chromium: huntkit's plotTimeline on
// generated events (10 hosts = 10 series): build + first draw at each size, and the median and
// p95 frame time of a scripted pan/zoom (wheel zooms and arrow-key pans, each redrawn
// synchronously) at the largest. Side by side: MSTICPy 3.0.2's display_timeline on the same
// files (timed in Python by timelines.py, given here as JSON) and the HTML it exports, rendered
// by BokehJS in the same Chromium until Bokeh reports every view finished.
//
//   node tests/bench/timeline.mjs '<msticpy json by size>' SIZE...   (see timeline.sh)
import { chromium } from "playwright-core";
import { startServer } from "../../demo/serve.mjs";

const [msticpyJson, ...sizeArgs] = process.argv.slice(2);
const msticpy = JSON.parse(msticpyJson);
const sizes = sizeArgs.map(Number);
const BOKEH_LIMIT_MS = Number(process.env.BOKEH_LIMIT_S ?? 300) * 1000;

const server = await startServer(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });

async function huntkit(n, frames) {
  const page = await context.newPage();
  await page.goto(`${origin}/tests/bench/timeline.html`);
  await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 60_000 });
  const result = await page.evaluate(
    async ([url, frames]) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      // A first plot on the page also pays for the browser's font set-up and the wasm's first
      // compile: measured apart ("cold"), on 1,000 events, then the real one runs warm.
      const warm = document.createElement("div");
      warm.style.width = "1200px";
      document.getElementById("plots").append(warm);
      const small = Array.from({ length: 1000 }, (_, i) => ({ TimeGenerated: 1.7e12 + i * 6e4, Host: `h${i % 10}`, Account: "a", EventID: 1 }));
      const c0 = performance.now();
      window.hk.plotTimeline(warm, small, { groupBy: "Host", sourceColumns: ["Account", "EventID"] }).destroy();
      const cold = performance.now() - c0;
      warm.remove();
      const el = document.createElement("div");
      el.style.width = "1200px";
      document.getElementById("plots").append(el);
      const t0 = performance.now();
      const plot = window.hk.plotTimeline(el, bytes, { groupBy: "Host", sourceColumns: ["Account", "EventID"] });
      const firstDraw = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const painted = performance.now() - t0;
      const out = {
        events: plot.timeline().series.reduce((n, s) => n + s.rows.length, 0),
        series: plot.timeline().series.length,
        dense: plot.timeline().series.filter((_, i) => plot.isDense(i)).length,
        cold,
        firstDraw,
        painted,
        wasmMiB: window.hk.memoryUsage().wasmBytes / 2 ** 20,
      };
      if (frames) {
        const { canvas } = plot;
        const r = canvas.getBoundingClientRect();
        const [left, top, width, height] = plot.plotArea();
        const times = [];
        canvas.focus();
        for (let k = 0; k < 200; k++) {
          const t = performance.now();
          if (k % 2 === 0) {
            // Zoom in for 40 steps (down to minutes), then back out.
            const inward = k % 80 < 40;
            canvas.dispatchEvent(
              new WheelEvent("wheel", {
                clientX: r.left + left + width * (0.3 + 0.4 * ((k % 7) / 7)),
                clientY: r.top + top + height / 2,
                deltaY: inward ? -200 : 200,
                cancelable: true,
              }),
            );
          } else {
            canvas.dispatchEvent(new KeyboardEvent("keydown", { key: k % 4 === 1 ? "ArrowLeft" : "ArrowRight", cancelable: true }));
          }
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        out.median = times[Math.floor(times.length / 2)];
        out.p95 = times[Math.floor(times.length * 0.95)];
        out.max = times.at(-1);
      }
      plot.destroy();
      return out;
    },
    [`${origin}/tests/bench/data/timeline_${n}.arrows`, frames],
  );
  await page.close();
  return result;
}

/** Opens MSTICPy's exported HTML and waits until BokehJS has rendered it (or fails, or the limit). */
async function bokeh(n) {
  const page = await context.newPage();
  let crashed = false;
  page.on("crash", () => (crashed = true));
  const t0 = Date.now();
  try {
    await page.goto(`${origin}/tests/bench/data/msticpy_${n}.html`, { timeout: BOKEH_LIMIT_MS, waitUntil: "commit" });
    await page.waitForFunction(
      () => {
        const roots = window.Bokeh?.index ? [...window.Bokeh.index._roots] : [];
        return roots.length > 0 && roots.every((v) => v.has_finished());
      },
      null,
      { timeout: BOKEH_LIMIT_MS - (Date.now() - t0), polling: 100 },
    );
    const ms = Date.now() - t0;
    await page.close();
    return { ms };
  } catch (err) {
    const ms = Date.now() - t0;
    await page.close().catch(() => {});
    return { failed: crashed ? "the tab crashed" : /Timeout/.test(String(err)) ? `not rendered after ${(ms / 1000).toFixed(0)} s` : String(err).split("\n")[0], ms };
  }
}

const rows = [];
for (const n of sizes) {
  const h = await huntkit(n, n === Math.max(...sizes));
  const m = msticpy[n];
  const b = m?.figure !== undefined ? await bokeh(n) : null;
  rows.push({ n, h, m, b });
  console.error(`# ${n}: huntkit ${h.firstDraw.toFixed(0)} ms; MSTICPy ${m ? JSON.stringify(m) : "-"}; Bokeh ${b ? JSON.stringify(b) : "-"}`);
}

const fmt = (v, d = 0) => (v === undefined || v === null ? "–" : v.toFixed(d));
console.log("| events | huntkit build + first draw ms | huntkit to next frame ms | first plot on the page (1,000 events) ms | series drawn as density | wasm memory MiB | MSTICPy display_timeline s | MSTICPy HTML export s (size) | Bokeh render in Chromium s |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const { n, h, m, b } of rows) {
  const mst = m?.figure !== undefined ? fmt(m.figure, 2) : (m?.failed ?? "–");
  const html = m?.html !== undefined ? `${fmt(m.html, 2)} (${(m.html_bytes / 2 ** 20).toFixed(0)} MiB)` : "–";
  const bok = b ? (b.failed ?? fmt(b.ms / 1000, 2)) : "–";
  console.log(`| ${n.toLocaleString("en")} | ${fmt(h.firstDraw)} | ${fmt(h.painted)} | ${fmt(h.cold)} | ${h.dense} of ${h.series} | ${fmt(h.wasmMiB, 0)} | ${mst} | ${html} | ${bok} |`);
}
const last = rows.at(-1).h;
console.log(`\nPan/zoom at ${rows.at(-1).n.toLocaleString("en")} events (200 wheel zooms and arrow-key pans, each drawn synchronously): median ${fmt(last.median, 2)} ms, p95 ${fmt(last.p95, 2)} ms, max ${fmt(last.max, 2)} ms.`);
await browser.close();
server.close();
