//! Options objects from arbitrary JSON, read by every call's reader: never a panic (errors
//! name the option).
#![no_main]

use huntkit::azure::ClientConfig;
use huntkit::ioc::{ExtractOptions, IocExtractor};
use huntkit::matrix::MatrixOptions;
use huntkit::options::Options;
use huntkit::proctree::BuildOptions;
use huntkit::render::{MatrixStyle, TreeStyle};
use huntkit::timeline::TimelineOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(data) else {
        return;
    };
    let all: &[&[&str]] = &[
        MatrixOptions::KEYS,
        MatrixStyle::KEYS,
        BuildOptions::KEYS,
        TreeStyle::KEYS,
        TimelineOptions::KEYS,
        ExtractOptions::KEYS,
        ExtractOptions::TABLE_KEYS,
        ClientConfig::KEYS,
        ClientConfig::LOG_ANALYTICS_KEYS,
        ClientConfig::CALL_KEYS,
    ];
    let Ok(o) = Options::new(&map, all) else {
        return;
    };
    let _ = MatrixOptions::read(&o);
    let _ = MatrixStyle::read(&o);
    let _ = BuildOptions::read(&o);
    let _ = TreeStyle::read(&o);
    let _ = TimelineOptions::read(&o);
    let x = IocExtractor::new();
    let _ = ExtractOptions::read(&o, &x);
    let _ = ExtractOptions::read_table(&o, &x);
    if let Ok(c) = ClientConfig::resolve(&o, None) {
        let _ = c.log_analytics_query("T", &o);
        let _ = c.sentinel_call("incidents", None, &o);
        let _ = c.hunting_query("H", &o);
    }
});
