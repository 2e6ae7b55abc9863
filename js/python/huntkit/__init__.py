"""huntkit in notebooks: MSTICPy's ``mp_plot`` plots drawn by huntkit's WebAssembly engine in
the browser, in any Jupyter notebook (anywidget), and its engine in Python in JupyterLite.

Plots (any notebook): :func:`process_tree`, :func:`matrix`, :func:`timeline`,
:func:`timeline_values`, :func:`timeline_duration`, and ``df.hunt.<plot>(...)`` on pandas DataFrames. Compute (Pyodide kernels, i.e. JupyterLite): :func:`extract_iocs`, :func:`refang`,
:func:`build_process_tree`, :func:`matrix_data`, :class:`AzureClient` and :class:`SignIn`.
"""

from __future__ import annotations

from ._accessor import register as _register_accessor
from ._api import build_process_tree, extract_iocs, matrix, matrix_data, process_tree, refang
from ._azure import AzureClient, SignIn
from ._engine import in_pyodide
from ._errors import HuntkitError, UnknownParameterError
from ._static import write_auth_page
from ._tables import Rows
from ._timeline import timeline, timeline_duration, timeline_values
from ._version import __version__
from ._widgets import HuntkitWidget, MatrixWidget, ProcessTreeWidget, TimelineWidget

__all__ = [
    "AzureClient",
    "HuntkitError",
    "HuntkitWidget",
    "MatrixWidget",
    "ProcessTreeWidget",
    "Rows",
    "SignIn",
    "TimelineWidget",
    "UnknownParameterError",
    "__version__",
    "build_process_tree",
    "extract_iocs",
    "in_pyodide",
    "matrix",
    "matrix_data",
    "process_tree",
    "refang",
    "timeline",
    "timeline_duration",
    "timeline_values",
    "write_auth_page",
]

_register_accessor()
