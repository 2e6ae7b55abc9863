//! Parity with MSTICPy 3.0.2's `build_process_tree` on its own test data (generic path): the
//! same counts and the same parent→child links keyed by process key, for the five Windows,
//! Linux and minimal-schema goldens (tests/golden/proctree, computed by
//! MSTICPy 3.0.2). Links are compared, not path strings: pandas
//! sorts equal timestamps unstably, so MSTICPy's numbering differs on ties.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use huntkit::proctree::{EventId, ProcSchema, SchemaChoice, build_process_tree};
use huntkit::table::read_ipc;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema_of(v: &Value) -> ProcSchema {
    let s = |k: &str| v[k].as_str().map(str::to_owned);
    ProcSchema {
        process_name: s("process_name").unwrap(),
        process_id: s("process_id").unwrap(),
        parent_id: s("parent_id").unwrap(),
        time_stamp: s("time_stamp").unwrap(),
        cmd_line: s("cmd_line"),
        path_separator: s("path_separator").unwrap_or_else(|| "\\".into()),
        user_name: s("user_name"),
        logon_id: s("logon_id"),
        host_name_column: s("host_name_column"),
        parent_name: s("parent_name"),
        target_logon_id: s("target_logon_id"),
        user_id: s("user_id"),
        event_id_column: s("event_id_column"),
        event_id_identifier: match &v["event_id_identifier"] {
            Value::Number(n) => Some(EventId::Int(n.as_i64().unwrap())),
            Value::String(t) => Some(EventId::Text(t.clone())),
            _ => None,
        },
        process_guid: s("process_guid"),
        parent_guid: s("parent_guid"),
        builder: huntkit::proctree::Builder::Generic,
    }
}

