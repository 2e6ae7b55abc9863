//! Process trees from process-creation events: MSTICPy's `build_process_tree` and
//! `process_tree_utils`, for Windows 4688, Linux
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
//! assert!(tree.node(0).inferred);
//! # Ok::<(), huntkit::Error>(())
//! ```
//!
//! Defender for Endpoint (MDE) data, in the Sentinel/M365D or internal schema, is flattened
//! (created / initiating / initiating-parent generations) with missing parents and
//! grandparents inferred. [`ProcessTree::to_table`] gives every input column plus the tree
//! columns, one row per node; [`ProcessTree::to_text`] renders it as MSTICPy's `tree_to_text`.

mod build;
mod intern;
mod output;
pub mod schema;
mod text;

pub use intern::key_time;
pub use output::TREE_COLUMNS;
pub use schema::{Builder, EventId, ProcSchema};
pub use text::python_wrap;

use crate::error::{Error, Result};
use crate::options::{Opt, Options};
use crate::table::{Table, encode_categories};
use intern::{Key, NONE, Strings};

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

/// One process of a tree, as [`ProcessTree::node`] shows it: a data row or an inferred
/// (synthesized) parent. Keys and paths are formatted on request
/// ([`ProcessTree::proc_key`], [`ProcessTree::path`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    /// The input row, or `None` for an inferred parent.
    pub row: Option<usize>,
    /// Host (when the schema has a host column).
    pub host: Option<&'t str>,
    /// Process name as given.
    pub name: Option<&'t str>,
    /// PID as given (text; integers in decimal).
    pub pid: Option<String>,
    /// Creation time, ns since the epoch (inferred parents: 0, i.e. 1970-01-01).
    pub time_ns: Option<i64>,
    /// Index of the parent node.
    pub parent: Option<usize>,
    /// Position before the final sort (MSTICPy's `source_index`, as a number).
    pub source_index: usize,
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
    /// Parent links made by unique process ids (exact).
    pub linked_by_id: usize,
    /// Parent links made by PID and time (to a process in the data).
    pub linked_by_pid: usize,
    /// Rows whose time is text that does not parse (with [`BuildOptions::flag_bad_times`];
    /// otherwise they are an error).
    pub times_unparsed: usize,
}

/// [`Node::flag`] of a row missing its PID, name or time that was linked to a parent.
pub const FLAG_MISSING: &str = "missing process id, name or time";
/// [`Node::flag`] of a row missing its PID, name or time that has no parent.
pub const FLAG_MISSING_ROOT: &str = "missing process id, name or time: kept as a root";

/// How a build treats rows that are not clean process creations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildOptions {
    /// Keep only process creations when the schema has an event-id column and the table
    /// holds other events (default true); the rows left out are counted in
    /// [`Summary::rows_filtered_out`].
    pub event_filter: bool,
    /// A time that does not parse is a flagged row counted in [`Summary::times_unparsed`]
    /// (true) or an error naming the row and the value (false, the default).
    pub flag_bad_times: bool,
}

impl BuildOptions {
    /// The keys of `buildProcessTree`'s options.
    pub const KEYS: &[&str] = &["schema", "eventFilter", "badTimes"];

    /// Reads `schema`, `eventFilter` and `badTimes` (`"error"` or `"flag"`).
    pub fn read(o: &Options<'_>) -> Result<(SchemaChoice, BuildOptions)> {
        let schema = match o.get("schema") {
            Opt::Absent => SchemaChoice::Auto,
            Opt::Text(name) => SchemaChoice::Named(name),
            Opt::Object(mapping) => {
                SchemaChoice::Custom(Box::new(ProcSchema::from_mapping(&*mapping)?))
            }
            _ => {
                return Err(Error::invalid_option(
                    "schema",
                    "expected a schema name or a column mapping object",
                ));
            }
        };
        let flag_bad_times = o
            .word("badTimes", "\"error\" or \"flag\"", |w| match w {
                "error" => Some(false),
                "flag" => Some(true),
                _ => None,
            })?
            .unwrap_or(false);
        let build = BuildOptions {
            event_filter: o.flag_or("eventFilter", true)?,
            flag_bad_times,
        };
        Ok((schema, build))
    }
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            event_filter: true,
            flag_bad_times: false,
        }
    }
}

