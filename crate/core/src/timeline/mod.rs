//! Timelines as data: MSTICPy's `display_timeline`, `display_timeline_values` and
//! `display_timeline_duration` (`msticpy.vis.timeline*`), without the drawing.
//!
//! [`timeline`] turns events into [`Series`] (one per group, or one, or one per named table),
//! each with its colour, y index, input rows and times, plus the x and y ranges, the height,
//! the reference markers and what was left out ([`Timeline::skipped_null_times`],
//! [`Timeline::dropped_null_groups`]). [`timeline_values`] adds a value per event;
//! [`timeline_duration`] groups events into spans ([`Timeline::groups`], also as a table by
//! [`Timeline::duration_table`]). `render::TimelinePlot` draws them.
//!
//! Times are read as `table::timestamps_ns` reads them (any Arrow timestamp unit or zone,
//! dates, ISO 8601 text, epoch numbers by magnitude) and kept as nanoseconds since the epoch
//! (UTC). Ranges are in milliseconds, as Bokeh's (MSTICPy's) are.
//!
//! MSTICPy is followed where it is right (series order and colours, y indices, ranges,
//! heights, durations, reference times and labels) and not where it is wrong (README,
//! "differs on purpose"): a size column works; a single event gets a one-minute range; null times and null
//! group keys are counted, not dropped silently; every reference marker given is drawn; the
//! auto height never shrinks as series are added; the values plot accepts `refLabel` and honours
//! `xgrid`/`ygrid`; duration groups may be of any type and `ylabelCols` is honoured; the overlay
//! is green by default, as documented.
//!
//! ```
//! use huntkit::table::{Table, Value};
//! use huntkit::timeline::{Inputs, TimelineOptions, timeline};
//!
//! let t = Table::from_rows(
//!     vec!["TimeGenerated".into(), "Account".into()],
//!     vec![
//!         vec![Value::Text("2024-01-01T10:00:00Z".into()), Value::Text("2024-01-01T10:05:00Z".into())],
//!         vec![Value::Text("bob".into()), Value::Text("alice".into())],
//!     ],
//! )?;
//! let opts = TimelineOptions { group_by: vec!["Account".into()], ..TimelineOptions::default() };
//! let tl = timeline(&Inputs::of(&t), &opts)?;
//! assert_eq!(tl.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["alice", "bob"]);
//! assert_eq!(tl.series[1].rows, [0]);
//! # Ok::<(), huntkit::Error>(())
//! ```

mod palette;

use std::cmp::Ordering;
use std::rc::Rc;

pub use palette::{series_colour, viridis};

use crate::error::{Error, Result};
use crate::options::{Opt, Options, time_of};
use crate::table::{
    Categories, Table, encode_categories, for_each_number, for_each_timestamp_ns, timestamps_ns,
};

/// Nanoseconds per millisecond.
const NS_PER_MS: f64 = 1e6;
/// A single event (or events all at one time) gets this range, ms: one minute.
const POINT_SPAN_MS: f64 = 60_000.0;
/// MSTICPy's default tooltip columns, used when all three exist.
const DEFAULT_TOOLTIPS: [&str; 3] = ["NewProcessName", "EventID", "CommandLine"];

/// Which of the three plots.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Events as diamonds, a row per series (`display_timeline`).
    Events,
    /// A value per event, drawn as these glyphs (`display_timeline_values`).
    Values(Vec<ValueKind>),
    /// A span per group (`display_timeline_duration`).
    Duration,
}

impl Kind {
    /// The timeline named `plot` (`"events"`, `"values"` or `"duration"`), with the glyphs
    /// of the `kind` option, which only the values timeline takes.
    pub fn named(plot: &str, glyphs: Option<Vec<ValueKind>>) -> Result<Kind> {
        Ok(match plot {
            "events" if glyphs.is_some() => {
                return Err(Error::invalid_option(
                    "kind",
                    "applies to the values timeline only",
                ));
            }
            "events" => Kind::Events,
            "values" => Kind::Values(glyphs.unwrap_or_default()),
            "duration" => Kind::Duration,
            other => {
                return Err(Error::invalid_option(
                    "plot",
                    format!("expected \"events\", \"values\" or \"duration\", got {other:?}"),
                ));
            }
        })
    }

    /// Its name, as [`Kind::named`] takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Events => "events",
            Kind::Values(_) => "values",
            Kind::Duration => "duration",
        }
    }
}

/// A glyph of the values plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A bar from 0 to the value.
    Vbar,
    /// A dot at the value.
    Circle,
    /// A line through the values, in time order.
    Line,
}

impl ValueKind {
    /// `vbar`, `circle` or `line`.
    pub fn parse(name: &str) -> Option<ValueKind> {
        match name {
            "vbar" => Some(ValueKind::Vbar),
            "circle" => Some(ValueKind::Circle),
            "line" => Some(ValueKind::Line),
            _ => None,
        }
    }
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Outside, left of the plot.
    Left,
    /// Outside, right of the plot.
    Right,
    /// Inside the plot.
    Inline,
    /// No legend.
    None,
}

impl Legend {
    /// `left`, `right`, `inline` or `none`.
    pub fn parse(name: &str) -> Option<Legend> {
        match name {
            "left" => Some(Legend::Left),
            "right" => Some(Legend::Right),
            "inline" => Some(Legend::Inline),
            "none" => Some(Legend::None),
            _ => None,
        }
    }
}

/// The marker size: fixed, or from a column of numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Size {
    /// Every marker this many px.
    Fixed(f64),
    /// Scaled from this column: `4 + 16·√(v / max)` px (null or negative: the fixed default).
    Column(String),
}

/// Events whose rows become reference markers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefEvents {
    /// The column holding each marker's label (default: "reference <row>").
    pub label_column: Option<String>,
    /// The column holding each marker's time (default: the timeline's time column).
    pub time_column: Option<String>,
}

