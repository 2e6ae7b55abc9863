"""Tables in: everything a notebook holds, as the bytes huntkit's wasm reads.

* pandas DataFrames go as Arrow IPC through pyarrow when it is installed, else as rows;
* pyarrow Tables, RecordBatches and readers, polars DataFrames and anything with
  ``__arrow_c_stream__`` go as Arrow IPC;
* lists of dicts (and dicts of lists) go as rows, in JSON, nested dicts as dotted keys
  (``process.parent.pid``); so do JSON lines and JSON arrays (text or bytes);
* Arrow IPC bytes (stream or file format) go as they are.

Arrow keeps every type (timestamps with their unit and zone, nulls, dictionaries for
categoricals, Int64). Rows are JSON: times become ISO 8601 text in UTC (naive times are taken
as UTC), nulls (None, NaN, NaT, pd.NA) become null, NumPy scalars plain numbers, and anything
else its text; huntkit reads ISO text wherever it needs a time.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ._errors import HuntkitError

__all__ = ["Rows", "Table", "rows_to_frame", "to_table"]

_ARROW_FILE_MAGIC = b"ARROW1"
_ARROW_STREAM_CONTINUATION = b"\xff\xff\xff\xff"


@dataclass(frozen=True)
class Table:
    """A table ready to send: ``format`` is ``"arrow"`` (IPC stream or file bytes) or ``"json"``
    (UTF-8 JSON array of row objects); ``columns`` is the column names when known."""

    format: str
    payload: bytes
    columns: list[str] | None
    num_rows: int | None = None


def _module(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.ipc  # noqa: F401
    except ImportError:
        return None
    return pyarrow


def _dictionary_encoded(pa: Any, table: Any) -> Any:
    """``table`` with its repetitive text columns dictionary-encoded. Event logs repeat most of
    their text (host, user, process names): a 100k-row Windows log goes from 43 MB to 10 MB,
    which is what crosses the kernel's websocket. huntkit reads dictionaries as it reads text."""
    import pyarrow.compute as pc

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    if table.num_rows < 64:
        return table
    columns = []
    changed = False
    for column in table.columns:
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            if pc.count_distinct(column).as_py() * 2 < len(column):
                column = column.dictionary_encode()
                changed = True
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=None, names=table.column_names) if changed else table


def _ipc_stream(pa: Any, table: Any) -> bytes:
    table = _dictionary_encoded(pa, table)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table) if isinstance(table, pa.Table) else writer.write_batch(table)
    return sink.getvalue().to_pybytes()


def _select(names: list[str], wanted: Sequence[str] | None) -> list[str] | None:
    """The columns to keep (``wanted`` that exist, in table order), or None for all."""
    if not wanted:
        return None
    keep = [n for n in names if n in set(wanted)]
    return keep if len(keep) < len(names) else None


def to_table(data: Any, only: Sequence[str] | None = None) -> Table:
    """``data`` as a :class:`Table`. ``only`` names the columns a call needs (the rest are not
    sent); names it lists that the table lacks are left for the caller's check to report."""
    if isinstance(data, Table):
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if raw.lstrip()[:1] in (b"{", b"["):
            return _from_rows(json_rows(raw.decode("utf-8")), only)
        return _from_ipc(raw)
    if isinstance(data, str):
        if data.lstrip()[:1] in ("{", "["):
            return _from_rows(json_rows(data), only)
        raise HuntkitError(
            "expected a table, got a str that is not JSON: pass a DataFrame, an Arrow table, a "
            "list of dicts, JSON lines or Arrow IPC bytes (read a file with open(path, 'rb').read())",
            "invalid-table",
        )
    module = _module(data)
    if module == "pandas" and type(data).__name__ == "DataFrame":
        return _from_pandas(data, only)
    if module == "polars" and type(data).__name__ in ("DataFrame", "LazyFrame"):
        return _from_polars(data, only)
    if module == "pyarrow":
        return _from_arrow(data, only)
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        pa = _pyarrow()
        if pa is None:
            raise HuntkitError(
                f"a {type(data).__name__} (Arrow C stream) needs pyarrow to be read; install it, "
                "or pass a list of dicts",
                "invalid-table",
            )
        return _from_arrow(pa.table(data), only)
    if isinstance(data, Mapping):
        return _from_columns(data, only)
    if isinstance(data, Sequence) or hasattr(data, "__iter__"):
        return _from_rows(list(data), only)
    raise HuntkitError(
        f"expected a table (a DataFrame, an Arrow table, a list of dicts or Arrow IPC bytes), got {type(data).__name__}",
        "invalid-table",
    )


