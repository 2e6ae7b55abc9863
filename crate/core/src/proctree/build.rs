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

use crate::hash::HashMap;

use super::intern::{
    IdColumn, Interner, Key, NONE, PidText, Strings, id_column, lowered, round_10us,
};
use super::schema::ProcSchema;
use super::{ProcessTree, Slot, Summary};
use crate::error::{Error, Result};
use crate::table::{
    Categories, Column, IdCell, Table, encode_categories, for_each_id, timestamps_ns,
};

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
    let micros = round_10us(ns) * 10;
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

/// A time as MSTICPy's process keys print it: `YYYY-MM-DD HH:MM:SS.ffffff`, rounded to 10 µs
/// (ties to even, as pandas `dt.round("10us")`).
pub fn key_time(ns: i64) -> String {
    let mut out = String::with_capacity(26);
    push_key_time(&mut out, ns);
    out
}

/// A process before linking: a data row or an inferred parent, all text as string ids.
pub(super) fn slot(row: u32, host: u32, name: u32, pid: PidText, time: Option<i64>) -> Slot {
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
pub(super) fn check_rows(rows: usize) -> Result<()> {
    if rows >= NONE as usize / 2 {
        return Err(Error::invalid_table(format!(
            "{rows} rows is more than a process tree can hold (2^31)"
        )));
    }
    Ok(())
}

/// A PID column read row by row, with no string per value: how each PID matches (by value)
/// and its text as shown and (MDE) lower-cased for keys.
pub(super) struct Pids {
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
                    let k = match super::intern::lower(text) {
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
pub(super) enum PidMatch {
    Num(u64),
    Text(u32),
}

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
pub fn build_generic(table: &Table, schema: &ProcSchema, schema_name: &str) -> Result<ProcessTree> {
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
    table.load(&wanted.iter().map(|c| c.as_str()).collect::<Vec<_>>())?;
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
    let recs = placed;
    drop(by_time);

    // MSTICPy drops rows equal in every column; only rows with the same host, name, PID and
    // time can be, and those are neighbours now.
    let (recs, exact_duplicates) = drop_exact_duplicates(table, recs)?;

    let with_names = parent_names.is_some();
    let key_of = |c: &Rec| Key::new(c.name_lc, c.pid, c.time);
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
    drop(work);

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
                (false, true) => Some(super::FLAG_MISSING),
                (false, false) => Some(super::FLAG_MISSING_ROOT),
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
            linked_by_id,
            linked_by_pid,
            ..Summary::default()
        },
    ))
}

/// Per row, the code of its unique process id and the code of its parent's (the code of the
/// process with that id, case aside), `NONE` where missing or matching no row; `None` without
/// both columns.
pub(super) fn guid_codes(
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

/// A data row's parent, as found.
#[derive(Debug, Clone, Copy)]
enum Link {
    None,
    /// Another data row (index in host order) and its key.
    Data(u32, Key),
    /// An inferred parent (its id).
    Inferred(u32),
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

/// Flags, depths and the final order (spec §2.4–§2.7) of de-duplicated nodes in source order
/// whose `parent` links are set; `summary` brings the input counts.
pub(super) fn finish(
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