/// Options of the three timelines (MSTICPy's parameters; each function reads its own).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineOptions {
    /// The time column (default `TimeGenerated`).
    pub time_column: String,
    /// Columns shown in the tooltip (default: `NewProcessName`, `EventID`, `CommandLine` when
    /// all three exist; the time is always shown).
    pub source_columns: Option<Vec<String>>,
    /// One series (events, values) or span (duration) per value of these columns.
    pub group_by: Vec<String>,
    /// Colour of an ungrouped series (default `navy`; CSS names or `#rgb`/`#rrggbb`).
    pub color: Option<String>,
    /// Marker size (events; default 10 px).
    pub size: Option<Size>,
    /// Title.
    pub title: Option<String>,
    /// Legend place (default: left when there is more than one series).
    pub legend: Option<Legend>,
    /// Show the y axis (default true).
    pub yaxis: bool,
    /// Vertical grid lines (default true).
    pub xgrid: bool,
    /// Horizontal grid lines (default false; true for values).
    pub ygrid: Option<bool>,
    /// The range selector under the plot (default true).
    pub range_tool: bool,
    /// Height in px (default: from the number of series, `max(300, 40·n)`, past 15 series
    /// `max(600, 25·n)`).
    pub height: Option<f64>,
    /// Width in px (default: the element's).
    pub width: Option<f64>,
    /// A single reference time, ns.
    pub ref_time: Option<i64>,
    /// Its label (default "Ref time").
    pub ref_label: Option<String>,
    /// Reference markers from the rows of a second table.
    pub ref_events: Option<RefEvents>,
    /// Reference markers at these times (ns), with labels (default "reference <position>").
    pub ref_times: Vec<(i64, Option<String>)>,
    /// Colour of the overlay series (events; default green).
    pub overlay_color: Option<String>,
    /// Tooltip columns of the overlay.
    pub overlay_columns: Vec<String>,
    /// The value column (values).
    pub value_column: Option<String>,
    /// The end time column (duration; default the time column).
    pub end_time_column: Option<String>,
    /// The group columns whose values make a span's label (duration; default all of
    /// `group_by`).
    pub ylabel_cols: Option<Vec<String>>,
}

impl TimelineOptions {
    /// The keys every timeline's options object takes (each kind reads its own; see the
    /// README). `refEvents` and `overlayData` are tables, read by the host.
    pub const KEYS: &[&str] = &[
        "timeColumn",
        "sourceColumns",
        "groupBy",
        "color",
        "size",
        "title",
        "legend",
        "yaxis",
        "xgrid",
        "ygrid",
        "rangeTool",
        "height",
        "width",
        "refTime",
        "refLabel",
        "refEvents",
        "refCol",
        "refTimeCol",
        "refTimes",
        "overlayData",
        "overlayColor",
        "overlayColumns",
        "valueColumn",
        "kind",
        "endTimeColumn",
        "ylabelCols",
    ];

    /// Reads the options of a timeline, with the values timeline's `kind` (glyphs) when given.
    pub fn read(o: &Options<'_>) -> Result<(TimelineOptions, Option<Vec<ValueKind>>)> {
        let mut t = TimelineOptions::default();
        if let Some(c) = o.string("timeColumn")? {
            t.time_column = c;
        }
        t.source_columns = o.strings("sourceColumns")?;
        t.group_by = o.strings("groupBy")?.unwrap_or_default();
        t.color = o.string("color")?;
        t.size = read_size(o)?;
        t.title = o.string("title")?;
        t.legend = o.word(
            "legend",
            "\"left\", \"right\", \"inline\" or \"none\"",
            Legend::parse,
        )?;
        t.yaxis = o.flag_or("yaxis", true)?;
        t.xgrid = o.flag_or("xgrid", true)?;
        t.ygrid = match o.has("ygrid") {
            false => None,
            true => Some(o.flag("ygrid")?),
        };
        t.range_tool = o.flag_or("rangeTool", true)?;
        t.height = o.positive("height")?;
        t.width = o.positive("width")?;
        t.ref_time = o.time("refTime")?;
        t.ref_label = o.string("refLabel")?;
        if o.has("refEvents") {
            t.ref_events = Some(RefEvents {
                label_column: o.string("refCol")?,
                time_column: o.string("refTimeCol")?,
            });
        } else if let Some(name) = ["refCol", "refTimeCol"].into_iter().find(|k| o.has(k)) {
            return Err(Error::invalid_option(name, "applies only with `refEvents`"));
        }
        t.ref_times = read_ref_times(o)?;
        t.overlay_color = o.string("overlayColor")?;
        t.overlay_columns = o.strings("overlayColumns")?.unwrap_or_default();
        t.value_column = o.string("valueColumn")?;
        let kind = match o.strings("kind")? {
            None => None,
            Some(kinds) => Some(
                kinds
                    .iter()
                    .map(|k| {
                        ValueKind::parse(k).ok_or_else(|| {
                            Error::invalid_option(
                                "kind",
                                format!("expected \"vbar\", \"circle\" or \"line\", got {k:?}"),
                            )
                        })
                    })
                    .collect::<Result<_>>()?,
            ),
        };
        t.end_time_column = o.string("endTimeColumn")?;
        t.ylabel_cols = o.strings("ylabelCols")?;
        Ok((t, kind))
    }
}

/// `size`: a number (px) or a column name.
fn read_size(o: &Options<'_>) -> Result<Option<Size>> {
    Ok(match o.get("size") {
        Opt::Absent => None,
        Opt::Text(c) => Some(Size::Column(c)),
        Opt::Number(_) => o.positive("size")?.map(Size::Fixed),
        v => return Err(Options::wrong("size", &v, "a number (px) or a column name")),
    })
}

/// `refTimes`: an array of times, `[time, label]` pairs or `{ time, label }` objects.
fn read_ref_times(o: &Options<'_>) -> Result<Vec<(i64, Option<String>)>> {
    let items = match o.get("refTimes") {
        Opt::Absent => return Ok(Vec::new()),
        Opt::List(items) => items,
        v => return Err(Options::wrong("refTimes", &v, "an array")),
    };
    let label_of = |v: Opt| match v {
        Opt::Text(s) => Some(s),
        _ => None,
    };
    items
        .into_iter()
        .map(|item| {
            let (time, label) = match item {
                Opt::List(mut pair) => {
                    pair.resize_with(2, || Opt::Absent);
                    let label = pair.pop().and_then(label_of);
                    (pair.pop().unwrap_or(Opt::Absent), label)
                }
                Opt::Object(o) => (o.get("time"), label_of(o.get("label"))),
                item => (item, None),
            };
            Ok((time_of("refTimes", &time)?, label))
        })
        .collect()
}

impl Default for TimelineOptions {
    fn default() -> Self {
        TimelineOptions {
            time_column: "TimeGenerated".to_owned(),
            source_columns: None,
            group_by: Vec::new(),
            color: None,
            size: None,
            title: None,
            legend: None,
            yaxis: true,
            xgrid: true,
            ygrid: None,
            range_tool: true,
            height: None,
            width: None,
            ref_time: None,
            ref_label: None,
            ref_events: None,
            ref_times: Vec::new(),
            overlay_color: None,
            overlay_columns: Vec::new(),
            value_column: None,
            end_time_column: None,
            ylabel_cols: None,
        }
    }
}

/// The tables a timeline reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The events.
    pub events: &'a Table,
    /// A second table of events, drawn as its own series (events timeline only).
    pub overlay: Option<&'a Table>,
    /// Events whose rows become reference markers ([`TimelineOptions::ref_events`]).
    pub ref_events: Option<&'a Table>,
}

impl<'a> Inputs<'a> {
    /// Just the events.
    pub fn of(events: &'a Table) -> Self {
        Inputs {
            events,
            overlay: None,
            ref_events: None,
        }
    }
}

