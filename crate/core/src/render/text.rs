//! Text measurement, ellipsis and number formatting.

/// Measures text width; the canvas painter implements it with `measureText`.
pub trait TextMeasure {
    /// Width in CSS px of `text` at `font_px`.
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64;
}

/// A fixed-advance estimate (0.6 em per character) for tests and headless layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApproxMeasure;

impl TextMeasure for ApproxMeasure {
    fn width(&self, text: &str, font_px: f64, _bold: bool) -> f64 {
        text.chars().count() as f64 * font_px * 0.6
    }
}

/// `text` cut to fit `max_width` with a trailing `…` (unchanged if it fits).
pub fn ellipsize(measure: &dyn TextMeasure, text: &str, font_px: f64, max_width: f64) -> String {
    if measure.width(text, font_px, false) <= max_width {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    // Longest prefix that fits with the ellipsis: binary search on the char count.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        if measure.width(&candidate, font_px, false) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().chain(['…'].iter()).collect()
}

/// Numbers for tooltips: integers as integers, others with up to 4 decimals.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "∞" } else { "-∞" }.to_owned()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsis_fits() {
        let m = ApproxMeasure; // 6 px per char at 10 px
        assert_eq!(ellipsize(&m, "short", 10.0, 60.0), "short");
        assert_eq!(ellipsize(&m, "a-very-long-label", 10.0, 60.0), "a-very-lo…");
        assert_eq!(ellipsize(&m, "abc", 10.0, 1.0), "…");
    }

    #[test]
    fn numbers() {
        assert_eq!(format_number(47.0), "47");
        assert_eq!(format_number(6.639_876_5), "6.6399");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(f64::INFINITY), "∞");
        assert_eq!(format_number(f64::NAN), "NaN");
    }
}
