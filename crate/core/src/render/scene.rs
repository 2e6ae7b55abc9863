//! Shapes in CSS pixels, painted in order.

/// An sRGB colour with alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
    /// Opacity, 0–1.
    pub a: f64,
}

impl Color {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color { r, g, b, a: 1.0 }
    }

    /// The same colour with opacity `a`.
    pub const fn with_alpha(self, a: f64) -> Self {
        Color { a, ..self }
    }

    /// CSS `rgba(…)` text.
    pub fn css(&self) -> String {
        format!("rgba({},{},{},{})", self.r, self.g, self.b, self.a)
    }

    /// The colour option `name` (see [`Color::parse`]).
    pub fn read(
        o: &crate::options::Options<'_>,
        name: &'static str,
    ) -> crate::Result<Option<Color>> {
        o.word(
            name,
            "#rgb, #rrggbb or a basic CSS colour name",
            Color::parse,
        )
    }

    /// Parses `#rgb`, `#rrggbb` or one of a few CSS names (the ones MSTICPy users pass:
    /// red, blue, green, navy, black, orange, purple, steelblue, gray/grey).
    pub fn parse(text: &str) -> Option<Color> {
        let t = text.trim().to_ascii_lowercase();
        let named = match t.as_str() {
            "red" => Some(Color::rgb(255, 0, 0)),
            "blue" => Some(Color::rgb(0, 0, 255)),
            "green" => Some(Color::rgb(0, 128, 0)),
            "navy" => Some(Color::rgb(0, 0, 128)),
            "black" => Some(Color::rgb(0, 0, 0)),
            "orange" => Some(Color::rgb(255, 165, 0)),
            "purple" => Some(Color::rgb(128, 0, 128)),
            "steelblue" => Some(Color::rgb(70, 130, 180)),
            "gray" | "grey" => Some(Color::rgb(128, 128, 128)),
            _ => None,
        };
        if named.is_some() {
            return named;
        }
        let hex = t.strip_prefix('#')?;
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        match hex.len() {
            3 => Some(Color::rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => {
                let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                Some(Color::rgb(byte(0)?, byte(2)?, byte(4)?))
            }
            _ => None,
        }
    }
}

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Center,
    /// Text ends at x.
    Right,
}

/// Vertical text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// y is the top of the text.
    Top,
    /// y is the middle of the text.
    Middle,
    /// y is the bottom of the text.
    Bottom,
}

/// One thing to paint.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill.
        fill: Color,
    },
    /// A rectangle with an optional fill and an optional (possibly dashed) outline.
    Box {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill, if any.
        fill: Option<Color>,
        /// Outline, if any.
        stroke: Option<Color>,
        /// Outline width in CSS px.
        line_width: f64,
        /// Dashed outline.
        dashed: bool,
        /// The data item it shows (`usize::MAX`: none).
        item: usize,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f64,
        /// Start y.
        y1: f64,
        /// End x.
        x2: f64,
        /// End y.
        y2: f64,
        /// Colour.
        stroke: Color,
        /// Width in CSS px.
        width: f64,
    },
    /// A circle, optionally with a cross (MSTICPy's `circle_cross` marker).
    Circle {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
        /// Fill, if any.
        fill: Option<Color>,
        /// Outline, if any.
        stroke: Option<Color>,
        /// Draw a + inside.
        cross: bool,
        /// The data item (e.g. matrix cell) it shows.
        item: usize,
    },
    /// A line of text.
    Text {
        /// Anchor x.
        x: f64,
        /// Anchor y.
        y: f64,
        /// The text (already ellipsised).
        text: String,
        /// Font size in CSS px.
        font_px: f64,
        /// Bold.
        bold: bool,
        /// Colour.
        color: Color,
        /// Horizontal anchor.
        align: Align,
        /// Vertical anchor.
        baseline: Baseline,
        /// Rotation in radians around the anchor (−π/2 reads bottom to top).
        angle: f64,
    },
    /// A dashed straight line.
    DashedLine {
        /// Start x.
        x1: f64,
        /// Start y.
        y1: f64,
        /// End x.
        x2: f64,
        /// End y.
        y2: f64,
        /// Colour.
        stroke: Color,
        /// Width in CSS px.
        width: f64,
        /// Dash and gap length in CSS px.
        dash: f64,
    },
    /// A diamond (MSTICPy's timeline marker) centred at (`cx`, `cy`).
    Diamond {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill, if any.
        fill: Option<Color>,
        /// Outline (1 px), if any.
        stroke: Option<Color>,
        /// The data item it shows.
        item: usize,
    },
    /// A line through points, in order.
    Polyline {
        /// The points.
        points: Vec<(f64, f64)>,
        /// Colour.
        stroke: Color,
        /// Width in CSS px.
        width: f64,
    },
    /// A density: a row of `levels.len()` columns from `x`, each `step` px wide and `h` tall
    /// from `y`, column i painted in `color` at opacity `levels[i] / max_level` (0: nothing).
    Strip {
        /// Left of the first column.
        x: f64,
        /// Top.
        y: f64,
        /// Height.
        h: f64,
        /// Column width.
        step: f64,
        /// Each column's shade, 0 to `max_level`.
        levels: Vec<u8>,
        /// The darkest shade.
        max_level: u8,
        /// The colour at full shade.
        color: Color,
    },
    /// Vertical bars: a row of columns from `x`, each `step` px wide, column i spanning
    /// `tops[i]`..`bottoms[i]` (NaN: no bar).
    Bars {
        /// Left of the first column.
        x: f64,
        /// Column width.
        step: f64,
        /// Each bar's top.
        tops: Vec<f32>,
        /// Each bar's bottom.
        bottoms: Vec<f32>,
        /// Fill.
        fill: Color,
    },
    /// Restrict painting to a rectangle until the matching [`Shape::Unclip`].
    Clip {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
    /// End the innermost [`Shape::Clip`].
    Unclip,
}

impl Shape {
    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`).
    pub fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: Color, width: f64) -> Shape {
        Shape::Line {
            x1,
            y1,
            x2,
            y2,
            stroke,
            width,
        }
    }

    /// A line of unrotated text anchored at (`x`, `y`).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        x: f64,
        y: f64,
        text: String,
        font_px: f64,
        bold: bool,
        color: Color,
        align: Align,
        baseline: Baseline,
    ) -> Shape {
        Shape::Text {
            x,
            y,
            text,
            font_px,
            bold,
            color,
            align,
            baseline,
            angle: 0.0,
        }
    }
}

/// Everything one frame paints, in CSS pixels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// Shapes in paint order.
    pub shapes: Vec<Shape>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(Color::parse("red"), Some(Color::rgb(255, 0, 0)));
        assert_eq!(Color::parse("#0a0"), Some(Color::rgb(0, 170, 0)));
        assert_eq!(Color::parse(" #1F77B4"), Some(Color::rgb(31, 119, 180)));
        assert_eq!(Color::parse("#12345"), None);
        assert_eq!(Color::parse("chartreuse-ish"), None);
        assert_eq!(Color::rgb(1, 2, 3).with_alpha(0.5).css(), "rgba(1,2,3,0.5)");
    }
}
