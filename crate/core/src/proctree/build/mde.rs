//! The Defender for Endpoint (MDE) build: MSTICPy's `proc_tree_build_mde`. Each
//! MDE row describes three generations — the created process, its initiating (parent) process
//! and that one's parent (grandparent) — and the tree comes from exact key matches between
//! them, not from time. Parents and grandparents missing from the data are inferred from the
//! children's `InitiatingProcess*` columns.
//!
//! Differences from MSTICPy, on purpose: the caller's data is never modified (MSTICPy mutates
//! its DataFrame, so calling twice strips `InitiatingProcessFolderPath` twice); data rows are
//! keyed by `ProcessCreationTime` (MSTICPy overwrites it with the event `Timestamp`; huntkit
//! falls back to `Timestamp` only where the creation time is missing — equal on MSTICPy's test
//! data); parents are matched within a device; null names, PIDs or times give flagged roots
//! instead of crashes.

use std::borrow::Cow;

use crate::hash::HashMap;

use super::{Pids, check_rows, finish, guid_codes, slot};
use crate::error::Result;
use crate::proctree::intern::{IdColumn, Interner, Key, NONE, PidText, id_column, lower};
use crate::proctree::schema::{MDE_INTERNAL, MDE_SENTINEL, ProcSchema};
use crate::proctree::{ProcessTree, Slot, Summary};
use crate::table::{Categories, Column, Table, encode_categories, timestamps_ns};

/// The name, PID and creation-time columns of one generation (`None`: not in the table).
struct Generation<'t> {
    name: Option<Categories>,
    pid: Option<Column<'t>>,
    time: Vec<Option<i64>>,
}

/// A generation's text as string ids: names and PIDs as shown, and as keyed (lower-cased).
struct GenerationIds<'c> {
    name: Option<IdColumn<'c>>,
    name_key: Option<IdColumn<'c>>,
    pid: Option<Pids>,
}

impl GenerationIds<'_> {
    fn at(column: &Option<IdColumn<'_>>, r: usize) -> u32 {
        column.as_ref().map_or(NONE, |c| c.at(r))
    }

    /// MSTICPy's MDE key of row `r`: `lower(name)|lower(pid)|time`.
    fn key(&self, r: usize, time: Option<i64>) -> Key {
        let pid = self.pid.as_ref().map_or(PidText::NONE, |p| p.key(r));
        Key::new(Self::at(&self.name_key, r), pid, time)
    }

    /// Row `r`'s PID as shown.
    fn pid(&self, r: usize) -> PidText {
        self.pid.as_ref().map_or(PidText::NONE, |p| p.shown[r])
    }
}

/// Labels as shown (`shown`) and lower-cased for keys, per generation column.
struct Texts<'c> {
    shown: Vec<Cow<'c, str>>,
    keyed: Vec<Cow<'c, str>>,
}

impl<'c> Texts<'c> {
    fn new(c: &'c Option<Categories>, shown: impl Fn(&'c str) -> &'c str) -> Option<Self> {
        let c = c.as_ref()?;
        let keyed = c.labels.iter().map(|l| lower(shown(l))).collect();
        let shown = c.labels.iter().map(|l| Cow::Borrowed(shown(l))).collect();
        Some(Texts { shown, keyed })
    }
}

/// The last `\`-separated component (MDE parent names may be paths).
fn basename(name: &str) -> &str {
    name.rsplit('\\').next().unwrap_or(name)
}

