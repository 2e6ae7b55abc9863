// huntkit in the bundlers apps use: the same small app (app/src/index.js: a bare import, init()
// with no argument, extractIocs, plotMatrix) built for production by Vite, webpack 5, Rollup and
// esbuild, with huntkit installed from its packed tarball and without the optional MSAL peer,
// then loaded in headless Chromium, where its exact output and pixels are checked. Each build is
// what the README's "Bundlers" section says, line for line. msal-app/ is a second Vite app with
// @azure/msal-browser installed: msalTokenProvider signs in for real against the mock authority.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";

import { certificateSpki } from "../../demo/mock-azure/authority.mjs";
import { startServer } from "../../demo/serve.mjs";
import { openBrowser } from "../notebooks/notebook.mjs";

const here = new URL("./", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;
const out = `${root}target/bundlers/`;
const bin = (dir, name) => `${here}${dir}node_modules/.bin/${name}`;
const run = (cmd, args, cwd = here) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });

/** Installs the packed package (npm/pack.sh) into `dir`, as an app would. */
function installHuntkit(dir) {
  const tarball = run(`${root}npm/pack.sh`, [], root).trim();
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", `${root}${tarball}`], dir);
}

const HTML = (script) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>huntkit bundled</title><link rel="icon" href="data:,">${script}</head>` +
  `<body><pre id="iocs"></pre><pre id="cells"></pre><div id="plot"></div></body></html>`;

/** Each bundler's production build of app/, into target/bundlers/<name>/. */
const BUILDS = {
  vite: () => run(bin("", "vite"), ["build", "app", "--outDir", `${out}vite`, "--emptyOutDir", "--base", "./", "--logLevel", "warn"]),
  webpack: () => {
    const log = run(bin("", "webpack"), ["--mode", "production", "--entry", "./app/src/index.js", "--output-path", `${out}webpack`]);
    writeFileSync(`${out}webpack/index.html`, HTML('<script defer src="./main.js"></script>'));
    return log;
  },
  rollup: () => {
    const log = run(bin("", "rollup"), ["app/src/index.js", "--format", "es", "--dir", `${out}rollup`, "--plugin", "@rollup/plugin-node-resolve", "--plugin", "@web/rollup-plugin-import-meta-assets"]);
    writeFileSync(`${out}rollup/index.html`, HTML('<script type="module" src="./index.js"></script>'));
    return log;
  },
  esbuild: () => {
    const log = run(bin("", "esbuild"), ["app/src/index.js", "--bundle", "--format=esm", "--minify", `--outdir=${out}esbuild`]);
    // The one line esbuild needs: it does not emit `new URL(..., import.meta.url)` assets.
    copyFileSync(`${here}node_modules/huntkit/dist/wasm/huntkit_bg.wasm`, `${out}esbuild/huntkit_bg.wasm`);
    writeFileSync(`${out}esbuild/index.html`, HTML('<script type="module" src="./index.js"></script>'));
    return log;
  },
};

let server, origin, nb;
const logs = {};

before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  installHuntkit(here);
  assert.equal(existsSync(`${here}node_modules/@azure/msal-browser`), false, "the MSAL peer must not be installed for these builds");
  for (const [name, build] of Object.entries(BUILDS)) logs[name] = build();
  server = await startServer(0);
  origin = `http://127.0.0.1:${server.address().port}`;
  nb = await openBrowser({}, { trustSpki: certificateSpki() });
});

after(async () => {
  await nb?.browser.close();
  server?.close();
});

const IOCS = ["url https://evil.example.com/a 10-40", "dns evil.example.com 18-38", "ipv4 10.1.2.3 46-54"].join("\n");
const CELLS = ["10.0.0.1 evil.example.com 2", "10.0.0.2 cdn.example.net 1"].join("\n");

for (const name of Object.keys(BUILDS)) {
  test(`${name}: a production build runs huntkit with no extra config`, async () => {
    // The wasm was emitted beside the code (hashed by Vite and webpack).
    const files = readdirSync(`${out}${name}`, { recursive: true }).map(String);
    assert.ok(files.some((f) => f.endsWith(".wasm")), `${name} emitted the wasm: ${files.join(", ")}`);
    assert.doesNotMatch(logs[name], /msal/i, "nothing about the MSAL peer in the build log");
    const page = await nb.context.newPage();
    await page.goto(`${origin}/target/bundlers/${name}/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready || document.body.dataset.error, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.error ?? null), null);
    assert.equal(await page.textContent("#iocs"), IOCS);
    assert.equal(await page.textContent("#cells"), CELLS);
    // The circle of the two-row cell is drawn: red at its centre.
    const rgb = await page.evaluate(() => {
      const plot = window.huntkitPlot;
      const i = plot.matrix().cells.findIndex((c) => c.value === 2);
      const [cx, cy] = plot.marker(i);
      const copy = document.createElement("canvas");
      copy.width = plot.canvas.width;
      copy.height = plot.canvas.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(plot.canvas, 0, 0);
      return Array.from(ctx.getImageData(Math.round(cx), Math.round(cy), 1, 1).data.slice(0, 3));
    });
    assert.ok(rgb[0] > 200 && rgb[1] < 160 && rgb[2] < 160, `${name}: red marker, got ${rgb}`);
    await page.close();
  });
}

test("vite with @azure/msal-browser installed: msalTokenProvider signs in with MSAL and the client queries", async () => {
  const app = `${here}msal-app/`;
  installHuntkit(app);
  run(`${app}node_modules/.bin/vite`, ["build", "--outDir", `${out}msal`, "--emptyOutDir", "--base", "./", "--logLevel", "warn"], app);
  const page = await nb.context.newPage();
  await page.goto(`${origin}/target/bundlers/msal/index.html`);
  await page.waitForSelector("#go");
  const before = server.authority.log.length;
  const popup = page.waitForEvent("popup");
  await page.click("#go");
  await popup;
  await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 30_000 });
  assert.equal(await page.textContent("#out"), "1000 rows; tokens asked for https://api.loganalytics.io/.default");
  assert.deepEqual(server.authority.log.slice(before).map((e) => `${e.grant} ${e.audience}`), ["authorization_code https://api.loganalytics.io"]);
  await page.close();
});

test("no request left 127.0.0.1 and no page error", () => {
  assert.deepEqual(nb.offsite, []);
  assert.deepEqual(nb.problems, []);
});
