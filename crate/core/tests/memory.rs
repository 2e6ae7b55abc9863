//! Memory limits natively, with the counting allocator installed as the wasm build does. (The
//! estimates are sized for wasm32; `tests/node/memory.test.mjs` sweeps limits there.)

use std::sync::Arc;

use arrow_array::{ArrayRef, StringArray};
use arrow_schema::{DataType, Field};
use huntkit::matrix::{MatrixOptions, aggregate};
use huntkit::memory::{self, Counting};
use huntkit::table::Table;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn table(rows: usize) -> Table {
    let a: ArrayRef = Arc::new(StringArray::from_iter_values(
        (0..rows).map(|i| format!("host-{i}")),
    ));
    let b: ArrayRef = Arc::new(StringArray::from_iter_values(
        (0..rows).map(|i| format!("u{}", i % 7)),
    ));
    Table::from_arrays(
        vec![
            Field::new("a", DataType::Utf8, false),
            Field::new("b", DataType::Utf8, false),
        ],
        vec![a, b],
        rows,
    )
    .unwrap()
}

// One test: the limit is global to the process.
#[test]
fn counts_and_limits() {
    // Counting.
    let before = memory::in_use();
    let block = vec![7u8; 10 << 20];
    assert!(memory::in_use() >= before + (10 << 20));
    drop(block);
    assert!(memory::in_use() < before + (1 << 20));
    memory::reset_peak();
    let block = vec![1u64; 1 << 20];
    drop(block);
    assert!(memory::peak() >= memory::in_use() + (8 << 20));

    // A call that does not fit fails before it starts, saying what would.
    let t = table(100_000);
    let opts = MatrixOptions::new("a", "b");
    memory::set_limit(Some(memory::in_use() + (2 << 20)));
    let err = aggregate(&t, &opts).unwrap_err();
    memory::set_limit(None);
    assert_eq!(err.code(), "too-large");
    let (needed, available) = err.memory_figures().unwrap();
    assert!(needed > available, "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("column `a` (x): 100,000 rows need about "),
        "{text}"
    );
    assert!(text.contains("(the limit set is "), "{text}");
    assert!(text.ends_with("or raise the limit"), "{text}");

    // Without a limit it runs (natively the address space is no limit).
    assert_eq!(memory::limit(), u64::MAX);
    assert_eq!(aggregate(&t, &opts).unwrap().cells.len(), 100_000);

    // IoC text: the estimate is checked against the limit.
    memory::set_limit(Some(memory::in_use() + (1 << 20)));
    let x = huntkit::ioc::IocExtractor::new();
    let err = x
        .extract_packed(&"1.2.3.4 ".repeat(100_000), None, &Default::default())
        .unwrap_err();
    memory::set_limit(None);
    assert!(
        err.to_string()
            .starts_with("extractIocs: 800,000 bytes of text need about "),
        "{err}"
    );
}
