//! Arrow IPC bytes (stream and file format): reading never panics, and every column of a
//! table that opens can be read as cells.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = huntkit::table::read_ipc(data.to_vec()) else {
        return;
    };
    let rows = table.num_rows();
    for name in table.column_names() {
        if let Ok(cells) = table.cells(&name) {
            assert_eq!(cells.len(), rows, "column {name}");
        }
    }
    let _ = huntkit::table::write_ipc_stream(table.schema(), table.batches().unwrap_or_default());
});
