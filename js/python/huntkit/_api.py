"""The public functions: plots (any notebook) and compute (Pyodide kernels)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from . import _params as P
from ._engine import call, engine, js_table, options_json, result_frame, want
from ._errors import HuntkitError
from ._tables import Rows, rows_to_frame, to_table
from ._widgets import HuntkitWidget, MatrixWidget, ProcessTreeWidget

__all__ = [
    "build_process_tree",
    "extract_iocs",
    "matrix",
    "matrix_data",
    "process_tree",
    "refang",
]


def _schema(schema: Any) -> Any:
    """A schema name, a mapping of MSTICPy's field names, or an object with those attributes
    (MSTICPy's ``ProcSchema``)."""
    if schema is None or isinstance(schema, (str, dict)):
        return schema
    if dataclasses.is_dataclass(schema) and not isinstance(schema, type):
        fields = dataclasses.asdict(schema)
    elif hasattr(schema, "__attrs_attrs__"):
        fields = {a.name: getattr(schema, a.name) for a in schema.__attrs_attrs__}
    elif hasattr(schema, "__dict__"):
        fields = dict(vars(schema))
    else:
        raise HuntkitError(f"option `schema`: expected a name or a mapping, got {type(schema).__name__}", "invalid-option")
    return {k: v for k, v in fields.items() if v is not None and not k.startswith("_")}


def _show(widget: HuntkitWidget, hide: bool | None) -> HuntkitWidget:
    if not hide:
        from IPython.display import display

        display(widget)
    return widget


def process_tree(
    data: Any,
    schema: Any = None,
    legend_col: str | None = None,
    show_table: bool = False,
    **kwargs: Any,
) -> ProcessTreeWidget:
    """Draws the process tree of process events (MSTICPy's ``df.mp_plot.process_tree``).

    ``data``: a DataFrame (pandas, polars), an Arrow table, a list of dicts or Arrow IPC bytes.
    ``schema``: a built-in name (``"windows"``, ``"linux"``, ``"mde"``, ...), MSTICPy's field
    mapping as a dict (or its ``ProcSchema``), or ``None`` to detect it. Further keywords:
    ``title``, ``height`` (700), ``width``, ``hide_legend``, ``pid_fmt`` (``"hex"``, ``"dec"``,
    ``"guid"``), ``tooltip_cols``, ``row_height``, ``output_var`` (a variable that receives
    ``[proc_key]`` of the clicked process) and ``hide`` (build without displaying).

    Returns the widget: ``.selected`` is the clicked process's input row.
    """
    values = {"schema": _schema(schema), "legend_col": legend_col, "show_table": show_table, **kwargs}
    P.PROCESS_TREE.check_names(values)
    table = to_table(data)
    widget = ProcessTreeWidget(table, P.PROCESS_TREE.to_js(values, table.columns))
    output_var = kwargs.get("output_var")
    if output_var:
        _bind_output_var(widget, output_var)
    return _show(widget, kwargs.get("hide"))  # type: ignore[return-value]


def _bind_output_var(widget: ProcessTreeWidget, name: str) -> None:
    """MSTICPy's ``output_var``: the variable ``name`` holds ``[proc_key]`` of the selection."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    shell.user_ns[name] = []

    def store(_change: Any) -> None:
        shell.user_ns[name] = [widget.selected_key] if widget.selected_key else []

    widget.observe(store, names="selected")


def matrix(
    data: Any,
    x: str | None = None,
    y: str | None = None,
    value_col: str | None = None,
    dist_count: bool | None = None,
    log_size: bool = False,
    invert: bool = False,
    intersect: bool = False,
    sort: Any = None,
    **kwargs: Any,
) -> MatrixWidget:
    """Draws how often (or how much) each pair of values of columns ``x`` and ``y`` occurs
    (MSTICPy's ``df.mp_plot.matrix``): count, or the sum of ``value_col``, or (``dist_count``)
    its distinct count; ``log_size``, ``invert`` (rare pairs big), ``intersect`` (presence
    only), ``sort`` (``"asc"``/``"desc"``/``True``). Further keywords: ``x_col``, ``y_col``,
    ``sort_x``, ``sort_y``, ``title``, ``height`` (700), ``width``, ``color``, ``font_size``,
    ``max_label_font_size``, ``min_radius``, ``hide``.

    Only the columns it needs are sent to the browser. Returns the widget: ``.selected`` is the
    clicked cell.
    """
    values = {
        "x": x,
        "y": y,
        "value_col": value_col,
        "dist_count": dist_count,
        "log_size": log_size,
        "invert": invert,
        "intersect": intersect,
        "sort": sort,
        **kwargs,
    }
    P.MATRIX.check_names(values)
    x = x or kwargs.get("x_col")
    y = y or kwargs.get("y_col")
    table = to_table(data, only=[c for c in (x, y, value_col) if c])
    widget = MatrixWidget(table, P.MATRIX.to_js(values, table.columns))
    return _show(widget, kwargs.get("hide"))  # type: ignore[return-value]


# -- compute, in a Pyodide kernel ------------------------------------------------------------

IOC_TEXT_COLUMNS = ["IoCType", "Observable", "Original", "Start", "End", "Defanged", "Decoded"]


def _code_points(text: str) -> list[int] | None:
    """UTF-16 offset → code point offset for ``text``, or None when they are the same."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return None
    table = []
    for i, c in enumerate(text):
        table.append(i)
        if ord(c) >= 0x10000:
            table.append(i)
    table.append(len(text))
    return table


def _python_offsets(rows: list[dict[str, Any]], text_of: Any) -> None:
    """Rewrites ``Start``/``End`` (UTF-16, as JS counts) as Python string indexes."""
    cache: dict[int, list[int] | None] = {}
    for row in rows:
        text = text_of(row)
        key = id(text)
        if key not in cache:
            cache[key] = _code_points(text)
        table = cache[key]
        if table is not None:
            row["Start"] = table[row["Start"]]
            row["End"] = table[row["End"]]


def extract_iocs(
    data_or_text: Any,
    columns: Any = None,
    ioc_types: Any = None,
    include_paths: bool | None = None,
    ignore_tlds: bool = False,
    defanged: bool = True,
    **kwargs: Any,
) -> Any:
    """Indicators of compromise in a text or in table columns (MSTICPy's ``IoCExtract.extract``,
    in a Pyodide kernel).

    A text gives one row per indicator: ``IoCType``, ``Observable`` (refanged, decoded),
    ``Original`` (as written), ``Start``/``End`` (``text[Start:End] == Original``),
    ``Defanged``, ``Decoded`` (``"base64>percent"`` or None). A table (with ``columns``) gives
    MSTICPy's ``IoCType``, ``Observable``, ``SourceIndex``, ``Input`` plus ``Column``,
    ``Start``, ``End``, ``Defanged``, ``Decoded``. ``defanged=False`` matches plain text only, as
    MSTICPy's. Further keywords: ``exclude_private``, ``decode``, ``max_depth``,
    ``schemeless_urls``. Returns a DataFrame, or a list of dicts without pandas.
    """
    values = {
        "columns": columns,
        "ioc_types": ioc_types,
        "include_paths": include_paths,
        "ignore_tlds": ignore_tlds or None,
        "defanged": defanged,
        **kwargs,
    }
    P.EXTRACT_IOCS.check_names(values)
    hk = engine("extract_iocs")
    if isinstance(data_or_text, str):
        if columns is not None:
            raise HuntkitError("option `columns`: a text has no columns (pass a table to search columns)", "invalid-option")
        options = P.EXTRACT_IOCS.to_js(values, None)
        rows = json.loads(call("extract_iocs", hk.extractIocs, data_or_text, options_json(options)))
        _python_offsets(rows, lambda _row: data_or_text)
        return rows_to_frame(rows, IOC_TEXT_COLUMNS)
    if columns is None:
        raise HuntkitError('option `columns`: name the columns to search: columns=["CommandLine"]', "invalid-option")
    table = to_table(data_or_text)
    options = P.EXTRACT_IOCS.to_js(values, table.columns)
    result = call("extract_iocs", hk.extractIocsFromTable, js_table(table), options_json(options), want())
    frame = result_frame(result)
    if isinstance(frame, Rows):
        _python_offsets(frame, lambda row: row["Input"])
    elif len(frame):
        records = frame[["Input", "Start", "End"]].to_dict("records")
        _python_offsets(records, lambda row: row["Input"])
        frame["Start"] = [r["Start"] for r in records]
        frame["End"] = [r["End"] for r in records]
    return frame


def refang(text: str) -> str:
    """``text`` with every defanged form made plain (``hxxp``, ``[.]``, ``[at]``, ...)."""
    if not isinstance(text, str):
        raise HuntkitError(f"option `text`: expected a str, got {type(text).__name__}", "invalid-option")
    return str(call("refang", engine("refang").refang, text))


def build_process_tree(data: Any, schema: Any = None) -> Any:
    """The process tree of process events as a table (MSTICPy's ``build_process_tree``, in a
    Pyodide kernel): every input column plus ``proc_key``, ``parent_key``, ``path``, ``IsRoot``,
    ``IsLeaf``, ``IsBranch``, ``depth``, ``inferred``, ... The build summary is in
    ``.attrs["summary"]``."""
    values = {"schema": _schema(schema)}
    hk = engine("build_process_tree")
    table = to_table(data)
    options = P.BUILD_PROCESS_TREE.to_js(values, table.columns)
    result = call("build_process_tree", hk.buildProcessTree, js_table(table), options_json(options), want())
    frame = result_frame(result)
    frame.attrs["summary"] = json.loads(result.summary)
    return frame


def matrix_data(data: Any, x: str | None = None, y: str | None = None, **kwargs: Any) -> Any:
    """The aggregated cells of the matrix plot (one row per (x, y) pair, with the value, size
    and plot size), in a Pyodide kernel. Keywords as :func:`matrix`'s aggregation ones. Rows
    with a null x or y are counted in ``.attrs["skipped_rows"]``."""
    values = {"x": x, "y": y, **kwargs}
    P.MATRIX_DATA.check_names(values)
    hk = engine("matrix_data")
    x = x or kwargs.get("x_col")
    y = y or kwargs.get("y_col")
    table = to_table(data, only=[c for c in (x, y, kwargs.get("value_col")) if c])
    options = P.MATRIX_DATA.to_js(values, table.columns)
    result = call("matrix_data", hk.matrixData, js_table(table), options_json(options), want())
    frame = result_frame(result)
    frame.attrs["skipped_rows"] = int(result.skippedRows)
    return frame
