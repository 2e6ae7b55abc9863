//! `matrix(table, options)`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, read_options, to_js};
use super::keys;
use super::table::table_from_js;
use huntkit::matrix::{Matrix, MatrixOptions, Measure, aggregate};
use huntkit::table::write_ipc_stream;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCell<'a> {
    x: &'a str,
    y: &'a str,
    x_index: usize,
    y_index: usize,
    value: f64,
    size: f64,
    plot_size: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsMatrix<'a> {
    x_column: &'a str,
    y_column: &'a str,
    measure: &'static str,
    value_name: &'a str,
    x_labels: &'a [String],
    y_labels: &'a [String],
    cells: Vec<JsCell<'a>>,
    rows: usize,
    skipped_rows: usize,
    intersect: bool,
}

/// The JS view of a [`Matrix`], with the cells also as Arrow IPC stream bytes (`arrow`).
pub fn matrix_to_js(m: &Matrix) -> JsResult<JsValue> {
    // The cells' view, then a table and its IPC bytes.
    m.check_output(4.0)?;
    let out = JsMatrix {
        x_column: &m.x_column,
        y_column: &m.y_column,
        measure: match m.measure {
            Measure::Count => "count",
            Measure::Sum => "sum",
            Measure::DistinctCount => "distinctCount",
        },
        value_name: &m.value_name,
        x_labels: &m.x_labels,
        y_labels: &m.y_labels,
        cells: m
            .cells
            .iter()
            .map(|c| JsCell {
                x: &m.x_labels[c.x],
                y: &m.y_labels[c.y],
                x_index: c.x,
                y_index: c.y,
                value: c.value,
                size: c.size,
                plot_size: c.plot_size,
            })
            .collect(),
        rows: m.rows,
        skipped_rows: m.skipped_rows,
        intersect: m.intersect,
    };
    let js = to_js(&out)?;
    let table = m.to_table()?;
    let bytes = write_ipc_stream(table.schema(), table.batches()?)?;
    js_sys::Reflect::set(&js, &"arrow".into(), &js_sys::Uint8Array::from(&bytes[..]))?;
    Ok(js)
}

/// Aggregates `table` by (x, y); see the JS docs of `matrix` in `huntkit.d.ts`.
#[wasm_bindgen]
pub fn matrix(table: JsValue, options: JsValue) -> JsResult<JsValue> {
    let opts = MatrixOptions::read(&read_options(&options, keys::MATRIX)?)?;
    let table = table_from_js(&table)?;
    matrix_to_js(&aggregate(&table, &opts)?)
}
