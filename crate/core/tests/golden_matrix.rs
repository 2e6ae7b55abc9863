//! Parity with MSTICPy 3.0.2's matrix plot on its own goldens (tests/golden/matrix, computed by MSTICPy 3.0.2): every cell's value, size and plot size, and the
//! axis order, for all 36 cases plus the 9 sorted-axis cases.
//!
//! Every count golden was made with a count column that has no nulls (PYTHONHASHSEED=0), so
//! MSTICPy's count equals the group size there and huntkit's (correct) count matches it; the
//! README lists where the two differ in general.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use huntkit::matrix::{AxisSort, MatrixOptions, SortOrder, aggregate};
use huntkit::table::{Table, read_ipc};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(dataset: &str) -> Table {
    let path = repo()
        .join("tests/fixtures")
        .join(format!("{dataset}.arrow"));
    read_ipc(std::fs::read(&path).unwrap()).unwrap()
}

fn sort_of(v: &Value) -> Option<SortOrder> {
    match v.as_str() {
        Some("asc") => Some(SortOrder::Asc),
        Some("desc") => Some(SortOrder::Desc),
        None => None,
        Some(other) => panic!("unexpected sort {other}"),
    }
}

fn options(case: &Value) -> MatrixOptions {
    let mut o = MatrixOptions::new(case["x"].as_str().unwrap(), case["y"].as_str().unwrap());
    let p = &case["params"];
    o.value_col = p["value_col"].as_str().map(str::to_owned);
    o.dist_count = p["dist_count"].as_bool().unwrap_or(false);
    o.log_size = p["log_size"].as_bool().unwrap_or(false);
    o.invert = p["invert"].as_bool().unwrap_or(false);
    o.sort = sort_of(&p["sort"]);
    if let Some(s) = sort_of(&p["sort_x"]) {
        o.sort_x = AxisSort::Sorted(s);
    }
    if let Some(s) = sort_of(&p["sort_y"]) {
        o.sort_y = AxisSort::Sorted(s);
    }
    o
}

fn parse_f64(s: &str) -> f64 {
    if s.is_empty() {
        f64::NAN
    } else {
        s.parse().unwrap()
    }
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[test]
fn all_matrix_goldens() {
    // Python's json writes NaN for two size minima; JSON has no NaN, and those fields are
    // not read here.
    let text = std::fs::read_to_string(repo().join("tests/golden/matrix/index.json")).unwrap();
    let index: Value = serde_json::from_str(&text.replace("NaN", "null")).unwrap();
    let cases = index["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 45);
    let (mut cell_cases, mut axis_cases) = (0, 0);
    for (name, case) in cases {
        let dataset = name.split("__").next().unwrap();
        let m = aggregate(&load(dataset), &options(case)).unwrap();
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            m.x_labels,
            strings(&case["x_range_factors"]),
            "{name}: x axis"
        );
        assert_eq!(
            m.y_labels,
            strings(&case["y_range_factors"]),
            "{name}: y axis"
        );
        axis_cases += 1;
        let Some(file) = case["file"].as_str() else {
            continue;
        };
        let csv = std::fs::read_to_string(repo().join("tests/golden/matrix").join(file)).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(
            header[2],
            m.value_name.as_str(),
            "{name}: value column name"
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), m.cells.len(), "{name}: cell count");
        for (row, cell) in rows.iter().zip(&m.cells) {
            let got = (
                m.x_labels[cell.x].as_str(),
                m.y_labels[cell.y].as_str(),
                cell.value,
                cell.size,
                cell.plot_size,
            );
            let want = (
                row[0],
                row[1],
                parse_f64(row[2]),
                parse_f64(row[3]),
                parse_f64(row[4]),
            );
            assert!(
                got.0 == want.0
                    && got.1 == want.1
                    && same(got.2, want.2)
                    && same(got.3, want.3)
                    && same(got.4, want.4),
                "{name}: cell differs\n  want {want:?}\n  got  {got:?}"
            );
        }
        cell_cases += 1;
    }
    assert_eq!((cell_cases, axis_cases), (36, 45));
}

/// MSTICPy's §6.4 reference numbers (az_net_flows, x=L7Protocol, y=AllExtIPs), with the count
/// as the group size.
#[test]
fn reference_numbers() {
    let t = load("az_net_flows");
    let mut o = MatrixOptions::new("L7Protocol", "AllExtIPs");
    let m = aggregate(&t, &o).unwrap();
    let total = |m: &huntkit::matrix::Matrix| m.cells.iter().map(|c| c.value).sum::<f64>();
    assert_eq!((m.rows, m.skipped_rows, m.cells.len()), (460, 0, 89));
    assert_eq!((m.x_labels.len(), m.y_labels.len()), (7, 87));
    assert_eq!(total(&m), 460.0);
    o.value_col = Some("TotalAllowedFlows".into());
    assert_eq!(total(&aggregate(&t, &o).unwrap()), 3093.0);
    o.dist_count = true;
    assert_eq!(total(&aggregate(&t, &o).unwrap()), 189.0);
    let mut o = MatrixOptions::new("VMIPAddress", "AllExtIPs");
    o.value_col = Some("TotalAllowedFlows".into());
    let m = aggregate(&t, &o).unwrap();
    assert_eq!((m.skipped_rows, m.cells.len()), (8, 84));
}

/// Random corruptions of a real pyarrow-written file never panic (a panic is a trap in wasm).
#[test]
fn corrupted_fixture_never_panics() {
    let good = std::fs::read(repo().join("tests/fixtures/az_net_flows.arrow")).unwrap();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let mut bad = good.clone();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() % bad.len() as u64) as usize;
            bad[at] = next() as u8;
        }
        if next() % 8 == 0 {
            bad.truncate((next() % bad.len() as u64) as usize);
        }
        let outcome = std::panic::catch_unwind(|| read_ipc(bad).map(|t| t.num_rows()));
        assert!(outcome.is_ok());
    }
}
