//! Zoom and pan of a plot area.

/// A zoom factor `k` (≥ 1) and an offset, mapping content coordinates (the plot area at
/// zoom 1, origin at its top-left) to screen coordinates: `screen = origin + t + k · content`.
/// The view is kept clamped so the content always covers the plot area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Zoom factor.
    pub k: f64,
    /// Horizontal offset in px (≤ 0).
    pub tx: f64,
    /// Vertical offset in px (≤ 0).
    pub ty: f64,
}

impl Default for View {
    fn default() -> Self {
        View {
            k: 1.0,
            tx: 0.0,
            ty: 0.0,
        }
    }
}

impl View {
    /// Largest zoom factor.
    pub const MAX_ZOOM: f64 = 200.0;

    /// Zooms by `factor` keeping the content point under (`px`, `py`) (relative to the plot
    /// area's top-left) in place, for a plot area of `w` × `h`.
    pub fn zoom_at(&mut self, factor: f64, px: f64, py: f64, w: f64, h: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let k = (self.k * factor).clamp(1.0, Self::MAX_ZOOM);
        let (u, v) = ((px - self.tx) / self.k, (py - self.ty) / self.k);
        self.tx = px - k * u;
        self.ty = py - k * v;
        self.k = k;
        self.clamp(w, h);
    }

    /// Moves the content by (`dx`, `dy`) px.
    pub fn pan(&mut self, dx: f64, dy: f64, w: f64, h: f64) {
        if dx.is_finite() && dy.is_finite() {
            self.tx += dx;
            self.ty += dy;
            self.clamp(w, h);
        }
    }

    fn clamp(&mut self, w: f64, h: f64) {
        self.tx = self.tx.clamp((w - self.k * w).min(0.0), 0.0);
        self.ty = self.ty.clamp((h - self.k * h).min(0.0), 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let mut v = View::default();
        v.zoom_at(2.0, 50.0, 20.0, 100.0, 100.0);
        assert_eq!(
            v,
            View {
                k: 2.0,
                tx: -50.0,
                ty: -20.0
            }
        );
        v.pan(100.0, -500.0, 100.0, 100.0);
        assert_eq!(
            v,
            View {
                k: 2.0,
                tx: 0.0,
                ty: -100.0
            }
        );
        v.zoom_at(0.1, 0.0, 0.0, 100.0, 100.0);
        assert_eq!(v, View::default());
    }
}
