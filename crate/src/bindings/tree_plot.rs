//! The options of `plotProcessTree`, read into a [`TreeStyle`] (the plot itself is a
//! [`super::plot::JsPlot`]).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, Options, check_keys};
use crate::Error;
use crate::render::{PidFormat, TreeStyle};

/// Option names `TreePlot` reads (`width`/`height`/`showTable` are the JS half's).
pub(super) const KEYS: [&str; 12] = [
    "schema",
    "eventFilter",
    "badTimes",
    "legendCol",
    "tooltipCols",
    "title",
    "rowHeight",
    "hideLegend",
    "pidFmt",
    "width",
    "height",
    "showTable",
];

/// Reads the style options (`legendCol`, `tooltipCols`, `title`, `rowHeight`, `hideLegend`,
/// `pidFmt`); the keys checked are every option `plotProcessTree` takes.
pub(super) fn style_of(options: &JsValue) -> JsResult<TreeStyle> {
    let mut style = TreeStyle::default();
    if options.is_undefined() || options.is_null() {
        return Ok(style);
    }
    check_keys(options, &KEYS)?;
    let o = Options(options);
    style.legend_col = o.string("legendCol")?;
    if let Some(title) = o.string("title")? {
        style.title = title;
    }
    if let Some(h) = o.number("rowHeight")? {
        if !(h.is_finite() && (8.0..=200.0).contains(&h)) {
            return Err(
                Error::invalid_option("rowHeight", "expected a number from 8 to 200").into(),
            );
        }
        style.row_height = h;
    }
    style.hide_legend = o.flag("hideLegend")?;
    if let Some(name) = o.string("pidFmt")? {
        style.pid_format = PidFormat::parse(&name).ok_or_else(|| {
            Error::invalid_option(
                "pidFmt",
                format!("expected \"hex\", \"dec\" or \"guid\", got {name:?}"),
            )
        })?;
    }
    let cols = o.get("tooltipCols")?;
    if !cols.is_undefined() && !cols.is_null() {
        let arr = cols
            .dyn_ref::<js_sys::Array>()
            .ok_or_else(|| o.wrong("tooltipCols", &cols, "an array of column names"))?;
        let names = arr
            .iter()
            .map(|v| v.as_string())
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| o.wrong("tooltipCols", &cols, "an array of column names"))?;
        style.tooltip_cols = Some(names);
    }
    Ok(style)
}