fn check(case: &str, choice_from_call: bool) {
    let dir = repo().join("tests/golden/proctree");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{case}.summary.json"))).unwrap(),
    )
    .unwrap();
    let dataset = summary["dataset"].as_str().unwrap();
    let table =
        read_ipc(std::fs::read(repo().join(format!("tests/fixtures/{dataset}.arrow"))).unwrap())
            .unwrap();
    let choice = if choice_from_call {
        SchemaChoice::Auto
    } else {
        SchemaChoice::Custom(Box::new(schema_of(&summary["schema_used"])))
    };
    let tree = build_process_tree(&table, &choice).unwrap();
    let s = tree.summary();
    let got = (
        s.processes,
        s.roots,
        s.leaves,
        s.branches,
        s.isolated,
        s.max_depth,
        s.inferred,
    );
    let want = (
        summary["rows_out"].as_u64().unwrap() as usize,
        summary["roots"].as_u64().unwrap() as usize,
        summary["leaves"].as_u64().unwrap() as usize,
        summary["branches"].as_u64().unwrap() as usize,
        summary["isolated"].as_u64().unwrap() as usize,
        summary["max_depth"].as_u64().unwrap() as usize,
        summary["inferred_parents"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        got, want,
        "{case}: (processes, roots, leaves, branches, isolated, depth, inferred)"
    );
    assert_eq!(s.duplicates_dropped, 0, "{case}");
    assert_eq!(s.flagged, 0, "{case}");

    let csv = std::fs::read_to_string(dir.join(format!("{case}.core.csv"))).unwrap();
    let want_links: BTreeSet<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap().to_owned(), f.next().unwrap().to_owned())
        })
        .collect();
    let got_links: BTreeSet<(String, String)> = (0..tree.len())
        .map(|i| {
            (
                tree.proc_key(i).unwrap(),
                tree.parent_key(i).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(want_links.len(), want.0, "{case}: golden rows");
    let missing: Vec<_> = want_links.difference(&got_links).take(3).collect();
    let extra: Vec<_> = got_links.difference(&want_links).take(3).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{case}: links differ\n missing {missing:?}\n extra {extra:?}"
    );
    let inferred: BTreeSet<String> = summary["inferred_proc_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    let got_inferred: BTreeSet<String> = (0..tree.len())
        .filter(|&i| tree.node(i).inferred)
        .map(|i| tree.proc_key(i).unwrap())
        .collect();
    assert_eq!(got_inferred, inferred, "{case}: inferred parents");
}

#[test]
fn win_proc_test_inferred_schema() {
    check("win_proc_test", true);
}

#[test]
fn win_proc_test_without_logon_id() {
    check("win_proc_test__no_logon_id", false);
}

#[test]
fn linux_proc_test_inferred_schema() {
    check("linux_proc_test", true);
}

#[test]
fn winproctree_minimal_six_fields() {
    check("winproctree_minimal", false);
}

#[test]
fn winproctree_minimal_four_columns() {
    check("winproctree_minimal__4col_schema", false);
}

/// The output table: every input column (null on inferred rows) plus the tree columns, in tree
/// order; rows in = data rows out + inferred rows.
#[test]
fn proctree_table_output() {
    use arrow_array::cast::AsArray;

    let table = read_ipc(std::fs::read(repo().join("tests/fixtures/win_proc_test.arrow")).unwrap())
        .unwrap();
    let tree = build_process_tree(&table, &SchemaChoice::Auto).unwrap();
    let out = tree.to_table(&table).unwrap();
    assert_eq!(out.num_rows(), 1010);
    let names = out.column_names();
    assert_eq!(names.len(), 19 + huntkit::proctree::TREE_COLUMNS.len());
    assert_eq!(&names[..3], ["index", "TenantId", "Account"]);
    assert_eq!(names[19], "proc_key");
    let batch = &out.batches().unwrap()[0];
    let col = |name: &str| batch.column(out.schema().index_of(name).unwrap()).clone();
    let inferred = col("inferred");
    let inferred = inferred.as_boolean();
    assert_eq!(inferred.true_count(), 10);
    // The first row is an inferred root: no input values, tree columns filled.
    assert!(inferred.value(0));
    assert!(col("NewProcessName").is_null(0));
    assert_eq!(
        col("node_name").as_string::<i32>().value(0),
        "C:\\Windows\\System32\\svchost.exe"
    );
    assert_eq!(col("node_pid").as_string::<i32>().value(0), "0x270");
    assert_eq!(col("path").as_string::<i32>().value(0), "01000");
    // The second is its first child, with its input row.
    assert_eq!(
        col("NewProcessName").as_string::<i32>().value(1),
        "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe"
    );
    assert_eq!(col("parent_index").as_string::<i32>().value(1), "01000");
    assert_eq!(
        col("parent_key").as_string::<i32>().value(1),
        "c:\\windows\\system32\\svchost.exe|0x270|1970-01-01 00:00:00.000000"
    );
    // All 1000 input rows are there exactly once.
    let index = col("index");
    let mut rows: Vec<i64> = index
        .as_primitive::<arrow_array::types::Int64Type>()
        .iter()
        .flatten()
        .collect();
    rows.sort_unstable();
    assert_eq!(rows, (0..1000).collect::<Vec<i64>>());
}

/// MSTICPy bug 1 (testdata README §3.1): its key has no host, so win_proc_test plus a copy
/// differing only in `Computer` gives 1010 processes instead of 2020. huntkit keeps both.
#[test]
fn proctree_same_process_on_two_hosts_is_kept() {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};

    let table = read_ipc(std::fs::read(repo().join("tests/fixtures/win_proc_test.arrow")).unwrap())
        .unwrap();
    let host = table.schema().index_of("Computer").unwrap();
    let mut batches = table.batches().unwrap().to_vec();
    for b in table.batches().unwrap() {
        let mut cols = b.columns().to_vec();
        cols[host] = Arc::new(StringArray::from(vec!["other-host"; b.num_rows()])) as ArrayRef;
        batches.push(RecordBatch::try_new(b.schema(), cols).unwrap());
    }
    let both = huntkit::table::Table::new(table.schema().clone(), batches).unwrap();
    let tree = build_process_tree(&both, &SchemaChoice::Auto).unwrap();
    let s = tree.summary();
    assert_eq!(
        (
            s.processes,
            s.roots,
            s.inferred,
            s.max_depth,
            s.duplicates_dropped
        ),
        (2020, 20, 20, 7, 0)
    );
    // Every parent is on its child's host.
    for n in tree.iter() {
        if let Some(p) = n.parent {
            assert_eq!(tree.node(p).host, n.host);
        }
    }
}

/// MSTICPy bug 3: 5-digit source indexes break the path sort past 99,999 rows. huntkit pads to
/// the widest index, so every subtree stays contiguous and children follow their parent.
#[test]
fn proctree_paths_order_past_99999_rows() {
    use huntkit::table::{Table, Value};

    // 60,000 chains parent → child: 120,000 rows plus 60,000 inferred roots.
    let n = 60_000;
    let mut cols: Vec<Vec<Value>> = vec![Vec::new(); 5];
    for i in 0..n {
        let t = |s: String| Value::Text(s);
        for (pid, ppid, pname, name, sec) in [
            (1_000_000 + i, 500 + i, "init.exe", "parent.exe", 0),
            (2_000_000 + i, 1_000_000 + i, "parent.exe", "child.exe", 1),
        ] {
            cols[0].push(t(name.into()));
            cols[1].push(Value::Number(pid as f64));
            cols[2].push(Value::Number(ppid as f64));
            cols[3].push(t(pname.into()));
            cols[4].push(t(format!("2024-01-01 00:{:02}:{:02}", (i / 60) % 60, sec)));
        }
    }
    let names = [
        "NewProcessName",
        "NewProcessId",
        "ProcessId",
        "ParentProcessName",
        "TimeGenerated",
    ];
    let table = Table::from_rows(names.map(String::from).to_vec(), cols).unwrap();
    let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into())).unwrap();
    let s = tree.summary();
    assert_eq!(
        (s.processes, s.roots, s.max_depth),
        (3 * n as usize, n as usize, 3)
    );
    let paths: Vec<String> = (0..tree.len()).map(|i| tree.path(i)).collect();
    // 180,000 nodes: indexes 0–179,999, every path segment 6 digits wide.
    assert!(paths.iter().all(|p| p.split('/').all(|seg| seg.len() == 6)));
    assert_eq!(paths[1], "120000/000000");
    for (i, node) in tree.iter().enumerate() {
        if let Some(p) = node.parent {
            assert!(p < i, "a parent precedes its child in the output");
            assert!(paths[i].starts_with(&paths[p]));
        }
    }
    for w in paths.windows(2) {
        assert!(w[0] < w[1], "paths sort as text too");
    }
}

