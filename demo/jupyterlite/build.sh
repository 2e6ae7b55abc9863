#!/usr/bin/env bash
# Builds the demo's JupyterLite site into target/jupyterlite/site, offline-ready: the Pyodide
# kernel with a local Pyodide (npm, pinned) and its own wheels (PyPI, pinned by Pyodide's lock),
# the widget front ends, a local package index with anywidget, ipywidgets and the huntkit wheel
# (`%pip install huntkit` needs no network), the example notebooks and their data, and the sign-in
# redirect page. Needs target/venv/lite and demo/jupyterlite/node_modules (.ci/bootstrap
# --notebooks) and the huntkit wheel (js/python/build.sh). Served at /lite/ by demo/serve.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/venv/lite
work=target/jupyterlite/src
out=target/jupyterlite/site
cache=target/jupyterlite/wheel-cache
version=$(node -p 'require("./npm/package.json").version')
wheel=target/python/huntkit-$version-py3-none-any.whl
[ -f "$wheel" ] || { echo "$wheel is missing: run js/python/build.sh" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/static/pyodide" "$work/pypi" "$work/files/data" "$cache"

# 1. Pyodide from npm, where the kernel looks for a local copy.
pyodide=demo/jupyterlite/node_modules/pyodide
for f in pyodide.mjs pyodide.js pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json package.json; do
  cp "$pyodide/$f" "$work/static/pyodide/"
done
# 2. The kernel's own pure-Python wheels (micropip, ipython, …), with the lock's hashes fixed.
"$venv/bin/python" demo/jupyterlite/pyodide_wheels.py "$work/static/pyodide" "$cache/pyodide" \
  micropip packaging ipython jedi typing-extensions
# 3. The local package index (pypi/ → all.json): the widget stack and huntkit, pinned.
for req in anywidget==0.11.0 ipywidgets==8.1.9 jupyterlab_widgets==3.0.17 widgetsnbextension==4.0.16 comm==0.2.3 psygnal==0.16.1; do
  name=${req%%==*}
  if ! ls "$cache/pypi/" 2>/dev/null | grep -qi "^${name//_/[-_]}-${req##*==}-"; then
    "$venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
      --python-version 3.14 --platform any --implementation py --abi none -d "$cache/pypi" "$req"
  fi
done
cp "$cache"/pypi/*.whl "$work/pypi/"
cp "$wheel" "$work/pypi/"
# 4. Never fall back to pypi.org from the browser; every cell in the DOM (no windowing).
cp demo/jupyterlite/jupyter-lite.json demo/jupyterlite/overrides.json "$work/"
# 5. Contents: the notebooks and their data.
cp demo/notebooks/*.ipynb "$work/files/"
cp demo/data/win_proc_test.arrow demo/data/mde_proc_pub.arrow demo/data/az_net_flows.arrow demo/data/ioc_report.txt "$work/files/data/"

rm -rf "$out"
(cd "$work" && "../../../$venv/bin/jupyter" lite build --output-dir "../site" 2>&1 | grep -vE '^\s*$|^\[LiteBuildApp\] ' || true)
[ -f "$out/lab/index.html" ] || { echo "jupyter lite build made no site" >&2; exit 1; }
# 6. MSAL's redirect page for huntkit.SignIn, at the site's root.
"$venv/bin/python" - "$wheel" "$out" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in ("huntkit-auth.html", "huntkit-auth.js"):
        open(f"{sys.argv[2]}/{name}", "wb").write(z.read(f"huntkit/static/{name}"))
PY
echo "JupyterLite site: $out ($(du -sh "$out" | cut -f1))"
