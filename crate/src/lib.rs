//! # huntkit
//!
//! Threat-hunting building blocks that run in the browser (WebAssembly) as well as natively:
//! the heavy parts of MSTICPy's notebooks, without a server.
//!
//! | module | what it does |
//! |---|---|
//! | [`azure`] | Azure APIs without the I/O: endpoints per cloud, requests, responses, paging, retries |
//! | [`table`] | Arrow IPC bytes and row values in, Arrow IPC out; column access for every encoding |
//! | [`matrix`] | interactions between two columns (count, sum, distinct count, log, invert) |
//! | [`proctree`] | process trees from process events of any schema (generic build so far) |
//! | [`ioc`] | IoC extraction: MSTICPy's types and more, refanging, offsets, decoding |
//! | [`timeline`] | MSTICPy's three timelines as data: series, colours, ranges, spans, reference markers |
//! | [`render`] | plot layout, pan/zoom and hit-testing as plain data; a Canvas2D painter on wasm |
//!
//! Domain modules are plain Rust and are tested natively. Only `bindings` (the
//! `#[wasm_bindgen]` exports) and `render::canvas` touch wasm-bindgen and web-sys; both are
//! compiled for `wasm32` only.

#![warn(missing_docs)]
#![warn(clippy::panic_in_result_fn)]

pub mod azure;
mod chunks;
mod error;
mod hash;
pub mod ioc;
pub mod matrix;
pub mod proctree;
pub mod render;
pub mod table;
pub mod timeline;

/// The `#[wasm_bindgen]` exports (wasm32 only); public so `tests/web.rs` can call them.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings;

pub use error::{Error, ErrorKind, Result, closest, did_you_mean};
