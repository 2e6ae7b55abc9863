//! `timeline(data, options, plot)`, `timelineDuration(data, options)` and the timeline plot's
//! options: JS values → [`Sources`] and [`TimelineOptions`], results → JS.

use std::rc::Rc;

use js_sys::{Array, Date, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::error::{JsResult, Thrown, opt_of, raw, read_options, to_js};
use super::keys;
use super::table::{JsResultTable, table_from_js};
use huntkit::Error;
use huntkit::render::Selection;
use huntkit::timeline::{Events, Kind, NamedSeries, Sources, Timeline, TimelineOptions, ValueKind};

/// A timeline's inputs and options, read from JS.
pub struct Spec {
    /// The tables.
    pub sources: Sources,
    /// Events, values or duration.
    pub kind: Kind,
    /// The options.
    pub opts: TimelineOptions,
}

impl Spec {
    /// Reads `data` (a table, or `{ name: { data, timeColumn?, sourceColumns?, color?, size? } }`)
    /// and `options` for the `plot` timeline (`"events"`, `"values"` or `"duration"`).
    pub fn from_js(data: &JsValue, options: &JsValue, plot: &str) -> JsResult<Spec> {
        let events = events_of(data)?;
        Spec::with_events(events, options, plot)
    }

    fn with_events(events: Events, options: &JsValue, plot: &str) -> JsResult<Spec> {
        let (opts, extra) = options_of(options)?;
        let kind = Kind::named(plot, extra.kind)?;
        Ok(Spec {
            sources: Sources {
                events,
                overlay: extra.overlay.map(Rc::new),
                ref_events: extra.ref_events.map(Rc::new),
            },
            kind,
            opts,
        })
    }

    /// The same data with new options (a plot's `update`).
    pub fn with_options(&self, options: &JsValue) -> JsResult<Spec> {
        let plot = self.kind.name();
        let mut spec = Spec::with_events(self.sources.events.clone(), options, plot)?;
        // `overlayData`/`refEvents` not given again: keep the ones the plot was made with.
        if spec.sources.overlay.is_none() && raw(options, "overlayData").is_undefined() {
            spec.sources.overlay = self.sources.overlay.clone();
        }
        if spec.sources.ref_events.is_none() && raw(options, "refEvents").is_undefined() {
            spec.sources.ref_events = self.sources.ref_events.clone();
        }
        Ok(spec)
    }

    /// The timeline.
    pub fn build(&self) -> huntkit::Result<Timeline> {
        self.sources.build(&self.kind, &self.opts)
    }
}

/// Options that are not [`TimelineOptions`] fields: tables and the values glyphs.
#[derive(Default)]
struct Extra {
    overlay: Option<huntkit::table::Table>,
    ref_events: Option<huntkit::table::Table>,
    kind: Option<Vec<ValueKind>>,
}

/// Named series when every value of a plain object is `{ data, … }`; else one table.
fn events_of(data: &JsValue) -> JsResult<Events> {
    let plain = data.is_object()
        && !data.is_instance_of::<Array>()
        && !data.is_instance_of::<Uint8Array>()
        && !data.is_instance_of::<js_sys::ArrayBuffer>()
        && Reflect::get(data, &"toArrow".into())?.is_undefined();
    if !plain {
        return Ok(Events::Table(Rc::new(table_from_js(data)?)));
    }
    let entries = Object::entries(data.unchecked_ref());
    let named = entries.length() > 0
        && entries.iter().all(|e| {
            let v = Array::from(&e).get(1);
            v.is_object() && Reflect::has(&v, &"data".into()).unwrap_or(false)
        });
    if !named {
        return Ok(Events::Table(Rc::new(table_from_js(data)?)));
    }
    let mut out = Vec::new();
    for e in entries.iter() {
        let e = Array::from(&e);
        let name = e.get(0).as_string().unwrap_or_default();
        let spec = e.get(1);
        let read = || -> JsResult<(NamedSeries, huntkit::table::Table)> {
            let o = read_options(&spec, keys::NAMED_SERIES)?;
            let table = table_from_js(&raw(&spec, "data"))?;
            Ok((NamedSeries::read(&name, &o)?, table))
        };
        let (s, t) = read().map_err(|err| in_series(&name, err))?;
        out.push((s, Rc::new(t)));
    }
    Ok(Events::Named(out))
}

/// Prefixes an error's message with the named series it came from.
fn in_series(name: &str, err: Thrown) -> Thrown {
    let err = JsValue::from(err);
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        let msg = String::from(e.message());
        e.set_message(&format!("series {name:?}: {msg}"));
    }
    err.into()
}

/// A time argument: a `Date`, ISO 8601 text or an epoch number (s, ms, µs or ns by size).
pub fn time_of(name: &'static str, v: &JsValue) -> JsResult<i64> {
    Ok(huntkit::options::time_of(name, &opt_of(v))?)
}