/// The events of a timeline: one table, or named tables drawn one series each.
#[derive(Debug, Clone)]
pub enum Events {
    /// One table.
    Table(Rc<Table>),
    /// MSTICPy's dict input: a series per table.
    Named(Vec<(NamedSeries, Rc<Table>)>),
}

/// Everything a timeline is drawn from, owned (what a plot keeps to rebuild itself).
#[derive(Debug, Clone)]
pub struct Sources {
    /// The events.
    pub events: Events,
    /// A second table of events (events timeline only).
    pub overlay: Option<Rc<Table>>,
    /// Events whose rows become reference markers.
    pub ref_events: Option<Rc<Table>>,
}

impl Sources {
    /// Just one table of events.
    pub fn of(events: Table) -> Sources {
        Sources {
            events: Events::Table(Rc::new(events)),
            overlay: None,
            ref_events: None,
        }
    }

    /// The timeline of `kind` ([`timeline`], [`timeline_of_named`], [`timeline_values`],
    /// [`timeline_duration`]). Named tables and an overlay are for the events timeline only.
    pub fn build(&self, kind: &Kind, opts: &TimelineOptions) -> Result<Timeline> {
        check_colour("color", opts.color.as_deref())?;
        check_colour("overlayColor", opts.overlay_color.as_deref())?;
        if let Events::Named(named) = &self.events {
            for (s, _) in named {
                check_colour("color", s.color.as_deref())?;
            }
        }
        for table in self.tables() {
            check_memory(&table, opts)?;
        }
        let ref_events = self.ref_events.as_deref();
        let only_events = |what: &'static str| {
            Error::invalid_option(
                what,
                "applies to the events timeline only (not values or duration)",
            )
        };
        match (&self.events, kind) {
            (Events::Named(named), Kind::Events) => {
                if self.overlay.is_some() {
                    return Err(Error::invalid_option(
                        "overlayData",
                        "named series and an overlay cannot be combined; add it as a named series",
                    ));
                }
                let named: Vec<(NamedSeries, &Table)> =
                    named.iter().map(|(s, t)| (s.clone(), t.as_ref())).collect();
                timeline_of_named(&named, ref_events, opts)
            }
            (Events::Named(_), _) => Err(only_events("data (named series)")),
            (Events::Table(_), Kind::Values(_) | Kind::Duration) if self.overlay.is_some() => {
                Err(only_events("overlayData"))
            }
            (Events::Table(events), kind) => {
                let inputs = Inputs {
                    events,
                    overlay: self.overlay.as_deref(),
                    ref_events,
                };
                match kind {
                    Kind::Events => timeline(&inputs, opts),
                    Kind::Values(kinds) => timeline_values(&inputs, kinds, opts),
                    Kind::Duration => timeline_duration(&inputs, opts),
                }
            }
        }
    }

    /// The tables the series' `source` indexes: the events then the overlay, or the named
    /// tables in order.
    pub fn tables(&self) -> Vec<Rc<Table>> {
        match &self.events {
            Events::Table(t) => std::iter::once(t.clone())
                .chain(self.overlay.clone())
                .collect(),
            Events::Named(named) => named.iter().map(|(_, t)| t.clone()).collect(),
        }
    }
}

/// Working memory of a timeline beyond the columns read: bytes per row and per byte of those
/// columns (at most, checked in wasm32 by `tests/node/memory.test.mjs`).
const MEMORY_PER_ROW: f64 = 64.0;
const MEMORY_PER_BYTE: f64 = 2.0;

/// A `too-large` error when a timeline of `table` under `opts` would not fit in memory.
fn check_memory(table: &Table, opts: &TimelineOptions) -> Result<()> {
    let mut used: Vec<&str> = vec![opts.time_column.as_str()];
    used.extend(opts.group_by.iter().map(String::as_str));
    used.extend(opts.overlay_columns.iter().map(String::as_str));
    used.extend(opts.source_columns.iter().flatten().map(String::as_str));
    used.extend(opts.ylabel_cols.iter().flatten().map(String::as_str));
    used.extend(opts.value_column.as_deref());
    used.extend(opts.end_time_column.as_deref());
    if let Some(Size::Column(c)) = &opts.size {
        used.push(c);
    }
    if opts.source_columns.is_none() {
        used.extend(DEFAULT_TOOLTIPS);
    }
    table.check_memory("timeline", &used, MEMORY_PER_ROW, MEMORY_PER_BYTE)
}

/// Fails with `invalid-option` naming `option` if `colour` is not one the plots draw.
fn check_colour(option: &'static str, colour: Option<&str>) -> Result<()> {
    match colour {
        Some(c) if crate::render::Color::parse(c).is_none() => Err(Error::invalid_option(
            option,
            format!("expected #rgb, #rrggbb or a basic CSS colour name, got {c:?}"),
        )),
        _ => Ok(()),
    }
}

/// A table of events to plot as one series of its own (MSTICPy's dict input).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    /// The series' name.
    pub name: String,
    /// Its time column (default: the options').
    pub time_column: Option<String>,
    /// Its tooltip columns (default: the options').
    pub source_columns: Option<Vec<String>>,
    /// Its colour (default: the palette's).
    pub color: Option<String>,
    /// Its marker size (default: the options').
    pub size: Option<Size>,
}

impl NamedSeries {
    /// The keys of a named series (`{ name: { data, … } }`); `data` is its table, read by the
    /// host.
    pub const KEYS: &[&str] = &["data", "timeColumn", "sourceColumns", "color", "size"];

    /// Reads the series `name`'s options.
    pub fn read(name: &str, o: &Options<'_>) -> Result<NamedSeries> {
        Ok(NamedSeries {
            name: name.to_owned(),
            time_column: o.string("timeColumn")?,
            source_columns: o.strings("sourceColumns")?,
            color: o.string("color")?,
            size: read_size(o)?,
        })
    }
}

/// One series: its events (input rows with a time, in input order) and how they look.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name (legend, y axis).
    pub name: String,
    /// CSS colour (`#440154`, `navy`).
    pub color: String,
    /// Its row (events: 0 at the bottom) or group index.
    pub y_index: usize,
    /// Which input table the rows are of (0 the main one; 1 the overlay; for named series,
    /// their position).
    pub source: usize,
    /// Input rows, in input order.
    pub rows: Vec<u32>,
    /// Their times, ns since the epoch.
    pub times: Vec<i64>,
    /// Their values (values plot; empty otherwise). NaN for null.
    pub values: Vec<f64>,
    /// Their marker sizes in px (a size column; empty: all `size`).
    pub sizes: Vec<f32>,
    /// Marker size in px.
    pub size: f64,
    /// The time column.
    pub time_column: String,
    /// Tooltip columns (the time column last).
    pub tooltip_columns: Vec<String>,
}

