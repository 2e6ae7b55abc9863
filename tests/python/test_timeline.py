"""The timelines from Python: MSTICPy's parameter names → huntkit's options (checked by the
wasm itself through the same resolution the notebook front end does), references from alerts,
extra tables, MSTICPy's dict input, and the selection mapped back to the caller's rows."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import types

import pandas as pd
import pyarrow as pa
import pyarrow.ipc
import pytest

import huntkit

from conftest import TESTS


@pytest.fixture
def procs(arrow_file):
    return pa.ipc.open_file(arrow_file("win_proc_test.arrow")).read_pandas()


@pytest.fixture
def flows(arrow_file):
    return pa.ipc.open_file(arrow_file("az_net_flows.arrow")).read_pandas()


@pytest.fixture
def js(tmp_path):
    """What the wasm makes of a widget's table, extra tables and options."""

    def run(widget):
        def save(name, payload, fmt):
            path = tmp_path / name
            path.write_bytes(payload)
            return {"file": str(path), "format": fmt}

        spec = {
            "kind": widget._kind,
            "table": save("table", widget._table, widget._table_format),
            "tables": {k: save(f"t-{k}", t["data"], t["format"]) for k, t in widget._tables.items()},
            "options": widget._options,
        }
        (tmp_path / "spec.json").write_text(json.dumps(spec))
        args = ["node", str(TESTS / "python" / "timeline_trip.mjs"), str(tmp_path / "spec.json")]
        done = subprocess.run(args, cwd=TESTS, capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)

    return run


def test_events_timeline_maps_msticpy_names(procs, js):
    alert = types.SimpleNamespace(StartTimeUtc=None, TimeGenerated=pd.Timestamp("2019-02-10 12:00:00", tz="UTC"))
    w = huntkit.timeline(
        procs,
        group_by="Account",
        source_columns=["NewProcessName", "CommandLine"],
        alert=alert,
        ref_times=[(dt.datetime(2019, 2, 10, 13, 0), "lunch"), "2019-02-10T14:00:00Z"],
        legend="right",
        range_tool=False,
        hide=True,
    )
    assert isinstance(w, huntkit.TimelineWidget) and w._kind == "timeline"
    assert w._options == {
        "timeColumn": "TimeGenerated",
        "sourceColumns": ["NewProcessName", "CommandLine"],
        "groupBy": ["Account"],
        "refTime": "2019-02-10T12:00:00Z",
        "refLabel": "Alert time",
        "refTimes": [["2019-02-10T13:00:00Z", "lunch"], "2019-02-10T14:00:00Z"],
        "legend": "right",
        "rangeTool": False,
    }
    # Only the columns it reads are sent.
    assert sorted(pa.ipc.open_stream(w._table).schema.names) == ["Account", "CommandLine", "NewProcessName", "TimeGenerated"]
    tl = js(w)["timeline"]
    counts = procs.Account.value_counts().sort_index()
    assert [(s["name"], s["count"]) for s in tl["series"]] == list(counts.items())
    ms = lambda text: pd.Timestamp(text, tz="UTC").value / 1e6
    # Every marker given is drawn (MSTICPy draws only the single time when there is one).
    assert tl["refs"] == [
        {"time": ms("2019-02-10 12:00"), "label": "Alert time"},
        {"time": ms("2019-02-10 13:00"), "label": "lunch"},
        {"time": ms("2019-02-10 14:00"), "label": "reference 1"},
    ]


def test_overlay_and_reference_events_travel_as_tables(procs, flows, js):
    w = huntkit.timeline(
        procs.head(50),
        overlay_data=procs.tail(20),
        overlay_color="#ff8800",
        overlay_columns="CommandLine",
        ref_events=procs.iloc[[3, 7]],
        ref_col="NewProcessName",
        hide=True,
    )
    assert w._options["overlayData"] == {"$table": "overlay"} and w._options["refEvents"] == {"$table": "refEvents"}
    assert sorted(pa.ipc.open_stream(w._tables["overlay"]["data"]).schema.names) == ["CommandLine", "TimeGenerated"]
    tl = js(w)["timeline"]
    assert [(s["name"], s["color"], s["count"], s["source"]) for s in tl["series"]] == [("Primary", "navy", 50, 0), ("Secondary", "#ff8800", 20, 1)]
    assert [r["label"] for r in tl["refs"]] == list(procs.NewProcessName.iloc[[3, 7]])


