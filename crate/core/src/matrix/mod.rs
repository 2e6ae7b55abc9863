//! Matrix aggregation: how often (or how much) each pair of values of two columns occurs —
//! MSTICPy's matrix plot (`msticpy.vis.matrix_plot.plot_matrix`), computed in one pass over the table.
//!
//! ```
//! use huntkit::matrix::{aggregate, MatrixOptions};
//! use huntkit::table::{Table, Value};
//!
//! let text = |s: &str| Value::Text(s.to_owned());
//! let table = Table::from_rows(
//!     vec!["src".into(), "dst".into()],
//!     vec![
//!         vec![text("a"), text("a"), text("b")],
//!         vec![text("x"), text("x"), text("y")],
//!     ],
//! )?;
//! let m = aggregate(&table, &MatrixOptions::new("src", "dst"))?;
//! assert_eq!(m.x_labels, ["a", "b"]);
//! assert_eq!((m.cells[0].value, m.cells[0].plot_size), (2.0, 10.0));
//! # Ok::<(), huntkit::Error>(())
//! ```
//!
//! Differences from MSTICPy, on purpose (also listed in the README):
//! * the count is the number of rows per (x, y) pair. MSTICPy counts the non-null values of a
//!   column picked by Python's string hashing, so its counts vary between runs and can be 0;
//! * `distCount` without `valueCol` is an error (MSTICPy silently ignores it), and so is an
//!   unknown `sort` word (MSTICPy sorts descending for any string not starting with "asc");
//! * `sortX: false` switches sorting off for x even when `sort` is on (MSTICPy evaluates
//!   `sort_x or sort`);
//! * a string `valueCol` without `distCount` is an error naming the column (MSTICPy concatenates
//!   the strings and then fails while scaling).

mod aggregate;

pub use aggregate::aggregate;

use crate::options::{Opt, Options};

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first (numbers numerically, text by code point).
    Asc,
    /// Largest first.
    Desc,
}

impl std::str::FromStr for SortOrder {
    type Err = crate::Error;

    /// `asc`/`ascending` or `desc`/`descending`, any case. MSTICPy takes any other string as
    /// descending; huntkit rejects it, naming the option.
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "asc" | "ascending" => Ok(SortOrder::Asc),
            "desc" | "descending" => Ok(SortOrder::Desc),
            _ => Err(crate::Error::invalid_option(
                "sort",
                format!("expected \"asc\", \"desc\", true or false, got {s:?}"),
            )),
        }
    }
}

/// How one axis is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisSort {
    /// Use [`MatrixOptions::sort`].
    #[default]
    Inherit,
    /// MSTICPy's unsorted order, whatever `sort` says.
    Off,
    /// Sorted.
    Sorted(SortOrder),
}

/// What is measured per (x, y) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Number of rows.
    Count,
    /// Sum of the value column (nulls and NaN skipped; an all-null pair sums to 0).
    Sum,
    /// Number of distinct non-null values of the value column.
    DistinctCount,
}

/// Options of [`aggregate`]; [`MatrixOptions::new`] gives MSTICPy's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixOptions {
    /// The x column.
    pub x: String,
    /// The y column.
    pub y: String,
    /// Column summed (or, with `dist_count`, whose distinct values are counted) per pair.
    pub value_col: Option<String>,
    /// Count distinct values of `value_col` instead of summing it.
    pub dist_count: bool,
    /// Natural log of the size (after `invert`). ln(1) = 0, so single-row cells get size 0.
    pub log_size: bool,
    /// Size = max / value, so rare pairs stand out.
    pub invert: bool,
    /// Presence only: draw every pair with the same marker.
    pub intersect: bool,
    /// Sort both axes; `None` keeps MSTICPy's unsorted order.
    pub sort: Option<SortOrder>,
    /// Per-axis override of `sort` for x.
    pub sort_x: AxisSort,
    /// Per-axis override of `sort` for y.
    pub sort_y: AxisSort,
}

impl MatrixOptions {
    /// The keys of `matrix`'s options object (MSTICPy's `x_col`/`y_col` spelt `xCol`/`yCol`).
    pub const KEYS: &[&str] = &[
        "x",
        "y",
        "xCol",
        "yCol",
        "valueCol",
        "distCount",
        "logSize",
        "invert",
        "intersect",
        "sort",
        "sortX",
        "sortY",
    ];

