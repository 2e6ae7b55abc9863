"""Times MSTICPy 3.0.2's IoCExtract().extract(src=text) on a file; prints JSON."""
import json
import sys
import time

from msticpy.transform.iocextract import IoCExtract

text = open(sys.argv[1]).read()
ie = IoCExtract()
t0 = time.perf_counter()
found = ie.extract(src=text)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "bytes": len(text.encode()), "found": sum(len(v) for v in found.values())}))
