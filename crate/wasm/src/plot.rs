//! `Plot`: the wasm half of every plot. One class for all of them: the shared calls (size,
//! paint, pointer/wheel/key input, tooltip, cursor) go through the [`Interactive`] trait, so the
//! JS half (`js/src/plot.js`) is one controller too; each kind adds its constructor and the few
//! calls of its own handle (`matrix`/`marker` for the matrix, `nodeBox`/`highlight`/… for the
//! tree).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::{JsResult, read_options, to_js};
use super::keys;
use super::matrix::matrix_to_js;
use super::proctree::{JsProcessTree, node_js};
use super::surface::Surface;
use super::table::{JsResultTable, table_from_js, table_to_rows};
use super::timeline::{Spec, selection_table, selection_to_js, time_of, timeline_to_js};
use huntkit::Error;
use huntkit::matrix::{MatrixOptions, aggregate};
use huntkit::proctree::{BuildOptions, ProcessTree, build_process_tree_with};
use huntkit::render::{
    Input, Interactive, MatrixPlot, MatrixStyle, TimelinePlot, TreeHit, TreePlot, TreeStyle,
};
use huntkit::table::Table;

/// The options of `plotMatrix`: `matrix`'s and the style's.
fn matrix_args(options: &JsValue) -> JsResult<(MatrixOptions, MatrixStyle)> {
    let o = read_options(options, keys::PLOT_MATRIX)?;
    Ok((MatrixOptions::read(&o)?, MatrixStyle::read(&o)?))
}

/// The options of `plotProcessTree`: the build's and the style's.
fn tree_options(options: &JsValue) -> JsResult<huntkit::options::Options<'static>> {
    read_options(options, keys::PLOT_PROCESS_TREE)
}

/// What a plot was made from (what `update` rebuilds it from).
enum Source {
    Matrix(Table),
    Tree {
        tree: Rc<ProcessTree>,
        table: Rc<Table>,
    },
    Timeline(Box<Spec>),
}

/// A plot bound to a canvas. Coordinates are CSS px relative to the canvas.
#[wasm_bindgen(js_name = Plot)]
pub struct JsPlot {
    surface: Surface,
    plot: Box<dyn Interactive>,
    source: Source,
    toggled: Option<usize>,
}

impl JsPlot {
    fn bind(
        canvas: HtmlCanvasElement,
        make: impl FnOnce(&Surface) -> JsResult<(Box<dyn Interactive>, Source)>,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsPlot> {
        let surface = Surface::new(canvas)?;
        let (plot, source) = make(&surface)?;
        let mut this = JsPlot {
            surface,
            plot,
            source,
            toggled: None,
        };
        this.resize(width, height, dpr);
        Ok(this)
    }

    fn respond(&mut self, input: Input<'_>) -> u32 {
        let r = self.plot.input(input);
        self.toggled = r.toggled;
        r.bits()
    }

    /// The plot as a `T` (a matrix, tree or timeline plot), or an error naming `what` it is not.
    fn plot_as<T: 'static>(&self, what: &str) -> JsResult<&T> {
        let plot: &dyn std::any::Any = &*self.plot;
        plot.downcast_ref()
            .ok_or_else(|| Error::invalid_option("plot", format!("not a {what} plot")).into())
    }

    /// [`Self::plot_as`], mutable.
    fn plot_as_mut<T: 'static>(&mut self, what: &str) -> JsResult<&mut T> {
        let plot: &mut dyn std::any::Any = &mut *self.plot;
        plot.downcast_mut()
            .ok_or_else(|| Error::invalid_option("plot", format!("not a {what} plot")).into())
    }

    fn matrix_ref(&self) -> JsResult<&MatrixPlot> {
        self.plot_as("matrix")
    }

    fn matrix_mut(&mut self) -> JsResult<&mut MatrixPlot> {
        self.plot_as_mut("matrix")
    }

    fn tree_ref(&self) -> JsResult<&TreePlot> {
        self.plot_as("process-tree")
    }

    fn tree_mut(&mut self) -> JsResult<&mut TreePlot> {
        self.plot_as_mut("process-tree")
    }

    fn timeline_ref(&self) -> JsResult<&TimelinePlot> {
        self.plot_as("timeline")
    }

    fn timeline_mut(&mut self) -> JsResult<&mut TimelinePlot> {
        self.plot_as_mut("timeline")
    }

    fn timeline_spec(&self) -> JsResult<&Spec> {
        match &self.source {
            Source::Timeline(spec) => Ok(spec),
            _ => Err(Error::invalid_option("plot", "not a timeline plot").into()),
        }
    }
}

