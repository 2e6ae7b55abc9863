//! IoC extraction benchmark, native (used by tests/bench/ioc.sh): extracts from each file
//! given, best of 5 runs after a warm-up, and prints one JSON line per file:
//! `{"file", "bytes", "seconds", "mb_per_s", "found"}`.

use std::time::Instant;

use huntkit::ioc::{ExtractOptions, IocExtractor};

fn main() {
    let x = IocExtractor::new();
    let opts = ExtractOptions::default();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
        let found = x.extract(&text, &opts).len();
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t0 = Instant::now();
            let n = x.extract(&text, &opts).len();
            best = best.min(t0.elapsed().as_secs_f64());
            assert_eq!(n, found);
        }
        println!(
            "{{\"file\": {path:?}, \"bytes\": {}, \"seconds\": {best:.6}, \"mb_per_s\": {:.1}, \"found\": {found}}}",
            text.len(),
            text.len() as f64 / 1e6 / best
        );
    }
}
