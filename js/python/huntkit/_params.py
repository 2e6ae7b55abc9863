"""MSTICPy's snake_case parameters → huntkit's JS options, checked before anything is sent.

Each public function has a :class:`Spec`: its parameters, the JS option each one becomes, and
which of them name columns (checked against the table's columns here, with the same code and
message as the wasm gives, so the error appears in the cell that caused it).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ._errors import HuntkitError, UnknownParameterError

__all__ = ["Param", "Spec", "missing_column"]

# How a parameter is handled.
VALUE = "value"  # passed to JS as it is
COLUMN = "column"  # a column name: checked, then passed
COLUMNS = "columns"  # a column name or a list of them: checked, then passed as a list
PYTHON = "python"  # handled in Python, never sent


@dataclass(frozen=True)
class Param:
    """One parameter: its JS option name (``js``), kind, and the role the wasm names in errors."""

    js: str | None
    kind: str = VALUE
    role: str | None = None


@dataclass(frozen=True)
class Spec:
    """The parameters of one public function."""

    name: str
    params: Mapping[str, Param]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def check_names(self, given: Iterable[str]) -> None:
        """Raises :class:`UnknownParameterError` ("did you mean …") for a name not in the spec."""
        known = sorted(set(self.params) | set(self.aliases))
        for name in given:
            if name in self.params or name in self.aliases:
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; known parameters: {', '.join(known)}"
            raise UnknownParameterError(f"{self.name}(): unknown parameter `{name}`{hint}")

    def to_js(self, values: Mapping[str, Any], columns: list[str] | None) -> dict[str, Any]:
        """The JS options of ``values`` (``None`` means "not given"); column names are checked
        against ``columns`` when the table's columns are known."""
        self.check_names(values)
        out: dict[str, Any] = {}
        for name, value in values.items():
            name = self.aliases.get(name, name)
            param = self.params[name]
            if value is None or param.kind == PYTHON:
                continue
            if param.kind in (COLUMN, COLUMNS):
                names = [value] if isinstance(value, str) else list(value)
                for column in names:
                    if not isinstance(column, str):
                        raise HuntkitError(
                            f"option `{param.js}`: expected a column name (string), got {type(column).__name__}",
                            "invalid-option",
                        )
                    if columns is not None and column not in columns:
                        raise missing_column(column, param.role or param.js or name, columns)
                value = names if param.kind == COLUMNS else value
            out.setdefault(param.js, value)
        return out


def missing_column(column: str, role: str, columns: list[str]) -> HuntkitError:
    """The wasm's ``missing-column`` error, word for word."""
    if columns:
        return HuntkitError(
            f"column `{column}` ({role}) is not in the table; its columns are: {', '.join(columns)}",
            "missing-column",
        )
    return HuntkitError(f"column `{column}` ({role}) is not in the table, which has no columns", "missing-column")


def _plot(**params: Param) -> dict[str, Param]:
    """The parameters every plot has (besides its own)."""
    common = {
        "title": Param("title"),
        "height": Param("height"),
        "width": Param("width"),
        "hide": Param(None, PYTHON),
    }
    return {**common, **params}


PROCESS_TREE = Spec(
    "process_tree",
    _plot(
        schema=Param("schema"),
        event_filter=Param("eventFilter"),
        bad_times=Param("badTimes"),
        legend_col=Param("legendCol", COLUMN, "legend_col"),
        show_table=Param("showTable"),
        hide_legend=Param("hideLegend"),
        pid_fmt=Param("pidFmt"),
        tooltip_cols=Param("tooltipCols", COLUMNS, "tooltip_cols"),
        row_height=Param("rowHeight"),
        output_var=Param(None, PYTHON),
    ),
)

MATRIX = Spec(
    "matrix",
    _plot(
        x=Param("x", COLUMN, "x"),
        y=Param("y", COLUMN, "y"),
        value_col=Param("valueCol", COLUMN, "valueCol"),
        dist_count=Param("distCount"),
        log_size=Param("logSize"),
        invert=Param("invert"),
        intersect=Param("intersect"),
        sort=Param("sort"),
        sort_x=Param("sortX"),
        sort_y=Param("sortY"),
        color=Param("color"),
        font_size=Param("fontSize"),
        max_label_font_size=Param("maxLabelFontSize"),
        min_radius=Param("minRadius"),
    ),
    aliases={"x_col": "x", "y_col": "y"},
)

MATRIX_DATA = Spec(
    "matrix_data",
    {k: v for k, v in MATRIX.params.items() if k in ("x", "y", "value_col", "dist_count", "log_size", "invert", "intersect", "sort", "sort_x", "sort_y")},
    aliases=MATRIX.aliases,
)

BUILD_PROCESS_TREE = Spec(
    "build_process_tree",
    {"schema": Param("schema"), "event_filter": Param("eventFilter"), "bad_times": Param("badTimes")},
)

EXTRACT_IOCS = Spec(
    "extract_iocs",
    {
        "columns": Param("columns", COLUMNS, "columns"),
        "ioc_types": Param("types"),
        "include_paths": Param("includePaths"),
        "ignore_tlds": Param("ignoreTlds"),
        "defanged": Param("refang"),
        "exclude_private": Param("excludePrivate"),
        "decode": Param("decode"),
        "max_depth": Param("maxDepth"),
        "schemeless_urls": Param("schemelessUrls"),
    },
)


def _timeline(**params: Param) -> dict[str, Param]:
    """The parameters every timeline has (MSTICPy's ``timeline_common``), plus its own."""
    return _plot(
        time_column=Param("timeColumn", COLUMN, "timeColumn"),
        source_columns=Param("sourceColumns", COLUMNS, "sourceColumns"),
        group_by=Param("groupBy", COLUMNS, "groupBy"),
        color=Param("color"),
        legend=Param("legend"),
        yaxis=Param("yaxis"),
        xgrid=Param("xgrid"),
        ygrid=Param("ygrid"),
        range_tool=Param("rangeTool"),
        ref_time=Param("refTime"),
        ref_label=Param("refLabel"),
        alert=Param(None, PYTHON),
        ref_event=Param(None, PYTHON),
        ref_events=Param("refEvents"),
        # Columns of `ref_events`, not of the data: checked by the wasm.
        ref_col=Param("refCol"),
        ref_time_col=Param("refTimeCol"),
        ref_times=Param("refTimes"),
        **params,
    )


TIMELINE = Spec(
    "timeline",
    _timeline(
        size=Param("size"),
        overlay_data=Param("overlayData"),
        overlay_color=Param("overlayColor"),
        # Columns of `overlay_data`: checked by the wasm.
        overlay_columns=Param("overlayColumns"),
    ),
)

TIMELINE_VALUES = Spec(
    "timeline_values",
    _timeline(
        value_column=Param("valueColumn", COLUMN, "valueColumn"),
        kind=Param("kind"),
    ),
    aliases={"value_col": "value_column", "y": "value_column"},
)

TIMELINE_DURATION = Spec(
    "timeline_duration",
    _timeline(
        end_time_column=Param("endTimeColumn", COLUMN, "endTimeColumn"),
        ylabel_cols=Param("ylabelCols", COLUMNS, "ylabelCols"),
    ),
)
