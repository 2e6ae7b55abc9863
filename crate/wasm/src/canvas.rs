//! Paints a [`Scene`] on a `CanvasRenderingContext2d` (the only web-sys code outside the bindings).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use huntkit::render::{Align, Baseline, Color, Scene, Shape, TextMeasure};

fn font(px: f64, bold: bool) -> String {
    format!("{}{px}px sans-serif", if bold { "bold " } else { "" })
}

/// [`TextMeasure`] through the context's `measureText`.
pub struct CanvasMeasure<'a>(pub &'a CanvasRenderingContext2d);

impl TextMeasure for CanvasMeasure<'_> {
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64 {
        self.0.set_font(&font(font_px, bold));
        self.0.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
    }
}

/// Strokes the line through `points` (nothing for none).
fn stroke_path(ctx: &CanvasRenderingContext2d, points: &[(f64, f64)], stroke: Color, width: f64) {
    let Some((&(x0, y0), rest)) = points.split_first() else {
        return;
    };
    ctx.begin_path();
    ctx.move_to(x0, y0);
    for &(x, y) in rest {
        ctx.line_to(x, y);
    }
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(&stroke.css());
    ctx.stroke();
}

thread_local! {
    /// The one-row canvas density strips are drawn through, made once.
    static STRIP: std::cell::RefCell<Option<(HtmlCanvasElement, CanvasRenderingContext2d)>> =
        const { std::cell::RefCell::new(None) };
}

/// The strip canvas, `width` px wide and 1 high, from `ctx`'s document.
fn strip_canvas(
    ctx: &CanvasRenderingContext2d,
    width: usize,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let made = STRIP.with_borrow(Clone::clone);
    let (canvas, scratch) = match made {
        Some(made) => made,
        None => {
            let document = ctx
                .canvas()
                .and_then(|c| c.owner_document())
                .ok_or_else(|| JsValue::from_str("the canvas has no document"))?;
            let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
            let scratch: CanvasRenderingContext2d = canvas
                .get_context("2d")?
                .ok_or_else(|| JsValue::from_str("no 2d context"))?
                .dyn_into()?;
            STRIP.set(Some((canvas.clone(), scratch.clone())));
            (canvas, scratch)
        }
    };
    let width = width.max(1) as u32;
    // Setting a size clears and reallocates the canvas: only when it changes.
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != 1 {
        canvas.set_height(1);
    }
    Ok((canvas, scratch))
}

