//! `buildProcessTree(table, options)` and the `ProcessTree` class.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, Options, check_keys, to_js};
use super::table::{table_from_js, table_to_rows};
use crate::Error;
use crate::proctree::{
    BuildOptions, Builder, EventId, ProcSchema, ProcessTree, SchemaChoice, build_process_tree_with,
};
use crate::table::{Table, write_ipc_stream};

/// Reads `options.schema`: a built-in name, or a custom mapping with MSTICPy's field names
/// (snake_case, or the same in camelCase).
fn schema_choice(options: &JsValue) -> JsResult<(SchemaChoice, BuildOptions)> {
    if options.is_undefined() || options.is_null() {
        return Ok((SchemaChoice::Auto, BuildOptions::default()));
    }
    check_keys(options, &["schema", "eventFilter", "badTimes"])?;
    let o = Options(options);
    Ok((schema_of(o.get("schema")?)?, build_options(&o)?))
}

/// The `eventFilter` and `badTimes` options of a build.
pub(super) fn build_options(o: &Options<'_>) -> JsResult<BuildOptions> {
    let flag_bad_times = match o.string("badTimes")?.as_deref() {
        None | Some("error") => false,
        Some("flag") => true,
        Some(other) => {
            return Err(Error::invalid_option(
                "badTimes",
                format!("expected \"error\" or \"flag\", got {other:?}"),
            )
            .into());
        }
    };
    Ok(BuildOptions {
        event_filter: o.flag_or("eventFilter", true)?,
        flag_bad_times,
    })
}

/// A `schema` option's value as a [`SchemaChoice`].
pub(super) fn schema_of(value: JsValue) -> JsResult<SchemaChoice> {
    if value.is_undefined() || value.is_null() {
        return Ok(SchemaChoice::Auto);
    }
    if let Some(name) = value.as_string() {
        return Ok(SchemaChoice::Named(name));
    }
    if !value.is_object() {
        return Err(Error::invalid_option(
            "schema",
            "expected a schema name or a column mapping object",
        )
        .into());
    }
    let camel = |snake: &str| -> String {
        let mut out = String::new();
        let mut up = false;
        for ch in snake.chars() {
            if ch == '_' {
                up = true;
            } else if up {
                out.extend(ch.to_uppercase());
                up = false;
            } else {
                out.push(ch);
            }
        }
        out
    };
    let fields = crate::proctree::schema::FIELDS;
    let known: Vec<String> = fields
        .iter()
        .flat_map(|f| [(*f).to_owned(), camel(f)])
        .collect();
    let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
    check_keys(&value, &known_refs)?;
    let o = Options(&value);
    let get = |field: &'static str| -> JsResult<JsValue> {
        let v = o.get(field)?;
        if v.is_undefined() || v.is_null() {
            o.get(&camel(field))
        } else {
            Ok(v)
        }
    };
    let text = |field: &'static str| -> JsResult<Option<String>> {
        let v = get(field)?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string()
            .map(Some)
            .ok_or_else(|| o.wrong(field, &v, "a column name (string)"))
    };
    let required = |field: &'static str| -> JsResult<String> {
        text(field)?.ok_or_else(|| {
            Error::invalid_option(
                "schema",
                format!("a custom schema needs `{field}` (the column name)"),
            )
            .into()
        })
    };
    let event = get("event_id_identifier")?;
    let event_id = if let Some(n) = event.as_f64() {
        Some(EventId::Int(n as i64))
    } else {
        event.as_string().map(EventId::Text)
    };
    Ok(SchemaChoice::Custom(Box::new(ProcSchema {
        process_name: required("process_name")?,
        process_id: required("process_id")?,
        parent_id: required("parent_id")?,
        time_stamp: required("time_stamp")?,
        cmd_line: text("cmd_line")?,
        path_separator: text("path_separator")?.unwrap_or_else(|| "\\".to_owned()),
        user_name: text("user_name")?,
        logon_id: text("logon_id")?,
        host_name_column: text("host_name_column")?,
        parent_name: text("parent_name")?,
        target_logon_id: text("target_logon_id")?,
        user_id: text("user_id")?,
        event_id_column: text("event_id_column")?,
        event_id_identifier: event_id,
        process_guid: text("process_guid")?,
        parent_guid: text("parent_guid")?,
        builder: match text("builder")? {
            None => Builder::Generic,
            Some(b) => Builder::parse(&b).ok_or_else(|| {
                Error::invalid_option(
                    "schema",
                    format!("`builder` is \"generic\", \"mde\" or \"mde_internal\", not {b:?}"),
                )
            })?,
        },
    })))
}

