//! The process-tree plot (MSTICPy's `plot_process_tree`): one box per process at
//! x = depth, y = tree order, with connectors from parent to child, colour by a column or by
//! depth, a legend, a range overview (minimap), collapse/expand, search highlights and
//! selection. Only the rows in view are laid out, so a frame costs the same at 100 or 100,000
//! processes.
//!
//! [`TreePlot`] is here with its style; its parts are files of their own: [`view`] (layout,
//! zoom, scroll, hit-testing), [`outline`] (collapsed subtrees), [`marks`] (selection, search,
//! colours, tooltips) and [`scene`] (what is drawn).

use std::borrow::Cow;
use std::rc::Rc;

mod marks;
mod outline;
mod scene;
mod view;

use marks::*;
use scene::*;

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