/// One stored process: string ids into the tree's [`Strings`], no allocation of its own.
#[derive(Debug, Clone, PartialEq)]
struct Slot {
    time: Option<i64>,
    key: Key,
    parent_key: Key,
    /// Input row, or [`NONE`] for an inferred parent.
    row: u32,
    host: u32,
    name: u32,
    pid: intern::PidText,
    /// Parent node, or [`NONE`].
    parent: u32,
    source_index: u32,
    depth: u32,
    flag: Option<&'static str>,
}

/// `Some(v)` unless `v` is [`NONE`].
fn opt(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

/// A built process tree: nodes in MSTICPy's output order (by path, then time).
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessTree {
    schema_name: String,
    schema: ProcSchema,
    strings: Strings,
    /// In source order; `order[i]` is the slot of tree node `i`. Links (`parent`) are tree
    /// positions.
    slots: Vec<Slot>,
    order: Vec<u32>,
    /// Children of node `i`: `child_list[child_start[i]..child_start[i + 1]]`, in tree order.
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    summary: Summary,
}

impl ProcessTree {
    /// The schema's name (`custom` for a custom mapping).
    pub fn schema_name(&self) -> &str {
        &self.schema_name
    }

    /// The schema used.
    pub fn schema(&self) -> &ProcSchema {
        &self.schema
    }

    /// Tree node `i`'s slot. Panics if `i >= len()`.
    fn at(&self, i: usize) -> &Slot {
        &self.slots[self.order[i] as usize]
    }

    fn get(&self, i: usize) -> Option<&Slot> {
        self.slots.get(*self.order.get(i)? as usize)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the tree has no nodes.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Node `i` (tree order). Panics if `i >= len()`.
    pub fn node(&self, i: usize) -> Node<'_> {
        let s = self.at(i);
        let children = self.child_slice(i).len();
        Node {
            row: opt(s.row),
            host: self.strings.get(s.host),
            name: self.strings.get(s.name),
            pid: s.pid.text(&self.strings),
            time_ns: s.time,
            parent: opt(s.parent),
            source_index: s.source_index as usize,
            depth: s.depth as usize,
            is_root: s.parent == NONE,
            is_leaf: children == 0,
            is_branch: s.parent != NONE && children > 0,
            inferred: s.row == NONE,
            flag: s.flag,
        }
    }

    /// Node `i`'s depth (roots are 1), without building its [`Node`]. Panics if `i >= len()`.
    pub fn depth(&self, i: usize) -> usize {
        self.at(i).depth as usize
    }

    /// Node `i`'s input row (`None` for an inferred parent). Panics if `i >= len()`.
    pub fn row(&self, i: usize) -> Option<usize> {
        opt(self.at(i).row)
    }

    /// Whether node `i` has no children.
    pub fn is_leaf(&self, i: usize) -> bool {
        self.child_slice(i).is_empty()
    }

    /// All nodes, in tree order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Node<'_>> + '_ {
        (0..self.len()).map(|i| self.node(i))
    }

    /// The summary counts.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Appends `key` as MSTICPy prints it (`name|pid|YYYY-MM-DD HH:MM:SS.ffffff`); false
    /// (nothing appended) for a missing key.
    fn push_key(&self, out: &mut String, key: Key) -> bool {
        let Some(name) = self.strings.get(key.name) else {
            return false;
        };
        let start = out.len();
        out.push_str(name);
        out.push('|');
        if !key.pid.push(&self.strings, out) {
            out.truncate(start);
            return false;
        }
        out.push('|');
        intern::push_key_time(out, key.t10 * 10_000);
        true
    }

    fn key_text(&self, key: Key) -> Option<String> {
        let mut out = String::new();
        self.push_key(&mut out, key).then_some(out)
    }

    /// Node `i`'s MSTICPy `proc_key`: `lower(name)|pid|time` (time rounded to 10 µs); `None`
    /// when a part is missing.
    pub fn proc_key(&self, i: usize) -> Option<String> {
        self.key_text(self.get(i)?.key)
    }

    /// The parent's `proc_key` as node `i`'s row names it (`None` for most roots).
    pub fn parent_key(&self, i: usize) -> Option<String> {
        self.key_text(self.get(i)?.parent_key)
    }

    /// Digits per path segment: 5 (MSTICPy's) or more for trees past 99,999 nodes.
    fn path_width(&self) -> usize {
        self.len().saturating_sub(1).to_string().len().max(5)
    }

    /// Node `i`'s MSTICPy `path`: the zero-padded source indexes from its root, `/`-joined.
    pub fn path(&self, i: usize) -> String {
        let width = self.path_width();
        let mut chain = self.ancestors(i);
        chain.push(i);
        let mut out = String::with_capacity(chain.len() * (width + 1));
        for (k, &n) in chain.iter().enumerate() {
            if k > 0 {
                out.push('/');
            }
            intern::push_padded(&mut out, u64::from(self.at(n).source_index), width);
        }
        out
    }

    fn child_slice(&self, i: usize) -> &[u32] {
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.child_list[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Whether node `i` has this key (its text form) and host.
    fn has_key(&self, i: usize, key: &str, host: Option<Option<&str>>) -> bool {
        let s = self.at(i);
        if host.is_some_and(|h| self.strings.get(s.host) != h) {
            return false;
        }
        let mut text = String::with_capacity(key.len());
        self.push_key(&mut text, s.key) && text == key
    }

    /// The first node whose `proc_key` is `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.find_where(key, None)
    }

    /// The node whose `proc_key` is `key` on `host` (the same key can occur on several hosts).
    pub fn find_on_host(&self, key: &str, host: Option<&str>) -> Option<usize> {
        self.find_where(key, Some(host))
    }

    fn find_where(&self, key: &str, host: Option<Option<&str>>) -> Option<usize> {
        // Only nodes whose time matches the key's last 26 characters are formatted.
        let t10 = key
            .len()
            .checked_sub(26)
            .and_then(|at| key.get(at..))
            .and_then(crate::table::parse_iso_ns)
            .map(intern::round_10us);
        (0..self.len())
            .find(|&i| t10.is_none_or(|t| self.at(i).key.t10 == t) && self.has_key(i, key, host))
    }

    /// The node a caller names: its key (a string), or a node object (`{ key, host, row }`, as
    /// the tree hands them out) whose host picks among equal keys and whose row finds a node
    /// without a key. An unknown one is an `invalid-option` error for `key`.
    pub fn locate(&self, which: &Opt) -> Result<usize> {
        let text = |o: &dyn crate::options::OptionSource, k: &str| match o.get(k) {
            Opt::Text(s) => Some(s),
            _ => None,
        };
        let (key, found) = match which {
            Opt::Text(key) => (key.clone(), self.find(key)),
            Opt::Object(node) => {
                let key = text(&**node, "key").unwrap_or_default();
                let host = text(&**node, "host");
                let found = self.find_on_host(&key, host.as_deref()).or_else(|| {
                    // A node without a key (a flagged row): found by its input row.
                    let Opt::Number(row) = node.get("row") else {
                        return None;
                    };
                    (key.is_empty() && row >= 0.0).then(|| self.find_row(row as usize))?
                });
                (key, found)
            }
            _ => {
                return Err(Error::invalid_option(
                    "key",
                    "expected a process key (string) or a node object",
                ));
            }
        };
        found.ok_or_else(|| Error::invalid_option("key", format!("no process has the key {key:?}")))
    }

    /// The node of input row `row` (also a node without a key), if it is in the tree.
    pub fn find_row(&self, row: usize) -> Option<usize> {
        (0..self.len()).find(|&i| self.row(i) == Some(row))
    }

    /// Root nodes.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.at(i).parent == NONE)
            .collect()
    }

    /// The parent of node `i`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        opt(self.get(i)?.parent)
    }

    /// The children of node `i`, in tree order.
    pub fn children(&self, i: usize) -> Vec<usize> {
        self.child_slice(i).iter().map(|&c| c as usize).collect()
    }

    /// Root first, down to (not including) node `i`.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.parent(i);
        // A tree has no cycles (parents come from paths walked from the roots), but bound the
        // walk anyway.
        while let Some(p) = cur {
            if out.len() > self.len() {
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
            stack.extend(
                self.child_slice(n)
                    .iter()
                    .rev()
                    .map(|&c| (c as usize, level + 1)),
            );
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
                let hint = crate::did_you_mean(n, known.iter().copied(), String::new);
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
    let mut schema = schema;
    if !matches!(choice, SchemaChoice::Custom(_)) {
        find_time_and_host(table, &names, &mut schema)?;
    }
    let mut missing: Vec<&str> = Vec::new();
    for c in schema.required() {
        // Each once, though two fields may name the same column.
        if !names.iter().any(|n| n == c) && !missing.contains(&c) {
            missing.push(c);
        }
    }
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

/// A built-in schema's time and host columns, where the table names them otherwise: the
/// first of [`schema::TIME_COLUMNS`] / [`schema::HOST_COLUMNS`] present. With no host column,
/// a table whose other columns look like hosts (`…host…`, `…computer…`, `…device…`,
/// `…machine…`) and hold several values is refused: one tree across hosts would link
/// processes to parents on other machines.
fn find_time_and_host(table: &Table, names: &[String], schema: &mut ProcSchema) -> Result<()> {
    let has = |c: &str| names.iter().any(|n| n == c);
    if !has(&schema.time_stamp)
        && let Some(t) = schema::TIME_COLUMNS.iter().find(|c| has(c))
    {
        schema.time_stamp = (*t).to_owned();
    }
    if schema.host_name_column.as_deref().is_some_and(has) {
        return Ok(());
    }
    if let Some(h) = schema::HOST_COLUMNS.iter().find(|c| has(c)) {
        schema.host_name_column = Some((*h).to_owned());
        return Ok(());
    }
    let mut candidates = Vec::new();
    for n in names {
        let lower = n.to_ascii_lowercase();
        if ["host", "computer", "device", "machine"]
            .iter()
            .any(|w| lower.contains(w))
        {
            table.load(&[n.as_str()])?;
            let values = encode_categories(&table.column(n, "host_name_column")?)?
                .labels
                .len();
            if values > 1 {
                candidates.push(format!("`{n}` ({values} values)"));
            }
        }
    }
    if candidates.is_empty() {
        return Ok(());
    }
    Err(Error::invalid_option(
        "schema",
        format!(
            "no host column found, and one tree across hosts would link processes to parents              on other machines; the host may be {}: name it as `host_name_column` in a custom              schema",
            candidates.join(" or ")
        ),
    ))
}

/// Builds the process tree of `table` (MSTICPy's `build_process_tree`).
pub fn build_process_tree(table: &Table, choice: &SchemaChoice) -> Result<ProcessTree> {
    build_process_tree_with(table, choice, &BuildOptions::default())
}

/// [`build_process_tree`] with [`BuildOptions`].
pub fn build_process_tree_with(
    table: &Table,
    choice: &SchemaChoice,
    opts: &BuildOptions,
) -> Result<ProcessTree> {
    let (name, mut schema) = resolve_schema(table, choice)?;
    if !opts.event_filter {
        schema.event_id_column = None;
    }
    let unparsed = unparsed_times(table, &schema.time_stamp, opts.flag_bad_times)?;
    let mut tree = build::build(table, &schema, &name)?;
    tree.summary.times_unparsed = unparsed;
    Ok(tree)
}

/// Rows of a text time column whose value does not parse as a time: an error naming the first
/// (row and value), or, with `flag`, how many (the build flags them as missing a time).
fn unparsed_times(table: &Table, column: &str, flag: bool) -> Result<usize> {
    table.load(&[column])?;
    let col = table.column(column, "time_stamp")?;
    let text = |dt: &arrow_schema::DataType| {
        use arrow_schema::DataType::*;
        match dt {
            Utf8 | LargeUtf8 | Utf8View => true,
            Dictionary(_, v) => matches!(**v, Utf8 | LargeUtf8 | Utf8View),
            _ => false,
        }
    };
    if !text(col.data_type()) {
        return Ok(0);
    }
    let cats = encode_categories(&col)?;
    let bad: Vec<bool> = cats
        .labels
        .iter()
        .map(|l| crate::table::parse_time_ns(l).is_none())
        .collect();
    if !bad.contains(&true) {
        return Ok(0);
    }
    let is_bad = |&c: &u32| c != crate::table::Categories::NULL && bad[c as usize];
    if !flag {
        let row = cats.codes.iter().position(is_bad).unwrap_or(0);
        let value = &cats.labels[cats.codes[row] as usize];
        return Err(Error::invalid_table(format!(
            "row {row}: the time {value:?} in `{column}` does not parse (expected ISO 8601, \
             `M/D/YYYY h:mm:ss AM`, or epoch numbers); pass `badTimes: \"flag\"` to keep such \
             rows as flagged roots"
        )));
    }
    Ok(cats.codes.iter().filter(|c| is_bad(c)).count())
}
