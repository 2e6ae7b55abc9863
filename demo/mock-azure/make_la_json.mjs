// Writes win_proc_test.la.json: tests/fixtures/win_proc_test.arrow as a Log Analytics query
// result table (column types from the Arrow types, times as ISO strings), which the mock
// serves for `SecurityEvent` queries. Run from tests/ (for apache-arrow): node ../demo/mock-azure/make_la_json.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { tableFromIPC } from "apache-arrow";

/** Log Analytics column types of the process events, by Arrow type. */
function laType(field) {
  const t = String(field.type);
  if (t.startsWith("Timestamp")) return "datetime";
  if (t.startsWith("Int64")) return "long";
  if (t.startsWith("Int")) return "int";
  if (t.startsWith("Float")) return "real";
  if (t === "Bool") return "bool";
  return "string";
}

function processEvents() {
  const t = tableFromIPC(readFileSync(new URL("../../tests/fixtures/win_proc_test.arrow", import.meta.url)));
  const fields = t.schema.fields;
  const columns = fields.map((f) => ({ name: f.name, type: laType(f) }));
  const rows = [];
  for (const row of t) {
    rows.push(
      fields.map((f, i) => {
        const v = row[f.name];
        if (v === null || v === undefined) return null;
        if (columns[i].type === "datetime") return new Date(Number(v)).toISOString();
        if (typeof v === "bigint") return Number(v);
        return v;
      }),
    );
  }
  return { name: "PrimaryResult", columns, rows };
}

writeFileSync(new URL("./win_proc_test.la.json", import.meta.url), JSON.stringify(processEvents()));
