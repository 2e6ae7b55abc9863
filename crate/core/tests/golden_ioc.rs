//! Parity with MSTICPy 3.0.2's `IoCExtract` on its goldens (tests/golden/ioc, computed by MSTICPy 3.0.2): for every input line and every MSTICPy type, the set
//! of observables must equal MSTICPy's (refanged, since huntkit returns refanged values), except
//! the differences listed with their reason in tests/golden/ioc/parity_exceptions.json.
//! A listed difference that no longer happens fails the test too, so the list stays exact.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use huntkit::ioc::{ExtractOptions, IocExtractor, refang};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(name: &str) -> Value {
    let path = repo().join("tests/golden/ioc").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const MSTICPY_TYPES: &[&str] = &[
    "ipv4",
    "ipv6",
    "dns",
    "url",
    "email",
    "md5_hash",
    "sha1_hash",
    "sha256_hash",
    "windows_path",
    "linux_path",
];

/// The call each golden column was made with, as huntkit options.
fn calls() -> Vec<(&'static str, ExtractOptions)> {
    let d = ExtractOptions::default;
    vec![
        ("extract(src)", d()),
        (
            "extract(src, ignore_tlds=True)",
            ExtractOptions {
                ignore_tlds: true,
                ..d()
            },
        ),
        (
            "extract(src, defanged=False)",
            ExtractOptions {
                refang: false,
                ..d()
            },
        ),
    ]
}

/// (call, input id, type) → (values MSTICPy found and huntkit did not, and the reverse).
type Differences = BTreeMap<(String, String, String), (BTreeSet<String>, BTreeSet<String>)>;

