//! The generic build (Windows 4688, Linux auditd, Sysmon, OSQuery, HX, custom mappings):
//! MSTICPy's `proc_tree_build_winlx`, with its bugs fixed:
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

use crate::hash::HashMap;

use super::{PidMatch, Pids, check_rows, finish, guid_codes, slot};
use crate::error::Result;
use crate::proctree::intern::{
    IdColumn, Interner, Key, NONE, PidText, id_column, lowered, round_10us,
};
use crate::proctree::schema::ProcSchema;
use crate::proctree::{ProcessTree, Slot, Summary};
use crate::table::{Categories, Table, encode_categories, timestamps_ns};

/// One input row of the generic build, with everything the build reads from it (gathered
/// once in row order, so the passes after the time sort read memory in order).
#[derive(Clone, Copy)]
struct Rec {
    time: Option<i64>,
    row: u32,
    host: u32,
    /// Name as shown, lower-cased (key), PID text.
    name: u32,
    name_lc: u32,
    pid: PidText,
    pid_m: Option<PidMatch>,
    ppid: PidText,
    ppid_m: Option<PidMatch>,
    /// Parent name lower-cased (`NONE` when the schema has none) and as an inferred parent
    /// shows it.
    parent_lc: u32,
    parent_shown: u32,
    /// Name code, for the exact-duplicate check.
    name_code: u32,
    /// Position in time order.
    pos: u32,
    /// Codes of the process's and the parent's unique ids (`NONE`: missing or no column).
    guid: u32,
    parent_guid: u32,
}

