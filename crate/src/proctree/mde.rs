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

use rustc_hash::FxHashSet;

use super::ProcessTree;
use super::build::{Proc, link, make_key};
use super::schema::ProcSchema;
use crate::error::Result;
use crate::table::{Categories, Table, encode_categories, timestamps_ns};

/// The name, PID and creation-time columns of one generation (`None`: not in the table).
struct Generation {
    name: Option<Categories>,
    pid: Option<Categories>,
    time: Vec<Option<i64>>,
}

impl Generation {
    fn name(&self, r: usize) -> Option<&str> {
        self.name.as_ref()?.get(r)
    }

    fn pid(&self, r: usize) -> Option<&str> {
        self.pid.as_ref()?.get(r)
    }
}

/// MSTICPy's MDE key: `lower(name)|lower(pid)|time` (time as in [`super::key_time`]).
fn mde_key(name: Option<&str>, pid: Option<&str>, time: Option<i64>) -> Option<String> {
    Some(make_key(&name?.to_lowercase(), &pid?.to_lowercase(), time?))
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
    let generation = |name: &str, pid: &str, time: &str| -> Result<Generation> {
        Ok(Generation {
            name: cat(name, "process name")?,
            pid: cat(pid, "process id")?,
            time: times(time)?,
        })
    };
    let created = Generation {
        name: cat(c_name, "process_name")?,
        pid: cat(c_pid, "process_id")?,
        time: created_time,
    };
    let mut init = generation(i_name, i_pid, i_time)?;
    if sentinel && let Some(names) = &mut init.name {
        for label in &mut names.labels {
            if label.is_empty() {
                "unknown".clone_into(label);
            }
        }
    }
    let grand = generation(g_name, g_pid, g_time)?;
    let hosts = match schema.host_name_column.as_deref() {
        Some(c) => cat(c, "host_name_column")?,
        None => None,
    };
    let host = |r: usize| hosts.as_ref().and_then(|h| h.get(r));

    // A. Data rows, in input order.
    let mut procs: Vec<Proc<'_>> = (0..rows_in)
        .map(|r| {
            let key = mde_key(created.name(r), created.pid(r), created.time[r]);
            Proc {
                row: Some(r),
                host: host(r),
                name: created.name(r),
                pid: created.pid(r),
                time: created.time[r],
                parent_key: mde_key(init.name(r), init.pid(r), init.time[r]),
                flag: key
                    .is_none()
                    .then_some("missing process id, name or time: kept as a root"),
                key,
            }
        })
        .collect();
    // Identities already present, borrowed from the rows' own keys (no copy per row).
    let mut known: FxHashSet<(Option<&str>, &str)> = procs
        .iter()
        .filter_map(|p| Some((p.host, p.key.as_deref()?)))
        .collect();

    // B + C. Missing parents, from each child's Initiating* columns: one per key, in creation
    // time order.
    let mut parents: Vec<(Proc<'_>, usize)> = Vec::new();
    for (r, child) in procs.iter().enumerate() {
        let Some(key) = child.parent_key.as_deref() else {
            continue;
        };
        if !known.insert((child.host, key)) {
            continue;
        }
        let parent = Proc {
            row: None,
            host: child.host,
            name: init.name(r),
            pid: init.pid(r),
            time: init.time[r],
            parent_key: mde_key(grand.name(r).map(basename), grand.pid(r), grand.time[r]),
            flag: None,
            key: Some(key.to_owned()),
        };
        parents.push((parent, r));
    }
    parents.sort_by_key(|(p, _)| p.time);

    // D. Missing grandparents, from the inferred parents' grandparent columns.
    let mut grandparents: Vec<Proc<'_>> = Vec::new();
    for (p, r) in &parents {
        let Some(key) = p.parent_key.as_deref() else {
            continue;
        };
        if !known.insert((p.host, key)) {
            continue;
        }
        grandparents.push(Proc {
            row: None,
            host: p.host,
            name: grand.name(*r).map(basename),
            pid: grand.pid(*r),
            time: grand.time[*r],
            parent_key: None,
            flag: None,
            key: Some(key.to_owned()),
        });
    }
    drop(known);
    procs.extend(parents.into_iter().map(|(p, _)| p));
    procs.extend(grandparents);
    Ok(link(procs, schema, schema_name, rows_in, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lowercase_the_pid() {
        let t = 1_636_601_188_109_885_000;
        let key = mde_key(Some("WinInit.exe"), Some("0xABC"), Some(t)).unwrap();
        assert_eq!(key, "wininit.exe|0xabc|2021-11-11 03:26:28.109880");
        assert_eq!(
            basename("c:\\windows\\system32\\services.exe"),
            "services.exe"
        );
        assert_eq!(mde_key(None, Some("1"), Some(0)), None);
    }
}
