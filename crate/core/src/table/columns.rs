//! Column access that hides how a producer encoded a column: text, times, ids and numbers
//! read from any encoding. Distinct values as codes are in [`super::categories`], time
//! parsing in [`super::time`].

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};

use super::categories::encode_categories;
use super::time::{epoch_ns, format_date, format_timestamp, parse_time_ns};
use crate::error::{Error, Result};

/// One column of a [`super::Table`]: its name, type and one array per record batch.
#[derive(Debug, Clone)]
pub struct Column<'a> {
    name: &'a str,
    pub(super) role: &'static str,
    data_type: &'a DataType,
    pub(super) chunks: Vec<&'a ArrayRef>,
}

impl<'a> Column<'a> {
    pub(super) fn new(
        name: &'a str,
        role: &'static str,
        data_type: &'a DataType,
        chunks: Vec<&'a ArrayRef>,
    ) -> Self {
        Column {
            name,
            role,
            data_type,
            chunks,
        }
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// Its Arrow type.
    pub fn data_type(&self) -> &DataType {
        self.data_type
    }

    /// Its arrays, one per record batch.
    pub fn chunks(&self) -> &[&'a ArrayRef] {
        &self.chunks
    }

    /// Fails with an error naming the column unless [`for_each_number`] can read it.
    pub fn check_numeric(&self) -> Result<()> {
        fn numeric(dt: &DataType) -> bool {
            match dt {
                DataType::Dictionary(_, values) => numeric(values),
                dt => dt.is_numeric() || *dt == DataType::Boolean,
            }
        }
        if numeric(self.data_type) {
            Ok(())
        } else {
            Err(self.type_error("a number"))
        }
    }

    pub(super) fn type_error(&self, expected: &'static str) -> Error {
        Error::column_type(self.name, self.role, self.data_type, expected)
    }
}

/// Every row's value as text (null as `None`): strings as they are, integers in decimal,
/// integral floats without a fraction (`22536.0` → `"22536"`, as MSTICPy's int cast), times in
/// ISO 8601. Built on [`encode_categories`], so each distinct value is formatted once.
pub fn text_values(column: &Column<'_>) -> Result<Vec<Option<String>>> {
    let cats = encode_categories(column)?;
    Ok(cats
        .codes
        .iter()
        .map(|&c| cats.labels.get(c as usize).cloned())
        .collect())
}

/// Every row's time as nanoseconds since the epoch (UTC; naive times are taken as UTC), null as
/// `None`. Accepts Arrow timestamps (any unit, any zone), dates, ISO 8601 text
/// (`2019-02-10 15:21:06.890`, `…T…Z`, `…+01:00`) and epoch numbers, whose unit is read from
/// their size (seconds below 10^11, then ms, µs, ns). Unparsable text is `None`.
pub fn timestamps_ns(column: &Column<'_>) -> Result<Vec<Option<i64>>> {
    let mut out = Vec::with_capacity(column.chunks.iter().map(|c| c.len()).sum());
    for_each_timestamp_ns(column, |t| out.push(t))?;
    Ok(out)
}

/// [`timestamps_ns`] without the vector: `f` gets every row's time in row order.
pub fn for_each_timestamp_ns(column: &Column<'_>, mut f: impl FnMut(Option<i64>)) -> Result<()> {
    for chunk in &column.chunks {
        let array = chunk.as_ref();
        macro_rules! scaled {
            ($t:ty, $mul:expr) => {{
                let values = array.as_primitive::<$t>();
                crate::chunks::in_chunks(values.len(), |range| {
                    for i in range {
                        let v = (!values.is_null(i)).then(|| values.value(i));
                        f(v.and_then(|v| i64::from(v).checked_mul($mul)));
                    }
                })
            }};
        }
        match array.data_type() {
            DataType::Timestamp(TimeUnit::Second, _) => scaled!(TimestampSecondType, 1_000_000_000),
            DataType::Timestamp(TimeUnit::Millisecond, _) => {
                scaled!(TimestampMillisecondType, 1_000_000)
            }
            DataType::Timestamp(TimeUnit::Microsecond, _) => {
                scaled!(TimestampMicrosecondType, 1_000)
            }
            DataType::Timestamp(TimeUnit::Nanosecond, _) => scaled!(TimestampNanosecondType, 1),
            DataType::Date32 => scaled!(Date32Type, 86_400_000_000_000),
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Dictionary(..) => {
                let sub = Column::new(column.name, column.role, array.data_type(), vec![chunk]);
                let cats = encode_categories(&sub)?;
                let parsed: Vec<Option<i64>> =
                    cats.labels.iter().map(|l| parse_time_ns(l)).collect();
                cats.codes
                    .iter()
                    .for_each(|&c| f(parsed.get(c as usize).copied().flatten()));
            }
            dt if dt.is_numeric() => {
                let sub = Column::new(column.name, column.role, dt, vec![chunk]);
                for_each_number(&sub, |_, v| f(epoch_ns(v)))?;
            }
            _ => return Err(column.type_error("a timestamp, ISO 8601 text or epoch numbers")),
        }
    }
    Ok(())
}

/// Reads single cells of a column as text (for what a plot shows: a few rows at a time).
pub struct CellReader<'a> {
    chunks: Vec<&'a ArrayRef>,
    /// First row of each chunk.
    starts: Vec<usize>,
}

