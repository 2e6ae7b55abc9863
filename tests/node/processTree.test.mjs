// node --test: buildProcessTree through the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tableFromIPC } from "apache-arrow";

import { buildProcessTree } from "huntkit";

const fixture = (name) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const golden = (name) => JSON.parse(readFileSync(new URL(`../golden/proctree/${name}.summary.json`, import.meta.url), "utf8"));

test("Windows, Linux and Defender (MDE) trees match MSTICPy's counts", () => {
  for (const [file, gold, schema] of [
    ["win_proc_test.arrow", "win_proc_test", "windows"],
    ["linux_proc_test.arrow", "linux_proc_test", "linux"],
    ["mde_proc_pub.arrow", "mde_proc_pub", "mde"],
    ["mde_proc_cs1.arrow", "mde_proc_cs1", "mde_internal"],
  ]) {
    const tree = buildProcessTree(fixture(file));
    assert.equal(tree.schemaName, schema);
    const g = golden(gold);
    const s = tree.summary();
    assert.deepEqual(
      [s.processes, s.roots, s.leaves, s.branches, s.isolated, s.maxDepth, s.inferred, s.duplicatesDropped],
      [g.rows_out, g.roots, g.leaves, g.branches, g.isolated, g.max_depth, g.inferred_parents, 0],
    );
    assert.equal(s.rowsIn, g.rows_in);
    tree.free();
  }
});

test("navigation by process key", () => {
  const tree = buildProcessTree(fixture("win_proc_test.arrow"), { schema: "WIN_EVENT_SCH" });
  const root = tree.roots()[0];
  assert.deepEqual(
    [root.key, root.inferred, root.isRoot, root.depth, root.row, root.time, root.pid],
    ["c:\\windows\\system32\\svchost.exe|0x270|1970-01-01 00:00:00.000000", true, true, 1, null, 0, "0x270"],
  );
  const kids = tree.children(root.key);
  assert.ok(kids.length > 0);
  const child = kids[0];
  assert.equal(child.key, "c:\\windows\\system32\\wbem\\wmiprvse.exe|0xda4|2019-02-09 20:04:38.017000");
  assert.equal(child.parentKey, root.key);
  assert.equal(new Date(child.time).toISOString(), "2019-02-09T20:04:38.017Z");
  assert.equal(tree.parent(child.key).key, root.key);
  assert.equal(tree.parent(root.key), null);
  assert.deepEqual(tree.ancestors(child.key).map((n) => n.key), [root.key]);
  assert.deepEqual(tree.siblings(child.key).map((n) => n.key), kids.slice(1).map((n) => n.key));
  const all = tree.descendants(root.key);
  assert.deepEqual(tree.descendants(root.key, 1).map((n) => n.key), kids.map((n) => n.key));
  assert.ok(all.length >= kids.length);
  assert.ok(all.every((n) => n.path.startsWith(root.path + "/")));
  assert.equal(tree.nodes().length, 1010);
  assert.throws(() => tree.children("nope"), (e) => e.code === "invalid-option" && /no process has the key "nope"/.test(e.message));
});

