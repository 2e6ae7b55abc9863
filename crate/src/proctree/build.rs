//! The generic build (Windows 4688, Linux auditd, Sysmon, OSQuery, HX, custom mappings):
//! MSTICPy's `proc_tree_build_winlx` (spec §2), with its bugs fixed:
//!
//! * parents are matched **within a host**, and node identity is (host, `proc_key`), so
//!   identical processes on two hosts are both kept (MSTICPy's key has no host and one is
//!   silently dropped). The `proc_key` text stays in MSTICPy's format for parity;
//! * paths order correctly at any size: `source_index` is zero-padded to the width of the
//!   largest index (5 digits, as MSTICPy, up to 99,999 rows), and the output is sorted by the
//!   numeric path, not the text;
//! * the time sort is stable (time, then input order), so numbering is deterministic;
//! * PIDs are compared by value when they parse as numbers (`0x1A4` = `0x1a4` = `420`), and
//!   keys keep the PID text as given;
//! * a process never becomes its own parent, and PID reuse cannot make the tree loop: paths
//!   are walked from the roots, so a cycle is left unreachable and flagged;
//! * rows with a null PID or time are kept as roots and flagged (MSTICPy crashes or drops them).

use rustc_hash::FxHashMap;

use super::schema::ProcSchema;
use super::{Node, ProcessTree, Summary};
use crate::error::Result;
use crate::table::{Categories, Table, encode_categories, timestamps_ns};

/// A PID as matched: by value when it parses (decimal or `0x` hex), else by its text.
/// A PID as matched: by value when it parses (decimal or `0x` hex), else by its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pid<'a> {
    Num(u64),
    Text(&'a str),
}

fn pid_of(text: &str) -> Pid<'_> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse::<u64>().ok(),
    };
    parsed.map_or(Pid::Text(t), Pid::Num)
}

/// Appends `v` in decimal, zero-padded to `width` digits (no `fmt` machinery: keys and paths
/// are made once per row, so this is hot).
pub(super) fn push_padded(out: &mut String, v: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    const ZEROS: &str = "00000000000000000000";
    out.push_str(&ZEROS[..width.saturating_sub(buf.len() - i).min(ZEROS.len())]);
    // ASCII digits: always valid UTF-8.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Appends `YYYY-MM-DD HH:MM:SS.ffffff` of a time rounded to 10 µs, ties to even (pandas
/// `dt.round("10us")`), as MSTICPy's process keys print it.
pub(super) fn push_key_time(out: &mut String, ns: i64) {
    let q = ns.div_euclid(10_000);
    let r = ns.rem_euclid(10_000);
    let q = if r > 5_000 || (r == 5_000 && q % 2 != 0) {
        q + 1
    } else {
        q
    };
    let micros = q * 10;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000) as u64;
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400) as u64;
    if y < 0 {
        out.push('-');
    }
    push_padded(out, y.unsigned_abs(), 4);
    out.push('-');
    push_padded(out, u64::from(m), 2);
    out.push('-');
    push_padded(out, u64::from(d), 2);
    out.push(' ');
    push_padded(out, s / 3600, 2);
    out.push(':');
    push_padded(out, s % 3600 / 60, 2);
    out.push(':');
    push_padded(out, s % 60, 2);
    out.push('.');
    push_padded(out, frac, 6);
}

/// [`push_key_time`] as a new string.
pub fn key_time(ns: i64) -> String {
    let mut out = String::with_capacity(26);
    push_key_time(&mut out, ns);
    out
}

/// MSTICPy's process key `name|pid|time` (the name already lower-cased).
pub(super) fn make_key(name_lc: &str, pid: &str, ns: i64) -> String {
    let mut out = String::with_capacity(name_lc.len() + pid.len() + 28);
    out.push_str(name_lc);
    out.push('|');
    out.push_str(pid);
    out.push('|');
    push_key_time(&mut out, ns);
    out
}

/// One process before linking: a data row or an inferred parent. Text is borrowed from the
/// input's column labels (one string per distinct value).
pub(super) struct Proc<'a> {
    pub row: Option<usize>,
    pub host: Option<&'a str>,
    pub name: Option<&'a str>,
    pub pid: Option<&'a str>,
    pub time: Option<i64>,
    /// Its `proc_key`, or `None` when a part is missing.
    pub key: Option<String>,
    /// The parent's key, if the row has enough to name its parent.
    pub parent_key: Option<String>,
    pub flag: Option<&'static str>,
}

