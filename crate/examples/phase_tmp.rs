use huntkit::proctree::{SchemaChoice, build_process_tree};
use huntkit::table::read_ipc;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for _ in 0..3 {
        let owned = bytes.clone();
        let t = Instant::now();
        let table = read_ipc(owned).unwrap();
        let t1 = t.elapsed().as_secs_f64();
        let tree = build_process_tree(&table, &SchemaChoice::Auto).unwrap();
        let t2 = t.elapsed().as_secs_f64();
        drop(tree);
        println!("read {t1:.3} build {:.3}", t2 - t1);
    }
}
