// Process-tree plot benchmark (not a test), in headless Debian Chromium: layout + first draw of
// 10k and 100k processes (plotProcessTree on a built tree), then the median and p95 frame time
// of a scripted pan/zoom sequence at 100k (each wheel event redraws synchronously: the Rust
// layout, the scene and the canvas calls). Prints a table.
//
//   node tests/bench/tree_plot.mjs      (after npm/build.sh; tests/run.sh's setup installs Chromium)
import { chromium } from "playwright-core";
import { startServer } from "../../demo/serve.mjs";

const server = await startServer(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
await page.goto(`${origin}/demo/tree.html`);
await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 60_000 });

const run = (n) =>
  page.evaluate(async (n) => {
    const hk = await import("/npm/dist/index.js");
    // Windows 4688 rows: process i is started by process floor(i / 3) (about 11 levels).
    const rows = Array.from({ length: n }, (_, i) => ({
      TimeGenerated: new Date(Date.UTC(2024, 0, 1) + i * 1000),
      NewProcessName: `C:\\Windows\\System32\\p${i % 17}.exe`,
      NewProcessId: `0x${(i + 1).toString(16)}`,
      ProcessId: `0x${Math.floor(i / 3).toString(16)}`,
      ParentProcessName: `C:\\Windows\\System32\\p${(Math.floor(i / 3) + 16) % 17}.exe`,
      CommandLine: `p${i % 17}.exe --job ${i} --flag value`,
      SubjectUserName: `user${i % 5}`,
    }));
    const tree = hk.buildProcessTree(rows);
    const el = document.createElement("div");
    el.style.width = "1200px";
    document.body.append(el);
    const t0 = performance.now();
    const plot = hk.plotProcessTree(el, tree, { legendCol: "SubjectUserName", height: 700 });
    const firstDraw = performance.now() - t0;
    const frames = [];
    const { canvas } = plot;
    const r = canvas.getBoundingClientRect();
    for (let k = 0; k < 120; k++) {
      const zoom = k % 2 === 1;
      const ev = new WheelEvent("wheel", {
        clientX: r.left + 300 + (k % 7) * 40,
        clientY: r.top + 200 + (k % 5) * 60,
        deltaY: zoom ? (k % 4 === 1 ? -120 : 100) : 700 + k * 37,
        shiftKey: !zoom,
        cancelable: true,
      });
      const t = performance.now();
      canvas.dispatchEvent(ev);
      frames.push(performance.now() - t);
    }
    frames.sort((a, b) => a - b);
    const processes = tree.summary().processes;
    plot.destroy();
    tree.free();
    el.remove();
    return {
      processes,
      firstDraw,
      median: frames[Math.floor(frames.length / 2)],
      p95: frames[Math.floor(frames.length * 0.95)],
    };
  }, n);

console.log("| processes | layout + first draw ms | pan/zoom frame median ms | p95 ms |");
console.log("|---:|---:|---:|---:|");
for (const n of [10_000, 100_000]) {
  const r = await run(n);
  console.log(`| ${r.processes.toLocaleString("en")} | ${r.firstDraw.toFixed(1)} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} |`);
}
await browser.close();
server.close();
