//! The matrix plot: a categorical x × y grid with one circle per (x, y) pair, sized by the
//! pair's plot size, as MSTICPy's `plot_matrix` draws it with Bokeh.
//!
//! Differences from MSTICPy's figure, on purpose: circle diameters scale with the grid cell
//! (and with zoom) instead of a fixed 10 px maximum; every cell with a finite size keeps a
//! minimum radius (`min_radius`) so single-event cells stay visible (MSTICPy draws ln(1) = 0
//! as nothing); cells whose size is NaN or infinite are drawn as hollow rings; the tooltip
//! shows the aggregate and, when `invert`/`log_size` changed it, the size as well.

use crate::hash::HashMap;

use super::interact::{
    Cursor, Input, Interactive, Pointer, Response, ViewKey, view_key, wheel_factor,
};
use super::scene::{Align, Baseline, Color, Scene, Shape};
use super::text::{TextMeasure, ellipsize, format_number};
use super::view::View;
use crate::Result;
use crate::matrix::{Matrix, Measure};
use crate::options::Options;

/// Presentation options of a [`MatrixPlot`].
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixStyle {
    /// Title above the plot.
    pub title: String,
    /// Circle fill (outline with `intersect`).
    pub color: Color,
    /// Fixed axis label size in px; `None` picks it from the plot size as MSTICPy does.
    pub font_size: Option<f64>,
    /// Largest automatic label size in px.
    pub max_label_font_size: f64,
    /// Smallest radius in px of a cell with a finite size.
    pub min_radius: f64,
}

impl MatrixStyle {
    /// The keys of its options (beside [`crate::matrix::MatrixOptions::KEYS`] in `plotMatrix`).
    pub const KEYS: &[&str] = &[
        "title",
        "color",
        "fontSize",
        "maxLabelFontSize",
        "minRadius",
    ];

    /// Reads the style options (the keys of [`Self::KEYS`]).
    pub fn read(o: &Options<'_>) -> Result<Self> {
        let mut style = MatrixStyle::default();
        if let Some(title) = o.string("title")? {
            style.title = title;
        }
        if let Some(color) = Color::read(o, "color")? {
            style.color = color;
        }
        style.font_size = o.positive("fontSize")?;
        if let Some(v) = o.positive("maxLabelFontSize")? {
            style.max_label_font_size = v;
        }
        if let Some(v) = o.positive("minRadius")? {
            style.min_radius = v;
        }
        Ok(style)
    }
}

impl Default for MatrixStyle {
    fn default() -> Self {
        MatrixStyle {
            title: "Interaction Plot".to_owned(),
            color: Color::rgb(255, 0, 0),
            font_size: None,
            max_label_font_size: 11.0,
            min_radius: 2.0,
        }
    }
}

const BACKGROUND: Color = Color::rgb(255, 255, 255);
const TEXT: Color = Color::rgb(68, 68, 68);
const GRID: Color = Color::rgb(0, 0, 128).with_alpha(0.1);
/// Bokeh's default glyph outline.
const OUTLINE: Color = Color::rgb(31, 119, 180);
/// The ring around the selected cell.
const SELECTED: Color = Color::rgb(17, 17, 17);
const TITLE_PX: f64 = 15.0;
const AXIS_TITLE_PX: f64 = 12.0;
/// The largest marker is never smaller than MSTICPy's fixed 10 px, even on dense axes.
const MIN_MAX_DIAMETER: f64 = 10.0;
/// Circles smaller than this radius get no outline (it would hide the fill).
const OUTLINE_MIN_RADIUS: f64 = 4.0;
/// Longest label area in px before labels are ellipsised.
const MAX_Y_LABEL_W: f64 = 140.0;
const MAX_X_LABEL_H: f64 = 110.0;

/// The plot area and label sizes for the current size.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    left: f64,
    top: f64,
    w: f64,
    h: f64,
    x_font: f64,
    y_font: f64,
    x_label_h: f64,
    y_label_w: f64,
}

/// An interactive matrix plot: layout, view state, scene and hit-testing.
#[derive(Debug, Clone)]
pub struct MatrixPlot {
    matrix: Matrix,
    style: MatrixStyle,
    width: f64,
    height: f64,
    view: View,
    frame: Frame,
    by_position: HashMap<(usize, usize), usize>,
    selected: Option<usize>,
    pointer: Pointer<()>,
    hovered: Option<usize>,
}

