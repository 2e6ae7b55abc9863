//! The tree as a table: every input column plus the tree columns, one row per node in tree
//! order.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, StringBuilder, TimestampNanosecondBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use arrow_select::concat::concat_batches;
use arrow_select::take::take;

use super::ProcessTree;
use crate::error::Result;
use crate::table::Table;

/// Names of the tree columns, in order. A clash with an input column gets `_tree` appended.
pub const TREE_COLUMNS: [&str; 15] = [
    "proc_key",
    "parent_key",
    "path",
    "depth",
    "source_index",
    "parent_index",
    "IsRoot",
    "IsLeaf",
    "IsBranch",
    "inferred",
    "flag",
    "node_name",
    "node_pid",
    "node_host",
    "node_time",
];

impl ProcessTree {
    /// One row per node in tree order: the node's input row (all input columns; null on
    /// inferred parents, which have no input row), then [`TREE_COLUMNS`]: MSTICPy's
    /// `proc_key`, `parent_key`, `path`, `source_index`, `parent_index` and flags, plus
    /// `depth`, `inferred`, `flag` (why a row is odd) and the node's name, PID, host and time,
    /// which are filled on inferred parents too.
    pub fn to_table(&self, input: &Table) -> Result<Table> {
        let merged = concat_batches(input.schema(), input.batches())?;
        let indices: UInt32Array = self
            .nodes()
            .iter()
            .map(|n| n.row.and_then(|r| u32::try_from(r).ok()))
            .collect();
        let mut fields: Vec<Field> = input
            .schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone().with_nullable(true))
            .collect();
        let mut columns: Vec<ArrayRef> = merged
            .columns()
            .iter()
            .map(|c| take(c.as_ref(), &indices, None))
            .collect::<Result<_, _>>()?;

        let nodes = self.nodes();
        let width = nodes.len().saturating_sub(1).to_string().len().max(5);
        let strings = |f: &dyn Fn(usize) -> Option<String>| -> ArrayRef {
            let mut b = StringBuilder::new();
            for i in 0..nodes.len() {
                b.append_option(f(i));
            }
            Arc::new(b.finish())
        };
        let flags = |f: &dyn Fn(usize) -> bool| -> ArrayRef {
            let mut b = BooleanBuilder::new();
            for i in 0..nodes.len() {
                b.append_value(f(i));
            }
            Arc::new(b.finish())
        };
        let source = |i: usize| format!("{:0width$}", nodes[i].source_index);
        let mut depth = UInt32Builder::new();
        let mut time = TimestampNanosecondBuilder::new().with_timezone("UTC");
        for n in nodes {
            depth.append_value(u32::try_from(n.depth).unwrap_or(u32::MAX));
            time.append_option(n.time_ns);
        }
        let tree: [(DataType, ArrayRef); 15] = [
            (DataType::Utf8, strings(&|i| nodes[i].proc_key.clone())),
            (DataType::Utf8, strings(&|i| nodes[i].parent_key.clone())),
            (DataType::Utf8, strings(&|i| Some(nodes[i].path.clone()))),
            (DataType::UInt32, Arc::new(depth.finish())),
            (DataType::Utf8, strings(&|i| Some(source(i)))),
            (DataType::Utf8, strings(&|i| nodes[i].parent.map(source))),
            (DataType::Boolean, flags(&|i| nodes[i].is_root)),
            (DataType::Boolean, flags(&|i| nodes[i].is_leaf)),
            (DataType::Boolean, flags(&|i| nodes[i].is_branch)),
            (DataType::Boolean, flags(&|i| nodes[i].inferred)),
            (
                DataType::Utf8,
                strings(&|i| nodes[i].flag.map(str::to_owned)),
            ),
            (DataType::Utf8, strings(&|i| nodes[i].name.clone())),
            (DataType::Utf8, strings(&|i| nodes[i].pid.clone())),
            (DataType::Utf8, strings(&|i| nodes[i].host.clone())),
            (
                DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
                Arc::new(time.finish()),
            ),
        ];
        for (name, (data_type, array)) in TREE_COLUMNS.iter().zip(tree) {
            let mut name = (*name).to_owned();
            while fields.iter().any(|f| f.name() == &name) {
                name.push_str("_tree");
            }
            fields.push(Field::new(name, data_type, true));
            columns.push(array);
        }
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), columns)?;
        Table::new(schema, vec![batch])
    }
}
