//! Matrix aggregation of small arbitrary tables with every option: never a panic; counts add
//! up to the rows kept; a plot size is finite whenever the sizes are (NaN only in MSTICPy's
//! IEEE edge cases: every size 0, or an infinite one).
#![no_main]

#[path = "common.rs"]
mod common;

use huntkit::matrix::{AxisSort, MatrixOptions, Measure, SortOrder, aggregate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = common::Bytes::new(data);
    let mut o = MatrixOptions::new("x", "y");
    if b.flag() {
        o.value_col = Some("v".into());
    }
    o.dist_count = b.flag();
    o.log_size = b.flag();
    o.invert = b.flag();
    o.intersect = b.flag();
    let sort = |k: u8| match k % 3 {
        0 => None,
        1 => Some(SortOrder::Asc),
        _ => Some(SortOrder::Desc),
    };
    o.sort = sort(b.u8());
    o.sort_x = match b.u8() % 3 {
        0 => AxisSort::Inherit,
        1 => AxisSort::Off,
        _ => AxisSort::Sorted(SortOrder::Asc),
    };
    let Some(table) = common::table(&mut b, &["x", "y", "v"]) else {
        return;
    };
    let Ok(m) = aggregate(&table, &o) else {
        return;
    };
    assert_eq!(m.rows, table.num_rows());
    assert!(m.skipped_rows <= m.rows);
    if m.measure == Measure::Count {
        let total: f64 = m.cells.iter().map(|c| c.value).sum();
        assert_eq!(total as usize, m.rows - m.skipped_rows);
    }
    let max = m.cells.iter().map(|c| c.size).fold(f64::NAN, f64::max);
    for c in &m.cells {
        assert!(c.x < m.x_labels.len() && c.y < m.y_labels.len());
        if max.is_finite() && max > 0.0 && c.size.is_finite() {
            assert!(c.plot_size.is_finite(), "{c:?}");
        }
    }
});
