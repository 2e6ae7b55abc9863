// The end-to-end tests fail on any request that leaves the demo server (tests/e2e/browser.mjs
// records them in `problems`): a page asking another host is caught, quickly, not waited for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo } from "./browser.mjs";

test("a request to another host is recorded as a problem", async () => {
  const { page, problems, close } = await openDemo("/demo/timeline.html");
  try {
    assert.deepEqual(problems, [], "the page itself stays on the demo server");
    const t0 = Date.now();
    await page.evaluate(() => fetch("http://example.invalid/beacon").catch(() => "failed"));
    assert.ok(Date.now() - t0 < 10_000, "the request failed quickly");
    assert.ok(problems.includes("request to another host: http://example.invalid/beacon"), problems.join("\n"));
  } finally {
    await close();
  }
});