/// Paints `scene` at `dpr` device pixels per CSS pixel (the canvas backing store must be
/// `scene.width × dpr` by `scene.height × dpr`).
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &Scene, dpr: f64) -> Result<(), JsValue> {
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    let mut shapes = scene.shapes.iter().peekable();
    while let Some(shape) = shapes.next() {
        match shape {
            Shape::Rect { x, y, w, h, fill } => {
                ctx.set_fill_style_str(&fill.css());
                ctx.fill_rect(*x, *y, *w, *h);
            }
            Shape::Box {
                x,
                y,
                w,
                h,
                fill,
                stroke,
                line_width,
                dashed,
                ..
            } => {
                if let Some(fill) = fill {
                    ctx.set_fill_style_str(&fill.css());
                    ctx.fill_rect(*x, *y, *w, *h);
                }
                if let Some(stroke) = stroke {
                    let dash = js_sys::Array::new();
                    if *dashed {
                        dash.push(&JsValue::from_f64(4.0));
                        dash.push(&JsValue::from_f64(3.0));
                    }
                    ctx.set_line_dash(&dash)?;
                    ctx.set_line_width(*line_width);
                    ctx.set_stroke_style_str(&stroke.css());
                    ctx.stroke_rect(*x, *y, *w, *h);
                    if *dashed {
                        ctx.set_line_dash(&js_sys::Array::new())?;
                    }
                }
            }
            Shape::Line {
                x1,
                y1,
                x2,
                y2,
                stroke,
                width,
            } => stroke_path(ctx, &[(*x1, *y1), (*x2, *y2)], *stroke, *width),
            Shape::DashedLine {
                x1,
                y1,
                x2,
                y2,
                stroke,
                width,
                dash,
            } => {
                let pattern =
                    js_sys::Array::of2(&JsValue::from_f64(*dash), &JsValue::from_f64(*dash));
                ctx.set_line_dash(&pattern)?;
                stroke_path(ctx, &[(*x1, *y1), (*x2, *y2)], *stroke, *width);
                ctx.set_line_dash(&js_sys::Array::new())?;
            }
            Shape::Diamond { fill, stroke, .. } => {
                // A run of diamonds of one style is one path: thousands of events in view
                // cost one fill and one stroke, not thousands.
                ctx.begin_path();
                let add = |shape: &Shape| {
                    if let Shape::Diamond { cx, cy, w, h, .. } = shape {
                        ctx.move_to(*cx, cy - h / 2.0);
                        ctx.line_to(cx + w / 2.0, *cy);
                        ctx.line_to(*cx, cy + h / 2.0);
                        ctx.line_to(cx - w / 2.0, *cy);
                        ctx.close_path();
                    }
                };
                add(shape);
                while let Some(next) = shapes.next_if(|n| {
                    matches!(n, Shape::Diamond { fill: f, stroke: s, .. } if f == fill && s == stroke)
                }) {
                    add(next);
                }
                if let Some(fill) = fill {
                    ctx.set_fill_style_str(&fill.css());
                    ctx.fill();
                }
                if let Some(stroke) = stroke {
                    ctx.set_line_width(1.0);
                    ctx.set_stroke_style_str(&stroke.css());
                    ctx.stroke();
                }
            }
            Shape::Polyline {
                points,
                stroke,
                width,
            } => stroke_path(ctx, points, *stroke, *width),
            Shape::Strip {
                x,
                y,
                h,
                step,
                levels,
                max_level,
                color,
            } => {
                // One image, a pixel per column, stretched over the strip: two calls however
                // many columns (a rectangle each was a third of a 10M-event frame).
                let mut rgba = Vec::with_capacity(levels.len() * 4);
                for &l in levels {
                    let alpha = color.a * f64::from(l.min(*max_level)) / f64::from(*max_level);
                    rgba.extend([color.r, color.g, color.b, (alpha * 255.0).round() as u8]);
                }
                let scratch = strip_canvas(ctx, levels.len())?;
                let image = web_sys::ImageData::new_with_u8_clamped_array(
                    wasm_bindgen::Clamped(&rgba),
                    levels.len().max(1) as u32,
                )?;
                scratch.1.put_image_data(&image, 0.0, 0.0)?;
                ctx.set_image_smoothing_enabled(false);
                ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                    &scratch.0,
                    0.0,
                    0.0,
                    levels.len() as f64,
                    1.0,
                    *x,
                    *y,
                    levels.len() as f64 * step,
                    *h,
                )?;
                ctx.set_image_smoothing_enabled(true);
            }
            Shape::Bars {
                x,
                step,
                tops,
                bottoms,
                fill,
            } => {
                ctx.set_fill_style_str(&fill.css());
                for (i, (&t, &b)) in tops.iter().zip(bottoms).enumerate() {
                    if t.is_finite() && b.is_finite() {
                        let (top, bottom) = (f64::from(t.min(b)), f64::from(t.max(b)));
                        ctx.fill_rect(x + i as f64 * step, top, *step, (bottom - top).max(1.0));
                    }
                }
            }
            Shape::Circle {
                cx,
                cy,
                r,
                fill,
                stroke,
                cross,
                ..
            } => {
                ctx.begin_path();
                ctx.arc(*cx, *cy, *r, 0.0, std::f64::consts::TAU)?;
                if let Some(fill) = fill {
                    ctx.set_fill_style_str(&fill.css());
                    ctx.fill();
                }
                if let Some(stroke) = stroke {
                    ctx.set_line_width(1.0);
                    ctx.set_stroke_style_str(&stroke.css());
                    if *cross {
                        ctx.move_to(cx - r, *cy);
                        ctx.line_to(cx + r, *cy);
                        ctx.move_to(*cx, cy - r);
                        ctx.line_to(*cx, cy + r);
                    }
                    ctx.stroke();
                }
            }
            Shape::Text {
                x,
                y,
                text,
                font_px,
                bold,
                color,
                align,
                baseline,
                angle,
            } => {
                ctx.save();
                ctx.translate(*x, *y)?;
                if *angle != 0.0 {
                    ctx.rotate(*angle)?;
                }
                ctx.set_font(&font(*font_px, *bold));
                ctx.set_fill_style_str(&color.css());
                ctx.set_text_align(match align {
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                });
                ctx.set_text_baseline(match baseline {
                    Baseline::Top => "top",
                    Baseline::Middle => "middle",
                    Baseline::Bottom => "bottom",
                });
                ctx.fill_text(text, 0.0, 0.0)?;
                ctx.restore();
            }
            Shape::Clip { x, y, w, h } => {
                ctx.save();
                ctx.begin_path();
                ctx.rect(*x, *y, *w, *h);
                ctx.clip();
            }
            Shape::Unclip => ctx.restore(),
        }
    }
    Ok(())
}