/// Builds the tree of `table` under `schema` (the generic path).
pub(crate) fn build_generic(
    table: &Table,
    schema: &ProcSchema,
    schema_name: &str,
) -> Result<ProcessTree> {
    let cat =
        |name: &str, role| -> Result<Categories> { encode_categories(&table.column(name, role)?) };
    let present = |col: &Option<String>| {
        col.as_deref()
            .filter(|c| table.schema().index_of(c).is_ok())
            .map(str::to_owned)
    };
    // Everything read below, in one pass over an IPC input.
    let optional = [
        &schema.parent_name,
        &schema.host_name_column,
        &schema.event_id_column,
        &schema.process_guid,
        &schema.parent_guid,
    ];
    let optional: Vec<&String> = optional
        .into_iter()
        .flatten()
        .filter(|c| table.schema().index_of(c).is_ok())
        .collect();
    let mut wanted = vec![
        &schema.process_name,
        &schema.time_stamp,
        &schema.process_id,
        &schema.parent_id,
    ];
    wanted.extend(optional);
    let wanted: Vec<&str> = wanted.iter().map(|c| c.as_str()).collect();
    super::load(table, &wanted)?;
    let names = cat(&schema.process_name, "process_name")?;

    let times = timestamps_ns(&table.column(&schema.time_stamp, "time_stamp")?)?;
    let parent_names = match &schema.parent_name {
        Some(c) => Some(cat(c, "parent_name")?),
        None => None,
    };
    let hosts = match present(&schema.host_name_column) {
        Some(c) => Some(cat(&c, "host_name_column")?),
        None => None,
    };
    let guids = guid_codes(
        table,
        present(&schema.process_guid).as_deref(),
        present(&schema.parent_guid).as_deref(),
    )?;
    let guid_of = |r: usize| guids.as_ref().map_or((NONE, NONE), |(g, p)| (g[r], p[r]));
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
    check_rows(rows_in)?;

    // Per distinct value, not per row: lower-cased names, string ids, parsed PIDs.
    let names_lc = lowered(&names.labels);
    // An inferred parent shows its name as given ("unknown" when empty) and is keyed by it
    // lower-cased.
    let parents_shown: Option<Vec<&str>> = parent_names.as_ref().map(|p| {
        p.labels
            .iter()
            .map(|l| if l.is_empty() { "unknown" } else { l.as_str() })
            .collect()
    });
    let parents_lc: Option<Vec<String>> = parents_shown
        .as_ref()
        .map(|p| p.iter().map(|l| l.to_lowercase()).collect());
    let mut interner = Interner::default();
    let unknown = interner.id("unknown");
    let name_ids = id_column(&mut interner, &names, &names.labels);
    let name_lc = id_column(&mut interner, &names, &names_lc);
    // PIDs are shown as given, keyed by value where the text is a canonical number.
    // PIDs are read row by row: by value where the text is a canonical number.
    let pid_column = table.column(&schema.process_id, "process_id")?;
    let pids = Pids::read(&pid_column, &mut interner, false)?;
    let ppid_column = table.column(&schema.parent_id, "parent_id")?;
    let ppids = Pids::read(&ppid_column, &mut interner, false)?;
    let host_ids: Option<IdColumn<'_>> = hosts
        .as_ref()
        .map(|h| id_column(&mut interner, h, &h.labels));
    let parent_shown: Option<IdColumn<'_>> = parent_names
        .as_ref()
        .zip(parents_shown.as_ref())
        .map(|(p, l)| id_column(&mut interner, p, l));
    let parent_lc: Option<IdColumn<'_>> = parent_names
        .as_ref()
        .zip(parents_lc.as_ref())
        .map(|(p, l)| id_column(&mut interner, p, l));
    let at = |c: &Option<IdColumn<'_>>, r: usize| c.as_ref().map_or(NONE, |c| c.at(r));

    // Rows in row order (event filter applied), then stably sorted by time with null times
    // last, as pandas sorts NaT: sorting (null, time, row) gives that order.
    let mut recs: Vec<Rec> = Vec::with_capacity(rows_in);
    for (r, &time) in times.iter().enumerate() {
        if let Some((events, ok)) = &events
            && !ok.get(events.codes[r] as usize).copied().unwrap_or(false)
        {
            continue;
        }
        recs.push(Rec {
            time,
            row: r as u32,
            host: at(&host_ids, r),
            name: name_ids.at(r),
            name_lc: name_lc.at(r),
            pid: pids.shown[r],
            pid_m: pids.matching[r],
            ppid: ppids.shown[r],
            ppid_m: ppids.matching[r],
            parent_lc: at(&parent_lc, r),
            parent_shown: at(&parent_shown, r),
            name_code: names.codes[r],
            pos: 0,
            guid: guid_of(r).0,
            parent_guid: guid_of(r).1,
        });
    }
    drop(times);
    let filtered_out = rows_in - recs.len();

    // Rows in time order, before exact duplicates are dropped (time positions are below it).
    let n = recs.len();
    let recs = order_by_host_and_time(recs);

    // MSTICPy drops rows equal in every column; only rows with the same host, name, PID and
    // time can be, and those are neighbours now.
    let (recs, exact_duplicates) = drop_exact_duplicates(table, recs)?;

    let links = link(&recs, parent_names.is_some(), unknown);

    let (links_by_id, links_by_pid) = (links.linked_by_id, links.linked_by_pid);
    let (nodes, duplicates) = assemble(recs, links, n);
    let strings = interner.finish();
    Ok(finish(
        nodes,
        strings,
        schema,
        schema_name,
        Summary {
            rows_in,
            rows_filtered_out: filtered_out,
            duplicates_dropped: duplicates + exact_duplicates,
            linked_by_id: links_by_id,
            linked_by_pid: links_by_pid,
            ..Summary::default()
        },
    ))
}

/// A data row's parent, as found.
#[derive(Debug, Clone, Copy)]
enum Link {
    None,
    /// Another data row (index in host order) and its key.
    Data(u32, Key),
    /// An inferred parent (its id).
    Inferred(u32),
}

/// Work order: by host, then time. Time order is MSTICPy's numbering (`pos`): a stable sort
/// by time with null times last, as pandas sorts NaT.
fn order_by_host_and_time(recs: Vec<Rec>) -> Vec<Rec> {
    // Time order (MSTICPy's numbering): a stable sort by time with null times last, as pandas
    // sorts NaT; sorting (null, time, row) gives that order.
    let n = recs.len();
    // One u128 per row, (null, time, row) in its bits: a flat integer sort.
    let mut by_time: Vec<u128> = recs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let time = match c.time {
                // Order-preserving: i64 → u64 with the sign bit flipped.
                Some(t) => u128::from((t as u64) ^ (1 << 63)),
                None => 1 << 64,
            };
            (time << 32) | i as u128
        })
        .collect();
    by_time.sort_unstable();
    // Work order: by host, then time (a counting sort by host id, filled in time order).
    // Parents are matched within a host, so each host's lookups use small tables that stay
    // in cache.
    let bucket = |c: &Rec| {
        if c.host == NONE {
            0
        } else {
            c.host as usize + 1
        }
    };
    let mut start = vec![0u32; recs.iter().map(bucket).max().map_or(1, |m| m + 2)];
    for c in &recs {
        start[bucket(c) + 1] += 1;
    }
    for h in 1..start.len() {
        start[h] += start[h - 1];
    }
    let mut placed: Vec<Rec> = Vec::with_capacity(n);
    let spare = placed.spare_capacity_mut();
    for (pos, &k) in by_time.iter().enumerate() {
        let mut c = recs[k as u32 as usize];
        c.pos = pos as u32;
        let at = &mut start[bucket(&c)];
        spare[*at as usize].write(c);
        *at += 1;
    }
    // SAFETY: the buckets' ranges partition 0..n and each row was written once.
    unsafe { placed.set_len(n) };
    placed
}