    /// Reads `matrix`'s options (the keys of [`Self::KEYS`]; other keys are the caller's to
    /// check). `x` and `y` are required.
    pub fn read(o: &Options<'_>) -> crate::Result<Self> {
        let x = o.string("x")?.or(o.string("xCol")?);
        let y = o.string("y")?.or(o.string("yCol")?);
        let (Some(x), Some(y)) = (x.clone(), y) else {
            return Err(crate::Error::invalid_option(
                if x.is_none() { "x" } else { "y" },
                "both `x` and `y` column names are required",
            ));
        };
        // `sort`, `sortX`, `sortY`: a boolean or "asc"/"desc"; `None` when not given.
        let sort = |name: &'static str| -> crate::Result<Option<Option<SortOrder>>> {
            match o.get(name) {
                Opt::Absent => Ok(None),
                Opt::Bool(b) => Ok(Some(b.then_some(SortOrder::Asc))),
                Opt::Text(w) => w.parse().map(|s| Some(Some(s))),
                v => Err(Options::wrong(name, &v, "a boolean or \"asc\"/\"desc\"")),
            }
        };
        let axis = |name| -> crate::Result<AxisSort> {
            Ok(match sort(name)? {
                None => AxisSort::Inherit,
                Some(order) => order.map_or(AxisSort::Off, AxisSort::Sorted),
            })
        };
        Ok(MatrixOptions {
            value_col: o.string("valueCol")?,
            dist_count: o.flag("distCount")?,
            log_size: o.flag("logSize")?,
            invert: o.flag("invert")?,
            intersect: o.flag("intersect")?,
            sort: sort("sort")?.flatten(),
            sort_x: axis("sortX")?,
            sort_y: axis("sortY")?,
            ..MatrixOptions::new(x, y)
        })
    }

    /// Count rows per (x, y) with no scaling and no sorting.
    pub fn new(x: impl Into<String>, y: impl Into<String>) -> Self {
        MatrixOptions {
            x: x.into(),
            y: y.into(),
            value_col: None,
            dist_count: false,
            log_size: false,
            invert: false,
            intersect: false,
            sort: None,
            sort_x: AxisSort::Inherit,
            sort_y: AxisSort::Inherit,
        }
    }

    /// What is measured with these options.
    pub fn measure(&self) -> Measure {
        match (&self.value_col, self.dist_count) {
            (None, _) => Measure::Count,
            (Some(_), false) => Measure::Sum,
            (Some(_), true) => Measure::DistinctCount,
        }
    }

    fn axis_sort(&self, axis: AxisSort) -> Option<SortOrder> {
        match axis {
            AxisSort::Inherit => self.sort,
            AxisSort::Off => None,
            AxisSort::Sorted(order) => Some(order),
        }
    }
}

/// One (x, y) pair that occurs in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    /// Index into [`Matrix::x_labels`].
    pub x: usize,
    /// Index into [`Matrix::y_labels`].
    pub y: usize,
    /// The measure: rows, sum or distinct count.
    pub value: f64,
    /// `value` after `invert` (max / value) then `log_size` (ln); may be ±inf or NaN exactly
    /// where MSTICPy's is.
    pub size: f64,
    /// `size × 10 / max(size)` (max ignoring NaN): the marker size MSTICPy draws, 0–10.
    pub plot_size: f64,
}

/// The result of [`aggregate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Name of the x column.
    pub x_column: String,
    /// Name of the y column.
    pub y_column: String,
    /// What `value` measures.
    pub measure: Measure,
    /// `row_count`, or the value column's name (MSTICPy's column name for the value).
    pub value_name: String,
    /// x axis labels, left to right.
    pub x_labels: Vec<String>,
    /// y axis labels, **bottom to top** (Bokeh's factor order, as in MSTICPy's goldens): with
    /// `sort = Asc` the list is descending so the axis reads ascending from the top.
    pub y_labels: Vec<String>,
    /// One cell per pair, ordered by x then y ascending (pandas' `groupby` order).
    pub cells: Vec<MatrixCell>,
    /// Rows read.
    pub rows: usize,
    /// Rows skipped because x or y was null (or NaN).
    pub skipped_rows: usize,
    /// The `intersect` option, for renderers.
    pub intersect: bool,
}

impl Matrix {
    /// A `too-large` error when the cells, each with copies of its labels, would not fit
    /// `copies` times (a table, its IPC bytes, a host's view): a matrix of mostly distinct
    /// pairs outgrows its input.
    pub fn check_output(&self, copies: f64) -> crate::Result<()> {
        let text: u64 = self
            .cells
            .iter()
            .map(|c| (self.x_labels[c.x].len() + self.y_labels[c.y].len()) as u64)
            .sum();
        let cells = self.cells.len().max(1);
        crate::memory::Need::new(
            "matrix",
            "cells",
            self.cells.len() as u64,
            copies * (48.0 + text as f64 / cells as f64),
        )
        .check()
    }

    /// The cells as a table with MSTICPy's columns: x, y, the value (named [`Matrix::value_name`]),
    /// `size` and `plot_size`, in cell order.
    pub fn to_table(&self) -> crate::Result<crate::table::Table> {
        use std::sync::Arc;

        use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
        use arrow_schema::{DataType, Field, Schema};

        self.check_output(1.0)?;
        let labels = |pick: fn(&MatrixCell) -> usize, labels: &[String]| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(
                self.cells.iter().map(|c| labels[pick(c)].as_str()),
            ))
        };
        let numbers = |pick: fn(&MatrixCell) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from_iter_values(self.cells.iter().map(pick)))
        };
        let schema = Arc::new(Schema::new(vec![
            Field::new(&self.x_column, DataType::Utf8, false),
            Field::new(&self.y_column, DataType::Utf8, false),
            Field::new(&self.value_name, DataType::Float64, false),
            Field::new("size", DataType::Float64, false),
            Field::new("plot_size", DataType::Float64, false),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                labels(|c| c.x, &self.x_labels),
                labels(|c| c.y, &self.y_labels),
                numbers(|c| c.value),
                numbers(|c| c.size),
                numbers(|c| c.plot_size),
            ],
        )?;
        crate::table::Table::new(schema, vec![batch])
    }
}