def test_msticpy_dict_input(procs, flows, js):
    w = huntkit.timeline(
        {
            "processes": {"data": procs, "source_columns": ["CommandLine"]},
            "flows": {"data": flows, "time_column": "FlowStartTime", "color": "red"},
        },
        hide=True,
    )
    assert set(w._tables) == {"series0", "series1"}
    assert w._options["$data"]["flows"] == {"data": {"$table": "series1"}, "timeColumn": "FlowStartTime", "color": "red"}
    tl = js(w)["timeline"]
    assert [(s["name"], s["count"], s["color"]) for s in tl["series"]] == [("processes", 1000, "#440154"), ("flows", 460, "red")]
    assert w.selected_rows is None
    with pytest.raises(huntkit.UnknownParameterError, match="did you mean `time_column`"):
        huntkit.timeline({"a": {"data": procs, "time_colum": "x"}}, hide=True)


def test_values_and_duration(flows, js):
    w = huntkit.timeline_values(flows, y="TotalAllowedFlows", time_column="FlowStartTime", group_by="L7Protocol", kind=["vbar", "line"], hide=True)
    assert w._kind == "timelineValues" and w._options["valueColumn"] == "TotalAllowedFlows" and w._options["kind"] == ["vbar", "line"]
    tl = js(w)["timeline"]
    assert tl["kind"] == "values" and sum(s["count"] for s in tl["series"]) == 460
    with pytest.raises(huntkit.HuntkitError, match="supply `value_column`"):
        huntkit.timeline_values(flows, hide=True)

    w = flows.hunt.timeline_duration(group_by=["L7Protocol", "VMName"], end_time_column="FlowEndTime", ylabel_cols="L7Protocol", hide=True)
    assert w._options == {"groupBy": ["L7Protocol", "VMName"], "timeColumn": "TimeGenerated", "endTimeColumn": "FlowEndTime", "ylabelCols": ["L7Protocol"]}
    spans = js(w)["spans"]
    groups = flows.dropna(subset=["L7Protocol", "VMName"]).groupby(["L7Protocol", "VMName"]).size()
    assert [(s["L7Protocol"], s["VMName"], s["Label"], s["Count"]) for s in spans] == [(p, v, p, n) for (p, v), n in groups.items()]


def test_names_and_columns_are_checked_before_sending(flows):
    with pytest.raises(huntkit.UnknownParameterError, match=r"timeline\(\): unknown parameter `groupby`; did you mean `group_by`\?"):
        huntkit.timeline(flows, groupby="L7Protocol", hide=True)
    with pytest.raises(huntkit.HuntkitError) as err:
        huntkit.timeline_duration(flows, group_by="Protocol", hide=True)
    assert err.value.code == "missing-column"
    assert err.value.message.startswith("column `Protocol` (groupBy) is not in the table; its columns are: index, TenantId,")
    with pytest.raises(huntkit.HuntkitError, match="option `alert`: it has no StartTimeUtc or TimeGenerated time"):
        huntkit.timeline(flows, alert={"StartTimeUtc": None}, hide=True)
    with pytest.raises(huntkit.HuntkitError, match="option `ref_time`: expected a datetime"):
        huntkit.timeline(flows, ref_time=object(), hide=True)


def test_selection_maps_back_to_the_callers_rows(flows):
    w = huntkit.timeline(flows, time_column="FlowStartTime", hide=True)
    assert w.selected is None and w.selected_rows is None
    # What the front end sets after a Shift+drag.
    w.selected = {"start": "2019-02-12T10:00:00.000Z", "end": "2019-02-12T11:00:00.000Z", "count": 2, "rows": [5, 9], "series": [{"name": "unnamed series", "source": 0, "rows": [5, 9]}]}
    assert list(w.selected_rows.index) == [5, 9]
    rows = [{"TimeGenerated": "2024-01-01T00:00:00Z", "n": i} for i in range(4)]
    w = huntkit.timeline(rows, hide=True)
    w.selected = {"rows": [1, 3]}
    assert w.selected_rows == [rows[1], rows[3]]
