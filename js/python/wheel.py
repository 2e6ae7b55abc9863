"""Writes the pure-Python wheel of the staged package (stdlib only, reproducible: sorted
entries, fixed timestamps).

usage: python3 wheel.py STAGE_DIR VERSION OUT_DIR
"""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

NAME = "huntkit"
SUMMARY = (
    "Threat hunting in notebooks: MSTICPy's process tree, matrix and IoC tools on a Rust/"
    "WebAssembly engine, in JupyterLab, JupyterLite (no server), VS Code and Colab"
)
REQUIRES = ["anywidget>=0.9", "traitlets>=5"]
EXTRAS = {"pandas": ["pandas>=1.5", "pyarrow>=14"]}
EPOCH = (2026, 1, 1, 0, 0, 0)


def metadata(version: str, readme: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {version}",
        f"Summary: {SUMMARY}",
        "License: MIT OR Apache-2.0",
        "Home-page: https://github.com/huntkit/huntkit",
        "Requires-Python: >=3.9",
        "Classifier: Framework :: Jupyter",
        "Classifier: Topic :: Security",
        "Classifier: Programming Language :: Python :: 3",
    ]
    lines += [f"Requires-Dist: {r}" for r in REQUIRES]
    for extra, reqs in EXTRAS.items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r} ; extra == "{extra}"' for r in reqs]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main(stage: Path, version: str, out: Path) -> Path:
    package = stage / NAME
    (package / "_version.py").write_text(f'"""The package version (the npm package\'s)."""\n\n__version__ = "{version}"\n')
    readme = (Path(__file__).parent / "README.md").read_text(encoding="utf-8")
    dist_info = f"{NAME}-{version}.dist-info"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files.append((path.relative_to(stage).as_posix(), path.read_bytes()))
    files.append((f"{dist_info}/METADATA", metadata(version, readme).encode()))
    files.append((f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: huntkit wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((f"{dist_info}/top_level.txt", f"{NAME}\n".encode()))
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))

    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    size = wheel.stat().st_size
    print(f"{wheel}: {size / 1024:.1f} KiB")
    return wheel


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
