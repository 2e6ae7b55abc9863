use std::time::Instant;
use huntkit::proctree::{SchemaChoice, build_process_tree};
use huntkit::table::read_ipc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for _ in 0..2 {
        let owned = bytes.clone();
        let t = Instant::now();
        let table = read_ipc(owned).unwrap();
        let t1 = t.elapsed().as_secs_f64();
        let tree = build_process_tree(&table, &SchemaChoice::Auto).unwrap();
        let t2 = t.elapsed().as_secs_f64();
        drop(tree);
        let t3 = t.elapsed().as_secs_f64();
        println!("read {t1:.3} build {:.3} drop {:.3}", t2 - t1, t3 - t2);
    }
}