impl MatrixPlot {
    /// A plot of `matrix` in a `width` × `height` CSS px drawing.
    pub fn new(
        matrix: Matrix,
        style: MatrixStyle,
        width: f64,
        height: f64,
        measure: &dyn TextMeasure,
    ) -> Self {
        let by_position = matrix
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.x, c.y), i))
            .collect();
        let mut plot = MatrixPlot {
            matrix,
            style,
            width: 0.0,
            height: 0.0,
            view: View::default(),
            frame: Frame {
                left: 0.0,
                top: 0.0,
                w: 0.0,
                h: 0.0,
                x_font: 0.0,
                y_font: 0.0,
                x_label_h: 0.0,
                y_label_w: 0.0,
            },
            by_position,
            selected: None,
            // Any movement of a press pans (no click threshold), as before.
            pointer: Pointer::new(0.0),
            hovered: None,
        };
        plot.resize(width, height, measure);
        plot
    }

    /// Marks cell `index` as selected (a dark ring around its circle); `None` clears it. An
    /// index past the last cell clears it too.
    pub fn select(&mut self, index: Option<usize>) {
        self.selected = index.filter(|&i| i < self.matrix.cells.len());
    }

    /// The selected cell.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The aggregated data.
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// The current zoom and pan.
    pub fn view(&self) -> View {
        self.view
    }

    /// Changes the drawing size (CSS px); keeps the zoom, re-clamps the pan.
    pub fn resize(&mut self, width: f64, height: f64, measure: &dyn TextMeasure) {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.frame = self.layout(measure);
        self.view.pan(0.0, 0.0, self.frame.w, self.frame.h);
    }

    fn layout(&self, measure: &dyn TextMeasure) -> Frame {
        let (nx, ny) = (
            self.matrix.x_labels.len().max(1) as f64,
            self.matrix.y_labels.len().max(1) as f64,
        );
        // MSTICPy: max(5, min(max_label_font_size, int(size * 0.6 / n))).
        let auto = |size: f64, n: f64| {
            (size * 0.6 / n)
                .floor()
                .clamp(5.0, self.style.max_label_font_size.max(5.0))
        };
        let x_font = self.style.font_size.unwrap_or_else(|| auto(self.width, nx));
        let y_font = self
            .style
            .font_size
            .unwrap_or_else(|| auto(self.height, ny));
        let widest = |labels: &[String], px: f64| {
            labels
                .iter()
                .map(|l| measure.width(l, px, false))
                .fold(0.0, f64::max)
        };
        let y_label_w = widest(&self.matrix.y_labels, y_font).min(MAX_Y_LABEL_W);
        let x_label_h = widest(&self.matrix.x_labels, x_font).min(MAX_X_LABEL_H);
        let left = 8.0 + AXIS_TITLE_PX + 8.0 + y_label_w + 6.0;
        let top = TITLE_PX * 2.0 + 4.0;
        let bottom = 6.0 + x_label_h + 8.0 + AXIS_TITLE_PX + 8.0;
        Frame {
            left,
            top,
            w: (self.width - left - 16.0).max(10.0),
            h: (self.height - top - bottom).max(10.0),
            x_font,
            y_font,
            x_label_h,
            y_label_w,
        }
    }

    fn band(&self) -> (f64, f64) {
        (
            self.frame.w / self.matrix.x_labels.len().max(1) as f64,
            self.frame.h / self.matrix.y_labels.len().max(1) as f64,
        )
    }

    /// Screen x of x category `i`'s centre.
    fn sx(&self, i: usize) -> f64 {
        let (bw, _) = self.band();
        self.frame.left + self.view.tx + self.view.k * (i as f64 + 0.5) * bw
    }

    /// Screen y of y category `j`'s centre (category 0 at the bottom).
    fn sy(&self, j: usize) -> f64 {
        let (_, bh) = self.band();
        self.frame.top + self.view.ty + self.view.k * (self.frame.h - (j as f64 + 0.5) * bh)
    }

    /// Centre and radius (CSS px) of cell `i`'s marker, or `None` if there is no such cell.
    pub fn marker(&self, i: usize) -> Option<(f64, f64, f64)> {
        let cell = self.matrix.cells.get(i)?;
        let (bw, bh) = self.band();
        let k = self.view.k;
        let r = if self.matrix.intersect {
            (k * bw.min(bh) / 4.0).clamp(3.0, 8.0)
        } else {
            let max_d = (bw.min(bh) * 0.9).clamp(MIN_MAX_DIAMETER, 60.0);
            let r = k * max_d / 2.0 * cell.plot_size / 10.0;
            if r.is_finite() {
                r.max(self.style.min_radius)
            } else {
                self.style.min_radius
            }
        };
        Some((self.sx(cell.x), self.sy(cell.y), r))
    }

    /// Zooms by `factor` around the point (`x`, `y`) in CSS px.
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        let f = self.frame;
        self.view.zoom_at(factor, x - f.left, y - f.top, f.w, f.h);
    }

    /// Pans by (`dx`, `dy`) CSS px.
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.view.pan(dx, dy, self.frame.w, self.frame.h);
    }

    /// Back to zoom 1.
    pub fn reset_view(&mut self) {
        self.view = View::default();
    }

    /// Whether (`x`, `y`) is inside the plot area.
    pub fn in_plot(&self, x: f64, y: f64) -> bool {
        let f = self.frame;
        x >= f.left && x < f.left + f.w && y >= f.top && y < f.top + f.h
    }

    /// The cell whose grid square contains (`x`, `y`) (CSS px), if that pair occurs.
    pub fn hit(&self, x: f64, y: f64) -> Option<usize> {
        if !self.in_plot(x, y) {
            return None;
        }
        let (bw, bh) = self.band();
        let u = (x - self.frame.left - self.view.tx) / self.view.k;
        let v = (y - self.frame.top - self.view.ty) / self.view.k;
        let i = (u / bw).floor();
        let j = ((self.frame.h - v) / bh).floor();
        if i < 0.0 || j < 0.0 {
            return None;
        }
        self.by_position.get(&(i as usize, j as usize)).copied()
    }

    /// The cell under the pointer.
    pub fn hovered(&self) -> Option<usize> {
        self.hovered
    }

    /// Tooltip lines for cell `i`: x, y, the aggregate and (if scaled) the size.
    pub fn cell_tooltip(&self, i: usize) -> Vec<String> {
        let Some(cell) = self.matrix.cells.get(i) else {
            return Vec::new();
        };
        let m = &self.matrix;
        let value = match m.measure {
            Measure::Count => format!("rows: {}", format_number(cell.value)),
            Measure::Sum => format!("{} (sum): {}", m.value_name, format_number(cell.value)),
            Measure::DistinctCount => {
                format!("{} (distinct): {}", m.value_name, format_number(cell.value))
            }
        };
        let mut lines = vec![
            format!("{}: {}", m.x_column, m.x_labels[cell.x]),
            format!("{}: {}", m.y_column, m.y_labels[cell.y]),
            value,
        ];
        if cell.size != cell.value && !(cell.size.is_nan() && cell.value.is_nan()) {
            lines.push(format!("size: {}", format_number(cell.size)));
        }
        lines
    }

    /// An automatic label size grows with the zoom (labels that were 5 px on a dense axis
    /// become readable), up to `max_label_font_size`; a fixed `font_size` stays fixed.
    fn zoomed_font(&self, base: f64) -> f64 {
        if self.style.font_size.is_some() {
            base
        } else {
            (base * self.view.k).min(self.style.max_label_font_size.max(base))
        }
    }

    /// Labels to draw along an axis: every `step`-th, so they never overlap.
    fn label_step(band_px: f64, font_px: f64) -> usize {
        if band_px <= 0.0 {
            return usize::MAX;
        }
        ((font_px + 2.0) / band_px).ceil().max(1.0) as usize
    }

    /// Everything to paint for the current size and view; only visible cells and labels.
    pub fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        let f = self.frame;
        let m = &self.matrix;
        let (bw, bh) = self.band();
        let k = self.view.k;
        let mut shapes = vec![
            Shape::Rect {
                x: 0.0,
                y: 0.0,
                w: self.width,
                h: self.height,
                fill: BACKGROUND,
            },
            Shape::Text {
                x: f.left,
                y: TITLE_PX * 0.6,
                text: ellipsize(measure, &self.style.title, TITLE_PX, self.width - f.left),
                font_px: TITLE_PX,
                bold: true,
                color: TEXT,
                align: Align::Left,
                baseline: Baseline::Top,
                angle: 0.0,
            },
        ];
        // Visible index ranges.
        let visible = |start: f64, band: f64, len: f64, n: usize| {
            let first = (((-start) / (k * band)).floor().max(0.0)) as usize;
            let last = ((((len - start) / (k * band)).ceil()).max(0.0) as usize).min(n);
            first..last
        };
        let xs = visible(self.view.tx, bw, f.w, m.x_labels.len());
        // y runs bottom-up: content v of category j = h − (j + 0.5)·bh.
        let ys = {
            let n = m.y_labels.len();
            let lo_v = -self.view.ty / k; // content v at the top edge
            let hi_v = (f.h - self.view.ty) / k; // at the bottom edge
            let first = ((f.h - hi_v) / bh).floor().max(0.0) as usize;
            let last = (((f.h - lo_v) / bh).ceil().max(0.0) as usize).min(n);
            first..last
        };

        shapes.push(Shape::Clip {
            x: f.left,
            y: f.top,
            w: f.w,
            h: f.h,
        });
        for i in xs.clone() {
            let x = self.sx(i);
            shapes.push(Shape::Line {
                x1: x,
                y1: f.top,
                x2: x,
                y2: f.top + f.h,
                stroke: GRID,
                width: 1.0,
            });
        }
        for j in ys.clone() {
            let y = self.sy(j);
            shapes.push(Shape::Line {
                x1: f.left,
                y1: y,
                x2: f.left + f.w,
                y2: y,
                stroke: GRID,
                width: 1.0,
            });
        }
        for (i, cell) in m.cells.iter().enumerate() {
            if !xs.contains(&cell.x) || !ys.contains(&cell.y) {
                continue;
            }
            let Some((cx, cy, r)) = self.marker(i) else {
                continue;
            };
            let finite = cell.plot_size.is_finite();
            let (fill, stroke, cross) = if m.intersect {
                (None, Some(self.style.color), true)
            } else if finite {
                let outline = (r >= OUTLINE_MIN_RADIUS).then_some(OUTLINE);
                (Some(self.style.color.with_alpha(0.6)), outline, false)
            } else {
                (None, Some(self.style.color), false)
            };
            shapes.push(Shape::Circle {
                cx,
                cy,
                r,
                fill,
                stroke,
                cross,
                item: i,
            });
        }
        if let Some(i) = self.selected
            && let Some((cx, cy, r)) = self.marker(i)
        {
            // Two 1 px outlines: a 2 px ring just outside the circle.
            for grow in [2.0, 3.0] {
                shapes.push(Shape::Circle {
                    cx,
                    cy,
                    r: r + grow,
                    fill: None,
                    stroke: Some(SELECTED),
                    cross: false,
                    item: i,
                });
            }
        }
        shapes.push(Shape::Unclip);

        // x labels, rotated to read bottom to top, ending just under the axis.
        shapes.push(Shape::Clip {
            x: f.left,
            y: f.top + f.h,
            w: f.w,
            h: self.height - f.top - f.h,
        });
        let step = Self::label_step(k * bw, f.x_font);
        for i in xs.clone().filter(|i| i % step == 0) {
            let text = ellipsize(measure, &m.x_labels[i], f.x_font, f.x_label_h);
            let (x, y) = (self.sx(i), f.top + f.h + 6.0);
            shapes.push(axis_label(
                x,
                y,
                text,
                f.x_font,
                -std::f64::consts::FRAC_PI_2,
            ));
        }
        shapes.push(Shape::Unclip);
        shapes.push(Shape::Text {
            x: f.left + f.w / 2.0,
            y: self.height - 8.0,
            text: m.x_column.clone(),
            font_px: AXIS_TITLE_PX,
            bold: true,
            color: TEXT,
            align: Align::Center,
            baseline: Baseline::Bottom,
            angle: 0.0,
        });

        // y labels, right-aligned against the axis.
        shapes.push(Shape::Clip {
            x: 0.0,
            y: f.top,
            w: f.left,
            h: f.h,
        });
        let y_font = self.zoomed_font(f.y_font);
        let step = Self::label_step(k * bh, y_font);
        for j in ys.filter(|j| j % step == 0) {
            let text = ellipsize(measure, &m.y_labels[j], y_font, f.y_label_w);
            shapes.push(axis_label(f.left - 6.0, self.sy(j), text, y_font, 0.0));
        }
        shapes.push(Shape::Unclip);
        shapes.push(Shape::Text {
            x: 8.0,
            y: f.top + f.h / 2.0,
            text: m.y_column.clone(),
            font_px: AXIS_TITLE_PX,
            bold: true,
            color: TEXT,
            align: Align::Center,
            baseline: Baseline::Top,
            angle: -std::f64::consts::FRAC_PI_2,
        });

        Scene {
            width: self.width,
            height: self.height,
            shapes,
        }
    }
}

