//! Process trees from exports shaped as real logs are: generated Sysmon exports whose true tree
//! is known by construction (random hosts, PIDs reused across hosts and over time, other event
//! ids mixed in, fields dropped), built with no mapping, every link checked.
//!
//! `cargo test --test real_logs -- --nocapture` prints the link accuracy.

use huntkit::proctree::{SchemaChoice, build_process_tree};
use huntkit::table::{Table, Value};

/// xorshift64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A generated export and, per row, the row of its true parent (`None`: a root, or a parent
/// that is not in the export; `Some(None)` is not used).
struct Export {
    table: Table,
    names: Vec<String>,
    columns: Vec<Vec<Value>>,
    truth: Vec<Option<usize>>,
    /// Rows that are process creations.
    processes: usize,
}

/// What to drop from the export.
#[derive(Clone, Copy)]
struct Drops {
    /// Percent of rows without their own `ProcessGuid`.
    guid: u64,
    /// Percent of rows without their own `ProcessId`.
    pid: u64,
}

const COLUMNS: [&str; 10] = [
    "UtcTime",
    "Hostname",
    "EventID",
    "Image",
    "ProcessId",
    "ParentImage",
    "ParentProcessId",
    "ProcessGuid",
    "ParentProcessGuid",
    "CommandLine",
];

/// `n` process creations over `hosts` hosts, each host a tree grown from a few roots: a new
/// process's parent is a live process of its host. PIDs come from a small pool per host, so
/// they are reused (by other hosts at once, and on a host once the holder has exited). Between
/// them, network events (EventID 3) of the same processes.
fn generate(seed: u64, n: usize, hosts: usize, drops: Drops, host_column: &str) -> Export {
    let mut rng = Rng(seed);
    let names = [
        "C:\\Windows\\System32\\svchost.exe",
        "C:\\Windows\\System32\\cmd.exe",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "C:\\Windows\\explorer.exe",
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        "C:\\Windows\\System32\\rundll32.exe",
    ];
    // Per host: live processes (pid, guid, name, row), and PIDs in use.
    struct Live {
        pid: u64,
        guid: String,
        name: &'static str,
        row: usize,
    }
    let mut live: Vec<Vec<Live>> = (0..hosts).map(|_| Vec::new()).collect();
    let mut columns: Vec<Vec<Value>> = vec![Vec::new(); COLUMNS.len()];
    let mut truth = Vec::new();
    let mut processes = 0;
    let t0 = 1_704_103_200_000i64; // 2024-01-01T10:00:00Z, ms
    let mut t = t0;
    let text = |s: String| Value::Text(s);
    let mut push = |cells: [Value; 10], parent: Option<usize>, truth: &mut Vec<Option<usize>>| {
        for (c, v) in columns.iter_mut().zip(cells) {
            c.push(v);
        }
        truth.push(parent);
    };
    for k in 0..n {
        t += 1 + rng.below(2_000) as i64;
        let h = rng.below(hosts as u64) as usize;
        let host = format!("WS-{h:03}.corp.example");
        let when = text(format_ms(t));
        // Sometimes a process exits (its PID becomes free).
        // (At most 40 live per host, so a free PID of the 64 is always found.)
        if live[h].len() >= 40 || (live[h].len() > 4 && rng.chance(30)) {
            let i = rng.below(live[h].len() as u64) as usize;
            live[h].swap_remove(i);
        }
        // A parent among the host's live processes, or a new root (its parent not exported).
        let parent = (!live[h].is_empty() && !rng.chance(5))
            .then(|| rng.below(live[h].len() as u64) as usize);
        let (ppid, pguid, pname, prow) = match parent {
            Some(i) => {
                let p = &live[h][i];
                (p.pid, p.guid.clone(), p.name, Some(p.row))
            }
            None => (
                4 + 4 * rng.below(3),
                format!("{{root-{h}-{k}}}"),
                "System",
                None,
            ),
        };
        // A PID not held by a live process on this host (pool of 64, so reused often).
        let pid = loop {
            let pid = 4 * (2 + rng.below(64));
            if !live[h].iter().any(|p| p.pid == pid) {
                break pid;
            }
        };
        let guid = format!("{{{:08X}-{h:04X}-{k:08X}}}", rng.next() as u32);
        let name = names[rng.below(names.len() as u64) as usize];
        let row = truth.len();
        push(
            [
                when.clone(),
                text(host.clone()),
                Value::Number(1.0),
                text(name.into()),
                if rng.chance(drops.pid) {
                    Value::Null
                } else {
                    Value::Number(pid as f64)
                },
                text(pname.into()),
                Value::Number(ppid as f64),
                if rng.chance(drops.guid) {
                    Value::Null
                } else {
                    text(guid.clone())
                },
                text(pguid),
                text(format!("{name} /job {k}")),
            ],
            prow,
            &mut truth,
        );
        processes += 1;
        live[h].push(Live {
            pid,
            guid,
            name,
            row,
        });
        // A network event of a live process: not a process creation.
        if rng.chance(40) {
            let i = rng.below(live[h].len() as u64) as usize;
            let p = &live[h][i];
            let cells = [
                when,
                text(host),
                Value::Number(3.0),
                text(p.name.into()),
                Value::Number(p.pid as f64),
                Value::Null,
                Value::Null,
                text(p.guid.clone()),
                Value::Null,
                Value::Null,
            ];
            push(cells, None, &mut truth);
        }
    }
    let names: Vec<String> = COLUMNS
        .iter()
        .map(|c| if *c == "Hostname" { host_column } else { c })
        .map(str::to_owned)
        .collect();
    let table = Table::from_rows(names.clone(), columns.clone()).expect("a table");
    Export {
        table,
        names,
        columns,
        truth,
        processes,
    }
}

