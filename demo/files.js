// Reading a user's file in the demo pages: CSV (parsed here), JSON rows or Arrow IPC bytes.

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) → row objects; empty fields are null. */
export function parseCsv(text) {
  const records = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      records.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    records.push(row);
  }
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== "");
  if (!header) throw new Error("the CSV file is empty");
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] === undefined || r[k] === "" ? null : r[k]])));
}

/** A user's file as a huntkit table input: Arrow bytes or row objects. */
export async function readFile(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".json")) {
    const data = JSON.parse(await file.text());
    if (!Array.isArray(data)) throw new Error("the JSON file must hold an array of row objects");
    return data;
  }
  if (name.endsWith(".csv")) return parseCsv(await file.text());
  return new Uint8Array(await file.arrayBuffer());
}
