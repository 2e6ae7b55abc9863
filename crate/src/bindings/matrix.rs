//! `matrix(table, options)`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, Options, check_keys, to_js};
use super::table::table_from_js;
use crate::Error;
use crate::matrix::{AxisSort, Matrix, MatrixOptions, Measure, SortOrder, aggregate};
use crate::render::{Color, MatrixStyle};
use crate::table::write_ipc_stream;

/// `sort`, `sortX`, `sortY`: a boolean or `"asc"`/`"desc"`.
enum SortArg {
    Flag(bool),
    Word(String),
}

impl SortArg {
    fn order(&self) -> crate::Result<Option<SortOrder>> {
        match self {
            SortArg::Flag(true) => Ok(Some(SortOrder::Asc)),
            SortArg::Flag(false) => Ok(None),
            SortArg::Word(w) => w.parse().map(Some),
        }
    }

    fn axis(arg: &Option<SortArg>) -> crate::Result<AxisSort> {
        Ok(match arg {
            None => AxisSort::Inherit,
            Some(a) => a.order()?.map_or(AxisSort::Off, AxisSort::Sorted),
        })
    }
}

/// Keys [`JsMatrixOptions`] accepts; any other key is an error with a close-match hint (as
/// MSTICPy does), so typos surface.
const OPTION_KEYS: &[&str] = &[
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
    "title",
    "color",
    "fontSize",
    "maxLabelFontSize",
    "minRadius",
];

/// The options object of `matrix` and `plotMatrix` (camelCase; MSTICPy's `x_col`/`y_col`
/// spellings are accepted as `xCol`/`yCol`). `null` and `undefined` mean "not given".
#[derive(Default)]
pub struct JsMatrixOptions {
    x: Option<String>,
    y: Option<String>,
    value_col: Option<String>,
    dist_count: bool,
    log_size: bool,
    invert: bool,
    intersect: bool,
    sort: Option<SortArg>,
    sort_x: Option<SortArg>,
    sort_y: Option<SortArg>,
    // Plot-only options (ignored by `matrix`).
    title: Option<String>,
    color: Option<String>,
    font_size: Option<f64>,
    max_label_font_size: Option<f64>,
    min_radius: Option<f64>,
}

impl JsMatrixOptions {
    pub fn from_js(value: &JsValue) -> JsResult<Self> {
        if value.is_undefined() || value.is_null() {
            return Ok(Self::default());
        }
        check_keys(value, OPTION_KEYS)?;
        let o = Options(value);
        let sort = |name| -> JsResult<Option<SortArg>> {
            let v = o.get(name)?;
            Ok(match (v.as_bool(), v.as_string()) {
                _ if v.is_undefined() || v.is_null() => None,
                (Some(b), _) => Some(SortArg::Flag(b)),
                (_, Some(s)) => Some(SortArg::Word(s)),
                _ => return Err(o.wrong(name, &v, "a boolean or \"asc\"/\"desc\"")),
            })
        };
        Ok(JsMatrixOptions {
            x: o.string("x")?.or(o.string("xCol")?),
            y: o.string("y")?.or(o.string("yCol")?),
            value_col: o.string("valueCol")?,
            dist_count: o.flag("distCount")?,
            log_size: o.flag("logSize")?,
            invert: o.flag("invert")?,
            intersect: o.flag("intersect")?,
            sort: sort("sort")?,
            sort_x: sort("sortX")?,
            sort_y: sort("sortY")?,
            title: o.string("title")?,
            color: o.string("color")?,
            font_size: o.number("fontSize")?,
            max_label_font_size: o.number("maxLabelFontSize")?,
            min_radius: o.number("minRadius")?,
        })
    }

    pub fn matrix_options(&self) -> crate::Result<MatrixOptions> {
        let (Some(x), Some(y)) = (&self.x, &self.y) else {
            return Err(Error::invalid_option(
                if self.x.is_none() { "x" } else { "y" },
                "both `x` and `y` column names are required",
            ));
        };
        let mut o = MatrixOptions::new(x, y);
        o.value_col = self.value_col.clone();
        o.dist_count = self.dist_count;
        o.log_size = self.log_size;
        o.invert = self.invert;
        o.intersect = self.intersect;
        o.sort = match &self.sort {
            Some(s) => s.order()?,
            None => None,
        };
        o.sort_x = SortArg::axis(&self.sort_x)?;
        o.sort_y = SortArg::axis(&self.sort_y)?;
        Ok(o)
    }

    pub fn style(&self) -> crate::Result<MatrixStyle> {
        let mut style = MatrixStyle::default();
        if let Some(title) = &self.title {
            style.title = title.clone();
        }
        if let Some(color) = &self.color {
            style.color = Color::parse(color).ok_or_else(|| {
                Error::invalid_option(
                    "color",
                    format!("expected #rgb, #rrggbb or a basic CSS colour name, got {color:?}"),
                )
            })?;
        }
        let positive = |name: &'static str, v: Option<f64>| -> crate::Result<Option<f64>> {
            match v {
                Some(v) if !(v.is_finite() && v > 0.0) => Err(Error::invalid_option(
                    name,
                    format!("expected a positive number, got {v}"),
                )),
                v => Ok(v),
            }
        };
        style.font_size = positive("fontSize", self.font_size)?;
        if let Some(v) = positive("maxLabelFontSize", self.max_label_font_size)? {
            style.max_label_font_size = v;
        }
        if let Some(v) = positive("minRadius", self.min_radius)? {
            style.min_radius = v;
        }
        Ok(style)
    }
}

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
    let opts = JsMatrixOptions::from_js(&options)?.matrix_options()?;
    let table = table_from_js(&table)?;
    matrix_to_js(&aggregate(&table, &opts)?)
}
