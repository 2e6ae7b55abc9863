//! The three timelines on a canvas: a [`Timeline`] (see `crate::timeline`) laid out on a UTC
//! time axis, with the range selector under it, the legend, reference lines and hover.
//!
//! A series with more events in view than half the plot's pixel columns is drawn as
//! a density (one shaded column per pixel, darker for more events) and goes back to glyphs as
//! the view narrows; each series' times are sorted once, so a frame costs a short search per
//! pixel column whatever the number of events. Gestures: drag pans, the wheel zooms (x only),
//! Shift+drag brushes a span (the plot's value: the span and its rows), a click selects the
//! event under the pointer (or clears), the legend toggles series, the range selector's window
//! is dragged or resized to move the main range, double click or `0` resets.

use std::rc::Rc;

use crate::chunks::in_chunks;

use super::interact::{
    Cursor, Input, Interactive, Pointer, Response, ViewKey, view_key, wheel_factor,
};
use super::scene::{Align, Baseline, Color, Scene, Shape};
use super::text::{TextMeasure, ellipsize, format_number};
use super::time_axis::{format_time_ns, ticks};
use crate::proctree::python_wrap;
use crate::table::{CellReader, Table};
use crate::timeline::{Kind, Legend, Timeline, ValueKind};

const TITLE_H: f64 = 26.0;
const AXIS_H: f64 = 36.0;
const CAPTION_H: f64 = 18.0;
const FONT: f64 = 11.0;
const REF_FONT: f64 = 10.7; // 8 pt
const NAVY: Color = Color::rgb(0, 0, 128);
const INK: Color = Color::rgb(34, 34, 34);
const MAJOR_GRID: Color = Color::rgb(229, 229, 229);
const REF_RED: Color = Color::rgb(255, 0, 0);
/// Shades of a density column.
const LEVELS: u8 = 8;
/// Pixels around a glyph that still hover it.
const HOVER_SLOP: f64 = 4.0;
/// Narrowest main range, ms (a microsecond).
const MIN_SPAN_MS: f64 = 0.001;

/// A series' times in order, with an index that finds a time's position in a few steps.
struct Sorted {
    /// Times, ns, ascending.
    times: Vec<i64>,
    /// `order[k]`: the series index (into `rows`) of the k-th time; `None` when the series
    /// was already in time order.
    order: Option<Vec<u32>>,
    /// The times' span cut into equal bins (about eight events each): `starts[b]` is the
    /// position of the first time in bin `b` or later. A search looks in one bin only: a
    /// binary search over millions of times misses the cache at every step, and a density
    /// does one per pixel column, each frame.
    starts: Vec<u32>,
    /// Bins per ns.
    scale: f64,
    /// How many bins.
    bins: usize,
}

impl Sorted {
    fn new(times: &[i64]) -> Sorted {
        let mut in_order = true;
        in_chunks(times.len().saturating_sub(1), |r| {
            in_order &= times[r.start..=r.end].windows(2).all(|w| w[0] <= w[1]);
        });
        let (times, order) = if in_order {
            (times.to_vec(), None)
        } else {
            let (times, order) = sort_order(times);
            (times, Some(order))
        };
        let bins = times.len() / 8 + 1;
        let span = match (times.first(), times.last()) {
            (Some(a), Some(b)) => b.abs_diff(*a) as f64,
            _ => 0.0,
        };
        let mut sorted = Sorted {
            scale: if span > 0.0 { bins as f64 / span } else { 0.0 },
            times,
            order,
            starts: Vec::with_capacity(bins + 1),
            bins,
        };
        // starts[b] = how many times fall in bins before b (a bin never decreases with time).
        let mut k = 0;
        in_chunks(bins + 1, |r| {
            for b in r {
                while k < sorted.times.len() && sorted.bin(sorted.times[k]) < b {
                    k += 1;
                }
                sorted.starts.push(k as u32);
            }
        });
        sorted
    }

    /// The bin of time `t` (clamped to the bins; monotonic in `t`).
    fn bin(&self, t: i64) -> usize {
        let Some(&first) = self.times.first() else {
            return 0;
        };
        if t <= first {
            return 0;
        }
        ((t.abs_diff(first) as f64 * self.scale) as usize).min(self.bins - 1)
    }

    /// How many times are before `t` (`times.partition_point(|x| x < t)`).
    fn position(&self, t: i64) -> usize {
        let b = self.bin(t);
        // Times in earlier bins are before t, in later bins after it: only bin b is searched.
        let (lo, hi) = (self.starts[b] as usize, self.starts[b + 1] as usize);
        lo + self.times[lo..hi].partition_point(|&x| x < t)
    }

    /// The series index of the k-th time.
    fn index(&self, k: usize) -> usize {
        self.order.as_ref().map_or(k, |o| o[k] as usize)
    }

    /// The sorted positions of the times in `[lo, hi)` ns.
    fn range(&self, lo: i64, hi: i64) -> std::ops::Range<usize> {
        self.position(lo)..self.position(hi).max(self.position(lo))
    }
}

/// `times` in ascending order and their positions, ties in input order: an unstable sort by
/// time (the fastest measured here: radix and bucket sorts lose to pattern-defeating quicksort
/// once the pairs outgrow the cache), then each run of equal times put back in input order.
fn sort_order(times: &[i64]) -> (Vec<i64>, Vec<u32>) {
    let mut items: Vec<(i64, u32)> = Vec::with_capacity(times.len());
    in_chunks(times.len(), |r| {
        items.extend(times[r.clone()].iter().copied().zip(r.start as u32..));
    });
    items.sort_unstable_by_key(|item| item.0);
    let (mut sorted, mut order) = (
        Vec::with_capacity(times.len()),
        Vec::with_capacity(times.len()),
    );
    let mut tie_end = 0;
    in_chunks(items.len(), |r| {
        for k in r {
            if k >= tie_end {
                let t = items[k].0;
                tie_end = k + items[k..].iter().take_while(|item| item.0 == t).count();
                if tie_end - k > 1 {
                    items[k..tie_end].sort_unstable_by_key(|item| item.1);
                }
            }
            sorted.push(items[k].0);
            order.push(items[k].1);
        }
    });
    (sorted, order)
}

/// A series is drawn as glyphs while it has at most one event in view per this many pixel
/// columns (a diamond is about 7 px wide: denser glyphs merge into a blot that hides how many
/// events there are, and cost a path each), and as a density past that.
const PX_PER_GLYPH: f64 = 2.0;

fn too_many_glyphs(events: usize, f: &Frame) -> bool {
    events as f64 * PX_PER_GLYPH > f.w
}

/// What a press started on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    /// The main area: pan (or, unmoved, a click).
    Pan,
    /// Shift+drag in the main area: a span from this time (ms).
    Brush(f64),
    /// The range selector's window: moved.
    Window,
    /// An edge of the window (left: true).
    Edge(bool),
    /// A legend item.
    Legend(usize),
    /// Anywhere else.
    Nothing,
}

/// What is under the pointer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hover {
    /// An event drawn as a glyph: series and sorted position.
    Event(usize, usize),
    /// A density column: series, its span (ns) and count.
    Column(usize, i64, i64, usize),
    /// A duration span (group).
    Span(usize),
    /// A legend item.
    Legend(usize),
    /// The selector window (true: on an edge).
    Window(bool),
}

/// The brushed (or clicked) span and its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Start of the span, ns.
    pub start: i64,
    /// End of the span, ns (equal to the start for a clicked event).
    pub end: i64,
    /// The events: (series, input row), by series then row.
    pub rows: Vec<(usize, u32)>,
}

impl Selection {
    /// The selected input rows of each series of `tl` that has any: `(series index, rows)`.
    pub fn by_series(&self, tl: &Timeline) -> Vec<(usize, Vec<u32>)> {
        // The rows are by series then row: one run per series.
        self.rows
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run[0].0 < tl.series.len())
            .map(|run| (run[0].0, run.iter().map(|&(_, r)| r).collect()))
            .collect()
    }

    /// The selected rows of the events table (the series drawn from it, not the overlay),
    /// sorted and distinct.
    pub fn event_rows(&self, tl: &Timeline) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .rows
            .iter()
            .filter(|(i, _)| tl.series[*i].source == 0)
            .map(|&(_, r)| r)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }
}

