//! `TreePlot`: the wasm half of `plotProcessTree` (the JS half owns the DOM and events).

use std::rc::Rc;

use arrow_array::RecordBatch;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::{JsResult, Options, check_keys, to_js};
use super::proctree::{JsProcessTree, node_js, schema_of};
use super::surface::Surface;
use super::table::{table_from_js, table_to_rows};
use crate::Error;
use crate::proctree::{ProcessTree, build_process_tree};
use crate::render::{PidFormat, TreeHit, TreePlot, TreeStyle};
use crate::table::Table;

/// Option names `TreePlot` reads (`width`/`height`/`showTable` are the JS half's).
const KEYS: [&str; 10] = [
    "schema",
    "legendCol",
    "tooltipCols",
    "title",
    "rowHeight",
    "hideLegend",
    "pidFmt",
    "width",
    "height",
    "showTable",
];

fn style_of(options: &JsValue) -> JsResult<TreeStyle> {
    let mut style = TreeStyle::default();
    if options.is_undefined() || options.is_null() {
        return Ok(style);
    }
    check_keys(options, &KEYS)?;
    let o = Options(options);
    style.legend_col = o.string("legendCol")?;
    if let Some(title) = o.string("title")? {
        style.title = title;
    }
    if let Some(h) = o.number("rowHeight")? {
        if !(h.is_finite() && (8.0..=200.0).contains(&h)) {
            return Err(
                Error::invalid_option("rowHeight", "expected a number from 8 to 200").into(),
            );
        }
        style.row_height = h;
    }
    style.hide_legend = o.flag("hideLegend")?;
    if let Some(name) = o.string("pidFmt")? {
        style.pid_format = PidFormat::parse(&name).ok_or_else(|| {
            Error::invalid_option(
                "pidFmt",
                format!("expected \"hex\", \"dec\" or \"guid\", got {name:?}"),
            )
        })?;
    }
    let cols = o.get("tooltipCols")?;
    if !cols.is_undefined() && !cols.is_null() {
        let arr = cols
            .dyn_ref::<js_sys::Array>()
            .ok_or_else(|| o.wrong("tooltipCols", &cols, "an array of column names"))?;
        let names = arr
            .iter()
            .map(|v| v.as_string())
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| o.wrong("tooltipCols", &cols, "an array of column names"))?;
        style.tooltip_cols = Some(names);
    }
    Ok(style)
}

/// A process-tree plot bound to a canvas. Coordinates are CSS px relative to the canvas;
/// nodes are indexes in tree order (as `ProcessTree.nodes()`).
#[wasm_bindgen(js_name = TreePlot)]
pub struct JsTreePlot {
    surface: Surface,
    table: Rc<Table>,
    tree: Rc<ProcessTree>,
    plot: TreePlot,
}

