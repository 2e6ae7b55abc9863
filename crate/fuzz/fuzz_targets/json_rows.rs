//! JSON rows (an array of objects, or JSON lines) into tables, as `readTable` and the Azure
//! results read them: never a panic, and every object is a row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value as Json;

use huntkit::table::Table;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rows: Vec<Json> = match serde_json::from_str::<Json>(&text) {
        Ok(Json::Array(rows)) => rows,
        Ok(one) => vec![one],
        Err(_) => text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect(),
    };
    let n = rows.len();
    if let Ok(table) = Table::from_objects(rows.clone()) {
        assert_eq!(table.num_rows(), n);
        for name in table.column_names() {
            assert_eq!(table.cells(&name).unwrap().len(), n);
        }
    }
    if let Ok(table) = huntkit::azure::json::flat_table(&rows) {
        assert_eq!(table.num_rows(), n);
    }
});
