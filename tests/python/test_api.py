"""The Python API: MSTICPy's parameter names mapped to huntkit's options, unknown ones refused
with "did you mean", column errors word for word as the wasm gives them, the widgets' state and
messages, and the compute functions' honest refusal outside Pyodide."""

from __future__ import annotations

import json
import types

import pandas as pd
import pyarrow as pa
import pyarrow.ipc
import pytest

import huntkit
from huntkit import _api, _engine, _params, _widgets
from huntkit._tables import Rows, to_table


@pytest.fixture
def flows(arrow_file):
    return pa.ipc.open_file(arrow_file("az_net_flows.arrow")).read_pandas()


def test_matrix_maps_msticpy_names(flows):
    w = huntkit.matrix(flows, x_col="L7Protocol", y_col="AllExtIPs", value_col="TotalAllowedFlows", log_size=True, sort="asc", sort_x=False, max_label_font_size=9, hide=True)
    assert isinstance(w, huntkit.MatrixWidget)
    assert w._options == {
        "x": "L7Protocol",
        "y": "AllExtIPs",
        "valueCol": "TotalAllowedFlows",
        "logSize": True,
        "invert": False,
        "intersect": False,
        "sort": "asc",
        "sortX": False,
        "maxLabelFontSize": 9,
    }
    # Only the three columns it reads are sent.
    assert pa.ipc.open_stream(w._table).schema.names == ["L7Protocol", "AllExtIPs", "TotalAllowedFlows"]
    assert w._table_format == "arrow" and w._kind == "matrix" and len(w._wasm_hash) == 16


def test_process_tree_maps_msticpy_names(arrow_file):
    w = huntkit.process_tree(arrow_file("win_proc_test.arrow"), schema="windows", legend_col="SubjectUserName", show_table=True, hide_legend=True, pid_fmt="dec", height=500, hide=True)
    assert w._options == {"schema": "windows", "legendCol": "SubjectUserName", "showTable": True, "hideLegend": True, "pidFmt": "dec", "height": 500}
    assert w._kind == "processTree" and w.selected is None and w.selected_key is None
    w = huntkit.process_tree(arrow_file("win_proc_test.arrow"), event_filter=False, bad_times="flag", hide=True)
    assert w._options == {"eventFilter": False, "badTimes": "flag", "showTable": False}


def test_schema_objects_become_mappings():
    import dataclasses

    @dataclasses.dataclass
    class ProcSchema:  # MSTICPy's shape
        process_name: str
        process_id: str
        parent_id: str
        time_stamp: str
        cmd_line: str | None = None

    s = _api._schema(ProcSchema("exe", "pid", "ppid", "ts"))
    assert s == {"process_name": "exe", "process_id": "pid", "parent_id": "ppid", "time_stamp": "ts"}


def test_accessor_is_registered(flows):
    assert hasattr(pd.DataFrame, "hunt")
    w = flows.hunt.matrix(x="L7Protocol", y="AllExtIPs", hide=True)
    assert isinstance(w, huntkit.MatrixWidget)
    assert isinstance(flows.hunt.process_tree(hide=True), huntkit.ProcessTreeWidget)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: huntkit.process_tree(d, legnd_col="x"), "process_tree(): unknown parameter `legnd_col`; did you mean `legend_col`?"),
        (lambda d: huntkit.matrix(d, x="a", y="b", valu_col="c"), "matrix(): unknown parameter `valu_col`; did you mean `value_col`?"),
        (lambda d: huntkit.matrix(d, x="a", y="b", frobnicate=1), "matrix(): unknown parameter `frobnicate`; known parameters: color, dist_count"),
        (lambda d: d.hunt.process_tree(shw_table=True), "did you mean `show_table`?"),
    ],
)
def test_unknown_parameters_say_what_was_meant(flows, call, message):
    with pytest.raises(huntkit.UnknownParameterError) as err:
        call(flows)
    assert isinstance(err.value, TypeError) and err.value.code == "invalid-option"
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("options", "role", "column"),
    [
        ({"x": "L7Protocol", "y": "AllExtIP"}, "y", "AllExtIP"),
        ({"x": "Nope", "y": "AllExtIPs"}, "x", "Nope"),
        ({"x": "L7Protocol", "y": "AllExtIPs", "valueCol": "Bytez"}, "valueCol", "Bytez"),
    ],
)
def test_column_errors_are_the_wasms_word_for_word(flows, trip, options, role, column):
    """The Python check raises before anything is sent, with the code and message the wasm
    gives for the same table (asked of the wasm here)."""
    py = {"x": options["x"], "y": options["y"], "value_col": options.get("valueCol"), "hide": True}
    with pytest.raises(huntkit.HuntkitError) as err:
        huntkit.matrix(flows, **py)
    wasm = trip(to_table(flows), options)["error"]
    assert (err.value.code, err.value.message) == (wasm["code"], wasm["message"])
    assert err.value.message.startswith(f"column `{column}` ({role}) is not in the table; its columns are: index, TenantId,")


