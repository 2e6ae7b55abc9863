//! wasm-bindgen-test in headless Chromium: what only exists in wasm — the bindings with Arrow
//! IPC in and cells out, the JS error shape, and a canvas draw checked by pixels.
#![cfg(target_arch = "wasm32")]

use huntkit_wasm::{JsIocExtractor, JsPlot, build_process_tree, describe_table, matrix};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FLOWS: &[u8] = include_bytes!("../../../tests/fixtures/az_net_flows.arrow");
const WIN: &[u8] = include_bytes!("../../../tests/fixtures/win_proc_test.arrow");

fn bytes(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn xy() -> JsValue {
    options(&[("x", "L7Protocol".into()), ("y", "AllExtIPs".into())])
}

/// The error's `name`, `code` and `message`.
fn error_parts(err: impl Into<JsValue>) -> (String, String, String) {
    let err: js_sys::Error = err.into().dyn_into().expect("a JS Error");
    (
        err.name().into(),
        get(&err, "code").as_string().unwrap(),
        err.message().into(),
    )
}

#[wasm_bindgen_test]
fn ipc_in_cells_out() {
    let m = matrix(bytes(FLOWS), xy()).unwrap();
    let cells: Array = get(&m, "cells").dyn_into().unwrap();
    assert_eq!(cells.length(), 89);
    let first = cells.get(0);
    assert_eq!(get(&first, "x").as_string().unwrap(), "ftp");
    assert_eq!(get(&first, "y").as_string().unwrap(), "90.130.70.73");
    assert_eq!(get(&first, "value").as_f64(), Some(1.0));
    assert_eq!(get(&first, "plotSize").as_f64(), Some(10.0 / 47.0));
    assert_eq!(get(&m, "rows").as_f64(), Some(460.0));
    let arrow: Uint8Array = get(&m, "arrow").dyn_into().unwrap();
    let info = describe_table(arrow.into()).unwrap();
    assert_eq!(get(&info, "numRows").as_f64(), Some(89.0));
}

#[wasm_bindgen_test]
fn bad_input_is_a_js_error_not_a_panic() {
    let garbage =
        error_parts(matrix(bytes(b"\xff\xff\xff\xff\x10\x00\x00\x00garbage!"), xy()).unwrap_err());
    assert_eq!(garbage.0, "HuntkitError");
    assert_eq!(garbage.1, "invalid-table");
    let mut truncated = FLOWS.to_vec();
    truncated.truncate(FLOWS.len() / 2);
    assert_eq!(
        error_parts(matrix(bytes(&truncated), xy()).unwrap_err()).1,
        "invalid-table"
    );
    let missing = options(&[("x", "L7Protocol".into()), ("y", "Nope".into())]);
    let (_, code, message) = error_parts(matrix(bytes(FLOWS), missing).unwrap_err());
    assert_eq!(code, "missing-column");
    assert!(message.starts_with("column `Nope` (y) is not in the table"));
    let wrong = options(&[
        ("x", "L7Protocol".into()),
        ("y", "AllExtIPs".into()),
        ("valueCol", "VMName".into()),
    ]);
    let (_, code, message) = error_parts(matrix(bytes(FLOWS), wrong).unwrap_err());
    assert_eq!(code, "column-type");
    assert_eq!(
        message,
        "column `VMName` (valueCol) has type Utf8, expected a number"
    );
    assert_eq!(
        error_parts(matrix(JsValue::from(42), xy()).unwrap_err()).1,
        "invalid-table"
    );
    // The module still works after errors.
    assert!(matrix(bytes(FLOWS), xy()).is_ok());
}

#[wasm_bindgen_test]
fn canvas_draw_and_hit_test() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    let plot = JsPlot::matrix(canvas.clone(), bytes(FLOWS), xy(), 600.0, 400.0, 2.0).unwrap();
    assert_eq!((canvas.width(), canvas.height()), (1200, 800));
    plot.draw().unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    // Cell 0 is (ftp, 90.130.70.73). Its centre is where its two grid lines (navy, alpha 0.1)
    // cross, under the marker (red, alpha 0.6): white → 0.81·255 (+ 0.19·128 blue) → red over
    // that = (235.6, 82.6, 92.3).
    let m = plot.marker(0).unwrap().unwrap();
    let (cx, cy) = (m[0], m[1]);
    let px = ctx
        .get_image_data((cx * 2.0).floor(), (cy * 2.0).floor(), 1.0, 1.0)
        .unwrap()
        .data();
    let want = [235.6, 82.6, 92.3, 255.0];
    for (got, want) in px.iter().zip(want) {
        assert!(
            (f64::from(*got) - want).abs() <= 1.0,
            "pixel {px:?}, want {want:?}"
        );
    }
    // The top-left corner is background.
    let corner = ctx.get_image_data(1.0, 1.0, 1.0, 1.0).unwrap().data();
    assert_eq!(corner.to_vec(), vec![255, 255, 255, 255]);
    assert_eq!(plot.cell_at(cx, cy).unwrap(), Some(0));
    assert_eq!(
        plot.cell_tooltip(0).unwrap(),
        vec!["L7Protocol: ftp", "AllExtIPs: 90.130.70.73", "rows: 1"]
    );
}

