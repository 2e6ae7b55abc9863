//! `AzureClient`: drives [`crate::azure::Call`]s with `fetch` (web-sys), timers and the page's
//! `getToken(scope)` callback. Tokens stay in this object's memory, keyed by scope, and go
//! only on requests to the API whose scope they were issued for; they are never logged and
//! are scrubbed from any error text.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{AbortController, AbortSignal, Headers, RequestInit};

use super::error::{JsResult, Options, check_keys};
use super::table::JsResultTable;
use crate::Error;
use crate::azure::ops::{
    self, HuntingApi, LogAnalyticsQuery, ResourceGraphQuery, Sentinel, SentinelWorkspace,
};
use crate::azure::{
    Action, Api, Call, Cloud, Endpoints, Event, MsticpyConfig, Output, Request, Response,
    RetryPolicy,
};
use crate::hash::HashMap;

struct Inner {
    endpoints: Endpoints,
    get_token: Function,
    tenant_id: Option<String>,
    workspace_id: Option<String>,
    sentinel: Option<SentinelWorkspace>,
    workspaces: Vec<crate::azure::Workspace>,
    policy: RetryPolicy,
    sentinel_api_version: Option<String>,
    /// Tokens by scope (memory only).
    tokens: RefCell<HashMap<String, String>>,
    /// Every token ever handed over, to scrub them from error text.
    seen: RefCell<Vec<String>>,
}

/// A client for the Azure APIs of one cloud; see `AzureClient` in `index.d.ts`.
#[wasm_bindgen(js_name = AzureClient)]
pub struct JsAzureClient {
    inner: Rc<Inner>,
}

const CLIENT_OPTIONS: &[&str] = &[
    "cloud",
    "tenantId",
    "getToken",
    "endpoints",
    "defender",
    "workspaceId",
    "workspace",
    "retry",
    "sentinelApiVersion",
];

/// `{ subscriptionId, resourceGroup, workspaceName }`.
fn sentinel_workspace(ws: &JsValue) -> JsResult<SentinelWorkspace> {
    check_keys(ws, &["subscriptionId", "resourceGroup", "workspaceName"])?;
    let field = |n: &'static str| -> JsResult<String> {
        Options(ws).string(n)?.ok_or_else(|| {
            Error::invalid_option("workspace", format!("needs `{n}` (a string)")).into()
        })
    };
    Ok(SentinelWorkspace {
        subscription_id: field("subscriptionId")?,
        resource_group: field("resourceGroup")?,
        workspace_name: field("workspaceName")?,
    })
}

