//! `buildProcessTree(table, options)` and the `ProcessTree` class.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, opt_of, read_options, to_js};
use super::keys;
use super::table::{table_from_js, table_to_rows};
use huntkit::proctree::{BuildOptions, ProcessTree, build_process_tree_with};
use huntkit::table::{Table, write_ipc_stream};

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

/// Builds a process tree; see `processTree.d.ts`.
#[wasm_bindgen(js_name = buildProcessTree)]
pub fn build_process_tree(table: JsValue, options: JsValue) -> JsResult<JsProcessTree> {
    let (choice, opts) = BuildOptions::read(&read_options(&options, keys::PROCESS_TREE)?)?;
    let table = table_from_js(&table)?;
    let tree = build_process_tree_with(&table, &choice, &opts)?;
    Ok(JsProcessTree {
        table: Rc::new(table),
        tree: Rc::new(tree),
    })
}

impl JsProcessTree {
    /// A process given by its key or by a node object (see [`ProcessTree::locate`]).
    fn index(&self, which: &JsValue) -> JsResult<usize> {
        Ok(self.tree.locate(&opt_of(which))?)
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
