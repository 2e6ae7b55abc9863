//! JS table inputs → [`Table`]; `describeTable`.

use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Date, JsString, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, is_plain_object, to_js};
use huntkit::Error;
use huntkit::table::write_ipc_stream;
use huntkit::table::{ByteSource, RowObject, Table, Value, open_ipc};

/// Reads a table given as Arrow IPC bytes (`Uint8Array`, `ArrayBuffer`, stream or file format)
/// or as an array of plain row objects.
///
/// IPC bytes stay in JS memory: only the headers are read now, and each column's buffers are
/// copied into wasm memory when the column is first used (so the bytes must not change while
/// the result is alive; if they do, reading fails with an error saying so).
pub fn table_from_js(value: &JsValue) -> JsResult<Table> {
    let bytes = value
        .dyn_ref::<Uint8Array>()
        .cloned()
        .or_else(|| value.dyn_ref::<ArrayBuffer>().map(|b| Uint8Array::new(b)));
    if let Some(bytes) = bytes {
        // JSON text (an export saved as bytes) starts with `{` or `[`; Arrow IPC never does.
        let head = bytes.subarray(0, bytes.length().min(64)).to_vec();
        if matches!(
            head.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        ) {
            // The copy into wasm and its UTF-8 check; the rows are then read with checks of
            // their own.
            huntkit::memory::Need::new("reading JSON", "bytes", bytes.length().into(), 1.0)
                .check()?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
                Error::invalid_table(format!(
                    "the bytes look like JSON but are not UTF-8 (at byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            return json_to_table(&text);
        }
        return Ok(open_ipc(Rc::new(JsBytes(bytes)))?);
    }
    if let Some(text) = value.as_string()
        && matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
    {
        return json_to_table(&text);
    }
    if let Some(rows) = value.dyn_ref::<Array>() {
        return rows_to_table(rows);
    }
    // A huntkit result (`ResultTable`, `ProcessTree`) or anything else with `toArrow()`.
    if value.is_object()
        && let Ok(to_arrow) = Reflect::get(value, &JsValue::from_str("toArrow"))
        && let Some(to_arrow) = to_arrow.dyn_ref::<js_sys::Function>()
    {
        let bytes = to_arrow.call0(value)?;
        if bytes.is_instance_of::<Uint8Array>() || bytes.is_instance_of::<ArrayBuffer>() {
            return table_from_js(&bytes);
        }
    }
    let what = if value.is_undefined() || value.is_null() {
        "nothing".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    };
    Err(Error::invalid_table(format!(
        "expected Arrow IPC bytes (Uint8Array or ArrayBuffer; for an apache-arrow Table pass \
         tableToIPC(table)), JSON lines or a JSON array of objects, an array of row objects or \
         a huntkit result table, got {what}"
    ))
    .into())
}

/// IPC bytes in a JS `Uint8Array`, copied into wasm memory range by range.
struct JsBytes(Uint8Array);

impl ByteSource for JsBytes {
    fn size(&self) -> usize {
        self.0.length() as usize
    }

    fn read_into(&self, at: usize, out: &mut [u8]) -> huntkit::Result<()> {
        let end = at.checked_add(out.len()).ok_or_else(gone)?;
        let (Ok(start), Ok(end)) = (u32::try_from(at), u32::try_from(end)) else {
            return Err(gone());
        };
        if end > self.0.length() {
            return Err(gone());
        }
        self.0.subarray(start, end).copy_to(out);
        Ok(())
    }
}

fn gone() -> Error {
    Error::invalid_table(
        "the Arrow IPC bytes changed after they were read (a detached or resized buffer); \
         keep them unchanged while the table or tree built from them is in use",
    )
}

/// JSON text as a table: JSON lines (an object per line, as SIEM exports and `az monitor`
/// dumps are), or one array of objects. Each object is a row; nested objects become dotted
/// columns (`process.parent.pid`).
fn json_to_table(text: &str) -> JsResult<Table> {
    let parse = |line: &str, at: usize| {
        js_sys::JSON::parse(line).map_err(|e| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            Error::invalid_table(format!("line {at} is not JSON: {why}"))
        })
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let rows = parse(trimmed, 1)?;
        return match rows.dyn_ref::<Array>() {
            Some(rows) => rows_to_table(rows),
            None => Err(Error::invalid_table("the JSON is not an array of objects").into()),
        };
    }
    let rows = Array::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.is_empty() {
            rows.push(&parse(line, i + 1)?);
        }
    }
    if rows.length() == 0 && !text.trim().is_empty() {
        return Err(Error::invalid_table("expected JSON lines (an object per line)").into());
    }
    rows_to_table(&rows)
}

/// A JS row object as the core reads it.
struct JsRow(JsValue);

impl RowObject for JsRow {
    fn entries(&self) -> Vec<(String, JsRow)> {
        Object::keys(self.0.unchecked_ref::<Object>())
            .iter()
            .map(|key| {
                let v = Reflect::get(&self.0, &key).unwrap_or(JsValue::UNDEFINED);
                (key.unchecked_ref::<JsString>().into(), JsRow(v))
            })
            .collect()
    }