fn client(options: &JsValue, config: Option<MsticpyConfig>) -> JsResult<JsAzureClient> {
    check_keys(options, CLIENT_OPTIONS)?;
    let o = Options(options);
    let get_token = o.get("getToken")?;
    let get_token: Function = get_token.dyn_into().map_err(|v| {
        o.wrong(
            "getToken",
            &v,
            "a function (scope) => token or Promise<token>, e.g. msalTokenProvider({...})",
        )
    })?;
    let config = config.unwrap_or_default();
    let cloud_name = o
        .string("cloud")?
        .or(config.cloud.clone())
        .unwrap_or_else(|| "global".to_owned());
    let cloud = Cloud::parse(&cloud_name)?;
    let defender = o
        .string("defender")?
        .or(config.defender_environment.clone());
    let mut endpoints = Endpoints::for_cloud(cloud, defender.as_deref())?;
    if let Some(url) = &config.resource_manager_url {
        endpoints.set("resourceManager", url)?;
    }
    let overrides = o.get("endpoints")?;
    if !overrides.is_undefined() && !overrides.is_null() {
        if !overrides.is_object() {
            return Err(o.wrong("endpoints", &overrides, "an object of URLs"));
        }
        for key in Object::keys(overrides.unchecked_ref::<Object>()).iter() {
            let name = key.as_string().unwrap_or_default();
            let value = Reflect::get(&overrides, &key)?;
            let url = value
                .as_string()
                .ok_or_else(|| Error::config(format!("endpoints.{name} should be a URL string")))?;
            endpoints.set(&name, &url)?;
        }
    }
    // The workspace: given, or the config's (named by `workspace` when it is a string).
    let ws = o.get("workspace")?;
    let chosen = if config.workspaces.is_empty() {
        if let Some(name) = ws.as_string() {
            return Err(Error::invalid_option(
                "workspace",
                format!(
                    "{name:?} names a msticpyconfig workspace, and there is no config; give \
                     {{ subscriptionId, resourceGroup, workspaceName }}"
                ),
            )
            .into());
        }
        None
    } else {
        Some(config.workspace(ws.as_string().as_deref())?.clone())
    };
    let mut sentinel = chosen.as_ref().and_then(|w| {
        Some(SentinelWorkspace {
            subscription_id: w.subscription_id.clone()?,
            resource_group: w.resource_group.clone()?,
            workspace_name: w.workspace_name.clone()?,
        })
    });
    if ws.is_object() {
        sentinel = Some(sentinel_workspace(&ws)?);
    }
    let retry = o.get("retry")?;
    let mut policy = RetryPolicy::default();
    if retry.is_object() {
        check_keys(
            &retry,
            &[
                "maxAttempts",
                "baseDelayMs",
                "maxDelayMs",
                "maxRetryAfterMs",
            ],
        )?;
        let r = Options(&retry);
        if let Some(n) = r.small_int("maxAttempts", 10)? {
            policy.max_attempts = u32::from(n.max(1));
        }
        for (name, slot) in [
            ("baseDelayMs", &mut policy.base_delay_ms),
            ("maxDelayMs", &mut policy.max_delay_ms),
            ("maxRetryAfterMs", &mut policy.max_retry_after_ms),
        ] {
            if let Some(v) = r.number(name)? {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(
                        Error::invalid_option("retry", format!("{name} must be ≥ 0")).into(),
                    );
                }
                *slot = v;
            }
        }
    }
    Ok(JsAzureClient {
        inner: Rc::new(Inner {
            endpoints,
            get_token,
            tenant_id: o
                .string("tenantId")?
                .or_else(|| chosen.as_ref().and_then(|w| w.tenant_id.clone())),
            workspace_id: o
                .string("workspaceId")?
                .or_else(|| chosen.as_ref().and_then(|w| w.workspace_id.clone())),
            sentinel,
            workspaces: config.workspaces,
            policy,
            sentinel_api_version: o.string("sentinelApiVersion")?,
            tokens: RefCell::default(),
            seen: RefCell::default(),
        }),
    })
}

