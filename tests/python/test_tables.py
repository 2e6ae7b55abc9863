"""Every kind of table a notebook holds reaches huntkit's wasm with its types and values:
timestamps, nulls, categoricals and Int64 survive the trip, through Arrow and through rows."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.ipc
import pytest

import huntkit
from huntkit import _tables
from huntkit._tables import to_table

T0 = "2024-03-01T10:00:00.123456Z"


def frame() -> pd.DataFrame:
    """A DataFrame with the types that go wrong: naive and zoned times with a NaT, a float
    column with NaN, a nullable Int64 with <NA>, a categorical, text with None, booleans."""
    return pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-03-01 10:00:00.123456", None, "2024-03-02 00:00:00"], format="ISO8601"),
            "zoned": pd.to_datetime(["2024-03-01T12:00:00+02:00", "2024-03-01T12:00:00+02:00", None], utc=True).tz_convert("Europe/Berlin"),
            "bytes": [1.5, np.nan, 3.0],
            "pid": pd.array([4242, None, 2**40], dtype="Int64"),
            "proto": pd.Categorical(["http", "dns", "http"]),
            "host": ["a", None, "c"],
            "ok": [True, False, True],
        }
    )


def types(seen):
    return {c["name"]: c["type"] for c in seen["columns"]}


def test_pandas_through_arrow_keeps_every_type(trip):
    table = to_table(frame())
    assert table.format == "arrow"
    assert table.columns == ["when", "zoned", "bytes", "pid", "proto", "host", "ok"]
    seen = trip(table)
    # pandas 3's text columns are Arrow large strings; categoricals dictionaries of them.
    assert types(seen) == {
        "when": "Timestamp(µs)",
        "zoned": 'Timestamp(µs, "Europe/Berlin")',
        "bytes": "Float64",
        "pid": "Int64",
        "proto": "Dictionary(Int8, LargeUtf8)",
        "host": "LargeUtf8",
        "ok": "Boolean",
    }
    rows = seen["rows"]
    assert [r["when"] for r in rows] == ["2024-03-01T10:00:00.123Z", None, "2024-03-02T00:00:00.000Z"]
    assert [r["zoned"] for r in rows] == ["2024-03-01T10:00:00.000Z", "2024-03-01T10:00:00.000Z", None]
    assert [r["bytes"] for r in rows] == [1.5, None, 3.0]
    assert [r["pid"] for r in rows] == ["4242n", None, f"{2**40}n"]
    assert [r["proto"] for r in rows] == ["http", "dns", "http"]
    assert [r["host"] for r in rows] == ["a", None, "c"]
    assert [r["ok"] for r in rows] == [True, False, True]


def test_pandas_without_pyarrow_goes_as_rows(trip, monkeypatch):
    monkeypatch.setattr(_tables, "_pyarrow", lambda: None)
    table = to_table(frame())
    assert table.format == "json"
    seen = trip(table)
    rows = seen["rows"]
    # Times as ISO text in UTC (naive taken as UTC), nulls as null, Int64 as numbers.
    assert [r["when"] for r in rows] == ["2024-03-01T10:00:00.123456Z", None, "2024-03-02T00:00:00Z"]
    assert [r["zoned"] for r in rows] == ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", None]
    assert [r["bytes"] for r in rows] == [1.5, None, 3.0]
    assert [r["pid"] for r in rows] == [4242, None, 2**40]
    assert [r["proto"] for r in rows] == ["http", "dns", "http"]
    assert [r["host"] for r in rows] == ["a", None, "c"]
    assert [r["ok"] for r in rows] == [True, False, True]
    assert types(seen)["host"] == "Utf8" and types(seen)["ok"] == "Boolean"


def test_mixed_object_columns_are_sent_as_text(trip):
    df = pd.DataFrame({"mixed": [1, "two", None, 3.5]})
    seen = trip(to_table(df))
    assert types(seen) == {"mixed": "Utf8"}
    assert [r["mixed"] for r in seen["rows"]] == ["1", "two", None, "3.5"]


def test_pyarrow_table_batch_and_reader(trip):
    t = pa.table({"x": ["a", "b"], "n": pa.array([1, None], pa.int64()), "t": pa.array([0, 1_000_000], pa.timestamp("us", "UTC"))})
    for value in (t, t.to_batches()[0], pa.RecordBatchReader.from_batches(t.schema, t.to_batches())):
        seen = trip(to_table(value))
        assert types(seen) == {"x": "Utf8", "n": "Int64", "t": 'Timestamp(µs, "UTC")'}
        assert seen["rows"] == [
            {"x": "a", "n": "1n", "t": "1970-01-01T00:00:00.000Z"},
            {"x": "b", "n": None, "t": "1970-01-01T00:00:01.000Z"},
        ]


def test_polars_keeps_types(trip):
    df = pl.DataFrame(
        {
            "x": ["a", None],
            "n": pl.Series([1, None], dtype=pl.Int64),
            "c": pl.Series(["u", "v"], dtype=pl.Categorical),
            "t": [dt.datetime(2024, 1, 1, 12), None],
        }
    )
    seen = trip(to_table(df))
    assert seen["rows"] == [
        {"x": "a", "n": "1n", "c": "u", "t": "2024-01-01T12:00:00.000Z"},
        {"x": None, "n": None, "c": "v", "t": None},
    ]
    assert types(seen)["n"] == "Int64"


def test_arrow_c_stream_objects(trip):
    class Stream:
        """Anything with __arrow_c_stream__ (here a wrapper, as DuckDB relations are)."""

        def __init__(self, table):
            self._t = table

        def __arrow_c_stream__(self, requested_schema=None):
            return self._t.__arrow_c_stream__(requested_schema)

    seen = trip(to_table(Stream(pa.table({"a": [1, 2]}))))
    assert seen["rows"] == [{"a": "1n"}, {"a": "2n"}]


def test_list_of_dicts_and_dict_of_columns(trip):
    rows = [
        {"host": "h1", "pid": np.int64(4), "when": dt.datetime(2024, 5, 1, 8, 30), "extra": {"k": [1, 2]}},
        {"host": "h2", "pid": None, "when": dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))), "late": True},
    ]
    seen = trip(to_table(rows))
    # A nested dict becomes dotted columns (as the wasm reads nested objects); a list is JSON.
    assert [c["name"] for c in seen["columns"]] == ["host", "pid", "when", "extra.k", "late"]
    assert seen["rows"] == [
        {"host": "h1", "pid": 4, "when": "2024-05-01T08:30:00Z", "extra.k": "[1,2]", "late": None},
        {"host": "h2", "pid": None, "when": "2024-05-01T08:00:00Z", "extra.k": None, "late": True},
    ]
    columns = to_table({"a": [1, 2], "b": ["x", None]})
    assert trip(columns)["rows"] == [{"a": 1, "b": "x"}, {"a": 2, "b": None}]


def test_ipc_bytes_pass_through(trip, arrow_file):
    data = arrow_file("az_net_flows.arrow")
    table = to_table(data)
    assert table.payload is data or table.payload == data
    assert table.columns[:3] == ["index", "TenantId", "TimeGenerated"]
    stream = io.BytesIO()
    with pa.ipc.new_stream(stream, pa.schema([("a", pa.int32())])) as w:
        w.write_table(pa.table({"a": pa.array([7], pa.int32())}))
    assert trip(to_table(stream.getvalue()))["rows"] == [{"a": 7}]


def test_only_the_needed_columns_are_sent():
    df = pd.DataFrame({"a": ["x"], "b": ["y"], "big": ["z" * 1000]})
    table = to_table(df, only=["a", "b"])
    names = pa.ipc.open_stream(table.payload).schema.names
    assert names == ["a", "b"]
    assert table.columns == ["a", "b", "big"]  # all names, for error messages
    rows = to_table([{"a": 1, "big": 2}], only=["a"])
    assert rows.payload == b'[{"a":1}]'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("text", "expected a table, got a str"),
        (b"not arrow at all", "these bytes are not Arrow IPC"),
        ([{"a": 1}, ["b"]], "row 1 is a list, not a dict"),
        ({"a": [1, 2], "b": [1]}, "a dict of columns needs lists of one length; got lengths 1, 2"),
        (42, "expected a table (a DataFrame, an Arrow table, a list of dicts or Arrow IPC bytes), got int"),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), "the DataFrame has duplicate column names: a"),
    ],
)
def test_bad_tables_name_the_problem(value, message):
    with pytest.raises(huntkit.HuntkitError) as err:
        to_table(value)
    assert err.value.code == "invalid-table"
    assert message in err.value.message


def test_rows_fallback_values():
    cell = _tables._cell
    assert cell(float("nan")) is None and cell(pd.NA) is None and cell(pd.NaT) is None
    assert cell(np.float32(1.5)) == 1.5 and cell(np.bool_(True)) is True
    assert cell(pd.Timestamp("2024-01-01T00:00:00.5", tz="UTC")) == "2024-01-01T00:00:00.500000Z"
    assert cell(np.datetime64("2024-01-01T00:00:00")) == "2024-01-01T00:00:00.000000000Z"
    assert cell(dt.date(2024, 1, 2)) == "2024-01-02"
    assert cell(b"\x01\xff") == "01ff"
    assert cell({1: {2, 3}}) in ({"1": [2, 3]}, {"1": [3, 2]})
