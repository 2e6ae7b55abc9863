"""Azure APIs from a JupyterLite notebook: the Python side drives huntkit's JS ``AzureClient`` in
the Pyodide worker, where ``fetch`` works, with tokens pasted or handed over by
:class:`SignIn` (MSAL in the page). Tokens stay in the browser's memory: never in a traitlet (the
notebook would save them), never logged, and sent only to the API whose audience they carry
(huntkit's client refuses any other host)."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any, Callable

import anywidget
import traitlets

from ._engine import call, call_async, engine, in_pyodide, options_json, result_frame, want
from ._errors import HuntkitError
from ._static import SIGNIN_ESM

__all__ = ["AzureClient", "SignIn"]

_APIS = {
    "log_analytics": "logAnalytics",
    "resource_manager": "resourceManager",
    "microsoft_graph": "microsoftGraph",
    "defender": "defender",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _jsonable(value: Any) -> Any:
    """Python call arguments as huntkit's JS options (times as ISO text, durations as ISO 8601)."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        return f"PT{seconds:g}S"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if isinstance(value, tuple) and len(value) == 2:
        return {"start": _jsonable(value[0]), "end": _jsonable(value[1])}
    if isinstance(value, dict):
        return {_camel(str(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, set)):
        return [_jsonable(v) for v in value]
    return value


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {_camel(k): _jsonable(v) for k, v in kwargs.items() if v is not None}


class SignIn(anywidget.AnyWidget):
    """A "Sign in to Azure" button: MSAL signs in in the page and hands the kernel one token per
    API (Log Analytics, Resource Manager, Graph by default). JupyterLite only: with a kernel on a
    server the tokens would leave the browser, so it refuses (paste tokens there instead).

    The app registration must be a *single-page application* whose redirect URI is the site's
    ``huntkit-auth.html`` (see :func:`huntkit.write_auth_page`), or ``redirect_uri``.
    """

    _esm = SIGNIN_ESM
    cloud = traitlets.Unicode("global").tag(sync=True)
    client_id = traitlets.Unicode("").tag(sync=True)
    tenant_id = traitlets.Unicode("organizations").tag(sync=True)
    redirect_uri = traitlets.Unicode("").tag(sync=True)
    login_hint = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    account = traitlets.Unicode("").tag(sync=True)
    _authority = traitlets.Unicode("").tag(sync=True)
    _scopes = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _kernel = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        cloud: str = "global",
        tenant_id: str = "organizations",
        client_id: str = "",
        *,
        authority: str | None = None,
        redirect_uri: str | None = None,
        login_hint: str | None = None,
        apis: tuple[str, ...] = ("log_analytics", "resource_manager", "microsoft_graph"),
        endpoints: dict[str, str] | None = None,
    ) -> None:
        if not in_pyodide():
            raise HuntkitError(
                "huntkit.SignIn runs only in a Pyodide kernel (JupyterLite), where the kernel is in "
                "this browser tab. Here the kernel runs on a server, so the tokens would leave the "
                "browser: pass tokens instead, AzureClient(token=...) with the output of "
                "`az account get-access-token --resource <api>`.",
                "needs-pyodide",
            )
        if not client_id:
            raise HuntkitError("SignIn needs `client_id` (an app registered as a single-page application)", "invalid-config")
        unknown = [a for a in apis if a not in _APIS]
        if unknown:
            raise HuntkitError(f"SignIn: unknown api {unknown[0]!r}; use {', '.join(_APIS)}", "invalid-option")
        info = json.loads(
            call("SignIn", engine("SignIn").cloudEndpoints, options_json({"cloud": cloud, "endpoints": _options(endpoints or {}) or None}))
        )
        host = (authority or info["authority"]).rstrip("/")
        super().__init__(
            cloud=info["cloud"],
            client_id=client_id,
            tenant_id=tenant_id,
            redirect_uri=redirect_uri or "",
            login_hint=login_hint or "",
            _authority=f"{host}/{tenant_id}",
            _scopes=[info["apis"][_APIS[a]]["scope"] for a in apis],
            _kernel="pyodide",
        )
        self.__tokens: dict[str, tuple[str, float | None]] = {}
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "huntkit:tokens":
            for entry in content.get("tokens", []):
                expires = entry.get("expiresOn")
                self.__tokens[str(entry["scope"])] = (str(entry["token"]), None if expires is None else float(expires) / 1000)

    @property
    def scopes(self) -> list[str]:
        """The token scopes asked for, one per API."""
        return list(self._scopes)

    def has_token(self, scope: str) -> bool:
        """Whether a token for ``scope`` was handed over (and has not expired)."""
        entry = self.__tokens.get(scope)
        return entry is not None and (entry[1] is None or entry[1] > time.time())

    def token(self, scope: str, force_refresh: bool = False) -> str:
        """The token for ``scope`` (for :class:`AzureClient`; do not print it)."""
        entry = self.__tokens.get(scope)
        if entry is None:
            raise HuntkitError(
                f"no token for {scope}: click \"Sign in to Azure\" in the SignIn widget first "
                f"(it asks for {', '.join(self._scopes)})",
                "not-signed-in",
            )
        token, expires = entry
        if force_refresh or (expires is not None and expires <= time.time() + 30):
            self.__tokens.pop(scope, None)
            self.send({"type": "huntkit:token?", "scope": scope, "forceRefresh": True})
            raise HuntkitError(
                f"the token for {scope} {'was refused' if force_refresh else 'has expired'}; the "
                "SignIn widget is getting a new one: run the cell again",
                "token-expired",
            )
        return token


