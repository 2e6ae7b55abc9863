// node --test: process trees from exports as SIEMs give them (JSON lines, nested ECS objects,
// the host under another name, Sysmon among other events), with no mapping; every link checked
// against the true tree written down here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { buildProcessTree, matrix } from "huntkit";

const text = (name) => readFileSync(new URL(`../fixtures/real_logs/${name}`, import.meta.url), "utf8");
const base = (path) => (path ?? "").split(/[\\/]/).pop();
/** Each data node as "host image ← parent image" (inferred parents marked "?"). */
function links(tree) {
  return tree
    .nodes()
    .filter((n) => !n.inferred)
    .map((n) => {
      const p = tree.parent(n);
      return `${n.host} ${base(n.name)} ← ${p ? base(p.name) + (p.inferred ? "?" : "") : "-"}`;
    })
    .sort();
}

test("Sysmon JSON lines: host under Hostname, network events dropped, GUIDs link exactly", () => {
  const tree = buildProcessTree(text("sysmon_hostname.jsonl"));
  assert.equal(tree.schemaName, "sysmon");
  const s = tree.summary();
  assert.equal(s.rowsIn, 9);
  assert.equal(s.rowsFilteredOut, 2); // the EventID 3 rows
  assert.deepEqual(links(tree), [
    "ws1 cmd.exe ← explorer.exe",
    "ws1 explorer.exe ← userinit.exe?",
    // By GUID: the first cmd.exe, although PID 16 was reused by powershell.exe before.
    "ws1 net.exe ← cmd.exe",
    "ws1 powershell.exe ← explorer.exe",
    // No ProcessId of its own: linked all the same, and flagged.
    "ws1 whoami.exe ← cmd.exe",
    "ws2 cmd.exe ← explorer.exe",
    "ws2 explorer.exe ← userinit.exe?",
  ]);
  const net = tree.nodes().find((n) => base(n.name) === "net.exe");
  assert.equal(tree.parent(net).time, Date.UTC(2024, 0, 1, 10, 1));
  const whoami = tree.nodes().find((n) => base(n.name) === "whoami.exe");
  assert.equal(whoami.key, null);
  assert.equal(whoami.flag, "missing process id, name or time");
  assert.equal(base(tree.parent(whoami).name), "cmd.exe"); // parent() of a node with no key
  assert.equal(s.linkedById, 5);
  assert.equal(s.linkedByPid, 0);
  tree.free();
});

test("the same export as bytes, and without GUIDs: PID + time, never across hosts", () => {
  const lines = text("sysmon_hostname.jsonl").split("\n").filter(Boolean).map((l) => {
    const o = JSON.parse(l);
    delete o.ProcessGuid;
    delete o.ParentProcessGuid;
    return JSON.stringify(o);
  });
  const tree = buildProcessTree(new TextEncoder().encode(lines.join("\n")));
  const got = links(tree);
  // PID 16 was reused by powershell.exe, but Sysmon gives the parent's image too: PID, name
  // and time still find the first cmd.exe. The tree is the same as by GUID.
  assert.deepEqual(got, links(buildProcessTree(text("sysmon_hostname.jsonl"))));
  for (const n of tree.nodes()) {
    const p = tree.parent(n);
    if (p) assert.equal(p.host, n.host);
  }
  assert.equal(tree.summary().linkedById, 0);
  assert.equal(tree.summary().linkedByPid, 5);
});

test("ECS (Elastic Endpoint) nested JSON lines: auto-detected, linked by entity_id per host", () => {
  const tree = buildProcessTree(text("ecs_endpoint.ndjson"));
  assert.equal(tree.schemaName, "ecs");
  assert.deepEqual(links(tree), [
    "web1 bash ← sshd",
    "web1 curl ← bash",
    "web1 sshd ← init?",
    "web2 bash ← sshd",
    "web2 sshd ← init?",
    "web2 wget ← bash",
  ]);
  assert.equal(tree.summary().linkedById, 4);
  // Dotted paths name nested fields in a mapping too.
  const mapped = buildProcessTree(text("ecs_endpoint.ndjson"), {
    schema: { process_name: "process.executable", process_id: "process.pid", parent_id: "process.parent.pid", time_stamp: "@timestamp", host_name_column: "host.name" },
  });
  assert.equal(mapped.summary().linkedByPid, 4);
});

