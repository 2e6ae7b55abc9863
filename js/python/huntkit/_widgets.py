"""The plots as Jupyter widgets (anywidget): the table and options go to the browser, where
huntkit's wasm builds and draws the plot; the selection comes back as ``selected``."""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ._static import WIDGET_ESM, wasm_gzip, wasm_hash
from ._tables import Table

__all__ = ["HuntkitWidget", "ProcessTreeWidget", "MatrixWidget", "TimelineWidget", "wasm_sends"]

_sends = 0


def wasm_sends() -> int:
    """How many times this kernel has sent the wasm to a page (once per page load)."""
    return _sends


class HuntkitWidget(anywidget.AnyWidget):
    """A huntkit plot in a notebook. ``selected`` is what was last clicked (``None`` before),
    ``error`` the ``{"code", "message"}`` of a failed draw (``None`` when drawn)."""

    _esm = WIDGET_ESM
    _kind = traitlets.Unicode("").tag(sync=True)
    _table = traitlets.Bytes(b"").tag(sync=True)
    _table_format = traitlets.Unicode("arrow").tag(sync=True)
    _options = traitlets.Dict().tag(sync=True)
    # More tables (an overlay, reference events, named series): {key: {"format", "data"}},
    # referred to from `_options` as {"$table": key}.
    _tables = traitlets.Dict().tag(sync=True)
    _wasm_hash = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Any(None, allow_none=True).tag(sync=True)
    error = traitlets.Any(None, allow_none=True).tag(sync=True)

    def __init__(self, table: Table, options: dict[str, Any], tables: dict[str, Table] | None = None, **kwargs: Any) -> None:
        super().__init__(
            _table=table.payload,
            _table_format=table.format,
            _options=options,
            _tables={k: {"format": t.format, "data": t.payload} for k, t in (tables or {}).items()},
            _wasm_hash=wasm_hash(),
            **kwargs,
        )
        self._shown = False
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        global _sends
        if isinstance(content, dict) and content.get("type") == "huntkit:wasm?":
            if content.get("hash") == wasm_hash():
                _sends += 1
                self.send({"type": "huntkit:wasm", "hash": wasm_hash(), "encoding": "gzip"}, buffers=[wasm_gzip()])

    def update(self, **options: Any) -> "HuntkitWidget":
        """Redraws with new options (huntkit's JS names: ``logSize=True``, ...)."""
        self._options = {**self._options, **options}
        return self

    def show(self) -> None:
        """Displays the plot (again) in the current output."""
        from IPython.display import display

        self._shown = False
        display(self)

    def _ipython_display_(self) -> None:
        # Shown once, when the call that made it ran (as MSTICPy's plots show themselves), and
        # not again when the same widget is the cell's last value; `show()` shows it again.
        if self._shown:
            return
        self._shown = True
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)


class ProcessTreeWidget(HuntkitWidget):
    """``huntkit.process_tree``: ``selected`` is the clicked process's input row (a dict) and
    ``selected_key`` its ``proc_key`` (MSTICPy's text)."""

    _kind = traitlets.Unicode("processTree").tag(sync=True)
    selected_key = traitlets.Unicode(None, allow_none=True).tag(sync=True)


class MatrixWidget(HuntkitWidget):
    """``huntkit.matrix``: ``selected`` is the clicked cell (``x``, ``y``, ``value``, ``size``, ...)."""

    _kind = traitlets.Unicode("matrix").tag(sync=True)


class TimelineWidget(HuntkitWidget):
    """``huntkit.timeline``, ``timeline_values`` and ``timeline_duration``: ``selected`` is the
    Shift+dragged span or the clicked event, ``{"start", "end"`` (ISO 8601, UTC)``, "count",
    "rows", "series": [{"name", "source", "rows"}]}``; ``selected_rows`` those rows of the data."""

    def __init__(self, table: Table, options: dict[str, Any], kind: str, source: Any = None, **kwargs: Any) -> None:
        super().__init__(table, options, _kind=kind, **kwargs)
        self._source = source

    @property
    def selected_rows(self) -> Any:
        """The selected rows of the data (a DataFrame for a DataFrame, a list for a list; ``None``
        with nothing selected, or for MSTICPy's dict input: see ``selected["series"]``)."""
        rows = (self.selected or {}).get("rows")
        data = self._source
        if rows is None or data is None:
            return None
        if hasattr(data, "iloc"):
            return data.iloc[rows]
        if type(data).__module__.split(".")[0] == "polars":
            return data[rows]
        if hasattr(data, "take") and type(data).__module__.split(".")[0] == "pyarrow":
            return data.take(rows)
        if isinstance(data, (list, tuple)):
            return [data[i] for i in rows]
        return None