fn options_of(options: &JsValue) -> JsResult<(TimelineOptions, Extra)> {
    let o = read_options(options, keys::TIMELINE)?;
    let (t, kind) = TimelineOptions::read(&o)?;
    let table = |key| -> JsResult<Option<huntkit::table::Table>> {
        let v = raw(options, key);
        Ok(if v.is_undefined() || v.is_null() {
            None
        } else {
            Some(table_from_js(&v)?)
        })
    };
    let extra = Extra {
        overlay: table("overlayData")?,
        ref_events: table("refEvents")?,
        kind,
    };
    Ok((t, extra))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsSeries<'a> {
    name: &'a str,
    color: &'a str,
    y_index: usize,
    source: usize,
    rows: &'a [u32],
    /// ms since the epoch.
    times: Vec<f64>,
    #[serde(skip_serializing_if = "<[f64]>::is_empty")]
    values: &'a [f64],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRef<'a> {
    time: f64,
    label: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsTimeline<'a> {
    kind: &'static str,
    title: &'a str,
    series: Vec<JsSeries<'a>>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    height: f64,
    refs: Vec<JsRef<'a>>,
    skipped_null_times: usize,
    dropped_null_groups: usize,
}

/// A [`Timeline`] for JS: times as ms since the epoch.
pub fn timeline_to_js(tl: &Timeline) -> JsResult<JsValue> {
    let ms = super::ns_to_ms;
    to_js(&JsTimeline {
        kind: tl.kind.name(),
        title: &tl.title,
        series: tl
            .series
            .iter()
            .map(|s| JsSeries {
                name: &s.name,
                color: &s.color,
                y_index: s.y_index,
                source: s.source,
                rows: &s.rows,
                times: s.times.iter().map(|&t| ms(t)).collect(),
                values: &s.values,
            })
            .collect(),
        x_range: tl.x_range,
        y_range: tl.y_range,
        height: tl.height,
        refs: tl
            .refs
            .iter()
            .map(|r| JsRef {
                time: ms(r.time),
                label: &r.label,
            })
            .collect(),
        skipped_null_times: tl.skipped_null_times,
        dropped_null_groups: tl.dropped_null_groups,
    })
}

/// A selection for JS: `{ start: Date, end: Date, count, rows, series: [{ name, source, rows }] }`
/// (`rows`: of the events table, when the data is one table).
pub fn selection_to_js(tl: &Timeline, sources: &Sources, sel: &Selection) -> JsResult<JsValue> {
    let o = Object::new();
    let date = |ns: i64| Date::new(&JsValue::from_f64(ns.div_euclid(1_000_000) as f64));
    Reflect::set(&o, &"start".into(), &date(sel.start))?;
    Reflect::set(&o, &"end".into(), &date(sel.end))?;
    Reflect::set(&o, &"count".into(), &(sel.rows.len() as f64).into())?;
    let series = Array::new();
    for (i, rows) in sel.by_series(tl) {
        let s = &tl.series[i];
        let e = Object::new();
        Reflect::set(&e, &"name".into(), &s.name.as_str().into())?;
        Reflect::set(&e, &"source".into(), &(s.source as f64).into())?;
        Reflect::set(&e, &"rows".into(), &to_js(&rows)?)?;
        series.push(&e);
    }
    if matches!(sources.events, Events::Table(_)) {
        Reflect::set(&o, &"rows".into(), &to_js(&sel.event_rows(tl))?)?;
    }
    Reflect::set(&o, &"series".into(), &series)?;
    Ok(o.into())
}

/// The events table's rows of a selection, as a table (named series: an error).
pub fn selection_table(
    tl: &Timeline,
    sources: &Sources,
    sel: &Selection,
) -> JsResult<JsResultTable> {
    let Events::Table(events) = &sources.events else {
        return Err(Error::invalid_option(
            "data",
            "named series have a table each: use the selection's `series[i].rows`",
        )
        .into());
    };
    Ok(JsResultTable::new(events.take_rows(&sel.event_rows(tl))?))
}

/// The events timeline (`plot` `"events"`, the default), the values timeline (`"values"`) or
/// the duration timeline (`"duration"`) of `data` as data: `{ kind, title, series: [{ name,
/// color, yIndex, source, rows, times, values? }], xRange, yRange, height, refs,
/// skippedNullTimes, droppedNullGroups }`, times in ms since the epoch.
#[wasm_bindgen]
pub fn timeline(data: JsValue, options: JsValue, plot: Option<String>) -> JsResult<JsValue> {
    let spec = Spec::from_js(&data, &options, plot.as_deref().unwrap_or("events"))?;
    timeline_to_js(&spec.build()?)
}

/// The duration timeline's spans as a table: the `groupBy` columns, `Label`, `Start`, `End`,
/// `Duration` (ns) and `Count`.
#[wasm_bindgen(js_name = timelineDuration)]
pub fn timeline_duration(data: JsValue, options: JsValue) -> JsResult<JsResultTable> {
    let spec = Spec::from_js(&data, &options, "duration")?;
    Ok(JsResultTable::new(spec.build()?.duration_table()?))
}
