"""``df.hunt``: the pandas accessor (registered when huntkit is imported), MSTICPy's
``df.mp_plot`` under another name."""

from __future__ import annotations

from typing import Any

from . import _api, _timeline

__all__ = ["register"]


class HuntAccessor:
    """huntkit on a DataFrame: ``df.hunt.process_tree(...)``, ``df.hunt.matrix(x=..., y=...)``,
    ``df.hunt.timeline(...)``, ``df.hunt.timeline_values(...)``, ``df.hunt.timeline_duration(...)``
    and the compute functions (``df.hunt.build_process_tree()``, ``df.hunt.extract_iocs(columns=...)``,
    ``df.hunt.matrix_data(x=..., y=...)``, which need a Pyodide kernel)."""

    def __init__(self, df: Any) -> None:
        self._df = df

    def process_tree(self, **kwargs: Any) -> Any:
        """:func:`huntkit.process_tree` of this DataFrame."""
        return _api.process_tree(self._df, **kwargs)

    def matrix(self, **kwargs: Any) -> Any:
        """:func:`huntkit.matrix` of this DataFrame."""
        return _api.matrix(self._df, **kwargs)

    def timeline(self, **kwargs: Any) -> Any:
        """:func:`huntkit.timeline` of this DataFrame."""
        return _timeline.timeline(self._df, **kwargs)

    def timeline_values(self, **kwargs: Any) -> Any:
        """:func:`huntkit.timeline_values` of this DataFrame."""
        return _timeline.timeline_values(self._df, **kwargs)

    def timeline_duration(self, **kwargs: Any) -> Any:
        """:func:`huntkit.timeline_duration` of this DataFrame."""
        return _timeline.timeline_duration(self._df, **kwargs)

    def build_process_tree(self, **kwargs: Any) -> Any:
        """:func:`huntkit.build_process_tree` of this DataFrame."""
        return _api.build_process_tree(self._df, **kwargs)

    def extract_iocs(self, **kwargs: Any) -> Any:
        """:func:`huntkit.extract_iocs` of this DataFrame's ``columns``."""
        return _api.extract_iocs(self._df, **kwargs)

    def matrix_data(self, **kwargs: Any) -> Any:
        """:func:`huntkit.matrix_data` of this DataFrame."""
        return _api.matrix_data(self._df, **kwargs)


def register() -> bool:
    """Registers ``df.hunt`` when pandas is installed; returns whether it did."""
    try:
        import pandas as pd
    except ImportError:
        return False
    if "hunt" not in getattr(pd.DataFrame, "_accessors", set()):
        pd.api.extensions.register_dataframe_accessor("hunt")(HuntAccessor)
    return True