/// A node as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsNode<'a> {
    key: Option<String>,
    parent_key: Option<String>,
    name: Option<&'a str>,
    pid: Option<String>,
    host: Option<&'a str>,
    time: Option<f64>,
    depth: usize,
    path: String,
    is_root: bool,
    is_leaf: bool,
    is_branch: bool,
    inferred: bool,
    row: Option<usize>,
    flag: Option<&'a str>,
}

pub(super) fn node_js(tree: &ProcessTree, i: usize) -> JsNode<'_> {
    let n = tree.node(i);
    JsNode {
        key: tree.proc_key(i),
        parent_key: tree.parent_key(i),
        name: n.name,
        pid: n.pid,
        host: n.host,
        // Milliseconds, for `new Date(time)`.
        time: n.time_ns.map(super::ns_to_ms),
        depth: n.depth,
        path: tree.path(i),
        is_root: n.is_root,
        is_leaf: n.is_leaf,
        is_branch: n.is_branch,
        inferred: n.inferred,
        row: n.row,
        flag: n.flag,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsSummary {
    rows_in: usize,
    rows_filtered_out: usize,
    processes: usize,
    roots: usize,
    leaves: usize,
    branches: usize,
    isolated: usize,
    max_depth: usize,
    inferred: usize,
    duplicates_dropped: usize,
    flagged: usize,
    linked_by_id: usize,
    linked_by_pid: usize,
    times_unparsed: usize,
}

/// A built process tree (free it with `free()` when done, or let the GC do it).
#[wasm_bindgen(js_name = ProcessTree)]
pub struct JsProcessTree {
    pub(super) table: Rc<Table>,
    pub(super) tree: Rc<ProcessTree>,
}

/// Builds a process tree; see `buildProcessTree` in `index.d.ts`.
#[wasm_bindgen(js_name = buildProcessTree)]
pub fn build_process_tree(table: JsValue, options: JsValue) -> JsResult<JsProcessTree> {
    let (choice, opts) = schema_choice(&options)?;
    let table = table_from_js(&table)?;
    let tree = build_process_tree_with(&table, &choice, &opts)?;
    Ok(JsProcessTree {
        table: Rc::new(table),
        tree: Rc::new(tree),
    })
}

impl JsProcessTree {
    /// A process given by its key (`node.key`) or by a node object (`{ key, host }`), which
    /// also names its host.
    fn index(&self, which: &JsValue) -> JsResult<usize> {
        let (key, host, by_node) = match which.as_string() {
            Some(key) => (key, None, false),
            None if which.is_object() => {
                let o = Options(which);
                let key = o.string("key")?.unwrap_or_default();
                (key, o.string("host")?, true)
            }
            None => {
                return Err(Error::invalid_option(
                    "key",
                    "expected a process key (string) or a node object",
                )
                .into());
            }
        };
        let found = if by_node {
            self.tree.find_on_host(&key, host.as_deref()).or_else(|| {
                // A node without a key (a flagged row): found by its input row.
                let row = Options(which).number("row").ok().flatten()?;
                (key.is_empty() && row >= 0.0).then(|| self.tree.find_row(row as usize))?
            })
        } else {
            self.tree.find(&key)
        };
        found.ok_or_else(|| {
            Error::invalid_option("key", format!("no process has the key {key:?}")).into()
        })
    }

    fn nodes(&self, indexes: Vec<usize>) -> JsResult<JsValue> {
        let nodes: Vec<JsNode<'_>> = indexes.iter().map(|&i| node_js(&self.tree, i)).collect();
        to_js(&nodes)
    }
}

#[wasm_bindgen(js_class = ProcessTree)]
impl JsProcessTree {
    /// The schema's name (`custom` for a mapping).
    #[wasm_bindgen(getter, js_name = schemaName)]
    pub fn schema_name(&self) -> String {
        self.tree.schema_name().to_owned()
    }

    /// Counts: processes, roots, leaves, branches, isolated, maxDepth, inferred, …
    pub fn summary(&self) -> JsResult<JsValue> {
        let s = self.tree.summary();
        to_js(&JsSummary {
            rows_in: s.rows_in,
            rows_filtered_out: s.rows_filtered_out,
            processes: s.processes,
            roots: s.roots,
            leaves: s.leaves,
            branches: s.branches,
            isolated: s.isolated,
            max_depth: s.max_depth,
            inferred: s.inferred,
            duplicates_dropped: s.duplicates_dropped,
            flagged: s.flagged,
            linked_by_id: s.linked_by_id,
            linked_by_pid: s.linked_by_pid,
            times_unparsed: s.times_unparsed,
        })
    }

    /// Every node, in tree order.
    #[wasm_bindgen(js_name = nodes)]
    pub fn all_nodes(&self) -> JsResult<JsValue> {
        self.nodes((0..self.tree.len()).collect())
    }

    /// The tree as Arrow IPC stream bytes: every input column plus the tree columns.
    #[wasm_bindgen(js_name = toArrow)]
    pub fn to_arrow(&self) -> JsResult<js_sys::Uint8Array> {
        let out = self.tree.to_table(&self.table)?;
        let bytes = write_ipc_stream(out.schema(), out.batches()?)?;
        Ok(js_sys::Uint8Array::from(&bytes[..]))
    }

    /// The same as plain row objects.
    #[wasm_bindgen(js_name = toRows)]
    pub fn to_rows(&self) -> JsResult<JsValue> {
        table_to_rows(&self.tree.to_table(&self.table)?)
    }

    /// MSTICPy's `tree_to_text`, wrapped at `width` columns (default 80).
    #[wasm_bindgen(js_name = toText)]
    pub fn to_text(&self, width: Option<u32>) -> JsResult<String> {
        Ok(self
            .tree
            .to_text(&self.table, width.map_or(80, |w| w as usize))?)
    }

    /// Root nodes.
    pub fn roots(&self) -> JsResult<JsValue> {
        self.nodes(self.tree.roots())
    }

    /// The node with this key.
    pub fn node(&self, key: JsValue) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        to_js(&node_js(&self.tree, i))
    }

    /// The parent node, or `null` for a root.
    pub fn parent(&self, key: JsValue) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        match self.tree.parent(i) {
            Some(p) => to_js(&node_js(&self.tree, p)),
            None => Ok(JsValue::NULL),
        }
    }

    /// Child nodes.
    pub fn children(&self, key: JsValue) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        self.nodes(self.tree.children(i))
    }

    /// Root first, down to the node's parent.
    pub fn ancestors(&self, key: JsValue) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        self.nodes(self.tree.ancestors(i))
    }

    /// Everything below the node, in tree order, down to `depth` levels (all by default).
    pub fn descendants(&self, key: JsValue, depth: Option<u32>) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        self.nodes(self.tree.descendants(i, depth.map(|d| d as usize)))
    }

    /// The other children of the node's parent.
    pub fn siblings(&self, key: JsValue) -> JsResult<JsValue> {
        let i = self.index(&key)?;
        self.nodes(self.tree.siblings(i))
    }
}
