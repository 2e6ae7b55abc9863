//! The IoC peers' own test vectors (tests/golden/ioc/peer_vectors.jsonl: 1,449 cases from
//! ioc-finder, InQuest iocextract and ioc-extractor; see peer_vectors.README.md), scored for the
//! types huntkit supports. At least 95 % must pass, and every failure must be one listed in
//! tests/golden/ioc/peer_failures.json with its reason (so a regression or a newly passing case
//! both show up).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use huntkit::ioc::{ExtractOptions, IocExtractor, IocKind, IocMatch, IocType, defang, refang};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The huntkit types a peer type maps to; `None` = out of scope (including ioc-finder's
/// `*_complete` variants: RFC 5322 addresses with quoted or commented local parts, and URLs
/// that run to the next space).
fn kinds_of(peer_type: &str) -> Option<Vec<IocType>> {
    use IocType::*;
    let t = peer_type.trim_end_matches('s');
    Some(match t {
        "ipv4" => vec![Ipv4],
        "ipv6" => vec![Ipv6],
        "ip" => vec![Ipv4, Ipv6],
        "domain" => vec![Dns],
        "url" | "url_encoded" => vec![Url],
        "email" => vec![Email],
        "md5" => vec![Md5],
        "sha1" => vec![Sha1],
        "sha256" => vec![Sha256],
        "sha512" => vec![Sha512],
        "hash" => vec![Md5, Sha1, Sha256, Sha512],
        "cve" => vec![Cve],
        "mac" | "macAddresse" => vec![MacAddress],
        "ipv4_cidr" => vec![Ipv4Cidr],
        "registry_key" => vec![RegistryKey],
        "file_path" => vec![WindowsPath, LinuxPath],
        "attack_technique/enterprise" | "attack_technique/pre_attack" => vec![AttackTechnique],
        "any" => IocType::ALL.to_vec(),
        _ => return None,
    })
}

/// Whether values of this type compare case-insensitively (names and hex).
fn case_insensitive(t: IocType) -> bool {
    matches!(
        t,
        IocType::Dns
            | IocType::Email
            | IocType::Md5
            | IocType::Sha1
            | IocType::Sha256
            | IocType::Sha512
            | IocType::MacAddress
    )
}

struct Outcome {
    scored: usize,
    passed: usize,
    failures: BTreeMap<String, String>,
}

fn key(case: &Value, n: usize) -> String {
    format!(
        "{}#{n} {}",
        case["case_id"].as_str().unwrap(),
        case["type"].as_str().unwrap()
    )
}

/// Runs one case; `None` when out of scope, else whether it passes and what huntkit found.
fn run_case(case: &Value) -> Option<(bool, String)> {
    let mode = case["mode"].as_str()?;
    let ptype = case["type"].as_str()?;
    let input = case["input"].as_str()?;
    let opts_in = &case["options"];
    match mode {
        "refang" => {
            let got = refang(input);
            return Some((Value::String(got.clone()) == case["expected"], got));
        }
        "defang" => {
            let got = defang(input, Some(IocType::Url));
            return Some((Value::String(got.clone()) == case["expected"], got));
        }
        _ => {}
    }
    let mut x = IocExtractor::new();
    let mut opts = ExtractOptions::default();
    if opts_in["refang"] == Value::Bool(false) {
        opts.refang = false;
    }
    // ioc-finder (unless told not to) and InQuest read `example.com/path` as a URL.
    let source = case["source"].as_str()?;
    opts.schemeless_urls = source.starts_with("InQuest")
        || (source.starts_with("fhightower")
            && opts_in["parse_urls_without_scheme"] != Value::Bool(false));
    // Only InQuest decodes (percent, hex, base64); the others report what is written.
    opts.decode = source.starts_with("InQuest");
    // InQuest has no TLD validation; ioc-extractor's `strict: false` turns it off.
    if opts_in["strict"] == Value::Bool(false) || case["source"].as_str()?.starts_with("InQuest") {
        opts.ignore_tlds = true;
    }
    let kinds: Vec<IocKind> = if ptype == "custom" {
        let mut kinds = Vec::new();
        for (i, re) in opts_in["regex_list"].as_array()?.iter().enumerate() {
            // InQuest reports the first capture group; a pattern without one finds nothing.
            if let Ok(k) = x.add_type(&format!("custom{i}"), re.as_str()?, 0, Some("1")) {
                kinds.push(k);
            }
        }
        kinds
    } else {
        kinds_of(ptype)?.into_iter().map(IocKind::Builtin).collect()
    };
    let ci = kinds
        .iter()
        .all(|k| matches!(k, IocKind::Builtin(t) if case_insensitive(*t)));
    let urls = kinds.iter().all(|k| *k == IocType::Url.into());
    let norm = |s: &str| {
        if ci {
            s.to_lowercase()
        } else if urls {
            // Scheme and host compare case-insensitively (ioc-finder lower-cases them).
            let host_end = s.find("://").map_or(0, |i| i + 3);
            let host_end = s[host_end..]
                .find(['/', '?', '#'])
                .map_or(s.len(), |i| host_end + i);
            format!("{}{}", s[..host_end].to_lowercase(), &s[host_end..])
        } else {
            s.to_owned()
        }
    };
    if mode == "validate" {
        let opts = ExtractOptions {
            decode: false,
            refang: false,
            ..opts
        };
        let found = x.extract(input, &opts);
        let whole = found
            .iter()
            .any(|m| kinds.contains(&m.kind) && m.start == 0 && m.end == input.len());
        return Some((Value::Bool(whole) == case["expected"], whole.to_string()));
    }
    let all = x.extract(input, &opts);
    let found: Vec<&IocMatch> = all
        .iter()
        .filter(|m| kinds.contains(&m.kind))
        .filter(|m| keep(m, &all, opts_in))
        .collect();
    // Values, and (for InQuest's raw output) the text as written.
    let values: BTreeSet<String> = found.iter().map(|m| norm(&m.value)).collect();
    let originals: BTreeSet<String> = found.iter().map(|m| norm(&input[m.start..m.end])).collect();
    let expected: Vec<String> = case["expected"]
        .as_array()?
        .iter()
        .map(|v| norm(v.as_str().unwrap()))
        .collect();
    let has = |e: &String| values.contains(e) || originals.contains(e);
    let pass = match case["match"].as_str()? {
        "exact_set" | "exact_set_observed" => {
            expected.iter().cloned().collect::<BTreeSet<_>>() == values
        }
        "contains" | "contains_all" => expected.iter().all(has),
        "none" => found.is_empty(),
        "none_of" => !expected.iter().any(has),
        "first" => match expected.first() {
            Some(e) => found.first().is_some_and(|m| norm(&m.value) == *e),
            None => found.is_empty(),
        },
        _ => return None,
    };
    Some((pass, format!("{values:?}")))
}

