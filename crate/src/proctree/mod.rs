//! Process trees from process-creation events: MSTICPy's `build_process_tree` and
//! `process_tree_utils` (spec: `process-tree-and-matrix.md` §1–§4), for Windows 4688, Linux
//! auditd, Sysmon, OSQuery, FireEye HX and custom column mappings.
//!
//! ```
//! use huntkit::proctree::{build_process_tree, SchemaChoice};
//! use huntkit::table::{Table, Value};
//!
//! let t = |s: &str| Value::Text(s.to_owned());
//! let table = Table::from_rows(
//!     ["NewProcessName", "NewProcessId", "ProcessId", "ParentProcessName", "TimeGenerated"]
//!         .map(String::from)
//!         .to_vec(),
//!     vec![
//!         vec![t("C:\\cmd.exe"), t("C:\\whoami.exe")],
//!         vec![t("0x100"), t("0x200")],
//!         vec![t("0x50"), t("0x100")],
//!         vec![t("C:\\explorer.exe"), t("C:\\cmd.exe")],
//!         vec![t("2024-01-01 10:00:00"), t("2024-01-01 10:00:01")],
//!     ],
//! )?;
//! let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into()))?;
//! // explorer.exe (inferred) → cmd.exe → whoami.exe
//! assert_eq!(tree.summary().processes, 3);
//! assert_eq!(tree.summary().max_depth, 3);
//! assert!(tree.nodes()[0].inferred);
//! # Ok::<(), huntkit::Error>(())
//! ```
//!
//! Defender for Endpoint (MDE) data, in the Sentinel/M365D or internal schema, is flattened
//! (created / initiating / initiating-parent generations) with missing parents and
//! grandparents inferred. [`ProcessTree::to_table`] gives every input column plus the tree
//! columns, one row per node; [`ProcessTree::to_text`] renders it as MSTICPy's `tree_to_text`.

mod build;
mod mde;
mod output;
pub mod schema;
mod text;

pub use build::key_time;
pub use output::TREE_COLUMNS;
pub use schema::{EventId, ProcSchema};
pub use text::python_wrap;

use crate::error::{Error, Result};
use crate::table::Table;

/// Which schema to build with.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaChoice {
    /// Infer it from the column names as MSTICPy does (≥ 4 matching columns, ties to the later
    /// built-in schema).
    Auto,
    /// A built-in schema by name (see [`schema::builtin`]).
    Named(String),
    /// A custom column mapping.
    Custom(Box<ProcSchema>),
}

/// One process in the tree: a data row or an inferred (synthesized) parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The input row, or `None` for an inferred parent.
    pub row: Option<usize>,
    /// Host (when the schema has a host column).
    pub host: Option<String>,
    /// Process name as given.
    pub name: Option<String>,
    /// PID as given (text).
    pub pid: Option<String>,
    /// Creation time, ns since the epoch (inferred parents: 0, i.e. 1970-01-01).
    pub time_ns: Option<i64>,
    /// MSTICPy's `proc_key`: `lower(name)|pid|time` (time rounded to 10 µs); `None` when a part
    /// is missing.
    pub proc_key: Option<String>,
    /// The parent's `proc_key`, or `None` for roots.
    pub parent_key: Option<String>,
    /// Index of the parent node.
    pub parent: Option<usize>,
    /// Indexes of the child nodes, in tree order.
    pub children: Vec<usize>,
    /// Position before the final sort (MSTICPy's `source_index`, as a number).
    pub source_index: usize,
    /// `/`-joined zero-padded source indexes from the root.
    pub path: String,
    /// 1 for roots.
    pub depth: usize,
    /// No parent.
    pub is_root: bool,
    /// No children.
    pub is_leaf: bool,
    /// Has a parent and children.
    pub is_branch: bool,
    /// Synthesized parent (not in the data).
    pub inferred: bool,
    /// Why the row is odd, if it is (missing PID/time, part of a cycle).
    pub flag: Option<&'static str>,
}

/// Counts describing a tree (MSTICPy's `get_summary_info` plus what huntkit adds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Rows read.
    pub rows_in: usize,
    /// Rows dropped by the schema's event filter (not process-creation events).
    pub rows_filtered_out: usize,
    /// Processes in the tree (data rows kept + inferred parents).
    pub processes: usize,
    /// Roots.
    pub roots: usize,
    /// Leaves.
    pub leaves: usize,
    /// Branches.
    pub branches: usize,
    /// Roots that are also leaves.
    pub isolated: usize,
    /// Deepest level (roots are 1).
    pub max_depth: usize,
    /// Inferred parents.
    pub inferred: usize,
    /// Rows dropped because their (host, proc_key) was already present.
    pub duplicates_dropped: usize,
    /// Rows flagged as odd (see [`Node::flag`]).
    pub flagged: usize,
}

/// A built process tree: nodes in MSTICPy's output order (by path, then time).
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessTree {
    schema_name: String,
    schema: ProcSchema,
    nodes: Vec<Node>,
    pub(super) summary: Summary,
}