#[wasm_bindgen(js_class = AzureClient)]
impl JsAzureClient {
    /// `new AzureClient({ cloud, tenantId?, getToken, endpoints?, defender?, workspaceId?,
    /// workspace?, retry?, sentinelApiVersion? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> JsResult<JsAzureClient> {
        client(&options, None)
    }

    /// A client from the text of a `msticpyconfig.yaml` (its `Azure` section and workspace
    /// list); `options` as for the constructor, `workspace` naming a configured workspace.
    #[wasm_bindgen(js_name = fromMsticpyConfig)]
    pub fn from_msticpy_config(yaml: String, options: JsValue) -> JsResult<JsAzureClient> {
        let config = MsticpyConfig::parse(&yaml)?;
        client(&options, Some(config))
    }

    /// The cloud (`global`, `usgov`, `cn`, `de`).
    #[wasm_bindgen(getter)]
    pub fn cloud(&self) -> String {
        self.inner.endpoints.cloud.name().to_owned()
    }

    /// The tenant id, when known.
    #[wasm_bindgen(getter, js_name = tenantId)]
    pub fn tenant_id(&self) -> Option<String> {
        self.inner.tenant_id.clone()
    }

    /// The default Log Analytics workspace id, when known.
    #[wasm_bindgen(getter, js_name = workspaceId)]
    pub fn workspace_id(&self) -> Option<String> {
        self.inner.workspace_id.clone()
    }

    /// The configured workspaces' names (from a msticpyconfig).
    #[wasm_bindgen(getter)]
    pub fn workspaces(&self) -> Vec<String> {
        self.inner
            .workspaces
            .iter()
            .map(|w| w.name.clone())
            .collect()
    }

    /// The sign-in host, e.g. `https://login.microsoftonline.us`.
    #[wasm_bindgen(getter)]
    pub fn authority(&self) -> JsResult<String> {
        Ok(self.inner.endpoints.authority()?.to_owned())
    }

    /// `{ url, scope }` of an API: `resourceManager`, `logAnalytics`, `microsoftGraph`,
    /// `defender` or `keyVault`.
    pub fn endpoint(&self, api: String) -> JsResult<JsValue> {
        let api = api_named(&api)?;
        let e = self.inner.endpoints.get(api)?;
        let out = Object::new();
        Reflect::set(&out, &"url".into(), &e.url.as_str().into())?;
        Reflect::set(
            &out,
            &"scope".into(),
            &self.inner.endpoints.scope(api)?.into(),
        )?;
        Ok(out.into())
    }

    /// Forgets every cached token (the next call asks `getToken` again).
    #[wasm_bindgen(js_name = clearTokens)]
    pub fn clear_tokens(&self) {
        self.inner.tokens.borrow_mut().clear();
    }

    /// Log Analytics query → `Promise<AzureResult>`.
    #[wasm_bindgen(js_name = logAnalyticsQuery)]
    pub fn log_analytics_query(&self, query: String, options: JsValue) -> Promise {
        self.start(options, move |inner, options| {
            check_keys(
                options,
                &[
                    "workspaceId",
                    "timespan",
                    "additionalWorkspaces",
                    "serverTimeout",
                    "failOnPartial",
                    "statistics",
                    "timeout",
                    "signal",
                ],
            )?;
            let o = Options(options);
            let workspace = o
                .string("workspaceId")?
                .or(inner.workspace_id.clone())
                .ok_or_else(|| {
                    Error::invalid_option(
                        "workspaceId",
                        "no workspace: pass `workspaceId` or create the client with one",
                    )
                })?;
            let q = LogAnalyticsQuery {
                timespan: timespan(&o)?,
                workspaces: o.strings("additionalWorkspaces")?.unwrap_or_default(),
                server_timeout: o.number("serverTimeout")?.map(|s| s.clamp(0.0, 1e6) as u32),
                fail_on_partial: o.flag("failOnPartial")?,
                statistics: o.flag("statistics")?,
                timeout: timeout(&o)?,
            };
            Ok(ops::log_analytics_query(
                &inner.endpoints,
                &workspace,
                &query,
                &q,
            )?)
        })
    }

    /// Resource Graph query, every page (or up to `limit` rows) → `Promise<AzureResult>`.
    #[wasm_bindgen(js_name = resourceGraphQuery)]
    pub fn resource_graph_query(&self, query: String, options: JsValue) -> Promise {
        self.start(options, move |inner, options| {
            check_keys(
                options,
                &[
                    "subscriptions",
                    "managementGroups",
                    "limit",
                    "apiVersion",
                    "timeout",
                    "signal",
                ],
            )?;
            let o = Options(options);
            let mut op = ops::resource_graph_query(
                &inner.endpoints,
                &query,
                &ResourceGraphQuery {
                    subscriptions: o.strings("subscriptions")?.unwrap_or_default(),
                    management_groups: o.strings("managementGroups")?.unwrap_or_default(),
                    limit: limit(&o)?,
                    api_version: o.string("apiVersion")?,
                },
            )?;
            set_timeout_option(&mut op, &o)?;
            Ok(op)
        })
    }

    /// A Sentinel operation (`incidents`, `incident`, `incidentEntities`, `incidentAlerts`,
    /// `incidentComments`, `bookmarks`, `watchlists`, `watchlistItems`, `analyticsRules`) →
    /// `Promise<AzureResult>`. `id` is the incident id or watchlist alias where one is needed.
    #[wasm_bindgen(js_name = sentinelCall)]
    pub fn sentinel_call(&self, what: String, id: Option<String>, options: JsValue) -> Promise {
        self.start(options, move |inner, options| {
            check_keys(
                options,
                &[
                    "filter",
                    "orderBy",
                    "top",
                    "limit",
                    "apiVersion",
                    "workspace",
                    "timeout",
                    "signal",
                ],
            )?;
            let o = Options(options);
            let need = |what: &'static str| -> JsResult<String> {
                id.clone().ok_or_else(|| {
                    Error::invalid_option(what, "this Sentinel call needs it").into()
                })
            };
            let op_kind = match what.as_str() {
                "incidents" => Sentinel::Incidents {
                    filter: o.string("filter")?,
                    order_by: o.string("orderBy")?,
                    top: o.number("top")?.map(|t| t.clamp(1.0, 1000.0) as u32),
                },
                "incident" => Sentinel::Incident(need("incidentId")?),
                "incidentEntities" => Sentinel::IncidentEntities(need("incidentId")?),
                "incidentAlerts" => Sentinel::IncidentAlerts(need("incidentId")?),
                "incidentComments" => Sentinel::IncidentComments(need("incidentId")?),
                "bookmarks" => Sentinel::Bookmarks,
                "watchlists" => Sentinel::Watchlists,
                "watchlistItems" => Sentinel::WatchlistItems(need("alias")?),
                "analyticsRules" => Sentinel::AnalyticsRules,
                other => {
                    return Err(Error::invalid_option(
                        "sentinel",
                        format!("unknown call {other:?}"),
                    )
                    .into());
                }
            };
            let ws_value = o.get("workspace")?;
            let ws = if ws_value.is_object() {
                sentinel_workspace(&ws_value)?
            } else {
                inner.sentinel.clone().ok_or_else(|| {
                    Error::invalid_option(
                        "workspace",
                        "Sentinel calls need the workspace's { subscriptionId, resourceGroup, \
                         workspaceName }: give `workspace` to the client or the call",
                    )
                })?
            };
            let version = o
                .string("apiVersion")?
                .or(inner.sentinel_api_version.clone());
            let mut op = ops::sentinel(
                &inner.endpoints,
                &ws,
                &op_kind,
                version.as_deref(),
                limit(&o)?,
            )?;
            set_timeout_option(&mut op, &o)?;
            Ok(op)
        })
    }

    /// Advanced hunting (Graph `runHuntingQuery`, or the Defender API with
    /// `api: "defender"`) → `Promise<AzureResult>`.
    #[wasm_bindgen(js_name = huntingQuery)]
    pub fn hunting_query(&self, query: String, options: JsValue) -> Promise {
        self.start(options, move |inner, options| {
            check_keys(options, &["timespan", "api", "timeout", "signal"])?;
            let o = Options(options);
            let api = match o.string("api")?.as_deref() {
                None => None,
                Some("graph") => Some(HuntingApi::Graph),
                Some("defender") => Some(HuntingApi::Defender),
                Some(other) => {
                    return Err(Error::invalid_option(
                        "api",
                        format!("expected \"graph\" or \"defender\", got {other:?}"),
                    )
                    .into());
                }
            };
            let mut op =
                ops::hunting_query(&inner.endpoints, &query, timespan(&o)?.as_deref(), api)?;
            set_timeout_option(&mut op, &o)?;
            Ok(op)
        })
    }

    /// A Key Vault secret → `Promise<{ value, id, attributes, … }>`. From a page this fails
    /// with an error explaining that Key Vault sends no CORS headers.
    #[wasm_bindgen(js_name = keyVaultSecret)]
    pub fn key_vault_secret(&self, vault: String, name: String, options: JsValue) -> Promise {
        self.start(options, move |inner, options| {
            check_keys(options, &["version", "apiVersion", "timeout", "signal"])?;
            let o = Options(options);
            let mut op = ops::key_vault_secret(
                &inner.endpoints,
                &vault,
                &name,
                o.string("version")?.as_deref(),
                o.string("apiVersion")?.as_deref(),
            )?;
            set_timeout_option(&mut op, &o)?;
            Ok(op)
        })
    }
}