/// What linking found: each row's parent, the row each duplicate identity collapses into,
/// the inferred parents and the counts by link kind.
struct Links {
    links: Vec<Link>,
    same_as: Vec<u32>,
    /// Inferred parents with the time position of their first child (or, when one turns out
    /// to be a data row, `u32::MAX - row in host order`).
    inferred_procs: Vec<(Slot, u32)>,
    linked_by_id: usize,
    linked_by_pid: usize,
}

/// A row's key: lower-cased name, PID text, time.
fn key_of(c: &Rec) -> Key {
    Key::new(c.name_lc, c.pid, c.time)
}

/// Links every row (in host-then-time order) to its parent, host by host: by unique id, else
/// by PID (and parent name with `with_names`) at or before the child, else to a parent
/// inferred from the child's parent PID (named `unknown` when the schema has no parent name).
fn link(recs: &[Rec], with_names: bool, unknown: u32) -> Links {
    let mut links: Vec<Link> = vec![Link::None; recs.len()];
    let mut same_as: Vec<u32> = (0..recs.len() as u32).collect();
    // Inferred parents with the time position of their first child (or, when one turns out
    // to be a data row, `u32::MAX - row in host order`).
    let mut inferred_procs: Vec<(Slot, u32)> = Vec::new();
    let mut work = HostWork::default();
    let (mut linked_by_id, mut linked_by_pid) = (0, 0);
    let mut a = 0;
    while a < recs.len() {
        let host = recs[a].host;
        let b = a + recs[a..].iter().take_while(|c| c.host == host).count();
        let host_recs = &recs[a..b];
        work.clear();

        // Candidate parents: one group per (PID, lower-cased name when the schema has parent
        // names); the members of a group are a range of one array, in time order.
        for c in host_recs {
            let g = match (c.pid_m, c.time) {
                (Some(pid), Some(_)) => {
                    let name = if with_names { c.name_lc } else { NONE };
                    let next = work.group_of.len() as u32;
                    *work.group_of.entry((pid, name)).or_insert(next)
                }
                _ => NONE,
            };
            work.member_group.push(g);
        }
        let groups = work.group_of.len();
        work.starts.resize(groups + 1, 0);
        for &g in &work.member_group {
            if g != NONE {
                work.starts[g as usize + 1] += 1;
            }
        }
        for g in 0..groups {
            work.starts[g + 1] += work.starts[g];
        }
        work.fill.extend_from_slice(&work.starts);
        work.members.resize(work.starts[groups] as usize, (0, 0));
        for (i, (c, &g)) in host_recs.iter().zip(&work.member_group).enumerate() {
            if g != NONE {
                let at = &mut work.fill[g as usize];
                work.members[*at as usize] = (c.time.unwrap_or(0), (a + i) as u32);
                *at += 1;
            }
        }

        // Unique ids first: a parent id names its process exactly (the first row with it).
        for (i, c) in host_recs.iter().enumerate() {
            if c.guid != NONE {
                work.by_guid.entry(c.guid).or_insert((a + i) as u32);
            }
        }
        // Parents: by unique id where both ids are known; else the latest candidate with the
        // parent's PID at or before the child (never the child itself), or an inferred parent,
        // one per (ppid, parent name), made for its first child. A child without a PID of its
        // own is linked all the same (and flagged for the PID).
        for (i, c) in host_recs.iter().enumerate() {
            let h = a + i;
            if let Some(&m) = work.by_guid.get(&c.parent_guid)
                && m as usize != h
            {
                links[h] = Link::Data(m, key_of(&recs[m as usize]));
                linked_by_id += 1;
                continue;
            }
            let (Some(time), Some(ppid)) = (c.time, c.ppid_m) else {
                continue;
            };
            let want_name = c.parent_lc;
            let found = work.group_of.get(&(ppid, want_name)).and_then(|&g| {
                let range = work.starts[g as usize] as usize..work.starts[g as usize + 1] as usize;
                let rows = &work.members[range];
                let upto = rows.partition_point(|&(t, _)| t <= time);
                rows[..upto]
                    .iter()
                    .rev()
                    .map(|&(_, m)| m)
                    .find(|&m| m as usize != h)
            });
            links[h] = match found {
                // The parent's key is read now, while this host's rows are in cache.
                Some(m) => {
                    linked_by_pid += 1;
                    Link::Data(m, key_of(&recs[m as usize]))
                }
                None => {
                    let lc = if want_name == NONE {
                        unknown
                    } else {
                        want_name
                    };
                    let id = *work.inferred.entry((ppid, lc)).or_insert_with(|| {
                        let shown = if c.parent_shown == NONE {
                            unknown
                        } else {
                            c.parent_shown
                        };
                        let mut parent = slot(NONE, host, shown, c.ppid, Some(0));
                        // The inferred parent's own key (its PID text is the first child's).
                        parent.key = Key::new(lc, c.ppid, Some(0));
                        inferred_procs.push((parent, c.pos));
                        inferred_procs.len() as u32 - 1
                    });
                    Link::Inferred(id)
                }
            };
        }

        // One node per identity (host, key): equal keys have equal 10 µs times, so they are
        // neighbours; inferred parents (time 0) can only equal data rows at time 0.
        let t10 = |c: &Rec| c.time.map(round_10us);
        let mut i = 0;
        while i < host_recs.len() {
            let t = t10(&host_recs[i]);
            let end = i + host_recs[i..].iter().take_while(|c| t10(c) == t).count();
            if end - i > 1 || t == Some(0) {
                work.run.clear();
                for (k, c) in host_recs.iter().enumerate().take(end).skip(i) {
                    let key = key_of(c);
                    if key.is_some() {
                        let first = *work.run.entry(key).or_insert((a + k) as u32);
                        same_as[a + k] = first;
                        if t == Some(0) {
                            work.at_zero.insert(key, first);
                        }
                    }
                }
            }
            i = end;
        }
        if !work.at_zero.is_empty() {
            for &id in work.inferred.values() {
                if let Some(&h) = work.at_zero.get(&inferred_procs[id as usize].0.key) {
                    inferred_procs[id as usize].1 = u32::MAX - h;
                }
            }
        }
        a = b;
    }
    Links {
        links,
        same_as,
        inferred_procs,
        linked_by_id,
        linked_by_pid,
    }
}

