"""The three timelines (MSTICPy's ``display_timeline``, ``display_timeline_values`` and
``display_timeline_duration``) as widgets, with MSTICPy's parameter names."""

from __future__ import annotations

from typing import Any, Mapping

from . import _params as P
from ._errors import HuntkitError
from ._tables import Table, _cell, _is_null, to_table
from ._widgets import TimelineWidget

__all__ = ["timeline", "timeline_duration", "timeline_values"]

# MSTICPy's default tooltip columns (used when all three exist).
_DEFAULT_TOOLTIPS = ("NewProcessName", "EventID", "CommandLine")

# The keys of one entry of MSTICPy's dict input, ``{name: {data, time_column, ...}}``.
_SERIES = P.Spec(
    "timeline series",
    {
        "data": P.Param(None, P.PYTHON),
        "time_column": P.Param("timeColumn", P.COLUMN, "timeColumn"),
        "source_columns": P.Param("sourceColumns", P.COLUMNS, "sourceColumns"),
        "color": P.Param("color"),
        "size": P.Param("size"),
    },
)


def _time(value: Any, name: str) -> Any:
    """A time parameter as JSON: ISO text (UTC) for datetimes, numbers (epoch) and text as given."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    cell = _cell(value)
    if isinstance(cell, str) and cell[:4].isdigit():
        return cell
    raise HuntkitError(
        f"option `{name}`: expected a datetime, ISO 8601 text or an epoch number, got {type(value).__name__}",
        "invalid-option",
    )


def _event_time(event: Any, name: str) -> Any:
    """MSTICPy's time of an alert or event: ``StartTimeUtc``, else ``TimeGenerated`` (a
    DataFrame's first row; a dict, a pandas Series or any object with those attributes)."""
    if type(event).__name__ == "DataFrame" and hasattr(event, "iloc"):
        if len(event) == 0:
            raise HuntkitError(f"option `{name}`: the DataFrame is empty", "invalid-option")
        event = event.iloc[0]
    for field in ("StartTimeUtc", "TimeGenerated"):
        if isinstance(event, Mapping) or hasattr(event, "index") and hasattr(event, "get"):
            value = event.get(field)
        else:
            value = getattr(event, field, None)
        if value is not None and not _is_null(value) and value != "":
            return _time(value, name)
    # MSTICPy then drops the marker and `ref_time` with it (its bug 10): say so instead.
    raise HuntkitError(f"option `{name}`: it has no StartTimeUtc or TimeGenerated time", "invalid-option")


def _reference(values: dict[str, Any]) -> None:
    """``alert`` / ``ref_event`` / ``ref_time`` → ``ref_time`` (first given wins, as in MSTICPy),
    with its default label; ``ref_times`` entries' times as JSON."""
    for name, label in (("alert", "Alert time"), ("ref_event", "Event time")):
        event = values.pop(name, None)
        if event is not None:
            values["ref_time"] = _event_time(event, name)
            values.setdefault("ref_label", None)
            values["ref_label"] = values["ref_label"] or label
            break
    else:
        if values.get("ref_time") is not None:
            values["ref_time"] = _time(values["ref_time"], "ref_time")
    ref_times = values.get("ref_times")
    if ref_times is not None:
        out = []
        for entry in ref_times:
            if isinstance(entry, (tuple, list)):
                out.append([_time(entry[0], "ref_times"), *(str(x) for x in entry[1:2] if x is not None)])
            else:
                out.append(_time(entry, "ref_times"))
        values["ref_times"] = out


def _is_named(data: Any) -> bool:
    """MSTICPy's dict input: every value a mapping with ``data``."""
    return (
        isinstance(data, Mapping)
        and len(data) > 0
        and all(isinstance(v, Mapping) and "data" in v for v in data.values())
    )


def _needed(values: Mapping[str, Any], time_column: str) -> list[str]:
    """The columns of the data a timeline reads (the others are not sent)."""
    names: list[str] = [time_column]
    for key in ("group_by", "source_columns", "ylabel_cols"):
        v = values.get(key)
        if v is not None:
            names += [v] if isinstance(v, str) else list(v)
    for key in ("value_column", "value_col", "y", "end_time_column"):
        if isinstance(values.get(key), str):
            names.append(values[key])
    if isinstance(values.get("size"), str):
        names.append(values["size"])
    if not values.get("source_columns"):
        names += _DEFAULT_TOOLTIPS
    return names