/// Builds the tree of `table` under `schema` (the generic path).
pub fn build_generic(table: &Table, schema: &ProcSchema, schema_name: &str) -> Result<ProcessTree> {
    let cat =
        |name: &str, role| -> Result<Categories> { encode_categories(&table.column(name, role)?) };
    let present = |col: &Option<String>| {
        col.as_deref()
            .filter(|c| table.schema().index_of(c).is_ok())
            .map(str::to_owned)
    };
    let names = cat(&schema.process_name, "process_name")?;
    let pids = cat(&schema.process_id, "process_id")?;
    let ppids = cat(&schema.parent_id, "parent_id")?;
    let times = timestamps_ns(&table.column(&schema.time_stamp, "time_stamp")?)?;
    let parent_names = match &schema.parent_name {
        Some(c) => Some(cat(c, "parent_name")?),
        None => None,
    };
    let hosts = match present(&schema.host_name_column) {
        Some(c) => Some(cat(&c, "host_name_column")?),
        None => None,
    };
    // Per distinct value, not per row: lower-cased names, parsed PIDs, event matches.
    let names_lc: Vec<String> = names.labels.iter().map(|l| l.to_lowercase()).collect();
    let parents_lc: Option<Vec<String>> = parent_names.as_ref().map(|p| {
        p.labels
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "unknown".to_owned()
                } else {
                    l.to_lowercase()
                }
            })
            .collect()
    });
    let events: Option<(Categories, Vec<bool>)> =
        match (&schema.event_id_column, &schema.event_id_identifier) {
            (Some(c), Some(id)) if table.schema().index_of(c).is_ok() => {
                let events = cat(c, "event_id_column")?;
                let ok = events.labels.iter().map(|l| id.matches(l)).collect();
                Some((events, ok))
            }
            _ => None,
        };
    let rows_in = names.codes.len();
    let name_lc = |r: usize| lower_label(&names, &names_lc, r);
    let parent_lc =
        |r: usize| -> Option<&str> { lower_label(parent_names.as_ref()?, parents_lc.as_ref()?, r) };
    let host_of = |r: usize| hosts.as_ref().and_then(|h| h.get(r));

    // Event filter, then a stable sort by time (null times last, as pandas sorts NaT).
    let mut order: Vec<usize> = (0..rows_in)
        .filter(|&r| match &events {
            Some((events, ok)) => ok.get(events.codes[r] as usize).copied().unwrap_or(false),
            None => true,
        })
        .collect();
    let filtered_out = rows_in - order.len();
    let exact_duplicates = drop_exact_duplicates(table, &mut order, &names, &pids, &times)?;
    order.sort_by_key(|&r| (times[r].is_none(), times[r]));

    // Candidate parents: (host, pid, name) → rows in time order.
    let with_names = parent_names.is_some();
    // One group id per (host, pid, lower-cased name); the rows of each group, in time order,
    // are a range of one array (no allocation per group).
    type Candidate<'a> = (Option<&'a str>, Pid<'a>, Option<&'a str>);
    let mut group_of: FxHashMap<Candidate<'_>, u32> = FxHashMap::default();
    let mut members: Vec<(u32, usize)> = Vec::with_capacity(order.len());
    for &r in &order {
        if let (Some(pid), Some(_)) = (pids.get(r), times[r]) {
            let name = if with_names { name_lc(r) } else { None };
            let next = group_of.len() as u32;
            let g = *group_of
                .entry((host_of(r), pid_of(pid), name))
                .or_insert(next);
            members.push((g, r));
        }
    }
    members.sort_by_key(|&(g, _)| g); // stable: time order within a group
    let mut starts = vec![0usize; group_of.len() + 1];
    for &(g, _) in &members {
        starts[g as usize + 1] += 1;
    }
    for g in 0..group_of.len() {
        starts[g + 1] += starts[g];
    }
    let group_rows = |key: &Candidate<'_>| -> &[(u32, usize)] {
        group_of.get(key).map_or(&[][..], |&g| {
            &members[starts[g as usize]..starts[g as usize + 1]]
        })
    };

    let mut procs: Vec<Proc<'_>> = Vec::with_capacity(order.len());
    // Inferred parents, one per (host, ppid, parent name), in order of first root child.
    let mut inferred: FxHashMap<(Option<&str>, Pid<'_>, &str), usize> = FxHashMap::default();
    let mut inferred_procs: Vec<Proc<'_>> = Vec::new();
    for &r in &order {
        let (name, pid, time) = (names.get(r), pids.get(r), times[r]);
        let mut p = Proc {
            row: Some(r),
            host: host_of(r),
            name,
            pid,
            time,
            key: None,
            parent_key: None,
            flag: None,
        };
        let (Some(lc), Some(pid), Some(time)) = (name_lc(r), pid, time) else {
            p.flag = Some("missing process id, name or time: kept as a root");
            procs.push(p);
            continue;
        };
        p.key = Some(make_key(lc, pid, time));
        let Some(ppid) = ppids.get(r) else {
            p.flag = Some("missing parent id: kept as a root");
            procs.push(p);
            continue;
        };
        let want_name = if with_names { parent_lc(r) } else { None };
        let found = {
            // Latest candidate at or before the child; never the child itself.
            let rows = group_rows(&(p.host, pid_of(ppid), want_name));
            let upto = rows.partition_point(|&(_, c)| times[c] <= Some(time));
            rows[..upto].iter().rev().map(|&(_, c)| c).find(|&c| c != r)
        };
        p.parent_key = match found {
            Some(c) => Some(make_key(
                name_lc(c).unwrap_or_default(),
                pids.get(c).unwrap_or_default(),
                times[c].unwrap_or_default(),
            )),
            None => {
                let lc = want_name.unwrap_or("unknown");
                let index = *inferred
                    .entry((p.host, pid_of(ppid), lc))
                    .or_insert_with(|| {
                        let original = parent_names
                            .as_ref()
                            .and_then(|n| n.get(r))
                            .filter(|n| !n.is_empty())
                            .unwrap_or("unknown");
                        inferred_procs.push(Proc {
                            row: None,
                            host: p.host,
                            name: Some(original),
                            pid: Some(ppid),
                            time: Some(0),
                            key: Some(make_key(lc, ppid, 0)),
                            parent_key: None,
                            flag: None,
                        });
                        inferred_procs.len() - 1
                    });
                // The inferred parent's own key (its PID text is the first child's).
                inferred_procs[index].key.clone()
            }
        };
        procs.push(p);
    }
    procs.extend(inferred_procs);
    let mut tree = link(procs, schema, schema_name, rows_in, filtered_out);
    tree.summary.duplicates_dropped += exact_duplicates;
    Ok(tree)
}

