//! What every interactive plot shares: the [`Interactive`] trait (size, scene, input, tooltip,
//! cursor), the input events it takes ([`Input`]), what an input changed ([`Response`]), and the
//! gesture helpers the plots build their `input` from ([`Pointer`], [`wheel_factor`],
//! [`view_key`]).
//!
//! The gestures live here, in plain Rust, so that they are tested natively: the JS side of a
//! plot only turns DOM events into [`Input`]s and applies the [`Response`] (one controller for
//! every plot, `js/src/plot.js`).

use std::any::Any;

use super::scene::Scene;
use super::text::TextMeasure;

/// A pointer, wheel or key event, in CSS px relative to the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input<'a> {
    /// A button went down (`button` 0 is the primary one).
    Down {
        /// Position.
        x: f64,
        /// Position.
        y: f64,
        /// The DOM button number.
        button: i16,
        /// Shift held.
        shift: bool,
    },
    /// The pointer moved.
    Move {
        /// Position.
        x: f64,
        /// Position.
        y: f64,
    },
    /// The button came up.
    Up {
        /// Position.
        x: f64,
        /// Position.
        y: f64,
    },
    /// The pointer left the canvas (or the gesture was cancelled).
    Leave,
    /// The wheel turned by `dy` CSS px (lines and pages already converted).
    Wheel {
        /// Position.
        x: f64,
        /// Position.
        y: f64,
        /// Vertical delta, px (positive: towards the user).
        dy: f64,
        /// Shift held.
        shift: bool,
    },
    /// A double click.
    DoubleClick {
        /// Position.
        x: f64,
        /// Position.
        y: f64,
    },
    /// A key, by its DOM `key` name (`+`, `ArrowLeft`, `Home`, …).
    Key(&'a str),
}

/// What an [`Input`] changed: the JS controller redraws, updates the tooltip, fires `input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Response {
    /// The scene changed: paint again.
    pub redraw: bool,
    /// The plot's value (its selection) changed: a bubbling `input` event.
    pub value: bool,
    /// What is under the pointer changed: the tooltip follows [`Interactive::tooltip`].
    pub hover: bool,
    /// The plot used the event (the browser's default, e.g. scrolling the page, is stopped).
    pub consumed: bool,
    /// A plot-specific change the glue reports (the tree: a subtree was collapsed or
    /// expanded, with its node).
    pub toggled: Option<usize>,
}

impl Response {
    /// Nothing changed.
    pub const NONE: Response = Response {
        redraw: false,
        value: false,
        hover: false,
        consumed: false,
        toggled: None,
    };

    /// A redraw of a used event.
    pub fn redraw() -> Response {
        Response {
            redraw: true,
            consumed: true,
            ..Response::NONE
        }
    }

    /// The response as bits for JS: 1 redraw, 2 value, 4 hover, 8 consumed, 16 toggled.
    pub fn bits(&self) -> u32 {
        u32::from(self.redraw)
            | u32::from(self.value) << 1
            | u32::from(self.hover) << 2
            | u32::from(self.consumed) << 3
            | u32::from(self.toggled.is_some()) << 4
    }
}

impl std::ops::BitOr for Response {
    type Output = Response;

    fn bitor(self, o: Response) -> Response {
        Response {
            redraw: self.redraw || o.redraw,
            value: self.value || o.value,
            hover: self.hover || o.hover,
            consumed: self.consumed || o.consumed,
            toggled: self.toggled.or(o.toggled),
        }
    }
}

/// The pointer's look over the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The page's.
    Default,
    /// Something to click.
    Pointer,
    /// Something to drag.
    Grab,
    /// Dragging.
    Grabbing,
    /// A horizontal edge to drag.
    EwResize,
    /// Selecting a span.
    Crosshair,
}

impl Cursor {
    /// The CSS `cursor` value.
    pub fn css(self) -> &'static str {
        match self {
            Cursor::Default => "default",
            Cursor::Pointer => "pointer",
            Cursor::Grab => "grab",
            Cursor::Grabbing => "grabbing",
            Cursor::EwResize => "ew-resize",
            Cursor::Crosshair => "crosshair",
        }
    }
}

/// An interactive plot: laid out for a size, painted as a [`Scene`], driven by [`Input`]s.
pub trait Interactive: Any {
    /// Sets the drawing size in CSS px.
    fn resize(&mut self, width: f64, height: f64, measure: &dyn TextMeasure);
    /// The drawing size in CSS px.
    fn size(&self) -> (f64, f64);
    /// The current frame.
    fn scene(&self, measure: &dyn TextMeasure) -> Scene;
    /// Applies an input; says what changed.
    fn input(&mut self, input: Input<'_>) -> Response;
    /// The tooltip for what is under the pointer (empty: none).
    fn tooltip(&self) -> Vec<String>;
    /// The pointer's look now.
    fn cursor(&self) -> Cursor;
    /// Back to the initial view.
    fn reset_view(&mut self);
}

/// A press being dragged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Press<M> {
    /// Where the press started.
    pub x0: f64,
    /// Where the press started.
    pub y0: f64,
    /// The last position seen.
    pub x: f64,
    /// The last position seen.
    pub y: f64,
    /// Whether it moved past the click threshold (then it is a drag, not a click).
    pub moved: bool,
    /// What the press started on (the plot's drag mode).
    pub mode: M,
}