def _make(kind: str, spec: P.Spec, data: Any, values: dict[str, Any]) -> TimelineWidget:
    spec.check_names(values)
    hide = values.get("hide")
    _reference(values)
    time_column = values.get("time_column") or "TimeGenerated"
    tables: dict[str, Table] = {}
    if kind == "timeline" and _is_named(data):
        table = to_table([])
        named: dict[str, Any] = {}
        for i, (name, entry) in enumerate(data.items()):
            entry = dict(entry)
            own_time = entry.get("time_column") or time_column
            part = to_table(entry["data"], only=_needed({**entry, "size": entry.get("size")}, own_time))
            tables[f"series{i}"] = part
            js = _SERIES.to_js(entry, part.columns)
            named[str(name)] = {"data": {"$table": f"series{i}"}, **js}
        options = spec.to_js(values, None)
        options["$data"] = named
    else:
        table = to_table(data, only=_needed(values, time_column))
        overlay_columns = values.get("overlay_columns") or []
        wanted = {
            "overlay": [time_column, *([overlay_columns] if isinstance(overlay_columns, str) else overlay_columns)],
            "refEvents": [values.get("ref_col"), values.get("ref_time_col") or time_column],
        }
        for name, key in (("overlay_data", "overlay"), ("ref_events", "refEvents")):
            extra = values.get(name)
            if extra is not None:
                tables[key] = to_table(extra, only=[c for c in wanted[key] if isinstance(c, str)])
                values[name] = {"$table": key}
        options = spec.to_js(values, table.columns)
    widget = TimelineWidget(table, options, kind=kind, tables=tables, source=None if _is_named(data) else data)
    if not hide:
        from IPython.display import display

        display(widget)
    return widget


def timeline(data: Any, time_column: str = "TimeGenerated", source_columns: Any = None, **kwargs: Any) -> TimelineWidget:
    """Draws events on a time axis (MSTICPy's ``display_timeline`` / ``df.mp_plot.timeline``).

    ``data``: a DataFrame (pandas, polars), an Arrow table or a list of dicts; or MSTICPy's dict
    ``{name: {"data": df, "time_column"?, "source_columns"?, "color"?, "size"?}}``, a series
    each. Keywords, as MSTICPy's: ``group_by`` (a series per value), ``title``, ``color``,
    ``size`` (px, or a column: it works here), ``legend`` (``"left"``, ``"right"``,
    ``"inline"``, ``"none"``), ``yaxis``, ``xgrid``, ``ygrid``, ``range_tool``, ``height``,
    ``width``, ``alert`` / ``ref_event`` / ``ref_time`` + ``ref_label``, ``ref_events`` +
    ``ref_col`` + ``ref_time_col``, ``ref_times`` (``[(time, label)]``), ``overlay_data`` +
    ``overlay_color`` + ``overlay_columns``, ``hide``.

    Shift+drag selects a span: ``.selected`` gets ``{start, end, count, rows, series}`` and
    ``.selected_rows`` the selected rows of ``data``.
    """
    values = {"time_column": time_column, "source_columns": source_columns, **kwargs}
    return _make("timeline", P.TIMELINE, data, values)


def timeline_values(
    data: Any,
    value_column: str | None = None,
    time_column: str = "TimeGenerated",
    source_columns: Any = None,
    **kwargs: Any,
) -> TimelineWidget:
    """Draws a value per event on a time axis (MSTICPy's ``display_timeline_values``):
    ``value_column`` (or ``y`` / ``value_col``), ``kind`` (``"vbar"``, ``"circle"``,
    ``"line"`` or a list), ``group_by`` and :func:`timeline`'s other keywords (``alert`` and
    ``ref_label`` work here)."""
    values = {"value_column": value_column, "time_column": time_column, "source_columns": source_columns, **kwargs}
    if values.get("value_column") is None and values.get("value_col") is None and values.get("y") is None:
        raise HuntkitError("option `valueColumn`: supply `value_column` (or `value_col` or `y`)", "invalid-option")
    return _make("timelineValues", P.TIMELINE_VALUES, data, values)


def timeline_duration(
    data: Any,
    group_by: Any,
    time_column: str = "TimeGenerated",
    end_time_column: str | None = None,
    **kwargs: Any,
) -> TimelineWidget:
    """Draws a span per group, from its first event to its last end (MSTICPy's
    ``display_timeline_duration``): ``group_by`` (one or more columns), ``end_time_column``
    (default ``time_column``), ``ylabel_cols`` (the columns that label a span), and
    :func:`timeline`'s other keywords."""
    values = {"group_by": group_by, "time_column": time_column, "end_time_column": end_time_column, **kwargs}
    return _make("timelineDuration", P.TIMELINE_DURATION, data, values)