/// ioc-finder's `parse_*` switches, applied through offsets: drop what lies inside a URL,
/// email or CIDR when the case turned that parsing off.
fn keep(m: &IocMatch, all: &[IocMatch], opts: &Value) -> bool {
    let inside = |t: IocType| {
        all.iter().any(|c| {
            c.kind == IocKind::Builtin(t)
                && c.start <= m.start
                && m.end <= c.end
                && (c.start, c.end) != (m.start, m.end)
        })
    };
    let off = |k: &str| opts[k] == Value::Bool(false);
    let kind = m.kind;
    // A URL's host is the name right after `://` or `@` (or at the start of a scheme-less
    // URL); its path runs from there to `?` or `#`.
    let urls: Vec<&IocMatch> = all
        .iter()
        .filter(|c| {
            c.kind == IocType::Url.into()
                && c.start <= m.start
                && m.end <= c.end
                && c.value != m.value
        })
        .collect();
    let is_host = urls.iter().any(|c| {
        let before = &c.value.as_bytes()[..(m.start - c.start).min(c.value.len())];
        before.ends_with(b"://")
            || before.ends_with(b"@")
            || (before.is_empty() && !c.value.contains("://"))
    });
    let in_path = urls.iter().any(|c| {
        let v = c.value.as_bytes();
        let at = (m.start - c.start).min(v.len());
        !v[..at].contains(&b'?') && !v[..at].contains(&b'#')
    });
    !((off("parse_domain_from_url") && kind == IocType::Dns.into() && is_host)
        || (off("parse_domain_from_email_address")
            && kind == IocType::Dns.into()
            && inside(IocType::Email))
        || (off("parse_address_from_cidr")
            && kind == IocType::Ipv4.into()
            && inside(IocType::Ipv4Cidr))
        || (off("parse_from_url_path") && !is_host && in_path))
}

fn score() -> Outcome {
    let text = std::fs::read_to_string(repo().join("tests/golden/ioc/peer_vectors.jsonl")).unwrap();
    let mut out = Outcome {
        scored: 0,
        passed: 0,
        failures: BTreeMap::new(),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let base = format!(
            "{}|{}",
            case["case_id"].as_str().unwrap(),
            case["type"].as_str().unwrap()
        );
        let n = seen.entry(base).and_modify(|n| *n += 1).or_insert(0);
        let Some((pass, got)) = run_case(&case) else {
            continue;
        };
        out.scored += 1;
        if pass {
            out.passed += 1;
        } else {
            out.failures.insert(
                key(&case, *n),
                format!(
                    "input {:?} expected {} got {got}",
                    case["input"], case["expected"]
                ),
            );
        }
    }
    out
}

#[test]
fn peer_vectors_pass_at_least_95_percent_and_failures_are_listed() {
    let outcome = score();
    let rate = outcome.passed as f64 / outcome.scored as f64;
    let listed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/golden/ioc/peer_failures.json")).unwrap(),
    )
    .unwrap();
    for (case, reason) in listed["failures"].as_object().unwrap() {
        assert!(
            listed["reasons"][reason.as_str().unwrap()].is_string(),
            "{case}: unknown reason {reason}"
        );
    }
    let listed: BTreeSet<String> = listed["failures"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let actual: BTreeSet<String> = outcome.failures.keys().cloned().collect();
    let dump: Vec<String> = outcome
        .failures
        .iter()
        .map(|(k, v)| format!("{k}\t{v}"))
        .collect();
    std::fs::write(repo().join("target/ioc_peer_failures.txt"), dump.join("\n")).unwrap();
    println!(
        "peer vectors: {}/{} scored cases pass ({:.1} %)",
        outcome.passed,
        outcome.scored,
        rate * 100.0
    );
    assert!(
        rate >= 0.95,
        "only {:.1} % pass (target/ioc_peer_failures.txt)",
        rate * 100.0
    );
    let new: Vec<_> = actual.difference(&listed).collect();
    let fixed: Vec<_> = listed.difference(&actual).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "unlisted failures: {new:#?}\nlisted but passing now: {fixed:#?}"
    );
}
