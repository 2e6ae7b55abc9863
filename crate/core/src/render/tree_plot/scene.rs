//! The scene: boxes, connectors, text, the legend and the overview strip.

use super::*;

impl TreePlot {
    /// The frame: title, grid, connectors, boxes with text, legend and overview.
    pub fn scene(&self, measure: &dyn TextMeasure) -> Scene {
        let mut shapes = Vec::new();
        let (px, py, pw, ph) = self.plot_area();
        let ink = Color::rgb(34, 34, 34);
        shapes.push(Shape::Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: self.height,
            fill: Color::rgb(255, 255, 255),
        });
        shapes.push(Shape::Text {
            x: px,
            y: TITLE_H / 2.0,
            text: ellipsize(measure, &self.style.title, 14.0, pw),
            font_px: 14.0,
            bold: true,
            color: ink,
            align: Align::Left,
            baseline: Baseline::Middle,
            angle: 0.0,
        });
        shapes.push(Shape::Clip {
            x: px,
            y: py,
            w: pw,
            h: ph,
        });
        let unit = self.unit();
        let rh = self.row_h();
        // Level grid (MSTICPy: navy, alpha 0.1).
        for level in 0..self.tree.summary().max_depth {
            let x = px - self.left + level as f64 * unit + unit * 0.25;
            if x >= px && x <= px + pw {
                shapes.push(Shape::line(
                    x,
                    py,
                    x,
                    py + ph,
                    Color::rgb(0, 0, 128).with_alpha(0.1),
                    1.0,
                ));
            }
        }
        let first = self.top.floor().max(0.0) as usize;
        let last = ((self.top + ph / rh).ceil() as usize + 1).min(self.visible.len());
        let cmd = self.cmd_reader();
        let connector = Color::rgb(110, 110, 110);
        // Connectors first (under the boxes): from below the parent's toggle down to the
        // child's middle, then right to its box.
        for row in first..last {
            let i = self.visible[row] as usize;
            let Some(parent) = self.tree.parent(i) else {
                continue;
            };
            let Some(prow) = self.row(parent) else {
                continue;
            };
            let pb = self.box_of(parent, prow);
            let cb = self.box_of(i, row);
            // On pixel centres, so 1 px lines stay crisp.
            let x = (pb.0 + unit * 0.3).floor() + 0.5;
            let mid = (cb.1 + cb.3 / 2.0).floor() + 0.5;
            shapes.push(Shape::line(x, pb.1 + pb.3, x, mid, connector, 1.0));
            shapes.push(Shape::line(x, mid, cb.0, mid, connector, 1.0));
        }
        for row in first..last {
            let i = self.visible[row] as usize;
            let node = self.tree.node(i);
            let (x, y, w, h) = self.box_of(i, row);
            let fill = self.colour(i);
            shapes.push(Shape::Box {
                x,
                y,
                w,
                h,
                fill: Some(fill.with_alpha(0.4)),
                stroke: Some(if node.inferred {
                    Color::rgb(80, 80, 80)
                } else {
                    fill
                }),
                line_width: 1.0,
                dashed: node.inferred,
                item: i,
            });
            if self.is_match(i) {
                shapes.push(outline(
                    x - 2.0,
                    y - 2.0,
                    w + 4.0,
                    h + 4.0,
                    Color::rgb(255, 140, 0),
                    3.0,
                    i,
                ));
            }
            if self.selected == Some(i) {
                shapes.push(outline(x - 1.0, y - 1.0, w + 2.0, h + 2.0, ink, 2.0, i));
            }
            if !node.is_leaf
                && let Some((tx, ty, s)) = self.toggle_box((x, y, w, h))
            {
                shapes.push(Shape::Box {
                    x: tx,
                    y: ty,
                    w: s,
                    h: s,
                    fill: Some(Color::rgb(255, 255, 255)),
                    stroke: Some(connector),
                    line_width: 1.0,
                    dashed: false,
                    item: i,
                });
                let c = (tx + s / 2.0, ty + s / 2.0);
                shapes.push(Shape::line(tx + 2.0, c.1, tx + s - 2.0, c.1, ink, 1.0));
                if self.collapsed[i] {
                    shapes.push(Shape::line(c.0, ty + 2.0, c.0, ty + s - 2.0, ink, 1.0));
                }
            }
            // Text: name and PID on the first line, the command line below (when there is
            // room for it).
            let font = (h * 0.36).clamp(0.0, 13.0);
            if font < 6.0 {
                continue;
            }
            let pad = 4.0;
            let name = node
                .name
                .map(|n| n.rsplit(self.separator).next().unwrap_or(n))
                .unwrap_or("NA");
            let pid = self.style.pid_format.label(node.pid.as_deref());
            let pid_w = measure.width(&pid, font, false).min(w * 0.45);
            let two_lines = h >= font * 2.6;
            let line1 = if two_lines { y + h * 0.3 } else { y + h / 2.0 };
            shapes.push(text(
                x + pad,
                line1,
                ellipsize(measure, name, font, (w - pid_w - 3.0 * pad).max(0.0)),
                font,
                true,
                ink,
                Align::Left,
            ));
            shapes.push(text(
                x + w - pad,
                line1,
                ellipsize(measure, &pid, font, pid_w),
                font,
                false,
                ink,
                Align::Right,
            ));
            if two_lines {
                let cmdline = if node.inferred {
                    Cow::Borrowed("(inferred parent)")
                } else {
                    node.row
                        .and_then(|r| cmd.as_ref()?.text(r))
                        .unwrap_or(Cow::Borrowed(""))
                };
                let small = font * 0.9;
                shapes.push(text(
                    x + pad,
                    y + h * 0.72,
                    ellipsize(measure, &clip(&cmdline, 400), small, w - 2.0 * pad),
                    small,
                    false,
                    Color::rgb(60, 60, 60),
                    Align::Left,
                ));
            }
        }
        shapes.push(Shape::Unclip);
        if !self.style.hide_legend {
            self.legend(&mut shapes, measure);
        }
        self.overview(&mut shapes);
        Scene {
            width: self.width,
            height: self.height,
            shapes,
        }
    }

    /// Legend in the top-right corner of the plot area: categories with swatches, or the
    /// gradient with its range.
    pub(super) fn legend(&self, shapes: &mut Vec<Shape>, measure: &dyn TextMeasure) {
        let (px, py, pw, _) = self.plot_area();
        let font = 11.0;
        let ink = Color::rgb(34, 34, 34);
        let title = self
            .style
            .legend_col
            .clone()
            .unwrap_or_else(|| "depth".to_owned());
        let mut entries: Vec<(Color, String)> = Vec::new();
        match &self.colouring {
            Colouring::Categories(_, labels) => {
                const MAX: usize = 12;
                for (k, label) in labels.iter().take(MAX).enumerate() {
                    entries.push((category_colour(k as u32), label.clone()));
                }
                if labels.len() > MAX {
                    entries.push((NULL_GREY, format!("… {} more", labels.len() - MAX)));
                }
            }
            Colouring::Numbers(_, lo, hi) => {
                entries.push((viridis(1.0), format_number(*hi)));
                entries.push((viridis(0.5), format_number((lo + hi) / 2.0)));
                entries.push((viridis(0.0), format_number(*lo)));
            }
        }
        let text_w = entries
            .iter()
            .map(|(_, l)| measure.width(l, font, false).min(160.0))
            .chain([measure.width(&title, font, true).min(180.0)])
            .fold(0.0, f64::max);
        let w = text_w + 30.0;
        let h = 20.0 + entries.len() as f64 * 16.0;
        let x = px + pw - w - 6.0;
        let y = py + 6.0;
        shapes.push(Shape::Box {
            x,
            y,
            w,
            h,
            fill: Some(Color::rgb(255, 255, 255).with_alpha(0.9)),
            stroke: Some(Color::rgb(200, 200, 200)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
        shapes.push(text(
            x + 6.0,
            y + 10.0,
            ellipsize(measure, &title, font, 180.0),
            font,
            true,
            ink,
            Align::Left,
        ));
        let gradient = matches!(self.colouring, Colouring::Numbers(..));
        if gradient {
            // One continuous bar from the top label (largest) to the bottom one (smallest).
            const SLICES: usize = 32;
            let (top, bottom) = (y + 21.0, y + 26.0 + 2.0 * 16.0 + 5.0);
            let step = (bottom - top) / SLICES as f64;
            for k in 0..SLICES {
                shapes.push(Shape::Rect {
                    x: x + 6.0,
                    y: top + k as f64 * step,
                    w: 12.0,
                    h: step + 0.5,
                    fill: viridis(1.0 - (k as f64 + 0.5) / SLICES as f64),
                });
            }
        }
        for (k, (colour, label)) in entries.into_iter().enumerate() {
            let ly = y + 26.0 + k as f64 * 16.0;
            if !gradient {
                shapes.push(Shape::Rect {
                    x: x + 6.0,
                    y: ly - 5.0,
                    w: 12.0,
                    h: 10.0,
                    fill: colour,
                });
            }
            shapes.push(text(
                x + 22.0,
                ly,
                ellipsize(measure, &label, font, 160.0),
                font,
                false,
                ink,
                Align::Left,
            ));
        }
    }

    /// The overview strip: every visible row at its depth, squeezed into the plot height, with
    /// the part in view marked.
    pub(super) fn overview(&self, shapes: &mut Vec<Shape>) {
        let (_, py, _, ph) = self.plot_area();
        let ox = self.width - OVERVIEW_W - 4.0;
        shapes.push(Shape::Rect {
            x: ox,
            y: py,
            w: OVERVIEW_W,
            h: ph,
            fill: Color::rgb(246, 246, 248),
        });
        let n = self.visible.len();
        if n == 0 {
            return;
        }
        let depth = self.tree.summary().max_depth.max(1) as f64;
        let step = (OVERVIEW_W - 8.0) / (depth + 2.0);
        let pixels = ph.floor().max(1.0) as usize;
        let bar_h = (ph / n as f64).clamp(1.0, 6.0);
        // At most one bar per pixel row: the first node of the rows it stands for.
        let stride = n.div_ceil(pixels).max(1);
        for row in (0..n).step_by(stride) {
            let i = self.visible[row] as usize;
            let d = self.tree.depth(i).max(1) as f64 - 1.0;
            shapes.push(Shape::Rect {
                x: ox + 4.0 + d * step,
                y: py + row as f64 / n as f64 * ph,
                w: step * 3.0,
                h: bar_h,
                fill: if self.is_match(i) {
                    Color::rgb(255, 140, 0)
                } else {
                    self.colour(i).with_alpha(0.8)
                },
            });
        }
        // Search matches as ticks on the right edge, every one of them.
        if self.match_count > 0 {
            for (row, &i) in self.visible.iter().enumerate() {
                if self.matches[i as usize] {
                    shapes.push(Shape::Rect {
                        x: ox + OVERVIEW_W - 6.0,
                        y: py + row as f64 / n as f64 * ph,
                        w: 6.0,
                        h: bar_h.max(2.0),
                        fill: Color::rgb(255, 140, 0),
                    });
                }
            }
        }
        let y0 = py + self.top / n as f64 * ph;
        let vh = (self.rows_in_view() / n as f64 * ph).min(ph);
        shapes.push(Shape::Box {
            x: ox,
            y: y0,
            w: OVERVIEW_W,
            h: vh.max(3.0),
            fill: Some(Color::rgb(0, 0, 128).with_alpha(0.15)),
            stroke: Some(Color::rgb(0, 0, 128).with_alpha(0.6)),
            line_width: 1.0,
            dashed: false,
            item: usize::MAX,
        });
    }
}

/// The colours and the tooltip columns (label, column) of a style.
pub(super) fn styled(
    tree: &ProcessTree,
    table: &Table,
    style: &TreeStyle,
) -> Result<(Colouring, Vec<(String, String)>)> {
    let schema = tree.schema();
    let has = |c: &str| table.schema().index_of(c).is_ok();
    let present = |c: &Option<String>| c.clone().filter(|c| has(c));
    let colouring = match &style.legend_col {
        Some(col) => colouring_of(tree, table, col)?,
        None => {
            let depths: Vec<f64> = (0..tree.len()).map(|i| tree.depth(i) as f64).collect();
            let max = depths.iter().copied().fold(1.0, f64::max);
            Colouring::Numbers(depths, 1.0, max)
        }
    };
    let tooltip_cols = match &style.tooltip_cols {
        Some(cols) => {
            for c in cols {
                if !has(c) {
                    table.column(c, "tooltip_cols")?;
                }
            }
            cols.iter().map(|c| (c.clone(), c.clone())).collect()
        }
        None => [
            ("Time", Some(schema.time_stamp.clone())),
            ("User", present(&schema.user_name)),
            ("Command line", present(&schema.cmd_line)),
            ("Host", present(&schema.host_name_column)),
            ("Logon id", present(&schema.logon_id)),
        ]
        .into_iter()
        .filter_map(|(label, col)| Some((label.to_owned(), col.filter(|c| has(c))?)))
        .collect(),
    };
    Ok((colouring, tooltip_cols))
}

pub(super) fn outline(
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    stroke: Color,
    width: f64,
    item: usize,
) -> Shape {
    Shape::Box {
        x,
        y,
        w,
        h,
        fill: None,
        stroke: Some(stroke),
        line_width: width,
        dashed: false,
        item,
    }
}

/// Unrotated text centred vertically on `y`.
pub(super) fn text(
    x: f64,
    y: f64,
    text: String,
    font_px: f64,
    bold: bool,
    color: Color,
    align: Align,
) -> Shape {
    Shape::text(x, y, text, font_px, bold, color, align, Baseline::Middle)
}