/// Row `r`'s label from `lowered` (labels of `c`, lower-cased), or `None` when null.
fn lower_label<'a>(c: &Categories, lowered: &'a [String], r: usize) -> Option<&'a str> {
    lowered.get(*c.codes.get(r)? as usize).map(String::as_str)
}

/// Drops rows equal to an earlier row in **every** column (MSTICPy's `drop_duplicates`, done
/// before numbering) and returns how many. Only rows sharing name, PID and time are compared
/// column by column, so the full comparison runs only where duplicates are possible.
fn drop_exact_duplicates(
    table: &Table,
    order: &mut Vec<usize>,
    names: &Categories,
    pids: &Categories,
    times: &[Option<i64>],
) -> Result<usize> {
    // Rows sharing (name, PID, time) with an earlier row: the only possible duplicates.
    let mut first: FxHashMap<(u32, u32, Option<i64>), usize> = FxHashMap::default();
    let mut clashes: Vec<(usize, usize)> = Vec::new();
    for &r in order.iter() {
        match first.entry((names.codes[r], pids.codes[r], times[r])) {
            std::collections::hash_map::Entry::Occupied(e) => clashes.push((*e.get(), r)),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(r);
            }
        }
    }
    if clashes.is_empty() {
        return Ok(0);
    }
    // Equal codes = equal values, column by column.
    let columns: Vec<Vec<u32>> = table
        .column_names()
        .iter()
        .map(|c| Ok(encode_categories(&table.column(c, "column")?)?.codes))
        .collect::<Result<_>>()?;
    let same = |a: usize, b: usize| columns.iter().all(|c| c[a] == c[b]);
    let mut drop = vec![false; times.len()];
    let mut by_first: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (f, r) in clashes {
        let kept = by_first.entry(f).or_default();
        if same(f, r) || kept.iter().any(|&k| same(k, r)) {
            drop[r] = true;
        } else {
            kept.push(r);
        }
    }
    let before = order.len();
    order.retain(|&r| !drop[r]);
    Ok(before - order.len())
}

