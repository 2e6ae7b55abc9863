"""Cuts MSTICPy 3.0.2's timeline goldens (../shared/testdata/msticpy/golden/timeline/, computed by
MSTICPy itself with Bokeh 3.9.2) down to what huntkit's golden test compares: per case, the
inputs and parameters, the main figure's title, size, ranges and legend, the series (name,
colour, y index, input rows by index label, times), the reference markers, the duration spans,
and the range selector's range and height.

usage: python3 extract.py SHARED_GOLDEN_DIR OUT_DIR
"""

import json
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
index = json.loads((src / "index.json").read_text())


def value(prop):
    if isinstance(prop, dict):
        return prop.get("value", {"field": prop.get("field")})
    return prop


for case in index["cases"]:
    g = json.loads((src / case["file"]).read_text())
    main = next(f for f in g["figures"] if f["role"] == "main")
    selector = next((f for f in g["figures"] if f["role"] == "range_selector"), None)
    sources = g["sources"]

    def data(name):
        s = sources[name]
        while "identical_to" in s:
            s = sources[s["identical_to"]]
        return s

    series = []
    refs_lines = []
    for r in main["renderers"]:
        p = r["props"]
        s = data(r["source"])
        d = s.get("data", {})
        if r["glyph"] == "Line" and set(d) == {"x", "y"}:
            refs_lines.append({"x_ms": d["x"][0], "y": d["y"]})
            continue
        if r["glyph"] == "Rect":
            continue
        x_field = p["x"]["field"]
        entry = {
            "glyph": r["glyph"],
            "source": r["source"],
            "color": value(p.get("fill_color", p.get("line_color"))),
            "size": value(p.get("size")) if "size" in p else None,
            "index": d.get("index"),
            "times_ms": d.get(x_field),
            "y_index": d.get("y_index", [s.get("constant_columns", {}).get("y_index")] if "y_index" in s.get("constant_columns", {}) else None),
            "value_field": p.get("top", p.get("y", {})).get("field") if r["glyph"] in ("VBar", "Circle", "Line") else None,
            "colors": d.get("color"),
            "rows": s["n_rows"],
        }
        series.append(entry)
    legends = [{"panel": l.get("panel"), "location": l.get("location"), "labels": [i["label"] for i in l["items"]]} for l in main["legends"]]
    y_axes = [{"type": a["type"], "label": a.get("label"), "visible": a.get("visible"), "overrides": a.get("major_label_overrides")} for a in main["y_axes"]]
    duration = None
    if case["function"] == "display_timeline_duration":
        s0 = data(main["renderers"][0]["source"])["data"]
        group_cols = [c for c in s0 if c not in ("index", "Row", "start_time", "end_time", "Width", "Center")]
        duration = {"group_columns": group_cols, "groups": [
            {"row": s0["Row"][i], "keys": [s0[c][i] for c in group_cols], "start_ms": s0["start_time"][i], "end_ms": s0["end_time"][i]}
            for i in range(len(s0["Row"]))
        ], "factors": main["y_range"].get("factors")}
    expected = {
        "case": case["case"],
        "function": case["function"],
        "input": case["input"],
        "params": case["params"],
        "stdout": g.get("stdout"),
        "layout": g.get("layout"),
        "title": main.get("title"),
        "width": main["width"],
        "height": main["height"],
        "x_range_ms": [main["x_range"].get("start_ms"), main["x_range"].get("end_ms")],
        "y_range": [main["y_range"].get("start"), main["y_range"].get("end")] if main["y_range"]["type"] == "Range1d" else main["y_range"]["type"],
        "y_axes": y_axes,
        "legends": legends,
        "series": series,
        "labels": [{"x_ms": l["x_ms"], "text": l["text"], "y_offset": l["y_offset"]} for l in main["labels"]],
        "ref_lines": refs_lines,
        "duration": duration,
        "selector": None if selector is None else {"height": selector["height"], "x_range_ms": [selector["x_range"]["start_ms"], selector["x_range"]["end_ms"]]},
    }
    (out / f"{case['case']}.json").write_text(json.dumps(expected, separators=(",", ":")) + "\n")
print(f"{len(index['cases'])} cases")