/// A tick label: right-aligned at its anchor (rotated labels end just under the axis).
fn axis_label(x: f64, y: f64, text: String, font_px: f64, angle: f64) -> Shape {
    Shape::Text {
        x,
        y,
        text,
        font_px,
        bold: false,
        color: TEXT,
        align: Align::Right,
        baseline: Baseline::Middle,
        angle,
    }
}

impl MatrixPlot {
    fn hover_at(&mut self, x: f64, y: f64) -> Response {
        let hovered = self.hit(x, y);
        let changed = hovered != self.hovered;
        self.hovered = hovered;
        Response {
            hover: changed,
            ..Response::NONE
        }
    }
}

/// Drag pans, wheel zooms (both inside the plot area), a click selects a cell, a double click
/// resets the view; `+`/`-`/`0`/arrows.
impl Interactive for MatrixPlot {
    fn resize(&mut self, width: f64, height: f64, measure: &dyn TextMeasure) {
        MatrixPlot::resize(self, width, height, measure);
    }

    fn size(&self) -> (f64, f64) {
        (self.width, self.height)
    }

    fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        MatrixPlot::scene(self, measure)
    }

    fn input(&mut self, input: Input<'_>) -> Response {
        match input {
            Input::Down { x, y, button, .. } => {
                if button == 0 && self.in_plot(x, y) {
                    self.pointer.down(x, y, ());
                }
                Response::NONE
            }
            Input::Move { x, y } => match self.pointer.moved(x, y) {
                Some((dx, dy, _)) => {
                    self.pan(dx, dy);
                    let hid = self.hovered.take().is_some();
                    Response {
                        hover: hid,
                        ..Response::redraw()
                    }
                }
                None => self.hover_at(x, y),
            },
            Input::Up { x, y } => match self.pointer.up(x, y) {
                Some(press) if !press.moved => match self.hit(x, y) {
                    Some(i) => {
                        self.select(Some(i));
                        Response {
                            value: true,
                            ..Response::redraw()
                        }
                    }
                    None => Response::NONE,
                },
                _ => self.hover_at(x, y),
            },
            Input::Leave => {
                self.pointer.leave();
                Response {
                    hover: self.hovered.take().is_some(),
                    ..Response::NONE
                }
            }
            Input::Wheel { x, y, dy, .. } => {
                if !self.in_plot(x, y) {
                    return Response::NONE;
                }
                self.zoom_at(wheel_factor(dy), x, y);
                Response::redraw() | self.hover_at(x, y)
            }
            Input::DoubleClick { .. } => {
                self.reset_view();
                Response::redraw()
            }
            Input::Key(key) => {
                let Some(action) = view_key(key) else {
                    return Response::NONE;
                };
                match action {
                    ViewKey::Zoom(f) => self.zoom_at(f, self.width / 2.0, self.height / 2.0),
                    ViewKey::Reset => self.reset_view(),
                    ViewKey::Pan(dx, dy) => self.pan(dx, dy),
                }
                Response::redraw()
            }
        }
    }

    fn tooltip(&self) -> Vec<String> {
        self.hovered
            .map(|i| self.cell_tooltip(i))
            .unwrap_or_default()
    }

    fn cursor(&self) -> Cursor {
        let (x, y) = (self.pointer.x, self.pointer.y);
        if self.hovered.is_some() {
            Cursor::Pointer
        } else if self.in_plot(x, y) {
            Cursor::Grab
        } else {
            Cursor::Default
        }
    }

    fn reset_view(&mut self) {
        MatrixPlot::reset_view(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{MatrixOptions, aggregate};
    use crate::render::ApproxMeasure;
    use crate::table::{Table, Value};

    fn plot() -> MatrixPlot {
        let t = |s: &str| Value::Text(s.to_owned());
        let table = Table::from_rows(
            vec!["src".into(), "dst".into()],
            vec![
                vec![t("a"), t("a"), t("a"), t("b")],
                vec![t("x"), t("x"), t("y"), t("y")],
            ],
        )
        .unwrap();
        let m = aggregate(&table, &MatrixOptions::new("src", "dst")).unwrap();
        MatrixPlot::new(m, MatrixStyle::default(), 400.0, 300.0, &ApproxMeasure)
    }

    fn circles(scene: &Scene) -> Vec<(usize, f64, f64, f64)> {
        scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Circle {
                    cx, cy, r, item, ..
                } => Some((*item, *cx, *cy, *r)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn gestures_hover_click_drag_wheel_keys() {
        let mut p = plot();
        let (cx, cy, _) = p.marker(2).unwrap();
        // Hover shows the cell's tooltip and a pointer cursor.
        let r = p.input(Input::Move { x: cx, y: cy });
        assert!(r.hover && !r.redraw);
        assert_eq!(p.tooltip(), ["src: b", "dst: y", "rows: 1"]);
        assert_eq!(p.cursor(), Cursor::Pointer);
        // A click selects it: the value changes.
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 0,
            shift: false,
        });
        let r = p.input(Input::Up { x: cx, y: cy });
        assert!(r.value && r.redraw);
        assert_eq!(p.selected(), Some(2));
        // A secondary button does nothing.
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 2,
            shift: false,
        });
        assert!(!p.input(Input::Up { x: cx, y: cy }).value);
        // Zoom in with the wheel, then a drag pans (no click: the selection stays).
        let r = p.input(Input::Wheel {
            x: cx,
            y: cy,
            dy: -400.0,
            shift: false,
        });
        assert!(r.redraw && r.consumed);
        let k = p.view().k;
        assert!(k > 1.5);
        let before = p.view().tx;
        assert!(before < -30.0);
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 0,
            shift: false,
        });
        let r = p.input(Input::Move {
            x: cx + 30.0,
            y: cy,
        });
        assert!(r.redraw);
        assert_eq!(p.view().tx, before + 30.0);
        assert!(p.tooltip().is_empty(), "no tooltip while dragging");
        let r = p.input(Input::Up {
            x: cx + 30.0,
            y: cy,
        });
        assert!(!r.value);
        assert_eq!(p.selected(), Some(2));
        // The wheel outside the plot area is left to the page.
        assert_eq!(
            p.input(Input::Wheel {
                x: 1.0,
                y: 1.0,
                dy: 100.0,
                shift: false
            }),
            Response::NONE
        );
        // Keys: `0` resets; `+` zooms at the centre; unknown keys are not used.
        assert!(p.input(Input::Key("0")).redraw);
        assert_eq!(p.view(), View::default());
        p.input(Input::Key("+"));
        assert_eq!(p.view().k, 1.25);
        assert_eq!(p.input(Input::Key("q")), Response::NONE);
        // Double click resets; leaving clears the hover.
        p.input(Input::DoubleClick { x: cx, y: cy });
        assert_eq!(p.view(), View::default());
        p.input(Input::Move { x: cx, y: cy });
        assert!(p.input(Input::Leave).hover);
        assert!(p.tooltip().is_empty());
    }

    #[test]
    fn a_selected_cell_gets_a_ring() {
        let t = Table::from_rows(
            vec!["x".into(), "y".into()],
            vec![
                vec![Value::Text("a".into()), Value::Text("b".into())],
                vec![Value::Text("p".into()), Value::Text("q".into())],
            ],
        )
        .unwrap();
        let m = aggregate(&t, &MatrixOptions::new("x", "y")).unwrap();
        let mut p = MatrixPlot::new(m, MatrixStyle::default(), 400.0, 300.0, &ApproxMeasure);
        let rings = |p: &MatrixPlot| {
            p.scene(&ApproxMeasure)
                .shapes
                .iter()
                .filter_map(|s| match s {
                    Shape::Circle {
                        r,
                        stroke: Some(c),
                        fill: None,
                        item,
                        ..
                    } if *c == SELECTED => Some((*item, *r)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert!(rings(&p).is_empty());
        p.select(Some(1));
        let (_, _, r) = p.marker(1).unwrap();
        assert_eq!(rings(&p), vec![(1, r + 2.0), (1, r + 3.0)]);
        assert_eq!(p.selected(), Some(1));
        p.select(Some(9));
        assert_eq!(p.selected(), None);
        assert!(rings(&p).is_empty());
    }

    #[test]
    fn layout_places_cells_on_the_grid() {
        let p = plot();
        // Labels: x 11 px ("a", "b": 6.6 px wide), y 11 px. Frame: left = 8+12+8+6.6+6 = 40.6,
        // top = 34, bottom margin = 6+6.6+8+12+8 = 40.6 → plot 343.4 × 225.4.
        let f = p.frame;
        assert_eq!((f.x_font, f.y_font), (11.0, 11.0));
        assert!((f.left - 40.6).abs() < 1e-9 && f.top == 34.0);
        assert!((f.w - 343.4).abs() < 1e-9 && (f.h - 225.4).abs() < 1e-9);
        let got = circles(&p.scene(&ApproxMeasure));
        assert_eq!(got.len(), 3);
        // Cell 0 = (a, x): 2 rows → plot size 10 → diameter min(171.7, 112.7)·0.9 capped at 60.
        let (item, cx, cy, r) = got[0];
        assert_eq!(item, 0);
        assert!((cx - (40.6 + 343.4 * 0.25)).abs() < 1e-9);
        assert!((cy - (34.0 + 225.4 * 0.75)).abs() < 1e-9);
        assert_eq!(r, 30.0);
        // Cell 1 = (a, y): half the count → half the radius.
        assert!((got[1].3 - r / 2.0).abs() < 1e-9);
    }

    #[test]
    fn dense_axis_labels_grow_with_zoom() {
        let t = |s: String| Value::Text(s);
        let table = Table::from_rows(
            vec!["src".into(), "dst".into()],
            vec![
                (0..100).map(|_| t("a".into())).collect(),
                (0..100).map(|i| t(format!("10.0.0.{i}"))).collect(),
            ],
        )
        .unwrap();
        let m = aggregate(&table, &MatrixOptions::new("src", "dst")).unwrap();
        let mut p = MatrixPlot::new(m, MatrixStyle::default(), 400.0, 300.0, &ApproxMeasure);
        let y_font = |p: &MatrixPlot| {
            let left = p.frame.left;
            p.scene(&ApproxMeasure).shapes.iter().find_map(|s| match s {
                Shape::Text { x, font_px, .. } if (*x - (left - 6.0)).abs() < 1e-9 => {
                    Some(*font_px)
                }
                _ => None,
            })
        };
        // MSTICPy's rule: max(5, min(11, int(300 × 0.6 / 100))) = 5.
        assert_eq!(y_font(&p), Some(5.0));
        p.zoom_at(2.0, 200.0, 150.0);
        assert_eq!(y_font(&p), Some(10.0));
        p.zoom_at(2.0, 200.0, 150.0);
        assert_eq!(y_font(&p), Some(11.0));
    }

    #[test]
    fn hover_and_zoom() {
        let mut p = plot();
        let (cx, cy, _) = p.marker(2).unwrap();
        assert_eq!(p.hit(cx, cy), Some(2));
        assert_eq!(p.cell_tooltip(2), ["src: b", "dst: y", "rows: 1"]);
        // (b, x) does not occur.
        let (bx, _, _) = p.marker(2).unwrap();
        let (_, xy, _) = p.marker(0).unwrap();
        assert_eq!(p.hit(bx, xy), None);
        assert_eq!(p.hit(1.0, 1.0), None);
        let font = |p: &MatrixPlot| {
            p.scene(&ApproxMeasure).shapes.iter().find_map(|s| match s {
                Shape::Text { angle, font_px, .. } if *angle != 0.0 && *font_px < 12.0 => {
                    Some(*font_px)
                }
                _ => None,
            })
        };
        assert_eq!(font(&p), Some(11.0));
        p.zoom_at(4.0, cx, cy);
        assert_eq!(font(&p), Some(11.0), "capped at max_label_font_size");
        let (cx2, cy2, _) = p.marker(2).unwrap();
        assert!((cx2 - cx).abs() < 1e-9 && (cy2 - cy).abs() < 1e-9);
        let (ax, _, _) = p.marker(0).unwrap();
        assert!(ax < 40.6, "zooming on b pushes a out of view");
        assert_eq!(circles(&p.scene(&ApproxMeasure)).len(), 1);
        p.reset_view();
        assert_eq!(circles(&p.scene(&ApproxMeasure)).len(), 3);
    }
}
