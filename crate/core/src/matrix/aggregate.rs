//! The one-pass group-by behind [`aggregate`].

use crate::hash::{HashMap, HashSet};

use super::{Matrix, MatrixCell, MatrixOptions, Measure, SortOrder};
use crate::error::{Error, Result};
use crate::table::{Categories, Table, encode_categories, for_each_number};

/// Pairs up to this many possible (x, y) combinations use a dense lookup table; more use a
/// hash map. 4M entries × 4 bytes = 16 MiB at most.
const DENSE_LIMIT: usize = 1 << 22;

/// Working memory beyond the columns read: bytes per row and per byte of those columns (upper
/// bounds in wasm32: `tests/node/memory.test.mjs` sweeps limits to check them).
const MEMORY_PER_ROW: f64 = 16.0;
const MEMORY_PER_BYTE: f64 = 0.0;
/// Memory per cell (its index entry, pair, count and [`MatrixCell`], each in a doubling
/// vector) and per row with a value column (the row's cell; a distinct-count set entry).
const MEMORY_PER_CELL: f64 = 144.0;
const MEMORY_PER_VALUE: f64 = 40.0;
/// Memory per label (ranks, positions, its copy in the result) beside its text.
const MEMORY_PER_LABEL: u64 = 48;

/// A `too-large` error when the cells of the labels `xs` and `ys` might not fit: at most a
/// cell per row or per pair of labels.
fn check_cells_memory(xs: &Categories, ys: &Categories, values: bool) -> Result<()> {
    let rows = xs.codes.len() as u64;
    let pairs = xs.labels.len() as u64 * ys.labels.len() as u64;
    let dense = if pairs <= DENSE_LIMIT as u64 {
        4 * pairs
    } else {
        0
    };
    let labels: u64 = [xs, ys]
        .iter()
        .flat_map(|c| &c.labels)
        .map(|l| l.len() as u64 + MEMORY_PER_LABEL)
        .sum();
    let values = if values {
        rows as f64 * MEMORY_PER_VALUE
    } else {
        0.0
    };
    crate::memory::Need::new("matrix", "cells", rows.min(pairs), MEMORY_PER_CELL)
        .plus(dense + labels + values as u64)
        .check()
}