test("toArrow and toRows carry every input column plus the tree columns", () => {
  const tree = buildProcessTree(fixture("win_proc_test.arrow"));
  const t = tableFromIPC(tree.toArrow());
  assert.equal(t.numRows, 1010);
  assert.deepEqual(t.schema.fields.slice(19).map((f) => f.name), [
    "proc_key", "parent_key", "path", "depth", "source_index", "parent_index", "IsRoot", "IsLeaf",
    "IsBranch", "inferred", "flag", "node_name", "node_pid", "node_host", "node_time",
  ]);
  const rows = tree.toRows();
  assert.equal(rows.length, 1010);
  assert.equal(rows[0].inferred, true);
  assert.equal(rows[0].NewProcessName, null);
  assert.equal(rows[1].NewProcessName, "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
  assert.equal(rows[1].index, 852n); // the input row (pandas index), Int64 → BigInt
  assert.equal(rows[1].TimeGenerated.toISOString(), "2019-02-09T20:04:38.017Z");
  assert.equal(rows.filter((r) => r.inferred).length, 10);
});

test("IPC bytes stay in JS, read column by column; bytes detached later give a clear error", () => {
  const bytes = fixture("win_proc_test.arrow");
  const tree = buildProcessTree(bytes);
  // The build read only the schema's columns; the detached buffer is noticed when the
  // other columns are needed.
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  assert.equal(bytes.byteLength, 0);
  assert.equal(tree.summary().processes, 1010);
  assert.throws(
    () => tree.toArrow(),
    (e) => e.code === "invalid-table" && /the Arrow IPC bytes changed after they were read/.test(e.message),
  );
  tree.free();
});

test("toText renders MSTICPy's tree_to_text", () => {
  const tree = buildProcessTree(fixture("win_proc_test.arrow"), { schema: "windows" });
  const text = tree.toText();
  assert.equal(text.split("\n").length, 5028); // MSTICPy's test_text_process_tree
  assert.equal(
    text.split("\n").slice(0, 4).join("\n"),
    "+  Process: C:\\Windows\\System32\\svchost.exe  PID: 0x270\n   Time: 1970-01-01 00:00:00+00:00\n   Cmdline: nan\n   Account: nan  Account: 0x3e7",
  );
  assert.ok(tree.toText(40).split("\n").length > 5028);
});

test("row objects with a custom mapping; hex PIDs; missing parents inferred", () => {
  const rows = [
    { exe: "/bin/bash", p: "0x1a4", pp: "1", t: "2024-01-01T10:00:00Z", host: "a" },
    { exe: "/usr/bin/id", p: "500", pp: "0x1A4", t: "2024-01-01T10:00:01Z", host: "a" },
    { exe: "/usr/bin/id", p: "500", pp: "0x1A4", t: "2024-01-01T10:00:01Z", host: "b" },
  ];
  const tree = buildProcessTree(rows, {
    schema: { processName: "exe", processId: "p", parentId: "pp", timeStamp: "t", hostNameColumn: "host", pathSeparator: "/" },
  });
  assert.equal(tree.schemaName, "custom");
  const s = tree.summary();
  // host a: unknown(1) → bash → id; host b: unknown(0x1A4) → id.
  assert.deepEqual([s.processes, s.roots, s.inferred, s.maxDepth], [5, 2, 2, 3]);
  const id = tree.nodes().find((n) => n.host === "a" && n.name === "/usr/bin/id");
  assert.equal(tree.parent(id).name, "/bin/bash");
  // The same key on host b: a node object names its host, a bare key gives the first.
  const idB = tree.nodes().find((n) => n.host === "b" && n.name === "/usr/bin/id");
  assert.equal(idB.key, id.key);
  assert.equal(tree.parent(idB).name, "unknown");
  assert.equal(tree.parent(idB).host, "b");
  assert.deepEqual(tree.ancestors(idB).map((n) => n.host), ["b"]);
  assert.throws(() => tree.parent(42), /expected a process key \(string\) or a node object/);
});

test("bad input names the columns and the closest schema", () => {
  const cases = [
    [() => buildProcessTree([{ NewProcessName: "a", NewProcessId: "1", x: 1 }], { schema: "windows" }), /lacks the column\(s\) `ProcessId`, `TimeGenerated` required by schema `windows`/],
    [() => buildProcessTree([{ a: 1 }]), /no process schema matches the columns/],
    [() => buildProcessTree(fixture("win_proc_test.arrow"), { schema: "windwos" }), /unknown schema "windwos"; built-ins: .*; did you mean `windows`\?/],
    [() => buildProcessTree(fixture("win_proc_test.arrow"), { schema: { process_name: "NewProcessName" } }), /a custom schema needs `process_id`/],
    [() => buildProcessTree(fixture("win_proc_test.arrow"), { shema: "windows" }), /unknown option `shema`; did you mean `schema`\?/],
    [() => buildProcessTree(new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9]), {}), /not readable as Arrow IPC/],
  ];
  for (const [fn, message] of cases) {
    assert.throws(fn, (e) => e.name === "HuntkitError" && message.test(e.message), String(message));
  }
});
