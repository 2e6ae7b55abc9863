//! Native half of `tests/bench/proctree.sh`: reads an Arrow IPC file, builds its process tree
//! (schema inferred) three times and prints JSON with the median time and the tree size.
//!
//! `cargo run --release --example bench_proctree -- FILE`

use std::time::Instant;

use huntkit::proctree::{SchemaChoice, build_process_tree};
use huntkit::table::read_ipc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bench_proctree FILE")?;
    let bytes = std::fs::read(&path)?;
    let mut runs = Vec::new();
    let mut processes = 0;
    for _ in 0..3 {
        let owned = bytes.clone();
        let start = Instant::now();
        let table = read_ipc(owned)?;
        let tree = build_process_tree(&table, &SchemaChoice::Auto)?;
        runs.push(start.elapsed().as_secs_f64());
        processes = tree.summary().processes;
    }
    runs.sort_by(f64::total_cmp);
    println!("{{\"seconds\": {}, \"rows_out\": {processes}}}", runs[1]);
    Ok(())
}