/// Aggregates `table` by (x, y) as MSTICPy's `_prep_data` does (see the module docs for the
/// deliberate differences). Rows with a null x or y are skipped and counted. Fails with a
/// `too-large` error before it starts when the input would not fit in memory.
pub fn aggregate(table: &Table, opts: &MatrixOptions) -> Result<Matrix> {
    if opts.dist_count && opts.value_col.is_none() {
        return Err(Error::invalid_option(
            "distCount",
            "counting distinct values needs `valueCol`, the column whose values are counted",
        ));
    }
    let mut used = vec![opts.x.as_str(), opts.y.as_str()];
    used.extend(opts.value_col.as_deref());
    table.check_memory("matrix", &used, MEMORY_PER_ROW, MEMORY_PER_BYTE)?;
    let x_col = table.column(&opts.x, "x")?;
    let y_col = table.column(&opts.y, "y")?;
    let value_col = match &opts.value_col {
        Some(name) => Some(table.column(name, "valueCol")?),
        None => None,
    };
    // Numbers written as text (Zeek and CSV exports, with "-" for none) are read as numbers;
    // checked before the expensive part.
    let text_values: Option<Vec<f64>> = match (&value_col, opts.measure()) {
        (Some(col), Measure::Sum) if col.check_numeric().is_err() => Some(numbers_in_text(col)?),
        _ => None,
    };

    let xs = encode_categories(&x_col)?;
    let ys = encode_categories(&y_col)?;
    let rows = xs.codes.len();
    check_cells_memory(&xs, &ys, value_col.is_some())?;

    // Pass 1: the cell of every row, and the row count of every cell.
    let mut finder = CellFinder::new(xs.labels.len(), ys.labels.len());
    let mut row_cells = Vec::with_capacity(if value_col.is_some() { rows } else { 0 });
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    let mut skipped_rows = 0;
    for (&x, &y) in xs.codes.iter().zip(&ys.codes) {
        if x == Categories::NULL || y == Categories::NULL {
            skipped_rows += 1;
            if value_col.is_some() {
                row_cells.push(Categories::NULL);
            }
            continue;
        }
        let cell = finder.find_or_insert(x, y, || {
            pairs.push((x, y));
            counts.push(0);
            (pairs.len() - 1) as u32
        });
        counts[cell as usize] += 1;
        if value_col.is_some() {
            row_cells.push(cell);
        }
    }

    // Pass 2: the measure.
    let values: Vec<f64> = match (opts.measure(), &value_col) {
        (Measure::Sum, Some(col)) => {
            let mut sums = vec![NeumaierSum::default(); pairs.len()];
            let mut add = |row: usize, v: f64| {
                if let Some(&cell) = row_cells.get(row)
                    && cell != Categories::NULL
                    && !v.is_nan()
                {
                    sums[cell as usize].add(v);
                }
            };
            match &text_values {
                Some(values) => values.iter().enumerate().for_each(|(r, &v)| add(r, v)),
                None => for_each_number(col, add)?,
            }
            sums.iter().map(NeumaierSum::total).collect()
        }
        (Measure::DistinctCount, Some(col)) => {
            let vs = encode_categories(col)?;
            let mut seen = PairSet::new(pairs.len(), vs.labels.len());
            let mut distinct = vec![0u64; pairs.len()];
            for (&cell, &v) in row_cells.iter().zip(&vs.codes) {
                if cell != Categories::NULL && v != Categories::NULL && seen.insert(cell, v) {
                    distinct[cell as usize] += 1;
                }
            }
            distinct.iter().map(|&n| n as f64).collect()
        }
        _ => counts.iter().map(|&n| n as f64).collect(),
    };

    // Order: cells by (x, y) ascending; axes as MSTICPy's factor ranges.
    let x_rank = rank_used(&xs, pairs.iter().map(|p| p.0));
    let y_rank = rank_used(&ys, pairs.iter().map(|p| p.1));
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_unstable_by_key(|&c| (x_rank[pairs[c].0 as usize], y_rank[pairs[c].1 as usize]));

    let x_axis = axis_order(&x_rank, opts.axis_sort(opts.sort_x), false, |_| None);
    // Unsorted y: first appearance in (x, y) order. Sorted y is reversed because the list runs
    // bottom to top.
    let sorted_y_codes: Vec<u32> = order.iter().map(|&c| pairs[c].1).collect();
    let y_axis = axis_order(&y_rank, opts.axis_sort(opts.sort_y), true, |_| {
        Some(first_appearance(&sorted_y_codes, ys.labels.len()))
    });
    let x_pos = positions(&x_axis, xs.labels.len());
    let y_pos = positions(&y_axis, ys.labels.len());

    let sizes = scale(&values, opts.invert, opts.log_size);
    let max_size = sizes
        .iter()
        .copied()
        .filter(|s| !s.is_nan())
        .fold(f64::NAN, f64::max);
    let cells = order
        .iter()
        .map(|&c| MatrixCell {
            x: x_pos[pairs[c].0 as usize],
            y: y_pos[pairs[c].1 as usize],
            value: values[c],
            size: sizes[c],
            plot_size: sizes[c] * 10.0 / max_size,
        })
        .collect();

    Ok(Matrix {
        x_column: opts.x.clone(),
        y_column: opts.y.clone(),
        measure: opts.measure(),
        value_name: opts
            .value_col
            .clone()
            .unwrap_or_else(|| "row_count".to_owned()),
        x_labels: x_axis
            .iter()
            .map(|&c| xs.labels[c as usize].clone())
            .collect(),
        y_labels: y_axis
            .iter()
            .map(|&c| ys.labels[c as usize].clone())
            .collect(),
        cells,
        rows,
        skipped_rows,
        intersect: opts.intersect,
    })
}

/// MSTICPy's size formula: invert (max / v) first, then natural log.
fn scale(values: &[f64], invert: bool, log: bool) -> Vec<f64> {
    let max = values.iter().copied().fold(f64::NAN, f64::max);
    values
        .iter()
        .map(|&v| {
            let v = if invert { max / v } else { v };
            if log { v.ln() } else { v }
        })
        .collect()
}

/// Maps (x code, y code) to a cell id.
enum CellFinder {
    Dense { ny: usize, table: Vec<u32> },
    Sparse(HashMap<u64, u32>),
}