/// Where things are, for the current size.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Main area.
    left: f64,
    top: f64,
    w: f64,
    h: f64,
    /// Range selector area (h = 0: none).
    sel_top: f64,
    sel_h: f64,
    /// Legend panel (w = 0: none).
    legend_x: f64,
    legend_w: f64,
}

/// A timeline laid out for drawing, with its view (the main x range), hidden series, hover and
/// selection.
pub struct TimelinePlot {
    tl: Timeline,
    tables: Vec<Rc<Table>>,
    sorted: Vec<Sorted>,
    /// The range selector's density strips, per series, and the width they are for.
    selector_levels: std::cell::RefCell<Option<(f64, Vec<Vec<u8>>)>>,
    width: f64,
    height: f64,
    /// The main x range, ms.
    window: (f64, f64),
    hidden: Vec<bool>,
    pointer: Pointer<Drag>,
    hover: Option<Hover>,
    /// A span being brushed, ms.
    brushing: Option<(f64, f64)>,
    selection: Option<Selection>,
    label_w: f64,
    legend_w: f64,
}

impl TimelinePlot {
    /// A plot of `tl`, whose series' rows index `tables` (by `Series::source`).
    pub fn new(
        tl: Timeline,
        tables: Vec<Rc<Table>>,
        width: f64,
        height: f64,
        measure: &dyn TextMeasure,
    ) -> TimelinePlot {
        let sorted = tl.series.iter().map(|s| Sorted::new(&s.times)).collect();
        let n = tl.series.len();
        let mut plot = TimelinePlot {
            window: tl.x_range,
            tl,
            tables,
            sorted,
            selector_levels: std::cell::RefCell::new(None),
            width: 1.0,
            height: 1.0,
            hidden: vec![false; n],
            pointer: Pointer::new(3.0),
            hover: None,
            brushing: None,
            selection: None,
            label_w: 0.0,
            legend_w: 0.0,
        };
        plot.resize(width, height, measure);
        plot
    }

    /// The timeline drawn.
    pub fn timeline(&self) -> &Timeline {
        &self.tl
    }

    /// The height the plot wants in CSS px: the main figure's (MSTICPy's `height`) plus the
    /// range selector and its caption.
    pub fn preferred_height(&self) -> f64 {
        self.tl.height
            + if self.tl.range_tool {
                self.selector_h() + CAPTION_H
            } else {
                0.0
            }
    }

    fn selector_h(&self) -> f64 {
        (0.2 * self.tl.height).max(120.0).floor()
    }

    /// Sets the size in CSS px (and measures the labels).
    pub fn resize(&mut self, width: f64, height: f64, measure: &dyn TextMeasure) {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.label_w = if self.tl.yaxis {
            let widest = match self.tl.kind {
                Kind::Values(_) => ["-0.000e+0", "0000000"]
                    .iter()
                    .map(|t| measure.width(t, FONT, false))
                    .fold(0.0, f64::max),
                _ => self
                    .tl
                    .series
                    .iter()
                    .map(|s| measure.width(&s.name, FONT, false))
                    .fold(0.0, f64::max),
            };
            (widest + 10.0).clamp(30.0, 180.0) + if self.tl.y_label.is_some() { 16.0 } else { 0.0 }
        } else {
            8.0
        };
        self.legend_w = match self.tl.legend {
            Legend::Left | Legend::Right if !self.tl.series.is_empty() => {
                let widest = self
                    .tl
                    .series
                    .iter()
                    .map(|s| measure.width(&s.name, FONT, false))
                    .fold(0.0, f64::max);
                (widest + 30.0).clamp(60.0, 200.0)
            }
            _ => 0.0,
        };
    }

    fn frame(&self) -> Frame {
        let sel_h = if self.tl.range_tool {
            self.selector_h().min(self.height * 0.4)
        } else {
            0.0
        };
        let main_h = (self.height - sel_h - if sel_h > 0.0 { CAPTION_H } else { 0.0 }).max(60.0);
        let legend_left = self.tl.legend == Legend::Left;
        let lw = self.legend_w;
        let left = self.label_w + if legend_left { lw } else { 0.0 };
        let right = if self.tl.legend == Legend::Right {
            lw + 8.0
        } else {
            12.0
        };
        let w = (self.width - left - right).max(20.0);
        Frame {
            left,
            top: TITLE_H,
            w,
            h: (main_h - TITLE_H - AXIS_H).max(20.0),
            sel_top: main_h + 6.0,
            sel_h: (sel_h - 6.0).max(0.0),
            legend_x: if legend_left { 2.0 } else { left + w + 8.0 },
            legend_w: lw,
        }
    }

    /// The main x range shown, ms.
    pub fn window(&self) -> (f64, f64) {
        self.window
    }

    /// Shows the range `start`..`end` (ms) in the main area (kept within the selector's range).
    pub fn set_window(&mut self, start: f64, end: f64) {
        if !(start.is_finite() && end.is_finite()) {
            return;
        }
        let (lo, hi) = self.limits();
        let span = (end - start).max(MIN_SPAN_MS).min(hi - lo);
        let start = start.clamp(lo, hi - span);
        self.window = (start, start + span);
    }

    /// The widest the main range may be: the selector's range.
    fn limits(&self) -> (f64, f64) {
        let (a, b) = self.tl.selector_range;
        let (c, d) = self.tl.x_range;
        (a.min(c), b.max(d))
    }

    fn x_of(&self, f: &Frame, ms: f64) -> f64 {
        f.left + (ms - self.window.0) / (self.window.1 - self.window.0) * f.w
    }

    fn ms_at(&self, f: &Frame, x: f64) -> f64 {
        self.window.0 + (x - f.left) / f.w * (self.window.1 - self.window.0)
    }

    fn sel_x(&self, f: &Frame, ms: f64) -> f64 {
        let (a, b) = self.limits();
        f.left + (ms - a) / (b - a) * f.w
    }

    fn sel_ms(&self, f: &Frame, x: f64) -> f64 {
        let (a, b) = self.limits();
        a + (x - f.left) / f.w * (b - a)
    }

    /// The y pixel of `y` (series units) in the main area.
    fn y_of(&self, f: &Frame, y: f64) -> f64 {
        let (lo, hi) = self.tl.y_range;
        f.top + (hi - y) / (hi - lo) * f.h
    }

    /// The y (in the main area) of series `i`'s row, and its band's height.
    fn row_y(&self, f: &Frame, i: usize) -> (f64, f64) {
        let (lo, hi) = self.tl.y_range;
        let band = f.h / (hi - lo);
        let y = match self.tl.kind {
            Kind::Duration => self.y_of(f, i as f64 + 0.5),
            _ => self.y_of(f, self.tl.series[i].y_index as f64),
        };
        (y, band)
    }

    /// Zooms the main range by `factor` around the time at `x`.
    pub fn zoom_at(&mut self, factor: f64, x: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let f = self.frame();
        let at = self.ms_at(&f, x.clamp(f.left, f.left + f.w));
        let (a, b) = self.window;
        self.set_window(at - (at - a) / factor, at + (b - at) / factor);
    }

    /// Moves the main range by `dx` px (dragging right shows earlier times).
    pub fn pan(&mut self, dx: f64) {
        let f = self.frame();
        let d = dx / f.w * (self.window.1 - self.window.0);
        self.set_window(self.window.0 - d, self.window.1 - d);
    }

    /// Back to the initial range.
    pub fn reset_view(&mut self) {
        self.window = self.tl.x_range;
    }

    /// Hides or shows series `i` (the legend's click); false if there is no such series.
    pub fn toggle_series(&mut self, i: usize) -> bool {
        match self.hidden.get_mut(i) {
            Some(h) => {
                *h = !*h;
                true
            }
            None => false,
        }
    }

    /// Whether series `i` is hidden.
    pub fn is_hidden(&self, i: usize) -> bool {
        self.hidden.get(i).copied().unwrap_or(false)
    }

    /// The selection (a brushed span, or a clicked event).
    pub fn selection(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }

    /// Selects the visible events in `start`..=`end` (ns), or clears with `None`.
    pub fn select_span(&mut self, span: Option<(i64, i64)>) {
        self.selection = span.map(|(a, b)| {
            let (start, end) = (a.min(b), a.max(b));
            let mut rows = Vec::new();
            for (i, s) in self.sorted.iter().enumerate() {
                if self.hidden[i] {
                    continue;
                }
                let r = s.range(start, end.saturating_add(1));
                let series = &self.tl.series[i];
                let mut found: Vec<u32> = r.map(|k| series.rows[s.index(k)]).collect();
                found.sort_unstable();
                rows.extend(found.into_iter().map(|row| (i, row)));
            }
            Selection { start, end, rows }
        });
    }

