//! Native profile of the timeline path (`tests/bench/timeline.sh` times it in Chromium): for
//! each Arrow IPC file, the time to read it, build the timeline (10 series by `Host`), lay out
//! the plot and build its first scene. Prints one line per file.
//!
//! `cargo run --release --example bench_timeline -- FILE...`

use std::rc::Rc;
use std::time::Instant;

use huntkit::render::{ApproxMeasure, TimelinePlot};
use huntkit::table::read_ipc;
use huntkit::timeline::{Inputs, TimelineOptions, timeline};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let t0 = Instant::now();
        let table = read_ipc(bytes)?;
        let t1 = Instant::now();
        let opts = TimelineOptions {
            group_by: vec!["Host".into()],
            source_columns: Some(vec!["Account".into(), "EventID".into()]),
            ..TimelineOptions::default()
        };
        let tl = timeline(&Inputs::of(&table), &opts)?;
        let t2 = Instant::now();
        let plot = TimelinePlot::new(tl, vec![Rc::new(table)], 1200.0, 600.0, &ApproxMeasure);
        let t3 = Instant::now();
        let scene = plot.scene(&ApproxMeasure);
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        println!(
            "{path}: read {:.1} ms, timeline {:.1} ms, plot {:.1} ms, scene {:.1} ms ({} shapes)",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t3, t4),
            scene.shapes.len()
        );
    }
    Ok(())
}
