// End-to-end: how a page loads huntkit. `init()` takes every usual form of the wasm (none, a URL
// string or object, a Request, a Response or its promise, bytes, an ArrayBuffer, a compiled
// Module, wasm-bindgen's own `{ module_or_path }`), and a page imports the package from a second
// origin that serves it with CORS, as a CDN does, where `init()` finds its wasm with no argument.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

import { openDemo } from "./browser.mjs";

const npmDir = fileURLToPath(new URL("../../npm/", import.meta.url));
let demo, cdn, cdnLog;

/** A CDN's shape: the package under /huntkit/ on another origin, with CORS (or without). */
function startCdn(cors) {
  const log = [];
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain" };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    log.push(path);
    const file = normalize(join(npmDir, path.replace(/^\/huntkit\//, "")));
    try {
      if (!path.startsWith("/huntkit/") || !file.startsWith(npmDir)) throw new Error("outside");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", ...(cors ? { "access-control-allow-origin": "*" } : {}) });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, log, origin: `http://127.0.0.1:${server.address().port}` })));
}

before(async () => {
  demo = await openDemo("/demo/ioc.html");
  ({ server: cdn, log: cdnLog } = await startCdn(true));
});

after(async () => {
  await demo?.close();
  cdn?.close();
});

/** Opens the init test page with `query`; returns the result text. */
async function initPage(query) {
  const page = await demo.browser.newPage();
  const warnings = [];
  page.on("console", (m) => {
    if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
  });
  const origin = new URL(demo.page.url()).origin;
  await page.goto(`${origin}/tests/e2e/pages/init.html?${query}`);
  await page.waitForSelector("#result[data-done]");
  const result = await page.textContent("#result");
  await page.close();
  return { result, warnings };
}

for (const form of ["none", "string", "url", "request", "response", "promise", "bytes", "arraybuffer", "module", "options", "options-bytes"]) {
  test(`init() with ${form === "none" ? "no argument" : `source: ${form}`}`, async () => {
    const { result, warnings } = await initPage(`form=${form}`);
    assert.equal(result, "evil.com");
    // wasm-bindgen warns about "deprecated parameters" when handed a bare source; never here.
    assert.deepEqual(warnings, []);
  });
}

test("from another origin with CORS (a CDN's shape): init() finds its wasm with no argument", async () => {
  const from = `http://127.0.0.1:${cdn.address().port}`;
  cdnLog.length = 0;
  const { result, warnings } = await initPage(`form=none&from=${encodeURIComponent(from)}`);
  assert.equal(result, "evil.com");
  assert.deepEqual(warnings, []);
  assert.ok(cdnLog.includes("/huntkit/dist/index.js"));
  assert.ok(cdnLog.includes("/huntkit/dist/wasm/huntkit_bg.wasm"), `the wasm came from the second origin: ${cdnLog.join(", ")}`);
});

test("from another origin without CORS: a clear failure, not a hang", async () => {
  const { server, origin } = await startCdn(false);
  try {
    const { result } = await initPage(`form=none&from=${encodeURIComponent(origin)}`);
    // The module import itself is refused (modules are fetched in CORS mode).
    assert.match(result, /^error: Failed to fetch dynamically imported module/);
  } finally {
    server.close();
  }
});