fn format_ms(ms: i64) -> String {
    // "2024-01-01 10:00:01.234", as Sysmon writes UtcTime (space, no zone).
    let s = ms.div_euclid(1000);
    let (days, secs) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        ms.rem_euclid(1000)
    )
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Per process row: (true parent row, parent row found, host equal).
struct Links {
    right: usize,
    wrong: usize,
    cross_host: usize,
    total: usize,
}

fn check(export: &Export, table: &Table) -> (Links, huntkit::proctree::Summary) {
    let tree = build_process_tree(table, &SchemaChoice::Auto).expect("a tree");
    let summary = tree.summary();
    let mut links = Links {
        right: 0,
        wrong: 0,
        cross_host: 0,
        total: 0,
    };
    for node in tree.iter() {
        let Some(row) = node.row else { continue };
        let found = node.parent.map(|p| tree.node(p));
        if let Some(p) = &found
            && p.host != node.host
        {
            links.cross_host += 1;
        }
        let found_row = found.and_then(|p| p.row);
        links.total += 1;
        if found_row == export.truth[row] {
            links.right += 1;
        } else {
            links.wrong += 1;
        }
    }
    (links, summary)
}

/// `export`'s table without some columns.
fn without(export: &Export, drop: &[&str]) -> Table {
    let (names, columns): (Vec<String>, Vec<Vec<Value>>) = export
        .names
        .iter()
        .zip(&export.columns)
        .filter(|(n, _)| !drop.contains(&n.as_str()))
        .map(|(n, c)| (n.clone(), c.clone()))
        .unzip();
    Table::from_rows(names, columns).expect("a table")
}

#[test]
fn guid_links_are_exact_and_pid_links_never_cross_hosts() {
    let mut id_total = (0, 0);
    let mut pid_total = (0, 0);
    for seed in 1..=8u64 {
        let drops = Drops {
            guid: 5 * (seed % 3),
            pid: 3 * (seed % 2),
        };
        let export = generate(seed * 7919, 3_000, 23, drops, "Hostname");
        // Auto-detected as Sysmon, with the host under `Hostname`, network events dropped.
        let (links, s) = check(&export, &export.table);
        assert_eq!(
            s.rows_in - s.rows_filtered_out,
            export.processes,
            "seed {seed}"
        );
        assert_eq!(links.total, export.processes);
        assert_eq!(links.cross_host, 0, "seed {seed}");
        assert!(s.linked_by_id > 0);
        id_total = (id_total.0 + links.right, id_total.1 + links.total);
        // A row whose own GUID was dropped cannot be found by it; its children fall back to
        // PIDs. With no GUID dropped, every link is exact.
        if drops.guid == 0 {
            assert_eq!(links.wrong, 0, "seed {seed}: GUID links must all be right");
        }
        // PID + time only: the same export without the GUID columns.
        let pid_only = without(&export, &["ProcessGuid", "ParentProcessGuid"]);
        let (links, s) = check(&export, &pid_only);
        assert_eq!(links.cross_host, 0, "seed {seed}");
        assert_eq!(s.linked_by_id, 0);
        // PIDs are reused only after their holder exits, so PID + time finds the true parent
        // unless the parent's PID was dropped.
        if drops.pid == 0 {
            assert_eq!(links.wrong, 0, "seed {seed}: PID links must be right here");
        }
        pid_total = (pid_total.0 + links.right, pid_total.1 + links.total);
    }
    let pct = |(r, t): (usize, usize)| 100.0 * r as f64 / t as f64;
    println!(
        "link accuracy on 8 generated exports (23 hosts, 3,000 processes each): GUID first {:.2}% ({} of {}), PID + time only {:.2}% ({} of {})",
        pct(id_total),
        id_total.0,
        id_total.1,
        pct(pid_total),
        pid_total.0,
        pid_total.1
    );
}