def _token_for_js(get_token: Callable[[str, bool], str]) -> Callable[[str, bool], Any]:
    """``get_token`` as the worker calls it: the token, or ``{error, code}`` (a JS object) when
    there is none, so that its message reaches the user instead of a Python traceback."""
    from js import Object
    from pyodide.ffi import to_js

    def token(scope: str, force_refresh: bool) -> Any:
        try:
            return str(get_token(scope, bool(force_refresh)))
        except HuntkitError as err:
            return to_js({"error": err.message, "code": err.code}, dict_converter=Object.fromEntries)

    return token


class _Calls:
    """One API group of a client (``log_analytics``, ``sentinel``, ...)."""

    def __init__(self, client: "AzureClient", group: str, methods: dict[str, str]) -> None:
        self._client = client
        self._group = group
        for name, js in methods.items():
            setattr(self, name, self._method(js))

    def _method(self, js: str) -> Callable[..., Any]:
        async def method(*args: Any, **kwargs: Any) -> Any:
            return await self._client._call(self._group, js, list(args), kwargs)

        method.__name__ = js
        return method


class AzureClient:
    """Azure APIs through ``fetch`` (JupyterLite): Log Analytics, Resource Graph, Sentinel and
    Defender hunting. Each call is a coroutine (``await`` it) and returns a pandas DataFrame when
    pandas is importable, else a list of dicts, with the call's warnings in ``.attrs["warnings"]``.

    ``token`` is a :class:`SignIn`, a pasted token or a list of them (each used only for the API
    its ``aud`` claim names), or a callable ``(scope, force_refresh) -> str``.
    """

    def __init__(
        self,
        cloud: str = "global",
        workspace_id: str | None = None,
        token: Any = None,
        *,
        tenant_id: str | None = None,
        workspace: dict[str, str] | str | None = None,
        endpoints: dict[str, str] | None = None,
        defender: str | None = None,
        retry: dict[str, Any] | None = None,
        sentinel_api_version: str | None = None,
    ) -> None:
        hk = engine("AzureClient")
        from pyodide.ffi import create_proxy

        pasted = None
        get_token: Callable[[str, bool], str] | None = None
        if token is None:
            raise HuntkitError("AzureClient needs `token`: a SignIn widget, a pasted token or a list of tokens", "invalid-config")
        if isinstance(token, (str, list, tuple)):
            pasted = json.dumps([token] if isinstance(token, str) else [str(t) for t in token])
        elif isinstance(token, SignIn):
            get_token = token.token
        elif callable(token):
            get_token = token
        else:
            raise HuntkitError(f"AzureClient: `token` cannot be a {type(token).__name__}", "invalid-config")
        # Kept alive as long as the client: JS calls it for every token.
        self._get_token = create_proxy(_token_for_js(get_token)) if get_token else None
        options = _options(
            {
                "cloud": cloud,
                "workspace_id": workspace_id,
                "tenant_id": tenant_id,
                "defender": defender,
                "retry": retry,
                "sentinel_api_version": sentinel_api_version,
            }
        )
        if endpoints:
            options["endpoints"] = _options(endpoints)
        if isinstance(workspace, str):
            options["workspace"] = workspace
        elif workspace:
            options["workspace"] = _options(workspace)
        self._c = call("AzureClient", hk.azureClient, json.dumps(options), pasted, self._get_token)
        self.log_analytics = _Calls(self, "logAnalytics", {"query": "query"})
        self.resource_graph = _Calls(self, "resourceGraph", {"query": "query"})
        self.hunting = _Calls(self, "hunting", {"query": "query"})
        self.sentinel = _Calls(
            self,
            "sentinel",
            {
                "incidents": "incidents",
                "incident": "incident",
                "incident_entities": "incidentEntities",
                "incident_alerts": "incidentAlerts",
                "incident_comments": "incidentComments",
                "bookmarks": "bookmarks",
                "watchlists": "watchlists",
                "watchlist_items": "watchlistItems",
                "analytics_rules": "analyticsRules",
            },
        )

    @property
    def cloud(self) -> str:
        """``global``, ``usgov`` or ``cn``."""
        return str(self._c.cloud)

    async def _call(self, group: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if len(args) > 1:
            raise HuntkitError(f"{group}.{method} takes one positional argument (the query or id)", "invalid-option")
        arguments = [*args, _options(kwargs)]
        result = await call_async(engine().azureCall, self._c, group, method, json.dumps(arguments), want())
        frame = result_frame(result)
        warnings = json.loads(result.warnings)
        _attrs(frame)["warnings"] = warnings
        _attrs(frame)["pages"] = int(result.pages)
        return frame

    def clear_tokens(self) -> None:
        """Forgets the tokens the client holds (a SignIn keeps its own)."""
        self._c.clearTokens()

    def __repr__(self) -> str:
        return f"AzureClient(cloud={self.cloud!r})"


def _attrs(frame: Any) -> dict[str, Any]:
    attrs = getattr(frame, "attrs", None)
    if attrs is None:
        raise TypeError("expected a DataFrame or Rows")
    return attrs