/// Keys, de-duplication, links, flags, paths and the final order (spec §2.4–§2.7).
pub(super) fn link(
    procs: Vec<Proc<'_>>,
    schema: &ProcSchema,
    schema_name: &str,
    rows_in: usize,
    filtered_out: usize,
) -> ProcessTree {
    // Identity = (host, proc_key); keep the first of duplicates. Parents are found by the
    // same identity (host, parent_key), on borrowed strings.
    let (kept, parents, duplicates) = {
        let mut by_identity: FxHashMap<(Option<&str>, &str), usize> = FxHashMap::default();
        let mut kept: Vec<usize> = Vec::with_capacity(procs.len());
        let mut duplicates = 0;
        for (i, p) in procs.iter().enumerate() {
            if let Some(k) = &p.key {
                if by_identity.contains_key(&(p.host, k.as_str())) {
                    duplicates += 1;
                    continue;
                }
                by_identity.insert((p.host, k.as_str()), kept.len());
            }
            kept.push(i);
        }
        let parents: Vec<Option<usize>> = kept
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let p = &procs[i];
                p.parent_key
                    .as_deref()
                    .and_then(|k| by_identity.get(&(p.host, k)))
                    .copied()
                    .filter(|&parent| parent != n)
            })
            .collect();
        (kept, parents, duplicates)
    };
    let mut slots: Vec<Option<Proc<'_>>> = procs.into_iter().map(Some).collect();
    let mut nodes: Vec<Node> = kept
        .iter()
        .zip(&parents)
        .enumerate()
        .filter_map(|(n, (&i, &parent))| {
            let p = slots[i].take()?;
            Some(Node {
                row: p.row,
                host: p.host.map(str::to_owned),
                name: p.name.map(str::to_owned),
                pid: p.pid.map(str::to_owned),
                time_ns: p.time,
                proc_key: p.key,
                parent_key: p.parent_key,
                parent,
                children: Vec::new(),
                source_index: n,
                path: String::new(),
                depth: 0,
                is_root: false,
                is_leaf: false,
                is_branch: false,
                inferred: p.row.is_none(),
                flag: p.flag,
            })
        })
        .collect();
    for i in 0..nodes.len() {
        if let Some(p) = nodes[i].parent {
            nodes[p].children.push(i);
        }
    }

    // Tree order: MSTICPy sorts by path (then time), and paths are unique, so the order is a
    // depth-first walk from each root with children in source order (children were pushed in
    // index order). Nodes on a parent cycle are never reached from a root; as in MSTICPy they
    // stand alone, path = their own index, at their own position among the roots.
    let n = nodes.len();
    let width = n.saturating_sub(1).to_string().len().max(5);
    let mut reached = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|&i| nodes[i].parent.is_none()).collect();
    while let Some(i) = stack.pop() {
        reached[i] = true;
        stack.extend(nodes[i].children.iter().copied().filter(|&c| !reached[c]));
    }
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for top in 0..n {
        let is_root = nodes[top].parent.is_none();
        if !is_root && reached[top] {
            continue;
        }
        let mut path = String::new();
        push_padded(&mut path, top as u64, width);
        nodes[top].path = path;
        nodes[top].depth = 1;
        if !is_root {
            nodes[top].flag = Some("part of a parent cycle (PID reuse): unreachable from any root");
            order.push(top);
            continue;
        }
        stack.push(top);
        while let Some(i) = stack.pop() {
            order.push(i);
            for k in (0..nodes[i].children.len()).rev() {
                let c = nodes[i].children[k];
                let mut path = String::with_capacity(nodes[i].path.len() + width + 1);
                path.push_str(&nodes[i].path);
                path.push('/');
                push_padded(&mut path, c as u64, width);
                nodes[c].path = path;
                nodes[c].depth = nodes[i].depth + 1;
                stack.push(c);
            }
        }
    }
    for node in &mut nodes {
        node.is_root = node.parent.is_none();
        node.is_leaf = node.children.is_empty();
        node.is_branch = !node.is_root && !node.is_leaf;
    }

    let mut position = vec![0; nodes.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    let mut nodes: Vec<Node> = order.iter().filter_map(|&i| slots[i].take()).collect();
    for n in &mut nodes {
        n.parent = n.parent.map(|p| position[p]);
        for c in &mut n.children {
            *c = position[*c];
        }
        n.children.sort_unstable();
    }

    let summary = Summary {
        rows_in,
        rows_filtered_out: filtered_out,
        processes: nodes.len(),
        roots: nodes.iter().filter(|n| n.is_root).count(),
        leaves: nodes.iter().filter(|n| n.is_leaf).count(),
        branches: nodes.iter().filter(|n| n.is_branch).count(),
        isolated: nodes.iter().filter(|n| n.is_root && n.is_leaf).count(),
        max_depth: nodes.iter().map(|n| n.depth).max().unwrap_or(0),
        inferred: nodes.iter().filter(|n| n.inferred).count(),
        duplicates_dropped: duplicates,
        flagged: nodes.iter().filter(|n| n.flag.is_some()).count(),
    };
    ProcessTree::new(schema_name.to_owned(), schema.clone(), nodes, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_times_round_half_even_to_10us() {
        let base = 1_704_103_205_000_000_000; // 2024-01-01 10:00:05
        assert_eq!(key_time(base + 5_000), "2024-01-01 10:00:05.000000");
        assert_eq!(key_time(base + 15_000), "2024-01-01 10:00:05.000020");
        assert_eq!(
            key_time(1_704_103_202_123_456_789),
            "2024-01-01 10:00:02.123460"
        );
        assert_eq!(
            key_time(1_636_601_188_109_885_000),
            "2021-11-11 03:26:28.109880"
        );
        assert_eq!(key_time(0), "1970-01-01 00:00:00.000000");
    }

    use crate::proctree::{SchemaChoice, build_process_tree};
    use crate::table::Value;

    fn t(s: &str) -> Value {
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(s.to_owned())
        }
    }

    fn windows(rows: &[[&str; 6]]) -> Table {
        let names = [
            "TimeGenerated",
            "NewProcessName",
            "NewProcessId",
            "ProcessId",
            "ParentProcessName",
            "EventID",
        ];
        let cols = (0..6)
            .map(|c| rows.iter().map(|r| t(r[c])).collect())
            .collect();
        Table::from_rows(names.map(String::from).to_vec(), cols).unwrap()
    }

    /// The worked example of spec §2.9, verified with MSTICPy 3.0.2: keys, parent keys and
    /// paths exactly (its timestamps have no ties, so the numbering is MSTICPy's too).
    #[test]
    fn msticpy_worked_example() {
        let s = "C:\\Windows\\System32";
        let ex = "C:\\Windows\\explorer.exe";
        let p = |n: &str| format!("{s}\\{n}");
        #[rustfmt::skip]
        let rows: Vec<[String; 6]> = [
            ("10:00:00", "cmd.exe", "0x100", "0x50", ex.to_owned(), "4688"),
            ("10:00:01", "whoami.exe", "0x200", "0x100", p("cmd.exe"), "4688"),
            ("10:00:02.123456789", "notepad.exe", "0x300", "0x100", "C:\\WINDOWS\\SYSTEM32\\CMD.EXE".to_owned(), "4688"),
            ("09:59:59", "PING.EXE", "0x400", "0x100", p("cmd.exe"), "4688"),
            ("10:00:03", "cmd.exe", "0x100", "0x50", ex.to_owned(), "4688"),
            ("10:00:04", "conhost.exe", "0x500", "0x100", p("cmd.exe"), "4688"),
            // An exact duplicate of the second row, and an event that is not process creation.
            ("10:00:01", "whoami.exe", "0x200", "0x100", p("cmd.exe"), "4688"),
            ("10:00:06", "exit.exe", "0x800", "0x100", p("cmd.exe"), "4689"),
            ("10:00:05.000015", "net.exe", "0x600", "0x500", p("conhost.exe"), "4688"),
            ("10:00:05.000005", "net1.exe", "0x700", "0x600", p("net.exe"), "4688"),
        ]
        .map(|(time, name, pid, ppid, pname, event)| {
            [
                format!("2024-01-01 {time}"),
                p(name),
                pid.into(),
                ppid.into(),
                pname,
                event.into(),
            ]
        })
        .to_vec();
        let refs: Vec<[&str; 6]> = rows
            .iter()
            .map(|r| r.each_ref().map(String::as_str))
            .collect();
        let tree =
            build_process_tree(&windows(&refs), &SchemaChoice::Named("windows".into())).unwrap();
        let s = tree.summary();
        assert_eq!(
            (
                s.processes,
                s.roots,
                s.leaves,
                s.branches,
                s.max_depth,
                s.inferred,
                s.rows_filtered_out,
                s.duplicates_dropped
            ),
            (11, 3, 5, 3, 4, 3, 1, 1)
        );
        let got: Vec<(String, String)> = tree
            .nodes()
            .iter()
            .map(|n| {
                (
                    n.proc_key
                        .clone()
                        .unwrap()
                        .replace("c:\\windows\\system32\\", "S\\"),
                    n.path.clone(),
                )
            })
            .collect();
        let want = [
            ("S\\cmd.exe|0x100|1970-01-01 00:00:00.000000", "00008"),
            (
                "S\\ping.exe|0x400|2024-01-01 09:59:59.000000",
                "00008/00000",
            ),
            (
                "c:\\windows\\explorer.exe|0x50|1970-01-01 00:00:00.000000",
                "00009",
            ),
            ("S\\cmd.exe|0x100|2024-01-01 10:00:00.000000", "00009/00001"),
            (
                "S\\whoami.exe|0x200|2024-01-01 10:00:01.000000",
                "00009/00001/00002",
            ),
            (
                "S\\notepad.exe|0x300|2024-01-01 10:00:02.123460",
                "00009/00001/00003",
            ),
            ("S\\cmd.exe|0x100|2024-01-01 10:00:03.000000", "00009/00004"),
            (
                "S\\conhost.exe|0x500|2024-01-01 10:00:04.000000",
                "00009/00004/00005",
            ),
            (
                "S\\net.exe|0x600|2024-01-01 10:00:05.000020",
                "00009/00004/00005/00007",
            ),
            ("S\\net.exe|0x600|1970-01-01 00:00:00.000000", "00010"),
            (
                "S\\net1.exe|0x700|2024-01-01 10:00:05.000000",
                "00010/00006",
            ),
        ]
        .map(|(k, p)| (k.to_owned(), p.to_owned()));
        assert_eq!(got, want);
    }

    #[test]
    fn null_pid_or_time_is_a_flagged_root_and_cycles_terminate() {
        let rows = [
            ["2024-01-01 10:00:00", "a.exe", "", "0x1", "x.exe", "4688"],
            ["", "b.exe", "0x2", "0x1", "x.exe", "4688"],
            // PID reuse at one instant: c (0x3, parent 0x4) and d (0x4, parent 0x3).
            [
                "2024-01-01 11:00:00",
                "c.exe",
                "0x3",
                "0x4",
                "d.exe",
                "4688",
            ],
            [
                "2024-01-01 11:00:00",
                "d.exe",
                "0x4",
                "0x3",
                "c.exe",
                "4688",
            ],
        ];
        let tree =
            build_process_tree(&windows(&rows), &SchemaChoice::Named("windows".into())).unwrap();
        let s = tree.summary();
        assert_eq!((s.processes, s.flagged, s.inferred), (4, 4, 0));
        let flags: Vec<&str> = tree.nodes().iter().filter_map(|n| n.flag).collect();
        assert_eq!(flags.iter().filter(|f| f.starts_with("missing")).count(), 2);
        assert_eq!(flags.iter().filter(|f| f.contains("cycle")).count(), 2);
        assert!(tree.nodes().iter().all(|n| n.depth == 1));
    }

    #[test]
    fn pids_compare_by_value() {
        assert_eq!(pid_of("0x1A4"), pid_of("0x1a4"));
        assert_eq!(pid_of("0x1a4"), pid_of("420"));
        assert_eq!(pid_of("abc"), Pid::Text("abc"));
    }
}
