//! Native half of `tests/bench/proctree.sh`: reads an Arrow IPC file and builds its process
//! tree (schema inferred). Prints JSON with the median time of 5 runs (bytes → table → tree)
//! and the tree size; with `--once`, builds once from a single copy of the file (for the peak
//! memory measurement) and prints the size only.
//!
//! `cargo run --release --example bench_proctree -- FILE [--once]`

use std::time::Instant;

use huntkit::proctree::{SchemaChoice, build_process_tree};
use huntkit::table::read_ipc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bench_proctree FILE [--once]")?;
    if std::env::args().nth(2).as_deref() == Some("--once") {
        let table = read_ipc(std::fs::read(&path)?)?;
        let tree = build_process_tree(&table, &SchemaChoice::Auto)?;
        println!("{{\"rows_out\": {}}}", tree.summary().processes);
        return Ok(());
    }
    let bytes = std::fs::read(&path)?;
    let mut runs = Vec::new();
    let mut processes = 0;
    for _ in 0..5 {
        let owned = bytes.clone();
        let start = Instant::now();
        let table = read_ipc(owned)?;
        let tree = build_process_tree(&table, &SchemaChoice::Auto)?;
        runs.push(start.elapsed().as_secs_f64());
        processes = tree.summary().processes;
    }
    runs.sort_by(f64::total_cmp);
    println!("{{\"seconds\": {}, \"rows_out\": {processes}}}", runs[2]);
    Ok(())
}
