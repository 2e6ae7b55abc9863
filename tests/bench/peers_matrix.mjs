// Matrix aggregation side by side in headless Chromium: huntkit's `matrix` against DuckDB-wasm
// (from node_modules, no CDN) on the same Arrow IPC bytes, with count, sum and distinct count.
// DuckDB is timed with its Arrow ingest (insertArrowFromIPCStream + the GROUP BY) and without
// it (the GROUP BY on the table already ingested). Medians of `runs` after a warm-up. Prints a
// table. `node tests/bench/peers_matrix.mjs FILE... [--runs N]`
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { chromium } from "../node_modules/playwright-core/index.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../..");
const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const files = args.map((f) => "/" + normalize(resolve(f)).slice(root.length + 1));

execFileSync(join(root, "tests/bundlers/node_modules/.bin/esbuild"), [
  join(here, "peers/duckdb_entry.js"), "--bundle", "--format=esm", "--log-level=warning",
  `--outfile=${join(here, "peers/duckdb.bundle.js")}`,
], { stdio: "inherit" });

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
const server = createServer(async (req, res) => {
  const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (!path.startsWith(root)) return res.writeHead(403).end();
  try {
    await stat(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(await readFile(path));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/tests/bench/peers/matrix.html`);
  await page.waitForFunction(() => window.ready === true);
  const rows = await page.evaluate(([f, n]) => window.bench(f, n), [files, runs]);
  console.log("| rows | measure | huntkit `matrix` | DuckDB-wasm ingest + query | DuckDB-wasm query only | huntkit vs DuckDB (ingest included) |");
  console.log("|---:|---|---:|---:|---:|---:|");
  for (const r of rows) {
    const n = r.file.match(/_(\d+)\./)?.[1] ?? r.file;
    if (r.hkCells !== r.dkCells) console.error(`cells differ: huntkit ${r.hkCells}, DuckDB ${r.dkCells}`);
    console.log(`| ${Number(n).toLocaleString("en")} | ${r.measure} | ${r.huntkit.toFixed(0)} ms | ${r.ingestAndQuery.toFixed(0)} ms | ${r.queryOnly.toFixed(0)} ms | ${(r.ingestAndQuery / r.huntkit).toFixed(1)}× |`);
  }
} finally {
  await browser.close();
  server.close();
}