/// Every difference between huntkit and the goldens.
fn differences() -> Differences {
    let golden = read_json("ioc_string_mode.json");
    let x = IocExtractor::new();
    let mut out = BTreeMap::new();
    for (call, opts) in calls() {
        for case in golden["results"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap();
            let text = case["text"].as_str().unwrap();
            let want = &case[call];
            if want.get("error").is_some() {
                // MSTICPy raises on blank input; huntkit returns nothing.
                assert!(x.extract(text, &opts).is_empty(), "{id}");
                continue;
            }
            let mut ours: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
            for m in x.extract(text, &opts) {
                ours.entry(x.kind_name(m.kind)).or_default().insert(m.value);
            }
            for &t in MSTICPY_TYPES {
                let theirs: BTreeSet<String> = want[t]
                    .as_array()
                    .map(|v| {
                        v.iter()
                            .map(|s| {
                                let s = s.as_str().unwrap();
                                if opts.refang { refang(s) } else { s.to_owned() }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mine = ours.remove(t).unwrap_or_default();
                if mine != theirs {
                    let missing: BTreeSet<String> = theirs.difference(&mine).cloned().collect();
                    let extra: BTreeSet<String> = mine.difference(&theirs).cloned().collect();
                    out.insert(
                        (call.to_owned(), id.to_owned(), t.to_owned()),
                        (missing, extra),
                    );
                }
            }
        }
    }
    out
}

#[test]
fn string_mode_matches_msticpy_except_the_listed_differences() {
    let diffs = differences();
    let exceptions = read_json("parity_exceptions.json");
    let mut listed = BTreeMap::new();
    for e in exceptions["differences"].as_array().unwrap() {
        let set = |k: &str| -> BTreeSet<String> {
            e[k].as_array()
                .map(|v| v.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default()
        };
        let reason = e["reason"].as_str().unwrap();
        assert!(
            exceptions["reasons"][reason].is_string(),
            "unknown reason {reason}"
        );
        let all: Vec<String> = calls().iter().map(|(c, _)| (*c).to_owned()).collect();
        let these = e.get("calls").map_or(all, |c| {
            c.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        });
        for call in these {
            let key = (
                call,
                e["id"].as_str().unwrap().to_owned(),
                e["type"].as_str().unwrap().to_owned(),
            );
            assert!(
                listed
                    .insert(key.clone(), (set("missing"), set("extra")))
                    .is_none(),
                "{key:?} listed twice"
            );
        }
    }
    if diffs != listed {
        // Print the actual differences in the file's format, to review and paste.
        let dump: Vec<Value> = diffs
            .iter()
            .map(|((call, id, t), (missing, extra))| {
                json!({"call": call, "id": id, "type": t, "missing": missing, "extra": extra})
            })
            .collect();
        std::fs::write(
            repo().join("target/ioc_parity_actual.json"),
            serde_json::to_string_pretty(&dump).unwrap(),
        )
        .unwrap();
        let unexpected: Vec<_> = diffs
            .iter()
            .filter(|(k, v)| listed.get(*k) != Some(*v))
            .collect();
        let stale: Vec<_> = listed.keys().filter(|k| !diffs.contains_key(*k)).collect();
        panic!(
            "{} unlisted or changed differences, {} listed ones gone (actual list in target/ioc_parity_actual.json)\nfirst: {:#?}\nstale: {:#?}",
            unexpected.len(),
            stale.len(),
            &unexpected[..unexpected.len().min(10)],
            &stale[..stale.len().min(10)]
        );
    }
}

/// Table mode (`extract_df`) on MSTICPy's corpus frame: per input row and type, the same
/// observables as MSTICPy's, except exactly the string-mode differences listed for that row
/// (table mode is string mode per cell, with MSTICPy's table defaults: no Linux paths, Windows
/// paths only with `include_paths`).
#[test]
fn table_mode_matches_msticpy_except_the_listed_differences() {
    use huntkit::ioc::OffsetUnit;
    use huntkit::table::{Table, Value, text_values};

    let inputs = read_json("ioc_inputs.json");
    let text_of: BTreeMap<&str, &str> = inputs["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i["text"].as_str().unwrap()))
        .collect();
    let df = read_json("ioc_df_mode.json");
    let ids: Vec<&str> = df["frames"]["c_df"]["index"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let table = Table::from_rows(
        vec!["text".into()],
        vec![
            ids.iter()
                .map(|id| Value::Text(text_of[id].to_owned()))
                .collect(),
        ],
    )
    .unwrap();
    let exceptions = read_json("parity_exceptions.json");
    let x = IocExtractor::new();
    for (run, call, opts) in [
        (
            "corpus__extract_df_default",
            "extract(src)",
            ExtractOptions::table(),
        ),
        (
            "corpus__extract_df_include_paths",
            "extract(src)",
            ExtractOptions {
                include_paths: true,
                ..ExtractOptions::table()
            },
        ),
        (
            "corpus__extract_df_ignore_tlds",
            "extract(src, ignore_tlds=True)",
            ExtractOptions {
                ignore_tlds: true,
                ..ExtractOptions::table()
            },
        ),
    ] {
        let out = x
            .extract_table(&table, &["text".into()], &opts, OffsetUnit::Utf8)
            .unwrap();
        let col = |name: &str| text_values(&out.column(name, "test").unwrap()).unwrap();
        let mut ours: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for ((t, v), row) in col("IoCType")
            .into_iter()
            .zip(col("Observable"))
            .zip(col("SourceIndex"))
        {
            let id = ids[row.unwrap().parse::<usize>().unwrap()].to_owned();
            ours.entry((id, t.unwrap())).or_default().insert(v.unwrap());
        }
        let mut theirs: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for r in df["runs"][run]["rows"].as_array().unwrap() {
            let key = (
                r[2].as_str().unwrap().to_owned(),
                r[0].as_str().unwrap().to_owned(),
            );
            theirs
                .entry(key)
                .or_default()
                .insert(refang(r[1].as_str().unwrap()));
        }
        let keys: BTreeSet<_> = ours.keys().chain(theirs.keys()).cloned().collect();
        for key in keys
            .into_iter()
            .filter(|k| MSTICPY_TYPES.contains(&k.1.as_str()))
        {
            let mine = ours.remove(&key).unwrap_or_default();
            let want = theirs.remove(&key).unwrap_or_default();
            if mine == want {
                continue;
            }
            let missing: BTreeSet<&String> = want.difference(&mine).collect();
            let extra: BTreeSet<&String> = mine.difference(&want).collect();
            let listed = exceptions["differences"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| {
                    let strs = |k: &str| -> BTreeSet<&str> {
                        e[k].as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap())
                            .collect()
                    };
                    e["id"] == key.0.as_str()
                        && e["type"] == key.1.as_str()
                        && e.get("calls")
                            .is_none_or(|c| c.as_array().unwrap().iter().any(|c| c == call))
                        && strs("missing") == missing.iter().map(|s| s.as_str()).collect()
                        && strs("extra") == extra.iter().map(|s| s.as_str()).collect()
                });
            assert!(
                listed,
                "{run}: {key:?} missing {missing:?} extra {extra:?} is not a listed difference"
            );
        }
    }
}
