//! The timelines as data (events, values, duration) from small arbitrary tables with options
//! from JSON: never a panic; every row with a time is in a series, the others are counted.
#![no_main]

#[path = "common.rs"]
mod common;

use huntkit::options::Options;
use huntkit::timeline::{Kind, Sources, TimelineOptions, ValueKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = common::Bytes::new(data);
    let kind = match b.u8() % 3 {
        0 => Kind::Events,
        1 => Kind::Values(vec![ValueKind::Vbar, ValueKind::Line]),
        _ => Kind::Duration,
    };
    let mut json = serde_json::Map::new();
    json.insert("timeColumn".into(), "t".into());
    if b.flag() {
        json.insert("groupBy".into(), "g".into());
    }
    if b.flag() {
        json.insert("valueColumn".into(), "v".into());
    }
    if b.flag() {
        json.insert("size".into(), "v".into());
    }
    if b.flag() {
        json.insert("refTimes".into(), serde_json::json!(["2024-01-01T10:00:00Z", [1704103200, "x"]]));
    }
    let Ok(o) = Options::new(&json, &[TimelineOptions::KEYS]) else {
        return;
    };
    let Ok((opts, _)) = TimelineOptions::read(&o) else {
        return;
    };
    let Some(table) = common::table(&mut b, &["t", "g", "v", "e"]) else {
        return;
    };
    let rows = table.num_rows();
    let Ok(tl) = Sources::of(table).build(&kind, &opts) else {
        return;
    };
    if kind == Kind::Events {
        let drawn: usize = tl.series.iter().map(|s| s.rows.len()).sum();
        assert_eq!(drawn + tl.skipped_null_times + tl.dropped_null_groups, rows, "{tl:?}");
    }
    assert!(tl.x_range.0 <= tl.x_range.1);
});
