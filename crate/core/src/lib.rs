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
//! | [`proctree`] | process trees from process events of any schema, missing parents inferred |
//! | [`ioc`] | IoC extraction: MSTICPy's types and more, refanging, offsets, decoding |
//! | [`timeline`] | MSTICPy's three timelines as data: series, colours, ranges, spans, reference markers |
//! | [`memory`] | what a call may use: estimates checked before it allocates, a counting allocator |
//! | [`options`] | options objects: declared once per call, read the same way from every host |
//! | [`render`] | plot layout, pan/zoom and hit-testing as plain data; painted by `huntkit-wasm` |
//!
//! This crate has no wasm dependencies: everything here is plain Rust, tested natively. The
//! `huntkit-wasm` crate beside it holds the `#[wasm_bindgen]` exports, which only convert
//! values, and the Canvas2D painter.

#![warn(missing_docs)]
#![warn(clippy::panic_in_result_fn)]

pub mod azure;
mod chunks;
mod error;
#[doc(hidden)]
pub mod hash;
pub mod ioc;
pub mod matrix;
pub mod memory;
pub mod options;
pub mod proctree;
pub mod render;
pub mod table;
pub mod timeline;

pub use error::{Error, ErrorKind, Result, closest, did_you_mean};
