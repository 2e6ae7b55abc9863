"""huntkit's Python exceptions."""

from __future__ import annotations

__all__ = ["HuntkitError", "UnknownParameterError"]


class HuntkitError(Exception):
    """An error from huntkit, in Python or from its wasm engine.

    ``code`` is the same stable string as the JS ``err.code`` (``missing-column``,
    ``column-type``, ``invalid-option``, ``invalid-table``, ``http``, ``network``,
    ``needs-pyodide``, ...) and ``message`` the same text. Azure errors also carry ``status``,
    ``azure_code`` and ``request_id``.
    """

    def __init__(self, message: str, code: str = "error", **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = details.get("status")
        self.azure_code = details.get("azure_code")
        self.request_id = details.get("request_id")

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class UnknownParameterError(HuntkitError, TypeError):
    """A keyword argument huntkit does not know (a ``TypeError`` too, as Python's own are)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "invalid-option")