impl JsAzureClient {
    /// Builds the operation (errors reject the promise) and runs it.
    /// `build` gets the options, `{}` when none were given.
    fn start(
        &self,
        options: JsValue,
        build: impl FnOnce(&Inner, &JsValue) -> JsResult<ops::Op> + 'static,
    ) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let options = if options.is_undefined() || options.is_null() {
                Object::new().into()
            } else {
                options
            };
            let op = build(&inner, &options)?;
            let signal = Reflect::get(&options, &"signal".into())
                .ok()
                .and_then(|s| s.dyn_into::<AbortSignal>().ok());
            let out = run(&inner, op, signal.as_ref())
                .await
                .map_err(|e| inner.scrub(e))?;
            result_js(out)
        })
    }
}

impl Inner {
    /// The token for `scope`: cached, or from `getToken(scope, { forceRefresh, tenantId,
    /// authority })`, which may return the token, `{ accessToken }`/`{ token }`, or a promise
    /// of either.
    async fn token(&self, scope: &str, refresh: bool) -> JsResult<String> {
        if !refresh && let Some(t) = self.tokens.borrow().get(scope) {
            return Ok(t.clone());
        }
        let opts = Object::new();
        Reflect::set(&opts, &"forceRefresh".into(), &refresh.into())?;
        if let Some(t) = &self.tenant_id {
            Reflect::set(&opts, &"tenantId".into(), &t.as_str().into())?;
        }
        if let Some(a) = &self.endpoints.authority {
            Reflect::set(&opts, &"authority".into(), &a.as_str().into())?;
        }
        let failed = |e: JsValue| -> JsValue {
            let why = Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "it threw".to_owned());
            let err: JsValue = Error::config(format!("getToken({scope}) failed: {why}")).into();
            // Keep the provider's own error code (e.g. MSAL's `user_cancelled`).
            if let Ok(code) = Reflect::get(&e, &"errorCode".into())
                && !code.is_undefined()
            {
                let _ = Reflect::set(&err, &"errorCode".into(), &code);
            }
            err
        };
        let value = self
            .get_token
            .call2(&JsValue::NULL, &scope.into(), &opts)
            .map_err(failed)?;
        let value = JsFuture::from(Promise::resolve(&value))
            .await
            .map_err(failed)?;
        let token = value
            .as_string()
            .or_else(|| {
                ["accessToken", "token"].iter().find_map(|k| {
                    Reflect::get(&value, &(*k).into())
                        .ok()
                        .and_then(|v| v.as_string())
                })
            })
            .filter(|t| !t.is_empty() && !t.contains(['\r', '\n', ' ']))
            .ok_or_else(|| {
                Error::config(format!(
                    "getToken({scope}) gave no token (expected a string or {{ accessToken }})"
                ))
            })?;
        self.tokens
            .borrow_mut()
            .insert(scope.to_owned(), token.clone());
        self.seen.borrow_mut().push(token.clone());
        Ok(token)
    }

    /// A JS error with every token this client has held replaced by `[token]`.
    fn scrub(&self, err: JsValue) -> JsValue {
        let seen = self.seen.borrow();
        if let Ok(m) = Reflect::get(&err, &"message".into())
            && let Some(mut text) = m.as_string()
        {
            let mut changed = false;
            for t in seen.iter() {
                if text.contains(t.as_str()) {
                    text = text.replace(t.as_str(), "[token]");
                    changed = true;
                }
            }
            if changed {
                let _ = Reflect::set(&err, &"message".into(), &text.into());
            }
        }
        err
    }
}