impl JsTreePlot {
    fn make(
        canvas: HtmlCanvasElement,
        table: Rc<Table>,
        tree: Rc<ProcessTree>,
        options: &JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsTreePlot> {
        let surface = Surface::new(canvas)?;
        let plot = TreePlot::new(
            tree.clone(),
            table.clone(),
            style_of(options)?,
            width,
            height,
        )?;
        let mut this = JsTreePlot {
            surface,
            table,
            tree,
            plot,
        };
        this.resize(width, height, dpr);
        Ok(this)
    }
}

#[wasm_bindgen(js_class = TreePlot)]
impl JsTreePlot {
    /// Builds the process tree of `table` (schema from `options.schema`, else inferred) and
    /// lays its plot out for `width` × `height` CSS px.
    #[wasm_bindgen(constructor)]
    pub fn new(
        canvas: HtmlCanvasElement,
        table: JsValue,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsTreePlot> {
        let choice = if options.is_object() {
            check_keys(&options, &KEYS)?;
            schema_of(Options(&options).get("schema")?)?
        } else {
            crate::proctree::SchemaChoice::Auto
        };
        let table = table_from_js(&table)?;
        let tree = build_process_tree(&table, &choice)?;
        Self::make(
            canvas,
            Rc::new(table),
            Rc::new(tree),
            &options,
            width,
            height,
            dpr,
        )
    }

    /// A plot of an already built `ProcessTree` (which stays usable).
    #[wasm_bindgen(js_name = fromTree)]
    pub fn from_tree(
        canvas: HtmlCanvasElement,
        tree: &JsProcessTree,
        options: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> JsResult<JsTreePlot> {
        if options.is_object() && !Options(&options).get("schema")?.is_undefined() {
            return Err(Error::invalid_option(
                "schema",
                "the tree is already built; `schema` applies only to a table",
            )
            .into());
        }
        Self::make(
            canvas,
            tree.table.clone(),
            tree.tree.clone(),
            &options,
            width,
            height,
            dpr,
        )
    }

    /// New style options (a full options object); the view, collapsed nodes, marks and
    /// selection stay.
    pub fn update(&mut self, options: JsValue) -> JsResult<()> {
        Ok(self.plot.set_style(style_of(&options)?)?)
    }

    /// Sets the drawing size in CSS px and the device pixel ratio (sizes the backing store).
    pub fn resize(&mut self, width: f64, height: f64, dpr: f64) {
        self.surface.resize(width, height, dpr);
        self.plot.resize(width, height);
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

    /// What is at (`x`, `y`): `{ node }`, `{ toggle }` (a node's collapse button),
    /// `{ overview }` (0–1 down the overview strip), or `undefined`.
    #[wasm_bindgen(js_name = hitTest)]
    pub fn hit_test(&self, x: f64, y: f64) -> JsValue {
        let o = js_sys::Object::new();
        let (key, value) = match self.plot.hit(x, y) {
            Some(TreeHit::Node(i)) => ("node", i as f64),
            Some(TreeHit::Toggle(i)) => ("toggle", i as f64),
            Some(TreeHit::Overview(f)) => ("overview", f),
            None => return JsValue::UNDEFINED,
        };
        let _ = js_sys::Reflect::set(&o, &key.into(), &value.into());
        o.into()
    }

    /// Tooltip lines of node `i`.
    pub fn tooltip(&self, i: usize) -> Vec<String> {
        self.plot.tooltip(i)
    }

    /// Node `i` as `ProcessTree.nodes()` gives it.
    pub fn node(&self, i: usize) -> JsResult<JsValue> {
        if i >= self.tree.len() {
            return Err(Error::invalid_option("node", format!("no node {i}")).into());
        }
        to_js(&node_js(&self.tree, i))
    }

    /// Node `i`'s input row as a plain object (`null` for an inferred parent).
    pub fn row(&self, i: usize) -> JsResult<JsValue> {
        let Some(row) = (i < self.tree.len())
            .then(|| self.tree.node(i).row)
            .flatten()
        else {
            return Ok(JsValue::NULL);
        };
        let mut at = row;
        for batch in self.table.batches()? {
            if at < batch.num_rows() {
                let one: RecordBatch = batch.slice(at, 1);
                let t = Table::new(self.table.schema().clone(), vec![one])?;
                let rows = table_to_rows(&t)?;
                return Ok(js_sys::Array::from(&rows).get(0));
            }
            at -= batch.num_rows();
        }
        Ok(JsValue::NULL)
    }

    /// `[x, y, w, h]` of node `i`'s box in CSS px, or `undefined` (collapsed away).
    #[wasm_bindgen(js_name = nodeBox)]
    pub fn node_box(&self, i: usize) -> Option<Vec<f64>> {
        self.plot.node_box(i).map(|(x, y, w, h)| vec![x, y, w, h])
    }

    /// Number of nodes in the tree.
    #[wasm_bindgen(getter, js_name = nodeCount)]
    pub fn node_count(&self) -> usize {
        self.tree.len()
    }

    /// The nodes shown, in order (collapsed subtrees left out).
    #[wasm_bindgen(js_name = visibleNodes)]
    pub fn visible_nodes(&self) -> Vec<u32> {
        self.plot.visible().to_vec()
    }

    /// The nodes in rows (partly) in view, top to bottom.
    #[wasm_bindgen(js_name = nodesInView)]
    pub fn nodes_in_view(&self) -> Vec<u32> {
        self.plot.in_view().to_vec()
    }

    /// Zooms by `factor` around (`x`, `y`).
    #[wasm_bindgen(js_name = zoomAt)]
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64) {
        self.plot.zoom_at(factor, x, y);
    }

    /// Pans by (`dx`, `dy`) px.
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.plot.pan(dx, dy);
    }

    /// Back to zoom 1 at the top.
    #[wasm_bindgen(js_name = resetView)]
    pub fn reset_view(&mut self) {
        self.plot.reset_view();
    }

    /// Centres the view on `fraction` (0–1) of the rows.
    #[wasm_bindgen(js_name = scrollToFraction)]
    pub fn scroll_to_fraction(&mut self, fraction: f64) {
        self.plot.scroll_to_fraction(fraction);
    }

    /// Collapses or expands node `i`; false for a leaf.
    pub fn toggle(&mut self, i: usize) -> bool {
        self.plot.toggle(i)
    }

    /// Whether node `i` is collapsed.
    #[wasm_bindgen(js_name = isCollapsed)]
    pub fn is_collapsed(&self, i: usize) -> bool {
        self.plot.is_collapsed(i)
    }

    /// Expands every node.
    #[wasm_bindgen(js_name = expandAll)]
    pub fn expand_all(&mut self) {
        self.plot.expand_all();
    }

    /// Marks the processes whose name, PID, command line or key contains `text` (any case);
    /// returns their node indexes in tree order.
    pub fn highlight(&mut self, text: &str) -> Vec<u32> {
        self.plot
            .highlight(text)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }

    /// Expands node `i`'s ancestors and centres it.
    pub fn reveal(&mut self, i: usize) {
        self.plot.reveal(i);
    }

    /// Selects node `i` (`undefined`: nothing).
    pub fn select(&mut self, i: Option<usize>) {
        self.plot.select(i);
    }

    /// The selected node.
    #[wasm_bindgen(getter)]
    pub fn selected(&self) -> Option<usize> {
        self.plot.selected()
    }
}
