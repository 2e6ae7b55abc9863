//! Native half of `tests/bench/run.sh`: times IPC read + matrix aggregation (median of 3) on
//! each Arrow IPC file given, for the benchmark's four variants. Prints JSON.
//!
//! `cargo run --release --example bench_matrix -- FILE...`

use std::time::Instant;

use huntkit::matrix::{MatrixOptions, aggregate};
use huntkit::table::read_ipc;

/// A variant's name and how it sets the options.
type Variant = (&'static str, fn(&mut MatrixOptions));

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let variants: [Variant; 4] = [
            ("count", |_| {}),
            ("value_col", |o| o.value_col = Some("Bytes".into())),
            ("dist_count", |o| {
                o.value_col = Some("Protocol".into());
                o.dist_count = true;
            }),
            ("value_col+log_size+invert", |o| {
                o.value_col = Some("Bytes".into());
                o.log_size = true;
                o.invert = true;
            }),
        ];
        for (name, set) in variants {
            let mut opts = MatrixOptions::new("SourceIP", "DestinationIP");
            set(&mut opts);
            let mut runs = Vec::new();
            let mut result = None;
            // The first run apart, then the median of 5 (as the pandas and wasm figures).
            for _ in 0..6 {
                // The copy stays outside the timing: a caller already owns its bytes (and
                // a fresh 400 MB allocation costs more in page faults than the read).
                let owned = bytes.clone();
                let start = Instant::now();
                let table = read_ipc(owned)?;
                result = Some(aggregate(&table, &opts)?);
                runs.push(start.elapsed().as_secs_f64());
            }
            let mut steady = runs.split_off(1);
            steady.sort_by(f64::total_cmp);
            let m = result.expect("six runs");
            out.push(format!(
                "\"{}/{name}\": {{\"seconds\": {}, \"cells\": {}}}",
                m.rows,
                steady[2],
                m.cells.len()
            ));
        }
    }
    println!("{{{}}}", out.join(", "));
    Ok(())
}
