//! Tables from row values (arrays of plain JS objects, converted by the bindings), and back.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMillisecondBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_schema::{DataType, Field, TimeUnit};

use super::Table;
use super::time::format_timestamp;
use crate::error::Result;

/// One cell of a row-oriented input.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `undefined` or a missing key.
    Null,
    /// A JS number.
    Number(f64),
    /// A JS BigInt that fits in 64 bits.
    Int(i64),
    /// A JS boolean.
    Bool(bool),
    /// A JS `Date`, as milliseconds since the epoch.
    Date(f64),
    /// A string, or any other value as text (objects as JSON).
    Text(String),
}

/// The column type inferred from a column's non-null values.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Empty,
    Number,
    Int,
    Bool,
    Date,
    Text,
}

fn kind_of(values: &[Value]) -> Kind {
    let mut kind = Kind::Empty;
    for v in values {
        let k = match v {
            Value::Null => continue,
            Value::Number(_) => Kind::Number,
            Value::Int(_) => Kind::Int,
            Value::Bool(_) => Kind::Bool,
            Value::Date(_) => Kind::Date,
            Value::Text(_) => Kind::Text,
        };
        kind = match (kind, k) {
            (Kind::Empty, k) => k,
            (a, b) if a == b => a,
            (Kind::Number, Kind::Int) | (Kind::Int, Kind::Number) => Kind::Number,
            _ => return Kind::Text,
        };
    }
    kind
}

fn as_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Number(n) => n.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(ms) => format_timestamp(*ms as i64, TimeUnit::Millisecond),
        Value::Text(s) => s.clone(),
    })
}

/// One row object of a host (a JS object, a parsed JSON object), as [`Table::from_objects`]
/// reads it.
pub trait RowObject: Sized {
    /// Its own keys, in order, with their values.
    fn entries(&self) -> Vec<(String, Self)>;
    /// Whether it is a plain object (`{…}`), whose entries are read: not an array, a date or
    /// another class instance.
    fn is_plain_object(&self) -> bool;
    /// Whether it can be a row: by default a plain object (a host may also take class
    /// instances whose keys are the columns, such as Arrow's row proxies).
    fn is_row(&self) -> bool {
        self.is_plain_object()
    }
    /// The value as a table cell (objects that are not flattened as text, e.g. JSON).
    fn cell(&self) -> Value;
}

/// How deep nested objects are flattened into dotted columns; deeper ones are kept as cells.
const MAX_NESTING: usize = 16;

/// Columns gathered from rows of named cells; a name missing from a row is null there.
#[derive(Default)]
pub(crate) struct Columns {
    names: Vec<String>,
    index: crate::hash::HashMap<String, usize>,
    columns: Vec<Vec<Value>>,
}

impl Columns {
    /// Cell `name` of row `row` (rows come in order).
    pub(crate) fn add(&mut self, row: usize, name: String, cell: Value) {
        let col = *self.index.entry(name.clone()).or_insert_with(|| {
            self.names.push(name);
            self.columns.push(Vec::new());
            self.columns.len() - 1
        });
        let cells = &mut self.columns[col];
        // Rows before this key's first appearance lack it.
        cells.resize(row, Value::Null);
        cells.push(cell);
    }

    /// Every cell of the object `row`: plain nested objects (as JSON has them: Winlogbeat's
    /// `winlog.event_data`, ECS's `process.parent`) become dotted names, up to [`MAX_NESTING`]
    /// levels.
    pub(crate) fn flatten<R: RowObject>(&mut self, r: usize, row: &R, prefix: &str, depth: usize) {
        for (key, v) in row.entries() {
            let name = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            if depth < MAX_NESTING && v.is_plain_object() {
                self.flatten(r, &v, &name, depth + 1);
            } else {
                self.add(r, name, v.cell());
            }
        }
    }

    /// The table of `n` rows.
    pub(crate) fn finish(mut self, n: usize) -> Result<Table> {
        for cells in &mut self.columns {
            cells.resize(n, Value::Null);
        }
        Table::from_columns(self.names, self.columns, n)
    }
}

/// The event inside a Splunk export row (`{"preview": false, "result": {…}}`, beside only
/// `preview`, `offset`, `lastrow`), if `row` is one.
fn splunk_result<R: RowObject>(row: &R) -> Option<R> {
    let mut result = None;
    for (key, v) in row.entries() {
        match key.as_str() {
            "result" => result = Some(v),
            "preview" | "offset" | "lastrow" => {}
            _ => return None,
        }
    }
    result.filter(RowObject::is_plain_object)
}

