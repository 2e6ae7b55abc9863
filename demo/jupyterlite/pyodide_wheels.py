"""Puts the pure-Python wheels a Pyodide distribution's lock names (the kernel's own: micropip,
ipython and their dependencies) beside the Pyodide core, downloaded from PyPI at the lock's
exact versions, and rewrites the lock's sha256 to the downloaded files' (Pyodide repacks its
wheels, so PyPI's differ, and the kernel refuses a wheel whose hash is not the lock's).
Downloads are cached in CACHE_DIR.

usage: python pyodide_wheels.py PYODIDE_DIR CACHE_DIR PACKAGE [PACKAGE ...]
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(pyodide: Path, cache: Path, roots: list[str]) -> None:
    lock_path = pyodide / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    packages = lock["packages"]
    by_name = {norm(k): k for k in packages}
    needed: list[str] = []
    stack = list(roots)
    while stack:
        name = by_name.get(norm(stack.pop()))
        if name is None or name in needed:
            continue
        needed.append(name)
        stack.extend(packages[name]["depends"])
    cache.mkdir(parents=True, exist_ok=True)
    for name in sorted(needed):
        entry = packages[name]
        file_name = entry["file_name"]
        if not file_name.endswith("-none-any.whl"):
            sys.exit(f"{name}: {file_name} is a binary wheel, which PyPI does not have for Pyodide")
        cached = cache / file_name
        if not cached.exists():
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                     "--python-version", "3.14", "--disable-pip-version-check", "-d", tmp,
                     f"{entry['name']}=={entry['version']}"],
                    check=True,
                )
                (got,) = Path(tmp).glob("*.whl")
                shutil.copy(got, cached)
        shutil.copy(cached, pyodide / file_name)
        entry["sha256"] = hashlib.sha256(cached.read_bytes()).hexdigest()
    lock_path.write_text(json.dumps(lock))
    print(f"pyodide: {len(needed)} wheels from PyPI: {', '.join(sorted(needed))}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
