// Shared set-up of the notebook tests: JupyterLab (a real server with the test venv's CPython
// kernel) or the built JupyterLite site, driven in headless Debian Chromium by playwright-core.
// Every request to a host other than 127.0.0.1 is aborted and recorded; tests assert none.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const root = new URL("../../", import.meta.url).pathname;
export const shots = new URL("../e2e/screenshots/", import.meta.url).pathname;
export const venv = join(root, "target/venv/tests");

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A notebook (nbformat 4) of code cells. */
export function notebook(cells) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

/**
 * Starts JupyterLab on `dir` with the test venv (its kernel has pandas, pyarrow, polars and the
 * huntkit wheel). Jupyter's own config and data dirs are fresh, and nothing is fetched.
 */
export async function startJupyterLab(dir) {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), "huntkit-jupyter-"));
  const env = {
    ...process.env,
    HOME: home,
    JUPYTER_CONFIG_DIR: join(home, "config"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    IPYTHONDIR: join(home, "ipython"),
    PATH: `${join(venv, "bin")}:${process.env.PATH}`,
  };
  // No "get Jupyter news?" prompt over the notebook (and nothing fetched for it).
  const settings = join(env.JUPYTER_CONFIG_DIR, "lab/user-settings/@jupyterlab/apputils-extension");
  mkdirSync(settings, { recursive: true });
  writeFileSync(join(settings, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  // Every cell in the DOM (no windowing), so any cell can be driven.
  const tracker = join(env.JUPYTER_CONFIG_DIR, "lab/user-settings/@jupyterlab/notebook-extension");
  mkdirSync(tracker, { recursive: true });
  writeFileSync(join(tracker, "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
  const args = [
    "lab",
    "--allow-root",
    "--no-browser",
    `--port=${port}`,
    "--ip=127.0.0.1",
    `--ServerApp.root_dir=${dir}`,
    "--IdentityProvider.token=",
    "--ServerApp.password=",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabServerApp.extension_manager=readonly",
  ];
  const proc = spawn(join(venv, "bin/jupyter"), args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter lab exited (${proc.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${url}/api/status`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`jupyter lab did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once("exit", r)));
    },
  };
}

/**
 * Headless Chromium with every off-host request aborted and recorded in `offsite`, and page
 * errors in `problems`. `context` is a first browser context; `newContext()` makes more (with
 * their own storage: JupyterLite keeps its workspace in the browser), set up the same way.
 */
export async function openBrowser(contextOptions = {}, { trustSpki } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      // Trusts that one certificate (the mock sign-in authority's), in pages and service workers.
      ...(trustSpki ? [`--ignore-certificate-errors-spki-list=${trustSpki}`] : []),
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
  const offsite = [];
  const problems = [];
  const newContext = async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1, timezoneId: "UTC", ...contextOptions });
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === "127.0.0.1" || u.protocol === "data:" || u.protocol === "blob:") return route.continue();
      offsite.push(route.request().url());
      return route.abort("internetdisconnected");
    });
    context.on("page", (page) => page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`)));
    return context;
  };
  return { browser, context: await newContext(), newContext, offsite, problems };
}

/** Opens a notebook in JupyterLab or JupyterLite (`/lab/tree/NAME?reset` or `/lab/index.html?path=NAME`). */
export async function openNotebook(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector(".jp-Notebook .jp-CodeCell .cm-content", { timeout: 120_000 });
  // The kernel is ready when the toolbar says idle.
  await page.waitForSelector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 180_000 });
  return page;
}

const cell = (page, i) => page.locator(".jp-Notebook .jp-Cell").nth(i);

/** Runs cell `i` (Shift+Enter in its editor) and waits until it has finished; returns its output text. */
export async function runCell(page, i, { timeout = 120_000 } = {}) {
  const c = cell(page, i);
  const prompt = c.locator(".jp-InputPrompt");
  const before = await prompt.innerText();
  // Right after the page loads, a keypress can be lost while the kernel connects: press again
  // until the cell is queued ([*]) or has run (a new [n]).
  for (let attempt = 0; ; attempt++) {
    await c.locator(".cm-content").click();
    await page.waitForTimeout(300);
    await page.keyboard.press("Shift+Enter");
    const deadline = Date.now() + 3000;
    let started = false;
    while (!started && Date.now() < deadline) {
      const now = await prompt.innerText();
      started = now.includes("*") || (now !== before && /\[\d+\]/.test(now));
      if (!started) await page.waitForTimeout(100);
    }
    if (started) break;
    if (attempt === 4) throw new Error(`cell ${i} never started (prompt ${before})`);
  }
  await prompt.filter({ hasText: /\[\d+\]/ }).waitFor({ timeout });
  // Outputs of a finished cell can still be arriving (widget views render asynchronously).
  await page.waitForTimeout(200);
  return outputText(page, i);
}

/** The text of cell `i`'s outputs (without the `[n]:` prompts of results). */
export function outputText(page, i) {
  return cell(page, i)
    .locator(".jp-OutputArea-output")
    .allInnerTexts()
    .then((texts) => texts.join("\n").trimEnd());
}

/** Waits until cell `i`'s output text matches `re`; returns the text. */
export async function waitForOutput(page, i, re, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await outputText(page, i);
    if (re.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`cell ${i}: output never matched ${re}; it is:\n${text}`);
    await page.waitForTimeout(250);
  }
}

/** The huntkit widget element in cell `i`'s output, once its plot is drawn. */
export async function widgetIn(page, i, timeout = 60_000) {
  const el = cell(page, i).locator(".huntkit-widget");
  await el.waitFor({ timeout });
  await page.waitForFunction((e) => e.huntkitPlot || e.querySelector(".huntkit-error"), await el.elementHandle(), { timeout });
  return el;
}

/** How many canvas pixels of the widget in cell `i` have each colour (r,g,b key → count), the top `n`. */
export function canvasColours(page, i, n = 8) {
  return cell(page, i)
    .locator(".huntkit-widget canvas")
    .first()
    .evaluate((c, n) => {
      const copy = document.createElement("canvas");
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Map();
      for (let k = 0; k < d.length; k += 4) {
        const key = `${d[k]},${d[k + 1]},${d[k + 2]}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return { width: c.width, height: c.height, colours: [...seen].sort((a, b) => b[1] - a[1]).slice(0, n) };
    }, n);
}

/** Writes `files` (name → text or bytes) into a fresh temp dir; returns its path. */
export function workdir(files) {
  const dir = mkdtempSync(join(tmpdir(), "huntkit-nb-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

/**
 * Shift+drags across the timeline widget `el` from `from` to `to` (fractions of its plot
 * area's width, at mid height); returns the plot's value as Python gets it (ISO times).
 */
export async function brushTimeline(page, el, from, to) {
  await el.scrollIntoViewIfNeeded();
  const { x0, x1, y } = await el.evaluate((e, [from, to]) => {
    const plot = e.huntkitPlot;
    const [left, top, width, height] = plot.plotArea();
    const r = plot.canvas.getBoundingClientRect();
    return { x0: r.left + left + width * from, x1: r.left + left + width * to, y: r.top + top + height / 2 };
  }, [from, to]);
  await page.keyboard.down("Shift");
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x1, y, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  return el.evaluate((e) => {
    const v = e.huntkitPlot.value;
    return v && { ...v, start: v.start.toISOString(), end: v.end.toISOString() };
  });
}