impl Table {
    /// A table from row objects (JSON lines, an array of JS objects): each plain object is a
    /// row, nested objects become dotted columns (`process.parent.pid`), a Splunk export's
    /// `result` wrapper is unwrapped, and a key missing from a row is null there. A row that
    /// is not an object is an `invalid-table` error naming it.
    pub fn from_objects<R: RowObject>(rows: impl IntoIterator<Item = R>) -> Result<Table> {
        let mut cols = Columns::default();
        let mut n = 0;
        let rows = rows.into_iter();
        let hint = rows.size_hint().0 as u64;
        let start = crate::memory::in_use();
        crate::memory::Need::new("reading rows", "rows", hint, 0.0)
            .plus(64 * 1024)
            .check()?;
        for (r, row) in rows.enumerate() {
            // Rows of objects have no size up front: after 16, 32, 64 … rows and then every 1024, the room for as many more
            // and for the columns' growth (a buffer doubles while the old one lives) and final
            // copy (as much again as read so far) is checked.
            if r >= 16 && (r.is_power_of_two() || r % 1024 == 0) {
                let spent = crate::memory::in_use().saturating_sub(start);
                let more = 3 * spent + spent / r as u64 * r.min(1024) as u64;
                crate::memory::ensure_room(
                    "reading rows",
                    "rows",
                    (r as u64, hint),
                    spent,
                    (more, spent),
                )?;
            }
            if !row.is_row() {
                return Err(crate::Error::invalid_table(format!(
                    "row {r} is not an object (rows must be plain objects such as {{x: 1, y: \"a\"}})"
                )));
            }
            match splunk_result(&row) {
                Some(event) => cols.flatten(r, &event, "", 0),
                None => cols.flatten(r, &row, "", 0),
            }
            n = r + 1;
        }
        cols.finish(n)
    }

    /// Column `name` as row values, the inverse of [`Table::from_rows`]: 8–32-bit integers and
    /// floats as [`Value::Number`] (NaN as null: Arrow floats rarely carry a real NaN), 64-bit
    /// integers as [`Value::Int`], booleans, timestamps and dates as [`Value::Date`] (whole
    /// milliseconds), anything else as text.
    pub fn cells(&self, name: &str) -> Result<Vec<Value>> {
        let col = self.column(name, "column")?;
        let n = self.num_rows();
        Ok(match col.data_type() {
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::Float16
            | DataType::Float32
            | DataType::Float64 => {
                let mut out = Vec::with_capacity(n);
                super::for_each_number(&col, |_, v| {
                    out.push(if v.is_nan() {
                        Value::Null
                    } else {
                        Value::Number(v)
                    })
                })?;
                out
            }
            DataType::Int64 => col
                .chunks()
                .iter()
                .flat_map(|a| a.as_primitive::<Int64Type>().iter())
                .map(|v| v.map_or(Value::Null, Value::Int))
                .collect(),
            DataType::Boolean => col
                .chunks()
                .iter()
                .flat_map(|a| a.as_boolean().iter())
                .map(|v| v.map_or(Value::Null, Value::Bool))
                .collect(),
            DataType::Timestamp(..) | DataType::Date32 => super::timestamps_ns(&col)?
                .into_iter()
                .map(|t| t.map_or(Value::Null, |ns| Value::Date((ns / 1_000_000) as f64)))
                .collect(),
            _ => super::text_values(&col)?
                .into_iter()
                .map(|t| t.map_or(Value::Null, Value::Text))
                .collect(),
        })
    }

    /// Builds a one-batch table from named columns of row values. Each column's type is
    /// inferred from its non-null values: all numbers → Float64, all BigInts → Int64 (mixed
    /// with numbers → Float64), booleans → Boolean, `Date`s → Timestamp(ms, UTC), anything
    /// else (or a mix) → Utf8 with every value as text. An all-null column is Utf8.
    pub fn from_rows(names: Vec<String>, columns: Vec<Vec<Value>>) -> Result<Table> {
        let rows = columns.first().map_or(0, Vec::len);
        Table::from_columns(names, columns, rows)
    }

