//! `MatrixPlot`: the wasm half of `plotMatrix` (the JS half owns the DOM events).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::error::JsResult;
use super::matrix::{JsMatrixOptions, matrix_to_js};
use super::table::table_from_js;
use crate::Error;
use crate::matrix::aggregate;
use crate::render::MatrixPlot;
use crate::render::canvas::{CanvasMeasure, paint};
use crate::table::Table;

/// A matrix plot bound to a canvas. Coordinates are CSS px relative to the canvas.
#[wasm_bindgen(js_name = MatrixPlot)]
pub struct JsMatrixPlot {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    table: Table,
    plot: MatrixPlot,
    dpr: f64,
}

#[wasm_bindgen(js_class = MatrixPlot)]
impl JsMatrixPlot {
    /// Aggregates `table` with `options` and lays the plot out for `width` × `height` CSS px.
    #[wasm_bindgen(constructor)]
    pub fn new(
        canvas: HtmlCanvasElement,
        table: JsValue,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsMatrixPlot> {
        let ctx = canvas
            .get_context("2d")?
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            .ok_or_else(|| Error::invalid_option("element", "the canvas has no 2d context"))?;
        let table = table_from_js(&table)?;
        let opts = JsMatrixOptions::from_js(&options)?;
        let matrix = aggregate(&table, &opts.matrix_options()?)?;
        let plot = MatrixPlot::new(matrix, opts.style()?, width, height, &CanvasMeasure(&ctx));
        let mut this = JsMatrixPlot {
            canvas,
            ctx,
            table,
            plot,
            dpr: 1.0,
        };
        this.resize(width, height, dpr);
        Ok(this)
    }

    /// Re-aggregates with new options (a full options object) and resets the view.
    pub fn update(&mut self, options: JsValue) -> JsResult<()> {
        let opts = JsMatrixOptions::from_js(&options)?;
        let matrix = aggregate(&self.table, &opts.matrix_options()?)?;
        let (w, h) = (self.width(), self.height());
        self.plot = MatrixPlot::new(matrix, opts.style()?, w, h, &CanvasMeasure(&self.ctx));
        Ok(())
    }

    /// Sets the drawing size in CSS px and the device pixel ratio (sizes the backing store).
    pub fn resize(&mut self, width: f64, height: f64, dpr: f64) {
        self.dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr
        } else {
            1.0
        };
        self.canvas
            .set_width((width * self.dpr).round().max(1.0) as u32);
        self.canvas
            .set_height((height * self.dpr).round().max(1.0) as u32);
        self.plot.resize(width, height, &CanvasMeasure(&self.ctx));
    }

    /// Drawing width in CSS px.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> f64 {
        f64::from(self.canvas.width()) / self.dpr
    }

    /// Drawing height in CSS px.
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> f64 {
        f64::from(self.canvas.height()) / self.dpr
    }

    /// Paints the current view.
    pub fn draw(&self) -> JsResult<()> {
        let scene = self.plot.scene(&CanvasMeasure(&self.ctx));
        paint(&self.ctx, &scene, self.dpr)
    }

    /// The cell under (`x`, `y`), or `undefined`.
    #[wasm_bindgen(js_name = hitTest)]
    pub fn hit_test(&self, x: f64, y: f64) -> Option<usize> {
        self.plot.hit(x, y)
    }

    /// Tooltip lines for a cell.
    pub fn tooltip(&self, index: usize) -> Vec<String> {
        self.plot.tooltip(index)
    }

    /// `[cx, cy, r]` of a cell's marker in CSS px, or `undefined`.
    pub fn marker(&self, index: usize) -> Option<Vec<f64>> {
        self.plot.marker(index).map(|(x, y, r)| vec![x, y, r])
    }

    /// Whether (`x`, `y`) is inside the plot area (where wheel and drag act).
    #[wasm_bindgen(js_name = inPlot)]
    pub fn in_plot(&self, x: f64, y: f64) -> bool {
        self.plot.in_plot(x, y)
    }

    /// Zooms by `factor` around (`x`, `y`).
    #[wasm_bindgen(js_name = zoomAt)]
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        self.plot.zoom_at(factor, x, y);
    }

    /// Pans by (`dx`, `dy`).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.plot.pan(dx, dy);
    }

    /// Back to zoom 1.
    #[wasm_bindgen(js_name = resetView)]
    pub fn reset_view(&mut self) {
        self.plot.reset_view();
    }

    /// The zoom factor (1 = whole matrix).
    #[wasm_bindgen(getter)]
    pub fn zoom(&self) -> f64 {
        self.plot.view().k
    }

    /// The aggregated matrix, as `matrix()` returns it.
    pub fn matrix(&self) -> JsResult<JsValue> {
        matrix_to_js(self.plot.matrix())
    }
}