fn api_named(name: &str) -> JsResult<Api> {
    Ok(match name {
        "resourceManager" => Api::ResourceManager,
        "logAnalytics" => Api::LogAnalytics,
        "microsoftGraph" => Api::MicrosoftGraph,
        "defender" => Api::Defender,
        "keyVault" => Api::KeyVault,
        other => {
            return Err(Error::invalid_option(
                "api",
                format!(
                    "unknown API {other:?}; known: resourceManager, logAnalytics, \
                     microsoftGraph, defender, keyVault"
                ),
            )
            .into());
        }
    })
}

/// `timespan`: an ISO 8601 string, or `{ start, end }` as `Date`s or ISO strings.
fn timespan(o: &Options<'_>) -> JsResult<Option<String>> {
    let v = o.get("timespan")?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(s));
    }
    let end = |name: &str| -> JsResult<String> {
        let x = Reflect::get(&v, &name.into())?;
        if let Some(d) = x.dyn_ref::<js_sys::Date>() {
            return Ok(String::from(d.to_iso_string()));
        }
        x.as_string().ok_or_else(|| {
            o.wrong(
                "timespan",
                &x,
                "an ISO 8601 string, or { start, end } as Dates or ISO strings",
            )
        })
    };
    Ok(Some(format!("{}/{}", end("start")?, end("end")?)))
}

