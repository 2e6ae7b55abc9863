"""Benchmark data and the MSTICPy baseline for the timeline benchmark.

  python timelines.py gen N PATH        write N process events on 10 hosts over a week (seed
                                        20241201) as an Arrow IPC stream: TimeGenerated
                                        (timestamp ns UTC), Host (10 values), Account (50),
                                        EventID (int32)
  python timelines.py msticpy PATH HTML time MSTICPy 3.0.2's display_timeline (a series per host)
                                        on the file and Bokeh's HTML export of the figure (JS
                                        inline, as a saved notebook output has it); writes HTML,
                                        prints JSON seconds
"""
import json
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

HOSTS = 10
START_NS = 1_733_011_200_000_000_000  # 2024-12-01T00:00:00Z
WEEK_NS = 7 * 86_400 * 1_000_000_000


def gen(n, path):
    rng = np.random.default_rng(20241201)
    # Most hosts busy in working hours; host 3 has a burst (an incident) on day 4.
    times = START_NS + rng.integers(0, WEEK_NS, n, dtype=np.int64)
    burst = rng.random(n) < 0.05
    times[burst] = START_NS + 4 * 86_400 * 10**9 + rng.integers(0, 3_600 * 10**9, burst.sum(), dtype=np.int64)
    host = rng.integers(0, HOSTS, n, dtype=np.int32)
    host[burst] = 3
    names = pa.array([f"host{i:02d}" for i in range(HOSTS)], pa.string())
    accounts = pa.array([f"user{i:02d}" for i in range(50)], pa.string())
    table = pa.table(
        {
            "TimeGenerated": pa.array(times, pa.timestamp("ns", tz="UTC")),
            "Host": pa.DictionaryArray.from_arrays(pa.array(host, pa.int32()), names),
            "Account": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 50, n, dtype=np.int32)), accounts),
            "EventID": pa.array(rng.choice(np.array([4688, 4624, 4625, 4672], dtype=np.int32), n), pa.int32()),
        }
    )
    with ipc.new_stream(path, table.schema) as w:
        w.write_table(table, max_chunksize=1 << 20)


def msticpy(path, html_path):
    df = ipc.open_stream(open(path, "rb")).read_pandas()
    from bokeh.embed import file_html
    from bokeh.resources import INLINE
    from msticpy.vis.timeline import display_timeline

    t0 = time.perf_counter()
    fig = display_timeline(df, group_by="Host", time_column="TimeGenerated", source_columns=["Account", "EventID"], hide=True)
    t1 = time.perf_counter()
    html = file_html(fig, INLINE, "MSTICPy timeline")
    t2 = time.perf_counter()
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    print(json.dumps({"figure": t1 - t0, "html": t2 - t1, "html_bytes": len(html.encode())}))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "msticpy":
        msticpy(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
