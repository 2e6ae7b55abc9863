"""The files the wheel carries (built by js/python/build.sh): the widget front ends, the
worker bundle and the wasm."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

STATIC = Path(__file__).parent / "static"

WIDGET_ESM = STATIC / "widget.js"
SIGNIN_ESM = STATIC / "signin.js"
WORKER_JS = STATIC / "huntkit.iife.js"
WASM = STATIC / "huntkit_bg.wasm"
AUTH_FILES = ("huntkit-auth.html", "huntkit-auth.js")


@functools.lru_cache(maxsize=1)
def wasm_bytes() -> bytes:
    """The wasm engine's bytes."""
    return WASM.read_bytes()


@functools.lru_cache(maxsize=1)
def wasm_gzip() -> bytes:
    """The wasm gzip-compressed, as it is sent to a page (3.3 MB → 0.8 MB)."""
    import gzip

    return gzip.compress(wasm_bytes(), compresslevel=6, mtime=0)


@functools.lru_cache(maxsize=1)
def wasm_hash() -> str:
    """A content hash of the wasm: the page keeps one initialised copy per hash."""
    return hashlib.sha256(wasm_bytes()).hexdigest()[:16]


def write_auth_page(directory: str | Path) -> list[Path]:
    """Writes MSAL's redirect page for :class:`huntkit.SignIn` (``huntkit-auth.html`` and its
    script) into ``directory``, the root of a JupyterLite site. Register its URL as the app's
    single-page-application redirect URI. Returns the paths written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in AUTH_FILES:
        target = out / name
        target.write_bytes((STATIC / name).read_bytes())
        written.append(target)
    return written