test("several hosts and no host column found: refused, naming the candidates", () => {
  const lines = text("sysmon_hostname.jsonl").replaceAll('"Hostname"', '"SourceMachineAlias"');
  assert.throws(() => buildProcessTree(lines), (e) => e.code === "invalid-option" && /`SourceMachineAlias` \(2 values\)/.test(e.message));
});

test("JSON input errors name the line; an array of objects works too", () => {
  assert.throws(() => buildProcessTree('{"a": 1}\n{oops\n'), (e) => e.code === "invalid-table" && /line 2 is not JSON/.test(e.message));
  const m = matrix('[{"x": "a", "y": "b"}, {"x": "a", "y": "b"}, {"x": "c", "y": "b"}]', { x: "x", y: "y" });
  assert.deepEqual(m.cells.map((c) => [c.x, c.y, c.value]), [["a", "b", 2], ["c", "b", 1]]);
});

test("bad times: an error naming the row, or flagged and counted; the event filter can be turned off", () => {
  const rows = [
    { TimeGenerated: "8/2/2021 10:45:40 AM", NewProcessName: "C:\\a.exe", NewProcessId: "0x10", ProcessId: "0x4", ParentProcessName: "C:\\p.exe", EventID: 4688, Computer: "pc" },
    { TimeGenerated: "soon", NewProcessName: "C:\\b.exe", NewProcessId: "0x11", ProcessId: "0x10", ParentProcessName: "C:\\a.exe", EventID: 4688, Computer: "pc" },
    { TimeGenerated: "8/2/2021 10:46:00 AM", NewProcessName: "C:\\c.exe", NewProcessId: "0x12", ProcessId: "0x10", ParentProcessName: "C:\\a.exe", EventID: 4624, Computer: "pc" },
  ];
  assert.throws(() => buildProcessTree(rows), (e) => e.code === "invalid-table" && /row 1: the time "soon"/.test(e.message));
  const flagged = buildProcessTree(rows, { badTimes: "flag" });
  assert.equal(flagged.summary().timesUnparsed, 1);
  assert.equal(flagged.summary().rowsFilteredOut, 1);
  const a = flagged.nodes().find((n) => n.name === "C:\\a.exe");
  assert.equal(a.time, Date.UTC(2021, 7, 2, 10, 45, 40));
  assert.equal(buildProcessTree(rows, { badTimes: "flag", eventFilter: false }).summary().rowsFilteredOut, 0);
  assert.throws(() => buildProcessTree(rows, { badTimes: "skip" }), /expected "error" or "flag"/);
});

test("a Splunk JSON export (each event under `result`) and a Sentinel JSON array", () => {
  const events = text("sysmon_hostname.jsonl").split("\n").filter(Boolean);
  const splunk = events.map((l) => JSON.stringify({ preview: false, result: JSON.parse(l) })).join("\n");
  const sentinel = JSON.stringify(events.map((l) => JSON.parse(l)));
  const want = links(buildProcessTree(text("sysmon_hostname.jsonl")));
  assert.deepEqual(links(buildProcessTree(splunk)), want);
  assert.deepEqual(links(buildProcessTree(sentinel)), want);
});

test("a custom mapping may name its build: Defender columns under other names", () => {
  const mde = new Uint8Array(readFileSync(new URL("../fixtures/mde_proc_pub.arrow", import.meta.url)));
  const builtin = buildProcessTree(mde, { schema: "mde" }).summary();
  const schema = { process_name: "FileName", process_id: "ProcessId", parent_id: "InitiatingProcessId", time_stamp: "Timestamp", host_name_column: "DeviceName", builder: "mde" };
  const custom = buildProcessTree(mde, { schema }).summary();
  assert.deepEqual([custom.processes, custom.inferred, custom.roots], [builtin.processes, builtin.inferred, builtin.roots]);
  assert.throws(() => buildProcessTree(mde, { schema: { ...schema, builder: "defender" } }), /`builder` is "generic", "mde" or "mde_internal", not "defender"/);
});