/// The nodes: data rows in time order (one per identity), then inferred parents in order of
/// their first child, each with its parent's node and key; and how many duplicate rows
/// collapsed. `n`: the rows in time order before exact duplicates were dropped.
fn assemble(recs: Vec<Rec>, links: Links, n: usize) -> (Vec<Slot>, usize) {
    let Links {
        links,
        same_as,
        inferred_procs,
        ..
    } = links;
    // Nodes: data rows in time order, then inferred parents in order of their first child.
    let mut hosted_at: Vec<u32> = vec![NONE; n];
    for (h, c) in recs.iter().enumerate() {
        hosted_at[c.pos as usize] = h as u32;
    }
    let mut node_of: Vec<u32> = vec![NONE; recs.len()];
    let mut nodes: Vec<Slot> = Vec::with_capacity(recs.len() + inferred_procs.len());
    let mut order: Vec<u32> = Vec::with_capacity(recs.len());
    for &h in hosted_at.iter().filter(|&&h| h != NONE) {
        if same_as[h as usize] == h {
            node_of[h as usize] = nodes.len() as u32;
            let c = &recs[h as usize];
            let mut p = slot(c.row, c.host, c.name, c.pid, c.time);
            p.key = key_of(c);
            let linked = !matches!(links[h as usize], Link::None);
            p.flag = match (p.key.is_some(), linked) {
                (false, true) => Some(crate::proctree::FLAG_MISSING),
                (false, false) => Some(crate::proctree::FLAG_MISSING_ROOT),
                (true, false) if c.ppid_m.is_none() => Some("missing parent id: kept as a root"),
                _ => None,
            };
            nodes.push(p);
            order.push(h);
        }
    }
    drop(hosted_at);
    let is_new = |first: u32| first < n as u32;
    let mut inferred_order: Vec<u32> = (0..inferred_procs.len() as u32)
        .filter(|&id| is_new(inferred_procs[id as usize].1))
        .collect();
    inferred_order.sort_unstable_by_key(|&id| inferred_procs[id as usize].1);
    let duplicates = recs.len() - nodes.len();
    let data_nodes = nodes.len() as u32;
    let mut node_of_inferred: Vec<u32> = vec![NONE; inferred_procs.len()];
    for (k, &id) in inferred_order.iter().enumerate() {
        node_of_inferred[id as usize] = data_nodes + k as u32;
    }
    let target = |link: Link| -> (u32, Key) {
        match link {
            Link::None => (NONE, Key::MISSING),
            Link::Data(m, key) => (node_of[same_as[m as usize] as usize], key),
            Link::Inferred(id) => {
                let (p, first) = &inferred_procs[id as usize];
                let node = if is_new(*first) {
                    node_of_inferred[id as usize]
                } else {
                    node_of[(u32::MAX - first) as usize]
                };
                (node, p.key)
            }
        }
    };
    for (k, &h) in order.iter().enumerate() {
        let (parent, parent_key) = target(links[h as usize]);
        nodes[k].parent_key = parent_key;
        nodes[k].parent = if parent == k as u32 { NONE } else { parent };
    }
    drop((order, links, node_of, node_of_inferred, same_as, recs));
    for &id in &inferred_order {
        nodes.push(inferred_procs[id as usize].0.clone());
    }
    (nodes, duplicates)
}