#[test]
fn mde_sentinel_schema_inferred() {
    check("mde_proc_pub", true);
}

#[test]
fn mde_internal_schema_inferred() {
    check("mde_proc_cs1", true);
}

/// MSTICPy's `test_tree_utils_win` / `test_tree_utils_lx` numbers and the extra golden facts of
/// MSTICPy's `get_summary` (MSTICPy counts include the source row; huntkit's lists exclude it).
#[test]
fn tree_utilities_match_msticpy() {
    let load = |name: &str| {
        read_ipc(std::fs::read(repo().join(format!("tests/fixtures/{name}.arrow"))).unwrap())
            .unwrap()
    };
    let tree = build_process_tree(&load("win_proc_test"), &SchemaChoice::Auto).unwrap();
    let roots = tree.roots();
    let facts: Vec<(&str, usize, usize)> = roots
        .iter()
        .map(|&r| {
            let key = tree.proc_key(r).unwrap();
            let short = key.split('|').take(2).collect::<Vec<_>>().join("|");
            (
                Box::leak(short.into_boxed_str()) as &str,
                tree.descendants(r, None).len(),
                tree.children(r).len(),
            )
        })
        .collect();
    let names: Vec<(&str, usize, usize)> = facts
        .iter()
        .map(|(k, d, c)| (k.rsplit('\\').next().unwrap(), *d, *c))
        .collect();
    assert_eq!(
        names,
        [
            ("svchost.exe|0x270", 188, 36),
            ("collectguestlogs.exe|0x798", 2, 1),
            ("svchost.exe|0xb3c", 657, 48),
            ("services.exe|0x220", 26, 26),
            ("monitoringhost.exe|0x864", 24, 12),
            ("collectguestlogs.exe|0x181c", 2, 1),
            ("cmd.exe|0x1d6c", 7, 7),
            ("waappagent.exe|0x1994", 74, 20),
            ("msmpeng.exe|0x7c8", 14, 5),
            ("svchost.exe|0xaec", 6, 4),
        ]
    );
    // Root iloc[4]: its deepest first row is conhost 0x1278; ancestors (with it) = 3.
    let root = roots[4];
    assert_eq!(tree.descendants(root, Some(1)), tree.children(root));
    let below = tree.descendants(root, None);
    let deepest = below.iter().map(|&i| tree.node(i).depth).max().unwrap();
    let bottom = *below
        .iter()
        .find(|&&i| tree.node(i).depth == deepest)
        .unwrap();
    assert_eq!(
        tree.proc_key(bottom).as_deref(),
        Some("c:\\windows\\system32\\conhost.exe|0x1278|2019-02-09 20:32:56.280000")
    );
    assert_eq!(tree.ancestors(bottom).len() + 1, 3);
    assert_eq!(tree.ancestors(bottom)[0], root);
    let c2 = tree.children(root);
    assert_eq!(c2.len(), tree.siblings(c2[0]).len() + 1);
    assert!(tree.siblings(root).is_empty());
    let histogram = |t: &huntkit::proctree::ProcessTree| {
        let mut h = vec![0; t.summary().max_depth];
        for n in t.iter() {
            h[n.depth - 1] += 1;
        }
        h
    };
    assert_eq!(histogram(&tree), [10, 160, 361, 110, 273, 6, 90]);

    let lx = build_process_tree(&load("linux_proc_test"), &SchemaChoice::Auto).unwrap();
    let first = lx.roots()[0];
    assert_eq!(
        lx.proc_key(first).as_deref(),
        Some("unknown|22536|1970-01-01 00:00:00.000000")
    );
    assert_eq!(
        (lx.descendants(first, None).len(), lx.children(first).len()),
        (900, 451)
    );
    assert!(
        lx.roots()
            .iter()
            .all(|&r| { lx.proc_key(r).unwrap().starts_with("unknown|") })
    );
    assert_eq!(histogram(&lx), [29, 496, 476, 14, 14]);

    let mde = build_process_tree(&load("mde_proc_pub"), &SchemaChoice::Auto).unwrap();
    let mde_roots: Vec<String> = mde
        .roots()
        .iter()
        .map(|&r| mde.proc_key(r).unwrap())
        .collect();
    let mut sorted = mde_roots.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "ntoskrnl.exe|4|2021-12-16 03:27:58.488810",
            "wininit.exe|664|2021-11-11 03:26:28.109880",
            "|0|1970-01-01 00:00:00.000000",
        ]
    );
}