def test_tree_column_errors_are_the_wasms(arrow_file):
    with pytest.raises(huntkit.HuntkitError) as err:
        huntkit.process_tree(arrow_file("win_proc_test.arrow"), legend_col="User", hide=True)
    assert err.value.message.startswith("column `User` (legend_col) is not in the table; its columns are: index, TenantId, Account")


def test_compute_functions_say_where_they_run(flows):
    for call in (
        lambda: huntkit.extract_iocs("evil[.]com"),
        lambda: huntkit.refang("evil[.]com"),
        lambda: huntkit.build_process_tree(flows),
        lambda: huntkit.matrix_data(flows, x="L7Protocol", y="AllExtIPs"),
        lambda: huntkit.AzureClient(token="x"),
        lambda: flows.hunt.extract_iocs(columns=["VMName"]),
    ):
        with pytest.raises(huntkit.HuntkitError) as err:
            call()
        assert err.value.code == "needs-pyodide"
        assert "inside a Pyodide kernel (JupyterLite)" in err.value.message
        assert "This kernel is CPython" in err.value.message


def test_signin_refuses_a_server_kernel():
    with pytest.raises(huntkit.HuntkitError) as err:
        huntkit.SignIn(cloud="global", tenant_id="t", client_id="c")
    assert err.value.code == "needs-pyodide"
    assert "the tokens would leave the browser" in err.value.message


def test_the_wasm_is_sent_on_request_once_per_request(flows, monkeypatch):
    w = huntkit.matrix(flows, x="L7Protocol", y="AllExtIPs", hide=True)
    sent = []
    monkeypatch.setattr(w, "send", lambda content, buffers=None: sent.append((content, buffers)))
    before = _widgets.wasm_sends()
    w._on_message(w, {"type": "huntkit:wasm?", "hash": "someone else's"}, [])
    w._on_message(w, {"type": "other"}, [])
    assert sent == []
    w._on_message(w, {"type": "huntkit:wasm?", "hash": w._wasm_hash}, [])
    assert len(sent) == 1 and sent[0][0] == {"type": "huntkit:wasm", "hash": w._wasm_hash, "encoding": "gzip"}
    import gzip

    wasm = gzip.decompress(sent[0][1][0])
    assert wasm[:4] == b"\0asm" and len(sent[0][1][0]) < len(wasm) / 3
    assert _widgets.wasm_sends() == before + 1


def test_a_plot_shows_once(flows, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    w = huntkit.matrix(flows, x="L7Protocol", y="AllExtIPs", hide=True)
    w._ipython_display_()
    w._ipython_display_()  # the cell's last value: not again
    assert len(shown) == 1
    assert shown[0][0][0]["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    w.show()


def test_results_become_frames_with_times():
    result = types.SimpleNamespace(
        arrow=None,
        columns=[types.SimpleNamespace(name="when", type='Timestamp(ns, "UTC")'), types.SimpleNamespace(name="n", type="Int64")],
        rows=json.dumps([{"when": "2024-01-01T00:00:00.250Z", "n": 3}, {"when": None, "n": None}]),
    )
    frame = _engine.result_frame(result)
    assert list(frame.columns) == ["when", "n"]
    assert str(frame["when"][0]) == "2024-01-01 00:00:00.250000+00:00"


def test_rows_without_pandas(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    rows = _api.rows_to_frame([{"a": 1}], ["a"])
    assert isinstance(rows, Rows) and rows == [{"a": 1}] and rows.columns == ["a"] and rows.attrs == {}


def test_offsets_count_python_characters():
    text = "🙂 see evil.com and 🙂🙂 1.2.3.4"
    # What the wasm reports: UTF-16 offsets (JS string indexes).
    utf16 = text.encode("utf-16-le")
    rows = []
    for value in ("evil.com", "1.2.3.4"):
        start = utf16.find(value.encode("utf-16-le")) // 2
        rows.append({"Start": start, "End": start + len(value)})
    _api._python_offsets(rows, lambda _r: text)
    assert [text[r["Start"] : r["End"]] for r in rows] == ["evil.com", "1.2.3.4"]


def test_spec_tables_name_their_js_options():
    for spec in (_params.PROCESS_TREE, _params.MATRIX, _params.EXTRACT_IOCS):
        for name, param in spec.params.items():
            assert param.kind == _params.PYTHON or param.js, name


def test_json_lines_and_nested_objects_are_tables():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "fixtures/real_logs/ecs_endpoint.ndjson").read_text()
    w = huntkit.process_tree(text, hide=True)
    assert w._table_format == "json"
    rows = json.loads(w._table)
    assert len(rows) == 6 and rows[2]["process.parent.entity_id"] == "e1" and rows[0]["host.name"] == "web1"
    splunk = "\n".join(json.dumps({"preview": False, "result": json.loads(line)}) for line in text.splitlines())
    assert json.loads(huntkit.process_tree(splunk.encode(), hide=True)._table) == rows
    with pytest.raises(huntkit.HuntkitError, match="line 2 is not JSON"):
        huntkit.process_tree('{"a": 1}\n{oops', hide=True)