def json_rows(text: str) -> list[dict[str, Any]]:
    """JSON lines (an object per line, as SIEM exports are) or one JSON array of objects, as
    rows: nested objects become dotted keys (``process.parent.pid``), and a Splunk export's
    ``{"result": {...}}`` wrapper is taken off (as the wasm reads JSON in the browser)."""
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            items = json.loads(stripped)
        else:
            items = []
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        items.append(json.loads(line))
                    except ValueError as e:
                        raise HuntkitError(f"line {n} is not JSON: {e}", "invalid-table") from None
    except ValueError as e:
        raise HuntkitError(f"the JSON does not parse: {e}", "invalid-table") from None
    rows = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise HuntkitError(f"row {n} is not an object", "invalid-table")
        if "result" in item and isinstance(item["result"], dict) and set(item) <= {"result", "preview", "offset", "lastrow"}:
            item = item["result"]
        rows.append(item)
    return rows


def _flatten(obj: Mapping[str, Any], prefix: str, out: dict[str, Any], depth: int) -> None:
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and depth < 16:
            _flatten(value, name, out, depth + 1)
        else:
            out[name] = value


def _from_ipc(data: bytes) -> Table:
    if not (data.startswith(_ARROW_FILE_MAGIC) or data.startswith(_ARROW_STREAM_CONTINUATION)):
        raise HuntkitError(
            "these bytes are not Arrow IPC (stream or file format): they start with "
            f"{data[:8]!r}",
            "invalid-table",
        )
    columns = None
    rows = None
    pa = _pyarrow()
    if pa is not None:
        try:
            reader = pa.ipc.open_file(data) if data.startswith(_ARROW_FILE_MAGIC) else pa.ipc.open_stream(data)
            columns = list(reader.schema.names)
        except Exception:  # noqa: BLE001 - the wasm reports bad bytes with its own message
            columns = None
    return Table("arrow", data, columns, rows)


def _from_arrow(data: Any, only: Sequence[str] | None) -> Table:
    pa = _pyarrow()
    if isinstance(data, pa.RecordBatchReader):
        data = data.read_all()
    if isinstance(data, pa.ChunkedArray) or isinstance(data, pa.Array):
        raise HuntkitError("expected a table, got a single Arrow array", "invalid-table")
    names = list(data.schema.names)
    keep = _select(names, only)
    if keep is not None:
        data = data.select(keep)
    return Table("arrow", _ipc_stream(pa, data), names, data.num_rows)


def _from_polars(df: Any, only: Sequence[str] | None) -> Table:
    if type(df).__name__ == "LazyFrame":
        df = df.collect()
    names = [str(c) for c in df.columns]
    keep = _select(names, only)
    if keep is not None:
        df = df.select(keep)
    import io

    sink = io.BytesIO()
    df.write_ipc_stream(sink)
    return Table("arrow", sink.getvalue(), names, df.height)


