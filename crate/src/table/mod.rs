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
pub use ipc::{read_ipc, write_ipc_stream};
pub use rows::Value;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

use crate::error::{Error, Result};

/// An Arrow table: one schema and zero or more record batches sharing it.
#[derive(Debug, Clone)]
pub struct Table {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl Table {
    /// A table from a schema and batches that all have that schema.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<Self> {
        if let Some(bad) = batches.iter().position(|b| b.schema() != schema) {
            return Err(Error::invalid_table(format!(
                "record batch {bad} has a different schema from the table's"
            )));
        }
        Ok(Table { schema, batches })
    }

    /// The table's schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The record batches.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
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
            self.batches.iter().map(|b| b.column(index)).collect(),
        ))
    }
}