/// A reference marker: a vertical line at a time, labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct RefMarker {
    /// The time, ns.
    pub time: i64,
    /// Its label.
    pub label: String,
}

/// A duration span: a group's first and last time.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's value in each `group_by` column, as text.
    pub keys: Vec<String>,
    /// The label (the `ylabel_cols` values joined with " / ").
    pub label: String,
    /// The earliest time, ns.
    pub start: i64,
    /// The latest end time, ns (a null end counts as its start).
    pub end: i64,
    /// Events in the group.
    pub count: usize,
}

/// A timeline, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Which plot.
    pub kind: Kind,
    /// The title.
    pub title: String,
    /// The series, bottom (y index 0) to top.
    pub series: Vec<Series>,
    /// The main x range, ms: the times' span widened by 10% each side.
    pub x_range: (f64, f64),
    /// The range selector's x range, ms: widened by 15% each side.
    pub selector_range: (f64, f64),
    /// The y range (series units; value units for values; group rows for duration).
    pub y_range: (f64, f64),
    /// Height in px.
    pub height: f64,
    /// Width in px, when given.
    pub width: Option<f64>,
    /// Where the legend goes.
    pub legend: Legend,
    /// Show the y axis.
    pub yaxis: bool,
    /// Vertical grid lines.
    pub xgrid: bool,
    /// Horizontal grid lines.
    pub ygrid: bool,
    /// Draw the range selector.
    pub range_tool: bool,
    /// The y axis' label (values: the value column; duration: the group columns).
    pub y_label: Option<String>,
    /// Reference markers.
    pub refs: Vec<RefMarker>,
    /// Rows left out because their time is null (or does not parse).
    pub skipped_null_times: usize,
    /// Rows left out because a group column is null.
    pub dropped_null_groups: usize,
    /// Duration spans, bottom to top (duration only).
    pub groups: Vec<Group>,
    /// The group columns (duration).
    pub group_columns: Vec<String>,
}

/// MSTICPy's automatic height for `n` series, never shrinking as `n` grows: `max(300, 40·n)`
/// up to 15 series, then `max(600, 25·n)` (MSTICPy's drops from 600 to 400 at 16).
pub fn auto_height(n: usize) -> f64 {
    let n = n as f64;
    if n <= 15.0 {
        (40.0 * n).max(300.0)
    } else {
        (25.0 * n).max(600.0)
    }
}

/// `[min − pad·span, max + pad·span]` in ms of times in ns; a zero span becomes one minute
/// (times ±30 s) widened the same way.
fn widen(min: i64, max: i64, pad: f64) -> (f64, f64) {
    let (lo, hi) = (min as f64 / NS_PER_MS, max as f64 / NS_PER_MS);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - POINT_SPAN_MS / 2.0, hi + POINT_SPAN_MS / 2.0)
    };
    let span = hi - lo;
    (lo - pad * span, hi + pad * span)
}

/// A column's times (ns), with the rows where it is null.
fn times_of(table: &Table, column: &str) -> Result<Vec<Option<i64>>> {
    timestamps_ns(&table.column(column, "timeColumn")?)
}

/// The rows of each group (sorted by key; null keys dropped and counted), with the keys' text.
struct Grouped {
    groups: Vec<(Vec<String>, Vec<u32>)>,
    dropped: usize,
}

fn group_rows(table: &Table, columns: &[String], rows: &[u32]) -> Result<Grouped> {
    if columns.is_empty() {
        return Ok(Grouped {
            groups: vec![(Vec::new(), rows.to_vec())],
            dropped: 0,
        });
    }
    let cats: Vec<Categories> = columns
        .iter()
        .map(|c| encode_categories(&table.column(c, "groupBy")?))
        .collect::<Result<_>>()?;
    let mut by_key: crate::hash::HashMap<Vec<u32>, Vec<u32>> = crate::hash::HashMap::default();
    let mut dropped = 0;
    // The codes of all key columns as one number, when their product fits: a row's group is
    // then found without building a key per row (10M rows in tens of ms, not seconds).
    let radix: Option<Vec<u64>> = cats
        .iter()
        .try_fold((1u64, Vec::new()), |(product, mut radix), c| {
            radix.push(product);
            Some((product.checked_mul(c.labels.len().max(1) as u64)?, radix))
        })
        .filter(|(product, _)| *product <= 1 << 24)
        .map(|(_, radix)| radix);
    if let Some(radix) = radix {
        let mut slots: Vec<Vec<u32>> = Vec::new();
        let mut slot_of: crate::hash::HashMap<u64, usize> = crate::hash::HashMap::default();
        // Few combinations (the usual case): a table from id to slot, no hashing.
        let product = radix.last().copied().unwrap_or(1)
            * cats.last().map_or(1, |c| c.labels.len().max(1) as u64);
        let mut table = if product <= 1 << 16 {
            vec![u32::MAX; product as usize]
        } else {
            Vec::new()
        };
        let mut last: Option<(u64, usize)> = None;
        crate::chunks::in_chunks(rows.len(), |range| {
            for &row in &rows[range] {
                let mut id = 0u64;
                let mut null = false;
                for (c, r) in cats.iter().zip(&radix) {
                    let code = c.codes[row as usize];
                    null |= code == Categories::NULL;
                    id += u64::from(code) * r;
                }
                if null {
                    dropped += 1;
                    continue;
                }
                let slot = match last {
                    Some((l, s)) if l == id => s,
                    _ if !table.is_empty() => {
                        let s = &mut table[id as usize];
                        if *s == u32::MAX {
                            *s = slots.len() as u32;
                            slot_of.insert(id, slots.len());
                            slots.push(Vec::new());
                        }
                        *s as usize
                    }
                    _ => *slot_of.entry(id).or_insert_with(|| {
                        slots.push(Vec::new());
                        slots.len() - 1
                    }),
                };
                last = Some((id, slot));
                slots[slot].push(row);
            }
        });
        for (id, slot) in slot_of {
            let key = radix
                .iter()
                .zip(&cats)
                .map(|(r, c)| ((id / r) % c.labels.len().max(1) as u64) as u32)
                .collect();
            by_key.insert(key, std::mem::take(&mut slots[slot]));
        }
    } else {
        for &row in rows {
            let key: Vec<u32> = cats.iter().map(|c| c.codes[row as usize]).collect();
            if key.contains(&Categories::NULL) {
                dropped += 1;
                continue;
            }
            by_key.entry(key).or_default().push(row);
        }
    }
    let mut keys: Vec<Vec<u32>> = by_key.keys().cloned().collect();
    keys.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .zip(&cats)
            .map(|((&x, &y), c)| c.compare(x, y))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    let groups = keys
        .into_iter()
        .map(|k| {
            let labels = k
                .iter()
                .zip(&cats)
                .map(|(&code, c)| c.labels[code as usize].clone())
                .collect();
            let rows = by_key.remove(&k).unwrap_or_default();
            (labels, rows)
        })
        .collect();
    Ok(Grouped { groups, dropped })
}