fn timeout(o: &Options<'_>) -> JsResult<Option<f64>> {
    match o.number("timeout")? {
        Some(t) if !(t.is_finite() && t > 0.0) => {
            Err(Error::invalid_option("timeout", "must be a number of seconds > 0").into())
        }
        t => Ok(t),
    }
}

fn set_timeout_option(op: &mut ops::Op, o: &Options<'_>) -> JsResult<()> {
    if let Some(t) = timeout(o)? {
        op.set_timeout(t);
    }
    Ok(())
}

fn limit(o: &Options<'_>) -> JsResult<Option<usize>> {
    match o.number("limit")? {
        Some(n) if !(n >= 1.0 && n.fract() == 0.0) => {
            Err(Error::invalid_option("limit", "must be a whole number ≥ 1").into())
        }
        n => Ok(n.map(|n| n as usize)),
    }
}

fn cancelled() -> JsValue {
    Error::from(crate::ErrorKind::Cancelled).into()
}

/// Drives `op` to its end.
async fn run(inner: &Inner, op: ops::Op, signal: Option<&AbortSignal>) -> JsResult<Output> {
    let seed = (js_sys::Math::random() * 2f64.powi(53)) as u64;
    let mut call = Call::new(op, inner.policy, seed);
    let mut action = call.start();
    loop {
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(cancelled());
        }
        action = match action {
            Action::Done(result) => return Ok(result?),
            Action::Sleep(ms) => {
                sleep(ms, signal).await?;
                call.on(Event::Slept)
            }
            Action::Fetch {
                request,
                refresh_token,
            } => {
                let token = inner.token(&request.scope, refresh_token).await?;
                call.on(send(&request, &token, signal).await?)
            }
        };
    }
}

fn global_fn(name: &str) -> JsResult<Function> {
    Reflect::get(&js_sys::global(), &name.into())?
        .dyn_into::<Function>()
        .map_err(|_| Error::config(format!("this JavaScript host has no `{name}`")).into())
}

/// Waits `ms`; an abort of `signal` ends the wait as cancelled.
async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> JsResult<()> {
    let set_timeout = global_fn("setTimeout")?;
    let mut setup: JsResult<()> = Ok(());
    let promise = Promise::new(&mut |resolve, reject| {
        setup = set_timeout
            .call2(&JsValue::NULL, &resolve, &ms.into())
            .map(|_| ());
        if let Some(s) = signal {
            let _ = s.add_event_listener_with_callback("abort", &reject);
        }
    });
    setup?;
    JsFuture::from(promise).await.map_err(|_| cancelled())?;
    Ok(())
}

