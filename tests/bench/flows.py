"""Benchmark data and the pandas baseline for the matrix benchmark.

  python flows.py gen N PATH      write N synthetic flow rows (net_synth_5000's recipe, seed
                                  20240601) as an Arrow IPC stream: SourceIP, DestinationIP,
                                  Protocol (plain Utf8 strings), Bytes (float64)
  python flows.py pandas PATH...  time MSTICPy's aggregation (one pandas groupby, as in
                                  msticpy.vis.matrix_plot._prep_data) on each file; prints JSON
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

VARIANTS = ["count", "value_col", "dist_count", "value_col+log_size+invert"]


def gen(n, path):
    rng = np.random.default_rng(20240601)
    src = [f"10.0.{i}.{(i * 7 + 1) % 255}" for i in range(40)]
    dst = [f"{(i * 37 + 23) % 223 + 1}.{(i * 53) % 256}.{(i * 11) % 256}.{(i * 31 + 1) % 255}" for i in range(60)]
    ws = 1 / np.arange(1, 41) ** 0.8
    wd = 1 / np.arange(1, 61) ** 1.1
    protos = np.array(["tcp", "udp", "https", "http", "dns", "smb"], dtype=object)
    table = pa.table(
        {
            "SourceIP": pa.array(np.array(src, dtype=object)[rng.choice(40, n, p=ws / ws.sum())], pa.string()),
            "DestinationIP": pa.array(np.array(dst, dtype=object)[rng.choice(60, n, p=wd / wd.sum())], pa.string()),
            "Protocol": pa.array(protos[rng.choice(6, n, p=[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])], pa.string()),
            "Bytes": pa.array(np.round(rng.lognormal(7, 2, n)) + 40, pa.float64()),
        }
    )
    with ipc.new_stream(path, table.schema) as w:
        w.write_table(table, max_chunksize=1 << 20)


def prep(df, x, y, value_col=None, dist_count=False, log_size=False, invert=False):
    """MSTICPy 3.0.2 `_prep_data`, with the count as the group size (its intent)."""
    if value_col is None:
        out = df.groupby([x, y]).size().reset_index(name="row_count")
        val = "row_count"
    elif dist_count:
        out = df.groupby([x, y])[value_col].nunique().reset_index()
        val = value_col
    else:
        out = df.groupby([x, y])[value_col].sum().reset_index()
        val = value_col
    size = out[val].astype(float)
    if invert:
        size = size.max() / size
    if log_size:
        size = np.log(size)
    out["size"] = size
    out["plt_size"] = size * 10 / size.max()
    return out


def time_pandas(paths):
    params = {
        "count": {},
        "value_col": {"value_col": "Bytes"},
        "dist_count": {"value_col": "Protocol", "dist_count": True},
        "value_col+log_size+invert": {"value_col": "Bytes", "log_size": True, "invert": True},
    }
    result = {}
    for path in paths:
        t = time.perf_counter()
        df = ipc.open_stream(path).read_all().to_pandas()
        to_pandas = time.perf_counter() - t
        for v in VARIANTS:
            # The first call apart; then the median of 5.
            runs = []
            for _ in range(6):
                t = time.perf_counter()
                out = prep(df, "SourceIP", "DestinationIP", **params[v])
                runs.append(time.perf_counter() - t)
            steady = sorted(runs[1:])[2]
            result[f"{len(df)}/{v}"] = {
                "first": runs[0],
                "seconds": steady,
                "from_ipc": steady + to_pandas,
                "cells": len(out),
            }
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    else:
        time_pandas(sys.argv[2:])
