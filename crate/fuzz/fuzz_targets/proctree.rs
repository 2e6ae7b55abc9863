//! Process trees from small arbitrary tables under every built-in schema (and a custom
//! mapping with unique ids), with both event filters and both ways of treating bad times:
//! never a panic, never a hang, and every input row accounted for (a node, a dropped
//! duplicate or a filtered-out event).
#![no_main]

#[path = "common.rs"]
mod common;

use huntkit::proctree::schema::FIELDS;
use huntkit::proctree::{BuildOptions, ProcSchema, SchemaChoice, build_process_tree_with};
use libfuzzer_sys::fuzz_target;

const SCHEMAS: &[&str] = &["windows", "linux", "mde", "mde_internal", "sysmon", "osquery", "hx", "ecs"];

fuzz_target!(|data: &[u8]| {
    let mut b = common::Bytes::new(data);
    let pick = usize::from(b.u8()) % (SCHEMAS.len() + 1);
    let (choice, columns): (SchemaChoice, Vec<String>) = if pick < SCHEMAS.len() {
        let name = SCHEMAS[pick];
        let (_, schema) = huntkit::proctree::schema::builtin(name).expect("a built-in schema");
        (SchemaChoice::Named(name.to_owned()), columns_of(&schema))
    } else {
        let mapping: serde_json::Map<String, serde_json::Value> = FIELDS
            .iter()
            .filter(|f| !matches!(**f, "builder" | "event_id_identifier" | "path_separator"))
            .map(|f| ((*f).to_owned(), serde_json::Value::String(format!("c_{f}"))))
            .collect();
        let schema = ProcSchema::from_mapping(&mapping).expect("a complete mapping");
        let columns = columns_of(&schema);
        (SchemaChoice::Custom(Box::new(schema)), columns)
    };
    // Some columns left out, so missing optional columns are exercised too.
    let drop = b.u8();
    let names: Vec<&str> = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| *i >= 4 || drop & (1 << i) == 0 || drop < 200)
        .map(|(_, c)| c.as_str())
        .collect();
    let opts = BuildOptions { event_filter: b.flag(), flag_bad_times: b.flag() };
    let Some(table) = common::table(&mut b, &names) else {
        return;
    };
    let Ok(tree) = build_process_tree_with(&table, &choice, &opts) else {
        return;
    };
    let s = tree.summary();
    assert_eq!(s.rows_in, table.num_rows());
    let data_nodes = s.processes - s.inferred;
    assert!(
        s.rows_in >= data_nodes + s.duplicates_dropped + s.rows_filtered_out,
        "{s:?}"
    );
    assert_eq!(tree.len(), s.processes);
    for i in 0..tree.len() {
        let _ = tree.node(i);
    }
});

/// Every column a schema names.
fn columns_of(s: &ProcSchema) -> Vec<String> {
    let mut out = vec![s.process_name.clone(), s.process_id.clone(), s.parent_id.clone(), s.time_stamp.clone()];
    for c in [
        &s.cmd_line,
        &s.user_name,
        &s.logon_id,
        &s.host_name_column,
        &s.parent_name,
        &s.target_logon_id,
        &s.user_id,
        &s.event_id_column,
        &s.process_guid,
        &s.parent_guid,
    ]
    .into_iter()
    .flatten()
    {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    if s.builder != huntkit::proctree::Builder::Generic {
        for c in [
            "InitiatingProcessFileName",
            "InitiatingProcessParentFileName",
            "InitiatingProcessParentId",
            "InitiatingProcessCreationTime",
            "InitiatingProcessParentCreationTime",
            "ProcessCreationTime",
        ] {
            if !out.iter().any(|o| o == c) {
                out.push(c.to_owned());
            }
        }
    }
    out
}
