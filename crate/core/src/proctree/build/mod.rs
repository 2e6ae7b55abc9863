//! The builds: each reads a table under a schema into nodes linked to their parents, then
//! [`finish`] numbers, flags and orders them. Dispatched on the schema's [`Builder`]:
//! [`generic`] (Windows 4688, Linux auditd, Sysmon, OSQuery, HX, ECS, custom mappings) and
//! [`mde`] (Defender rows, flattened). What both use lives here: PIDs as read and matched,
//! unique-id codes, the row limit.

pub(crate) mod generic;
pub(crate) mod mde;

use crate::hash::HashMap;

use super::intern::{Interner, Key, NONE, PidText, Strings};
use super::schema::{Builder, ProcSchema};
use super::{ProcessTree, Slot, Summary};
use crate::error::{Error, Result};
use crate::table::{Categories, Column, IdCell, Table, encode_categories, for_each_id};

/// Working memory of a build beyond the columns read: bytes per row and per byte of those
/// columns (at most, checked in wasm32 by `tests/node/memory.test.mjs`).
const MEMORY_PER_ROW: f64 = 200.0;
const MEMORY_PER_BYTE: f64 = 2.0;

/// Reads the columns a build uses in one pass, once a build on them is known to fit in memory.
fn load(table: &Table, wanted: &[&str]) -> Result<()> {
    table.check_memory("buildProcessTree", wanted, MEMORY_PER_ROW, MEMORY_PER_BYTE)?;
    table.load(wanted)
}

/// Builds the tree of `table` under `schema` (named `schema_name` in the summary) with the
/// schema's builder.
pub(crate) fn build(table: &Table, schema: &ProcSchema, schema_name: &str) -> Result<ProcessTree> {
    match schema.builder {
        Builder::Mde => mde::build_mde(table, schema, schema_name, true),
        Builder::MdeInternal => mde::build_mde(table, schema, schema_name, false),
        Builder::Generic => generic::build_generic(table, schema, schema_name),
    }
}

/// A PID as matched: by value when it parses (decimal or `0x` hex), else by its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Pid<'a> {
    Num(u64),
    Text(&'a str),
}

pub(crate) fn pid_of(text: &str) -> Pid<'_> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse::<u64>().ok(),
    };
    parsed.map_or(Pid::Text(t), Pid::Num)
}

/// A process before linking: a data row or an inferred parent, all text as string ids.
pub(crate) fn slot(row: u32, host: u32, name: u32, pid: PidText, time: Option<i64>) -> Slot {
    Slot {
        time,
        key: Key::MISSING,
        parent_key: Key::MISSING,
        row,
        host,
        name,
        pid,
        parent: NONE,
        source_index: 0,
        depth: 0,
        flag: None,
    }
}

/// Row indexes fit in 32 bits (ids and node links are `u32`).
pub(crate) fn check_rows(rows: usize) -> Result<()> {
    if rows >= NONE as usize / 2 {
        return Err(Error::invalid_table(format!(
            "{rows} rows is more than a process tree can hold (2^31)"
        )));
    }
    Ok(())
}

/// A PID column read row by row, with no string per value: how each PID matches (by value)
/// and its text as shown and (MDE) lower-cased for keys.
pub(crate) struct Pids {
    pub matching: Vec<Option<PidMatch>>,
    pub shown: Vec<PidText>,
    /// `None`: the same as `shown`.
    pub keyed: Option<Vec<PidText>>,
}

impl Pids {
    /// Reads `column`; `lower` also makes the lower-cased key text.
    pub fn read<'a>(column: &Column<'a>, interner: &mut Interner<'a>, lower: bool) -> Result<Pids> {
        let mut matching = Vec::new();
        let mut shown = Vec::new();
        let mut keyed: Vec<PidText> = Vec::new();
        let mut differs = false;
        for_each_id(column, |cell| {
            let (m, t, k) = match cell {
                IdCell::Null => (None, PidText::NONE, PidText::NONE),
                IdCell::Int(v) => {
                    let t = PidText::int(i128::from(v), interner);
                    (Some(PidMatch::Num(v as u64)), t, t)
                }
                IdCell::UInt(v) => {
                    let t = PidText::int(i128::from(v), interner);
                    (Some(PidMatch::Num(v)), t, t)
                }
                IdCell::Text(text) if let Some((v, t)) = PidText::canonical(text) => {
                    (Some(PidMatch::Num(v)), t, t)
                }
                IdCell::Text(text) => {
                    let m = match pid_of(text) {
                        Pid::Num(v) => PidMatch::Num(v),
                        Pid::Text(t) => PidMatch::Text(interner.id(t)),
                    };
                    let t = PidText::of(text, interner);
                    let k = match crate::proctree::intern::lower(text) {
                        std::borrow::Cow::Borrowed(_) => t,
                        lowered if lower => PidText::of_cow(lowered, interner),
                        _ => t,
                    };
                    (Some(m), t, k)
                }
            };
            differs |= t != k;
            matching.push(m);
            shown.push(t);
            if lower {
                keyed.push(k);
            }
        })?;
        Ok(Pids {
            matching,
            shown,
            keyed: (lower && differs).then_some(keyed),
        })
    }

    /// Row `r`'s key text.
    pub fn key(&self, r: usize) -> PidText {
        self.keyed.as_ref().unwrap_or(&self.shown)[r]
    }
}

/// [`Pid`] with the text interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PidMatch {
    Num(u64),
    Text(u32),
}

