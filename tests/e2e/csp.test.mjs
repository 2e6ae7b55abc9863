// Every demo page works under a strict Content-Security-Policy (no inline scripts or styles):
// the demo is served with STRICT_CSP, each page is opened and used, and any violation (the
// browser's `securitypolicyviolation` report, or a "Refused to …" console error) fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo } from "./browser.mjs";
import { STRICT_CSP } from "../../demo/serve.mjs";

const smallCsv = new URL("../fixtures/tree_small.csv", import.meta.url).pathname;

/** Opens `path` under the strict policy, recording violation reports from the first script on. */
async function openStrict(path) {
  const opened = await openDemo(path, { deviceScaleFactor: 1, timezoneId: "UTC" }, { csp: STRICT_CSP });
  return opened;
}

/** The violations the page reported, and the console errors about the policy. */
async function violations({ page, problems }) {
  const reported = await page.evaluate(() => window.__cspViolations ?? []);
  return [...reported, ...problems.filter((p) => /Content Security Policy|Refused to/i.test(p))];
}

// Registered before any page script runs (openDemo's page is created fresh, so the hook is set
// on the context of each test through `addInitScript` on a reload).
const hook = () => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) =>
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`),
  );
};

const pages = [
  ["/demo/index.html", async (page) => page.waitForFunction(() => document.querySelector("#plot canvas"))],
  [
    "/demo/tree.html",
    async (page) => {
      await page.setInputFiles("#file", smallCsv);
      await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("4 rows"));
      await page.press("#search", "Enter").catch(() => {});
    },
  ],
  ["/demo/timeline.html", async (page) => page.waitForFunction(() => document.querySelector("canvas"))],
  ["/demo/ioc.html", async (page) => page.waitForFunction(() => document.querySelectorAll("#marked mark").length > 0)],
  ["/demo/azure.html", async (page) => page.waitForFunction(() => document.querySelector("form"))],
];

for (const [path, use] of pages) {
  test(`${path} runs under ${STRICT_CSP} with no violation`, async () => {
    const opened = await openStrict(path);
    try {
      const { page } = opened;
      await page.addInitScript(hook);
      await page.reload();
      await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 30_000 });
      const header = await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"));
      assert.equal(header, STRICT_CSP, "the page is served with the strict policy");
      await use(page);
      assert.deepEqual(await violations(opened), [], `${path}: CSP violations`);
      assert.deepEqual(opened.problems, [], `${path}: page errors`);
    } finally {
      await opened.close();
    }
  });
}

test("the check sees a violation: an inline style is reported", async () => {
  const opened = await openStrict("/demo/timeline.html");
  try {
    const { page } = opened;
    await page.addInitScript(hook);
    await page.reload();
    await page.waitForFunction(() => window.__HUNTKIT_READY__ === true, null, { timeout: 30_000 });
    await page.evaluate(() => {
      const el = document.createElement("div");
      el.setAttribute("style", "color: red");
      document.body.append(el);
    });
    await page.waitForFunction(() => window.__cspViolations.length > 0, null, { timeout: 5_000 });
    const found = await violations(opened);
    assert.ok(found.some((v) => v.startsWith("style-src")), found.join("\n"));
  } finally {
    await opened.close();
  }
});