#[test]
fn several_hosts_without_a_known_host_column_are_refused() {
    let drops = Drops { guid: 0, pid: 0 };
    let table = generate(42, 200, 5, drops, "SourceHostAlias").table;
    let err = build_process_tree(&table, &SchemaChoice::Auto).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("`SourceHostAlias` (5 values)"), "{msg}");
    assert!(msg.contains("host_name_column"), "{msg}");
}

#[test]
fn times_as_logs_write_them() {
    use huntkit::table::parse_time_ns;
    let ns = |y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64| {
        let days = huntkit::table::time::days_from_civil(y, mo, d);
        (days * 86_400 + h * 3600 + mi * 60 + s) * 1_000_000_000
    };
    let ms = 1_000_000;
    for (text, want) in [
        ("8/2/2021 10:45:40 AM", ns(2021, 8, 2, 10, 45, 40)),
        ("8/2/2021 10:45:40 pm", ns(2021, 8, 2, 22, 45, 40)),
        ("12/31/2020 12:00:01 AM", ns(2020, 12, 31, 0, 0, 1)),
        ("1/5/2022 13:07", ns(2022, 1, 5, 13, 7, 0)),
        (
            "2020-10-18 07:50:06.220",
            ns(2020, 10, 18, 7, 50, 6) + 220 * ms,
        ),
        ("1603007406", ns(2020, 10, 18, 7, 50, 6)),
        ("1603007406220", ns(2020, 10, 18, 7, 50, 6) + 220 * ms),
        // Windows FILETIME (100 ns ticks since 1601).
        ("132474810062200000", ns(2020, 10, 18, 7, 50, 6) + 220 * ms),
    ] {
        assert_eq!(parse_time_ns(text), Some(want), "{text}");
    }
    for bad in [
        "13/1/2021 10:00",
        "8/2/21 10:45",
        "2/3/2021 13:00 PM",
        "yesterday",
        "",
        "1.2.3",
    ] {
        assert_eq!(parse_time_ns(bad), None, "{bad}");
    }
}

/// A tiny Windows 4688 export as text rows (time, pid, ppid, event id).
fn security(rows: &[(&str, &str, &str, &str)]) -> Table {
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str);
    let col = |f: for<'a> fn(&Row<'a>) -> &'a str| {
        rows.iter()
            .map(|r| Value::Text(f(r).to_owned()))
            .collect::<Vec<_>>()
    };
    Table::from_rows(
        [
            "TimeGenerated",
            "NewProcessName",
            "NewProcessId",
            "ProcessId",
            "EventID",
            "Computer",
            "ParentProcessName",
        ]
        .map(str::to_owned)
        .to_vec(),
        vec![
            col(|r| r.0),
            col(|_| "C:\\x.exe"),
            col(|r| r.1),
            col(|r| r.2),
            col(|r| r.3),
            col(|_| "pc1"),
            col(|_| "C:\\x.exe"),
        ],
    )
    .unwrap()
}

#[test]
fn bad_times_are_an_error_or_flagged_and_other_events_dropped_or_kept() {
    use huntkit::proctree::{BuildOptions, build_process_tree_with};
    let t = security(&[
        ("8/2/2021 10:45:40 AM", "0x10", "0x4", "4688"),
        ("not a time", "0x11", "0x10", "4688"),
        ("8/2/2021 10:46:00 AM", "0x12", "0x10", "4624"),
    ]);
    let choice = SchemaChoice::Named("windows".into());
    let err = build_process_tree(&t, &choice).unwrap_err().to_string();
    assert!(
        err.contains("row 1") && err.contains("\"not a time\""),
        "{err}"
    );
    let flag = BuildOptions {
        flag_bad_times: true,
        ..BuildOptions::default()
    };
    let s = build_process_tree_with(&t, &choice, &flag)
        .unwrap()
        .summary();
    assert_eq!(
        (s.times_unparsed, s.rows_filtered_out, s.processes),
        (1, 1, 3)
    );
    let all = BuildOptions {
        event_filter: false,
        ..flag
    };
    let s = build_process_tree_with(&t, &choice, &all)
        .unwrap()
        .summary();
    assert_eq!((s.rows_filtered_out, s.processes), (0, 4));
}

/// Text cells (`~` for null).
fn texts(v: &[&str]) -> Vec<Value> {
    v.iter()
        .map(|s| match *s {
            "~" => Value::Null,
            s => Value::Text(s.to_owned()),
        })
        .collect()
}

