//! Refanging and defanging: never a panic; refanged offsets always map back to a range of the
//! original text on character boundaries; defanging then refanging gives the value back.
#![no_main]

use huntkit::ioc::{IocType, defang, refang, refang_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = refang_text(&text);
    let out = r.text();
    if !r.changed() {
        assert_eq!(out, &*text);
    }
    // Every range of the output on char boundaries maps back to a slice of the original.
    let bounds: Vec<usize> = (0..=out.len()).filter(|&i| out.is_char_boundary(i)).collect();
    let step = (bounds.len() / 16).max(1);
    for (k, &start) in bounds.iter().enumerate().step_by(step) {
        for &end in bounds[k..].iter().step_by(step) {
            let (a, b) = r.original_span(start, end);
            assert!(a <= b && b <= text.len(), "{start}..{end} → {a}..{b}");
            assert!(text.get(a..b).is_some(), "{start}..{end} → {a}..{b} not on char boundaries");
            let _ = r.defanged(a, b);
        }
    }
    assert_eq!(refang(&text), out);
    // A domain-shaped value defanged refangs to itself.
    let value = out.trim();
    let domain_like = !value.is_empty()
        && value.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    if domain_like && refang(value) == value {
        let d = defang(value, Some(IocType::Dns));
        assert_eq!(refang(&d), value, "{value:?} → {d:?}");
    }
});