/// Per row, the code of its unique process id and the code of its parent's (the code of the
/// process with that id, case aside), `NONE` where missing or matching no row; `None` without
/// both columns.
pub(crate) fn guid_codes(
    table: &Table,
    own: Option<&str>,
    parent: Option<&str>,
) -> Result<Option<(Vec<u32>, Vec<u32>)>> {
    let (Some(own), Some(parent)) = (own, parent) else {
        return Ok(None);
    };
    table.load(&[own, parent])?;
    let own = encode_categories(&table.column(own, "process_guid")?)?;
    let parents = encode_categories(&table.column(parent, "parent_guid")?)?;
    let code_of: HashMap<String, u32> = own
        .labels
        .iter()
        .zip(0u32..)
        .map(|(l, c)| (l.to_lowercase(), c))
        .collect();
    let parent_code: Vec<u32> = parents
        .labels
        .iter()
        .map(|l| code_of.get(&l.to_lowercase()).copied().unwrap_or(NONE))
        .collect();
    let code = |c: u32, map: Option<&[u32]>| match (c, map) {
        (Categories::NULL, _) => NONE,
        (c, Some(map)) => map[c as usize],
        (c, None) => c,
    };
    Ok(Some((
        own.codes.iter().map(|&c| code(c, None)).collect(),
        parents
            .codes
            .iter()
            .map(|&c| code(c, Some(&parent_code)))
            .collect(),
    )))
}

/// Flags, depths and the final order of de-duplicated nodes in source order
/// whose `parent` links are set; `summary` brings the input counts.
pub(crate) fn finish(
    mut nodes: Vec<Slot>,
    strings: Strings,
    schema: &ProcSchema,
    schema_name: &str,
    mut summary: Summary,
) -> ProcessTree {
    let n = nodes.len();
    // The walk works on small arrays (parents, depths, positions), not on the nodes: a
    // million nodes are 100+ MB, and reading them out of order costs a cache miss each.
    let mut parent: Vec<u32> = Vec::with_capacity(n);
    for (i, p) in nodes.iter_mut().enumerate() {
        p.source_index = i as u32;
        parent.push(p.parent);
    }

    // Children in source order (compressed rows).
    let (start, list) = children_of(parent.iter().copied(), n);

    // Tree order: MSTICPy sorts by path (then time), and paths are unique, so the order is a
    // depth-first walk from each root with children in source order. Nodes on a parent cycle
    // are never reached from a root; as in MSTICPy they stand alone, path = their own index,
    // at their own position among the roots.
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut depth: Vec<u32> = vec![0; n];
    // (top node, where its subtree starts in `order`), roots in source order.
    let mut tops: Vec<(u32, u32)> = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    for top in 0..n {
        if parent[top] != NONE {
            continue;
        }
        tops.push((top as u32, order.len() as u32));
        depth[top] = 1;
        stack.push(top as u32);
        while let Some(i) = stack.pop() {
            order.push(i);
            let kids = &list[start[i as usize] as usize..start[i as usize + 1] as usize];
            let d = depth[i as usize] + 1;
            for &c in kids.iter().rev() {
                depth[c as usize] = d;
                stack.push(c);
            }
        }
    }
    drop((stack, start, list));
    if order.len() < n {
        // Unreached nodes (depth still 0) join the roots as single nodes.
        let mut merged: Vec<u32> = Vec::with_capacity(n);
        let mut next_top = tops.iter().peekable();
        for i in 0..n {
            if depth[i] == 0 {
                depth[i] = 1;
                nodes[i].flag =
                    Some("part of a parent cycle (PID reuse): unreachable from any root");
                merged.push(i as u32);
            } else if let Some(&&(top, from)) = next_top.peek()
                && top as usize == i
            {
                next_top.next();
                let to = next_top.peek().map_or(order.len(), |&&(_, f)| f as usize);
                merged.extend_from_slice(&order[from as usize..to]);
            }
        }
        order = merged;
    }
    drop(tops);

    // Links as tree positions; the nodes stay in source order (`order` maps).
    let mut position = vec![0u32; n];
    for (pos, &i) in order.iter().enumerate() {
        position[i as usize] = pos as u32;
    }
    let mut parent_at = vec![NONE; n];
    for (i, p) in parent.iter_mut().enumerate() {
        if *p != NONE {
            *p = position[*p as usize];
        }
        parent_at[position[i] as usize] = *p;
    }
    // Filled in position order, so each node's children are in tree order already.
    let (child_start, child_list) = children_of(parent_at.iter().copied(), n);
    drop(parent_at);

    summary.processes = n;
    for (i, s) in nodes.iter_mut().enumerate() {
        s.parent = parent[i];
        s.depth = depth[i];
        let at = position[i] as usize;
        let root = s.parent == NONE;
        let leaf = child_start[at] == child_start[at + 1];
        summary.roots += usize::from(root);
        summary.leaves += usize::from(leaf);
        summary.branches += usize::from(!root && !leaf);
        summary.isolated += usize::from(root && leaf);
        summary.max_depth = summary.max_depth.max(s.depth as usize);
        summary.inferred += usize::from(s.row == NONE);
        summary.flagged += usize::from(s.flag.is_some());
    }
    ProcessTree {
        schema_name: schema_name.to_owned(),
        schema: schema.clone(),
        strings,
        slots: nodes,
        order,
        child_start,
        child_list,
        summary,
    }
}

/// Children per node as compressed rows `(start, list)` from each node's parent, each node's
/// children in index order.
fn children_of(parents: impl Iterator<Item = u32> + Clone, n: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for p in parents.clone() {
        if p != NONE {
            start[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![0u32; start[n] as usize];
    for (i, p) in parents.enumerate() {
        if p != NONE {
            let at = &mut fill[p as usize];
            list[*at as usize] = i as u32;
            *at += 1;
        }
    }
    (start, list)
}