    /// [`Table::from_rows`] with the row count given, so rows without any keys still count.
    pub(crate) fn from_columns(
        names: Vec<String>,
        columns: Vec<Vec<Value>>,
        rows: usize,
    ) -> Result<Table> {
        let mut fields = Vec::with_capacity(names.len());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len());
        for (name, values) in names.into_iter().zip(columns) {
            let array: ArrayRef = match kind_of(&values) {
                Kind::Number => {
                    let mut b = Float64Builder::with_capacity(values.len());
                    for v in &values {
                        b.append_option(match v {
                            Value::Number(n) => Some(*n),
                            Value::Int(i) => Some(*i as f64),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Int => {
                    let mut b = Int64Builder::with_capacity(values.len());
                    for v in &values {
                        b.append_option(if let Value::Int(i) = v {
                            Some(*i)
                        } else {
                            None
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Bool => {
                    let mut b = BooleanBuilder::with_capacity(values.len());
                    for v in &values {
                        b.append_option(if let Value::Bool(x) = v {
                            Some(*x)
                        } else {
                            None
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Date => {
                    let mut b = TimestampMillisecondBuilder::with_capacity(values.len())
                        .with_timezone("UTC");
                    for v in &values {
                        b.append_option(match v {
                            Value::Date(ms) if ms.is_finite() => Some(*ms as i64),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                _ => {
                    let mut b = StringBuilder::with_capacity(values.len(), values.len() * 8);
                    for v in &values {
                        b.append_option(as_text(v));
                    }
                    Arc::new(b.finish())
                }
            };
            fields.push(Field::new(name, array.data_type().clone(), true));
            arrays.push(array);
        }
        // No columns (`[]`, or rows with no keys): a table of `rows` rows, not an Arrow error.
        Table::from_arrays(fields, arrays, rows)
    }
}

/// The Arrow type [`Table::from_rows`] infers for a column, for tests and docs.
#[cfg(test)]
fn inferred_type(values: &[Value]) -> DataType {
    Table::from_rows(vec!["c".into()], vec![values.to_vec()])
        .unwrap()
        .schema()
        .field(0)
        .data_type()
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_flatten_unwrap_and_fill_nulls() {
        let rows = serde_json::json!([
            {"a": 1, "process": {"pid": 4, "parent": {"pid": 1}}},
            {"preview": false, "result": {"a": 2, "b": "x"}},
            {"b": "y", "list": [1, 2]},
        ]);
        let table = Table::from_objects(rows.as_array().unwrap().clone()).unwrap();
        assert_eq!(
            table.column_names(),
            ["a", "process.pid", "process.parent.pid", "b", "list"]
        );
        assert_eq!(
            table.cells("a").unwrap(),
            [Value::Int(1), Value::Int(2), Value::Null]
        );
        assert_eq!(table.cells("process.parent.pid").unwrap()[0], Value::Int(1));
        assert_eq!(table.cells("list").unwrap()[2], Value::Text("[1,2]".into()));
        let mut deep = serde_json::json!(1);
        for _ in 0..20 {
            deep = serde_json::json!({ "k": deep });
        }
        let table = Table::from_objects([deep]).unwrap();
        assert_eq!(
            table.column_names()[0].matches('k').count(),
            MAX_NESTING + 1
        );
        let none = Table::from_objects(Vec::<serde_json::Value>::new()).unwrap();
        assert_eq!((none.num_rows(), none.column_names().len()), (0, 0));
        let keyless = Table::from_objects([serde_json::json!({}), serde_json::json!({})]).unwrap();
        assert_eq!((keyless.num_rows(), keyless.column_names().len()), (2, 0));
        let err = Table::from_objects([serde_json::json!({}), serde_json::json!(3)]).unwrap_err();
        assert!(err.to_string().contains("row 1 is not an object"), "{err}");
    }

    #[test]
    fn cells_round_trip_rows() {
        use Value::*;
        let names = ["n", "i", "b", "t", "s"].map(String::from).to_vec();
        let columns = vec![
            vec![Number(1.5), Null, Number(f64::NAN)],
            vec![Int(1 << 40), Int(-2), Null],
            vec![Bool(true), Null, Bool(false)],
            vec![Date(1_700_000_000_123.0), Null, Date(-1.0)],
            vec![Text("a".into()), Null, Text("é".into())],
        ];
        let table = Table::from_rows(names.clone(), columns.clone()).unwrap();
        let got: Vec<Vec<Value>> = names.iter().map(|n| table.cells(n).unwrap()).collect();
        let mut want = columns;
        want[0][2] = Null; // NaN reads back as null
        assert_eq!(got, want);
        assert_eq!(table.cells("nope").unwrap_err().code(), "missing-column");
    }

    #[test]
    fn column_types_are_inferred() {
        use Value::*;
        assert_eq!(inferred_type(&[Number(1.0), Null]), DataType::Float64);
        assert_eq!(inferred_type(&[Int(1), Null]), DataType::Int64);
        assert_eq!(inferred_type(&[Int(1), Number(0.5)]), DataType::Float64);
        assert_eq!(inferred_type(&[Bool(true)]), DataType::Boolean);
        assert_eq!(
            inferred_type(&[Date(0.0)]),
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
        );
        assert_eq!(inferred_type(&[Null, Null]), DataType::Utf8);
        assert_eq!(
            inferred_type(&[Text("a".into()), Number(2.5)]),
            DataType::Utf8
        );
    }

    #[test]
    fn mixed_values_become_text() {
        use Value::*;
        let t = Table::from_rows(
            vec!["c".into()],
            vec![vec![
                Text("a".into()),
                Number(2.5),
                Bool(true),
                Int(-7),
                Null,
                Date(0.0),
            ]],
        )
        .unwrap();
        let col = t.batches().unwrap()[0].column(0).as_string::<i32>();
        let got: Vec<_> = col.iter().collect();
        assert_eq!(
            got,
            [
                Some("a"),
                Some("2.5"),
                Some("true"),
                Some("-7"),
                None,
                Some("1970-01-01T00:00:00.000Z")
            ]
        );
    }
}