fn timeline_plot_of(surface: &Surface, spec: Spec) -> JsResult<(Box<dyn Interactive>, Source)> {
    let tl = spec.build()?;
    let plot = TimelinePlot::new(tl, spec.sources.tables(), 1.0, 1.0, &surface.measure());
    Ok((Box::new(plot), Source::Timeline(Box::new(spec))))
}

fn tree_plot_of(
    tree: Rc<ProcessTree>,
    table: Rc<Table>,
    style: TreeStyle,
) -> JsResult<(Box<dyn Interactive>, Source)> {
    let plot = TreePlot::new(tree.clone(), table.clone(), style, 1.0, 1.0)?;
    Ok((Box::new(plot), Source::Tree { tree, table }))
}

#[wasm_bindgen(js_class = Plot)]
impl JsPlot {
    /// The matrix plot of `table` with `options` (`matrix`'s plus presentation), laid out for
    /// `width` × `height` CSS px at device pixel ratio `dpr`.
    pub fn matrix(
        canvas: HtmlCanvasElement,
        table: JsValue,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsPlot> {
        let (opts, style) = matrix_args(&options)?;
        let table = table_from_js(&table)?;
        let m = aggregate(&table, &opts)?;
        Self::bind(
            canvas,
            |s| {
                let plot = MatrixPlot::new(m, style, width, height, &s.measure());
                Ok((Box::new(plot), Source::Matrix(table)))
            },
            width,
            height,
            dpr,
        )
    }

    /// The process-tree plot of `table` (built with `options.schema`, else an inferred one).
    pub fn tree(
        canvas: HtmlCanvasElement,
        table: JsValue,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsPlot> {
        let o = tree_options(&options)?;
        let (choice, build) = BuildOptions::read(&o)?;
        let style = TreeStyle::read(&o)?;
        let table = table_from_js(&table)?;
        let tree = build_process_tree_with(&table, &choice, &build)?;
        Self::bind(
            canvas,
            |_| tree_plot_of(Rc::new(tree), Rc::new(table), style),
            width,
            height,
            dpr,
        )
    }

    /// The plot of an already built `ProcessTree` (which stays usable).
    #[wasm_bindgen(js_name = treeOf)]
    pub fn tree_of(
        canvas: HtmlCanvasElement,
        tree: &JsProcessTree,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsPlot> {
        let o = tree_options(&options)?;
        if o.has("schema") {
            return Err(Error::invalid_option(
                "schema",
                "the tree is already built; `schema` applies only to a table",
            )
            .into());
        }
        let style = TreeStyle::read(&o)?;
        let (t, table) = (tree.tree.clone(), tree.table.clone());
        Self::bind(
            canvas,
            |_| tree_plot_of(t, table, style),
            width,
            height,
            dpr,
        )
    }

    /// The `plot` timeline (`"events"`, `"values"` or `"duration"`) of `data` (a table, or
    /// named tables `{ name: { data, … } }` for events) with `options`.
    pub fn timeline(
        canvas: HtmlCanvasElement,
        data: JsValue,
        options: JsValue,
        plot: &str,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsPlot> {
        let spec = Spec::from_js(&data, &options, plot)?;
        Self::bind(canvas, |s| timeline_plot_of(s, spec), width, height, dpr)
    }

    /// New options (a full options object). The matrix re-aggregates and resets its view; the
    /// tree keeps its view, collapsed nodes, marks and selection; the timeline is rebuilt from
    /// the same data (the view resets).
    pub fn update(&mut self, options: JsValue) -> JsResult<()> {
        match &self.source {
            Source::Matrix(table) => {
                let (opts, style) = matrix_args(&options)?;
                let m = aggregate(table, &opts)?;
                let (w, h) = self.plot.size();
                self.plot = Box::new(MatrixPlot::new(m, style, w, h, &self.surface.measure()));
            }
            Source::Tree { .. } => {
                let style = TreeStyle::read(&tree_options(&options)?)?;
                self.tree_mut()?.set_style(style)?
            }
            Source::Timeline(spec) => {
                let spec = spec.with_options(&options)?;
                let tl = spec.build()?;
                let (w, h) = self.plot.size();
                let plot =
                    TimelinePlot::new(tl, spec.sources.tables(), w, h, &self.surface.measure());
                self.plot = Box::new(plot);
                self.source = Source::Timeline(Box::new(spec));
            }
        }
        Ok(())
    }

    /// Sets the drawing size in CSS px and the device pixel ratio (sizes the backing store).
    pub fn resize(&mut self, width: f64, height: f64, dpr: f64) {
        self.surface.resize(width, height, dpr);
        self.plot.resize(width, height, &self.surface.measure());
    }

    /// Drawing width in CSS px.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> f64 {
        self.surface.width()
    }

    /// Drawing height in CSS px.
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> f64 {
        self.surface.height()
    }

    /// Paints the current view.
    pub fn draw(&self) -> JsResult<()> {
        self.surface
            .paint(&self.plot.scene(&self.surface.measure()))
    }

    /// A button went down; returns what changed (bits: 1 redraw, 2 value, 4 hover, 8 consumed,
    /// 16 toggled).
    #[wasm_bindgen(js_name = pointerDown)]
    pub fn pointer_down(&mut self, x: f64, y: f64, button: i16, shift: bool) -> u32 {
        self.respond(Input::Down {
            x,
            y,
            button,
            shift,
        })
    }

    /// The pointer moved; returns what changed.
    #[wasm_bindgen(js_name = pointerMove)]
    pub fn pointer_move(&mut self, x: f64, y: f64) -> u32 {
        self.respond(Input::Move { x, y })
    }

    /// The button came up; returns what changed.
    #[wasm_bindgen(js_name = pointerUp)]
    pub fn pointer_up(&mut self, x: f64, y: f64) -> u32 {
        self.respond(Input::Up { x, y })
    }

    /// The pointer left; returns what changed.
    #[wasm_bindgen(js_name = pointerLeave)]
    pub fn pointer_leave(&mut self) -> u32 {
        self.respond(Input::Leave)
    }

    /// The wheel turned by `dy` CSS px; returns what changed.
    pub fn wheel(&mut self, x: f64, y: f64, dy: f64, shift: bool) -> u32 {
        self.respond(Input::Wheel { x, y, dy, shift })
    }

    /// A double click; returns what changed.
    #[wasm_bindgen(js_name = doubleClick)]
    pub fn double_click(&mut self, x: f64, y: f64) -> u32 {
        self.respond(Input::DoubleClick { x, y })
    }

    /// A key (its DOM `key`); returns what changed.
    pub fn key(&mut self, key: &str) -> u32 {
        self.respond(Input::Key(key))
    }

    /// The node the last input toggled (a tree's subtree), if it toggled one.
    #[wasm_bindgen(getter)]
    pub fn toggled(&self) -> Option<usize> {
        self.toggled
    }

    /// The tooltip for what is under the pointer (empty: none).
    pub fn tooltip(&self) -> Vec<String> {
        self.plot.tooltip()
    }

    /// The CSS cursor for where the pointer is.
    #[wasm_bindgen(getter)]
    pub fn cursor(&self) -> String {
        self.plot.cursor().css().to_owned()
    }

    /// Back to the initial view.
    #[wasm_bindgen(js_name = resetView)]
    pub fn reset_view(&mut self) {
        self.plot.reset_view();
    }

    // --- the matrix ---------------------------------------------------------------------

    /// The aggregated matrix, as `matrix()` returns it.
    #[wasm_bindgen(js_name = matrixResult)]
    pub fn matrix_result(&self) -> JsResult<JsValue> {
        matrix_to_js(self.matrix_ref()?.matrix())
    }

    /// The cell under (`x`, `y`), or `undefined`.
    #[wasm_bindgen(js_name = cellAt)]
    pub fn cell_at(&self, x: f64, y: f64) -> JsResult<Option<usize>> {
        Ok(self.matrix_ref()?.hit(x, y))
    }

    /// Tooltip lines of cell `index`.
    #[wasm_bindgen(js_name = cellTooltip)]
    pub fn cell_tooltip(&self, index: usize) -> JsResult<Vec<String>> {
        Ok(self.matrix_ref()?.cell_tooltip(index))
    }

    /// `[cx, cy, r]` of a cell's marker in CSS px, or `undefined`.
    pub fn marker(&self, index: usize) -> JsResult<Option<Vec<f64>>> {
        Ok(self
            .matrix_ref()?
            .marker(index)
            .map(|(x, y, r)| vec![x, y, r]))
    }

    /// The matrix's zoom factor (1 = whole matrix).
    #[wasm_bindgen(getter)]
    pub fn zoom(&self) -> JsResult<f64> {
        Ok(self.matrix_ref()?.view().k)
    }

    /// The cell under the pointer.
    #[wasm_bindgen(getter, js_name = hoveredCell)]
    pub fn hovered_cell(&self) -> JsResult<Option<usize>> {
        Ok(self.matrix_ref()?.hovered())
    }

    /// Marks cell `index` (`undefined`: none).
    #[wasm_bindgen(js_name = selectCell)]
    pub fn select_cell(&mut self, index: Option<usize>) -> JsResult<()> {
        self.matrix_mut()?.select(index);
        Ok(())
    }

    /// The selected cell.
    #[wasm_bindgen(getter, js_name = selectedCell)]
    pub fn selected_cell(&self) -> JsResult<Option<usize>> {
        Ok(self.matrix_ref()?.selected())
    }

    // --- the process tree ---------------------------------------------------------------

    /// What is at (`x`, `y`): `{ node }`, `{ toggle }` (a node's collapse button),
    /// `{ overview }` (0–1 down the overview strip), or `undefined`.
    #[wasm_bindgen(js_name = treeHit)]
    pub fn tree_hit(&self, x: f64, y: f64) -> JsResult<JsValue> {
        let o = js_sys::Object::new();
        let (key, value) = match self.tree_ref()?.hit(x, y) {
            Some(TreeHit::Node(i)) => ("node", i as f64),
            Some(TreeHit::Toggle(i)) => ("toggle", i as f64),
            Some(TreeHit::Overview(f)) => ("overview", f),
            None => return Ok(JsValue::UNDEFINED),
        };
        js_sys::Reflect::set(&o, &key.into(), &value.into())?;
        Ok(o.into())
    }

    /// Tooltip lines of node `i`.
    #[wasm_bindgen(js_name = nodeTooltip)]
    pub fn node_tooltip(&self, i: usize) -> JsResult<Vec<String>> {
        Ok(self.tree_ref()?.node_tooltip(i))
    }

    /// Node `i` as `ProcessTree.nodes()` gives it.
    pub fn node(&self, i: usize) -> JsResult<JsValue> {
        let Source::Tree { tree, .. } = &self.source else {
            return Err(Error::invalid_option("plot", "not a process-tree plot").into());
        };
        if i >= tree.len() {
            return Err(Error::invalid_option("node", format!("no node {i}")).into());
        }
        to_js(&node_js(tree, i))
    }

    /// Node `i`'s input row as a plain object (`null` for an inferred parent).
    pub fn row(&self, i: usize) -> JsResult<JsValue> {
        let Source::Tree { tree, table } = &self.source else {
            return Err(Error::invalid_option("plot", "not a process-tree plot").into());
        };
        let Some(row) = (i < tree.len()).then(|| tree.node(i).row).flatten() else {
            return Ok(JsValue::NULL);
        };
        match table.row_table(row)? {
            Some(one) => Ok(js_sys::Array::from(&table_to_rows(&one)?).get(0)),
            None => Ok(JsValue::NULL),
        }
    }

    /// `[x, y, w, h]` of node `i`'s box in CSS px, or `undefined` (collapsed away).
    #[wasm_bindgen(js_name = nodeBox)]
    pub fn node_box(&self, i: usize) -> JsResult<Option<Vec<f64>>> {
        Ok(self
            .tree_ref()?
            .node_box(i)
            .map(|(x, y, w, h)| vec![x, y, w, h]))
    }

    /// The nodes shown, in order (collapsed subtrees left out).
    #[wasm_bindgen(js_name = visibleNodes)]
    pub fn visible_nodes(&self) -> JsResult<Vec<u32>> {
        Ok(self.tree_ref()?.visible().to_vec())
    }

    /// The nodes in rows (partly) in view, top to bottom.
    #[wasm_bindgen(js_name = nodesInView)]
    pub fn nodes_in_view(&self) -> JsResult<Vec<u32>> {
        Ok(self.tree_ref()?.in_view().to_vec())
    }

    /// The process under the pointer.
    #[wasm_bindgen(getter, js_name = hoveredNode)]
    pub fn hovered_node(&self) -> JsResult<Option<usize>> {
        Ok(self.tree_ref()?.hovered_node())
    }

    /// Centres the view on `fraction` (0–1) of the rows.
    #[wasm_bindgen(js_name = scrollToFraction)]
    pub fn scroll_to_fraction(&mut self, fraction: f64) -> JsResult<()> {
        self.tree_mut()?.scroll_to_fraction(fraction);
        Ok(())
    }

    /// Collapses or expands node `i`; false for a leaf.
    pub fn toggle(&mut self, i: usize) -> JsResult<bool> {
        Ok(self.tree_mut()?.toggle(i))
    }

    /// Whether node `i` is collapsed.
    #[wasm_bindgen(js_name = isCollapsed)]
    pub fn is_collapsed(&self, i: usize) -> JsResult<bool> {
        Ok(self.tree_ref()?.is_collapsed(i))
    }

    /// Expands every node.
    #[wasm_bindgen(js_name = expandAll)]
    pub fn expand_all(&mut self) -> JsResult<()> {
        self.tree_mut()?.expand_all();
        Ok(())
    }

    /// Marks the processes whose name, PID, command line or key contains `text` (any case);
    /// returns their node indexes in tree order.
    pub fn highlight(&mut self, text: &str) -> JsResult<Vec<u32>> {
        Ok(self
            .tree_mut()?
            .highlight(text)
            .into_iter()
            .map(|i| i as u32)
            .collect())
    }

    /// Expands node `i`'s ancestors and centres it.
    pub fn reveal(&mut self, i: usize) -> JsResult<()> {
        self.tree_mut()?.reveal(i);
        Ok(())
    }

    /// Selects node `i` (`undefined`: nothing).
    #[wasm_bindgen(js_name = selectNode)]
    pub fn select_node(&mut self, i: Option<usize>) -> JsResult<()> {
        self.tree_mut()?.select(i);
        Ok(())
    }

    /// The selected node.
    #[wasm_bindgen(getter, js_name = selectedNode)]
    pub fn selected_node(&self) -> JsResult<Option<usize>> {
        Ok(self.tree_ref()?.selected())
    }

    // --- the timelines ------------------------------------------------------------------

    /// The height (CSS px) the timeline wants: its figure's plus the range selector's.
    #[wasm_bindgen(getter, js_name = preferredHeight)]
    pub fn preferred_height(&self) -> JsResult<f64> {
        Ok(self.timeline_ref()?.preferred_height())
    }

    /// The timeline's title.
    #[wasm_bindgen(getter, js_name = timelineTitle)]
    pub fn timeline_title(&self) -> JsResult<String> {
        Ok(self.timeline_ref()?.timeline().title.clone())
    }

    /// The timeline as data, as `timelineSeries()` returns it.
    #[wasm_bindgen(js_name = timelineData)]
    pub fn timeline_data(&self) -> JsResult<JsValue> {
        timeline_to_js(self.timeline_ref()?.timeline())
    }

    /// The brushed span or clicked event: `{ start, end, count, rows, series }`, or `null`.
    #[wasm_bindgen(js_name = timelineValue)]
    pub fn timeline_value(&self) -> JsResult<JsValue> {
        let p = self.timeline_ref()?;
        match p.selection() {
            Some(sel) => selection_to_js(p.timeline(), &self.timeline_spec()?.sources, sel),
            None => Ok(JsValue::NULL),
        }
    }

    /// The events table's selected rows as a table (empty when nothing is selected).
    #[wasm_bindgen(js_name = selectionTable)]
    pub fn selection_table(&self) -> JsResult<JsResultTable> {
        let p = self.timeline_ref()?;
        let empty = huntkit::render::Selection {
            start: 0,
            end: 0,
            rows: Vec::new(),
        };
        let sel = p.selection().unwrap_or(&empty);
        selection_table(p.timeline(), &self.timeline_spec()?.sources, sel)
    }

    /// Selects the visible events from `start` to `end` (Dates, ISO text or epoch numbers);
    /// `null` clears.
    #[wasm_bindgen(js_name = selectSpan)]
    pub fn select_span(&mut self, start: JsValue, end: JsValue) -> JsResult<()> {
        let span = if start.is_null() || start.is_undefined() {
            None
        } else {
            let a = time_of("start", &start)?;
            let b = if end.is_null() || end.is_undefined() {
                a
            } else {
                time_of("end", &end)?
            };
            Some((a, b))
        };
        self.timeline_mut()?.select_span(span);
        Ok(())
    }

    /// The main x range, `[start, end]` in ms since the epoch.
    #[wasm_bindgen(getter, js_name = timeWindow)]
    pub fn time_window(&self) -> JsResult<Vec<f64>> {
        let (a, b) = self.timeline_ref()?.window();
        Ok(vec![a, b])
    }

    /// Shows `start`..`end` (Dates, ISO text or epoch numbers) in the main area.
    #[wasm_bindgen(js_name = setTimeWindow)]
    pub fn set_time_window(&mut self, start: JsValue, end: JsValue) -> JsResult<()> {
        let (a, b) = (time_of("start", &start)?, time_of("end", &end)?);
        self.timeline_mut()?
            .set_window(a as f64 / 1e6, b as f64 / 1e6);
        Ok(())
    }

    /// `[x, y]` (CSS px) of series `series`' event at input row `row`, or `undefined` (not in
    /// view, or no such event).
    #[wasm_bindgen(js_name = eventPoint)]
    pub fn event_point(&self, series: usize, row: u32) -> JsResult<Option<Vec<f64>>> {
        Ok(self
            .timeline_ref()?
            .event_point(series, row)
            .map(|(x, y)| vec![x, y]))
    }

    /// The range selector's window: `[left, right, middle y]` in CSS px, or `undefined`.
    #[wasm_bindgen(js_name = windowBox)]
    pub fn window_box(&self) -> JsResult<Option<Vec<f64>>> {
        Ok(self
            .timeline_ref()?
            .window_box()
            .map(|(a, b, y)| vec![a, b, y]))
    }

    /// The main plot area: `[left, top, width, height]` in CSS px.
    #[wasm_bindgen(js_name = plotArea)]
    pub fn plot_area(&self) -> JsResult<Vec<f64>> {
        let (l, t, w, h) = self.timeline_ref()?.plot_area();
        Ok(vec![l, t, w, h])
    }

    /// Whether series `series` is drawn as a density now.
    #[wasm_bindgen(js_name = isDense)]
    pub fn is_dense(&self, series: usize) -> JsResult<bool> {
        Ok(self.timeline_ref()?.is_dense(series))
    }

    /// How many of series `series`' events are in the main range now.
    #[wasm_bindgen(js_name = visibleCount)]
    pub fn visible_count(&self, series: usize) -> JsResult<usize> {
        Ok(self.timeline_ref()?.visible_count(series))
    }

    /// Hides or shows series `series` (as its legend item does); false if there is none.
    #[wasm_bindgen(js_name = toggleSeries)]
    pub fn toggle_series(&mut self, series: usize) -> JsResult<bool> {
        Ok(self.timeline_mut()?.toggle_series(series))
    }

    /// Whether series `series` is hidden.
    #[wasm_bindgen(js_name = isHidden)]
    pub fn is_hidden(&self, series: usize) -> JsResult<bool> {
        Ok(self.timeline_ref()?.is_hidden(series))
    }
}