impl<'a> CellReader<'a> {
    /// A reader over `column`.
    pub fn new(column: &Column<'a>) -> Self {
        let mut starts = Vec::with_capacity(column.chunks.len());
        let mut at = 0;
        for c in &column.chunks {
            starts.push(at);
            at += c.len();
        }
        CellReader {
            chunks: column.chunks.clone(),
            starts,
        }
    }

    /// Row `row` as text: strings as they are, numbers in decimal (integral floats without a
    /// fraction), booleans, dates and times in ISO 8601; `None` for null or a row out of range.
    pub fn text(&self, row: usize) -> Option<Cow<'a, str>> {
        let k = self.starts.partition_point(|&s| s <= row).checked_sub(1)?;
        let array: &'a ArrayRef = self.chunks.get(k)?;
        cell_text(array.as_ref(), row - self.starts[k])
    }
}

fn cell_text(array: &dyn Array, i: usize) -> Option<Cow<'_, str>> {
    if i >= array.len() || array.is_null(i) {
        return None;
    }
    macro_rules! num {
        ($t:ty) => {
            Cow::Owned(array.as_primitive::<$t>().value(i).to_string())
        };
    }
    Some(match array.data_type() {
        DataType::Utf8 => Cow::Borrowed(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Cow::Borrowed(array.as_string::<i64>().value(i)),
        DataType::Utf8View => Cow::Borrowed(array.as_string_view().value(i)),
        DataType::Boolean => Cow::Borrowed(if array.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => num!(Int8Type),
        DataType::Int16 => num!(Int16Type),
        DataType::Int32 => num!(Int32Type),
        DataType::Int64 => num!(Int64Type),
        DataType::UInt8 => num!(UInt8Type),
        DataType::UInt16 => num!(UInt16Type),
        DataType::UInt32 => num!(UInt32Type),
        DataType::UInt64 => num!(UInt64Type),
        DataType::Float32 => Cow::Owned(format_float(f64::from(
            array.as_primitive::<Float32Type>().value(i),
        ))?),
        DataType::Float64 => {
            Cow::Owned(format_float(array.as_primitive::<Float64Type>().value(i))?)
        }
        DataType::Date32 => Cow::Owned(format_date(i64::from(
            array.as_primitive::<Date32Type>().value(i),
        ))),
        DataType::Timestamp(unit, _) => {
            let v = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(i),
                TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(i),
                TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().value(i),
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(i),
            };
            Cow::Owned(format_timestamp(v, *unit))
        }
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let key = *any.normalized_keys().get(i)?;
            return cell_text(any.values().as_ref(), key);
        }
        _ => return None,
    })
}