/// The tooltip columns: `asked` when given (each must exist), else MSTICPy's default three when
/// all exist; then the time column.
fn tooltip_columns(
    table: &Table,
    asked: Option<&[String]>,
    time_column: &str,
) -> Result<Vec<String>> {
    let mut cols: Vec<String> = match asked.filter(|a| !a.is_empty()) {
        Some(a) => {
            for c in a {
                table.column(c, "sourceColumns")?;
            }
            a.to_vec()
        }
        None if DEFAULT_TOOLTIPS
            .iter()
            .all(|c| table.schema().index_of(c).is_ok()) =>
        {
            DEFAULT_TOOLTIPS.iter().map(|c| (*c).to_owned()).collect()
        }
        None => Vec::new(),
    };
    cols.retain(|c| c != time_column);
    cols.push(time_column.to_owned());
    Ok(cols)
}

/// Marker sizes from a size column (empty for a fixed size).
fn sizes_of(table: &Table, size: &Size, rows: &[u32]) -> Result<Vec<f32>> {
    let Size::Column(name) = size else {
        return Ok(Vec::new());
    };
    let mut all = vec![f64::NAN; table.num_rows()];
    for_each_number(&table.column(name, "size")?, |row, v| all[row] = v)?;
    let max = rows
        .iter()
        .map(|&r| all[r as usize])
        .filter(|v| v.is_finite() && *v >= 0.0)
        .fold(0.0, f64::max);
    Ok(rows
        .iter()
        .map(|&r| {
            let v = all[r as usize];
            if v.is_finite() && v >= 0.0 && max > 0.0 {
                (4.0 + 16.0 * (v / max).sqrt()) as f32
            } else {
                DEFAULT_SIZE as f32
            }
        })
        .collect())
}

/// MSTICPy's default marker size, px.
const DEFAULT_SIZE: f64 = 10.0;

fn fixed_size(size: Option<&Size>) -> f64 {
    match size {
        Some(Size::Fixed(px)) if px.is_finite() && *px > 0.0 => *px,
        _ => DEFAULT_SIZE,
    }
}

/// A series of `table`'s rows that have a time, with the rows left out counted.
struct Timed {
    rows: Vec<u32>,
    times: Vec<i64>,
    skipped: usize,
}

fn timed(table: &Table, time_column: &str) -> Result<Timed> {
    let column = table.column(time_column, "timeColumn")?;
    let n = table.num_rows();
    let (mut rows, mut times) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut r = 0u32;
    for_each_timestamp_ns(&column, |t| {
        if let Some(t) = t {
            rows.push(r);
            times.push(t);
        }
        r += 1;
    })?;
    let skipped = r as usize - rows.len();
    Ok(Timed {
        rows,
        times,
        skipped,
    })
}

/// `timed`'s times of `rows` (a subset of its rows, in order).
fn times_for(t: &Timed, rows: &[u32]) -> Vec<i64> {
    let mut out = Vec::with_capacity(rows.len());
    let mut j = 0;
    crate::chunks::in_chunks(rows.len(), |range| {
        for &r in &rows[range] {
            if t.skipped == 0 {
                // Every row has a time: row r is the r-th.
                out.push(t.times[r as usize]);
                continue;
            }
            // Both are in input order: each row is found ahead of the last one (r's position
            // is at most r, and at least r minus the rows skipped).
            let upto = (r as usize + 1).min(t.rows.len());
            j += t.rows[j..upto].partition_point(|&x| x < r);
            out.push(t.times[j]);
        }
    });
    out
}

/// The events timeline (MSTICPy's `display_timeline`): one series per value of `group_by`, or
/// one ("unnamed series"), or, with an overlay, "Primary" and "Secondary".
pub fn timeline(inputs: &Inputs<'_>, opts: &TimelineOptions) -> Result<Timeline> {
    let main = inputs.events;
    let t = timed(main, &opts.time_column)?;
    let mut skipped = t.skipped;
    let tips = tooltip_columns(main, opts.source_columns.as_deref(), &opts.time_column)?;
    let size = opts.size.clone().unwrap_or(Size::Fixed(DEFAULT_SIZE));
    let mut series = Vec::new();
    let mut dropped = 0;
    let series_of = |name: String,
                     color: String,
                     y: usize,
                     source: usize,
                     table: &Table,
                     rows: Vec<u32>,
                     times: Vec<i64>,
                     tips: Vec<String>,
                     time_column: &str,
                     size: &Size|
     -> Result<Series> {
        Ok(Series {
            sizes: sizes_of(table, size, &rows)?,
            size: fixed_size(Some(size)),
            name,
            color,
            y_index: y,
            source,
            rows,
            times,
            values: Vec::new(),
            time_column: time_column.to_owned(),
            tooltip_columns: tips,
        })
    };
    if opts.group_by.is_empty() {
        let color = opts.color.clone().unwrap_or_else(|| "navy".to_owned());
        let name = if inputs.overlay.is_some() {
            "Primary"
        } else {
            "unnamed series"
        };
        series.push(series_of(
            name.into(),
            color,
            0,
            0,
            main,
            t.rows.clone(),
            t.times.clone(),
            tips,
            &opts.time_column,
            &size,
        )?);
    } else {
        // One series per group (with an overlay too: MSTICPy ignores `group_by` then).
        let g = group_rows(main, &opts.group_by, &t.rows)?;
        dropped = g.dropped;
        let n = g.groups.len();
        for (i, (keys, rows)) in g.groups.into_iter().enumerate() {
            let times = times_for(&t, &rows);
            series.push(series_of(
                keys.join(" / "),
                series_colour(n, i),
                i,
                0,
                main,
                rows,
                times,
                tips.clone(),
                &opts.time_column,
                &size,
            )?);
        }
    }
    if let Some(overlay) = inputs.overlay {
        // The second table: a series of its own, on top.
        let o = timed(overlay, &opts.time_column)?;
        skipped += o.skipped;
        let otips = tooltip_columns(overlay, Some(&opts.overlay_columns), &opts.time_column)?;
        let ocolor = opts
            .overlay_color
            .clone()
            .unwrap_or_else(|| "green".to_owned());
        let y = series.len();
        series.push(series_of(
            "Secondary".into(),
            ocolor,
            y,
            1,
            overlay,
            o.rows,
            o.times,
            otips,
            &opts.time_column,
            &size,
        )?);
    }
    let refs = references(inputs.ref_events, opts)?;
    let title = format!("Timeline: {}", opts.title.as_deref().unwrap_or("Events"));
    Ok(finish(
        Kind::Events,
        title,
        series,
        refs,
        skipped,
        dropped,
        opts,
    ))
}