#[wasm_bindgen_test]
fn process_tree_through_the_bindings() {
    let tree = build_process_tree(bytes(WIN), JsValue::UNDEFINED).unwrap();
    assert_eq!(tree.schema_name(), "windows");
    let s = tree.summary().unwrap();
    let n = |k: &str| get(&s, k).as_f64().unwrap();
    // MSTICPy 3.0.2 on the same data: 1010 processes, 10 roots, 815 leaves, 185 branches, depth 7.
    assert_eq!(
        [
            n("processes"),
            n("roots"),
            n("leaves"),
            n("branches"),
            n("maxDepth"),
            n("inferred")
        ],
        [1010.0, 10.0, 815.0, 185.0, 7.0, 10.0]
    );
    let arrow = tree.to_arrow().unwrap();
    let info = describe_table(arrow.into()).unwrap();
    assert_eq!(get(&info, "numRows").as_f64(), Some(1010.0));
    let err = build_process_tree(bytes(b"garbage!"), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(error_parts(err).1, "invalid-table");
}

/// IoC offsets are UTF-16 code units in the browser: JS's `slice(start, end)` gives the original
/// text, with accents, emoji (surrogate pairs) and CJK before and inside the matches.
#[wasm_bindgen_test]
fn ioc_offsets_are_utf16_in_the_browser() {
    let text =
        "😀 café → hxxps://例子[.]example[.]com/ü and 10.0.0.1 日本 user[at]evil.example.com";
    let x = JsIocExtractor::new();
    let packed = x.extract_packed(text.into(), JsValue::UNDEFINED).unwrap();
    let starts: Vec<u32> = js_sys::Uint32Array::from(get(&packed, "starts")).to_vec();
    let ends: Vec<u32> = js_sys::Uint32Array::from(get(&packed, "ends")).to_vec();
    let js = js_sys::JsString::from(text);
    let slices: Vec<String> = starts
        .iter()
        .zip(&ends)
        .map(|(&s, &e)| js.slice(s, e).into())
        .collect();
    assert_eq!(
        slices,
        [
            "hxxps://例子[.]example[.]com/ü",
            "例子[.]example[.]com",
            "10.0.0.1",
            "user[at]evil.example.com",
            "evil.example.com",
        ]
    );
    // "😀 café → " is 2 + 1 + 4 + 1 + 1 + 1 = 10 UTF-16 code units (but 16 UTF-8 bytes).
    assert_eq!(starts[0], 10);
    let types = x.types();
    let kinds: Vec<u16> = js_sys::Uint16Array::from(get(&packed, "kinds")).to_vec();
    let names: Vec<&str> = kinds.iter().map(|&k| types[k as usize].as_str()).collect();
    assert_eq!(names, ["url", "dns", "ipv4", "email", "dns"]);
    // Values that differ from the original text come as one string, cut at `valueEnds` (UTF-16).
    let all = js_sys::JsString::from(get(&packed, "values"));
    let value_ends: Vec<u32> = js_sys::Uint32Array::from(get(&packed, "valueEnds")).to_vec();
    let values: Vec<String> = value_ends
        .iter()
        .scan(0, |start, &end| {
            let v = all.slice(*start, end).into();
            *start = end;
            Some(v)
        })
        .collect();
    assert_eq!(
        values,
        [
            "https://例子.example.com/ü",
            "例子.example.com",
            "user@evil.example.com"
        ]
    );
    let flags: Vec<u8> = Uint8Array::from(get(&packed, "flags")).to_vec();
    assert_eq!(flags, [3, 3, 0, 3, 0]);
    // A non-string is a clear error.
    let (name, code, message) = error_parts(
        x.extract_packed(JsValue::from_f64(1.0), JsValue::UNDEFINED)
            .unwrap_err(),
    );
    assert_eq!(
        (name.as_str(), code.as_str()),
        ("HuntkitError", "invalid-option")
    );
    assert_eq!(message, "option `text`: expected a string, got number");
}
