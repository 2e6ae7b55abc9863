//! The view: layout of the visible rows, zoom, scroll and what is at a point.

use super::*;

impl TreePlot {
    pub(super) fn relayout(&mut self) {
        self.visible.clear();
        self.row_of.iter_mut().for_each(|r| *r = u32::MAX);
        let mut i = 0;
        let n = self.tree.len();
        while i < n {
            self.row_of[i] = self.visible.len() as u32;
            self.visible.push(i as u32);
            if self.collapsed[i] {
                // Skip the subtree: in tree order it is the run of deeper nodes that follows.
                let depth = self.tree.depth(i);
                i += 1;
                while i < n && self.tree.depth(i) > depth {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        self.clamp();
    }

    /// Sets the size in CSS px.
    pub fn resize(&mut self, width: f64, height: f64) {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.clamp();
    }

    pub(super) fn plot_area(&self) -> (f64, f64, f64, f64) {
        let x = 8.0;
        let y = TITLE_H;
        (
            x,
            y,
            (self.width - OVERVIEW_W - 16.0).max(10.0),
            (self.height - y - 4.0).max(10.0),
        )
    }

    pub(super) fn row_h(&self) -> f64 {
        self.style.row_height * self.zoom
    }

    /// Width of one level, px: the deepest box fits the plot width at zoom 1.
    pub(super) fn unit(&self) -> f64 {
        let (_, _, w, _) = self.plot_area();
        let levels = self.tree.summary().max_depth.max(1) as f64 - 1.0 + BOX_LEVELS + 0.5;
        (w / levels).clamp(30.0, 140.0) * self.zoom
    }

    pub(super) fn rows_in_view(&self) -> f64 {
        self.plot_area().3 / self.row_h()
    }

    pub(super) fn clamp(&mut self) {
        let max_top = (self.visible.len() as f64 - self.rows_in_view()).max(0.0);
        self.top = if self.top.is_finite() {
            self.top.clamp(0.0, max_top)
        } else {
            0.0
        };
        let content_w = self.content_width();
        let max_left = (content_w - self.plot_area().2).max(0.0);
        self.left = if self.left.is_finite() {
            self.left.clamp(0.0, max_left)
        } else {
            0.0
        };
    }

    pub(super) fn content_width(&self) -> f64 {
        let depth = self.tree.summary().max_depth.max(1) as f64;
        (depth - 1.0 + BOX_LEVELS + 0.5) * self.unit()
    }

    /// Zooms by `factor` keeping the point (`x`, `y`) in place.
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let (px, py, _, _) = self.plot_area();
        let row = self.top + (y - py) / self.row_h();
        let cx = (self.left + x - px) / self.unit();
        self.zoom = (self.zoom * factor).clamp(0.05, 8.0);
        self.top = row - (y - py) / self.row_h();
        self.left = cx * self.unit() - (x - px);
        self.clamp();
    }

    /// Moves the content by (`dx`, `dy`) px (dragging down shows earlier rows).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        if dx.is_finite() && dy.is_finite() {
            self.left -= dx;
            self.top -= dy / self.row_h();
            self.clamp();
        }
    }

    /// Back to zoom 1 at the top.
    pub fn reset_view(&mut self) {
        self.zoom = 1.0;
        self.top = 0.0;
        self.left = 0.0;
        self.clamp();
    }

    /// Scrolls so that `fraction` (0–1) of the rows is at the centre of the view.
    pub fn scroll_to_fraction(&mut self, fraction: f64) {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.top = f * self.visible.len() as f64 - self.rows_in_view() / 2.0;
        self.clamp();
    }

    /// Expands the ancestors of node `i` and scrolls it into the middle of the view.
    pub fn reveal(&mut self, i: usize) {
        if i >= self.tree.len() {
            return;
        }
        let mut changed = false;
        for a in self.tree.ancestors(i) {
            changed |= std::mem::replace(&mut self.collapsed[a], false);
        }
        if changed {
            self.relayout();
        }
        if let Some(row) = self.row(i) {
            self.top = row as f64 + 0.5 - self.rows_in_view() / 2.0;
            let x = (self.tree.depth(i) as f64 - 1.0) * self.unit();
            if x < self.left || x > self.left + self.plot_area().2 * 0.6 {
                self.left = x - self.unit();
            }
            self.clamp();
        }
    }

    /// Box of visible row `row`: (x, y, w, h) in CSS px.
    pub(super) fn box_of(&self, node: usize, row: usize) -> (f64, f64, f64, f64) {
        let (px, py, _, _) = self.plot_area();
        let unit = self.unit();
        let rh = self.row_h();
        let depth = self.tree.depth(node).max(1) as f64;
        let x = px - self.left + (depth - 1.0) * unit + unit * 0.25;
        let y = py + (row as f64 - self.top) * rh + rh * 0.04;
        (x, y, BOX_LEVELS * unit, rh * 0.92)
    }

    /// The box of node `i` as drawn now, if it is in a visible row.
    pub fn node_box(&self, i: usize) -> Option<(f64, f64, f64, f64)> {
        Some(self.box_of(i, self.row(i)?))
    }

    pub(super) fn toggle_box(&self, bx: (f64, f64, f64, f64)) -> Option<(f64, f64, f64)> {
        let s = (bx.3 * 0.4).clamp(0.0, 14.0);
        (s >= 7.0).then(|| (bx.0 - s - 3.0, bx.1 + bx.3 / 2.0 - s / 2.0, s))
    }

    /// What is at (`x`, `y`).
    pub fn hit(&self, x: f64, y: f64) -> Option<TreeHit> {
        let (px, py, pw, ph) = self.plot_area();
        let ox = self.width - OVERVIEW_W - 4.0;
        if x >= ox && x <= ox + OVERVIEW_W && y >= py && y <= py + ph {
            return Some(TreeHit::Overview(((y - py) / ph).clamp(0.0, 1.0)));
        }
        if x < px || x > px + pw || y < py || y > py + ph {
            return None;
        }
        let row = (self.top + (y - py) / self.row_h()).floor();
        if row < 0.0 || row >= self.visible.len() as f64 {
            return None;
        }
        let node = self.visible[row as usize] as usize;
        let bx = self.box_of(node, row as usize);
        if !self.tree.is_leaf(node)
            && let Some((tx, ty, s)) = self.toggle_box(bx)
            && x >= tx
            && x <= tx + s
            && y >= ty
            && y <= ty + s
        {
            return Some(TreeHit::Toggle(node));
        }
        (x >= bx.0 && x <= bx.0 + bx.2 && y >= bx.1 && y <= bx.1 + bx.3)
            .then_some(TreeHit::Node(node))
    }

    /// The process under the pointer.
    pub fn hovered_node(&self) -> Option<usize> {
        match self.hovered {
            Some(TreeHit::Node(i)) => Some(i),
            _ => None,
        }
    }
}