/// The events timeline of named tables, one series each (MSTICPy's dict input).
pub fn timeline_of_named(
    named: &[(NamedSeries, &Table)],
    ref_events: Option<&Table>,
    opts: &TimelineOptions,
) -> Result<Timeline> {
    if named.is_empty() {
        return Err(Error::invalid_table(
            "a timeline of named series needs at least one",
        ));
    }
    let n = named.len();
    let mut series = Vec::new();
    let mut skipped = 0;
    for (i, (spec, table)) in named.iter().enumerate() {
        let time_column = spec
            .time_column
            .clone()
            .unwrap_or_else(|| opts.time_column.clone());
        let t = timed(table, &time_column)?;
        skipped += t.skipped;
        let asked = spec
            .source_columns
            .as_deref()
            .or(opts.source_columns.as_deref());
        let tips = tooltip_columns(table, asked, &time_column)?;
        let size = spec
            .size
            .clone()
            .or_else(|| opts.size.clone())
            .unwrap_or(Size::Fixed(DEFAULT_SIZE));
        series.push(Series {
            sizes: sizes_of(table, &size, &t.rows)?,
            size: fixed_size(Some(&size)),
            name: spec.name.clone(),
            color: spec.color.clone().unwrap_or_else(|| series_colour(n, i)),
            y_index: i,
            source: i,
            rows: t.rows,
            times: t.times,
            values: Vec::new(),
            time_column,
            tooltip_columns: tips,
        });
    }
    let refs = references(ref_events, opts)?;
    let title = format!("Timeline: {}", opts.title.as_deref().unwrap_or("Events"));
    Ok(finish(Kind::Events, title, series, refs, skipped, 0, opts))
}

/// The values timeline (MSTICPy's `display_timeline_values`): each event at its time and
/// `value_column`, drawn as `kinds` (default a bar), one colour per group.
pub fn timeline_values(
    inputs: &Inputs<'_>,
    kinds: &[ValueKind],
    opts: &TimelineOptions,
) -> Result<Timeline> {
    let main = inputs.events;
    let value_column = opts.value_column.as_deref().ok_or_else(|| {
        Error::invalid_option(
            "valueColumn",
            "the values timeline needs `valueColumn` (MSTICPy's value_column, value_col or y)",
        )
    })?;
    let mut values = vec![f64::NAN; main.num_rows()];
    for_each_number(&main.column(value_column, "valueColumn")?, |row, v| {
        values[row] = v
    })?;
    let t = timed(main, &opts.time_column)?;
    let mut asked = opts.source_columns.clone().unwrap_or_default();
    if !asked.iter().any(|c| c == value_column) {
        asked.push(value_column.to_owned());
    }
    let tips = tooltip_columns(main, Some(&asked), &opts.time_column)?;
    let g = group_rows(main, &opts.group_by, &t.rows)?;
    let n = g.groups.len();
    let grouped = !opts.group_by.is_empty();
    let mut series = Vec::new();
    for (i, (keys, rows)) in g.groups.into_iter().enumerate() {
        let times = times_for(&t, &rows);
        let vals = rows.iter().map(|&r| values[r as usize]).collect();
        series.push(Series {
            name: if grouped {
                keys.join(" / ")
            } else {
                value_column.to_owned()
            },
            color: if grouped {
                series_colour(n, i)
            } else {
                opts.color.clone().unwrap_or_else(|| "navy".to_owned())
            },
            y_index: i,
            source: 0,
            rows,
            times,
            values: vals,
            sizes: Vec::new(),
            size: 4.0,
            time_column: opts.time_column.clone(),
            tooltip_columns: tips.clone(),
        });
    }
    let refs = references(inputs.ref_events, opts)?;
    let title = opts.title.clone().unwrap_or_else(|| "Timeline".to_owned());
    let kinds = if kinds.is_empty() {
        vec![ValueKind::Vbar]
    } else {
        kinds.to_vec()
    };
    let bars = kinds.contains(&ValueKind::Vbar);
    let mut tl = finish(
        Kind::Values(kinds),
        title,
        series,
        refs,
        t.skipped,
        g.dropped,
        opts,
    );
    // The y range covers the values (and 0 under bars), 5% padding each side.
    let finite = tl
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo.is_finite() {
        (
            if bars { lo.min(0.0) } else { lo },
            if bars { hi.max(0.0) } else { hi },
        )
    } else {
        (0.0, 1.0)
    };
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let pad = 0.05 * (hi - lo);
    tl.y_range = (lo - pad, hi + pad);
    tl.y_label = Some(value_column.to_owned());
    tl.ygrid = opts.ygrid.unwrap_or(true);
    Ok(tl)
}

/// The duration timeline (MSTICPy's `display_timeline_duration`): one span per value of
/// `group_by` from its first time to its last end time, with its events.
pub fn timeline_duration(inputs: &Inputs<'_>, opts: &TimelineOptions) -> Result<Timeline> {
    let main = inputs.events;
    if opts.group_by.is_empty() {
        return Err(Error::invalid_option(
            "groupBy",
            "the duration timeline needs `groupBy` (one or more columns)",
        ));
    }
    let end_column = opts.end_time_column.as_deref().unwrap_or(&opts.time_column);
    let ends = times_of(main, end_column)?;
    let t = timed(main, &opts.time_column)?;
    let tips = tooltip_columns(main, opts.source_columns.as_deref(), &opts.time_column)?;
    let label_cols = opts
        .ylabel_cols
        .clone()
        .unwrap_or_else(|| opts.group_by.clone());
    for c in &label_cols {
        if !opts.group_by.contains(c) {
            return Err(Error::invalid_option(
                "ylabelCols",
                format!("`{c}` is not one of the `groupBy` columns"),
            ));
        }
    }
    let g = group_rows(main, &opts.group_by, &t.rows)?;
    let color = opts.color.clone().unwrap_or_else(|| "navy".to_owned());
    let mut series = Vec::new();
    let mut groups = Vec::new();
    for (i, (keys, rows)) in g.groups.into_iter().enumerate() {
        let times = times_for(&t, &rows);
        let start = times.iter().copied().min().unwrap_or(0);
        let end = rows
            .iter()
            .zip(&times)
            .map(|(&r, &t)| ends[r as usize].unwrap_or(t))
            .max()
            .unwrap_or(start)
            .max(start);
        let label = label_cols
            .iter()
            .map(|c| keys[opts.group_by.iter().position(|g| g == c).unwrap_or(0)].clone())
            .collect::<Vec<_>>()
            .join(" / ");
        groups.push(Group {
            keys: keys.clone(),
            label: label.clone(),
            start,
            end,
            count: rows.len(),
        });
        series.push(Series {
            name: label,
            color: color.clone(),
            y_index: i,
            source: 0,
            rows,
            times,
            values: Vec::new(),
            sizes: Vec::new(),
            size: 5.0,
            time_column: opts.time_column.clone(),
            tooltip_columns: tips.clone(),
        });
    }
    let refs = references(inputs.ref_events, opts)?;
    let title = match &opts.title {
        Some(t) => format!("Timeline: {t}"),
        None => format!("Event Duration Timeline for {}", opts.group_by.join(", ")),
    };
    let mut tl = finish(
        Kind::Duration,
        title,
        series,
        refs,
        t.skipped,
        g.dropped,
        opts,
    );
    // The spans' ends count in the range too.
    if let (Some(lo), Some(hi)) = (
        groups.iter().map(|g| g.start).min(),
        groups.iter().map(|g| g.end).max(),
    ) {
        tl.x_range = widen(lo, hi, 0.1);
        tl.selector_range = widen(lo, hi, 0.15);
    }
    tl.y_range = (0.0, groups.len() as f64);
    tl.y_label = Some(opts.group_by.join(", "));
    tl.groups = groups;
    tl.group_columns = opts.group_by.clone();
    Ok(tl)
}

