"""Shared fixtures of the Python package's tests (run by tests/run.sh with target/venv/tests,
where the built wheel is installed)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"


@pytest.fixture
def trip(tmp_path):
    """Sends a :class:`huntkit._tables.Table` to huntkit's wasm (the built npm package, in Node)
    and returns what it read: ``{"columns", "rows"}``, plus ``matrix`` when options are given, or
    ``{"error": {"code", "message"}}``."""

    def run(table, matrix_options=None):
        path = tmp_path / "table.bin"
        path.write_bytes(table.payload)
        args = ["node", str(TESTS / "python" / "wasm_trip.mjs"), str(path), table.format]
        if matrix_options is not None:
            args.append(json.dumps(matrix_options))
        done = subprocess.run(args, cwd=TESTS, capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)

    return run


@pytest.fixture
def arrow_file():
    """The bytes of a committed Arrow fixture."""
    return lambda name: (FIXTURES / name).read_bytes()
