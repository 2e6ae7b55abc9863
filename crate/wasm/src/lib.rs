//! # huntkit-wasm
//!
//! The `#[wasm_bindgen]` exports of [huntkit](../huntkit/index.html): short adapters that convert
//! JS values, call one core function and convert the result, plus the Canvas2D painter
//! ([`canvas`]) that draws the core's scenes. Errors become JS `Error`s with
//! `name = "HuntkitError"` and a stable `code` (see [`error`]).
//!
//! Everything here is compiled for `wasm32` only; natively this crate is empty. Logic belongs in
//! the core, where native tests reach it.

#![cfg(target_arch = "wasm32")]
#![warn(missing_docs)]

mod azure;
pub mod canvas;
mod error;
mod ioc;
mod keys;
mod matrix;
mod plot;
mod proctree;
mod surface;
mod table;
mod timeline;

pub use azure::JsAzureClient;
pub use ioc::{JsIocExtractor, defang, refang};
pub use matrix::matrix;
pub use plot::JsPlot;
pub use proctree::{JsProcessTree, build_process_tree};
pub use table::{JsResultTable, describe_table, read_table};
pub use timeline::{timeline, timeline_duration};

use wasm_bindgen::prelude::*;

/// Counts the bytes in use, for the memory checks of [`huntkit::memory`].
#[global_allocator]
static ALLOCATOR: huntkit::memory::Counting = huntkit::memory::Counting;

/// Sets the most wasm memory huntkit's calls may use, in bytes (`null`/`undefined`: all that
/// wasm32 addresses, 4 GiB). A call whose input would need more fails with a `too-large` error.
#[wasm_bindgen(js_name = setMemoryLimit)]
pub fn set_memory_limit(bytes: Option<f64>) -> error::JsResult<()> {
    match bytes {
        None => huntkit::memory::set_limit(None),
        Some(b) if b.is_finite() && b >= 1.0 => huntkit::memory::set_limit(Some(b as u64)),
        Some(_) => {
            return Err(huntkit::Error::invalid_option(
                "bytes",
                "expected a number of bytes ≥ 1 (or null: no limit but wasm32's)",
            )
            .into());
        }
    }
    Ok(())
}

/// `[inUse, peak, limit, available]` in bytes, the peak since the last call (which starts a new
/// one).
#[wasm_bindgen(js_name = memoryFigures)]
pub fn memory_figures() -> Vec<f64> {
    use huntkit::memory;
    let out = [
        memory::in_use(),
        memory::peak(),
        memory::limit(),
        memory::available(),
    ];
    memory::reset_peak();
    out.iter().map(|&b| b as f64).collect()
}

/// Runs when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "debug")]
    console_error_panic_hook::set_once();
}

/// The keys each options interface of the `.d.ts` files takes, `{ MatrixOptions: [...], … }` (a
/// test compares them with the TypeScript declarations).
#[wasm_bindgen(js_name = optionKeys)]
pub fn option_keys() -> error::JsResult<JsValue> {
    let map: std::collections::BTreeMap<&str, Vec<&str>> = keys::INTERFACES
        .iter()
        .map(|(name, lists)| {
            (
                *name,
                lists.iter().flat_map(|l| l.iter().copied()).collect(),
            )
        })
        .collect();
    error::to_js(&map)
}

/// Nanoseconds since the epoch as JS milliseconds: whole ms exactly, then the fraction
/// (`ns as f64 / 1e6` adds float noise: `…06.219999`).
pub(crate) fn ns_to_ms(ns: i64) -> f64 {
    ns.div_euclid(1_000_000) as f64 + ns.rem_euclid(1_000_000) as f64 / 1e6
}
