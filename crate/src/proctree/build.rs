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
use crate::table::{Table, text_values, timestamps_ns};

/// A PID as matched: by value when it parses (decimal or `0x` hex), else by its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Pid {
    Num(u64),
    Text(String),
}

fn pid_of(text: &str) -> Pid {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse::<u64>().ok(),
    };
    parsed.map_or_else(|| Pid::Text(t.to_owned()), Pid::Num)
}

/// `YYYY-MM-DD HH:MM:SS.ffffff` of a time rounded to 10 µs, ties to even (pandas
/// `dt.round("10us")`), as MSTICPy's process keys print it.
pub fn key_time(ns: i64) -> String {
    let q = ns.div_euclid(10_000);
    let r = ns.rem_euclid(10_000);
    let q = if r > 5_000 || (r == 5_000 && q % 2 != 0) {
        q + 1
    } else {
        q
    };
    let micros = q * 10;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{frac:06}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// One process before linking: a data row or an inferred parent.
pub(super) struct Proc {
    pub row: Option<usize>,
    pub host: Option<String>,
    pub name: Option<String>,
    pub name_lc: Option<String>,
    pub pid: Option<String>,
    pub time: Option<i64>,
    /// The parent's key text, if the row has enough to name its parent.
    pub parent_key: Option<String>,
    pub flag: Option<&'static str>,
    /// A key computed by the builder (MDE keys lower-case the PID too).
    pub key_override: Option<Option<String>>,
}

impl Proc {
    fn key(&self) -> Option<String> {
        if let Some(key) = &self.key_override {
            return key.clone();
        }
        Some(format!(
            "{}|{}|{}",
            self.name_lc.as_ref()?,
            self.pid.as_ref()?,
            key_time(self.time?)
        ))
    }
}

/// Builds the tree of `table` under `schema` (the generic path).
pub fn build_generic(table: &Table, schema: &ProcSchema, schema_name: &str) -> Result<ProcessTree> {
    let text = |name: &str, role| -> Result<Vec<Option<String>>> {
        text_values(&table.column(name, role)?)
    };
    let names = text(&schema.process_name, "process_name")?;
    let pids = text(&schema.process_id, "process_id")?;
    let ppids = text(&schema.parent_id, "parent_id")?;
    let times = timestamps_ns(&table.column(&schema.time_stamp, "time_stamp")?)?;
    let optional = |col: &Option<String>, role| -> Result<Option<Vec<Option<String>>>> {
        match col {
            Some(c) if table.schema().index_of(c).is_ok() => Ok(Some(text(c, role)?)),
            _ => Ok(None),
        }
    };
    let parent_names = match &schema.parent_name {
        Some(c) => Some(text(c, "parent_name")?),
        None => None,
    };
    let hosts = optional(&schema.host_name_column, "host_name_column")?;
    let events = match (&schema.event_id_column, &schema.event_id_identifier) {
        (Some(c), Some(id)) if table.schema().index_of(c).is_ok() => {
            Some((text(c, "event_id_column")?, id.clone()))
        }
        _ => None,
    };
    let rows_in = names.len();

    // Event filter, then a stable sort by time (null times last, as pandas sorts NaT).
    let mut order: Vec<usize> = (0..rows_in)
        .filter(|&r| match &events {
            Some((vals, id)) => vals[r].as_deref().is_some_and(|v| id.matches(v)),
            None => true,
        })
        .collect();
    let filtered_out = rows_in - order.len();
    let exact_duplicates = drop_exact_duplicates(table, &mut order, &names, &pids, &times)?;
    order.sort_by_key(|&r| (times[r].is_none(), times[r]));

    let host_of = |r: usize| hosts.as_ref().and_then(|h| h[r].clone());
    let lc = |s: &Option<String>| s.as_ref().map(|s| s.to_lowercase());

    // Candidate parents: (host, pid, name) → rows in time order.
    let parent_lc_of = |r: usize| -> Option<String> {
        let p = parent_names.as_ref()?[r].as_deref()?;
        Some(if p.is_empty() {
            "unknown".to_owned()
        } else {
            p.to_lowercase()
        })
    };
    let mut candidates: FxHashMap<(Option<String>, Pid, Option<String>), Vec<usize>> =
        FxHashMap::default();
    for &r in &order {
        if let (Some(pid), Some(_)) = (&pids[r], times[r]) {
            let name = if parent_names.is_some() {
                lc(&names[r])
            } else {
                None
            };
            candidates
                .entry((host_of(r), pid_of(pid), name))
                .or_default()
                .push(r);
        }
    }

    let mut procs: Vec<Proc> = Vec::with_capacity(order.len());
    // Inferred parents, one per (host, ppid, parent name), in order of first root child.
    let mut inferred: FxHashMap<(Option<String>, Pid, String), usize> = FxHashMap::default();
    let mut inferred_procs: Vec<Proc> = Vec::new();
    for &r in &order {
        let mut p = Proc {
            row: Some(r),
            host: host_of(r),
            name: names[r].clone(),
            name_lc: lc(&names[r]),
            pid: pids[r].clone(),
            time: times[r],
            parent_key: None,
            flag: None,
            key_override: None,
        };
        if p.pid.is_none() || p.time.is_none() || p.name.is_none() {
            p.flag = Some("missing process id, name or time: kept as a root");
            procs.push(p);
            continue;
        }
        let Some(ppid) = &ppids[r] else {
            p.flag = Some("missing parent id: kept as a root");
            procs.push(p);
            continue;
        };
        let want_name = if parent_names.is_some() {
            parent_lc_of(r)
        } else {
            None
        };
        let found = candidates
            .get(&(p.host.clone(), pid_of(ppid), want_name.clone()))
            .and_then(|rows| {
                // Latest candidate at or before the child; never the child itself.
                let upto = rows.partition_point(|&c| times[c] <= p.time);
                rows[..upto].iter().rev().find(|&&c| c != r).copied()
            });
        match found {
            Some(c) => {
                let parent_lc = lc(&names[c]).unwrap_or_default();
                let ptime = times[c].unwrap_or_default();
                p.parent_key = Some(format!(
                    "{parent_lc}|{}|{}",
                    pids[c].as_deref().unwrap_or_default(),
                    key_time(ptime)
                ));
            }
            None => {
                let name_lc = want_name.unwrap_or_else(|| "unknown".to_owned());
                let key = (p.host.clone(), pid_of(ppid), name_lc.clone());
                let index = *inferred.entry(key).or_insert_with(|| {
                    let original = parent_names
                        .as_ref()
                        .and_then(|n| n[r].clone())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| "unknown".to_owned());
                    inferred_procs.push(Proc {
                        row: None,
                        host: p.host.clone(),
                        name: Some(original),
                        name_lc: Some(name_lc.clone()),
                        pid: Some(ppid.clone()),
                        time: Some(0),
                        parent_key: None,
                        flag: None,
                        key_override: None,
                    });
                    inferred_procs.len() - 1
                });
                // The inferred parent's own key (its PID text is the first child's).
                p.parent_key = inferred_procs[index].key();
            }
        }
        procs.push(p);
    }
    procs.extend(inferred_procs);
    let mut tree = link(procs, schema, schema_name, rows_in, filtered_out);
    tree.summary.duplicates_dropped += exact_duplicates;
    Ok(tree)
}

