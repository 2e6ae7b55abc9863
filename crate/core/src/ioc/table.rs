//! Table mode: indicators from chosen columns of a table, as a table (MSTICPy's
//! `extract_df`), and byte → UTF-16 offset conversion for JS callers.

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, BooleanArray, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use super::{ExtractOptions, Found, IocExtractor, IocMatch};
use crate::table::{CellReader, Table};
use crate::{Error, Result};

/// How `Start`/`End` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetUnit {
    /// Bytes of the UTF-8 text (Rust string indices).
    Utf8,
    /// UTF-16 code units (JS string indices: `input.slice(Start, End)`).
    Utf16,
}

impl IocExtractor {
    /// Indicators in `columns` of `table`: one row per indicator per cell, with MSTICPy's columns
    /// `IoCType`, `Observable`, `SourceIndex` (the input row's position), `Input` (the whole
    /// cell) and huntkit's `Column`, `Start`, `End` (offsets into `Input`), `Defanged` and
    /// `Decoded` (the decoding chain, e.g. `base64>percent`; null for plain text). Rows come in
    /// input order, then column order, then offset order. Numbers and dates are read as text.
    pub fn extract_table(
        &self,
        table: &Table,
        columns: &[String],
        opts: &ExtractOptions,
        unit: OffsetUnit,
    ) -> Result<Table> {
        if columns.is_empty() {
            return Err(Error::invalid_option(
                "columns",
                "name at least one column to search",
            ));
        }
        let names: Vec<&str> = columns.iter().map(String::as_str).collect();
        table.check_memory(
            "extractIocsFromTable",
            &names,
            0.0,
            super::packed::MEMORY_PER_BYTE,
        )?;
        let readers = columns
            .iter()
            .map(|name| table.column(name, "columns").map(|c| CellReader::new(&c)))
            .collect::<Result<Vec<_>>>()?;
        let selected = self.selection(opts);
        let mut out = Output::default();
        let start = crate::memory::in_use();
        for row in 0..table.num_rows() {
            for (col, reader) in readers.iter().enumerate() {
                let Some(text) = reader.text(row) else {
                    continue;
                };
                let mut found = self.extract_level(&text, opts, &selected, 0);
                // The values before the offsets become UTF-16 units.
                let values: Vec<String> = found.iter_mut().map(|m| m.take_value(&text)).collect();
                if unit == OffsetUnit::Utf16 {
                    to_utf16(&text, &mut found);
                }
                // Each match is a row holding the whole cell (`Input`): a dense cell's rows can
                // outgrow memory long before the input does.
                let row_bytes = text.len() + 96;
                let more = found.len() as u64 * row_bytes as u64
                    + values.iter().map(|v| v.len() as u64).sum::<u64>();
                let spent = crate::memory::in_use().saturating_sub(start);
                crate::memory::ensure_room(
                    "extractIocsFromTable",
                    "rows",
                    (row as u64, table.num_rows() as u64),
                    spent,
                    // The builders' buffers grow by doubling, and the old buffer lives while
                    // the new one is filled.
                    (2 * (out.bytes() + more), 2 * (out.bytes() + more)),
                )?;
                for (m, value) in found.into_iter().zip(values) {
                    out.push(self, m, value, row, &columns[col], &text);
                }
            }
        }
        out.finish()
    }
}

/// The output columns, filled row by row (text straight into Arrow builders: no `String` per
/// cell, and one growing buffer per column).
#[derive(Default)]
struct Output {
    kind: StringBuilder,
    observable: StringBuilder,
    source: Vec<i64>,
    input: StringBuilder,
    column: StringBuilder,
    start: Vec<i64>,
    end: Vec<i64>,
    defanged: Vec<bool>,
    decoded: StringBuilder,
}

impl Output {
    fn push(
        &mut self,
        x: &IocExtractor,
        m: Found,
        value: String,
        row: usize,
        column: &str,
        text: &str,
    ) {
        self.kind.append_value(x.kind_name(m.kind));
        self.observable.append_value(value);
        self.source.push(row as i64);
        self.input.append_value(text);
        self.column.append_value(column);
        self.start.push(m.start as i64);
        self.end.push(m.end as i64);
        self.defanged.push(m.defanged);
        self.decoded.append_option((!m.decoded.is_empty()).then(|| {
            m.decoded
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(">")
        }));
    }

    /// Bytes the text columns hold so far (a doubling buffer may take as much again).
    fn bytes(&self) -> u64 {
        [
            &self.kind,
            &self.observable,
            &self.input,
            &self.column,
            &self.decoded,
        ]
        .iter()
        .map(|b| b.values_slice().len() as u64)
        .sum()
    }

