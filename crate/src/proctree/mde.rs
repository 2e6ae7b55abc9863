//! The Defender for Endpoint (MDE) build: MSTICPy's `proc_tree_build_mde` (spec §3). Each
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

use super::build::{Pids, check_rows, finish, slot};
use super::intern::{IdColumn, Interner, Key, NONE, PidText, id_column, lower};
use super::schema::ProcSchema;
use super::{ProcessTree, Slot, Summary};
use crate::error::Result;
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
    let [c_name, c_pid, i_name, i_pid, i_time, g_name, g_pid, g_time] = if sentinel {
        [
            "FileName",
            "ProcessId",
            "InitiatingProcessFileName",
            "InitiatingProcessId",
            "InitiatingProcessCreationTime",
            "InitiatingProcessParentFileName",
            "InitiatingProcessParentId",
            "InitiatingProcessParentCreationTime",
        ]
    } else {
        [
            "CreatedProcessName",
            "CreatedProcessId",
            "InitiatingProcessName",
            "InitiatingProcessId",
            "InitiatingProcessCreationTime",
            "InitiatingProcessParentProcessName",
            "InitiatingProcessParentProcessId",
            "InitiatingProcessParentCreationTime",
        ]
    };
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
        column("ProcessCreationTime")?
            .into_iter()
            .zip(fallback)
            .map(|(t, f)| t.or(f).or(Some(0)))
            .collect()
    } else {
        times("CreatedProcessCreationTime")?
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

    // A. Data rows, in input order; the first of equal identities (host, key) is kept.
    let mut ids_of: HashMap<(u32, Key), u32> = HashMap::default();
    ids_of.reserve(rows_in + rows_in / 2);
    let mut nodes: Vec<Slot> = Vec::with_capacity(rows_in + rows_in / 4);
    let mut first_row: Vec<u32> = Vec::with_capacity(rows_in);
    for r in 0..rows_in {
        let mut p = slot(
            r as u32,
            host(r),
            GenerationIds::at(&c_ids.name, r),
            c_ids.pid(r),
            created.time[r],
        );
        p.key = c_ids.key(r, created.time[r]);
        p.parent_key = i_ids.key(r, init.time[r]);
        if p.key.is_some() {
            let next = nodes.len() as u32;
            if *ids_of.entry((p.host, p.key)).or_insert(next) != next {
                continue; // a duplicate
            }
        } else {
            p.flag = Some("missing process id, name or time: kept as a root");
        }
        nodes.push(p);
        first_row.push(r as u32);
    }
    let data = nodes.len();
    let duplicates = rows_in - data;

    // B + C. Parents by key: a data row, or one inferred from the first child's Initiating*
    // columns (provisional index `data + k`).
    let mut parents: Vec<(Slot, u32)> = Vec::new();
    for (i, r) in first_row.iter().enumerate() {
        let (host, want) = (nodes[i].host, nodes[i].parent_key);
        if !want.is_some() {
            continue;
        }
        let r = *r as usize;
        let next = (data + parents.len()) as u32;
        let found = *ids_of.entry((host, want)).or_insert(next);
        if found == next {
            let mut parent = slot(
                NONE,
                host,
                GenerationIds::at(&i_ids.name, r),
                i_ids.pid(r),
                init.time[r],
            );
            parent.key = want;
            parent.parent_key = g_ids.key(r, grand.time[r]);
            parents.push((parent, r as u32));
        }
        if found as usize != i {
            nodes[i].parent = found;
        }
    }
    drop(first_row);
    // Inferred parents in creation-time order (stable).
    let mut by_time: Vec<u32> = (0..parents.len() as u32).collect();
    by_time.sort_by_key(|&k| parents[k as usize].0.time);
    let mut renumber = vec![0u32; parents.len()];
    for (pos, &k) in by_time.iter().enumerate() {
        renumber[k as usize] = (data + pos) as u32;
    }
    // Provisional parent indexes → final ones (`ids_of` keeps the provisional ones).
    let inferred = data..data + renumber.len();
    let fix = |p: u32| {
        if inferred.contains(&(p as usize)) {
            renumber[p as usize - data]
        } else {
            p
        }
    };
    for node in &mut nodes {
        node.parent = fix(node.parent);
    }
    let mut parent_rows: Vec<u32> = Vec::with_capacity(parents.len());
    let mut slots: Vec<Option<(Slot, u32)>> = parents.into_iter().map(Some).collect();
    for &k in &by_time {
        if let Some((p, r)) = slots[k as usize].take() {
            nodes.push(p);
            parent_rows.push(r);
        }
    }
    drop((slots, by_time));

    // D. Grandparents by key: known, or inferred from the parents' InitiatingProcessParent*
    // columns.
    for (k, &r) in parent_rows.iter().enumerate() {
        let i = data + k;
        let (host, want) = (nodes[i].host, nodes[i].parent_key);
        if !want.is_some() {
            continue;
        }
        let r = r as usize;
        let next = nodes.len() as u32;
        let found = fix(*ids_of.entry((host, want)).or_insert(next));
        if found == next {
            let mut g = slot(
                NONE,
                host,
                GenerationIds::at(&g_ids.name, r),
                g_ids.pid(r),
                grand.time[r],
            );
            g.key = want;
            nodes.push(g);
        }
        if found as usize != i {
            nodes[i].parent = found;
        }
    }
    drop(ids_of);
    Ok(finish(
        nodes,
        interner.finish(),
        schema,
        schema_name,
        Summary {
            rows_in,
            duplicates_dropped: duplicates,
            ..Summary::default()
        },
    ))
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
