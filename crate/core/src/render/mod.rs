//! Plot rendering as plain data.
//!
//! A plot model (e.g. [`MatrixPlot`]) turns a domain result, a size and a [`View`] (zoom and
//! pan) into a [`Scene`]: a list of shapes in CSS pixels. Drawing, hit-testing (hover) and
//! tests all work from the same model, so what the tests check is what is painted. The painter
//! lives in the `huntkit-wasm` crate: it paints a scene on a `CanvasRenderingContext2d` and
//! measures text through the [`TextMeasure`] trait, which tests replace with [`ApproxMeasure`].

mod interact;
mod matrix_plot;
mod scene;
mod text;
mod time_axis;
mod timeline_plot;
mod tree_plot;
mod view;

pub use interact::{
    Cursor, Input, Interactive, Pointer, Press, Response, ViewKey, view_key, wheel_factor,
};
pub use matrix_plot::{MatrixPlot, MatrixStyle};
pub use scene::{Align, Baseline, Color, Scene, Shape};
pub use text::{ApproxMeasure, TextMeasure, ellipsize, format_number};
pub use time_axis::{Tick, format_time_ms, format_time_ns, ticks as time_ticks};
pub use timeline_plot::{Selection, TimelinePlot};
pub use tree_plot::{PidFormat, TreeHit, TreePlot, TreeStyle, category_colour, viridis};
pub use view::View;