impl ProcessTree {
    fn new(schema_name: String, schema: ProcSchema, nodes: Vec<Node>, summary: Summary) -> Self {
        ProcessTree {
            schema_name,
            schema,
            nodes,
            summary,
        }
    }

    /// The schema's name (`custom` for a custom mapping).
    pub fn schema_name(&self) -> &str {
        &self.schema_name
    }

    /// The schema used.
    pub fn schema(&self) -> &ProcSchema {
        &self.schema
    }

    /// All nodes, in tree order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The summary counts.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The first node whose `proc_key` is `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.proc_key.as_deref() == Some(key))
    }

    /// The node whose `proc_key` is `key` on `host` (the same key can occur on several hosts).
    pub fn find_on_host(&self, key: &str, host: Option<&str>) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.proc_key.as_deref() == Some(key) && n.host.as_deref() == host)
    }

    /// Root nodes.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].is_root)
            .collect()
    }

    /// The parent of node `i`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.nodes.get(i)?.parent
    }

    /// The children of node `i`.
    pub fn children(&self, i: usize) -> Vec<usize> {
        self.nodes
            .get(i)
            .map(|n| n.children.clone())
            .unwrap_or_default()
    }

    /// Root first, down to (not including) node `i`.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.parent(i);
        // A tree has no cycles (parents come from paths walked from the roots), but bound the
        // walk anyway.
        while let Some(p) = cur {
            if out.len() > self.nodes.len() {
                break;
            }
            out.push(p);
            cur = self.parent(p);
        }
        out.reverse();
        out
    }

    /// Everything below node `i` in tree order, down to `max_depth` levels (`None`: all).
    pub fn descendants(&self, i: usize, max_depth: Option<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<(usize, usize)> =
            self.children(i).into_iter().rev().map(|c| (c, 1)).collect();
        while let Some((n, level)) = stack.pop() {
            if max_depth.is_some_and(|m| level > m) {
                continue;
            }
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev().map(|&c| (c, level + 1)));
        }
        out
    }

    /// The other children of node `i`'s parent (empty for a root).
    pub fn siblings(&self, i: usize) -> Vec<usize> {
        self.parent(i)
            .map(|p| self.children(p).into_iter().filter(|&c| c != i).collect())
            .unwrap_or_default()
    }
}

/// Resolves a [`SchemaChoice`] against the table's columns: `(name, schema)`. Missing required
/// columns are an error naming them and the closest built-in schema.
pub fn resolve_schema(table: &Table, choice: &SchemaChoice) -> Result<(String, ProcSchema)> {
    let names = table.column_names();
    let (name, schema) = match choice {
        SchemaChoice::Auto => {
            match schema::infer(&names) {
                Some((name, s, _)) => (name.to_owned(), s),
                None => {
                    let hint = schema::best(&names)
                    .map(|(n, s, score)| {
                        let missing: Vec<&str> =
                            s.required().into_iter().filter(|c| !names.iter().any(|n| n == c)).collect();
                        format!(
                            "; the closest is `{n}` ({score} of its columns), which also needs: {}",
                            missing.join(", ")
                        )
                    })
                    .unwrap_or_default();
                    return Err(Error::invalid_option(
                        "schema",
                        format!(
                            "no process schema matches the columns (a built-in schema needs at least 4 of its columns){hint}"
                        ),
                    ));
                }
            }
        }
        SchemaChoice::Named(n) => schema::builtin(n)
            .map(|(n, s)| (n.to_owned(), s))
            .ok_or_else(|| {
                let known: Vec<&str> = schema::builtins().iter().map(|(n, _)| *n).collect();
                let hint = crate::closest(n, known.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                Error::invalid_option(
                    "schema",
                    format!(
                        "unknown schema {n:?}; built-ins: {}{hint}",
                        known.join(", ")
                    ),
                )
            })?,
        SchemaChoice::Custom(s) => ("custom".to_owned(), (**s).clone()),
    };
    let missing: Vec<&str> = schema
        .required()
        .into_iter()
        .filter(|c| !names.iter().any(|n| n == c))
        .collect();
    if !missing.is_empty() {
        let closest = schema::best(&names).map(|(n, _, _)| n).unwrap_or("windows");
        return Err(Error::invalid_option(
            "schema",
            format!(
                "the table lacks the column(s) {} required by schema `{name}`; the closest built-in schema for these columns is `{closest}`",
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok((name, schema))
}

/// Builds the process tree of `table` (MSTICPy's `build_process_tree`).
pub fn build_process_tree(table: &Table, choice: &SchemaChoice) -> Result<ProcessTree> {
    let (name, schema) = resolve_schema(table, choice)?;
    match name.as_str() {
        "mde" => mde::build_mde(table, &schema, &name, true),
        "mde_internal" => mde::build_mde(table, &schema, &name, false),
        _ => build::build_generic(table, &schema, &name),
    }
}
