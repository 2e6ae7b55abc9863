//! A canvas and its 2d context, sized for the device pixel ratio: what every plot draws on.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::error::JsResult;
use crate::canvas::{CanvasMeasure, paint};
use huntkit::Error;
use huntkit::render::Scene;

/// A plot's canvas.
pub struct Surface {
    pub canvas: HtmlCanvasElement,
    pub ctx: CanvasRenderingContext2d,
    dpr: f64,
}

impl Surface {
    /// The canvas's 2d context (an error if it has none).
    pub fn new(canvas: HtmlCanvasElement) -> JsResult<Surface> {
        let ctx = canvas
            .get_context("2d")?
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            .ok_or_else(|| Error::invalid_option("element", "the canvas has no 2d context"))?;
        Ok(Surface {
            canvas,
            ctx,
            dpr: 1.0,
        })
    }

    /// Sizes the backing store for `width` × `height` CSS px at device pixel ratio `dpr`.
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
    }

    /// Drawing width in CSS px.
    pub fn width(&self) -> f64 {
        f64::from(self.canvas.width()) / self.dpr
    }

    /// Drawing height in CSS px.
    pub fn height(&self) -> f64 {
        f64::from(self.canvas.height()) / self.dpr
    }

    /// Text measurement with the canvas's fonts.
    pub fn measure(&self) -> CanvasMeasure<'_> {
        CanvasMeasure(&self.ctx)
    }

    /// Paints `scene`.
    pub fn paint(&self, scene: &Scene) -> JsResult<()> {
        Ok(paint(&self.ctx, scene, self.dpr)?)
    }
}