    /// How many events of series `i` fall in the main range now.
    pub fn visible_count(&self, i: usize) -> usize {
        let (lo, hi) = (ms_ns(self.window.0), ms_ns(self.window.1));
        self.sorted
            .get(i)
            .map_or(0, |s| s.range(lo, hi.saturating_add(1)).len())
    }

    /// Whether series `i` is drawn as a density now (more than one event per
    /// [`PX_PER_GLYPH`] pixel columns in view).
    pub fn is_dense(&self, i: usize) -> bool {
        too_many_glyphs(self.visible_count(i), &self.frame())
    }

    /// `[x, y]` in CSS px of series `i`'s event at input row `row`, if it is in view.
    pub fn event_point(&self, i: usize, row: u32) -> Option<(f64, f64)> {
        let s = self.tl.series.get(i)?;
        let j = s.rows.iter().position(|&r| r == row)?;
        let f = self.frame();
        let x = self.x_of(&f, s.times[j] as f64 / 1e6);
        let y = match self.tl.kind {
            Kind::Values(_) => self.y_of(&f, s.values[j]),
            _ => self.row_y(&f, i).0,
        };
        (x >= f.left && x <= f.left + f.w).then_some((x, y))
    }

    /// The selector window's left and right edges and vertical middle, CSS px.
    pub fn window_box(&self) -> Option<(f64, f64, f64)> {
        let f = self.frame();
        (f.sel_h > 0.0).then(|| {
            (
                self.sel_x(&f, self.window.0),
                self.sel_x(&f, self.window.1),
                f.sel_top + f.sel_h / 2.0,
            )
        })
    }

    /// The main area: (left, top, width, height).
    pub fn plot_area(&self) -> (f64, f64, f64, f64) {
        let f = self.frame();
        (f.left, f.top, f.w, f.h)
    }

    fn in_main(f: &Frame, x: f64, y: f64) -> bool {
        x >= f.left && x <= f.left + f.w && y >= f.top && y <= f.top + f.h
    }

    fn in_selector(f: &Frame, x: f64, y: f64) -> bool {
        f.sel_h > 0.0
            && x >= f.left - 6.0
            && x <= f.left + f.w + 6.0
            && y >= f.sel_top
            && y <= f.sel_top + f.sel_h
    }

    /// The legend item at (`x`, `y`).
    fn legend_at(&self, f: &Frame, x: f64, y: f64) -> Option<usize> {
        let (lx, ly, w) = self.legend_box(f)?;
        if x < lx || x > lx + w {
            return None;
        }
        let k = ((y - ly) / 16.0).floor();
        let n = self.tl.series.len();
        (k >= 0.0 && (k as usize) < n).then(|| self.legend_series(k as usize))
    }

    /// The legend's place: (x, top, width); items 16 px apart.
    fn legend_box(&self, f: &Frame) -> Option<(f64, f64, f64)> {
        match self.tl.legend {
            Legend::None => None,
            Legend::Inline => Some((f.left + 6.0, f.top + 6.0, self.legend_w.max(140.0))),
            _ => {
                let n = self.tl.series.len() as f64;
                Some((
                    f.legend_x,
                    (f.top + f.h / 2.0 - n * 8.0).max(f.top),
                    f.legend_w,
                ))
            }
        }
    }

    /// The series of legend item `k`: side legends list the top row first (reverse order).
    fn legend_series(&self, k: usize) -> usize {
        let n = self.tl.series.len();
        if matches!(self.tl.legend, Legend::Left | Legend::Right) {
            n - 1 - k
        } else {
            k
        }
    }