fn numbers(v: &[f64]) -> Vec<Value> {
    v.iter().map(|&n| Value::Number(n)).collect()
}

/// A Defender `DeviceProcessEvents` table of these columns.
fn defender(columns: Vec<(&str, Vec<Value>)>) -> Table {
    let (names, values) = columns.into_iter().map(|(n, v)| (n.to_owned(), v)).unzip();
    Table::from_rows(names, values).unwrap()
}

#[test]
fn a_defender_row_without_its_pid_is_flagged_but_not_a_root() {
    use huntkit::proctree::FLAG_MISSING;
    let t = defender(vec![
        ("Timestamp", texts(&["2024-01-01T10:00:05Z"])),
        ("ProcessCreationTime", texts(&["2024-01-01T10:00:05Z"])),
        ("FileName", texts(&["whoami.exe"])),
        ("ProcessId", vec![Value::Null]),
        ("InitiatingProcessFileName", texts(&["cmd.exe"])),
        ("InitiatingProcessId", numbers(&[200.0])),
        (
            "InitiatingProcessCreationTime",
            texts(&["2024-01-01T10:00:00Z"]),
        ),
        ("InitiatingProcessParentFileName", texts(&["explorer.exe"])),
        ("InitiatingProcessParentId", numbers(&[100.0])),
        (
            "InitiatingProcessParentCreationTime",
            texts(&["2024-01-01T09:00:00Z"]),
        ),
        ("DeviceName", texts(&["pc1"])),
        ("ActionType", texts(&["ProcessCreated"])),
    ]);
    let tree = build_process_tree(&t, &SchemaChoice::Named("mde".into())).unwrap();
    let whoami = tree.iter().find(|n| n.name == Some("whoami.exe")).unwrap();
    assert_eq!((whoami.flag, whoami.depth), (Some(FLAG_MISSING), 3));
}

#[test]
fn defender_unique_ids_link_where_the_initiating_key_is_incomplete() {
    // cmd.exe (unique id 7), then whoami.exe whose initiating creation time was not collected.
    let t = defender(vec![
        (
            "Timestamp",
            texts(&["2024-01-01T10:00:00Z", "2024-01-01T10:00:05Z"]),
        ),
        (
            "ProcessCreationTime",
            texts(&["2024-01-01T10:00:00Z", "2024-01-01T10:00:05Z"]),
        ),
        ("FileName", texts(&["cmd.exe", "whoami.exe"])),
        ("ProcessId", numbers(&[200.0, 300.0])),
        ("ProcessUniqueId", numbers(&[7.0, 8.0])),
        (
            "InitiatingProcessFileName",
            texts(&["explorer.exe", "cmd.exe"]),
        ),
        ("InitiatingProcessId", numbers(&[100.0, 200.0])),
        (
            "InitiatingProcessCreationTime",
            texts(&["2024-01-01T09:00:00Z", "~"]),
        ),
        ("InitiatingProcessUniqueId", numbers(&[6.0, 7.0])),
        (
            "InitiatingProcessParentFileName",
            texts(&["userinit.exe", "explorer.exe"]),
        ),
        ("InitiatingProcessParentId", numbers(&[90.0, 100.0])),
        (
            "InitiatingProcessParentCreationTime",
            texts(&["2024-01-01T08:00:00Z", "2024-01-01T09:00:00Z"]),
        ),
        ("DeviceName", texts(&["pc1", "pc1"])),
        ("ActionType", texts(&["ProcessCreated", "ProcessCreated"])),
    ]);
    let tree = build_process_tree(&t, &SchemaChoice::Auto).unwrap();
    assert_eq!(tree.schema_name(), "mde");
    let whoami = tree.iter().find(|n| n.name == Some("whoami.exe")).unwrap();
    let parent = tree.node(whoami.parent.unwrap());
    assert_eq!((parent.name, parent.row), (Some("cmd.exe"), Some(0)));
    assert_eq!(tree.summary().linked_by_id, 1);
    // A custom mapping can ask for the Defender build (the builder is the schema's, not its
    // name's): the same tree as the built-in.
    let mut custom = huntkit::proctree::schema::builtin("mde").unwrap().1;
    let same = build_process_tree(&t, &SchemaChoice::Custom(Box::new(custom.clone()))).unwrap();
    assert_eq!((same.len(), same.summary()), (tree.len(), tree.summary()));
    custom.builder = huntkit::proctree::Builder::Generic;
    let generic = build_process_tree(&t, &SchemaChoice::Custom(Box::new(custom))).unwrap();
    assert_ne!(generic.len(), tree.len());
}
