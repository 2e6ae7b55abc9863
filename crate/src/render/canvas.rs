//! Paints a [`Scene`] on a `CanvasRenderingContext2d` (the only web-sys code in `render`).

use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

use super::scene::{Align, Baseline, Scene, Shape};
use super::text::TextMeasure;

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

/// Paints `scene` at `dpr` device pixels per CSS pixel (the canvas backing store must be
/// `scene.width × dpr` by `scene.height × dpr`).
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &Scene, dpr: f64) -> Result<(), JsValue> {
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    for shape in &scene.shapes {
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
            } => {
                ctx.begin_path();
                ctx.move_to(*x1, *y1);
                ctx.line_to(*x2, *y2);
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(&stroke.css());
                ctx.stroke();
            }
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
                ctx.begin_path();
                ctx.move_to(*x1, *y1);
                ctx.line_to(*x2, *y2);
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(&stroke.css());
                ctx.stroke();
                ctx.set_line_dash(&js_sys::Array::new())?;
            }
            Shape::Diamond {
                cx,
                cy,
                w,
                h,
                fill,
                stroke,
                ..
            } => {
                ctx.begin_path();
                ctx.move_to(*cx, cy - h / 2.0);
                ctx.line_to(cx + w / 2.0, *cy);
                ctx.line_to(*cx, cy + h / 2.0);
                ctx.line_to(cx - w / 2.0, *cy);
                ctx.close_path();
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
            } => {
                if let Some((&(x0, y0), rest)) = points.split_first() {
                    ctx.begin_path();
                    ctx.move_to(x0, y0);
                    for &(x, y) in rest {
                        ctx.line_to(x, y);
                    }
                    ctx.set_line_width(*width);
                    ctx.set_stroke_style_str(&stroke.css());
                    ctx.stroke();
                }
            }
            Shape::Strip {
                x,
                y,
                h,
                step,
                levels,
                max_level,
                color,
            } => {
                // One fill style per shade: the columns are bucketed by level first.
                let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); usize::from(*max_level) + 1];
                for (i, &l) in levels.iter().enumerate() {
                    if l > 0 {
                        by_level[usize::from(l.min(*max_level))].push(i);
                    }
                }
                for (level, columns) in by_level.iter().enumerate().skip(1) {
                    if columns.is_empty() {
                        continue;
                    }
                    let alpha = color.a * level as f64 / f64::from(*max_level);
                    ctx.set_fill_style_str(&color.with_alpha(alpha).css());
                    for &i in columns {
                        ctx.fill_rect(x + i as f64 * step, *y, *step, *h);
                    }
                }
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