/// The reference markers: `ref_time`, every row of the ref-events table, every `ref_times`
/// entry (MSTICPy draws only the first kind given; all are drawn here).
fn references(ref_table: Option<&Table>, opts: &TimelineOptions) -> Result<Vec<RefMarker>> {
    let mut refs = Vec::new();
    if let Some(t) = opts.ref_time {
        refs.push(RefMarker {
            time: t,
            label: opts
                .ref_label
                .clone()
                .unwrap_or_else(|| "Ref time".to_owned()),
        });
    }
    if let (Some(table), Some(spec)) = (ref_table, &opts.ref_events) {
        let time_col = spec.time_column.as_deref().unwrap_or(&opts.time_column);
        let times = timestamps_ns(&table.column(time_col, "refTimeCol")?)?;
        let labels = match &spec.label_column {
            Some(c) => Some(crate::table::text_values(&table.column(c, "refCol")?)?),
            None => None,
        };
        for (j, t) in times.iter().enumerate() {
            if let Some(t) = t {
                let label = labels
                    .as_ref()
                    .and_then(|l| l[j].clone())
                    .unwrap_or_else(|| format!("reference {j}"));
                refs.push(RefMarker { time: *t, label });
            }
        }
    }
    for (i, (t, label)) in opts.ref_times.iter().enumerate() {
        let label = label
            .clone()
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| format!("reference {i}"));
        refs.push(RefMarker { time: *t, label });
    }
    Ok(refs)
}

/// The parts every timeline shares: ranges, height, legend, flags.
fn finish(
    kind: Kind,
    title: String,
    series: Vec<Series>,
    refs: Vec<RefMarker>,
    skipped: usize,
    dropped: usize,
    opts: &TimelineOptions,
) -> Timeline {
    let (mut min, mut max) = (i64::MAX, i64::MIN);
    for s in &series {
        crate::chunks::in_chunks(s.times.len(), |r| {
            for &t in &s.times[r] {
                (min, max) = (min.min(t), max.max(t));
            }
        });
    }
    let (x_range, selector_range) = if min <= max {
        (widen(min, max, 0.1), widen(min, max, 0.15))
    } else {
        // No event has a time: a minute around the epoch, empty.
        (widen(0, 0, 0.1), widen(0, 0, 0.15))
    };
    let n = series.len().max(1) as f64;
    // Duration spans are one colour, labelled on the y axis: no legend unless asked for.
    let legend = opts
        .legend
        .unwrap_or(if series.len() > 1 && kind != Kind::Duration {
            Legend::Left
        } else {
            Legend::None
        });
    Timeline {
        kind,
        title,
        x_range,
        selector_range,
        y_range: (-1.0 / n, n - 1.0 + 1.0 / n),
        height: opts
            .height
            .filter(|h| h.is_finite() && *h > 0.0)
            .unwrap_or_else(|| auto_height(series.len())),
        width: opts.width.filter(|w| w.is_finite() && *w > 0.0),
        legend,
        yaxis: opts.yaxis,
        xgrid: opts.xgrid,
        ygrid: opts.ygrid.unwrap_or(false),
        range_tool: opts.range_tool,
        y_label: None,
        refs,
        skipped_null_times: skipped,
        dropped_null_groups: dropped,
        groups: Vec::new(),
        group_columns: Vec::new(),
        series,
    }
}