/// Drops rows equal to an earlier row in **every** column (MSTICPy's `drop_duplicates`, done
/// before numbering) and returns how many. Only rows sharing name, PID and time are compared
/// column by column, so the full comparison runs only where duplicates are possible.
fn drop_exact_duplicates(
    table: &Table,
    order: &mut Vec<usize>,
    names: &[Option<String>],
    pids: &[Option<String>],
    times: &[Option<i64>],
) -> Result<usize> {
    /// Rows sharing (name, PID, time): the only rows that can be exact duplicates.
    type Group<'a> = (Option<&'a str>, Option<&'a str>, Option<i64>);
    let mut groups: FxHashMap<Group<'_>, Vec<usize>> = FxHashMap::default();
    for &r in order.iter() {
        groups
            .entry((names[r].as_deref(), pids[r].as_deref(), times[r]))
            .or_default()
            .push(r);
    }
    if groups.values().all(|g| g.len() == 1) {
        return Ok(0);
    }
    let columns: Vec<Vec<Option<String>>> = table
        .column_names()
        .iter()
        .map(|c| text_values(&table.column(c, "column")?))
        .collect::<Result<_>>()?;
    let mut drop = vec![false; names.len()];
    for group in groups.values().filter(|g| g.len() > 1) {
        for (i, &r) in group.iter().enumerate() {
            if group[..i]
                .iter()
                .any(|&k| !drop[k] && columns.iter().all(|c| c[k] == c[r]))
            {
                drop[r] = true;
            }
        }
    }
    let before = order.len();
    order.retain(|&r| !drop[r]);
    Ok(before - order.len())
}

