//! IoC extraction with every option, from text and from a table, with the decoders (percent,
//! base64, hex) on: never a panic; every match's offsets slice the text on character
//! boundaries; the packed form agrees with the matches; the time stays linear in the input.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::LazyLock;
use std::time::Instant;

use huntkit::ioc::{ExtractOptions, IocExtractor, IocType, OffsetUnit};
use huntkit::table::{Table, Value};
use libfuzzer_sys::fuzz_target;

/// One extractor, warmed up (its first use builds the suffix list), so that the time check
/// measures extraction only.
static EXTRACTOR: LazyLock<IocExtractor> = LazyLock::new(|| {
    let x = IocExtractor::new();
    x.extract("warm up: a.example.com 10.0.0.1", &ExtractOptions::default());
    x
});

fuzz_target!(|data: &[u8]| {
    let mut b = common::Bytes::new(data);
    let mut opts = if b.flag() { ExtractOptions::table() } else { ExtractOptions::default() };
    opts.include_paths = b.flag();
    opts.ignore_tlds = b.flag();
    opts.exclude_private = b.flag();
    opts.refang = b.flag();
    opts.decode = b.u8() % 4 != 0;
    opts.schemeless_urls = b.flag();
    opts.max_depth = b.u8() % 9;
    if b.u8() % 4 == 0 {
        let pick = usize::from(b.u8()) % IocType::ALL.len();
        opts.types = Some(vec![IocType::ALL[pick].into()]);
    }
    let text = b.rest_text();
    let x = &*EXTRACTOR;

    let t0 = Instant::now();
    let found = x.extract(&text, &opts);
    // Linear time: generous for an instrumented build (5 µs a byte), far below what a
    // quadratic recogniser takes on a few kilobytes of pathological text.
    let budget = 0.05 + 5e-6 * text.len() as f64;
    let took = t0.elapsed().as_secs_f64();
    assert!(took < budget, "{took:.3} s for {} bytes", text.len());

    for m in &found {
        assert!(m.start <= m.end && m.end <= text.len(), "{m:?}");
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "{m:?}");
    }
    let packed = x.extract_packed(&text, None, &opts).expect("no memory limit natively");
    assert_eq!(packed.kinds.len(), found.len());
    let units = text.encode_utf16().count() as u32;
    assert!(packed.ends.iter().all(|&e| e <= units));

    let table = Table::from_rows(vec!["c".into()], vec![vec![Value::Text(text.clone())]]).unwrap();
    let out = x.extract_table(&table, &["c".into()], &ExtractOptions::table(), OffsetUnit::Utf16);
    assert!(out.is_ok(), "{out:?}");
});