    fn is_plain_object(&self) -> bool {
        is_plain_object(&self.0)
    }

    fn is_row(&self) -> bool {
        self.0.is_object() && !self.0.is_array()
    }

    fn cell(&self) -> Value {
        value_of(&self.0)
    }
}

fn rows_to_table(rows: &Array) -> JsResult<Table> {
    Ok(Table::from_objects(rows.iter().map(JsRow))?)
}

/// A JS value as a table cell.
pub(super) fn value_of(v: &JsValue) -> Value {
    if v.is_null() || v.is_undefined() {
        Value::Null
    } else if let Some(n) = v.as_f64() {
        Value::Number(n)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(s) = v.as_string() {
        Value::Text(s)
    } else if v.is_bigint() {
        i64::try_from(v.clone())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Text(String::from(JsString::from(v.clone()))))
    } else if let Some(d) = v.dyn_ref::<Date>() {
        Value::Date(d.get_time())
    } else {
        let text = js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| String::from(JsString::from(v.clone())));
        Value::Text(text)
    }
}

/// A table as an array of plain row objects (see [`Table::cells`]): numbers, 64-bit integers
/// as BigInt, booleans, dates as `Date`, text as strings; null as `null`.
pub fn table_to_rows(table: &Table) -> JsResult<JsValue> {
    let rows: Vec<Object> = (0..table.num_rows()).map(|_| Object::new()).collect();
    for name in table.column_names() {
        let key = JsValue::from_str(&name);
        for (row, cell) in rows.iter().zip(table.cells(&name)?) {
            let v = match cell {
                Value::Null => JsValue::NULL,
                Value::Number(x) => JsValue::from_f64(x),
                Value::Int(i) => JsValue::from(i),
                Value::Bool(b) => JsValue::from_bool(b),
                Value::Date(ms) => Date::new(&JsValue::from_f64(ms)).into(),
                Value::Text(t) => JsValue::from_str(&t),
            };
            Reflect::set(row, &key, &v)?;
        }
    }
    Ok(rows.into_iter().collect::<Array>().into())
}

#[derive(Serialize)]
struct ColumnInfo {
    name: String,
    #[serde(rename = "type")]
    data_type: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableInfo {
    num_rows: usize,
    columns: Vec<ColumnInfo>,
}

fn columns_of(table: &Table) -> Vec<ColumnInfo> {
    table
        .schema()
        .fields()
        .iter()
        .map(|f| ColumnInfo {
            name: f.name().clone(),
            data_type: f.data_type().to_string(),
        })
        .collect()
}

/// Describes a table: `{ numRows, columns: [{ name, type }] }` (types as Arrow writes them,
/// e.g. `Utf8`, `Int64`, `Dictionary(Int32, Utf8)`).
#[wasm_bindgen(js_name = describeTable)]
pub fn describe_table(table: JsValue) -> JsResult<JsValue> {
    let table = table_from_js(&table)?;
    let info = TableInfo {
        num_rows: table.num_rows(),
        columns: columns_of(&table),
    };
    to_js(&info)
}

/// Reads any table input (Arrow IPC bytes, row objects, a huntkit result) as a
/// `ResultTable`: the same data as huntkit sees it, with `toArrow()` and `toRows()`.
#[wasm_bindgen(js_name = readTable)]
pub fn read_table(table: JsValue) -> JsResult<JsResultTable> {
    Ok(JsResultTable::new(table_from_js(&table)?))
}

/// A result table (IoCs from a table, an Azure query's result): `toArrow()`, `toRows()`,
/// `numRows`, `columns`. Any function taking a table accepts it as it is.
#[wasm_bindgen(js_name = ResultTable)]
pub struct JsResultTable {
    table: Table,
}

impl JsResultTable {
    /// Wraps a table.
    pub fn new(table: Table) -> Self {
        JsResultTable { table }
    }
}

#[wasm_bindgen(js_class = ResultTable)]
impl JsResultTable {
    /// How many rows.
    #[wasm_bindgen(getter, js_name = numRows)]
    pub fn num_rows(&self) -> usize {
        self.table.num_rows()
    }

    /// `[{ name, type }]`, types as Arrow writes them.
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> JsResult<JsValue> {
        to_js(&columns_of(&self.table))
    }

    /// Arrow IPC stream bytes.
    #[wasm_bindgen(js_name = toArrow)]
    pub fn to_arrow(&self) -> JsResult<Uint8Array> {
        let bytes = write_ipc_stream(self.table.schema(), self.table.batches()?)?;
        Ok(Uint8Array::from(&bytes[..]))
    }

    /// Plain row objects (Int64 columns as BigInt, timestamps as `Date`).
    #[wasm_bindgen(js_name = toRows)]
    pub fn to_rows(&self) -> JsResult<JsValue> {
        table_to_rows(&self.table)
    }
}