    fn hit(&self, x: f64, y: f64) -> Option<Hover> {
        let f = self.frame();
        if let Some(i) = self.legend_at(&f, x, y) {
            return Some(Hover::Legend(i));
        }
        if Self::in_selector(&f, x, y) {
            let (a, b) = (self.sel_x(&f, self.window.0), self.sel_x(&f, self.window.1));
            if (x - a).abs() <= 6.0 || (x - b).abs() <= 6.0 {
                return Some(Hover::Window(true));
            }
            return (x > a && x < b).then_some(Hover::Window(false));
        }
        if !Self::in_main(&f, x, y) {
            return None;
        }
        let mut best: Option<(f64, Hover)> = None;
        for (i, s) in self.tl.series.iter().enumerate() {
            if self.hidden[i] {
                continue;
            }
            let (ry, band) = self.row_y(&f, i);
            if !matches!(self.tl.kind, Kind::Values(_)) && (y - ry).abs() > (band / 2.0).max(6.0) {
                continue;
            }
            let sorted = &self.sorted[i];
            if self.is_dense(i) {
                let col = ((x - f.left).floor()).max(0.0);
                let (t0, t1) = (
                    ms_ns(self.ms_at(&f, f.left + col)),
                    ms_ns(self.ms_at(&f, f.left + col + 1.0)),
                );
                let n = sorted.range(t0, t1).len();
                if n > 0 {
                    let d = (y - ry).abs();
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, Hover::Column(i, t0, t1, n)));
                    }
                }
                continue;
            }
            let r = s.sizes.iter().fold(s.size, |m, &v| m.max(f64::from(v))) / 2.0 + HOVER_SLOP;
            let (t0, t1) = (ms_ns(self.ms_at(&f, x - r)), ms_ns(self.ms_at(&f, x + r)));
            for k in sorted.range(t0, t1.saturating_add(1)) {
                let j = sorted.index(k);
                let gx = self.x_of(&f, sorted.times[k] as f64 / 1e6);
                let gy = match self.tl.kind {
                    Kind::Values(_) => self.y_of(&f, s.values[j]),
                    _ => ry,
                };
                let d = ((gx - x).powi(2) + (gy - y).powi(2)).sqrt();
                if d <= r.max(HOVER_SLOP * 2.0) && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, Hover::Event(i, k)));
                }
            }
        }
        if best.is_none() && self.tl.kind == Kind::Duration {
            for (i, g) in self.tl.groups.iter().enumerate() {
                let (ry, band) = self.row_y(&f, i);
                let (a, b) = (
                    self.x_of(&f, g.start as f64 / 1e6),
                    self.x_of(&f, g.end as f64 / 1e6),
                );
                if (y - ry).abs() <= band * 0.15 + 2.0 && x >= a - 2.0 && x <= b + 2.0 {
                    return Some(Hover::Span(i));
                }
            }
        }
        best.map(|(_, h)| h)
    }

    /// The tooltip lines of what is under the pointer.
    fn tooltip_lines(&self) -> Vec<String> {
        match self.hover {
            Some(Hover::Event(i, k)) => {
                let s = &self.tl.series[i];
                let j = self.sorted[i].index(k);
                let row = s.rows[j] as usize;
                let table = &self.tables[s.source.min(self.tables.len() - 1)];
                let mut lines = Vec::new();
                if self.tl.series.len() > 1 || self.tl.kind == Kind::Duration {
                    lines.push(s.name.clone());
                }
                for col in &s.tooltip_columns {
                    if *col == s.time_column {
                        lines.push(format!("{col}: {}", format_time_ns(s.times[j])));
                        continue;
                    }
                    let text = table
                        .column(col, "sourceColumns")
                        .ok()
                        .and_then(|c| CellReader::new(&c).text(row).map(|t| t.into_owned()))
                        .unwrap_or_else(|| "NA".to_owned());
                    // MSTICPy wraps long text at 50 characters.
                    let wrapped = python_wrap(&text, 50, "", "  ");
                    let mut first = true;
                    for part in if wrapped.is_empty() {
                        vec![String::new()]
                    } else {
                        wrapped
                    } {
                        lines.push(if first {
                            format!("{col}: {part}")
                        } else {
                            part
                        });
                        first = false;
                    }
                }
                lines
            }
            Some(Hover::Column(i, t0, t1, n)) => vec![
                self.tl.series[i].name.clone(),
                format!("{} events", format_number(n as f64)),
                format!("from {}", format_time_ns(t0)),
                format!("to {}", format_time_ns(t1)),
            ],
            Some(Hover::Span(i)) => {
                let g = &self.tl.groups[i];
                let mut lines: Vec<String> = self
                    .tl
                    .group_columns
                    .iter()
                    .zip(&g.keys)
                    .map(|(c, k)| format!("{c}: {k}"))
                    .collect();
                lines.push(format!("start: {}", format_time_ns(g.start)));
                lines.push(format!("end: {}", format_time_ns(g.end)));
                lines.push(format!("events: {}", g.count));
                lines
            }
            _ => Vec::new(),
        }
    }

    fn hover_at(&mut self, x: f64, y: f64) -> Response {
        let h = self.hit(x, y);
        let changed = h != self.hover;
        self.hover = h;
        Response {
            hover: changed,
            redraw: changed,
            ..Response::NONE
        }
    }

    /// The frame.
    pub fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        let f = self.frame();
        let mut shapes = vec![Shape::Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: self.height,
            fill: Color::rgb(255, 255, 255),
        }];
        shapes.push(Shape::text(
            f.left,
            TITLE_H / 2.0,
            ellipsize(measure, &self.tl.title, 14.0, f.w),
            14.0,
            true,
            INK,
            Align::Left,
            Baseline::Middle,
        ));
        self.grid(&f, &mut shapes, measure);
        shapes.push(Shape::Clip {
            x: f.left,
            y: f.top,
            w: f.w,
            h: f.h,
        });
        if let Some((a, b)) = self.brushing.or_else(|| {
            self.selection
                .as_ref()
                .filter(|s| s.end > s.start)
                .map(|s| (s.start as f64 / 1e6, s.end as f64 / 1e6))
        }) {
            let (x0, x1) = (self.x_of(&f, a.min(b)), self.x_of(&f, a.max(b)));
            shapes.push(Shape::Rect {
                x: x0,
                y: f.top,
                w: (x1 - x0).max(1.0),
                h: f.h,
                fill: NAVY.with_alpha(0.12),
            });
        }
        if self.tl.kind == Kind::Duration {
            self.spans(&f, &mut shapes);
        }
        for i in 0..self.tl.series.len() {
            if !self.hidden[i] {
                self.series(&f, i, &mut shapes);
            }
        }
        self.highlight(&f, &mut shapes);
        self.references(&f, &mut shapes, measure);
        shapes.push(Shape::Unclip);
        self.axes(&f, &mut shapes, measure);
        self.legend(&f, &mut shapes, measure);
        if f.sel_h > 0.0 {
            self.selector(&f, &mut shapes);
        }
        Scene {
            width: self.width,
            height: self.height,
            shapes,
        }
    }

    fn grid(&self, f: &Frame, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let _ = measure;
        let target = (f.w / 150.0).clamp(2.0, 10.0) as usize;
        let (major, step) = ticks(self.window.0, self.window.1, target);
        if self.tl.xgrid {
            let minor = step / 10.0;
            if minor / (self.window.1 - self.window.0) * f.w >= 8.0 {
                let first = (self.window.0 / minor).ceil() as i64;
                let last = (self.window.1 / minor).floor() as i64;
                for k in first..=last.min(first + 400) {
                    let x = self.x_of(f, k as f64 * minor);
                    shapes.push(Shape::line(
                        x,
                        f.top,
                        x,
                        f.top + f.h,
                        NAVY.with_alpha(0.06),
                        1.0,
                    ));
                }
            }
            for t in &major {
                let x = self.x_of(f, t.ms);
                shapes.push(Shape::line(x, f.top, x, f.top + f.h, MAJOR_GRID, 1.0));
            }
        }
        if self.tl.ygrid {
            match self.tl.kind {
                Kind::Values(_) => {
                    for v in nice_ticks(self.tl.y_range.0, self.tl.y_range.1, 5) {
                        let y = self.y_of(f, v);
                        shapes.push(Shape::line(
                            f.left,
                            y,
                            f.left + f.w,
                            y,
                            NAVY.with_alpha(0.3),
                            1.0,
                        ));
                    }
                }
                _ => {
                    for i in 0..self.tl.series.len() {
                        let (y, _) = self.row_y(f, i);
                        shapes.push(Shape::line(
                            f.left,
                            y,
                            f.left + f.w,
                            y,
                            NAVY.with_alpha(0.3),
                            1.0,
                        ));
                    }
                }
            }
        }
        // Plot frame.
        shapes.push(Shape::Box {
            x: f.left,
            y: f.top,
            w: f.w,
            h: f.h,
            fill: None,
            stroke: Some(Color::rgb(204, 204, 204)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
    }

    /// The events of series `i`: glyphs, or a density when they outnumber the pixel columns.
    fn series(&self, f: &Frame, i: usize, shapes: &mut Vec<Shape>) {
        let s = &self.tl.series[i];
        let color = Color::parse(&s.color).unwrap_or(NAVY);
        let sorted = &self.sorted[i];
        let (lo, hi) = (ms_ns(self.window.0), ms_ns(self.window.1));
        // One pixel's worth of events past each edge, so glyphs cut by the edge still show.
        let pad = ((self.window.1 - self.window.0) / f.w * 1e6 * 12.0) as i64;
        let visible = sorted.range(lo.saturating_sub(pad), hi.saturating_add(pad));
        let (ry, band) = self.row_y(f, i);
        let dense = too_many_glyphs(visible.len(), f);
        match &self.tl.kind {
            Kind::Values(kinds) => self.values(f, i, visible, dense, color, kinds, shapes),
            _ if dense => {
                let levels = self.density(f, sorted, f.w.ceil() as usize, self.window);
                let h = match self.tl.kind {
                    Kind::Duration => (band * 0.3).max(3.0),
                    _ => (band * 0.6).clamp(4.0, 24.0),
                };
                shapes.push(Shape::Strip {
                    x: f.left,
                    y: ry - h / 2.0,
                    h,
                    step: 1.0,
                    levels,
                    max_level: LEVELS,
                    color,
                });
            }
            _ => {
                let fill = color.with_alpha(0.5);
                for k in visible {
                    let j = sorted.index(k);
                    let size = s.sizes.get(j).map_or(s.size, |&v| f64::from(v));
                    let x = self.x_of(f, sorted.times[k] as f64 / 1e6);
                    shapes.push(Shape::Diamond {
                        cx: x,
                        cy: ry,
                        w: size / 1.5,
                        h: size,
                        fill: Some(fill),
                        stroke: Some(fill),
                        item: j,
                    });
                }
            }
        }
    }

    /// Shades of the events per pixel column: log-scaled counts, 0 for none.
    fn density(&self, _f: &Frame, sorted: &Sorted, columns: usize, (a, b): (f64, f64)) -> Vec<u8> {
        let per = (b - a) / columns as f64;
        let mut counts = Vec::with_capacity(columns);
        let mut k = sorted.position(ms_ns(a));
        for c in 0..columns {
            let next = sorted.position(ms_ns(a + (c + 1) as f64 * per));
            counts.push(next - k);
            k = next;
        }
        let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        counts
            .into_iter()
            .map(|n| {
                if n == 0 {
                    0
                } else {
                    (1.0 + (f64::from(LEVELS) - 1.0) * (n as f64).ln_1p() / max.ln_1p()).round()
                        as u8
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn values(
        &self,
        f: &Frame,
        i: usize,
        visible: std::ops::Range<usize>,
        dense: bool,
        color: Color,
        kinds: &[ValueKind],
        shapes: &mut Vec<Shape>,
    ) {
        let s = &self.tl.series[i];
        let sorted = &self.sorted[i];
        let zero = self.y_of(f, 0.0);
        if dense {
            // Per pixel column: a bar over the values there (from 0 for bars).
            let columns = f.w.ceil() as usize;
            let (mut tops, mut bottoms) = (vec![f32::NAN; columns], vec![f32::NAN; columns]);
            for k in visible {
                let c = (self.x_of(f, sorted.times[k] as f64 / 1e6) - f.left).floor();
                if c < 0.0 || c as usize >= columns {
                    continue;
                }
                let v = s.values[sorted.index(k)];
                if !v.is_finite() {
                    continue;
                }
                let y = self.y_of(f, v) as f32;
                let c = c as usize;
                let (t, b) = (&mut tops[c], &mut bottoms[c]);
                if t.is_nan() {
                    *t = y;
                    *b = y;
                }
                *t = t.min(y);
                *b = b.max(y);
            }
            if kinds.contains(&ValueKind::Vbar) {
                for (t, b) in tops.iter_mut().zip(&mut bottoms) {
                    if t.is_finite() {
                        *t = t.min(zero as f32);
                        *b = b.max(zero as f32);
                    }
                }
            }
            shapes.push(Shape::Bars {
                x: f.left,
                step: 1.0,
                tops,
                bottoms,
                fill: color.with_alpha(0.7),
            });
            return;
        }
        let points: Vec<(f64, f64, usize)> = visible
            .map(|k| {
                let j = sorted.index(k);
                (self.x_of(f, sorted.times[k] as f64 / 1e6), s.values[j], j)
            })
            .filter(|p| p.1.is_finite())
            .map(|(x, v, j)| (x, self.y_of(f, v), j))
            .collect();
        for kind in kinds {
            match kind {
                ValueKind::Vbar => {
                    let w = (4.0 / (self.window.1 - self.window.0) * f.w).max(1.0);
                    for &(x, y, j) in &points {
                        shapes.push(Shape::Box {
                            x: x - w / 2.0,
                            y: y.min(zero),
                            w,
                            h: (y - zero).abs().max(1.0),
                            fill: Some(color.with_alpha(0.7)),
                            stroke: None,
                            line_width: 1.0,
                            dashed: false,
                            item: j,
                        });
                    }
                }
                ValueKind::Circle => {
                    for &(x, y, j) in &points {
                        shapes.push(Shape::Circle {
                            cx: x,
                            cy: y,
                            r: 3.0,
                            fill: Some(color.with_alpha(0.7)),
                            stroke: None,
                            cross: false,
                            item: j,
                        });
                    }
                }
                ValueKind::Line => {
                    // In time order (MSTICPy joins them in row order).
                    shapes.push(Shape::Polyline {
                        points: points.iter().map(|&(x, y, _)| (x, y)).collect(),
                        stroke: color.with_alpha(0.8),
                        width: 2.0,
                    });
                }
            }
        }
    }

    fn spans(&self, f: &Frame, shapes: &mut Vec<Shape>) {
        for (i, g) in self.tl.groups.iter().enumerate() {
            if self.hidden.get(i).copied().unwrap_or(false) {
                continue;
            }
            let color = Color::parse(&self.tl.series[i].color).unwrap_or(NAVY);
            let (ry, band) = self.row_y(f, i);
            let h = band * 0.3;
            let (a, b) = (
                self.x_of(f, g.start as f64 / 1e6),
                self.x_of(f, g.end as f64 / 1e6),
            );
            shapes.push(Shape::Box {
                x: a,
                y: ry - h / 2.0,
                w: (b - a).max(1.0),
                h,
                fill: Some(color.with_alpha(0.4)),
                stroke: Some(color),
                line_width: 1.0,
                dashed: false,
                item: i,
            });
        }
    }

    fn highlight(&self, f: &Frame, shapes: &mut Vec<Shape>) {
        let mark = |shapes: &mut Vec<Shape>, x: f64, y: f64| {
            shapes.push(Shape::Circle {
                cx: x,
                cy: y,
                r: 7.0,
                fill: None,
                stroke: Some(INK),
                cross: false,
                item: usize::MAX,
            });
        };
        match self.hover {
            Some(Hover::Event(i, k)) => {
                let s = &self.tl.series[i];
                let j = self.sorted[i].index(k);
                let x = self.x_of(f, self.sorted[i].times[k] as f64 / 1e6);
                let y = match self.tl.kind {
                    Kind::Values(_) => self.y_of(f, s.values[j]),
                    _ => self.row_y(f, i).0,
                };
                mark(shapes, x, y);
            }
            Some(Hover::Column(i, t0, _, _)) => {
                let x = self.x_of(f, t0 as f64 / 1e6);
                let (y, band) = self.row_y(f, i);
                shapes.push(Shape::Box {
                    x: x - 1.0,
                    y: y - band * 0.4,
                    w: 3.0,
                    h: band * 0.8,
                    fill: None,
                    stroke: Some(INK),
                    line_width: 1.0,
                    dashed: false,
                    item: usize::MAX,
                });
            }
            _ => {}
        }
        if let Some(sel) = self.selection.as_ref().filter(|s| s.start == s.end) {
            // A clicked event: ringed.
            for &(i, row) in &sel.rows {
                if let Some((x, y)) = self.event_point(i, row) {
                    mark(shapes, x, y);
                }
            }
        }
    }

    /// Reference lines, with labels stacked so that none overlaps another.
    fn references(&self, f: &Frame, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let mut placed: Vec<(f64, f64, usize)> = Vec::new();
        let mut refs: Vec<(f64, &str)> = self
            .tl
            .refs
            .iter()
            .map(|r| (self.x_of(f, r.time as f64 / 1e6), r.label.as_str()))
            .collect();
        refs.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (x, label) in refs {
            if x < f.left - 1.0 || x > f.left + f.w + 1.0 {
                continue;
            }
            shapes.push(Shape::DashedLine {
                x1: x,
                y1: f.top,
                x2: x,
                y2: f.top + f.h,
                stroke: REF_RED.with_alpha(0.5),
                width: 1.0,
                dash: 6.0,
            });
            let text_label = format!("< {label}");
            let w = measure.width(&text_label, REF_FONT, false) + 6.0;
            // The lowest level where this label does not overlap one already placed.
            let level = (0..)
                .find(|&l| {
                    !placed
                        .iter()
                        .any(|&(a, b, pl)| pl == l && x < b && x + w > a)
                })
                .unwrap_or(0);
            placed.push((x, x + w, level));
            let y = f.top + f.h - 14.0 - level as f64 * 15.0;
            shapes.push(Shape::Rect {
                x,
                y: y - 7.0,
                w,
                h: 14.0,
                fill: Color::rgb(255, 255, 255).with_alpha(0.7),
            });
            shapes.push(Shape::Box {
                x,
                y: y - 7.0,
                w,
                h: 14.0,
                fill: None,
                stroke: Some(REF_RED.with_alpha(0.3)),
                line_width: 1.0,
                dashed: false,
                item: usize::MAX,
            });
            shapes.push(Shape::text(
                x + 3.0,
                y,
                text_label,
                REF_FONT,
                false,
                INK.with_alpha(0.7),
                Align::Left,
                Baseline::Middle,
            ));
        }
    }

    fn axes(&self, f: &Frame, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let target = (f.w / 150.0).clamp(2.0, 10.0) as usize;
        let (major, _) = ticks(self.window.0, self.window.1, target);
        for t in &major {
            let x = self.x_of(f, t.ms);
            shapes.push(Shape::line(x, f.top + f.h, x, f.top + f.h + 4.0, INK, 1.0));
            shapes.push(Shape::text(
                x,
                f.top + f.h + 6.0,
                t.label.clone(),
                FONT,
                false,
                INK,
                Align::Center,
                Baseline::Top,
            ));
        }
        shapes.push(Shape::text(
            f.left + f.w / 2.0,
            f.top + f.h + AXIS_H - 2.0,
            "Event Time".to_owned(),
            12.0,
            true,
            INK,
            Align::Center,
            Baseline::Bottom,
        ));
        if !self.tl.yaxis {
            return;
        }
        let lw = self.label_w - if self.tl.y_label.is_some() { 16.0 } else { 0.0 };
        match self.tl.kind {
            Kind::Values(_) => {
                for v in nice_ticks(self.tl.y_range.0, self.tl.y_range.1, 5) {
                    let y = self.y_of(f, v);
                    shapes.push(Shape::text(
                        f.left - 4.0,
                        y,
                        format_number(v),
                        FONT,
                        false,
                        INK,
                        Align::Right,
                        Baseline::Middle,
                    ));
                }
            }
            _ => {
                let (_, band) = if self.tl.series.is_empty() {
                    (0.0, f.h)
                } else {
                    self.row_y(f, 0)
                };
                // Label every series when they fit, else every k-th (MSTICPy: every 10th of 60).
                let every = (12.0 / band).ceil().max(1.0) as usize;
                for (i, s) in self.tl.series.iter().enumerate() {
                    if i % every != 0 {
                        continue;
                    }
                    let (y, _) = self.row_y(f, i);
                    let color = if self.hidden[i] {
                        INK.with_alpha(0.35)
                    } else {
                        INK
                    };
                    shapes.push(Shape::text(
                        f.left - 4.0,
                        y,
                        ellipsize(measure, &s.name, FONT, lw - 6.0),
                        FONT,
                        false,
                        color,
                        Align::Right,
                        Baseline::Middle,
                    ));
                }
            }
        }
        if let Some(label) = &self.tl.y_label {
            let x = f.left - lw - 8.0;
            shapes.push(Shape::Text {
                x,
                y: f.top + f.h / 2.0,
                text: ellipsize(measure, label, 12.0, f.h),
                font_px: 12.0,
                bold: true,
                color: INK,
                align: Align::Center,
                baseline: Baseline::Middle,
                angle: -std::f64::consts::FRAC_PI_2,
            });
        }
    }

    fn legend(&self, f: &Frame, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let Some((x, y, w)) = self.legend_box(f) else {
            return;
        };
        let n = self.tl.series.len();
        if n == 0 {
            return;
        }
        shapes.push(Shape::Box {
            x,
            y: y - 4.0,
            w,
            h: n as f64 * 16.0 + 8.0,
            fill: Some(Color::rgb(255, 255, 255).with_alpha(0.85)),
            stroke: Some(Color::rgb(204, 204, 204)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
        for k in 0..n {
            let i = self.legend_series(k);
            let s = &self.tl.series[i];
            let yy = y + k as f64 * 16.0 + 8.0;
            let alpha = if self.hidden[i] { 0.25 } else { 0.8 };
            let color = Color::parse(&s.color).unwrap_or(NAVY);
            shapes.push(Shape::Rect {
                x: x + 6.0,
                y: yy - 5.0,
                w: 10.0,
                h: 10.0,
                fill: color.with_alpha(alpha),
            });
            let ink = if self.hidden[i] {
                INK.with_alpha(0.35)
            } else {
                INK
            };
            shapes.push(Shape::text(
                x + 22.0,
                yy,
                ellipsize(measure, &s.name, REF_FONT, w - 26.0),
                REF_FONT,
                false,
                ink,
                Align::Left,
                Baseline::Middle,
            ));
        }
    }

    fn selector(&self, f: &Frame, shapes: &mut Vec<Shape>) {
        let (top, h) = (f.sel_top, f.sel_h);
        shapes.push(Shape::Box {
            x: f.left,
            y: top,
            w: f.w,
            h,
            fill: Some(Color::rgb(250, 250, 252)),
            stroke: Some(Color::rgb(204, 204, 204)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
        let n = self.tl.series.len().max(1) as f64;
        let row_h = (h - 8.0) / n;
        let limits = self.limits();
        for (i, s) in self.tl.series.iter().enumerate() {
            let row = match self.tl.kind {
                Kind::Duration => i as f64,
                _ => s.y_index as f64,
            };
            let y = top + 4.0 + (n - 1.0 - row) * row_h;
            // The selector shows the whole range: its strips change only with the width.
            let levels = {
                let mut cache = self.selector_levels.borrow_mut();
                if cache.as_ref().is_none_or(|(w, _)| *w != f.w) {
                    let all = (0..self.sorted.len())
                        .map(|i| self.density(f, &self.sorted[i], f.w.ceil() as usize, limits))
                        .collect();
                    *cache = Some((f.w, all));
                }
                cache
                    .as_ref()
                    .map(|(_, l)| l[i].clone())
                    .unwrap_or_default()
            };
            let color = Color::parse(&s.color).unwrap_or(NAVY);
            shapes.push(Shape::Strip {
                x: f.left,
                y: y + row_h * 0.15,
                h: (row_h * 0.7).max(1.0),
                step: 1.0,
                levels,
                max_level: LEVELS,
                color,
            });
        }
        let (a, b) = (self.sel_x(f, self.window.0), self.sel_x(f, self.window.1));
        shapes.push(Shape::Box {
            x: a,
            y: top,
            w: (b - a).max(2.0),
            h,
            fill: Some(NAVY.with_alpha(0.2)),
            stroke: Some(NAVY.with_alpha(0.6)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
        for x in [a, b] {
            shapes.push(Shape::Rect {
                x: x - 2.0,
                y: top + h / 2.0 - 8.0,
                w: 4.0,
                h: 16.0,
                fill: NAVY.with_alpha(0.6),
            });
        }
        shapes.push(Shape::text(
            f.left + f.w,
            top + h + 3.0,
            "Drag the middle or edges of the selection box to change the range in the main chart"
                .to_owned(),
            10.0,
            false,
            Color::rgb(102, 102, 102),
            Align::Right,
            Baseline::Top,
        ));
    }
}

/// ms as ns (saturating).
fn ms_ns(ms: f64) -> i64 {
    (ms * 1e6).round() as i64
}

/// About `n` round values between `lo` and `hi`.
fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last.min(first + 50))
        .map(|k| k as f64 * step)
        .collect()
}

impl TimelinePlot {
    fn finish_brush(&mut self, a: f64, b: f64) -> Response {
        self.brushing = None;
        self.select_span(Some((ms_ns(a.min(b)), ms_ns(a.max(b)))));
        Response {
            value: true,
            ..Response::redraw()
        }
    }
}

/// Drag pans, Shift+drag brushes a span, a click selects an event (or clears), the wheel zooms
/// x; the legend toggles series; the selector's window moves and resizes; double click or `0`
/// resets; `+`/`-`, arrows; Escape clears the selection.
impl Interactive for TimelinePlot {
    fn resize(&mut self, width: f64, height: f64, measure: &dyn TextMeasure) {
        TimelinePlot::resize(self, width, height, measure);
    }

    fn size(&self) -> (f64, f64) {
        (self.width, self.height)
    }

    fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        TimelinePlot::scene(self, measure)
    }

    fn input(&mut self, input: Input<'_>) -> Response {
        let f = self.frame();
        match input {
            Input::Down {
                x,
                y,
                button,
                shift,
            } => {
                if button != 0 {
                    return Response::NONE;
                }
                let mode = match self.hit(x, y) {
                    Some(Hover::Legend(i)) => Drag::Legend(i),
                    Some(Hover::Window(true)) => {
                        let (a, b) = (self.sel_x(&f, self.window.0), self.sel_x(&f, self.window.1));
                        Drag::Edge((x - a).abs() <= (x - b).abs())
                    }
                    Some(Hover::Window(false)) => Drag::Window,
                    _ if Self::in_selector(&f, x, y) => {
                        // Outside the window: it jumps there (centred), then drags.
                        let at = self.sel_ms(&f, x);
                        let half = (self.window.1 - self.window.0) / 2.0;
                        self.set_window(at - half, at + half);
                        self.pointer.down(x, y, Drag::Window);
                        return Response::redraw();
                    }
                    _ if Self::in_main(&f, x, y) && shift => Drag::Brush(self.ms_at(&f, x)),
                    _ if Self::in_main(&f, x, y) => Drag::Pan,
                    _ => Drag::Nothing,
                };
                self.pointer.down(x, y, mode);
                if let Drag::Brush(a) = mode {
                    self.brushing = Some((a, a));
                }
                Response::NONE
            }
            Input::Move { x, y } => match self.pointer.moved(x, y) {
                Some((dx, _, press)) => {
                    match press.mode {
                        Drag::Pan if press.moved => self.pan(dx),
                        Drag::Brush(a) => {
                            self.brushing = Some((a, self.ms_at(&f, x.clamp(f.left, f.left + f.w))))
                        }
                        Drag::Window => {
                            let (lo, hi) = self.limits();
                            let d = dx / f.w * (hi - lo);
                            self.set_window(self.window.0 + d, self.window.1 + d);
                        }
                        Drag::Edge(left) => {
                            let at = self.sel_ms(&f, x);
                            let (a, b) = self.window;
                            if left {
                                self.set_window(at.min(b - MIN_SPAN_MS), b);
                            } else {
                                self.set_window(a, at.max(a + MIN_SPAN_MS));
                            }
                        }
                        _ => return Response::NONE,
                    }
                    let hid = self.hover.take().is_some();
                    Response {
                        hover: hid,
                        ..Response::redraw()
                    }
                }
                None => self.hover_at(x, y),
            },
            Input::Up { x, y } => match self.pointer.up(x, y) {
                Some(press) => match press.mode {
                    Drag::Brush(a) if press.moved => {
                        self.finish_brush(a, self.ms_at(&f, x.clamp(f.left, f.left + f.w)))
                    }
                    Drag::Brush(_) | Drag::Pan if !press.moved => {
                        self.brushing = None;
                        // A click: the event under the pointer, or nothing.
                        let before = self.selection.is_some();
                        match self.hit(x, y) {
                            Some(Hover::Event(i, k)) => {
                                let t = self.sorted[i].times[k];
                                let row = self.tl.series[i].rows[self.sorted[i].index(k)];
                                self.selection = Some(Selection {
                                    start: t,
                                    end: t,
                                    rows: vec![(i, row)],
                                });
                            }
                            _ if !before => return Response::NONE,
                            _ => self.selection = None,
                        }
                        Response {
                            value: true,
                            ..Response::redraw()
                        }
                    }
                    Drag::Legend(i) if !press.moved && self.hit(x, y) == Some(Hover::Legend(i)) => {
                        self.toggle_series(i);
                        Response::redraw()
                    }
                    _ => {
                        self.brushing = None;
                        Response::redraw() | self.hover_at(x, y)
                    }
                },
                None => self.hover_at(x, y),
            },
            Input::Leave => {
                self.pointer.leave();
                self.brushing = None;
                let had = self.hover.take().is_some();
                Response {
                    hover: had,
                    redraw: had,
                    ..Response::NONE
                }
            }
            Input::Wheel { x, y, dy, .. } => {
                if !(Self::in_main(&f, x, y) || Self::in_selector(&f, x, y)) {
                    return Response::NONE;
                }
                if Self::in_selector(&f, x, y) {
                    // Zoom around the time under the pointer in the selector's scale.
                    let at = self.sel_ms(&f, x);
                    let fac = wheel_factor(dy);
                    let (a, b) = self.window;
                    self.set_window(at - (at - a) / fac, at + (b - at) / fac);
                } else {
                    self.zoom_at(wheel_factor(dy), x);
                }
                Response::redraw() | self.hover_at(x, y)
            }
            Input::DoubleClick { .. } => {
                self.reset_view();
                Response::redraw()
            }
            Input::Key("Escape") => {
                let had = self.selection.take().is_some();
                Response {
                    value: had,
                    ..Response::redraw()
                }
            }
            Input::Key(key) => {
                match view_key(key) {
                    Some(ViewKey::Zoom(z)) => self.zoom_at(z, f.left + f.w / 2.0),
                    Some(ViewKey::Reset) => self.reset_view(),
                    Some(ViewKey::Pan(dx, _)) if dx != 0.0 => self.pan(dx * f.w / 400.0),
                    _ => return Response::NONE,
                }
                Response::redraw()
            }
        }
    }

    fn tooltip(&self) -> Vec<String> {
        if self.pointer.dragging() {
            return Vec::new();
        }
        self.tooltip_lines()
    }

    fn cursor(&self) -> Cursor {
        match (self.pointer.press.map(|p| p.mode), self.hover) {
            (Some(Drag::Brush(_)), _) => Cursor::Crosshair,
            (Some(Drag::Edge(_)), _) | (_, Some(Hover::Window(true))) => Cursor::EwResize,
            (Some(Drag::Pan | Drag::Window), _) if self.pointer.dragging() => Cursor::Grabbing,
            (_, Some(Hover::Event(..) | Hover::Legend(_) | Hover::Span(_))) => Cursor::Pointer,
            (_, Some(Hover::Window(false))) => Cursor::Grab,
            _ => Cursor::Default,
        }
    }

    fn reset_view(&mut self) {
        TimelinePlot::reset_view(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ApproxMeasure;
    use crate::table::Value;
    use crate::timeline::{Inputs, TimelineOptions, timeline, timeline_duration, timeline_values};

    const T0: i64 = 1_704_103_200_000_000_000; // 2024-01-01T10:00:00Z
    const MIN: i64 = 60_000_000_000;

    /// `n` events a minute apart, alternating accounts a/b, with a command line.
    fn table(n: usize) -> Table {
        let times: Vec<Value> = (0..n).map(|i| Value::Int(T0 + i as i64 * MIN)).collect();
        let who: Vec<Value> = (0..n)
            .map(|i| Value::Text(if i % 2 == 0 { "a".into() } else { "b".into() }))
            .collect();
        let cmd: Vec<Value> = (0..n)
            .map(|i| Value::Text(format!("cmd.exe /c job {i}")))
            .collect();
        let bytes: Vec<Value> = (0..n).map(|i| Value::Number((i % 7) as f64)).collect();
        Table::from_rows(
            vec![
                "TimeGenerated".into(),
                "Account".into(),
                "CommandLine".into(),
                "Bytes".into(),
            ],
            vec![times, who, cmd, bytes],
        )
        .unwrap()
    }

    fn plot(n: usize, opts: TimelineOptions) -> TimelinePlot {
        let t = table(n);
        let tl = timeline(&Inputs::of(&t), &opts).unwrap();
        TimelinePlot::new(tl, vec![Rc::new(t)], 900.0, 440.0, &ApproxMeasure)
    }

    #[test]
    fn sort_order_is_a_stable_sort() {
        // Ties, negative times, a span needing every pass, and a short series.
        let mut x = 88_172_645_463_325_252u64;
        let mut times: Vec<i64> = (0..20_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 5_000) as i64 * 1_000_000_007 - 2_000_000_000_000
            })
            .collect();
        times.extend([i64::MIN, i64::MAX, 0]);
        for t in [&times[..], &times[..100], &[][..]] {
            let mut want: Vec<u32> = (0..t.len() as u32).collect();
            want.sort_by_key(|&i| t[i as usize]);
            let (sorted, order) = sort_order(t);
            assert_eq!(order, want);
            assert!(sorted.iter().zip(&order).all(|(&s, &i)| s == t[i as usize]));
        }
    }

    #[test]
    fn binned_position_equals_a_binary_search() {
        let mut x = 88_172_645_463_325_252u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Spread, a burst with ties, one far outlier, one time, none.
        let mut spread: Vec<i64> = (0..5_000).map(|_| (next() % 1_000_000) as i64).collect();
        spread.extend((0..2_000).map(|_| 500_000 + (next() % 10) as i64));
        spread.push(i64::MAX / 2);
        for times in [spread, vec![7], vec![]] {
            let s = Sorted::new(&times);
            let probes = s.times.iter().flat_map(|&t| [t - 1, t, t + 1]);
            for t in probes.chain([i64::MIN, -5, 0, 999_999, i64::MAX]) {
                assert_eq!(s.position(t), s.times.partition_point(|&x| x < t), "at {t}");
            }
        }
    }

    fn grouped() -> TimelineOptions {
        TimelineOptions {
            group_by: vec!["Account".into()],
            source_columns: Some(vec!["CommandLine".into()]),
            ..TimelineOptions::default()
        }
    }

    #[test]
    fn events_at_their_times_with_tooltips() {
        let mut p = plot(20, grouped());
        // Event row 4 (account a, series 0) is at 10:04.
        let (x, y) = p.event_point(0, 4).unwrap();
        let (left, _, w, _) = p.plot_area();
        let (a, b) = p.window();
        let want = left + ((T0 + 4 * MIN) as f64 / 1e6 - a) / (b - a) * w;
        assert!((x - want).abs() < 1e-6);
        assert!(p.input(Input::Move { x, y }).hover);
        assert_eq!(
            p.tooltip(),
            [
                "a",
                "CommandLine: cmd.exe /c job 4",
                "TimeGenerated: 2024-01-01 10:04:00.000"
            ]
        );
        assert_eq!(p.cursor(), Cursor::Pointer);
        // Series 1 (b) sits above series 0 (row 0 at the bottom).
        assert!(p.event_point(1, 5).unwrap().1 < y);
        let scene = p.scene(&ApproxMeasure);
        let diamonds = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Diamond { .. }))
            .count();
        assert_eq!(diamonds, 20);
    }

    #[test]
    fn click_selects_an_event_and_shift_drag_brushes_a_span() {
        let mut p = plot(20, grouped());
        let (x, y) = p.event_point(0, 4).unwrap();
        p.input(Input::Down {
            x,
            y,
            button: 0,
            shift: false,
        });
        let r = p.input(Input::Up { x, y });
        assert!(r.value);
        assert_eq!(p.selection().unwrap().rows, [(0, 4)]);
        // Shift+drag from 10:02 to 10:06 (plus a hair): events 2–6 of both series.
        let (x2, _) = p.event_point(0, 2).unwrap();
        let (x6, _) = p.event_point(0, 6).unwrap();
        p.input(Input::Down {
            x: x2 - 1.0,
            y,
            button: 0,
            shift: true,
        });
        p.input(Input::Move { x: x6 + 1.0, y });
        assert_eq!(p.cursor(), Cursor::Crosshair);
        let r = p.input(Input::Up { x: x6 + 1.0, y });
        assert!(r.value && r.redraw);
        let sel = p.selection().unwrap();
        assert_eq!(sel.rows, [(0, 2), (0, 4), (0, 6), (1, 3), (1, 5)]);
        assert!(sel.start < T0 + 2 * MIN && sel.end > T0 + 6 * MIN);
        // A click on nothing clears it; Escape too.
        let (left, top, _, _) = p.plot_area();
        p.input(Input::Down {
            x: left + 2.0,
            y: top + 2.0,
            button: 0,
            shift: false,
        });
        assert!(
            p.input(Input::Up {
                x: left + 2.0,
                y: top + 2.0
            })
            .value
        );
        assert!(p.selection().is_none());
    }

    #[test]
    fn pan_zoom_and_the_range_selector() {
        let mut p = plot(20, TimelineOptions::default());
        let initial = p.window();
        let (left, top, w, h) = p.plot_area();
        // Zoom in ×2 at the centre, pan right by a quarter of the width: earlier times.
        p.input(Input::Wheel {
            x: left + w / 2.0,
            y: top + h / 2.0,
            dy: -462.1,
            shift: false,
        });
        let (a, b) = p.window();
        assert!(
            ((b - a) / (initial.1 - initial.0) - 0.5).abs() < 1e-3,
            "{initial:?} {:?}",
            (a, b)
        );
        p.input(Input::Down {
            x: left + w / 2.0,
            y: top + 10.0,
            button: 0,
            shift: false,
        });
        p.input(Input::Move {
            x: left + w * 0.75,
            y: top + 10.0,
        });
        p.input(Input::Up {
            x: left + w * 0.75,
            y: top + 10.0,
        });
        let (c, _) = p.window();
        assert!((c - (a - (b - a) / 4.0)).abs() < 1.0, "panned by a quarter");
        // Drag the selector window right by 50 px: the main range follows.
        let (wa, wb, wy) = p.window_box().unwrap();
        let before = p.window();
        let mid = (wa + wb) / 2.0;
        p.input(Input::Down {
            x: mid,
            y: wy,
            button: 0,
            shift: false,
        });
        p.input(Input::Move {
            x: mid + 50.0,
            y: wy,
        });
        p.input(Input::Up {
            x: mid + 50.0,
            y: wy,
        });
        let after = p.window();
        assert!(after.0 > before.0 && ((after.1 - after.0) - (before.1 - before.0)).abs() < 1e-6);
        // Its right edge widens it.
        let (_, wb, wy) = p.window_box().unwrap();
        assert_eq!(p.hit(wb, wy), Some(Hover::Window(true)));
        p.input(Input::Down {
            x: wb,
            y: wy,
            button: 0,
            shift: false,
        });
        p.input(Input::Move {
            x: wb + 40.0,
            y: wy,
        });
        p.input(Input::Up {
            x: wb + 40.0,
            y: wy,
        });
        assert!(p.window().1 - p.window().0 > after.1 - after.0);
        // Double click resets.
        p.input(Input::DoubleClick {
            x: mid,
            y: top + 5.0,
        });
        assert_eq!(p.window(), initial);
    }

    #[test]
    fn many_events_become_a_density_and_back() {
        let mut p = plot(5000, TimelineOptions::default());
        assert!(p.is_dense(0));
        let scene = p.scene(&ApproxMeasure);
        assert!(
            !scene
                .shapes
                .iter()
                .any(|s| matches!(s, Shape::Diamond { .. }))
        );
        let strips: Vec<&Vec<u8>> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Strip { levels, .. } => Some(levels),
                _ => None,
            })
            .collect();
        // The main density and the selector's.
        assert_eq!(strips.len(), 2);
        assert!(strips[0].iter().filter(|&&l| l > 0).count() > 500);
        // Hover reports the column's count and span.
        let (left, top, w, h) = p.plot_area();
        let (_, y) = (0.0, p.row_y(&p.frame(), 0).0);
        p.input(Input::Move {
            x: left + w / 2.0,
            y,
        });
        let tip = p.tooltip();
        assert_eq!(tip[0], "unnamed series");
        assert!(
            tip[1].ends_with(" events") && tip[2].starts_with("from 2024-01-0"),
            "{tip:?}"
        );
        let _ = (top, h);
        // Zoomed in far enough, glyphs again.
        for _ in 0..10 {
            p.zoom_at(1.5, left + w / 2.0);
        }
        assert!(!p.is_dense(0));
        assert!(
            p.scene(&ApproxMeasure)
                .shapes
                .iter()
                .any(|s| matches!(s, Shape::Diamond { .. }))
        );
    }

    #[test]
    fn legend_toggles_and_reference_labels_never_overlap() {
        let mut opts = grouped();
        // Four markers a few seconds apart: their labels would overlap on one line.
        opts.ref_times = (0..4)
            .map(|i| {
                (
                    T0 + 5 * MIN + i * 1_000_000_000,
                    Some(format!("marker {i}")),
                )
            })
            .collect();
        let mut p = plot(20, opts);
        let scene = p.scene(&ApproxMeasure);
        let labels: Vec<(f64, f64)> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, x, y, .. } if text.starts_with("< marker") => Some((*x, *y)),
                _ => None,
            })
            .collect();
        assert_eq!(labels.len(), 4);
        let ys: std::collections::BTreeSet<i64> = labels.iter().map(|l| l.1 as i64).collect();
        assert_eq!(ys.len(), 4, "each label on its own level: {labels:?}");
        // The legend (left: top item = top row = series b) hides series b on a click.
        let f = p.frame();
        let (lx, ly, _) = p.legend_box(&f).unwrap();
        p.input(Input::Down {
            x: lx + 10.0,
            y: ly + 8.0,
            button: 0,
            shift: false,
        });
        assert!(
            p.input(Input::Up {
                x: lx + 10.0,
                y: ly + 8.0
            })
            .redraw
        );
        assert!(p.is_hidden(1) && !p.is_hidden(0));
        let diamonds = p
            .scene(&ApproxMeasure)
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Diamond { .. }))
            .count();
        assert_eq!(diamonds, 10);
    }

    #[test]
    fn values_and_duration_draw() {
        let t = table(30);
        let opts = TimelineOptions {
            value_column: Some("Bytes".into()),
            ..TimelineOptions::default()
        };
        let tl =
            timeline_values(&Inputs::of(&t), &[ValueKind::Vbar, ValueKind::Line], &opts).unwrap();
        let p = TimelinePlot::new(tl, vec![Rc::new(t.clone())], 900.0, 440.0, &ApproxMeasure);
        let s = p.scene(&ApproxMeasure);
        assert_eq!(
            s.shapes
                .iter()
                .filter(|s| matches!(s, Shape::Box { item, .. } if *item < 30))
                .count(),
            30
        );
        assert_eq!(
            s.shapes
                .iter()
                .filter(|s| matches!(s, Shape::Polyline { points, .. } if points.len() == 30))
                .count(),
            1
        );
        let opts = TimelineOptions {
            group_by: vec!["Account".into()],
            ..TimelineOptions::default()
        };
        let tl = timeline_duration(&Inputs::of(&t), &opts).unwrap();
        let mut p = TimelinePlot::new(tl, vec![Rc::new(t)], 900.0, 440.0, &ApproxMeasure);
        // Hover a span: its group, start, end and count.
        let f = p.frame();
        let (y, _) = p.row_y(&f, 1);
        let x = p.x_of(&f, (T0 + 10 * MIN) as f64 / 1e6) + 1.0;
        p.input(Input::Move { x, y: y + 3.0 });
        assert_eq!(
            p.tooltip(),
            [
                "Account: b",
                "start: 2024-01-01 10:01:00.000",
                "end: 2024-01-01 10:29:00.000",
                "events: 15"
            ]
        );
    }
}
