//! The tree as a table: every input column plus the tree columns, one row per node in tree
//! order.

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, BooleanArray, RecordBatch, TimestampNanosecondArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::intern::NONE;
use super::intern::push_padded;
use super::{ProcessTree, Slot};
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
        let indices: Vec<Option<u32>> = self
            .order
            .iter()
            .map(|&at| &self.slots[at as usize])
            .map(|s| (s.row != NONE).then_some(s.row))
            .collect();
        let mut fields: Vec<Field> = input
            .schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone().with_nullable(true))
            .collect();
        let mut columns: Vec<ArrayRef> = input.take_columns(&indices)?;

        let n = self.len();
        let width = self.path_width();
        let mut buf = String::new();
        // One reused buffer per text value: no allocation per node.
        let mut strings = |f: &mut dyn FnMut(usize, &mut String) -> bool| -> ArrayRef {
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for i in 0..n {
                buf.clear();
                if f(i, &mut buf) {
                    b.append_value(&buf);
                } else {
                    b.append_null();
                }
            }
            Arc::new(b.finish())
        };
        let text = |id: u32| {
            move |_: usize, out: &mut String| -> bool {
                self.strings.get(id).map(|s| out.push_str(s)).is_some()
            }
        };
        let slots: Vec<&Slot> = (0..n).map(|i| self.at(i)).collect();
        let proc_key = strings(&mut |i, out| self.push_key(out, slots[i].key));
        let parent_key = strings(&mut |i, out| self.push_key(out, slots[i].parent_key));
        // Paths in tree order: a node's parent is the last node one level up, so each path is
        // the path kept for the level above plus its own index.
        let mut ends: Vec<usize> = Vec::new();
        let mut path = String::new();
        let paths = strings(&mut |i, out| {
            let depth = slots[i].depth.max(1) as usize;
            ends.truncate(depth - 1);
            path.truncate(ends.last().copied().unwrap_or(0));
            if !ends.is_empty() {
                path.push('/');
            }
            push_padded(&mut path, u64::from(slots[i].source_index), width);
            ends.push(path.len());
            out.push_str(&path);
            true
        });
        let source = strings(&mut |i, out| {
            push_padded(out, u64::from(slots[i].source_index), width);
            true
        });
        let parent_index = strings(&mut |i, out| {
            let p = slots[i].parent;
            if p == NONE {
                return false;
            }
            push_padded(out, u64::from(slots[p as usize].source_index), width);
            true
        });
        let flag = strings(&mut |i, out| slots[i].flag.map(|f| out.push_str(f)).is_some());
        let name = strings(&mut |i, out| text(slots[i].name)(i, out));
        let pid = strings(&mut |i, out| slots[i].pid.push(&self.strings, out));
        let host = strings(&mut |i, out| text(slots[i].host)(i, out));
        let flags = |f: &dyn Fn(usize) -> bool| -> ArrayRef {
            Arc::new((0..n).map(|i| Some(f(i))).collect::<BooleanArray>())
        };
        let leaf = |i: usize| self.child_start[i] == self.child_start[i + 1];
        let root = |i: usize| slots[i].parent == NONE;
        let depth: UInt32Array = slots.iter().map(|s| Some(s.depth)).collect();
        let time = TimestampNanosecondArray::from(slots.iter().map(|s| s.time).collect::<Vec<_>>())
            .with_timezone("UTC");
        let tree: [(DataType, ArrayRef); 15] = [
            (DataType::Utf8, proc_key),
            (DataType::Utf8, parent_key),
            (DataType::Utf8, paths),
            (DataType::UInt32, Arc::new(depth)),
            (DataType::Utf8, source),
            (DataType::Utf8, parent_index),
            (DataType::Boolean, flags(&root)),
            (DataType::Boolean, flags(&leaf)),
            (DataType::Boolean, flags(&|i| !root(i) && !leaf(i))),
            (DataType::Boolean, flags(&|i| slots[i].row == NONE)),
            (DataType::Utf8, flag),
            (DataType::Utf8, name),
            (DataType::Utf8, pid),
            (DataType::Utf8, host),
            (
                DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
                Arc::new(time),
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
