//! JSON results → [`Table`]s: typed columns (Log Analytics, Graph and Defender hunting
//! declare a type per column) and flattened objects (Resource Graph, Sentinel: as pandas'
//! `json_normalize` does for MSTICPy).

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
    TimestampNanosecondBuilder,
};
use arrow_schema::{DataType, Field, TimeUnit};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::table::rows::Columns;
use crate::table::{RowObject, Table, Value, parse_iso_ns};

/// A column type as a query API declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `datetime`/`DateTime` → timestamp (ns, UTC).
    Time,
    /// `long`/`Int64` → Int64.
    Long,
    /// `int`/`Int32` → Int32.
    Int,
    /// `real`/`Double` → Float64 (`"NaN"`, `"Infinity"` accepted).
    Real,
    /// `bool`/`Boolean` → Boolean.
    Bool,
    /// `dynamic`/`Object` → JSON text (a string value stays as it is).
    Dynamic,
    /// `string`, `guid`, `timespan`, `decimal` and anything else → Utf8.
    Text,
}

impl Kind {
    /// The kind of a declared type name (case-insensitive).
    pub fn of(name: &str) -> Kind {
        match name.to_ascii_lowercase().as_str() {
            "datetime" | "date" => Kind::Time,
            "long" | "int64" => Kind::Long,
            "int" | "int32" => Kind::Int,
            "real" | "double" | "float" => Kind::Real,
            "bool" | "boolean" => Kind::Bool,
            "dynamic" | "object" => Kind::Dynamic,
            _ => Kind::Text,
        }
    }
}

fn bad_cell(api: &str, column: &str, row: usize, want: &str, got: &Json) -> Error {
    let shown = super::clip(&got.to_string(), 60);
    Error::invalid_table(format!(
        "{api} result: column `{column}` row {row} should be {want}, got {shown}"
    ))
}

/// A table of `columns` (name, kind) whose cell `(row, column)` is `cell(row, column)`.
pub fn typed_table<'a>(
    api: &str,
    columns: &[(String, Kind)],
    rows: usize,
    cell: impl Fn(usize, usize) -> Option<&'a Json>,
) -> Result<Table> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (c, (name, kind)) in columns.iter().enumerate() {
        let cells = (0..rows).map(|r| cell(r, c).filter(|v| !v.is_null()));
        let bad = |r: usize, want: &str, v: &Json| bad_cell(api, name, r, want, v);
        let (data_type, array): (DataType, ArrayRef) = match kind {
            Kind::Time => {
                let mut b = TimestampNanosecondBuilder::with_capacity(rows).with_timezone("UTC");
                for (r, v) in cells.enumerate() {
                    match v {
                        None => b.append_null(),
                        Some(Json::String(s)) if s.is_empty() => b.append_null(),
                        Some(v) => b.append_value(
                            v.as_str()
                                .and_then(parse_iso_ns)
                                .ok_or_else(|| bad(r, "an ISO 8601 date-time", v))?,
                        ),
                    }
                }
                (
                    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
                    Arc::new(b.finish()),
                )
            }
            Kind::Long | Kind::Int => {
                let mut values = Vec::with_capacity(rows);
                for (r, v) in cells.enumerate() {
                    values.push(match v {
                        None => None,
                        Some(v) => Some(
                            v.as_i64()
                                .or_else(|| {
                                    v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)
                                })
                                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                                .ok_or_else(|| bad(r, "an integer", v))?,
                        ),
                    });
                }
                if *kind == Kind::Long {
                    let mut b = Int64Builder::with_capacity(rows);
                    values.into_iter().for_each(|v| b.append_option(v));
                    (DataType::Int64, Arc::new(b.finish()))
                } else {
                    let mut b = Int32Builder::with_capacity(rows);
                    for (r, v) in values.into_iter().enumerate() {
                        let v = v
                            .map(i32::try_from)
                            .transpose()
                            .map_err(|_| bad(r, "a 32-bit integer", &Json::Null))?;
                        b.append_option(v);
                    }
                    (DataType::Int32, Arc::new(b.finish()))
                }
            }
            Kind::Real => {
                let mut b = Float64Builder::with_capacity(rows);
                for (r, v) in cells.enumerate() {
                    b.append_option(match v {
                        None => None,
                        Some(v) => Some(
                            v.as_f64()
                                .or_else(|| match v.as_str()? {
                                    "NaN" => Some(f64::NAN),
                                    "Infinity" => Some(f64::INFINITY),
                                    "-Infinity" => Some(f64::NEG_INFINITY),
                                    s => s.trim().parse().ok(),
                                })
                                .ok_or_else(|| bad(r, "a number", v))?,
                        ),
                    });
                }
                (DataType::Float64, Arc::new(b.finish()))
            }
            Kind::Bool => {
                let mut b = BooleanBuilder::with_capacity(rows);
                for (r, v) in cells.enumerate() {
                    b.append_option(match v {
                        None => None,
                        Some(Json::Bool(x)) => Some(*x),
                        Some(Json::Number(n)) if n.as_i64() == Some(0) => Some(false),
                        Some(Json::Number(n)) if n.as_i64() == Some(1) => Some(true),
                        Some(Json::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
                        Some(Json::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
                        Some(v) => return Err(bad(r, "a boolean", v)),
                    });
                }
                (DataType::Boolean, Arc::new(b.finish()))
            }
            Kind::Dynamic | Kind::Text => {
                let mut b = StringBuilder::with_capacity(rows, rows * 16);
                for v in cells {
                    match v {
                        None => b.append_null(),
                        Some(Json::String(s)) => b.append_value(s),
                        Some(v) => b.append_value(v.to_string()),
                    }
                }
                (DataType::Utf8, Arc::new(b.finish()))
            }
        };
        fields.push(Field::new(name, data_type, true));
        arrays.push(array);
    }
    Table::from_arrays(fields, arrays, rows)
}

