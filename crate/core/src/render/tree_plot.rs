//! The process-tree plot (MSTICPy's `plot_process_tree`, spec §5): one box per process at
//! x = depth, y = tree order, with connectors from parent to child, colour by a column or by
//! depth, a legend, a range overview (minimap), collapse/expand, search highlights and
//! selection. Only the rows in view are laid out, so a frame costs the same at 100 or 100,000
//! processes.

use std::borrow::Cow;
use std::rc::Rc;

use super::interact::{
    Cursor, Input, Interactive, Pointer, Response, ViewKey, view_key, wheel_factor,
};
use super::scene::{Align, Baseline, Color, Scene, Shape};
use super::text::{TextMeasure, ellipsize, format_number};
use crate::error::{Error, Result};
use crate::options::{Opt, Options};
use crate::proctree::ProcessTree;
use crate::table::{CellReader, Table, encode_categories, for_each_number};

/// Options of a tree plot.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeStyle {
    /// Colour boxes by this column (categorical: a palette and a legend; numeric: a gradient).
    /// `None`: by depth.
    pub legend_col: Option<String>,
    /// Columns shown in the tooltip (`None`: the schema's time, user, command line, host and
    /// logon id, then the key).
    pub tooltip_cols: Option<Vec<String>>,
    /// Title drawn above the plot.
    pub title: String,
    /// Row height at zoom 1, px (MSTICPy shows 20 rows in 700 px: 35).
    pub row_height: f64,
    /// Hide the legend.
    pub hide_legend: bool,
    /// How PIDs are labelled.
    pub pid_format: PidFormat,
}

impl TreeStyle {
    /// The keys of its options (beside [`crate::proctree::BuildOptions::KEYS`] in
    /// `plotProcessTree`).
    pub const KEYS: &[&str] = &[
        "legendCol",
        "tooltipCols",
        "title",
        "rowHeight",
        "hideLegend",
        "pidFmt",
    ];

    /// Reads the style options (the keys of [`Self::KEYS`]).
    pub fn read(o: &Options<'_>) -> Result<Self> {
        let mut style = TreeStyle {
            legend_col: o.string("legendCol")?,
            hide_legend: o.flag("hideLegend")?,
            ..TreeStyle::default()
        };
        if let Some(title) = o.string("title")? {
            style.title = title;
        }
        if let Some(h) = o.number("rowHeight")? {
            if !(h.is_finite() && (8.0..=200.0).contains(&h)) {
                return Err(Error::invalid_option(
                    "rowHeight",
                    "expected a number from 8 to 200",
                ));
            }
            style.row_height = h;
        }
        if let Some(format) = o.word("pidFmt", "\"hex\", \"dec\" or \"guid\"", PidFormat::parse)? {
            style.pid_format = format;
        }
        style.tooltip_cols = match o.get("tooltipCols") {
            Opt::Absent => None,
            v @ Opt::List(_) => Some(
                o.strings("tooltipCols")?
                    .ok_or_else(|| Options::wrong("tooltipCols", &v, "an array of column names"))?,
            ),
            v => {
                return Err(Options::wrong(
                    "tooltipCols",
                    &v,
                    "an array of column names",
                ));
            }
        };
        Ok(style)
    }
}

impl Default for TreeStyle {
    fn default() -> Self {
        TreeStyle {
            legend_col: None,
            tooltip_cols: None,
            title: "ProcessTree".to_owned(),
            row_height: 34.0,
            hide_legend: false,
            pid_format: PidFormat::AsWritten,
        }
    }
}

/// How a box labels its PID: MSTICPy's `pid_fmt` (`hex`, `dec`, `guid`), or the text as
/// written (the default). MSTICPy's own default, `hex`, shows "NA" for PIDs that are not
/// already `0x` text (Linux, Sysmon) and `dec` shows "NA" for hex ones; here a PID that parses is
/// converted, and one that does not is shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PidFormat {
    /// `PID: <as written>`.
    #[default]
    AsWritten,
    /// `PID: 0x<lower-case hex>`.
    Hex,
    /// `PID: <decimal>`.
    Dec,
    /// `GUID: <as written>` (for unique process ids).
    Guid,
}

impl PidFormat {
    /// MSTICPy's `pid_fmt` name (`hex`, `dec`, `guid`; `None` for as written).
    pub fn parse(name: &str) -> Option<PidFormat> {
        match name {
            "hex" => Some(PidFormat::Hex),
            "dec" => Some(PidFormat::Dec),
            "guid" => Some(PidFormat::Guid),
            "text" | "asWritten" => Some(PidFormat::AsWritten),
            _ => None,
        }
    }

    /// The label of `pid` (`None`: unknown).
    pub fn label(self, pid: Option<&str>) -> String {
        let Some(pid) = pid else {
            return "PID: NA".to_owned();
        };
        let value = || {
            let t = pid.trim();
            match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => t.parse::<u64>().ok(),
            }
        };
        match self {
            PidFormat::AsWritten => format!("PID: {pid}"),
            PidFormat::Guid => format!("GUID: {pid}"),
            PidFormat::Hex => {
                value().map_or_else(|| format!("PID: {pid}"), |v| format!("PID: 0x{v:x}"))
            }
            PidFormat::Dec => {
                value().map_or_else(|| format!("PID: {pid}"), |v| format!("PID: {v}"))
            }
        }
    }
}

/// What is under a point of the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TreeHit {
    /// A process box (node index in tree order).
    Node(usize),
    /// The collapse/expand toggle of a node.
    Toggle(usize),
    /// The overview strip, at this fraction (0–1) of the visible rows.
    Overview(f64),
}

/// What a press started on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TreeDrag {
    /// The plot: a drag pans, a click selects or toggles.
    Plot,
    /// The overview strip: a drag scrolls there.
    Overview,
}

/// How boxes are coloured.
#[derive(Debug, Clone, PartialEq)]
enum Colouring {
    /// Per node: a category index (`None`: null), with the category labels.
    Categories(Vec<Option<u32>>, Vec<String>),
    /// Per node: a number (NaN: null), with the range.
    Numbers(Vec<f64>, f64, f64),
}

/// Tableau's 10 categorical colours (d3 `schemeCategory10`).
const PALETTE: [Color; 10] = [
    Color::rgb(31, 119, 180),
    Color::rgb(255, 127, 14),
    Color::rgb(44, 160, 44),
    Color::rgb(214, 39, 40),
    Color::rgb(148, 103, 189),
    Color::rgb(140, 86, 75),
    Color::rgb(227, 119, 194),
    Color::rgb(127, 127, 127),
    Color::rgb(188, 189, 34),
    Color::rgb(23, 190, 207),
];