/// Per-host tables of the generic build, cleared and reused host after host.
#[derive(Default)]
struct HostWork {
    group_of: HashMap<(PidMatch, u32), u32>,
    member_group: Vec<u32>,
    starts: Vec<u32>,
    fill: Vec<u32>,
    /// (time, row in host order) per candidate, grouped, each group in time order.
    members: Vec<(i64, u32)>,
    inferred: HashMap<(PidMatch, u32), u32>,
    run: HashMap<Key, u32>,
    at_zero: HashMap<Key, u32>,
    /// Unique id code → its first row in host order.
    by_guid: HashMap<u32, u32>,
}

impl HostWork {
    fn clear(&mut self) {
        self.group_of.clear();
        self.member_group.clear();
        self.starts.clear();
        self.fill.clear();
        self.members.clear();
        self.inferred.clear();
        self.at_zero.clear();
        self.by_guid.clear();
    }
}

/// Drops rows equal to an earlier row in **every** column (MSTICPy's `drop_duplicates`, done
/// before numbering) and returns how many. `recs` are in time order, so rows sharing name,
/// PID and time are neighbours; only those are compared column by column.
fn drop_exact_duplicates(table: &Table, recs: Vec<Rec>) -> Result<(Vec<Rec>, usize)> {
    let mut clashes: Vec<(usize, usize)> = Vec::new();
    let mut first: HashMap<(u32, PidText), usize> = HashMap::default();
    let mut i = 0;
    while i < recs.len() {
        let mut end = i + 1;
        while end < recs.len() && recs[end].time == recs[i].time && recs[end].host == recs[i].host {
            end += 1;
        }
        if end - i > 1 {
            first.clear();
            for (k, c) in recs.iter().enumerate().take(end).skip(i) {
                match first.entry((c.name_code, c.pid)) {
                    std::collections::hash_map::Entry::Occupied(e) => clashes.push((*e.get(), k)),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(k);
                    }
                }
            }
        }
        i = end;
    }
    if clashes.is_empty() {
        return Ok((recs, 0));
    }
    // Equal codes = equal values, column by column.
    let columns: Vec<Vec<u32>> = table
        .column_names()
        .iter()
        .map(|c| Ok(encode_categories(&table.column(c, "column")?)?.codes))
        .collect::<Result<_>>()?;
    let same = |a: usize, b: usize| {
        let (a, b) = (recs[a].row as usize, recs[b].row as usize);
        columns.iter().all(|c| c[a] == c[b])
    };
    let mut drop = vec![false; recs.len()];
    let mut by_first: HashMap<usize, Vec<usize>> = HashMap::default();
    for (f, k) in clashes {
        let kept = by_first.entry(f).or_default();
        if same(f, k) || kept.iter().any(|&o| same(o, k)) {
            drop[k] = true;
        } else {
            kept.push(k);
        }
    }
    let before = recs.len();
    let recs: Vec<Rec> = recs
        .into_iter()
        .zip(drop)
        .filter_map(|(c, d)| (!d).then_some(c))
        .collect();
    let dropped = before - recs.len();
    Ok((recs, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proctree::build::{Pid, pid_of};

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

    /// A worked example verified with MSTICPy 3.0.2: keys, parent keys and
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
        let got: Vec<(String, String)> = (0..tree.len())
            .map(|i| {
                (
                    tree.proc_key(i)
                        .unwrap()
                        .replace("c:\\windows\\system32\\", "S\\"),
                    tree.path(i),
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
    fn null_pid_is_linked_null_time_is_a_root_and_cycles_terminate() {
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
        // a.exe has no PID but its parent's: linked to an inferred x.exe, flagged all the same.
        assert_eq!((s.processes, s.flagged, s.inferred), (5, 4, 1));
        let a = tree.iter().find(|n| n.name == Some("a.exe")).unwrap();
        assert_eq!(
            (a.depth, a.flag),
            (2, Some("missing process id, name or time"))
        );
        let parent = a.parent.map(|p| tree.node(p));
        assert_eq!(
            parent.map(|p| (p.name, p.inferred)),
            Some((Some("x.exe"), true))
        );
        let b = tree.iter().find(|n| n.name == Some("b.exe")).unwrap();
        assert_eq!(
            (b.depth, b.flag),
            (1, Some("missing process id, name or time: kept as a root"))
        );
        let flags: Vec<&str> = tree.iter().filter_map(|n| n.flag).collect();
        assert_eq!(flags.iter().filter(|f| f.contains("cycle")).count(), 2);
    }

    #[test]
    fn pids_compare_by_value() {
        assert_eq!(pid_of("0x1A4"), pid_of("0x1a4"));
        assert_eq!(pid_of("0x1a4"), pid_of("420"));
        assert_eq!(pid_of("abc"), Pid::Text("abc"));
    }

    #[test]
    fn a_row_naming_itself_as_parent_stays_a_root() {
        // Time 0 and its own PID as parent PID: the parent would be inferred with the row's own
        // key, so it is the row itself, and a process is never its own parent.
        let rows = [[
            "1970-01-01 00:00:00",
            "x.exe",
            "0x5",
            "0x5",
            "X.EXE",
            "4688",
        ]];
        let tree =
            build_process_tree(&windows(&rows), &SchemaChoice::Named("windows".into())).unwrap();
        let s = tree.summary();
        assert_eq!(
            (s.processes, s.roots, s.inferred, s.duplicates_dropped),
            (1, 1, 0, 0)
        );
        assert_eq!(
            tree.proc_key(0).as_deref(),
            Some("x.exe|0x5|1970-01-01 00:00:00.000000")
        );
        assert_eq!(tree.parent_key(0), tree.proc_key(0));
        assert_eq!(tree.parent(0), None);
    }

    #[test]
    fn numeric_pids_are_keyed_in_decimal() {
        // PIDs as integers and as floats (pandas turns integer columns with nulls into
        // floats); the inferred parent's PID comes from the float column.
        let names = [
            "TimeGenerated",
            "NewProcessName",
            "NewProcessId",
            "ProcessId",
            "ParentProcessName",
        ];
        let cols = vec![
            vec![
                t("2024-01-01 10:00:00"),
                t("2024-01-01 10:00:01"),
                t("2024-01-01 10:00:02"),
            ],
            vec![t("a.exe"), t("b.exe"), t("c.exe")],
            vec![Value::Int(256), Value::Int(512), Value::Null],
            vec![
                Value::Number(80.0),
                Value::Number(256.0),
                Value::Number(f64::NAN),
            ],
            vec![t("E.exe"), t("a.exe"), t("a.exe")],
        ];
        let table = Table::from_rows(names.map(String::from).to_vec(), cols).unwrap();
        let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into())).unwrap();
        let keys: Vec<(String, Option<String>)> = (0..tree.len())
            .map(|i| (tree.proc_key(i).unwrap_or_default(), tree.node(i).pid))
            .collect();
        assert_eq!(
            keys,
            [
                // The row without a PID is a root, numbered before the inferred parent.
                (String::new(), None),
                (
                    "e.exe|80|1970-01-01 00:00:00.000000".to_owned(),
                    Some("80".to_owned())
                ),
                (
                    "a.exe|256|2024-01-01 10:00:00.000000".to_owned(),
                    Some("256".to_owned())
                ),
                (
                    "b.exe|512|2024-01-01 10:00:01.000000".to_owned(),
                    Some("512".to_owned())
                ),
            ]
        );
        assert_eq!(
            tree.node(0).flag,
            Some("missing process id, name or time: kept as a root")
        );
    }
}
