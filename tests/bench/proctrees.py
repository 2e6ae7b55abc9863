"""Process-tree benchmark data and the MSTICPy baseline.

  python proctrees.py gen BASE.arrow KIND TARGET OUT   replicate a test set to >= TARGET rows
                                                        (KIND: win or mde), as Arrow IPC stream
  python proctrees.py msticpy FILE                      time msticpy's build_process_tree (one
                                                        run, schema inferred); prints JSON

Replication follows ../shared/testdata/msticpy/README.md §4: whole copies; copy k adds
k * 1,000,000 to every process-id column and appends "-r<k>" to every host column.
"""
import json
import math
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

PIDS = {
    "win": ["NewProcessId", "ProcessId"],
    "mde": ["ProcessId", "InitiatingProcessId", "InitiatingProcessParentId", "CreatedProcessParentId"],
}
HOSTS = ["Computer", "SourceComputerId", "DeviceName", "DeviceId", "ComputerDnsName"]


def shift(col, k, hexed):
    if hexed:
        vals = [None if v is None else hex(int(v, 16) + k * 1_000_000) for v in col.to_pylist()]
        return pa.array(vals, pa.string())
    return pc.add(col, pa.scalar(k * 1_000_000, col.type))


def gen(base, kind, target, out):
    table = ipc.open_file(base).read_all()
    copies = math.ceil(target / table.num_rows)
    parts = []
    for k in range(copies):
        cols = {}
        for name in table.column_names:
            col = table[name].combine_chunks()
            if name in PIDS[kind]:
                col = shift(col, k, kind == "win")
            elif name in HOSTS and pa.types.is_string(col.type):
                col = pc.binary_join_element_wise(col, pa.scalar(f"-r{k}"), "")
            cols[name] = col
        parts.append(pa.table(cols))
    result = pa.concat_tables(parts)
    with ipc.new_stream(out, result.schema) as w:
        w.write_table(result, max_chunksize=1 << 20)


def run_msticpy(path):
    from msticpy.transform.proc_tree_builder import build_process_tree

    df = ipc.open_stream(path).read_all().to_pandas()
    start = time.perf_counter()
    tree = build_process_tree(df, schema=None)
    print(json.dumps({"seconds": time.perf_counter() - start, "rows_out": len(tree)}))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        run_msticpy(sys.argv[2])