/// The pointer's state: where it is and the press under way, with a click threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Pointer<M> {
    /// Last position (NaN before any).
    pub x: f64,
    /// Last position (NaN before any).
    pub y: f64,
    /// The press under way.
    pub press: Option<Press<M>>,
    /// A press that moves more than this (|dx| + |dy|, px) is a drag.
    threshold: f64,
}

impl<M: Copy> Pointer<M> {
    /// A pointer whose presses become drags past `threshold` px.
    pub fn new(threshold: f64) -> Self {
        Pointer {
            x: f64::NAN,
            y: f64::NAN,
            press: None,
            threshold,
        }
    }

    /// A press starts at (`x`, `y`) on `mode`.
    pub fn down(&mut self, x: f64, y: f64, mode: M) {
        self.x = x;
        self.y = y;
        self.press = Some(Press {
            x0: x,
            y0: y,
            x,
            y,
            moved: false,
            mode,
        });
    }

    /// The pointer moved to (`x`, `y`): during a press, the step since the last position
    /// (and the press, now marked moved once past the threshold); else `None`.
    pub fn moved(&mut self, x: f64, y: f64) -> Option<(f64, f64, Press<M>)> {
        self.x = x;
        self.y = y;
        let press = self.press.as_mut()?;
        let (dx, dy) = (x - press.x, y - press.y);
        press.x = x;
        press.y = y;
        if (x - press.x0).abs() + (y - press.y0).abs() > self.threshold {
            press.moved = true;
        }
        Some((dx, dy, *press))
    }

    /// The press ends: it, if there was one.
    pub fn up(&mut self, x: f64, y: f64) -> Option<Press<M>> {
        self.x = x;
        self.y = y;
        self.press.take()
    }

    /// The pointer left: any press is dropped.
    pub fn leave(&mut self) {
        self.x = f64::NAN;
        self.y = f64::NAN;
        self.press = None;
    }

    /// Whether a drag (a press past the threshold) is under way.
    pub fn dragging(&self) -> bool {
        self.press.is_some_and(|p| p.moved)
    }
}

/// The zoom factor of a wheel turn of `dy` px (one notch, 100 px: ×0.86).
pub fn wheel_factor(dy: f64) -> f64 {
    (-dy * 0.0015).exp()
}

/// What the keys every plot knows do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewKey {
    /// Zoom by this factor at the centre.
    Zoom(f64),
    /// Back to the initial view.
    Reset,
    /// Move the content by (dx, dy) px.
    Pan(f64, f64),
}

/// `+`/`=` zoom in, `-` out, `0` resets, arrows move by 40 px.
pub fn view_key(key: &str) -> Option<ViewKey> {
    const STEP: f64 = 40.0;
    Some(match key {
        "+" | "=" => ViewKey::Zoom(1.25),
        "-" => ViewKey::Zoom(0.8),
        "0" => ViewKey::Reset,
        "ArrowLeft" => ViewKey::Pan(STEP, 0.0),
        "ArrowRight" => ViewKey::Pan(-STEP, 0.0),
        "ArrowUp" => ViewKey::Pan(0.0, STEP),
        "ArrowDown" => ViewKey::Pan(0.0, -STEP),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_becomes_a_drag_past_the_threshold() {
        let mut p = Pointer::new(2.0);
        assert_eq!(p.moved(5.0, 5.0), None);
        p.down(10.0, 10.0, 'a');
        let (dx, dy, press) = p.moved(11.0, 11.0).unwrap();
        assert_eq!((dx, dy, press.moved), (1.0, 1.0, false));
        let (dx, _, press) = p.moved(13.0, 11.0).unwrap();
        assert_eq!((dx, press.moved), (2.0, true));
        assert!(p.dragging());
        // Back near the start: still a drag.
        assert!(p.moved(10.0, 10.0).unwrap().2.moved);
        let press = p.up(10.0, 10.0).unwrap();
        assert_eq!((press.x0, press.y0, press.mode), (10.0, 10.0, 'a'));
        assert!(!p.dragging() && p.up(0.0, 0.0).is_none());
        p.down(0.0, 0.0, 'b');
        p.leave();
        assert!(p.press.is_none() && p.x.is_nan());
    }

    #[test]
    fn keys_wheel_and_response_bits() {
        assert_eq!(view_key("="), Some(ViewKey::Zoom(1.25)));
        assert_eq!(view_key("ArrowUp"), Some(ViewKey::Pan(0.0, 40.0)));
        assert_eq!(view_key("x"), None);
        assert!((wheel_factor(100.0) - 0.8607).abs() < 1e-4);
        assert_eq!(wheel_factor(0.0), 1.0);
        let r = Response::redraw()
            | Response {
                value: true,
                toggled: Some(3),
                ..Response::NONE
            };
        assert_eq!(r.bits(), 1 | 2 | 8 | 16);
        assert_eq!(Response::NONE.bits(), 0);
        assert_eq!(Cursor::EwResize.css(), "ew-resize");
    }
}