/// Objects flattened into columns named by their key paths (`properties.title`); arrays and
/// empty objects become JSON text, a value that is not an object a `value` column; columns in
/// order of first appearance; types inferred per column.
pub fn flat_table(objects: &[Json]) -> Result<Table> {
    let mut cols = Columns::default();
    for (r, object) in objects.iter().enumerate() {
        match object {
            Json::Object(_) => cols.flatten(r, object, "", 0),
            other => cols.add(r, "value".to_owned(), other.cell()),
        }
    }
    cols.finish(objects.len())
}

/// JSON as row objects: a non-empty object's entries are columns.
impl RowObject for Json {
    fn entries(&self) -> Vec<(String, Json)> {
        self.as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    fn is_plain_object(&self) -> bool {
        self.as_object().is_some_and(|m| !m.is_empty())
    }

    fn is_row(&self) -> bool {
        self.is_object()
    }

    fn cell(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Value::Text(s.clone()),
            other => Value::Text(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::text_values;
    use serde_json::json;

    #[test]
    fn typed_columns_from_declared_types() {
        let rows = json!([
            ["2024-01-01T10:00:00.1234567Z", 42, 7, 1.5, true, {"a": [1]}, "x", "00:00:05"],
            [null, "43", null, "NaN", 0, "[2]", null, null]
        ]);
        let rows = rows.as_array().unwrap();
        let cols: Vec<(String, Kind)> = [
            ("t", "datetime"),
            ("n", "long"),
            ("i", "int"),
            ("r", "real"),
            ("b", "bool"),
            ("d", "dynamic"),
            ("s", "string"),
            ("ts", "timespan"),
        ]
        .map(|(n, t)| (n.to_owned(), Kind::of(t)))
        .to_vec();
        let t = typed_table("Log Analytics", &cols, rows.len(), |r, c| rows[r].get(c)).unwrap();
        let types: Vec<String> = t
            .schema()
            .fields()
            .iter()
            .map(|f| f.data_type().to_string())
            .collect();
        assert_eq!(
            types,
            [
                "Timestamp(ns, \"UTC\")",
                "Int64",
                "Int32",
                "Float64",
                "Boolean",
                "Utf8",
                "Utf8",
                "Utf8"
            ]
        );
        let col = |n| text_values(&t.column(n, "c").unwrap()).unwrap();
        assert_eq!(
            col("t")[0].as_deref(),
            Some("2024-01-01T10:00:00.123456700Z")
        );
        assert_eq!(col("n"), [Some("42".into()), Some("43".into())]);
        assert_eq!(col("d"), [Some("{\"a\":[1]}".into()), Some("[2]".into())]);
        assert_eq!(col("b"), [Some("true".into()), Some("false".into())]);
        assert_eq!(col("r")[1], None, "NaN reads as missing in text");
    }

    #[test]
    fn a_bad_cell_names_column_and_row() {
        let rows = json!([["2024-01-01T00:00:00Z"], ["yesterday"]]);
        let rows = rows.as_array().unwrap();
        let cols = vec![("TimeGenerated".to_owned(), Kind::Time)];
        let err = typed_table("Log Analytics", &cols, 2, |r, c| rows[r].get(c)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid table: Log Analytics result: column `TimeGenerated` row 1 should be an ISO \
             8601 date-time, got \"yesterday\""
        );
    }

    #[test]
    fn objects_flatten_like_json_normalize() {
        let objects = json!([
            {"id": "/a", "properties": {"title": "One", "severity": "High", "labels": []}},
            {"id": "/b", "etag": "\"e\"", "properties": {"title": "Two", "owner": {"name": "x"}, "n": 3}}
        ]);
        let t = flat_table(objects.as_array().unwrap()).unwrap();
        assert_eq!(
            t.column_names(),
            [
                "id",
                "properties.title",
                "properties.severity",
                "properties.labels",
                "etag",
                "properties.owner.name",
                "properties.n"
            ]
        );
        let col = |n| text_values(&t.column(n, "c").unwrap()).unwrap();
        assert_eq!(col("properties.labels"), [Some("[]".into()), None]);
        assert_eq!(col("properties.n"), [None, Some("3".into())]);
        assert_eq!(col("properties.owner.name"), [None, Some("x".into())]);
    }
}
