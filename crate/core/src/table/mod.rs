//! Tables in and out: the only module that sees Arrow IPC bytes.
//!
//! A [`Table`] is an Arrow schema plus its record batches, read from IPC stream or file bytes
//! ([`read_ipc`]) or built from row values ([`Table::from_rows`]), and written back as an IPC
//! stream ([`write_ipc_stream`]). Domain code looks columns up with [`Table::column`], which
//! fails with an error naming the column and its role, and reads them through one accessor per
//! use — [`encode_categories`] for grouping keys (every string encoding: Utf8, LargeUtf8,
//! Utf8View, dictionary), [`for_each_number`] for numeric values — so no domain module has to
//! care how the producer (pyarrow, apache-arrow JS, DuckDB-wasm, Polars) encoded them.

mod categories;
mod columns;
mod ipc;
pub(crate) mod rows;
pub mod time;

pub use categories::{Categories, SortKey, encode_categories};
pub use columns::{
    CellReader, Column, IdCell, for_each_id, for_each_number, for_each_timestamp_ns, text_values,
    timestamps_ns,
};
pub use ipc::{ByteSource, open_ipc, read_ipc, write_ipc_stream};
pub use rows::{RowObject, Value};
pub use time::{parse_iso_ns, parse_time_ns};

use std::cell::OnceCell;
use std::rc::Rc;

use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::SchemaRef;

use crate::error::{Error, Result};

/// An Arrow table: one schema and zero or more record batches sharing it. A table read from
/// IPC bytes ([`open_ipc`]) reads each column when it is first used.
#[derive(Debug, Clone)]
pub struct Table {
    schema: SchemaRef,
    rows: usize,
    /// The batches, once assembled (at once for a table built from batches).
    batches: OnceCell<Vec<RecordBatch>>,
    /// Columns read so far from `ipc`, one chunk per batch.
    columns: Vec<OnceCell<Vec<ArrayRef>>>,
    ipc: Option<Rc<ipc::LazyIpc>>,
}

impl Table {
    /// A table of one batch: `fields` and their `arrays`, `rows` long (what says how many rows
    /// a table without columns has).
    pub fn from_arrays(
        fields: Vec<arrow_schema::Field>,
        arrays: Vec<ArrayRef>,
        rows: usize,
    ) -> Result<Self> {
        let schema: SchemaRef = std::sync::Arc::new(arrow_schema::Schema::new(fields));
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        let batch = RecordBatch::try_new_with_options(schema.clone(), arrays, &options)?;
        Table::new(schema, vec![batch])
    }

