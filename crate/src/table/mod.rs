//! Tables in and out: the only module that sees Arrow IPC bytes.
//!
//! A [`Table`] is an Arrow schema plus its record batches, read from IPC stream or file bytes
//! ([`read_ipc`]) or built from row values ([`Table::from_rows`]), and written back as an IPC
//! stream ([`write_ipc_stream`]). Domain code looks columns up with [`Table::column`], which
//! fails with an error naming the column and its role, and reads them through one accessor per
//! use — [`encode_categories`] for grouping keys (every string encoding: Utf8, LargeUtf8,
//! Utf8View, dictionary), [`for_each_number`] for numeric values — so no domain module has to
//! care how the producer (pyarrow, apache-arrow JS, DuckDB-wasm, Polars) encoded them.

mod columns;
mod ipc;
mod rows;
pub mod time;

pub use columns::{
    Categories, CellReader, Column, IdCell, SortKey, encode_categories, for_each_id,
    for_each_number, parse_iso_ns, text_values, timestamps_ns,
};
pub use ipc::{ByteSource, open_ipc, read_ipc, write_ipc_stream};
pub use rows::Value;

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
        let mut indexes: Vec<usize> = names
            .iter()
            .filter_map(|n| self.schema.index_of(n).ok())
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        self.load_indexes(&indexes)
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
