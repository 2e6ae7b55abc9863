"""huntkit's wasm engine inside a Pyodide kernel (JupyterLite).

The kernel runs in a Web Worker of the notebook's page. There the bundled huntkit script is
evaluated once and its wasm compiled synchronously, and Python calls it through Pyodide's JS
bridge. A CPython kernel has no wasm engine: there the compute functions raise a
``needs-pyodide`` error that says where they run (the plots still work everywhere, since they
compute in the browser).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ._errors import HuntkitError
from ._static import WORKER_JS, wasm_bytes
from ._tables import Table

__all__ = ["in_pyodide", "engine", "call", "js_table", "result_frame"]

_engine: Any = None


def in_pyodide() -> bool:
    """Whether this Python runs in Pyodide (JupyterLite's kernel)."""
    return sys.platform == "emscripten" or "pyodide" in sys.modules


def engine(what: str = "this function") -> Any:
    """The huntkit JS module of this worker, loaded on first use."""
    global _engine
    if _engine is not None:
        return _engine
    if not in_pyodide():
        raise HuntkitError(
            f"huntkit.{what} runs huntkit's wasm engine inside a Pyodide kernel (JupyterLite), "
            "where Python and the engine share the browser. This kernel is CPython "
            f"({sys.executable}), which cannot run it: use JupyterLite, or the plots "
            "(huntkit.process_tree, huntkit.matrix, ...), which compute in the browser in any "
            "notebook.",
            "needs-pyodide",
        )
    from pyodide.code import run_js
    from pyodide.ffi import to_js

    module = run_js(WORKER_JS.read_text(encoding="utf-8") + "\n;huntkit")
    module.initSync(to_js(wasm_bytes()))
    _engine = module
    return module


def _error_of(exc: BaseException) -> HuntkitError | None:
    """A ``HuntkitError`` for a JS error raised through the bridge, or None."""
    js = getattr(exc, "js_error", None)
    name = getattr(js, "name", None) if js is not None else None
    if js is None or name != "HuntkitError":
        return None
    details = {
        "status": getattr(js, "status", None),
        "azure_code": getattr(js, "azureCode", None),
        "request_id": getattr(js, "requestId", None),
    }
    return HuntkitError(str(js.message), str(js.code), **{k: v for k, v in details.items() if v is not None})


def call(what: str, fn: Any, *args: Any) -> Any:
    """Calls a worker function; a ``HuntkitError`` thrown by the wasm becomes a Python one
    with the same code and message."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - JsException is only importable in Pyodide
        err = _error_of(exc)
        if err is None:
            raise
        raise err from None


async def call_async(fn: Any, *args: Any) -> Any:
    """Awaits a worker function's promise, mapping errors as :func:`call` does."""
    try:
        return await fn(*args)
    except Exception as exc:  # noqa: BLE001
        err = _error_of(exc)
        if err is None:
            raise
        raise err from None


def js_table(table: Table) -> Any:
    """A :class:`Table` as the JS value huntkit reads."""
    from js import JSON
    from pyodide.ffi import to_js

    if table.format == "json":
        return JSON.parse(table.payload.decode("utf-8"))
    return to_js(table.payload)


def options_json(options: dict[str, Any] | None) -> str | None:
    return json.dumps(options) if options else None


def want() -> str:
    """``"arrow"`` when pandas and pyarrow can read Arrow, else ``"rows"``."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return "rows"
    return "arrow"


def result_frame(result: Any) -> Any:
    """A worker result (``{columns, arrow, rows}``) as a pandas DataFrame when pandas is
    importable, else a list of dicts. Timestamps come back as timezone-aware datetimes."""
    if result.arrow is not None:
        import pyarrow as pa

        return pa.ipc.open_stream(result.arrow.to_bytes()).read_pandas()
    columns = [(c.name, c.type) for c in result.columns]
    rows = json.loads(result.rows)
    return _typed_rows(rows, columns)


def _typed_rows(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> Any:
    import datetime as dt

    times = [name for name, kind in columns if kind.startswith("Timestamp") or kind.startswith("Date")]
    for row in rows:
        for name in times:
            text = row.get(name)
            if isinstance(text, str):
                row[name] = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    from ._tables import rows_to_frame

    return rows_to_frame(rows, [name for name, _ in columns])
