//! Exact-value tests of the extractor.

use super::*;

fn found(text: &str) -> Vec<(String, String)> {
    found_with(text, &ExtractOptions::default())
}

fn found_with(text: &str, opts: &ExtractOptions) -> Vec<(String, String)> {
    let x = IocExtractor::new();
    x.extract(text, opts)
        .into_iter()
        .map(|m| (x.kind_name(m.kind).to_owned(), m.value))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn smoke() {
    assert_eq!(found("ping 10.0.0.1 now"), pairs(&[("ipv4", "10.0.0.1")]));
}