/// A float as text: integral values without a fraction; NaN as `None`.
fn format_float(v: f64) -> Option<String> {
    if v.is_nan() {
        None
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        Some(format!("{}", v as i64))
    } else {
        Some(v.to_string())
    }
}

/// A cell of an identifier column (PIDs and the like): text as stored, or an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdCell<'a> {
    /// Null.
    Null,
    /// Text, borrowed from the column.
    Text(&'a str),
    /// A signed integer (also integral floats).
    Int(i64),
    /// An unsigned integer too large for `i64`.
    UInt(u64),
}

/// Calls `f` for every row of an identifier column, in order, without building any string:
/// text of any encoding (or a dictionary of it), integers of any width, and integral floats
/// (pandas turns integer columns with nulls into floats: `22536.0` is 22536). Anything else,
/// including a float with a fraction, is a [`crate::ErrorKind::ColumnType`] error naming the
/// column.
pub fn for_each_id<'a>(column: &Column<'a>, mut f: impl FnMut(IdCell<'a>)) -> Result<()> {
    for chunk in &column.chunks {
        id_cells(column, chunk, &mut f)?;
    }
    Ok(())
}

fn id_cells<'a>(
    column: &Column<'_>,
    array: &'a ArrayRef,
    f: &mut dyn FnMut(IdCell<'a>),
) -> Result<()> {
    const EXPECTED: &str = "text or integers";
    macro_rules! each {
        ($iter:expr, |$v:ident| $cell:expr) => {
            for v in $iter {
                f(match v {
                    Some($v) => $cell,
                    None => IdCell::Null,
                })
            }
        };
    }
    macro_rules! ints {
        ($t:ty) => {
            each!(array.as_primitive::<$t>().iter(), |v| IdCell::Int(
                i64::from(v)
            ))
        };
    }
    let float = |v: f64| -> Result<IdCell<'a>> {
        if v.is_nan() {
            Ok(IdCell::Null)
        } else if v.fract() == 0.0 && v.abs() < 9.0e18 {
            Ok(IdCell::Int(v as i64))
        } else {
            Err(column.type_error(EXPECTED))
        }
    };
    match array.data_type() {
        DataType::Utf8 => each!(array.as_string::<i32>().iter(), |v| IdCell::Text(v)),
        DataType::LargeUtf8 => each!(array.as_string::<i64>().iter(), |v| IdCell::Text(v)),
        DataType::Utf8View => each!(array.as_string_view().iter(), |v| IdCell::Text(v)),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => each!(array.as_primitive::<UInt64Type>().iter(), |v| {
            i64::try_from(v).map_or(IdCell::UInt(v), IdCell::Int)
        }),
        DataType::Float32 => {
            for v in array.as_primitive::<Float32Type>().iter() {
                f(v.map_or(Ok(IdCell::Null), |v| float(f64::from(v)))?);
            }
        }
        DataType::Float64 => {
            for v in array.as_primitive::<Float64Type>().iter() {
                f(v.map_or(Ok(IdCell::Null), float)?);
            }
        }
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let mut values = Vec::with_capacity(any.values().len());
            id_cells(column, any.values(), &mut |c| values.push(c))?;
            let keys = any.normalized_keys();
            for (i, k) in keys.iter().enumerate() {
                f(if array.is_null(i) {
                    IdCell::Null
                } else {
                    values.get(*k).copied().unwrap_or(IdCell::Null)
                });
            }
        }
        _ => return Err(column.type_error(EXPECTED)),
    }
    Ok(())
}

