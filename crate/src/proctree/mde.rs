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

use rustc_hash::FxHashMap;

use super::ProcessTree;
use super::build::{Proc, link};
use super::schema::ProcSchema;
use crate::error::Result;
use crate::table::{Table, text_values, timestamps_ns};

/// The name, PID and creation-time columns of one generation.
struct Generation {
    name: Vec<Option<String>>,
    pid: Vec<Option<String>>,
    time: Vec<Option<i64>>,
}

/// MSTICPy's MDE key: `lower(name)|lower(pid)|time` (time as in [`super::key_time`]).
fn mde_key(name: Option<&str>, pid: Option<&str>, time: Option<i64>) -> Option<String> {
    Some(format!(
        "{}|{}|{}",
        name?.to_lowercase(),
        pid?.to_lowercase(),
        super::key_time(time?)
    ))
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
    let has = |c: &str| table.schema().index_of(c).is_ok();
    let text =
        |c: &str, role| -> Result<Vec<Option<String>>> { text_values(&table.column(c, role)?) };
    let times = |c: &str, role| -> Result<Vec<Option<i64>>> {
        let mut t = timestamps_ns(&table.column(c, role)?)?;
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
    // Created time: the real creation time; Sentinel data falls back to the event Timestamp.
    let created_time = {
        let primary = if sentinel {
            "ProcessCreationTime"
        } else {
            "CreatedProcessCreationTime"
        };
        let mut t = if has(primary) {
            timestamps_ns(&table.column(primary, "time_stamp")?)?
        } else {
            vec![None; table.num_rows()]
        };
        if sentinel && has(&schema.time_stamp) {
            let fallback = timestamps_ns(&table.column(&schema.time_stamp, "time_stamp")?)?;
            for (v, f) in t.iter_mut().zip(fallback) {
                *v = v.or(f).or(Some(0));
            }
        }
        t
    };
    let created = Generation {
        name: text(c_name, "process_name")?,
        pid: text(c_pid, "process_id")?,
        time: created_time,
    };
    let mut init = Generation {
        name: text(i_name, "parent_name")?,
        pid: text(i_pid, "parent_id")?,
        time: times(i_time, "InitiatingProcessCreationTime")?,
    };
    if sentinel {
        for n in init.name.iter_mut().flatten() {
            if n.is_empty() {
                "unknown".clone_into(n);
            }
        }
    }
    let optional_gen = |name: &str, pid: &str, time: &str| -> Result<Generation> {
        let n = table.num_rows();
        Ok(Generation {
            name: if has(name) {
                text(name, "grandparent name")?
            } else {
                vec![None; n]
            },
            pid: if has(pid) {
                text(pid, "grandparent id")?
            } else {
                vec![None; n]
            },
            time: if has(time) {
                times(time, "grandparent time")?
            } else {
                vec![None; n]
            },
        })
    };
    let grand = optional_gen(g_name, g_pid, g_time)?;
    let host_col = schema.host_name_column.as_deref().filter(|c| has(c));
    let hosts = match host_col {
        Some(c) => text(c, "host_name_column")?,
        None => vec![None; table.num_rows()],
    };
    let rows_in = table.num_rows();

    // A. Data rows, in input order.
    let mut procs: Vec<Proc> = (0..rows_in)
        .map(|r| {
            let key = mde_key(
                created.name[r].as_deref(),
                created.pid[r].as_deref(),
                created.time[r],
            );
            Proc {
                row: Some(r),
                host: hosts[r].clone(),
                name: created.name[r].clone(),
                name_lc: created.name[r].as_ref().map(|n| n.to_lowercase()),
                pid: created.pid[r].clone(),
                time: created.time[r],
                parent_key: mde_key(
                    init.name[r].as_deref(),
                    init.pid[r].as_deref(),
                    init.time[r],
                ),
                flag: key
                    .is_none()
                    .then_some("missing process id, name or time: kept as a root"),
                key_override: Some(key),
            }
        })
        .collect();
    let mut known: FxHashMap<(Option<String>, String), ()> = procs
        .iter()
        .filter_map(|p| Some(((p.host.clone(), p.key_override.clone()??), ())))
        .collect();

    // B + C. Missing parents, from each child's Initiating* columns: one per key, in creation
    // time order.
    let mut parents: Vec<(Proc, usize)> = Vec::new();
    for r in 0..rows_in {
        let Some(key) = procs[r].parent_key.clone() else {
            continue;
        };
        let id = (hosts[r].clone(), key.clone());
        if known.contains_key(&id) {
            continue;
        }
        known.insert(id, ());
        let gp_name = grand.name[r].as_deref().map(basename);
        let parent = Proc {
            row: None,
            host: hosts[r].clone(),
            name: init.name[r].clone(),
            name_lc: init.name[r].as_ref().map(|n| n.to_lowercase()),
            pid: init.pid[r].clone(),
            time: init.time[r],
            parent_key: mde_key(gp_name, grand.pid[r].as_deref(), grand.time[r]),
            flag: None,
            key_override: Some(Some(key)),
        };
        parents.push((parent, r));
    }
    parents.sort_by_key(|(p, _)| p.time);

    // D. Missing grandparents, from the inferred parents' grandparent columns.
    let mut grandparents: Vec<Proc> = Vec::new();
    for (p, r) in &parents {
        let Some(key) = p.parent_key.clone() else {
            continue;
        };
        let id = (p.host.clone(), key.clone());
        if known.contains_key(&id) {
            continue;
        }
        known.insert(id, ());
        let name = grand.name[*r].as_deref().map(basename);
        grandparents.push(Proc {
            row: None,
            host: p.host.clone(),
            name: name.map(str::to_owned),
            name_lc: name.map(str::to_lowercase),
            pid: grand.pid[*r].clone(),
            time: grand.time[*r],
            parent_key: None,
            flag: None,
            key_override: Some(Some(key)),
        });
    }
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