/// One fetch of `request` with its token; resolves to what happened (errors only for
/// cancellation and a host without `fetch`).
async fn send(request: &Request, token: &str, signal: Option<&AbortSignal>) -> JsResult<Event> {
    let controller = AbortController::new()?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (flag, c) = (timed_out.clone(), controller.clone());
        Closure::once(move || {
            flag.set(true);
            c.abort();
        })
    };
    let timer = global_fn("setTimeout")?.call2(
        &JsValue::NULL,
        on_timeout.as_ref().unchecked_ref(),
        &(request.timeout_s * 1000.0).into(),
    )?;
    let on_abort = {
        let c = controller.clone();
        Closure::<dyn FnMut()>::new(move || c.abort())
    };
    if let Some(s) = signal {
        s.add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref())?;
    }
    let outcome = fetch(request, token, &controller).await;
    let _ = global_fn("clearTimeout").map(|f| f.call1(&JsValue::NULL, &timer));
    if let Some(s) = signal {
        let _ = s.remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
    }
    match outcome {
        Ok(response) => Ok(Event::Response(response)),
        Err(_) if signal.is_some_and(AbortSignal::aborted) => Err(cancelled()),
        Err(_) if timed_out.get() => Ok(Event::TimedOut),
        Err(e) => {
            let name = Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|v| v.as_string());
            let message = Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|v| v.as_string())
                .or_else(|| e.as_string())
                .unwrap_or_default();
            Ok(Event::NetworkError(match name {
                Some(n) => format!("{n}: {message}"),
                None => message,
            }))
        }
    }
}

async fn fetch(request: &Request, token: &str, controller: &AbortController) -> JsResult<Response> {
    let headers = Headers::new()?;
    for (k, v) in &request.headers {
        headers.append(k, v)?;
    }
    headers.set("Authorization", &format!("Bearer {token}"))?;
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_signal(Some(&controller.signal()));
    // No cookies, and no redirects: the token goes only to the URL asked for.
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_redirect(web_sys::RequestRedirect::Error);
    init.set_cache(web_sys::RequestCache::NoStore);
    let promise: Promise = global_fn("fetch")?
        .call2(&JsValue::NULL, &request.url.as_str().into(), &init)?
        .dyn_into()?;
    let res: web_sys::Response = JsFuture::from(promise).await?.dyn_into()?;
    let mut names = Vec::new();
    if let Some(entries) = js_sys::try_iter(&res.headers())? {
        for entry in entries {
            let pair: Array = entry?.dyn_into()?;
            let name = pair
                .get(0)
                .as_string()
                .unwrap_or_default()
                .to_ascii_lowercase();
            names.push((name, pair.get(1).as_string().unwrap_or_default()));
        }
    }
    let body = JsFuture::from(res.array_buffer()?).await?;
    Ok(Response {
        status: res.status(),
        headers: names,
        body: Uint8Array::new(&body).to_vec(),
        now_ms: js_sys::Date::now(),
    })
}

/// `{ tables: [{ name, table }], table, warnings, json, pages, requests }`.
fn result_js(out: Output) -> JsResult<JsValue> {
    let result = Object::new();
    let tables = Array::new();
    let mut first: Option<JsValue> = None;
    for (name, table) in out.tables {
        let entry = Object::new();
        Reflect::set(&entry, &"name".into(), &name.into())?;
        let t: JsValue = JsResultTable::new(table).into();
        Reflect::set(&entry, &"table".into(), &t)?;
        first.get_or_insert(t);
        tables.push(&entry);
    }
    Reflect::set(&result, &"tables".into(), &tables)?;
    Reflect::set(&result, &"table".into(), &first.unwrap_or(JsValue::NULL))?;
    let warnings: Array = out.warnings.into_iter().map(JsValue::from).collect();
    Reflect::set(&result, &"warnings".into(), &warnings)?;
    let json = match out.json {
        Some(j) => js_sys::JSON::parse(&j.to_string())?,
        None => JsValue::NULL,
    };
    Reflect::set(&result, &"json".into(), &json)?;
    Reflect::set(&result, &"pages".into(), &(out.pages as f64).into())?;
    Reflect::set(&result, &"requests".into(), &(out.requests as f64).into())?;
    Ok(result.into())
}