/// MSTICPy's `test_text_process_tree`: `tree_to_text` of the Windows tree has 5028 lines
/// (`split("\n")`), and its blocks read as MSTICPy prints them (its documented example skips the
/// blocks between the second and the dllhost one; the order is MSTICPy's golden order).
#[test]
fn tree_to_text_matches_msticpy() {
    let table = read_ipc(std::fs::read(repo().join("tests/fixtures/win_proc_test.arrow")).unwrap())
        .unwrap();
    let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into())).unwrap();
    let text = tree.to_text(&table, 80).unwrap();
    assert_eq!(text.split('\n').count(), 5028);
    let want = r"+  Process: C:\Windows\System32\svchost.exe  PID: 0x270
   Time: 1970-01-01 00:00:00+00:00
   Cmdline: nan
   Account: nan  Account: 0x3e7
   +--  Process: C:\Windows\System32\wbem\WmiPrvSE.exe  PID: 0xda4
        Time: 2019-02-09 20:04:38.017000+00:00
        Cmdline: C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding
        Account: S-1-5-18  Account: 0x3e7
";
    assert!(
        text.starts_with(want),
        "got:\n{}",
        &text[..want.len().min(text.len())]
    );
    let dllhost = r"
   +--  Process: C:\Windows\System32\dllhost.exe  PID: 0x1da8
        Time: 2019-02-09 23:26:47.703000+00:00
        Cmdline: C:\Windows\system32\DllHost.exe /Processid:{E10F6C3A-F1AE-4ADC-
           AA9D-2FE65525666E}
";
    assert!(text.contains(dllhost));
}