def _from_pandas(df: Any, only: Sequence[str] | None) -> Table:
    names = [str(c) for c in df.columns]
    if len(set(names)) < len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise HuntkitError(f"the DataFrame has duplicate column names: {', '.join(dupes)}", "invalid-table")
    keep = _select(names, only)
    if keep is not None:
        df = df[[c for c in df.columns if str(c) in set(keep)]]
    pa = _pyarrow()
    if pa is None:
        return _from_rows(_pandas_rows(df), None, names)
    df = df.rename(columns=str)
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Object columns of mixed types (numbers and text): send those as text.
        df = df.copy()
        for column in df.columns:
            try:
                pa.array(df[column], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                df[column] = df[column].map(lambda v: None if _is_null(v) else str(v)).astype(object)
        table = pa.Table.from_pandas(df, preserve_index=False)
    return Table("arrow", _ipc_stream(pa, table), names, table.num_rows)


def _pandas_rows(df: Any) -> list[dict[str, Any]]:
    columns = [str(c) for c in df.columns]
    return [dict(zip(columns, values)) for values in df.itertuples(index=False, name=None)]


def _from_columns(data: Mapping[str, Any], only: Sequence[str] | None) -> Table:
    names = [str(k) for k in data]
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        raise HuntkitError(
            "a dict of columns needs lists of one length; got lengths " + ", ".join(map(str, sorted(lengths))),
            "invalid-table",
        )
    n = lengths.pop() if lengths else 0
    values = [list(v) for v in data.values()]
    rows = [{names[c]: values[c][r] for c in range(len(names))} for r in range(n)]
    return _from_rows(rows, only, names)


def _from_rows(rows: list[Any], only: Sequence[str] | None, names: list[str] | None = None) -> Table:
    seen: dict[str, None] = dict.fromkeys(names or [])
    clean = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise HuntkitError(
                f"row {index} is a {type(row).__name__}, not a dict (rows must be dicts such as "
                "{'x': 1, 'y': 'a'})",
                "invalid-table",
            )
        out = {}
        # Nested dicts become dotted keys, as the wasm reads nested objects.
        flat: dict[str, Any] = {}
        _flatten(row, "", flat, 0)
        for key, value in flat.items():
            seen.setdefault(key, None)
            out[key] = _cell(value)
        clean.append(out)
    columns = list(seen)
    keep = _select(columns, only)
    if keep is not None:
        clean = [{k: r[k] for k in keep if k in r} for r in clean]
    payload = json.dumps(clean, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return Table("json", payload, columns, len(clean))


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    name = type(value).__name__
    if name in ("NaTType", "NAType"):
        return True
    if name.startswith("float") and _module(value) == "numpy":
        return math.isnan(float(value))
    if name == "datetime64" and _module(value) == "numpy":
        return str(value) == "NaT"
    return False


def _iso(value: _dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _cell(value: Any) -> Any:
    """One cell as a JSON value."""
    if _is_null(value):
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    module = _module(value)
    if module == "pandas" and type(value).__name__ == "Timestamp":
        text = value.tz_convert("UTC").tz_localize(None).isoformat() if value.tzinfo else value.isoformat()
        return text + "Z"
    if module == "numpy":
        if type(value).__name__ == "datetime64":
            return str(value.astype("datetime64[ns]")) + "Z"
        return _cell(value.item())
    if isinstance(value, _dt.datetime):
        return _iso(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): _cell(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_cell(v) for v in value]
    if hasattr(value, "tolist"):
        return _cell(value.tolist())
    return str(value)


class Rows(list):
    """Result rows (dicts) when pandas is not installed (as in JupyterLite without the CDN): a
    list with the bits of a DataFrame that notebooks use, so the same code runs with or without
    pandas: ``columns``, ``attrs``, ``rows[["a", "b"]]`` (those columns), ``head(n)``,
    ``to_dict("records")``, and an HTML table as a cell's output."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.columns: list[str] = list(columns)
        self.attrs: dict[str, Any] = {}

    def _like(self, rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> "Rows":
        out = Rows(rows, columns)
        out.attrs = dict(self.attrs)
        return out

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, list) and all(isinstance(k, str) for k in key):
            missing = [k for k in key if k not in self.columns]
            if missing:
                raise KeyError(f"{missing} not in the columns: {', '.join(self.columns)}")
            return self._like(({k: row.get(k) for k in key} for row in self), key)
        if isinstance(key, str):
            return [row.get(key) for row in self]
        item = super().__getitem__(key)
        return self._like(item, self.columns) if isinstance(key, slice) else item

    def head(self, n: int = 5) -> "Rows":
        """The first ``n`` rows."""
        return self[:n]

    def to_dict(self, orient: str = "records") -> list[dict[str, Any]]:
        """The rows as a list of dicts (only ``orient="records"``)."""
        if orient != "records":
            raise ValueError('Rows.to_dict supports orient="records" only')
        return [dict(row) for row in self]

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows × {len(self.columns)} columns: {', '.join(self.columns)})"

    def _repr_html_(self, limit: int = 20) -> str:
        from html import escape

        def text(value: Any) -> str:
            return "" if value is None else escape(str(value))

        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{text(row.get(c))}</td>" for c in self.columns) + "</tr>" for row in self[:limit])
        more = f" (first {limit} shown)" if len(self) > limit else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{len(self)} rows × {len(self.columns)} columns{more}</p>"


def rows_to_frame(rows: list[dict[str, Any]], columns: Iterable[str]) -> Any:
    """``rows`` as a pandas DataFrame with ``columns`` in order, or :class:`Rows` when pandas is
    missing."""
    columns = list(columns)
    try:
        import pandas as pd
    except ImportError:
        return Rows(rows, columns)
    return pd.DataFrame.from_records(rows, columns=columns)
