// End-to-end: the IoC demo page in headless Debian Chromium (playwright-core). The bundled
// report is extracted on load: exact rows, marks over exactly the original text, offsets that
// slice back in the browser, options, table mode on the bundled process events, and text that
// could be HTML stays text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, shots } from "./browser.mjs";

let page, problems, close;

before(async () => {
  ({ page, problems, close } = await openDemo("/demo/ioc.html", { viewport: { width: 1300, height: 1000 } }));
});

after(async () => {
  await close?.();
});

const rows = () => page.$$eval("#matches tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

test("the bundled report gives exactly these indicators", async () => {
  assert.match(await page.textContent("#status"), /^25 indicators in /);
  const got = (await rows()).map((r) => [r[0], r[1], r[4], r[5]]);
  assert.deepEqual(got, [
    ["attack_technique", "T1566.001", "", ""],
    ["attack_technique", "T1059.001", "", ""],
    ["email", "billing@invoices-secure.com", "yes", ""],
    ["dns", "invoices-secure.com", "yes", ""],
    ["url", "https://docs.invoices-secure.com/view?id=88231", "yes", ""],
    ["dns", "docs.invoices-secure.com", "yes", ""],
    ["url", "https://r.example.net/out?u=https%3A%2F%2Fcdn.payload-host%5B.%5Dxyz%2Fstage2.ps1", "", ""],
    ["url", "https://r.example.net/out?u=https://cdn.payload-host.xyz/stage2.ps1", "yes", "percent"],
    ["url", "https://cdn.payload-host.xyz/stage2.ps1", "yes", "percent"],
    ["dns", "cdn.payload-host.xyz", "yes", "percent"],
    ["dns", "r.example.net", "", ""],
    ["windows_path", String.raw`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, "", ""],
    ["url", "http://185.220.101.43/s.ps1", "", "base64-utf16le"],
    ["ipv4", "185.220.101.43", "", "base64-utf16le"],
    ["ipv4", "185.220.101.43", "yes", ""],
    ["ipv6", "2a05:d014:a0b:9f00::15", "", ""],
    ["registry_key", String.raw`HKCU\Software\Microsoft\Windows\CurrentVersion\Run`, "", ""],
    ["windows_path", String.raw`%APPDATA%\Updater\upd.exe`, "", ""],
    ["sha256_hash", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "", ""],
    ["md5_hash", "d41d8cd98f00b204e9800998ecf8427e", "", ""],
    ["windows_path", String.raw`\\fs01.corp.example.com\share$\tools`, "", ""],
    ["dns", "fs01.corp.example.com", "", ""],
    ["ipv4", "10.20.30.41", "", ""],
    ["mac_address", "00:1a:2b:3c:4d:5e", "", ""],
    ["cve", "CVE-2023-23397", "", ""],
  ]);
});

test("offsets slice the original text in the browser, and marks cover it", async () => {
  const checks = await page.evaluate(async () => {
    const { extractIocs } = await import("../npm/dist/index.js");
    const text = document.querySelector("#text").value;
    return extractIocs(text).map((m) => text.slice(m.start, m.end) === m.original);
  });
  assert.equal(checks.length, 25);
  assert.ok(checks.every(Boolean));
  const marks = await page.$$eval("#marked mark", (ms) => ms.map((m) => [m.textContent, m.className]));
  assert.deepEqual(marks.slice(0, 4), [
    ["T1566.001", ""],
    ["T1059.001", ""],
    ["billing[at]invoices-secure[.]com", "defanged"],
    ["hxxps://docs.invoices-secure[.]com/view?id=88231", "defanged"],
  ]);
  assert.equal(await page.textContent("#marked"), await page.inputValue("#text"));
  await page.screenshot({ path: `${shots}ioc.png`, fullPage: true });
});

test("options re-run the extraction", async () => {
  await page.check("#excludePrivate");
  await page.uncheck("#decode");
  assert.match(await page.textContent("#status"), /^19 indicators/);
  const types = (await rows()).map((r) => r[1]);
  assert.ok(!types.includes("10.20.30.41") && !types.includes("http://185.220.101.43/s.ps1"));
  await page.uncheck("#excludePrivate");
  await page.check("#decode");
  assert.match(await page.textContent("#status"), /^25 indicators/);
});

test("text that looks like HTML stays text", async () => {
  await page.fill("#text", `<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> http://<b>evil.example.com</b>/`);
  await page.click("#extract");
  assert.equal(await page.$$eval("#marked img, #marked script, #marked b, #matches img", (e) => e.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test("table mode on the bundled process events", async () => {
  await page.click("#table");
  await page.waitForFunction(() => document.querySelector("#status").textContent.includes("process events"));
  const status = await page.textContent("#status");
  const n = Number(status.match(/^([\d,]+) indicators/)[1].replace(/,/g, ""));
  const all = await rows();
  assert.equal(all.length, n);
  assert.ok(n > 100, status);
  // Every row names its column and its offsets slice the input.
  for (const [type, observable, input, , column, span] of all.slice(0, 50)) {
    const [s, e] = span.split("–").map(Number);
    assert.ok(["CommandLine", "NewProcessName"].includes(column));
    assert.ok(type && observable && input.slice(s, e).length === e - s);
  }
  assert.deepEqual(problems, []);
});