    fn finish(mut self) -> Result<Table> {
        let text = |b: &mut StringBuilder| -> ArrayRef { Arc::new(b.finish()) };
        let int = |v: Vec<i64>| -> ArrayRef { Arc::new(Int64Array::from(v)) };
        let schema = Arc::new(Schema::new(vec![
            Field::new("IoCType", DataType::Utf8, false),
            Field::new("Observable", DataType::Utf8, false),
            Field::new("SourceIndex", DataType::Int64, false),
            Field::new("Input", DataType::Utf8, false),
            Field::new("Column", DataType::Utf8, false),
            Field::new("Start", DataType::Int64, false),
            Field::new("End", DataType::Int64, false),
            Field::new("Defanged", DataType::Boolean, false),
            Field::new("Decoded", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                text(&mut self.kind),
                text(&mut self.observable),
                int(self.source),
                text(&mut self.input),
                text(&mut self.column),
                int(self.start),
                int(self.end),
                Arc::new(BooleanArray::from(self.defanged)),
                text(&mut self.decoded),
            ],
        )?;
        Table::new(schema, vec![batch])
    }
}

/// Rewrites the byte offsets of `matches` (into `text`) as UTF-16 code-unit offsets, in one
/// pass over the text (nothing to do for ASCII text).
pub fn to_utf16<M: Offsets>(text: &str, matches: &mut [M]) {
    to_utf16_unless(text, super::chunk::is_ascii(text.as_bytes()), matches);
}

/// [`to_utf16`] for a text already known to be ASCII or not.
pub(crate) fn to_utf16_unless<M: Offsets>(text: &str, ascii: bool, matches: &mut [M]) {
    if ascii {
        return;
    }
    // Every offset, sorted, converted while walking the text once.
    let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(matches.len() * 2);
    for (i, m) in matches.iter_mut().enumerate() {
        let (start, end) = m.offsets();
        offsets.push((*start, 2 * i));
        offsets.push((*end, 2 * i + 1));
    }
    offsets.sort_unstable();
    let mut converted = vec![0usize; offsets.len()];
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut chars = text.chars();
    for &(target, slot) in &offsets {
        while byte < target {
            let Some(c) = chars.next() else { break };
            byte += c.len_utf8();
            unit += c.len_utf16();
        }
        converted[slot] = unit;
    }
    for (i, m) in matches.iter_mut().enumerate() {
        let (start, end) = m.offsets();
        *start = converted[2 * i];
        *end = converted[2 * i + 1];
    }
}

/// A match's start and end offsets (what [`to_utf16`] converts).
pub trait Offsets {
    /// The start and end offsets.
    fn offsets(&mut self) -> (&mut usize, &mut usize);
}

impl Offsets for IocMatch {
    fn offsets(&mut self) -> (&mut usize, &mut usize) {
        (&mut self.start, &mut self.end)
    }
}

impl Offsets for Found {
    fn offsets(&mut self) -> (&mut usize, &mut usize) {
        (&mut self.start, &mut self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Value;

    #[test]
    fn one_row_per_indicator_per_cell_with_offsets() {
        let table = Table::from_rows(
            vec!["cmd".into(), "n".into()],
            vec![
                vec![
                    Value::Text("curl hxxp://evil[.]com/a 10.0.0.1".into()),
                    Value::Null,
                    Value::Text("café → 8.8.8.8".into()),
                ],
                vec![Value::Number(1.0), Value::Number(2.0), Value::Number(3.0)],
            ],
        )
        .unwrap();
        let x = IocExtractor::new();
        let out = x
            .extract_table(
                &table,
                &["cmd".into(), "n".into()],
                &ExtractOptions::table(),
                OffsetUnit::Utf16,
            )
            .unwrap();
        assert_eq!(
            out.column_names(),
            [
                "IoCType",
                "Observable",
                "SourceIndex",
                "Input",
                "Column",
                "Start",
                "End",
                "Defanged",
                "Decoded"
            ]
        );
        let col =
            |name: &str| crate::table::text_values(&out.column(name, "test").unwrap()).unwrap();
        assert_eq!(
            col("IoCType"),
            [
                Some("url".into()),
                Some("dns".into()),
                Some("ipv4".into()),
                Some("ipv4".into())
            ]
        );
        assert_eq!(
            col("Observable"),
            [
                Some("http://evil.com/a".into()),
                Some("evil.com".into()),
                Some("10.0.0.1".into()),
                Some("8.8.8.8".into())
            ]
        );
        assert_eq!(
            col("SourceIndex"),
            [
                Some("0".into()),
                Some("0".into()),
                Some("0".into()),
                Some("2".into())
            ]
        );
        // UTF-16 offsets: "café → " is 7 code units.
        assert_eq!(
            col("Start"),
            [
                Some("5".into()),
                Some("12".into()),
                Some("25".into()),
                Some("7".into())
            ]
        );
        assert_eq!(
            col("End"),
            [
                Some("24".into()),
                Some("22".into()),
                Some("33".into()),
                Some("14".into())
            ]
        );
        assert_eq!(
            col("Defanged"),
            [
                Some("true".into()),
                Some("true".into()),
                Some("false".into()),
                Some("false".into())
            ]
        );
        assert_eq!(col("Decoded"), [None, None, None, None]);
        let err = x
            .extract_table(
                &table,
                &["nope".into()],
                &ExtractOptions::table(),
                OffsetUnit::Utf8,
            )
            .unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
        assert!(
            x.extract_table(&table, &[], &ExtractOptions::table(), OffsetUnit::Utf8)
                .is_err()
        );
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "😀 é 10.0.0.1";
        let mut ms = super::super::extract(text, &ExtractOptions::default());
        assert_eq!((ms[0].start, ms[0].end), (8, 16));
        to_utf16(text, &mut ms);
        assert_eq!((ms[0].start, ms[0].end), (5, 13));
    }
}
