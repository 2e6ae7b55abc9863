// Shared set-up of the end-to-end tests: the demo server, headless Debian Chromium
// (playwright-core) and a page that records page errors and console errors/warnings.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

import { startServer } from "../../demo/serve.mjs";

export const shots = new URL("./screenshots/", import.meta.url).pathname;

/**
 * Serves the demo, opens `path` in a fresh page and waits for `window.__HUNTKIT_READY__`.
 * Returns `{ page, problems, browser, close }`; `problems` collects errors, warnings and any
 * request to a host other than the demo server's.
 */
export async function openDemo(path, contextOptions = {}, serverOptions = {}) {
  mkdirSync(shots, { recursive: true });
  const server = await startServer(0, 0, serverOptions);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--font-render-hinting=none"],
  });
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, ...contextOptions });
  const problems = [];
  // Only the demo server may be reached: a request to any other host is a problem, so the
  // test fails. (Listened to, not intercepted: interception changes how the browser reports
  // the CORS failures the Azure tests expect.)
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith("http") && url.hostname !== "127.0.0.1") {
      problems.push(`request to another host: ${url.href}`);
    }
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
  await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 30_000 });
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { page, problems, browser, close };
}