impl Timeline {
    /// The duration spans as a table: the group columns (text), `Label`, `Start`, `End`
    /// (timestamps, ns, UTC), `Duration` (ns) and `Count`, bottom to top.
    pub fn duration_table(&self) -> Result<Table> {
        use std::sync::Arc;

        use arrow_array::{
            ArrayRef, Int64Array, RecordBatch, StringArray, TimestampNanosecondArray,
        };
        use arrow_schema::{DataType, Field, Schema, TimeUnit};

        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (i, name) in self.group_columns.iter().enumerate() {
            fields.push(Field::new(name, DataType::Utf8, false));
            columns.push(Arc::new(StringArray::from_iter_values(
                self.groups.iter().map(|g| g.keys[i].as_str()),
            )));
        }
        let ts = DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
        fields.push(Field::new("Label", DataType::Utf8, false));
        columns.push(Arc::new(StringArray::from_iter_values(
            self.groups.iter().map(|g| g.label.as_str()),
        )));
        fields.push(Field::new("Start", ts.clone(), false));
        columns.push(Arc::new(
            TimestampNanosecondArray::from_iter_values(self.groups.iter().map(|g| g.start))
                .with_timezone("UTC"),
        ));
        fields.push(Field::new("End", ts, false));
        columns.push(Arc::new(
            TimestampNanosecondArray::from_iter_values(self.groups.iter().map(|g| g.end))
                .with_timezone("UTC"),
        ));
        fields.push(Field::new("Duration", DataType::Int64, false));
        columns.push(Arc::new(Int64Array::from_iter_values(
            self.groups.iter().map(|g| g.end - g.start),
        )));
        fields.push(Field::new("Count", DataType::Int64, false));
        columns.push(Arc::new(Int64Array::from_iter_values(
            self.groups.iter().map(|g| g.count as i64),
        )));
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), columns)?;
        Table::new(schema, vec![batch])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Value;

    fn events() -> Table {
        let t = |s: &str| Value::Text(s.to_owned());
        Table::from_rows(
            vec![
                "TimeGenerated".into(),
                "Account".into(),
                "Bytes".into(),
                "End".into(),
            ],
            vec![
                vec![
                    t("2024-01-01T10:00:00Z"),
                    t("2024-01-01T10:10:00Z"),
                    Value::Null,
                    t("2024-01-01T10:20:00Z"),
                    t("not a time"),
                ],
                vec![t("bob"), t("alice"), t("bob"), Value::Null, t("alice")],
                vec![
                    Value::Number(4.0),
                    Value::Number(16.0),
                    Value::Null,
                    Value::Number(0.0),
                    Value::Number(1.0),
                ],
                vec![
                    t("2024-01-01T10:30:00Z"),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
            ],
        )
        .unwrap()
    }

    const T0: i64 = 1_704_103_200_000_000_000; // 2024-01-01T10:00:00Z

    #[test]
    fn groups_are_sorted_coloured_and_nulls_counted() {
        let t = events();
        let opts = TimelineOptions {
            group_by: vec!["Account".into()],
            ..TimelineOptions::default()
        };
        let tl = timeline(&Inputs::of(&t), &opts).unwrap();
        let names: Vec<_> = tl
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.color.as_str(), s.y_index, s.rows.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("alice", "#440154", 0, vec![1]),
                ("bob", "#FDE724", 1, vec![0])
            ]
        );
        assert_eq!(tl.series[0].times, [T0 + 600_000_000_000]);
        // Rows 2 and 4 have no time; row 3 has a time but no account.
        assert_eq!((tl.skipped_null_times, tl.dropped_null_groups), (2, 1));
        assert_eq!(tl.legend, Legend::Left);
        assert_eq!(tl.y_range, (-0.5, 1.5));
        assert_eq!(tl.height, 300.0);
        assert_eq!(tl.title, "Timeline: Events");
        // x range: 10:00 to 10:10, widened by 10% (1 minute) each side.
        let ms = |ns: i64| ns as f64 / 1e6;
        assert_eq!(
            tl.x_range,
            (ms(T0) - 60_000.0, ms(T0 + 600_000_000_000) + 60_000.0)
        );
    }

    #[test]
    fn a_single_event_gets_a_minute_and_sizes_come_from_a_column() {
        let t = events();
        let opts = TimelineOptions {
            size: Some(Size::Column("Bytes".into())),
            ..TimelineOptions::default()
        };
        let tl = timeline(&Inputs::of(&t), &opts).unwrap();
        let s = &tl.series[0];
        assert_eq!(
            (s.name.as_str(), s.color.as_str()),
            ("unnamed series", "navy")
        );
        assert_eq!(s.rows, [0, 1, 3]);
        // 4, 16, 0 of max 16: 4 + 16·√(v/16).
        assert_eq!(s.sizes, [12.0, 20.0, 4.0]);
        let one = Table::from_rows(
            vec!["TimeGenerated".into()],
            vec![vec![Value::Text("2024-01-01T10:00:00Z".into())]],
        )
        .unwrap();
        let tl = timeline(&Inputs::of(&one), &TimelineOptions::default()).unwrap();
        let ms = T0 as f64 / 1e6;
        assert_eq!(
            tl.x_range,
            (ms - 30_000.0 - 6_000.0, ms + 30_000.0 + 6_000.0)
        );
    }

    #[test]
    fn references_all_drawn_with_default_labels() {
        let t = events();
        let opts = TimelineOptions {
            ref_time: Some(T0),
            ref_events: Some(RefEvents {
                label_column: Some("Account".into()),
                time_column: None,
            }),
            ref_times: vec![(T0 + 1, None), (T0 + 2, Some("here".into()))],
            ..TimelineOptions::default()
        };
        let inputs = Inputs {
            ref_events: Some(&t),
            ..Inputs::of(&t)
        };
        let tl = timeline(&inputs, &opts).unwrap();
        let labels: Vec<_> = tl.refs.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Ref time",
                "bob",
                "alice",
                "reference 3",
                "reference 0",
                "here"
            ]
        );
    }

    #[test]
    fn values_and_duration() {
        let t = events();
        let opts = TimelineOptions {
            value_column: Some("Bytes".into()),
            group_by: vec!["Account".into()],
            ..TimelineOptions::default()
        };
        let tl = timeline_values(
            &Inputs::of(&t),
            &[ValueKind::Circle, ValueKind::Line],
            &opts,
        )
        .unwrap();
        assert_eq!(tl.series[0].values, [16.0]);
        assert_eq!(tl.series[1].values, [4.0]);
        assert_eq!(tl.y_label.as_deref(), Some("Bytes"));
        assert_eq!(tl.y_range, (4.0 - 0.6, 16.0 + 0.6));
        assert_eq!(tl.title, "Timeline");
        let err = timeline_values(&Inputs::of(&t), &[], &TimelineOptions::default()).unwrap_err();
        assert_eq!(err.code(), "invalid-option");

        let opts = TimelineOptions {
            group_by: vec!["Account".into()],
            end_time_column: Some("End".into()),
            ..TimelineOptions::default()
        };
        let tl = timeline_duration(&Inputs::of(&t), &opts).unwrap();
        assert_eq!(
            tl.groups,
            [
                Group {
                    keys: vec!["alice".into()],
                    label: "alice".into(),
                    start: T0 + 600_000_000_000,
                    end: T0 + 600_000_000_000,
                    count: 1
                },
                Group {
                    keys: vec!["bob".into()],
                    label: "bob".into(),
                    start: T0,
                    end: T0 + 1_800_000_000_000,
                    count: 1
                },
            ]
        );
        assert_eq!(tl.title, "Event Duration Timeline for Account");
        assert_eq!(tl.y_range, (0.0, 2.0));
        let table = tl.duration_table().unwrap();
        assert_eq!(
            table.column_names(),
            ["Account", "Label", "Start", "End", "Duration", "Count"]
        );
        assert_eq!(table.num_rows(), 2);
    }

    #[test]
    fn an_overlay_keeps_the_groups_and_sources_check_kinds() {
        let overlay = Table::from_rows(
            vec!["TimeGenerated".into()],
            vec![vec![Value::Text("2024-01-01T10:05:00Z".into())]],
        )
        .unwrap();
        let mut src = Sources::of(events());
        src.overlay = Some(Rc::new(overlay));
        let opts = TimelineOptions {
            group_by: vec!["Account".into()],
            ..TimelineOptions::default()
        };
        // MSTICPy drops `group_by` with an overlay (its bug 3); here the groups stay.
        let tl = src.build(&Kind::Events, &opts).unwrap();
        let names: Vec<(&str, usize, usize)> = tl
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.y_index, s.source))
            .collect();
        assert_eq!(names, [("alice", 0, 0), ("bob", 1, 0), ("Secondary", 2, 1)]);
        assert_eq!(tl.series[2].color, "green");
        assert_eq!(src.tables().len(), 2);
        let err = src.build(&Kind::Duration, &opts).unwrap_err();
        assert_eq!(err.code(), "invalid-option");
        assert!(err.to_string().contains("overlayData"), "{err}");
    }

    #[test]
    fn auto_height_never_shrinks() {
        let h: Vec<f64> = (1..=80).map(auto_height).collect();
        assert!(h.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(
            (
                auto_height(3),
                auto_height(9),
                auto_height(15),
                auto_height(16),
                auto_height(60)
            ),
            (300.0, 360.0, 600.0, 600.0, 1500.0)
        );
    }
}
