//! Marks on nodes: the selection, search matches, colours and the tooltip.

use super::*;

impl TreePlot {
    /// Selects node `i` (or nothing).
    pub fn select(&mut self, i: Option<usize>) {
        self.selected = i.filter(|&i| i < self.tree.len());
    }

    /// The selected node.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Marks the processes whose name, PID, command line or key contains `text` (ignoring
    /// ASCII case); empty text clears the marks. Returns the matches in tree order.
    pub fn highlight(&mut self, text: &str) -> Vec<usize> {
        let needle = text.trim().to_ascii_lowercase();
        let mut found = Vec::new();
        if !needle.is_empty() {
            let cmd = self.cmd_reader();
            for i in 0..self.tree.len() {
                let node = self.tree.node(i);
                let hit = node.name.is_some_and(|s| contains_ascii_ci(s, &needle))
                    || node
                        .pid
                        .as_deref()
                        .is_some_and(|s| contains_ascii_ci(s, &needle))
                    || node
                        .row
                        .and_then(|r| cmd.as_ref()?.text(r))
                        .is_some_and(|s| contains_ascii_ci(&s, &needle))
                    || self
                        .tree
                        .proc_key(i)
                        .is_some_and(|k| contains_ascii_ci(&k, &needle));
                if hit {
                    found.push(i);
                }
            }
        }
        self.matches.iter_mut().for_each(|m| *m = false);
        for &i in &found {
            self.matches[i] = true;
        }
        self.match_count = found.len();
        found
    }

    /// Whether node `i` matches the last [`TreePlot::highlight`].
    pub fn is_match(&self, i: usize) -> bool {
        self.matches.get(i).copied().unwrap_or(false)
    }

    pub(super) fn cmd_reader(&self) -> Option<CellReader<'_>> {
        let col = self
            .table
            .column(self.cmd_col.as_deref()?, "cmd_line")
            .ok()?;
        Some(CellReader::new(&col))
    }

    /// Tooltip lines of node `i`.
    pub fn node_tooltip(&self, i: usize) -> Vec<String> {
        let Some(node) = (i < self.tree.len()).then(|| self.tree.node(i)) else {
            return Vec::new();
        };
        let mut lines = vec![
            format!("Process: {}", node.name.unwrap_or("NA")),
            self.style.pid_format.label(node.pid.as_deref()),
        ];
        if node.inferred {
            lines.push("Inferred parent: not in the data, named by its children".to_owned());
        }
        for (label, col) in &self.tooltip_cols {
            if self.style.tooltip_cols.is_none() && label == "Time" {
                // The parsed creation time, as MSTICPy's tooltip formats it (`%F %T.%3N`).
                let time = match (node.inferred, node.time_ns) {
                    (false, Some(ns)) => tooltip_time(ns),
                    _ => "NA".to_owned(),
                };
                lines.push(format!("Time: {time}"));
                continue;
            }
            let value = node
                .row
                .and_then(|r| {
                    let c = self.table.column(col, "tooltip").ok()?;
                    CellReader::new(&c).text(r).map(Cow::into_owned)
                })
                .unwrap_or_else(|| "NA".to_owned());
            lines.push(format!("{label}: {}", clip(&value, 300)));
        }
        if let Some(key) = self.tree.proc_key(i) {
            lines.push(format!("Key: {key}"));
        }
        if let Some(flag) = node.flag {
            lines.push(format!("Note: {flag}"));
        }
        lines
    }

    /// Fill colour of node `i`.
    pub fn colour(&self, i: usize) -> Color {
        match &self.colouring {
            Colouring::Categories(codes, _) => codes
                .get(i)
                .copied()
                .flatten()
                .map_or(NULL_GREY, category_colour),
            Colouring::Numbers(values, lo, hi) => match values.get(i) {
                Some(v) if v.is_finite() => {
                    viridis(if hi > lo { (v - lo) / (hi - lo) } else { 0.5 })
                }
                _ => NULL_GREY,
            },
        }
    }
}

pub(super) fn colouring_of(tree: &ProcessTree, table: &Table, col: &str) -> Result<Colouring> {
    let column = table.column(col, "legend_col")?;
    let rows: Vec<Option<usize>> = (0..tree.len()).map(|i| tree.row(i)).collect();
    if column.check_numeric().is_ok() {
        let mut by_row = vec![f64::NAN; table.num_rows()];
        for_each_number(&column, |r, v| by_row[r] = v)?;
        let values: Vec<f64> = rows
            .iter()
            .map(|r| r.map_or(f64::NAN, |r| by_row[r]))
            .collect();
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() {
            return Ok(Colouring::Numbers(values, lo, hi));
        }
    }
    let cats = encode_categories(&column)?;
    // Categories numbered in order of first appearance in the tree, so colours are stable.
    let mut order = vec![u32::MAX; cats.labels.len()];
    let mut labels = Vec::new();
    let codes = rows
        .iter()
        .map(|r| {
            let code = *cats.codes.get((*r)?)?;
            let slot = order.get_mut(code as usize)?;
            if *slot == u32::MAX {
                *slot = labels.len() as u32;
                labels.push(cats.labels[code as usize].clone());
            }
            Some(*slot)
        })
        .collect();
    if labels.is_empty() && table.num_rows() > 0 && column.check_numeric().is_err() {
        return Err(Error::invalid_option(
            "legendCol",
            format!("the column `{col}` has no values to colour by"),
        ));
    }
    Ok(Colouring::Categories(codes, labels))
}

/// `YYYY-MM-DD HH:MM:SS.mmm` (UTC).
pub(super) fn tooltip_time(ns: i64) -> String {
    let ms = ns.div_euclid(1_000_000);
    let secs = ms.div_euclid(1000);
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}",
        s / 3600,
        s % 3600 / 60,
        s % 60,
        ms.rem_euclid(1000)
    )
}

/// `s` cut to `max` characters with `…`.
pub(super) fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
        None => Cow::Borrowed(s),
    }
}

/// Whether `hay` contains `needle` (already lower-case ASCII), ignoring ASCII case.
pub(super) fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}