/// Calls `f(row, value)` for every row of a numeric column, with null as NaN. Accepts every
/// integer and float width, booleans (0/1) and dictionaries of numbers; anything else is a
/// [`crate::ErrorKind::ColumnType`] error naming the column.
pub fn for_each_number(column: &Column<'_>, mut f: impl FnMut(usize, f64)) -> Result<()> {
    column.check_numeric()?;
    let mut row = 0;
    for chunk in &column.chunks {
        let numbers = numbers_of(column, chunk.as_ref())?;
        for v in numbers {
            f(row, v);
            row += 1;
        }
    }
    Ok(())
}

/// One chunk's values as f64 (null → NaN).
fn numbers_of(column: &Column<'_>, array: &dyn Array) -> Result<Vec<f64>> {
    macro_rules! prim {
        ($t:ty, $conv:expr) => {
            array
                .as_primitive::<$t>()
                .iter()
                .map(|v| v.map_or(f64::NAN, $conv))
                .collect()
        };
    }
    Ok(match array.data_type() {
        DataType::Int8 => prim!(Int8Type, f64::from),
        DataType::Int16 => prim!(Int16Type, f64::from),
        DataType::Int32 => prim!(Int32Type, f64::from),
        DataType::Int64 => prim!(Int64Type, |v| v as f64),
        DataType::UInt8 => prim!(UInt8Type, f64::from),
        DataType::UInt16 => prim!(UInt16Type, f64::from),
        DataType::UInt32 => prim!(UInt32Type, f64::from),
        DataType::UInt64 => prim!(UInt64Type, |v| v as f64),
        DataType::Float16 => prim!(Float16Type, |v| v.to_f64()),
        DataType::Float32 => prim!(Float32Type, f64::from),
        DataType::Float64 => prim!(Float64Type, |v| v),
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|v| v.map_or(f64::NAN, |b| f64::from(u8::from(b))))
            .collect(),
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let values = numbers_of(column, any.values().as_ref())?;
            let keys = any.normalized_keys();
            (0..array.len())
                .map(|i| {
                    if array.is_null(i) {
                        f64::NAN
                    } else {
                        keys.get(i)
                            .and_then(|&k| values.get(k).copied())
                            .unwrap_or(f64::NAN)
                    }
                })
                .collect()
        }
        _ => return Err(column.type_error("a number")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::categories::*;
    use super::super::time::*;
    #[test]
    fn single_values_as_times() {
        use super::super::Value;
        let want = Some(1_704_103_200_000_000_000);
        assert_eq!(
            Value::Text("2024-01-01T10:00:00Z".into()).timestamp_ns(),
            want
        );
        assert_eq!(Value::Date(1_704_103_200_000.0).timestamp_ns(), want);
        assert_eq!(Value::Number(1_704_103_200.0).timestamp_ns(), want);
        assert_eq!(Value::Int(1_704_103_200_000_000).timestamp_ns(), want);
        assert_eq!(Value::Int(1_704_103_200_000_000_000).timestamp_ns(), want);
        assert_eq!(Value::Text("yesterday".into()).timestamp_ns(), None);
        assert_eq!(Value::Date(f64::NAN).timestamp_ns(), None);
    }

    use std::sync::Arc;

    use arrow_array::{
        BooleanArray, DictionaryArray, Float64Array, Int32Array, LargeStringArray, RecordBatch,
        StringArray, StringViewArray, TimestampMillisecondArray, UInt64Array,
    };
    use arrow_schema::{Field, Schema};

    use super::*;
    use crate::table::Table;

    fn table_of(array: ArrayRef) -> Table {
        let schema = Arc::new(Schema::new(vec![Field::new(
            "c",
            array.data_type().clone(),
            true,
        )]));
        let batch = RecordBatch::try_new(schema.clone(), vec![array]).unwrap();
        Table::new(schema, vec![batch.clone(), batch]).unwrap()
    }

    fn encode(array: ArrayRef) -> Categories {
        let table = table_of(array);
        encode_categories(&table.column("c", "x").unwrap()).unwrap()
    }

    const N: u32 = NULL_CODE;

    #[test]
    fn every_string_encoding_gives_the_same_codes() {
        let vals = vec![Some("b"), None, Some("a"), Some("b")];
        let want = Categories {
            codes: vec![0, N, 1, 0, 0, N, 1, 0],
            labels: vec!["b".into(), "a".into()],
            keys: vec![SortKey::Text, SortKey::Text],
        };
        assert_eq!(encode(Arc::new(StringArray::from(vals.clone()))), want);
        assert_eq!(encode(Arc::new(LargeStringArray::from(vals.clone()))), want);
        assert_eq!(encode(Arc::new(StringViewArray::from(vals.clone()))), want);
        let dict: DictionaryArray<Int32Type> = vals.into_iter().collect();
        assert_eq!(encode(Arc::new(dict)), want);
    }

    #[test]
    fn short_and_long_strings_share_one_numbering() {
        // 0–16 bytes go through the short-string table, longer ones through the map; enough
        // distinct values to make the table grow several times; a string and its zero-padded
        // twin must stay apart.
        let mut vals: Vec<String> = (0..5000)
            .map(|i| format!("10.{}.{}.{}", i % 7, i / 7, i))
            .collect();
        vals.extend([
            "".into(),
            "a".into(),
            "a\0".into(),
            "sixteen-bytes-xx".into(),
            "seventeen-bytes-x".into(),
        ]);
        let doubled: Vec<&str> = vals.iter().chain(&vals).map(String::as_str).collect();
        let cats = encode(Arc::new(StringArray::from(doubled)));
        let n = vals.len();
        assert_eq!(cats.labels, vals);
        let once: Vec<u32> = (0..n as u32).collect();
        assert_eq!(cats.codes[..n], once[..]);
        assert_eq!(cats.codes[n..2 * n], once[..]);
    }

    #[test]
    fn dictionary_with_duplicate_values_merges_them() {
        let dict = DictionaryArray::<UInt8Type>::try_new(
            vec![0u8, 1, 2].into(),
            Arc::new(StringArray::from(vec!["x", "y", "x"])),
        )
        .unwrap();
        let cats = encode(Arc::new(dict));
        assert_eq!(cats.codes[..3], [0, 1, 0]);
        assert_eq!(cats.labels, ["x", "y"]);
    }

    #[test]
    fn numbers_booleans_and_times() {
        let cats = encode(Arc::new(Float64Array::from(vec![
            Some(443.0),
            Some(f64::NAN),
            None,
            Some(-0.0),
            Some(0.0),
            Some(1.5),
        ])));
        assert_eq!(cats.codes[..6], [0, N, N, 1, 1, 2]);
        assert_eq!(cats.labels, ["443", "0", "1.5"]);
        let cats = encode(Arc::new(Int32Array::from(vec![Some(-3), None])));
        assert_eq!(
            (cats.labels.clone(), cats.keys[0].clone()),
            (vec!["-3".to_owned()], SortKey::Int(-3))
        );
        let cats = encode(Arc::new(UInt64Array::from(vec![u64::MAX])));
        assert_eq!(cats.labels, [u64::MAX.to_string()]);
        let cats = encode(Arc::new(BooleanArray::from(vec![Some(true), Some(false)])));
        assert_eq!(cats.labels, ["true", "false"]);
        let cats = encode(Arc::new(
            TimestampMillisecondArray::from(vec![1_549_812_066_890]).with_timezone("UTC"),
        ));
        assert_eq!(cats.labels, ["2019-02-10T15:21:06.890Z"]);
    }

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso_ns("1970-01-01"), Some(0));
        assert_eq!(
            parse_iso_ns("2019-02-10 15:21:06.890"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2019-02-10T15:21:06.890Z"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2019-02-10T16:21:06.89+01:00"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2024-01-01 10:00:02.123456789"),
            Some(1_704_103_202_123_456_789)
        );
        assert_eq!(
            parse_iso_ns("2021-11-11 03:26:28.109885+00:00"),
            Some(1_636_601_188_109_885_000)
        );
        assert_eq!(parse_iso_ns("yesterday"), None);
        assert_eq!(parse_iso_ns("2019-13-01"), None);
        assert_eq!(epoch_ns(1_549_812_066.0), Some(1_549_812_066_000_000_000));
        assert_eq!(
            epoch_ns(1_549_812_066_890.0),
            Some(1_549_812_066_890_000_000)
        );
    }

    #[test]
    fn unsupported_types_name_the_column() {
        let table = table_of(Arc::new(arrow_array::NullArray::new(2)));
        let err = encode_categories(&table.column("c", "y").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `c` (y) has type Null, expected text, a number, a boolean, a date or a timestamp"
        );
    }

    #[test]
    fn numbers_from_every_width_and_errors_for_text() {
        let table = table_of(Arc::new(Int32Array::from(vec![Some(2), None])));
        let mut got = vec![];
        for_each_number(&table.column("c", "valueCol").unwrap(), |row, v| {
            got.push((row, v))
        })
        .unwrap();
        assert_eq!(got[0], (0, 2.0));
        assert!(got[1].1.is_nan());
        assert_eq!((got.len(), got[2]), (4, (2, 2.0)));
        let dict: DictionaryArray<Int32Type> = DictionaryArray::try_new(
            vec![1, 0].into(),
            Arc::new(Float64Array::from(vec![10.0, 20.0])),
        )
        .unwrap();
        let table = table_of(Arc::new(dict));
        let mut got = vec![];
        for_each_number(&table.column("c", "valueCol").unwrap(), |_, v| got.push(v)).unwrap();
        assert_eq!(got, [20.0, 10.0, 20.0, 10.0]);
        let table = table_of(Arc::new(StringArray::from(vec!["1"])));
        let err = for_each_number(&table.column("c", "valueCol").unwrap(), |_, _| {}).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `c` (valueCol) has type Utf8, expected a number"
        );
    }

    #[test]
    fn id_cells_of_every_type() {
        let cells = |array: ArrayRef| -> Result<Vec<String>> {
            let table = table_of(array);
            let mut out = Vec::new();
            for_each_id(&table.column("c", "process_id")?, |c| {
                out.push(format!("{c:?}"))
            })?;
            Ok(out)
        };
        let text = vec![Some("0x1a4"), None];
        let want = ["Text(\"0x1a4\")", "Null", "Text(\"0x1a4\")", "Null"];
        assert_eq!(
            cells(Arc::new(StringArray::from(text.clone()))).unwrap(),
            want
        );
        assert_eq!(
            cells(Arc::new(LargeStringArray::from(text.clone()))).unwrap(),
            want
        );
        assert_eq!(
            cells(Arc::new(StringViewArray::from(text.clone()))).unwrap(),
            want
        );
        let dict: DictionaryArray<Int32Type> = text.into_iter().collect();
        assert_eq!(cells(Arc::new(dict)).unwrap(), want);
        assert_eq!(
            cells(Arc::new(Int32Array::from(vec![Some(-3), None]))).unwrap()[..2],
            ["Int(-3)", "Null"]
        );
        assert_eq!(
            cells(Arc::new(UInt64Array::from(vec![u64::MAX, 7]))).unwrap()[..2],
            ["UInt(18446744073709551615)", "Int(7)"]
        );
        assert_eq!(
            cells(Arc::new(Float64Array::from(vec![22536.0, f64::NAN]))).unwrap()[..2],
            ["Int(22536)", "Null"]
        );
        let err = cells(Arc::new(Float64Array::from(vec![1.5]))).unwrap_err();
        assert_eq!(err.code(), "column-type");
        assert!(err.to_string().contains("`c`"), "{err}");
    }
}
