// One small app, built by every bundler the tests cover: a bare import of huntkit, init() with
// no argument (the wasm found through `new URL(..., import.meta.url)`), IoCs and a matrix plot.
import { init, extractIocs, plotMatrix } from "huntkit";

async function main() {
  await init();
  const found = extractIocs("beacon to hxxps://evil[.]example[.]com/a from 10.1.2.3");
  document.getElementById("iocs").textContent = found.map((m) => `${m.type} ${m.value} ${m.start}-${m.end}`).join("\n");
  const rows = [
    { src: "10.0.0.1", dst: "evil.example.com" },
    { src: "10.0.0.1", dst: "evil.example.com" },
    { src: "10.0.0.2", dst: "cdn.example.net" },
  ];
  const plot = plotMatrix(document.getElementById("plot"), rows, { x: "src", y: "dst", width: 420, height: 320 });
  document.getElementById("cells").textContent = plot.matrix().cells.map((c) => `${c.x} ${c.y} ${c.value}`).join("\n");
  window.huntkitPlot = plot;
  document.body.dataset.ready = "1";
}

main().catch((err) => {
  document.body.dataset.error = String(err?.stack ?? err);
});