    /// A table from a schema and batches that all have that schema.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<Self> {
        if let Some(bad) = batches.iter().position(|b| b.schema() != schema) {
            return Err(Error::invalid_table(format!(
                "record batch {bad} has a different schema from the table's"
            )));
        }
        Ok(Table {
            rows: batches.iter().map(RecordBatch::num_rows).sum(),
            columns: Vec::new(),
            batches: OnceCell::from(batches),
            ipc: None,
            schema,
        })
    }

    fn lazy(ipc: ipc::LazyIpc) -> Result<Self> {
        let rows = ipc
            .batch_rows()
            .try_fold(0usize, usize::checked_add)
            .ok_or_else(|| Error::invalid_table("the Arrow IPC input has too many rows"))?;
        Ok(Table {
            schema: ipc.schema().clone(),
            rows,
            batches: OnceCell::new(),
            columns: (0..ipc.schema().fields().len())
                .map(|_| OnceCell::new())
                .collect(),
            ipc: Some(Rc::new(ipc)),
        })
    }

    /// The table's schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The record batches (a table read from IPC bytes reads all its columns now).
    pub fn batches(&self) -> Result<&[RecordBatch]> {
        if let Some(batches) = self.batches.get() {
            return Ok(batches);
        }
        let all: Vec<usize> = (0..self.schema.fields().len()).collect();
        self.load_indexes(&all)?;
        let mut columns = Vec::with_capacity(all.len());
        for i in all {
            columns.push(self.chunks(i)?);
        }
        let ipc = self
            .ipc
            .as_ref()
            .expect("a table without batches reads IPC");
        let mut batches = Vec::new();
        for (b, rows) in ipc.batch_rows().enumerate() {
            let options = RecordBatchOptions::new().with_row_count(Some(rows));
            let arrays = columns.iter().map(|c| c[b].clone()).collect();
            batches.push(RecordBatch::try_new_with_options(
                self.schema.clone(),
                arrays,
                &options,
            )?);
        }
        Ok(self.batches.get_or_init(|| batches))
    }

    /// Column `index`, one array per batch.
    fn chunks(&self, index: usize) -> Result<Vec<&ArrayRef>> {
        if let Some(batches) = self.batches.get() {
            return Ok(batches.iter().map(|b| b.column(index)).collect());
        }
        self.load_indexes(&[index])?;
        Ok(self.columns[index]
            .get()
            .map(|c| c.iter().collect())
            .unwrap_or_default())
    }

    /// Reads the columns called `names` now, in one pass over the input, for a table read
    /// from IPC bytes (decoding batch by batch costs less for several columns at once than
    /// for each on its own). Names the table lacks are skipped: [`Table::column`] reports
    /// them.
    pub fn load(&self, names: &[&str]) -> Result<()> {
        self.load_indexes(&self.indexes_of(names))
    }

    /// The indexes of the columns called `names` (those the table has), ascending, distinct.
    fn indexes_of(&self, names: &[&str]) -> Vec<usize> {
        let mut indexes: Vec<usize> = names
            .iter()
            .filter_map(|n| self.schema.index_of(n).ok())
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        indexes
    }

    fn load_indexes(&self, indexes: &[usize]) -> Result<()> {
        let Some(ipc) = &self.ipc else {
            return Ok(());
        };
        if self.batches.get().is_some() {
            return Ok(());
        }
        let missing: Vec<usize> = indexes
            .iter()
            .copied()
            .filter(|&i| self.columns[i].get().is_none())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        for (i, chunks) in missing.iter().zip(ipc.columns(&missing)?) {
            let _ = self.columns[*i].set(chunks);
        }
        Ok(())
    }

    /// Bytes the columns called `names` take: `(in all, still to be read)`. A column read
    /// from IPC bytes is counted by its buffers in the input, whether or not it was read yet;
    /// one in memory by its arrays. Names the table lacks count nothing.
    pub fn column_bytes(&self, names: &[&str]) -> Result<(u64, u64)> {
        let (mut all, mut unread) = (0u64, 0u64);
        for i in self.indexes_of(names) {
            if let Some(batches) = self.batches.get() {
                all += batches
                    .iter()
                    .map(|b| data_bytes(&b.column(i).to_data()))
                    .sum::<u64>();
            } else if let Some(chunks) = self.columns[i].get() {
                all += chunks.iter().map(|a| data_bytes(&a.to_data())).sum::<u64>();
            } else if let Some(ipc) = &self.ipc {
                let bytes = ipc.column_bytes(i)?;
                all += bytes;
                if ipc.copies() {
                    unread += bytes;
                }
            }
        }
        Ok((all, unread))
    }

    /// What a call on the columns `names` of every row needs: the columns not yet read, plus
    /// `per_row` bytes per row and `per_byte` bytes per byte the columns take (copies of their
    /// text, say). A `too-large` error when that does not fit ([`crate::memory`]).
    pub fn check_memory(
        &self,
        what: &'static str,
        names: &[&str],
        per_row: f64,
        per_byte: f64,
    ) -> Result<()> {
        let (all, unread) = self.column_bytes(names)?;
        let rows = self.rows.max(1) as f64;
        crate::memory::Need::new(
            what,
            "rows",
            self.rows as u64,
            per_row + (unread as f64 + per_byte * all as f64) / rows,
        )
        .check()
    }

    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.rows
    }

    /// Row `row` alone, as a one-row table with every column (`None` past the last row).
    pub fn row_table(&self, row: usize) -> Result<Option<Table>> {
        let mut at = row;
        for batch in self.batches()? {
            if at < batch.num_rows() {
                return Ok(Some(Table::new(
                    self.schema.clone(),
                    vec![batch.slice(at, 1)],
                )?));
            }
            at -= batch.num_rows();
        }
        Ok(None)
    }

    /// The rows `rows` (input row numbers, in the order given) as a table with every column;
    /// an out-of-range row is an error naming it.
    pub fn take_rows(&self, rows: &[u32]) -> Result<Table> {
        let rows: Vec<Option<u32>> = rows.iter().map(|&r| Some(r)).collect();
        let columns = self.take_columns(&rows)?;
        let batch = RecordBatch::try_new_with_options(
            self.schema.clone(),
            columns,
            &RecordBatchOptions::new().with_row_count(Some(rows.len())),
        )?;
        Table::new(self.schema.clone(), vec![batch])
    }

    /// Every column at rows `rows` (`None`: a null), across batches; an out-of-range row is an
    /// error naming it. Copies runs of consecutive rows at once (arrow's `take` kernel is not
    /// used: it links a comparator for every type, some 100 KiB of wasm).
    pub fn take_columns(&self, rows: &[Option<u32>]) -> Result<Vec<ArrayRef>> {
        let batches = self.batches()?;
        let total = self.rows;
        let mut starts = Vec::with_capacity(batches.len());
        let mut at = 0;
        for b in batches {
            starts.push(at);
            at += b.num_rows();
        }
        let located = rows
            .iter()
            .map(|r| match *r {
                None => Ok(None),
                Some(r) if r as usize >= total => Err(Error::invalid_option(
                    "rows",
                    format!("row {r} is past the table's {total} rows"),
                )),
                Some(r) => {
                    let r = r as usize;
                    let b = starts.partition_point(|&s| s <= r) - 1;
                    Ok(Some((b, r - starts[b])))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(self.schema.fields().len());
        for (c, field) in self.schema.fields().iter().enumerate() {
            if batches.is_empty() {
                out.push(arrow_array::new_null_array(field.data_type(), rows.len()));
                continue;
            }
            let data: Vec<arrow_data::ArrayData> =
                batches.iter().map(|b| b.column(c).to_data()).collect();
            let mut m = arrow_data::transform::MutableArrayData::try_new(
                data.iter().collect(),
                true,
                rows.len(),
            )?;
            let mut i = 0;
            while i < located.len() {
                let mut j = i + 1;
                match located[i] {
                    None => {
                        while j < located.len() && located[j].is_none() {
                            j += 1;
                        }
                        m.try_extend_nulls(j - i)?;
                    }
                    Some((b, o)) => {
                        while j < located.len() && located[j] == Some((b, o + (j - i))) {
                            j += 1;
                        }
                        m.try_extend(b, o, o + (j - i))?;
                    }
                }
                i = j;
            }
            out.push(arrow_array::make_array(m.freeze()));
        }
        Ok(out)
    }

    /// Column names, in schema order.
    pub fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The column called `name`; `role` names the option that asked for it, for the error.
    pub fn column(&self, name: &str, role: &'static str) -> Result<Column<'_>> {
        let index = self
            .schema
            .index_of(name)
            .map_err(|_| Error::missing_column(name, role, self.column_names()))?;
        let field = self.schema.field(index);
        Ok(Column::new(
            field.name(),
            role,
            field.data_type(),
            self.chunks(index)?,
        ))
    }
}

/// Bytes an array's buffers span (not their allocations' capacity: arrays read from one IPC
/// body share it).
fn data_bytes(data: &arrow_data::ArrayData) -> u64 {
    let own: u64 = data.buffers().iter().map(|b| b.len() as u64).sum();
    let nulls = data.nulls().map_or(0, |n| n.buffer().len() as u64);
    own + nulls + data.child_data().iter().map(data_bytes).sum::<u64>()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Int64Array, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    #[test]
    fn take_rows_across_batches() {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        let batch = |v: Vec<i64>| {
            RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(v))]).unwrap()
        };
        let t = Table::new(
            schema.clone(),
            vec![batch(vec![10, 11]), batch(vec![12, 13, 14])],
        )
        .unwrap();
        let picked = t.take_rows(&[4, 0, 2]).unwrap();
        let b = &picked.batches().unwrap()[0];
        let col = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(col.values().to_vec(), [14, 10, 12]);
        let err = t.take_rows(&[5]).unwrap_err();
        assert!(err.to_string().contains("row 5"), "{err}");
        assert_eq!(t.take_rows(&[]).unwrap().num_rows(), 0);
    }

    #[test]
    fn take_columns_merges_dictionaries_and_fills_nulls() {
        use arrow_array::{Array, DictionaryArray, StringArray, types::Int8Type};
        let dt = DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8));
        let schema = Arc::new(Schema::new(vec![Field::new("s", dt, true)]));
        let batch = |v: Vec<&str>| {
            let d: DictionaryArray<Int8Type> = v.into_iter().collect();
            RecordBatch::try_new(schema.clone(), vec![Arc::new(d)]).unwrap()
        };
        let t = Table::new(
            schema.clone(),
            vec![batch(vec!["a", "b"]), batch(vec!["c", "a"])],
        )
        .unwrap();
        let cols = t
            .take_columns(&[Some(2), None, None, Some(0), Some(1), Some(3)])
            .unwrap();
        let d = cols[0]
            .as_any()
            .downcast_ref::<DictionaryArray<Int8Type>>()
            .unwrap();
        let values = d.values().as_any().downcast_ref::<StringArray>().unwrap();
        let text: Vec<Option<&str>> = (0..d.len())
            .map(|i| {
                d.is_valid(i)
                    .then(|| values.value(d.keys().value(i) as usize))
            })
            .collect();
        assert_eq!(
            text,
            [Some("c"), None, None, Some("a"), Some("b"), Some("a")]
        );
    }
}