/// Builds the tree of MDE `DeviceProcessEvents` rows, in the Sentinel/M365D schema
/// (`sentinel = true`: `FileName`, `ProcessId`, `InitiatingProcessFileName`, …) or MDE's
/// internal one (`CreatedProcessName`, `CreatedProcessId`, `InitiatingProcessName`, …).
pub fn build_mde(
    table: &Table,
    schema: &ProcSchema,
    schema_name: &str,
    sentinel: bool,
) -> Result<ProcessTree> {
    let rows_in = table.num_rows();
    check_rows(rows_in)?;
    let has = |c: &str| table.schema().index_of(c).is_ok();
    let cat = |c: &str, role| -> Result<Option<Categories>> {
        if has(c) {
            Ok(Some(encode_categories(&table.column(c, role)?)?))
        } else {
            Ok(None)
        }
    };
    let times = |c: &str| -> Result<Vec<Option<i64>>> {
        if !has(c) {
            return Ok(vec![None; rows_in]);
        }
        let mut t = timestamps_ns(&table.column(c, "creation time")?)?;
        if sentinel {
            // MSTICPy fills missing Sentinel creation times with 1970-01-01.
            for v in &mut t {
                v.get_or_insert(0);
            }
        }
        Ok(t)
    };
    let cols = if sentinel { MDE_SENTINEL } else { MDE_INTERNAL };
    let [c_name, c_pid, i_name, i_pid, i_time, g_name, g_pid, g_time] = [
        cols.created_name,
        cols.created_pid,
        cols.initiating_name,
        cols.initiating_pid,
        cols.initiating_time,
        cols.grandparent_name,
        cols.grandparent_pid,
        cols.grandparent_time,
    ];
    // Everything read below, in one pass over an IPC input.
    let mut wanted = vec![c_name, c_pid, i_name, i_pid, i_time, g_name, g_pid, g_time];
    wanted.extend([cols.created_time, &schema.time_stamp]);
    wanted.extend(schema.host_name_column.as_deref());
    super::load(table, &wanted)?;
    // Created time: the real creation time; Sentinel data falls back to the event Timestamp,
    // then (as MSTICPy) to 1970-01-01.
    let created_time = if sentinel {
        let column = |c: &str| -> Result<Vec<Option<i64>>> {
            if has(c) {
                timestamps_ns(&table.column(c, "time_stamp")?)
            } else {
                Ok(vec![None; rows_in])
            }
        };
        let fallback = column(&schema.time_stamp)?;
        column(cols.created_time)?
            .into_iter()
            .zip(fallback)
            .map(|(t, f)| t.or(f).or(Some(0)))
            .collect()
    } else {
        times(cols.created_time)?
    };
    let pid_column = |c: &str, role| -> Result<Option<Column<'_>>> {
        has(c).then(|| table.column(c, role)).transpose()
    };
    let generation = |name: &str, pid: &str, time: &str| -> Result<Generation<'_>> {
        Ok(Generation {
            name: cat(name, "process name")?,
            pid: pid_column(pid, "process id")?,
            time: times(time)?,
        })
    };
    let created = Generation {
        name: cat(c_name, "process_name")?,
        pid: pid_column(c_pid, "process_id")?,
        time: created_time,
    };
    let init = generation(i_name, i_pid, i_time)?;
    let grand = generation(g_name, g_pid, g_time)?;
    let hosts = match schema.host_name_column.as_deref() {
        Some(c) => cat(c, "host_name_column")?,
        None => None,
    };

    // Per distinct value: text as shown and as keyed. Sentinel initiating names that are empty
    // are "unknown" (as MSTICPy fills them); grandparent names are reduced to their basename.
    fn same(l: &str) -> &str {
        l
    }
    let texts = [
        (Texts::new(&created.name, same), &created.name, &created.pid),
        (
            Texts::new(&init.name, |l| {
                if sentinel && l.is_empty() {
                    "unknown"
                } else {
                    l
                }
            }),
            &init.name,
            &init.pid,
        ),
        (Texts::new(&grand.name, basename), &grand.name, &grand.pid),
    ];
    let mut interner = Interner::default();
    let host_ids = hosts
        .as_ref()
        .map(|h| id_column(&mut interner, h, &h.labels));
    let mut ids: Vec<GenerationIds<'_>> = Vec::with_capacity(3);
    for (name_text, name_cats, pid_column) in &texts {
        ids.push(GenerationIds {
            // Shown text is stored as is; keyed text is interned, so equal keys get equal ids.
            name: name_text
                .as_ref()
                .zip(name_cats.as_ref())
                .map(|(t, c)| IdColumn {
                    codes: &c.codes,
                    ids: interner.raw(&t.shown),
                }),
            name_key: name_text
                .as_ref()
                .zip(name_cats.as_ref())
                .map(|(t, c)| id_column(&mut interner, c, &t.keyed)),
            // PIDs row by row, lower-cased for keys.
            pid: pid_column
                .as_ref()
                .map(|c| Pids::read(c, &mut interner, true))
                .transpose()?,
        });
    }
    let [c_ids, i_ids, g_ids] = &ids[..] else {
        unreachable!("three generations");
    };
    let host = |r: usize| host_ids.as_ref().map_or(NONE, |h| h.at(r));
    let guid_column = schema.process_guid.as_deref().filter(|c| has(c));
    let parent_guid_column = schema.parent_guid.as_deref().filter(|c| has(c));
    let guids = guid_codes(table, guid_column, parent_guid_column)?;
    let mut by_guid: HashMap<u32, u32> = HashMap::default();
    let (mut linked_by_id, mut linked_by_pid) = (0, 0);

    // Work host by host (input order within a host): keys are matched within a host, so each
    // host's identity table is small and stays in cache.
    let mut by_host: Vec<u64> = (0..rows_in)
        .map(|r| (u64::from(host(r)) << 32) | r as u64)
        .collect();
    by_host.sort_unstable();
    let mut kept = vec![false; rows_in];
    let mut links: Vec<Ref> = vec![Ref::None; rows_in];
    // Inferred parents: (slot, first child row, parent link); grandparents: (slot, creator).
    let mut parents: Vec<(Slot, u32, Ref)> = Vec::new();
    let mut grands: Vec<(Slot, u32)> = Vec::new();
    let mut ids_of: HashMap<Key, Ref> = HashMap::default();
    let mut host_parents: Vec<u32> = Vec::new();
    let mut a = 0;
    while a < rows_in {
        let h = (by_host[a] >> 32) as u32;
        let b = a + by_host[a..]
            .iter()
            .take_while(|&&k| (k >> 32) as u32 == h)
            .count();
        let rows = || by_host[a..b].iter().map(|&k| (k & 0xffff_ffff) as usize);
        ids_of.clear();
        by_guid.clear();
        // A. Data rows; the first of equal identities (host, key) is kept.
        for r in rows() {
            let key = c_ids.key(r, created.time[r]);
            kept[r] = !key.is_some()
                || *ids_of.entry(key).or_insert(Ref::Row(r as u32)) == Ref::Row(r as u32);
            if let Some((own, _)) = &guids
                && kept[r]
                && own[r] != NONE
            {
                by_guid.entry(own[r]).or_insert(r as u32);
            }
        }
        // B + C. Parents by key: a data row, or one inferred from the first child's
        // Initiating* columns.
        host_parents.clear();
        for r in rows().filter(|&r| kept[r]) {
            // The initiating process's unique id names its row exactly.
            if let Some((_, parent)) = &guids
                && let Some(&m) = by_guid.get(&parent[r])
                && m as usize != r
            {
                links[r] = Ref::Row(m);
                linked_by_id += 1;
                continue;
            }
            let want = i_ids.key(r, init.time[r]);
            if !want.is_some() {
                continue;
            }
            let next = Ref::Parent(parents.len() as u32);
            let found = *ids_of.entry(want).or_insert(next);
            if found == next {
                let mut parent = slot(
                    NONE,
                    h,
                    GenerationIds::at(&i_ids.name, r),
                    i_ids.pid(r),
                    init.time[r],
                );
                parent.key = want;
                parent.parent_key = g_ids.key(r, grand.time[r]);
                host_parents.push(parents.len() as u32);
                parents.push((parent, r as u32, Ref::None));
            }
            if matches!(found, Ref::Row(_)) {
                linked_by_pid += 1;
            }
            links[r] = found;
        }
        // D. Grandparents by key, the host's parents taken in creation-time order.
        host_parents.sort_by_key(|&k| parents[k as usize].0.time);
        for &k in &host_parents {
            let (want, r) = (
                parents[k as usize].0.parent_key,
                parents[k as usize].1 as usize,
            );
            if !want.is_some() {
                continue;
            }
            let next = Ref::Grand(grands.len() as u32);
            let found = *ids_of.entry(want).or_insert(next);
            if found == next {
                let mut g = slot(
                    NONE,
                    h,
                    GenerationIds::at(&g_ids.name, r),
                    g_ids.pid(r),
                    grand.time[r],
                );
                g.key = want;
                grands.push((g, k));
            }
            parents[k as usize].2 = found;
        }
        a = b;
    }
    drop((by_host, ids_of, host_parents));

    // Nodes: data rows in input order, inferred parents in creation-time order (stable),
    // then grandparents in the order of the parents that named them.
    let mut node_of_row = vec![NONE; rows_in];
    let mut nodes: Vec<Slot> = Vec::with_capacity(rows_in + parents.len() + grands.len());
    for r in (0..rows_in).filter(|&r| kept[r]) {
        node_of_row[r] = nodes.len() as u32;
        let mut p = slot(
            r as u32,
            host(r),
            GenerationIds::at(&c_ids.name, r),
            c_ids.pid(r),
            created.time[r],
        );
        p.key = c_ids.key(r, created.time[r]);
        p.parent_key = i_ids.key(r, init.time[r]);
        if !p.key.is_some() {
            p.flag = Some(crate::proctree::FLAG_MISSING_ROOT);
        }
        nodes.push(p);
    }
    let duplicates = rows_in - nodes.len();
    let mut parent_order: Vec<u32> = (0..parents.len() as u32).collect();
    parent_order.sort_by_key(|&k| (parents[k as usize].0.time, parents[k as usize].1));
    let mut node_of_parent = vec![NONE; parents.len()];
    for (i, &k) in parent_order.iter().enumerate() {
        node_of_parent[k as usize] = (nodes.len() + i) as u32;
    }
    let mut grand_order: Vec<u32> = (0..grands.len() as u32).collect();
    grand_order.sort_by_key(|&g| node_of_parent[grands[g as usize].1 as usize]);
    let first_grand = nodes.len() + parents.len();
    let mut node_of_grand = vec![NONE; grands.len()];
    for (i, &g) in grand_order.iter().enumerate() {
        node_of_grand[g as usize] = (first_grand + i) as u32;
    }
    let node = |link: Ref| match link {
        Ref::None => NONE,
        Ref::Row(r) => node_of_row[r as usize],
        Ref::Parent(k) => node_of_parent[k as usize],
        Ref::Grand(g) => node_of_grand[g as usize],
    };
    let not_self = |parent: u32, me: usize| if parent as usize == me { NONE } else { parent };
    for (i, p) in nodes.iter_mut().enumerate() {
        let r = p.row as usize;
        p.parent = not_self(node(links[r]), i);
        if p.parent != NONE && p.flag == Some(crate::proctree::FLAG_MISSING_ROOT) {
            // Its parent is known (the initiating process): flagged, but not a root.
            p.flag = Some(crate::proctree::FLAG_MISSING);
        }
    }
    for &k in &parent_order {
        let (mut p, _, link) = parents[k as usize].clone();
        p.parent = not_self(node(link), nodes.len());
        nodes.push(p);
    }
    for &g in &grand_order {
        nodes.push(grands[g as usize].0.clone());
    }
    drop((
        links,
        node_of_row,
        node_of_parent,
        node_of_grand,
        parents,
        grands,
        kept,
    ));
    Ok(finish(
        nodes,
        interner.finish(),
        schema,
        schema_name,
        Summary {
            rows_in,
            duplicates_dropped: duplicates,
            linked_by_id,
            linked_by_pid,
            ..Summary::default()
        },
    ))
}

/// What an MDE key names: a data row, an inferred parent or an inferred grandparent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ref {
    None,
    Row(u32),
    Parent(u32),
    Grand(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basenames() {
        assert_eq!(
            basename("c:\\windows\\system32\\services.exe"),
            "services.exe"
        );
        assert_eq!(basename("services.exe"), "services.exe");
    }
}
