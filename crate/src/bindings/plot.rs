//! `MatrixPlot`: the wasm half of `plotMatrix` (the JS half owns the DOM events).

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::JsResult;
use super::matrix::{JsMatrixOptions, matrix_to_js};
use super::surface::Surface;
use super::table::table_from_js;
use crate::matrix::aggregate;
use crate::render::MatrixPlot;
use crate::table::Table;

/// A matrix plot bound to a canvas. Coordinates are CSS px relative to the canvas.
#[wasm_bindgen(js_name = MatrixPlot)]
pub struct JsMatrixPlot {
    surface: Surface,
    table: Table,
    plot: MatrixPlot,
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
        let surface = Surface::new(canvas)?;
        let table = table_from_js(&table)?;
        let opts = JsMatrixOptions::from_js(&options)?;
        let matrix = aggregate(&table, &opts.matrix_options()?)?;
        let plot = MatrixPlot::new(matrix, opts.style()?, width, height, &surface.measure());
        let mut this = JsMatrixPlot {
            surface,
            table,
            plot,
        };
        this.resize(width, height, dpr);
        Ok(this)
    }

    /// Re-aggregates with new options (a full options object) and resets the view.
    pub fn update(&mut self, options: JsValue) -> JsResult<()> {
        let opts = JsMatrixOptions::from_js(&options)?;
        let matrix = aggregate(&self.table, &opts.matrix_options()?)?;
        let (w, h) = (self.width(), self.height());
        self.plot = MatrixPlot::new(matrix, opts.style()?, w, h, &self.surface.measure());
        Ok(())
    }

    /// Sets the drawing size in CSS px and the device pixel ratio (sizes the backing store).
    pub fn resize(&mut self, width: f64, height: f64, dpr: f64) {
        self.surface.resize(width, height, dpr);
        self.plot.resize(width, height, &self.surface.measure());
    }

    /// Drawing width in CSS px.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> f64 {
        self.surface.width()
    }

    /// Drawing height in CSS px.
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> f64 {
        self.surface.height()
    }

    /// Paints the current view.
    pub fn draw(&self) -> JsResult<()> {
        self.surface
            .paint(&self.plot.scene(&self.surface.measure()))
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

    /// Marks cell `index` as selected (`undefined`: none).
    pub fn select(&mut self, index: Option<usize>) {
        self.plot.select(index);
    }

    /// The selected cell, or `undefined`.
    #[wasm_bindgen(getter)]
    pub fn selected(&self) -> Option<usize> {
        self.plot.selected()
    }

    /// The aggregated matrix, as `matrix()` returns it.
    pub fn matrix(&self) -> JsResult<JsValue> {
        matrix_to_js(self.plot.matrix())
    }
}