impl CellFinder {
    fn new(nx: usize, ny: usize) -> Self {
        match nx.checked_mul(ny) {
            Some(n) if n <= DENSE_LIMIT => CellFinder::Dense {
                ny,
                table: vec![u32::MAX; n],
            },
            _ => CellFinder::Sparse(HashMap::default()),
        }
    }

    #[inline]
    fn find_or_insert(&mut self, x: u32, y: u32, new: impl FnOnce() -> u32) -> u32 {
        match self {
            CellFinder::Dense { ny, table } => {
                let slot = &mut table[x as usize * *ny + y as usize];
                if *slot == u32::MAX {
                    *slot = new();
                }
                *slot
            }
            CellFinder::Sparse(map) => *map
                .entry((u64::from(x) << 32) | u64::from(y))
                .or_insert_with(new),
        }
    }
}

/// Which (cell, value) pairs have been seen: a bitset when cells × values is small, else a
/// hash set.
enum PairSet {
    Dense { values: usize, bits: Vec<u64> },
    Sparse(HashSet<u64>),
}

impl PairSet {
    fn new(cells: usize, values: usize) -> Self {
        match cells.checked_mul(values) {
            Some(n) if n <= DENSE_LIMIT * 8 => PairSet::Dense {
                values,
                bits: vec![0; n.div_ceil(64)],
            },
            _ => PairSet::Sparse(HashSet::default()),
        }
    }

    /// Marks (cell, value); true if it was not marked before.
    #[inline]
    fn insert(&mut self, cell: u32, value: u32) -> bool {
        match self {
            PairSet::Dense { values, bits } => {
                let i = cell as usize * *values + value as usize;
                let (word, bit) = (&mut bits[i / 64], 1u64 << (i % 64));
                let new = *word & bit == 0;
                *word |= bit;
                new
            }
            PairSet::Sparse(set) => set.insert((u64::from(cell) << 32) | u64::from(value)),
        }
    }
}

/// For every code used by some cell, its rank in ascending key order (`u32::MAX` if unused).
fn rank_used(cats: &Categories, used: impl Iterator<Item = u32>) -> Vec<u32> {
    let keys = &cats.keys;
    let mut is_used = vec![false; keys.len()];
    for code in used {
        is_used[code as usize] = true;
    }
    let mut codes: Vec<u32> = (0..keys.len() as u32)
        .filter(|&c| is_used[c as usize])
        .collect();
    codes.sort_by(|&a, &b| cats.compare(a, b));
    let mut rank = vec![u32::MAX; keys.len()];
    for (r, &c) in codes.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    rank
}

/// Codes in axis order. `flip` reverses sorted orders (the y list runs bottom to top);
/// `unsorted` supplies the order when there is no sort (`None` = ascending).
fn axis_order(
    rank: &[u32],
    sort: Option<SortOrder>,
    flip: bool,
    unsorted: impl FnOnce(()) -> Option<Vec<u32>>,
) -> Vec<u32> {
    let mut ascending: Vec<u32> = vec![0; rank.iter().filter(|&&r| r != u32::MAX).count()];
    for (code, &r) in rank.iter().enumerate() {
        if r != u32::MAX {
            ascending[r as usize] = code as u32;
        }
    }
    match sort {
        None => unsorted(()).unwrap_or(ascending),
        Some(order) => {
            if (order == SortOrder::Desc) != flip {
                ascending.reverse();
            }
            ascending
        }
    }
}

fn first_appearance(codes: &[u32], n: usize) -> Vec<u32> {
    let mut seen = vec![false; n];
    codes
        .iter()
        .copied()
        .filter(|&c| !std::mem::replace(&mut seen[c as usize], true))
        .collect()
}

/// Code → position in `axis`.
fn positions(axis: &[u32], n: usize) -> Vec<usize> {
    let mut pos = vec![usize::MAX; n];
    for (i, &c) in axis.iter().enumerate() {
        pos[c as usize] = i;
    }
    pos
}

/// Compensated (Neumaier) summation, so float sums match pandas' Kahan-summed `groupby.sum`.
#[derive(Debug, Clone, Copy, Default)]
struct NeumaierSum {
    sum: f64,
    compensation: f64,
}

impl NeumaierSum {
    #[inline]
    fn add(&mut self, v: f64) {
        let t = self.sum + v;
        if self.sum.abs() >= v.abs() {
            self.compensation += (self.sum - t) + v;
        } else {
            self.compensation += (v - t) + self.sum;
        }
        self.sum = t;
    }

    fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// What text columns write for "no value".
const NO_VALUE: [&str; 6] = ["", "-", "(empty)", "N/A", "null", "NaN"];

/// A text column's values as numbers (NaN for [`NO_VALUE`] and null); any other text is an
/// error naming the row and the value (a type error when no value is a number).
fn numbers_in_text(col: &crate::table::Column<'_>) -> Result<Vec<f64>> {
    let cats = encode_categories(col)?;
    let parsed: Vec<Option<f64>> = cats
        .labels
        .iter()
        .map(|l| {
            let t = l.trim();
            if NO_VALUE.iter().any(|n| n.eq_ignore_ascii_case(t)) {
                Some(f64::NAN)
            } else {
                t.parse::<f64>().ok()
            }
        })
        .collect();
    if !parsed.iter().any(|p| p.is_some_and(|v| !v.is_nan())) {
        // Text, not numbers written as text: a type error as for any other column.
        col.check_numeric()?;
    }
    cats.codes
        .iter()
        .enumerate()
        .map(|(row, &c)| {
            if c == Categories::NULL {
                return Ok(f64::NAN);
            }
            parsed[c as usize].ok_or_else(|| {
                Error::invalid_table(format!(
                    "column `{}` (valueCol) row {row} is {:?}, expected a number (or \"-\" or \
                     nothing for none)",
                    col.name(),
                    cats.labels[c as usize]
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::AxisSort;
    use crate::table::Value;

    fn t(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    /// x: a a b b c _   y: p p q p _ q   v: 1 2 3 _ 5 6
    fn table() -> Table {
        Table::from_rows(
            vec!["x".into(), "y".into(), "v".into()],
            vec![
                vec![t("b"), t("a"), t("a"), t("b"), t("c"), Value::Null],
                vec![t("q"), t("p"), t("p"), t("p"), Value::Null, t("q")],
                vec![
                    Value::Number(3.0),
                    Value::Number(1.0),
                    Value::Number(2.0),
                    Value::Null,
                    Value::Number(5.0),
                    Value::Number(6.0),
                ],
            ],
        )
        .unwrap()
    }

    fn cells(m: &Matrix) -> Vec<(String, String, f64)> {
        m.cells
            .iter()
            .map(|c| (m.x_labels[c.x].clone(), m.y_labels[c.y].clone(), c.value))
            .collect()
    }

    #[test]
    fn counts_skip_nulls_and_sort_groups() {
        let m = aggregate(&table(), &MatrixOptions::new("x", "y")).unwrap();
        assert_eq!((m.rows, m.skipped_rows), (6, 2));
        assert_eq!(m.x_labels, ["a", "b"]);
        assert_eq!(m.y_labels, ["p", "q"]);
        assert_eq!(
            cells(&m),
            [
                ("a".into(), "p".into(), 2.0),
                ("b".into(), "p".into(), 1.0),
                ("b".into(), "q".into(), 1.0)
            ]
        );
        let plot: Vec<f64> = m.cells.iter().map(|c| c.plot_size).collect();
        assert_eq!(plot, [10.0, 5.0, 5.0]);
    }

    #[test]
    fn sum_and_distinct() {
        let mut o = MatrixOptions::new("x", "y");
        o.value_col = Some("v".into());
        let m = aggregate(&table(), &o).unwrap();
        let values: Vec<f64> = m.cells.iter().map(|c| c.value).collect();
        assert_eq!(values, [3.0, 0.0, 3.0]);
        assert_eq!(m.value_name, "v");
        o.dist_count = true;
        let m = aggregate(&table(), &o).unwrap();
        let values: Vec<f64> = m.cells.iter().map(|c| c.value).collect();
        assert_eq!(values, [2.0, 0.0, 1.0]);
    }

    #[test]
    fn invert_then_log_with_ieee_edge_cases() {
        let mut o = MatrixOptions::new("x", "y");
        o.value_col = Some("v".into());
        o.invert = true;
        let m = aggregate(&table(), &o).unwrap();
        // max 3: 3/3 = 1, 3/0 = inf, 3/3 = 1; max size inf → finite 0, inf NaN.
        let sizes: Vec<f64> = m.cells.iter().map(|c| c.size).collect();
        assert_eq!(sizes, [1.0, f64::INFINITY, 1.0]);
        assert_eq!(m.cells[0].plot_size, 0.0);
        assert!(m.cells[1].plot_size.is_nan());
        o.invert = false;
        o.log_size = true;
        let m = aggregate(&table(), &o).unwrap();
        assert_eq!(m.cells[1].size, f64::NEG_INFINITY);
    }

    #[test]
    fn sorting_flips_y() {
        let mut o = MatrixOptions::new("x", "y");
        o.sort = Some(SortOrder::Asc);
        let m = aggregate(&table(), &o).unwrap();
        assert_eq!(
            (m.x_labels.clone(), m.y_labels.clone()),
            (
                vec!["a".to_owned(), "b".into()],
                vec!["q".to_owned(), "p".into()]
            )
        );
        o.sort_x = AxisSort::Sorted(SortOrder::Desc);
        o.sort_y = AxisSort::Off;
        let m = aggregate(&table(), &o).unwrap();
        assert_eq!(
            (m.x_labels.clone(), m.y_labels.clone()),
            (
                vec!["b".to_owned(), "a".into()],
                vec!["p".to_owned(), "q".into()]
            )
        );
        // Cells keep (x, y) ascending order whatever the axes say.
        assert_eq!(cells(&m)[0], ("a".into(), "p".into(), 2.0));
    }

    #[test]
    fn bad_options_and_columns_are_named() {
        let mut o = MatrixOptions::new("x", "nope");
        assert_eq!(
            aggregate(&table(), &o).unwrap_err().to_string(),
            "column `nope` (y) is not in the table; its columns are: x, y, v"
        );
        o.y = "y".into();
        o.value_col = Some("x".into());
        assert_eq!(
            aggregate(&table(), &o).unwrap_err().to_string(),
            "column `x` (valueCol) has type Utf8, expected a number"
        );
        o.value_col = None;
        o.dist_count = true;
        assert_eq!(
            aggregate(&table(), &o).unwrap_err().code(),
            "invalid-option"
        );
    }

    #[test]
    fn numbers_written_as_text_are_summed() {
        let text = |v: &[&str]| v.iter().map(|s| Value::Text((*s).to_owned())).collect();
        let t = Table::from_rows(
            vec!["src".into(), "dst".into(), "bytes".into()],
            vec![
                text(&["a", "a", "a", "b"]),
                text(&["x", "x", "x", "x"]),
                text(&["10", "-", " 2.5 ", ""]),
            ],
        )
        .unwrap();
        let mut o = MatrixOptions::new("src", "dst");
        o.value_col = Some("bytes".into());
        let mut bad = o.clone();
        bad.value_col = Some("src".into());
        assert_eq!(aggregate(&t, &bad).unwrap_err().code(), "column-type");
        let mixed = Table::from_rows(
            vec!["src".into(), "dst".into(), "bytes".into()],
            vec![text(&["a", "a"]), text(&["x", "x"]), text(&["1", "lots"])],
        )
        .unwrap();
        assert_eq!(
            aggregate(&mixed, &o).unwrap_err().to_string(),
            "invalid table: column `bytes` (valueCol) row 1 is \"lots\", expected a number (or \
             \"-\" or nothing for none)"
        );
        let m = aggregate(&t, &o).unwrap();
        let got: Vec<(String, f64)> = m
            .cells
            .iter()
            .map(|c| (m.x_labels[c.x].clone(), c.value))
            .collect();
        assert_eq!(got, [("a".to_owned(), 12.5), ("b".to_owned(), 0.0)]);
    }

    #[test]
    fn sparse_cell_map_matches_dense() {
        let n = 3000; // 3000 × 3000 > DENSE_LIMIT
        let xs: Vec<Value> = (0..n).map(|i| t(&format!("x{i}"))).collect();
        let ys: Vec<Value> = (0..n).map(|i| t(&format!("y{}", (i * 7) % n))).collect();
        let table = Table::from_rows(vec!["x".into(), "y".into()], vec![xs, ys]).unwrap();
        let m = aggregate(&table, &MatrixOptions::new("x", "y")).unwrap();
        assert_eq!(m.cells.len(), n);
        assert!(m.cells.iter().all(|c| c.value == 1.0));
    }

    #[test]
    fn neumaier_is_exact_where_naive_is_not() {
        let mut s = NeumaierSum::default();
        for v in [1e16, 1.0, -1e16] {
            s.add(v);
        }
        assert_eq!(s.total(), 1.0);
    }
}