/// Viridis at 9 stops (MSTICPy colours numbers and depth with Viridis256).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Viridis at `t` in 0–1.
pub fn viridis(t: f64) -> Color {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    Color::rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Categorical colour `i` (the palette repeats past 10, a little darker each round).
pub fn category_colour(i: u32) -> Color {
    let base = PALETTE[i as usize % PALETTE.len()];
    let round = (i as usize / PALETTE.len()).min(3) as f64;
    let dim = |c: u8| (f64::from(c) * (1.0 - 0.18 * round)).round() as u8;
    Color::rgb(dim(base.r), dim(base.g), dim(base.b))
}

const NULL_GREY: Color = Color::rgb(190, 190, 190);
const OVERVIEW_W: f64 = 64.0;
const TITLE_H: f64 = 26.0;
/// Box width in levels (MSTICPy: 3.5).
const BOX_LEVELS: f64 = 3.5;

/// A process tree laid out for drawing, with its view (zoom, scroll), collapsed nodes,
/// search matches and selection.
pub struct TreePlot {
    tree: Rc<ProcessTree>,
    table: Rc<Table>,
    style: TreeStyle,
    width: f64,
    height: f64,
    /// Zoom (1 = `row_height` px per row).
    zoom: f64,
    /// Row (of the visible rows) at the top edge; fractional while scrolling.
    top: f64,
    /// Horizontal scroll, px.
    left: f64,
    collapsed: Vec<bool>,
    /// Visible nodes in tree order (collapsed subtrees left out), and each node's row there.
    visible: Vec<u32>,
    row_of: Vec<u32>,
    matches: Vec<bool>,
    match_count: usize,
    selected: Option<usize>,
    pointer: Pointer<TreeDrag>,
    /// What the pointer is over.
    hovered: Option<TreeHit>,
    colouring: Colouring,
    /// Columns for the box text and the tooltip (names present in the table).
    cmd_col: Option<String>,
    tooltip_cols: Vec<(String, String)>,
    separator: char,
}

impl TreePlot {
    /// A plot of `tree` (built from `table`), `width` × `height` CSS px.
    pub fn new(
        tree: Rc<ProcessTree>,
        table: Rc<Table>,
        style: TreeStyle,
        width: f64,
        height: f64,
    ) -> Result<TreePlot> {
        let n = tree.len();
        let schema = tree.schema().clone();
        let has = |c: &str| table.schema().index_of(c).is_ok();
        let present = |c: &Option<String>| c.clone().filter(|c| has(c));
        let (colouring, tooltip_cols) = styled(&tree, &table, &style)?;
        let mut plot = TreePlot {
            cmd_col: present(&schema.cmd_line),
            separator: schema.path_separator.chars().next().unwrap_or('\\'),
            tree,
            table,
            style,
            width,
            height,
            zoom: 1.0,
            top: 0.0,
            left: 0.0,
            collapsed: vec![false; n],
            visible: Vec::new(),
            row_of: vec![u32::MAX; n],
            matches: vec![false; n],
            match_count: 0,
            selected: None,
            pointer: Pointer::new(2.0),
            hovered: None,
            colouring,
            tooltip_cols,
        };
        plot.relayout();
        Ok(plot)
    }

    /// New style options, keeping the view, collapsed nodes, marks and selection.
    pub fn set_style(&mut self, style: TreeStyle) -> Result<()> {
        let (colouring, tooltip_cols) = styled(&self.tree, &self.table, &style)?;
        self.colouring = colouring;
        self.tooltip_cols = tooltip_cols;
        self.style = style;
        self.clamp();
        Ok(())
    }

    /// The tree drawn.
    pub fn tree(&self) -> &ProcessTree {
        &self.tree
    }

    /// Nodes in view order (collapsed subtrees left out).
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// The nodes in rows (partly) in view, top to bottom.
    pub fn in_view(&self) -> &[u32] {
        let first = self.top.floor().max(0.0) as usize;
        let last = ((self.top + self.rows_in_view()).ceil() as usize).min(self.visible.len());
        &self.visible[first.min(last)..last]
    }

    /// Node `i`'s row among the visible rows (`None`: inside a collapsed subtree).
    pub fn row(&self, i: usize) -> Option<usize> {
        self.row_of
            .get(i)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }

    fn relayout(&mut self) {
        self.visible.clear();
        self.row_of.iter_mut().for_each(|r| *r = u32::MAX);
        let mut i = 0;
        let n = self.tree.len();
        while i < n {
            self.row_of[i] = self.visible.len() as u32;
            self.visible.push(i as u32);
            if self.collapsed[i] {
                // Skip the subtree: in tree order it is the run of deeper nodes that follows.
                let depth = self.tree.depth(i);
                i += 1;
                while i < n && self.tree.depth(i) > depth {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        self.clamp();
    }

    /// Sets the size in CSS px.
    pub fn resize(&mut self, width: f64, height: f64) {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.clamp();
    }

    fn plot_area(&self) -> (f64, f64, f64, f64) {
        let x = 8.0;
        let y = TITLE_H;
        (
            x,
            y,
            (self.width - OVERVIEW_W - 16.0).max(10.0),
            (self.height - y - 4.0).max(10.0),
        )
    }

    fn row_h(&self) -> f64 {
        self.style.row_height * self.zoom
    }

    /// Width of one level, px: the deepest box fits the plot width at zoom 1.
    fn unit(&self) -> f64 {
        let (_, _, w, _) = self.plot_area();
        let levels = self.tree.summary().max_depth.max(1) as f64 - 1.0 + BOX_LEVELS + 0.5;
        (w / levels).clamp(30.0, 140.0) * self.zoom
    }

    fn rows_in_view(&self) -> f64 {
        self.plot_area().3 / self.row_h()
    }

    fn clamp(&mut self) {
        let max_top = (self.visible.len() as f64 - self.rows_in_view()).max(0.0);
        self.top = if self.top.is_finite() {
            self.top.clamp(0.0, max_top)
        } else {
            0.0
        };
        let content_w = self.content_width();
        let max_left = (content_w - self.plot_area().2).max(0.0);
        self.left = if self.left.is_finite() {
            self.left.clamp(0.0, max_left)
        } else {
            0.0
        };
    }

    fn content_width(&self) -> f64 {
        let depth = self.tree.summary().max_depth.max(1) as f64;
        (depth - 1.0 + BOX_LEVELS + 0.5) * self.unit()
    }

    /// Zooms by `factor` keeping the point (`x`, `y`) in place.
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let (px, py, _, _) = self.plot_area();
        let row = self.top + (y - py) / self.row_h();
        let cx = (self.left + x - px) / self.unit();
        self.zoom = (self.zoom * factor).clamp(0.05, 8.0);
        self.top = row - (y - py) / self.row_h();
        self.left = cx * self.unit() - (x - px);
        self.clamp();
    }

    /// Moves the content by (`dx`, `dy`) px (dragging down shows earlier rows).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        if dx.is_finite() && dy.is_finite() {
            self.left -= dx;
            self.top -= dy / self.row_h();
            self.clamp();
        }
    }

    /// Back to zoom 1 at the top.
    pub fn reset_view(&mut self) {
        self.zoom = 1.0;
        self.top = 0.0;
        self.left = 0.0;
        self.clamp();
    }

    /// Scrolls so that `fraction` (0–1) of the rows is at the centre of the view.
    pub fn scroll_to_fraction(&mut self, fraction: f64) {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.top = f * self.visible.len() as f64 - self.rows_in_view() / 2.0;
        self.clamp();
    }

    /// Expands the ancestors of node `i` and scrolls it into the middle of the view.
    pub fn reveal(&mut self, i: usize) {
        if i >= self.tree.len() {
            return;
        }
        let mut changed = false;
        for a in self.tree.ancestors(i) {
            changed |= std::mem::replace(&mut self.collapsed[a], false);
        }
        if changed {
            self.relayout();
        }
        if let Some(row) = self.row(i) {
            self.top = row as f64 + 0.5 - self.rows_in_view() / 2.0;
            let x = (self.tree.depth(i) as f64 - 1.0) * self.unit();
            if x < self.left || x > self.left + self.plot_area().2 * 0.6 {
                self.left = x - self.unit();
            }
            self.clamp();
        }
    }

    /// Collapses or expands node `i`'s subtree; false if it has no children.
    pub fn toggle(&mut self, i: usize) -> bool {
        if i >= self.tree.len() || self.tree.is_leaf(i) {
            return false;
        }
        self.collapsed[i] = !self.collapsed[i];
        self.relayout();
        true
    }

    /// Whether node `i` is collapsed.
    pub fn is_collapsed(&self, i: usize) -> bool {
        self.collapsed.get(i).copied().unwrap_or(false)
    }

    /// Expands everything.
    pub fn expand_all(&mut self) {
        self.collapsed.iter_mut().for_each(|c| *c = false);
        self.relayout();
    }

    /// Selects node `i` (or nothing).
    pub fn select(&mut self, i: Option<usize>) {
        self.selected = i.filter(|&i| i < self.tree.len());
    }

    /// The selected node.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Marks the processes whose name, PID, command line or key contains `text` (ignoring
    /// ASCII case); empty text clears the marks. Returns the matches in tree order.
    pub fn highlight(&mut self, text: &str) -> Vec<usize> {
        let needle = text.trim().to_ascii_lowercase();
        let mut found = Vec::new();
        if !needle.is_empty() {
            let cmd = self.cmd_reader();
            for i in 0..self.tree.len() {
                let node = self.tree.node(i);
                let hit = node.name.is_some_and(|s| contains_ascii_ci(s, &needle))
                    || node
                        .pid
                        .as_deref()
                        .is_some_and(|s| contains_ascii_ci(s, &needle))
                    || node
                        .row
                        .and_then(|r| cmd.as_ref()?.text(r))
                        .is_some_and(|s| contains_ascii_ci(&s, &needle))
                    || self
                        .tree
                        .proc_key(i)
                        .is_some_and(|k| contains_ascii_ci(&k, &needle));
                if hit {
                    found.push(i);
                }
            }
        }
        self.matches.iter_mut().for_each(|m| *m = false);
        for &i in &found {
            self.matches[i] = true;
        }
        self.match_count = found.len();
        found
    }

    /// Whether node `i` matches the last [`TreePlot::highlight`].
    pub fn is_match(&self, i: usize) -> bool {
        self.matches.get(i).copied().unwrap_or(false)
    }

    fn cmd_reader(&self) -> Option<CellReader<'_>> {
        let col = self
            .table
            .column(self.cmd_col.as_deref()?, "cmd_line")
            .ok()?;
        Some(CellReader::new(&col))
    }

    /// Box of visible row `row`: (x, y, w, h) in CSS px.
    fn box_of(&self, node: usize, row: usize) -> (f64, f64, f64, f64) {
        let (px, py, _, _) = self.plot_area();
        let unit = self.unit();
        let rh = self.row_h();
        let depth = self.tree.depth(node).max(1) as f64;
        let x = px - self.left + (depth - 1.0) * unit + unit * 0.25;
        let y = py + (row as f64 - self.top) * rh + rh * 0.04;
        (x, y, BOX_LEVELS * unit, rh * 0.92)
    }

    /// The box of node `i` as drawn now, if it is in a visible row.
    pub fn node_box(&self, i: usize) -> Option<(f64, f64, f64, f64)> {
        Some(self.box_of(i, self.row(i)?))
    }

    fn toggle_box(&self, bx: (f64, f64, f64, f64)) -> Option<(f64, f64, f64)> {
        let s = (bx.3 * 0.4).clamp(0.0, 14.0);
        (s >= 7.0).then(|| (bx.0 - s - 3.0, bx.1 + bx.3 / 2.0 - s / 2.0, s))
    }

    /// What is at (`x`, `y`).
    pub fn hit(&self, x: f64, y: f64) -> Option<TreeHit> {
        let (px, py, pw, ph) = self.plot_area();
        let ox = self.width - OVERVIEW_W - 4.0;
        if x >= ox && x <= ox + OVERVIEW_W && y >= py && y <= py + ph {
            return Some(TreeHit::Overview(((y - py) / ph).clamp(0.0, 1.0)));
        }
        if x < px || x > px + pw || y < py || y > py + ph {
            return None;
        }
        let row = (self.top + (y - py) / self.row_h()).floor();
        if row < 0.0 || row >= self.visible.len() as f64 {
            return None;
        }
        let node = self.visible[row as usize] as usize;
        let bx = self.box_of(node, row as usize);
        if !self.tree.is_leaf(node)
            && let Some((tx, ty, s)) = self.toggle_box(bx)
            && x >= tx
            && x <= tx + s
            && y >= ty
            && y <= ty + s
        {
            return Some(TreeHit::Toggle(node));
        }
        (x >= bx.0 && x <= bx.0 + bx.2 && y >= bx.1 && y <= bx.1 + bx.3)
            .then_some(TreeHit::Node(node))
    }

    /// The process under the pointer.
    pub fn hovered_node(&self) -> Option<usize> {
        match self.hovered {
            Some(TreeHit::Node(i)) => Some(i),
            _ => None,
        }
    }

    /// Tooltip lines of node `i`.
    pub fn node_tooltip(&self, i: usize) -> Vec<String> {
        let Some(node) = (i < self.tree.len()).then(|| self.tree.node(i)) else {
            return Vec::new();
        };
        let mut lines = vec![
            format!("Process: {}", node.name.unwrap_or("NA")),
            self.style.pid_format.label(node.pid.as_deref()),
        ];
        if node.inferred {
            lines.push("Inferred parent: not in the data, named by its children".to_owned());
        }
        for (label, col) in &self.tooltip_cols {
            if self.style.tooltip_cols.is_none() && label == "Time" {
                // The parsed creation time, as MSTICPy's tooltip formats it (`%F %T.%3N`).
                let time = match (node.inferred, node.time_ns) {
                    (false, Some(ns)) => tooltip_time(ns),
                    _ => "NA".to_owned(),
                };
                lines.push(format!("Time: {time}"));
                continue;
            }
            let value = node
                .row
                .and_then(|r| {
                    let c = self.table.column(col, "tooltip").ok()?;
                    CellReader::new(&c).text(r).map(Cow::into_owned)
                })
                .unwrap_or_else(|| "NA".to_owned());
            lines.push(format!("{label}: {}", clip(&value, 300)));
        }
        if let Some(key) = self.tree.proc_key(i) {
            lines.push(format!("Key: {key}"));
        }
        if let Some(flag) = node.flag {
            lines.push(format!("Note: {flag}"));
        }
        lines
    }

    /// Fill colour of node `i`.
    pub fn colour(&self, i: usize) -> Color {
        match &self.colouring {
            Colouring::Categories(codes, _) => codes
                .get(i)
                .copied()
                .flatten()
                .map_or(NULL_GREY, category_colour),
            Colouring::Numbers(values, lo, hi) => match values.get(i) {
                Some(v) if v.is_finite() => {
                    viridis(if hi > lo { (v - lo) / (hi - lo) } else { 0.5 })
                }
                _ => NULL_GREY,
            },
        }
    }

    /// The frame: title, grid, connectors, boxes with text, legend and overview.
    pub fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        let mut shapes = Vec::new();
        let (px, py, pw, ph) = self.plot_area();
        let ink = Color::rgb(34, 34, 34);
        shapes.push(Shape::Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: self.height,
            fill: Color::rgb(255, 255, 255),
        });
        shapes.push(Shape::Text {
            x: px,
            y: TITLE_H / 2.0,
            text: ellipsize(measure, &self.style.title, 14.0, pw),
            font_px: 14.0,
            bold: true,
            color: ink,
            align: Align::Left,
            baseline: Baseline::Middle,
            angle: 0.0,
        });
        shapes.push(Shape::Clip {
            x: px,
            y: py,
            w: pw,
            h: ph,
        });
        let unit = self.unit();
        let rh = self.row_h();
        // Level grid (MSTICPy: navy, alpha 0.1).
        for level in 0..self.tree.summary().max_depth {
            let x = px - self.left + level as f64 * unit + unit * 0.25;
            if x >= px && x <= px + pw {
                shapes.push(Shape::line(
                    x,
                    py,
                    x,
                    py + ph,
                    Color::rgb(0, 0, 128).with_alpha(0.1),
                    1.0,
                ));
            }
        }
        let first = self.top.floor().max(0.0) as usize;
        let last = ((self.top + ph / rh).ceil() as usize + 1).min(self.visible.len());
        let cmd = self.cmd_reader();
        let connector = Color::rgb(110, 110, 110);
        // Connectors first (under the boxes): from below the parent's toggle down to the
        // child's middle, then right to its box.
        for row in first..last {
            let i = self.visible[row] as usize;
            let Some(parent) = self.tree.parent(i) else {
                continue;
            };
            let Some(prow) = self.row(parent) else {
                continue;
            };
            let pb = self.box_of(parent, prow);
            let cb = self.box_of(i, row);
            // On pixel centres, so 1 px lines stay crisp.
            let x = (pb.0 + unit * 0.3).floor() + 0.5;
            let mid = (cb.1 + cb.3 / 2.0).floor() + 0.5;
            shapes.push(Shape::line(x, pb.1 + pb.3, x, mid, connector, 1.0));
            shapes.push(Shape::line(x, mid, cb.0, mid, connector, 1.0));
        }
        for row in first..last {
            let i = self.visible[row] as usize;
            let node = self.tree.node(i);
            let (x, y, w, h) = self.box_of(i, row);
            let fill = self.colour(i);
            shapes.push(Shape::Box {
                x,
                y,
                w,
                h,
                fill: Some(fill.with_alpha(0.4)),
                stroke: Some(if node.inferred {
                    Color::rgb(80, 80, 80)
                } else {
                    fill
                }),
                line_width: 1.0,
                dashed: node.inferred,
                item: i,
            });
            if self.is_match(i) {
                shapes.push(outline(
                    x - 2.0,
                    y - 2.0,
                    w + 4.0,
                    h + 4.0,
                    Color::rgb(255, 140, 0),
                    3.0,
                    i,
                ));
            }
            if self.selected == Some(i) {
                shapes.push(outline(x - 1.0, y - 1.0, w + 2.0, h + 2.0, ink, 2.0, i));
            }
            if !node.is_leaf
                && let Some((tx, ty, s)) = self.toggle_box((x, y, w, h))
            {
                shapes.push(Shape::Box {
                    x: tx,
                    y: ty,
                    w: s,
                    h: s,
                    fill: Some(Color::rgb(255, 255, 255)),
                    stroke: Some(connector),
                    line_width: 1.0,
                    dashed: false,
                    item: i,
                });
                let c = (tx + s / 2.0, ty + s / 2.0);
                shapes.push(Shape::line(tx + 2.0, c.1, tx + s - 2.0, c.1, ink, 1.0));
                if self.collapsed[i] {
                    shapes.push(Shape::line(c.0, ty + 2.0, c.0, ty + s - 2.0, ink, 1.0));
                }
            }
            // Text: name and PID on the first line, the command line below (when there is
            // room for it).
            let font = (h * 0.36).clamp(0.0, 13.0);
            if font < 6.0 {
                continue;
            }
            let pad = 4.0;
            let name = node
                .name
                .map(|n| n.rsplit(self.separator).next().unwrap_or(n))
                .unwrap_or("NA");
            let pid = self.style.pid_format.label(node.pid.as_deref());
            let pid_w = measure.width(&pid, font, false).min(w * 0.45);
            let two_lines = h >= font * 2.6;
            let line1 = if two_lines { y + h * 0.3 } else { y + h / 2.0 };
            shapes.push(text(
                x + pad,
                line1,
                ellipsize(measure, name, font, (w - pid_w - 3.0 * pad).max(0.0)),
                font,
                true,
                ink,
                Align::Left,
            ));
            shapes.push(text(
                x + w - pad,
                line1,
                ellipsize(measure, &pid, font, pid_w),
                font,
                false,
                ink,
                Align::Right,
            ));
            if two_lines {
                let cmdline = if node.inferred {
                    Cow::Borrowed("(inferred parent)")
                } else {
                    node.row
                        .and_then(|r| cmd.as_ref()?.text(r))
                        .unwrap_or(Cow::Borrowed(""))
                };
                let small = font * 0.9;
                shapes.push(text(
                    x + pad,
                    y + h * 0.72,
                    ellipsize(measure, &clip(&cmdline, 400), small, w - 2.0 * pad),
                    small,
                    false,
                    Color::rgb(60, 60, 60),
                    Align::Left,
                ));
            }
        }
        shapes.push(Shape::Unclip);
        if !self.style.hide_legend {
            self.legend(&mut shapes, measure);
        }
        self.overview(&mut shapes);
        Scene {
            width: self.width,
            height: self.height,
            shapes,
        }
    }

    /// Legend in the top-right corner of the plot area: categories with swatches, or the
    /// gradient with its range.
    fn legend(&self, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let (px, py, pw, _) = self.plot_area();
        let font = 11.0;
        let ink = Color::rgb(34, 34, 34);
        let title = self
            .style
            .legend_col
            .clone()
            .unwrap_or_else(|| "depth".to_owned());
        let mut entries: Vec<(Color, String)> = Vec::new();
        match &self.colouring {
            Colouring::Categories(_, labels) => {
                const MAX: usize = 12;
                for (k, label) in labels.iter().take(MAX).enumerate() {
                    entries.push((category_colour(k as u32), label.clone()));
                }
                if labels.len() > MAX {
                    entries.push((NULL_GREY, format!("… {} more", labels.len() - MAX)));
                }
            }
            Colouring::Numbers(_, lo, hi) => {
                entries.push((viridis(1.0), format_number(*hi)));
                entries.push((viridis(0.5), format_number((lo + hi) / 2.0)));
                entries.push((viridis(0.0), format_number(*lo)));
            }
        }
        let text_w = entries
            .iter()
            .map(|(_, l)| measure.width(l, font, false).min(160.0))
            .chain([measure.width(&title, font, true).min(180.0)])
            .fold(0.0, f64::max);
        let w = text_w + 30.0;
        let h = 20.0 + entries.len() as f64 * 16.0;
        let x = px + pw - w - 6.0;
        let y = py + 6.0;
        shapes.push(Shape::Box {
            x,
            y,
            w,
            h,
            fill: Some(Color::rgb(255, 255, 255).with_alpha(0.9)),
            stroke: Some(Color::rgb(200, 200, 200)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
        shapes.push(text(
            x + 6.0,
            y + 10.0,
            ellipsize(measure, &title, font, 180.0),
            font,
            true,
            ink,
            Align::Left,
        ));
        let gradient = matches!(self.colouring, Colouring::Numbers(..));
        if gradient {
            // One continuous bar from the top label (largest) to the bottom one (smallest).
            const SLICES: usize = 32;
            let (top, bottom) = (y + 21.0, y + 26.0 + 2.0 * 16.0 + 5.0);
            let step = (bottom - top) / SLICES as f64;
            for k in 0..SLICES {
                shapes.push(Shape::Rect {
                    x: x + 6.0,
                    y: top + k as f64 * step,
                    w: 12.0,
                    h: step + 0.5,
                    fill: viridis(1.0 - (k as f64 + 0.5) / SLICES as f64),
                });
            }
        }
        for (k, (colour, label)) in entries.into_iter().enumerate() {
            let ly = y + 26.0 + k as f64 * 16.0;
            if !gradient {
                shapes.push(Shape::Rect {
                    x: x + 6.0,
                    y: ly - 5.0,
                    w: 12.0,
                    h: 10.0,
                    fill: colour,
                });
            }
            shapes.push(text(
                x + 22.0,
                ly,
                ellipsize(measure, &label, font, 160.0),
                font,
                false,
                ink,
                Align::Left,
            ));
        }
    }

    /// The overview strip: every visible row at its depth, squeezed into the plot height, with
    /// the part in view marked.
    fn overview(&self, shapes: &mut Vec<Shape>) {
        let (_, py, _, ph) = self.plot_area();
        let ox = self.width - OVERVIEW_W - 4.0;
        shapes.push(Shape::Rect {
            x: ox,
            y: py,
            w: OVERVIEW_W,
            h: ph,
            fill: Color::rgb(246, 246, 248),
        });
        let n = self.visible.len();
        if n == 0 {
            return;
        }
        let depth = self.tree.summary().max_depth.max(1) as f64;
        let step = (OVERVIEW_W - 8.0) / (depth + 2.0);
        let pixels = ph.floor().max(1.0) as usize;
        let bar_h = (ph / n as f64).clamp(1.0, 6.0);
        // At most one bar per pixel row: the first node of the rows it stands for.
        let stride = n.div_ceil(pixels).max(1);
        for row in (0..n).step_by(stride) {
            let i = self.visible[row] as usize;
            let d = self.tree.depth(i).max(1) as f64 - 1.0;
            shapes.push(Shape::Rect {
                x: ox + 4.0 + d * step,
                y: py + row as f64 / n as f64 * ph,
                w: step * 3.0,
                h: bar_h,
                fill: if self.is_match(i) {
                    Color::rgb(255, 140, 0)
                } else {
                    self.colour(i).with_alpha(0.8)
                },
            });
        }
        // Search matches as ticks on the right edge, every one of them.
        if self.match_count > 0 {
            for (row, &i) in self.visible.iter().enumerate() {
                if self.matches[i as usize] {
                    shapes.push(Shape::Rect {
                        x: ox + OVERVIEW_W - 6.0,
                        y: py + row as f64 / n as f64 * ph,
                        w: 6.0,
                        h: bar_h.max(2.0),
                        fill: Color::rgb(255, 140, 0),
                    });
                }
            }
        }
        let y0 = py + self.top / n as f64 * ph;
        let vh = (self.rows_in_view() / n as f64 * ph).min(ph);
        shapes.push(Shape::Box {
            x: ox,
            y: y0,
            w: OVERVIEW_W,
            h: vh.max(3.0),
            fill: Some(Color::rgb(0, 0, 128).with_alpha(0.15)),
            stroke: Some(Color::rgb(0, 0, 128).with_alpha(0.6)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
    }
}

/// The colours and the tooltip columns (label, column) of a style.
fn styled(
    tree: &ProcessTree,
    table: &Table,
    style: &TreeStyle,
) -> Result<(Colouring, Vec<(String, String)>)> {
    let schema = tree.schema();
    let has = |c: &str| table.schema().index_of(c).is_ok();
    let present = |c: &Option<String>| c.clone().filter(|c| has(c));
    let colouring = match &style.legend_col {
        Some(col) => colouring_of(tree, table, col)?,
        None => {
            let depths: Vec<f64> = (0..tree.len()).map(|i| tree.depth(i) as f64).collect();
            let max = depths.iter().copied().fold(1.0, f64::max);
            Colouring::Numbers(depths, 1.0, max)
        }
    };
    let tooltip_cols = match &style.tooltip_cols {
        Some(cols) => {
            for c in cols {
                if !has(c) {
                    table.column(c, "tooltip_cols")?;
                }
            }
            cols.iter().map(|c| (c.clone(), c.clone())).collect()
        }
        None => [
            ("Time", Some(schema.time_stamp.clone())),
            ("User", present(&schema.user_name)),
            ("Command line", present(&schema.cmd_line)),
            ("Host", present(&schema.host_name_column)),
            ("Logon id", present(&schema.logon_id)),
        ]
        .into_iter()
        .filter_map(|(label, col)| Some((label.to_owned(), col.filter(|c| has(c))?)))
        .collect(),
    };
    Ok((colouring, tooltip_cols))
}

fn colouring_of(tree: &ProcessTree, table: &Table, col: &str) -> Result<Colouring> {
    let column = table.column(col, "legend_col")?;
    let rows: Vec<Option<usize>> = (0..tree.len()).map(|i| tree.row(i)).collect();
    if column.check_numeric().is_ok() {
        let mut by_row = vec![f64::NAN; table.num_rows()];
        for_each_number(&column, |r, v| by_row[r] = v)?;
        let values: Vec<f64> = rows
            .iter()
            .map(|r| r.map_or(f64::NAN, |r| by_row[r]))
            .collect();
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() {
            return Ok(Colouring::Numbers(values, lo, hi));
        }
    }
    let cats = encode_categories(&column)?;
    // Categories numbered in order of first appearance in the tree, so colours are stable.
    let mut order = vec![u32::MAX; cats.labels.len()];
    let mut labels = Vec::new();
    let codes = rows
        .iter()
        .map(|r| {
            let code = *cats.codes.get((*r)?)?;
            let slot = order.get_mut(code as usize)?;
            if *slot == u32::MAX {
                *slot = labels.len() as u32;
                labels.push(cats.labels[code as usize].clone());
            }
            Some(*slot)
        })
        .collect();
    if labels.is_empty() && table.num_rows() > 0 && column.check_numeric().is_err() {
        return Err(Error::invalid_option(
            "legendCol",
            format!("the column `{col}` has no values to colour by"),
        ));
    }
    Ok(Colouring::Categories(codes, labels))
}

/// `YYYY-MM-DD HH:MM:SS.mmm` (UTC).
fn tooltip_time(ns: i64) -> String {
    let ms = ns.div_euclid(1_000_000);
    let secs = ms.div_euclid(1000);
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}",
        s / 3600,
        s % 3600 / 60,
        s % 60,
        ms.rem_euclid(1000)
    )
}

/// `s` cut to `max` characters with `…`.
fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
        None => Cow::Borrowed(s),
    }
}

/// Whether `hay` contains `needle` (already lower-case ASCII), ignoring ASCII case.
fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn outline(x: f64, y: f64, w: f64, h: f64, stroke: Color, width: f64, item: usize) -> Shape {
    Shape::Box {
        x,
        y,
        w,
        h,
        fill: None,
        stroke: Some(stroke),
        line_width: width,
        dashed: false,
        item,
    }
}

/// Unrotated text centred vertically on `y`.
fn text(
    x: f64,
    y: f64,
    text: String,
    font_px: f64,
    bold: bool,
    color: Color,
    align: Align,
) -> Shape {
    Shape::text(x, y, text, font_px, bold, color, align, Baseline::Middle)
}

impl TreePlot {
    fn hover_at(&mut self, x: f64, y: f64) -> Response {
        let before = self.hovered_node();
        self.hovered = self.hit(x, y);
        Response {
            hover: self.hovered_node() != before,
            ..Response::NONE
        }
    }
}

/// Drag pans (or, on the overview strip, scrolls there), the wheel zooms (shift+wheel scrolls),
/// a click selects a process or toggles its subtree, a double click toggles; `+`/`-`/`0`,
/// arrows, PageUp/PageDown, Home/End.
impl Interactive for TreePlot {
    fn resize(&mut self, width: f64, height: f64, _measure: &dyn TextMeasure) {
        TreePlot::resize(self, width, height);
    }

    fn size(&self) -> (f64, f64) {
        (self.width, self.height)
    }

    fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        TreePlot::scene(self, measure)
    }

    fn input(&mut self, input: Input<'_>) -> Response {
        match input {
            Input::Down { x, y, button, .. } => {
                if button != 0 {
                    return Response::NONE;
                }
                if let Some(TreeHit::Overview(f)) = self.hit(x, y) {
                    self.pointer.down(x, y, TreeDrag::Overview);
                    self.scroll_to_fraction(f);
                    return Response::redraw();
                }
                self.pointer.down(x, y, TreeDrag::Plot);
                Response::NONE
            }
            Input::Move { x, y } => match self.pointer.moved(x, y) {
                Some((dx, dy, press)) => {
                    if press.mode == TreeDrag::Overview {
                        if let Some(TreeHit::Overview(f)) = self.hit(x.max(0.0), y) {
                            self.scroll_to_fraction(f);
                        }
                    } else {
                        self.pan(dx, dy);
                    }
                    let hid = self
                        .hovered
                        .take()
                        .is_some_and(|h| matches!(h, TreeHit::Node(_)));
                    Response {
                        hover: hid,
                        ..Response::redraw()
                    }
                }
                None => self.hover_at(x, y),
            },
            Input::Up { x, y } => match self.pointer.up(x, y) {
                Some(press) if !press.moved && press.mode == TreeDrag::Plot => match self.hit(x, y)
                {
                    Some(TreeHit::Toggle(i)) if self.toggle(i) => Response {
                        toggled: Some(i),
                        ..Response::redraw()
                    },
                    Some(TreeHit::Node(i)) => {
                        self.select(Some(i));
                        Response {
                            value: true,
                            ..Response::redraw()
                        }
                    }
                    _ => Response::NONE,
                },
                _ => self.hover_at(x, y),
            },
            Input::Leave => {
                self.pointer.leave();
                let was = self.hovered_node().is_some();
                self.hovered = None;
                Response {
                    hover: was,
                    ..Response::NONE
                }
            }
            Input::Wheel { x, y, dy, shift } => {
                if shift {
                    self.pan(0.0, -dy);
                } else {
                    self.zoom_at(wheel_factor(dy), x, y);
                }
                Response::redraw() | self.hover_at(x, y)
            }
            Input::DoubleClick { x, y } => match self.hit(x, y) {
                Some(TreeHit::Node(i)) if self.toggle(i) => Response {
                    toggled: Some(i),
                    ..Response::redraw()
                },
                _ => Response::NONE,
            },
            Input::Key(key) => {
                let h = self.height;
                match key {
                    "PageUp" => self.pan(0.0, h * 0.9),
                    "PageDown" => self.pan(0.0, -h * 0.9),
                    "Home" => self.scroll_to_fraction(0.0),
                    "End" => self.scroll_to_fraction(1.0),
                    _ => match view_key(key) {
                        Some(ViewKey::Zoom(f)) => self.zoom_at(f, self.width / 2.0, h / 2.0),
                        Some(ViewKey::Reset) => TreePlot::reset_view(self),
                        Some(ViewKey::Pan(dx, dy)) => self.pan(dx, dy),
                        None => return Response::NONE,
                    },
                }
                Response::redraw()
            }
        }
    }

    fn tooltip(&self) -> Vec<String> {
        self.hovered_node()
            .map(|i| self.node_tooltip(i))
            .unwrap_or_default()
    }

    fn cursor(&self) -> Cursor {
        match self.hovered {
            Some(_) => Cursor::Pointer,
            None => Cursor::Grab,
        }
    }

    fn reset_view(&mut self) {
        TreePlot::reset_view(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proctree::{SchemaChoice, build_process_tree};
    use crate::render::ApproxMeasure;
    use crate::table::Value;

    /// explorer.exe (inferred) → cmd.exe → {whoami.exe, notepad.exe}; services.exe (inferred)
    /// → svchost.exe. Users and a category column for colours.
    fn sample() -> (Rc<ProcessTree>, Rc<Table>) {
        let t = |s: &str| Value::Text(s.to_owned());
        let rows = [
            (
                "10:00:00",
                "C:\\W\\cmd.exe",
                "0x100",
                "0x50",
                "C:\\W\\explorer.exe",
                "cmd /c whoami",
                "alice",
            ),
            (
                "10:00:01",
                "C:\\W\\whoami.exe",
                "0x200",
                "0x100",
                "C:\\W\\cmd.exe",
                "whoami /all",
                "alice",
            ),
            (
                "10:00:02",
                "C:\\W\\notepad.exe",
                "0x300",
                "0x100",
                "C:\\W\\cmd.exe",
                "notepad <script>x</script>",
                "bob",
            ),
            (
                "10:00:03",
                "C:\\W\\svchost.exe",
                "0x400",
                "0x30",
                "C:\\W\\services.exe",
                "svchost -k",
                "system",
            ),
        ];
        let names = [
            "TimeGenerated",
            "NewProcessName",
            "NewProcessId",
            "ProcessId",
            "ParentProcessName",
            "CommandLine",
            "SubjectUserName",
        ];
        let cols = vec![
            rows.iter()
                .map(|r| t(&format!("2024-01-01 {}", r.0)))
                .collect(),
            rows.iter().map(|r| t(r.1)).collect(),
            rows.iter().map(|r| t(r.2)).collect(),
            rows.iter().map(|r| t(r.3)).collect(),
            rows.iter().map(|r| t(r.4)).collect(),
            rows.iter().map(|r| t(r.5)).collect(),
            rows.iter().map(|r| t(r.6)).collect(),
        ];
        let table = Table::from_rows(names.map(String::from).to_vec(), cols).unwrap();
        let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into())).unwrap();
        (Rc::new(tree), Rc::new(table))
    }

    fn plot(style: TreeStyle) -> TreePlot {
        let (tree, table) = sample();
        TreePlot::new(tree, table, style, 900.0, 700.0).unwrap()
    }

    fn names(p: &TreePlot) -> Vec<&str> {
        p.visible()
            .iter()
            .map(|&i| {
                let n = p.tree().node(i as usize).name.unwrap_or("");
                n.rsplit('\\').next().unwrap_or(n)
            })
            .collect()
    }

    #[test]
    fn layout_follows_depth_and_tree_order() {
        let p = plot(TreeStyle::default());
        assert_eq!(
            names(&p),
            [
                "explorer.exe",
                "cmd.exe",
                "whoami.exe",
                "notepad.exe",
                "services.exe",
                "svchost.exe"
            ]
        );
        // Plot area 8..828 × 26..696; depth 3 → 2 + 3.5 + 0.5 levels of 820/6 px; rows of 34 px.
        let unit = 820.0 / 6.0;
        let b = p.node_box(0).unwrap();
        assert_eq!(
            b,
            (
                8.0 + 0.25 * unit,
                26.0 + 0.04 * 34.0,
                3.5 * unit,
                0.92 * 34.0
            )
        );
        let c = p.node_box(2).unwrap(); // whoami: depth 3, row 2
        assert!((c.0 - (b.0 + 2.0 * unit)).abs() < 1e-9 && (c.1 - (b.1 + 2.0 * 34.0)).abs() < 1e-9);
    }

    #[test]
    fn boxes_text_and_connectors_of_the_frame() {
        let p = plot(TreeStyle::default());
        let scene = p.scene(&ApproxMeasure);
        let boxes: Vec<(usize, bool)> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Box {
                    item,
                    dashed,
                    fill: Some(_),
                    line_width,
                    ..
                } if *item != usize::MAX && *line_width == 1.0 && *item < 6 => {
                    Some((*item, *dashed))
                }
                _ => None,
            })
            .collect();
        // One box per process plus a white toggle box on each of the three parents; the two
        // inferred parents are dashed.
        assert_eq!(boxes.len(), 6 + 3);
        assert!(boxes.contains(&(0, true)) && boxes.contains(&(4, true)));
        assert_eq!(boxes.iter().filter(|b| b.1).count(), 2);
        let texts: Vec<&str> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        for want in [
            "ProcessTree",
            "cmd.exe",
            "PID: 0x100",
            "whoami /all",
            "(inferred parent)",
            "depth",
        ] {
            assert!(texts.contains(&want), "{want} in {texts:?}");
        }
        // Connectors: two segments per child (4 children).
        let grey = Color::rgb(110, 110, 110);
        let lines = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Line { stroke, width, .. } if *stroke == grey && *width == 1.0))
            .count();
        assert_eq!(lines, 8);
    }

    #[test]
    fn hit_tooltip_collapse_search_and_selection() {
        let mut p = plot(TreeStyle::default());
        let b = p.node_box(3).unwrap();
        assert_eq!(
            p.hit(b.0 + b.2 / 2.0, b.1 + b.3 / 2.0),
            Some(TreeHit::Node(3))
        );
        assert_eq!(
            p.node_tooltip(3),
            [
                "Process: C:\\W\\notepad.exe",
                "PID: 0x300",
                "Time: 2024-01-01 10:00:02.000",
                "User: bob",
                "Command line: notepad <script>x</script>",
                "Key: c:\\w\\notepad.exe|0x300|2024-01-01 10:00:02.000000",
            ]
        );
        assert_eq!(
            p.node_tooltip(0)[2],
            "Inferred parent: not in the data, named by its children"
        );

        // Collapse cmd.exe (node 1) through its toggle: its two children leave the view.
        let cmd = p.node_box(1).unwrap();
        let (tx, ty, s) = p.toggle_box(cmd).unwrap();
        assert_eq!(p.hit(tx + s / 2.0, ty + s / 2.0), Some(TreeHit::Toggle(1)));
        assert!(p.toggle(1));
        assert_eq!(
            names(&p),
            ["explorer.exe", "cmd.exe", "services.exe", "svchost.exe"]
        );
        assert_eq!(p.row(2), None);
        assert!(!p.toggle(5), "a leaf has nothing to collapse");

        // Search: matches by name, command line (any case) or PID; revealing one expands.
        assert_eq!(p.highlight("WHOAMI"), [1, 2]);
        assert_eq!(p.highlight("0x400"), [5]);
        assert_eq!(p.highlight("<script>"), [3]);
        p.reveal(3);
        assert_eq!(p.row(3), Some(3));
        let scene = p.scene(&ApproxMeasure);
        let orange = Color::rgb(255, 140, 0);
        let marked: Vec<usize> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Box {
                    stroke: Some(c),
                    item,
                    fill: None,
                    ..
                } if *c == orange => Some(*item),
                _ => None,
            })
            .collect();
        assert_eq!(marked, [3]);
        assert!(p.highlight("").is_empty());

        p.select(Some(2));
        assert_eq!(p.selected(), Some(2));
        p.select(Some(99));
        assert_eq!(p.selected(), None);
    }

    #[test]
    fn colours_by_category_number_or_depth() {
        let p = plot(TreeStyle {
            legend_col: Some("SubjectUserName".into()),
            ..TreeStyle::default()
        });
        // First appearance in tree order: alice (cmd), bob (notepad), system (svchost);
        // inferred parents have no value.
        assert_eq!(p.colour(1), category_colour(0));
        assert_eq!(p.colour(3), category_colour(1));
        assert_eq!(p.colour(5), category_colour(2));
        assert_eq!(p.colour(0), NULL_GREY);
        let depth = plot(TreeStyle::default());
        assert_eq!(depth.colour(0), viridis(0.0));
        assert_eq!(depth.colour(2), viridis(1.0));
        assert_eq!(viridis(0.5), Color::rgb(33, 144, 141));
        // Legends: swatches per category; a continuous 32-slice bar for numbers and depth.
        let swatches = |p: &TreePlot| -> Vec<Color> {
            p.scene(&ApproxMeasure)
                .shapes
                .iter()
                .filter_map(|s| match s {
                    Shape::Rect { w, fill, .. } if *w == 12.0 => Some(*fill),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            swatches(&p),
            [category_colour(0), category_colour(1), category_colour(2)]
        );
        let bar = swatches(&depth);
        assert_eq!(bar.len(), 32);
        assert_eq!(
            (bar[0], bar[31]),
            (viridis(1.0 - 0.5 / 32.0), viridis(0.5 / 32.0))
        );
        let err = TreePlot::new(
            sample().0,
            sample().1,
            TreeStyle {
                legend_col: Some("Nope".into()),
                ..TreeStyle::default()
            },
            900.0,
            700.0,
        )
        .err()
        .unwrap();
        assert_eq!(err.code(), "missing-column");
    }

    #[test]
    fn a_new_style_keeps_the_view() {
        let mut p = plot(TreeStyle::default());
        p.toggle(4);
        p.highlight("notepad");
        p.select(Some(3));
        p.zoom_at(1.5, 8.0, 26.0);
        let before = p.node_box(3);
        p.set_style(TreeStyle {
            legend_col: Some("SubjectUserName".into()),
            ..TreeStyle::default()
        })
        .unwrap();
        assert_eq!(p.node_box(3), before);
        assert!(p.is_collapsed(4) && p.is_match(3));
        assert_eq!(p.selected(), Some(3));
        assert_eq!(p.colour(3), category_colour(1));
        let bad = TreeStyle {
            tooltip_cols: Some(vec!["Nope".into()]),
            ..TreeStyle::default()
        };
        assert_eq!(p.set_style(bad).unwrap_err().code(), "missing-column");
        assert_eq!(
            p.colour(3),
            category_colour(1),
            "a failed update changes nothing"
        );
    }

    #[test]
    fn zoom_pan_and_overview() {
        let mut p = plot(TreeStyle::default());
        let before = p.node_box(2).unwrap();
        // Zoom at the plot's top-left corner: everything doubles away from it.
        p.zoom_at(2.0, 8.0, 26.0);
        let after = p.node_box(2).unwrap();
        assert!((after.0 - 8.0 - 2.0 * (before.0 - 8.0)).abs() < 1e-9);
        assert!((after.1 - 26.0 - 2.0 * (before.1 - 26.0)).abs() < 1e-9);
        assert!((after.3 - 2.0 * before.3).abs() < 1e-9);
        p.pan(0.0, 10_000.0);
        assert_eq!(
            p.node_box(0).unwrap().1,
            26.0 + 0.04 * 68.0,
            "clamped at the top"
        );
        p.reset_view();
        assert_eq!(p.node_box(2).unwrap(), before);
        assert_eq!(
            p.hit(900.0 - 4.0 - 32.0, 26.0 + 335.0),
            Some(TreeHit::Overview(0.5))
        );
    }

    #[test]
    fn gestures_select_toggle_scroll_and_keys() {
        let mut p = plot(TreeStyle::default());
        let (x, y, w, h) = p.node_box(2).unwrap();
        let (cx, cy) = (x + w / 2.0, y + h / 2.0);
        // Hover: the node's tooltip; a click selects it.
        assert!(p.input(Input::Move { x: cx, y: cy }).hover);
        assert_eq!(p.tooltip(), p.node_tooltip(2));
        assert_eq!(p.cursor(), Cursor::Pointer);
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 0,
            shift: false,
        });
        let r = p.input(Input::Up { x: cx, y: cy });
        assert!(r.value && r.redraw && r.toggled.is_none());
        assert_eq!(p.selected(), Some(2));
        // A small wobble (≤ 2 px) is still a click; a drag is not.
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 0,
            shift: false,
        });
        p.input(Input::Move {
            x: cx + 1.0,
            y: cy + 1.0,
        });
        assert!(
            p.input(Input::Up {
                x: cx + 1.0,
                y: cy + 1.0
            })
            .value
        );
        p.input(Input::Down {
            x: cx,
            y: cy,
            button: 0,
            shift: false,
        });
        p.input(Input::Move {
            x: cx + 10.0,
            y: cy,
        });
        assert!(
            !p.input(Input::Up {
                x: cx + 10.0,
                y: cy
            })
            .value
        );
        // The toggle of node 1 (cmd.exe) collapses its two children.
        let (tx, ty, s) = p.toggle_box(p.node_box(1).unwrap()).unwrap();
        p.input(Input::Down {
            x: tx + s / 2.0,
            y: ty + s / 2.0,
            button: 0,
            shift: false,
        });
        let r = p.input(Input::Up {
            x: tx + s / 2.0,
            y: ty + s / 2.0,
        });
        assert_eq!(r.toggled, Some(1));
        assert!(p.is_collapsed(1) && p.node_box(2).is_none());
        // A double click on it expands it again.
        let (x, y, w, h) = p.node_box(1).unwrap();
        assert_eq!(
            p.input(Input::DoubleClick {
                x: x + w / 2.0,
                y: y + h / 2.0
            })
            .toggled,
            Some(1)
        );
        // The wheel zooms; shift+wheel scrolls; both are used.
        let original = p.node_box(2).unwrap();
        let r = p.input(Input::Wheel {
            x: cx,
            y: cy,
            dy: -300.0,
            shift: false,
        });
        assert!(r.consumed && r.redraw);
        assert!(p.node_box(0).unwrap().3 > h * 1.5);
        // Keys: End scrolls to the bottom, Home back, `0` resets, unknown keys are not used.
        p.input(Input::Key("0"));
        assert_eq!(p.node_box(2).unwrap(), original);
        assert!(p.input(Input::Key("End")).redraw);
        assert_eq!(p.input(Input::Key("F5")), Response::NONE);
        // Pressing the overview strip scrolls there.
        let r = p.input(Input::Down {
            x: 900.0 - 4.0 - 32.0,
            y: 26.0 + 335.0,
            button: 0,
            shift: false,
        });
        assert!(r.redraw);
        assert!(
            !p.input(Input::Up {
                x: 900.0 - 4.0 - 32.0,
                y: 26.0 + 335.0
            })
            .value
        );
        p.input(Input::Move { x: cx, y: cy });
        p.input(Input::Leave);
        assert!(p.tooltip().is_empty());
    }

    /// A frame lays out only the rows in view: 100,000 processes cost as few shapes as 6.
    #[test]
    fn pid_labels_follow_msticpys_pid_fmt() {
        let cases = [
            (PidFormat::AsWritten, Some("0x1A4"), "PID: 0x1A4"),
            (PidFormat::Hex, Some("0x1A4"), "PID: 0x1a4"),
            (PidFormat::Hex, Some("420"), "PID: 0x1a4"),
            (PidFormat::Dec, Some("0x1a4"), "PID: 420"),
            (PidFormat::Dec, Some("420"), "PID: 420"),
            (PidFormat::Hex, Some("{b7a2…}"), "PID: {b7a2…}"),
            (PidFormat::Guid, Some("{b7a2-11}"), "GUID: {b7a2-11}"),
            (PidFormat::Dec, None, "PID: NA"),
        ];
        for (format, pid, want) in cases {
            assert_eq!(format.label(pid), want, "{format:?} {pid:?}");
        }
        assert_eq!(PidFormat::parse("dec"), Some(PidFormat::Dec));
        assert_eq!(PidFormat::parse("decimal"), None);
    }

    #[test]
    fn frames_draw_only_what_is_visible() {
        let n = 100_000;
        let t = |s: String| Value::Text(s);
        let cols = vec![
            (0..n)
                .map(|i| t(format!("2024-01-01 10:{:02}:{:02}", i / 60 % 60, i % 60)))
                .collect(),
            (0..n).map(|i| t(format!("p{}.exe", i % 7))).collect(),
            (0..n).map(|i| t(format!("0x{:x}", i + 1))).collect(),
            (0..n).map(|i| t(format!("0x{:x}", i / 3))).collect(),
            (0..n).map(|i| t(format!("p{}.exe", (i / 3) % 7))).collect(),
        ];
        let names = [
            "TimeGenerated",
            "NewProcessName",
            "NewProcessId",
            "ProcessId",
            "ParentProcessName",
        ];
        let table = Table::from_rows(names.map(String::from).to_vec(), cols).unwrap();
        let tree = build_process_tree(&table, &SchemaChoice::Named("windows".into())).unwrap();
        assert_eq!(tree.len(), n as usize + tree.summary().inferred);
        let mut p = TreePlot::new(
            Rc::new(tree),
            Rc::new(table),
            TreeStyle::default(),
            900.0,
            700.0,
        )
        .unwrap();
        p.scroll_to_fraction(0.5);
        let shapes = p.scene(&ApproxMeasure).shapes.len();
        assert!(shapes < 1_200, "{shapes} shapes");
        assert_eq!(p.visible().len(), p.tree().len());
    }

    /// Any sequence of view operations, with odd numbers too, keeps the plot consistent: the
    /// visible rows are the tree minus collapsed subtrees, and nothing panics.
    #[test]
    fn random_operations_keep_the_plot_consistent() {
        let table = crate::table::read_ipc(
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/fixtures/win_proc_test.arrow"
            ))
            .unwrap(),
        )
        .unwrap();
        let tree = build_process_tree(&table, &SchemaChoice::Auto).unwrap();
        let n = tree.len();
        let mut p = TreePlot::new(
            Rc::new(tree),
            Rc::new(table),
            TreeStyle::default(),
            640.0,
            480.0,
        )
        .unwrap();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let odd = [f64::NAN, f64::INFINITY, -1e300, 0.0, -3.0, 1e-9];
        for step in 0..3000 {
            let r = next();
            let v = |k: u64| (k % 2000) as f64 - 500.0;
            match r % 9 {
                0 => p.zoom_at(0.5 + (r >> 8) as f64 % 3.0, v(r >> 16), v(r >> 24)),
                1 => p.pan(v(r >> 8), v(r >> 20)),
                2 => {
                    p.toggle((r >> 8) as usize % n);
                }
                3 => p.scroll_to_fraction(odd[(r >> 8) as usize % odd.len()]),
                4 => p.reveal((r >> 8) as usize % (n + 5)),
                5 => {
                    let q = ["svchost", "0x", "", "ZZZ", "\\", "é"][(r >> 8) as usize % 6];
                    p.highlight(q);
                }
                6 => p.resize(v(r >> 8).abs(), v(r >> 20)),
                7 => p.zoom_at(odd[(r >> 8) as usize % odd.len()], v(r >> 12), 10.0),
                _ => {
                    let _ = p.hit(v(r >> 8), v(r >> 20));
                    p.select(Some((r >> 8) as usize % (n + 3)));
                }
            }
            if step % 100 == 0 {
                let _ = p.scene(&ApproxMeasure);
            }
            // Visible = tree order minus descendants of collapsed nodes.
            let want: Vec<u32> = (0..n)
                .filter(|&i| !p.tree().ancestors(i).iter().any(|&a| p.is_collapsed(a)))
                .map(|i| i as u32)
                .collect();
            assert_eq!(p.visible(), &want[..], "step {step}");
            for &i in p.in_view() {
                let (x, y, w, h) = p.node_box(i as usize).unwrap();
                assert!(
                    x.is_finite() && y.is_finite() && w > 0.0 && h > 0.0,
                    "step {step}"
                );
            }
        }
    }
}