/// Keys, de-duplication, links, flags, paths and the final order (spec §2.4–§2.7).
pub(super) fn link(
    procs: Vec<Proc>,
    schema: &ProcSchema,
    schema_name: &str,
    rows_in: usize,
    filtered_out: usize,
) -> ProcessTree {
    // Identity = (host, proc_key); keep the first of duplicates.
    let mut by_identity: FxHashMap<(Option<String>, String), usize> = FxHashMap::default();
    let mut nodes: Vec<Node> = Vec::with_capacity(procs.len());
    let mut duplicates = 0;
    for p in procs {
        let key = p.key();
        if let Some(k) = &key {
            let id = (p.host.clone(), k.clone());
            if by_identity.contains_key(&id) {
                duplicates += 1;
                continue;
            }
            by_identity.insert(id, nodes.len());
        }
        nodes.push(Node {
            row: p.row,
            host: p.host,
            name: p.name,
            pid: p.pid,
            time_ns: p.time,
            proc_key: key,
            parent_key: p.parent_key,
            parent: None,
            children: Vec::new(),
            source_index: nodes.len(),
            path: String::new(),
            depth: 0,
            is_root: false,
            is_leaf: false,
            is_branch: false,
            inferred: p.row.is_none(),
            flag: p.flag,
        });
    }
    for i in 0..nodes.len() {
        let parent = nodes[i]
            .parent_key
            .as_ref()
            .and_then(|k| by_identity.get(&(nodes[i].host.clone(), k.clone())))
            .copied()
            .filter(|&p| p != i);
        nodes[i].parent = parent;
        if let Some(p) = parent {
            nodes[p].children.push(i);
        }
    }

    // Paths from the roots, breadth first; nodes on a cycle are never reached.
    let width = nodes.len().saturating_sub(1).to_string().len().max(5);
    let mut paths: Vec<Option<Vec<usize>>> = vec![None; nodes.len()];
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.parent.is_none() {
            paths[i] = Some(vec![i]);
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        let base = paths[i].clone().unwrap_or_default();
        for &c in &nodes[i].children.clone() {
            if paths[c].is_none() {
                let mut p = base.clone();
                p.push(c);
                paths[c] = Some(p);
                queue.push_back(c);
            }
        }
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        let path = paths[i].take().unwrap_or_else(|| {
            n.flag = Some("part of a parent cycle (PID reuse): unreachable from any root");
            vec![i]
        });
        n.depth = path.len();
        n.path = path
            .iter()
            .map(|s| format!("{s:0width$}"))
            .collect::<Vec<_>>()
            .join("/");
        n.is_root = n.parent.is_none();
        n.is_leaf = n.children.is_empty();
        n.is_branch = !n.is_root && !n.is_leaf;
        paths[i] = Some(path);
    }

    // Output order: path (numerically, segment by segment), then time.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        paths[a]
            .cmp(&paths[b])
            .then(nodes[a].time_ns.cmp(&nodes[b].time_ns))
    });
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
        let rows: Vec<[String; 6]> = [
            (
                "10:00:00",
                "cmd.exe",
                "0x100",
                "0x50",
                ex.to_owned(),
                "4688",
            ),
            (
                "10:00:01",
                "whoami.exe",
                "0x200",
                "0x100",
                p("cmd.exe"),
                "4688",
            ),
            (
                "10:00:02.123456789",
                "notepad.exe",
                "0x300",
                "0x100",
                "C:\\WINDOWS\\SYSTEM32\\CMD.EXE".to_owned(),
                "4688",
            ),
            (
                "09:59:59",
                "PING.EXE",
                "0x400",
                "0x100",
                p("cmd.exe"),
                "4688",
            ),
            (
                "10:00:03",
                "cmd.exe",
                "0x100",
                "0x50",
                ex.to_owned(),
                "4688",
            ),
            (
                "10:00:04",
                "conhost.exe",
                "0x500",
                "0x100",
                p("cmd.exe"),
                "4688",
            ),
            (
                "10:00:01",
                "whoami.exe",
                "0x200",
                "0x100",
                p("cmd.exe"),
                "4688",
            ),
            (
                "10:00:06",
                "exit.exe",
                "0x800",
                "0x100",
                p("cmd.exe"),
                "4689",
            ),
            (
                "10:00:05.000015",
                "net.exe",
                "0x600",
                "0x500",
                p("conhost.exe"),
                "4688",
            ),
            (
                "10:00:05.000005",
                "net1.exe",
                "0x700",
                "0x600",
                p("net.exe"),
                "4688",
            ),
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
        assert_eq!(pid_of("abc"), Pid::Text("abc".into()));
    }
}
