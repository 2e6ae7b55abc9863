//! `AzureClient`: drives [`huntkit::azure::Call`]s with `fetch` (web-sys), timers and the page's
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

use super::error::{JsResult, Thrown, opt_of, raw, read_options};
use super::keys::{self, Keys};
use super::table::JsResultTable;
use huntkit::Error;
use huntkit::azure::ops::Op;
use huntkit::azure::{
    Action, Api, Call, ClientConfig, Cloud, Event, MsticpyConfig, Output, Request, Response,
    TokenVault,
};
use huntkit::options::Options;

struct Inner {
    config: ClientConfig,
    get_token: Function,
    tokens: RefCell<TokenVault>,
}

/// A client for the Azure APIs of one cloud; see `AzureClient` in `azure.d.ts`.
#[wasm_bindgen(js_name = AzureClient)]
pub struct JsAzureClient {
    inner: Rc<Inner>,
}

fn client(options: &JsValue, config: Option<MsticpyConfig>) -> JsResult<JsAzureClient> {
    let o = read_options(options, keys::CLIENT)?;
    let get_token: Function = raw(options, "getToken").dyn_into().map_err(|v| {
        Options::wrong(
            "getToken",
            &opt_of(&v),
            "a function (scope) => token or Promise<token>, e.g. msalTokenProvider({...})",
        )
    })?;
    Ok(JsAzureClient {
        inner: Rc::new(Inner {
            config: ClientConfig::resolve(&o, config)?,
            get_token,
            tokens: RefCell::default(),
        }),
    })
}

/// The Entra ID sign-in host of a cloud (`global`, `usgov`, `cn` and their aliases), for
/// `msalTokenProvider`.
#[wasm_bindgen(js_name = cloudAuthority)]
pub fn cloud_authority(cloud: String) -> JsResult<String> {
    Ok(Cloud::authority_of(&cloud)?)
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
        self.inner.config.endpoints.cloud.name().to_owned()
    }

    /// The tenant id, when known.
    #[wasm_bindgen(getter, js_name = tenantId)]
    pub fn tenant_id(&self) -> Option<String> {
        self.inner.config.tenant_id.clone()
    }

    /// The default Log Analytics workspace id, when known.
    #[wasm_bindgen(getter, js_name = workspaceId)]
    pub fn workspace_id(&self) -> Option<String> {
        self.inner.config.workspace_id.clone()
    }

    /// The configured workspaces' names (from a msticpyconfig).
    #[wasm_bindgen(getter)]
    pub fn workspaces(&self) -> Vec<String> {
        self.inner
            .config
            .workspaces
            .iter()
            .map(|w| w.name.clone())
            .collect()
    }

    /// The sign-in host, e.g. `https://login.microsoftonline.us`.
    #[wasm_bindgen(getter)]
    pub fn authority(&self) -> JsResult<String> {
        Ok(self.inner.config.endpoints.authority()?.to_owned())
    }

    /// `{ url, scope }` of an API: `resourceManager`, `logAnalytics`, `microsoftGraph`,
    /// `defender` or `keyVault`.
    pub fn endpoint(&self, api: String) -> JsResult<JsValue> {
        let api = Api::parse(&api)?;
        let endpoints = &self.inner.config.endpoints;
        let e = endpoints.get(api)?;
        let out = Object::new();
        Reflect::set(&out, &"url".into(), &e.url.as_str().into())?;
        Reflect::set(&out, &"scope".into(), &endpoints.scope(api)?.into())?;
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
        self.start(options, keys::LOG_ANALYTICS, move |c, o| {
            c.log_analytics_query(&query, o)
        })
    }

    /// Resource Graph query, every page (or up to `limit` rows) → `Promise<AzureResult>`.
    #[wasm_bindgen(js_name = resourceGraphQuery)]
    pub fn resource_graph_query(&self, query: String, options: JsValue) -> Promise {
        self.start(options, keys::RESOURCE_GRAPH, move |c, o| {
            c.resource_graph_query(&query, o)
        })
    }

    /// A Sentinel operation (`incidents`, `incident`, `incidentEntities`, `incidentAlerts`,
    /// `incidentComments`, `bookmarks`, `watchlists`, `watchlistItems`, `analyticsRules`) →
    /// `Promise<AzureResult>`. `id` is the incident id or watchlist alias where one is needed.
    #[wasm_bindgen(js_name = sentinelCall)]
    pub fn sentinel_call(&self, what: String, id: Option<String>, options: JsValue) -> Promise {
        self.start(options, keys::SENTINEL, move |c, o| {
            c.sentinel_call(&what, id, o)
        })
    }

    /// Advanced hunting (Graph `runHuntingQuery`, or the Defender API with
    /// `api: "defender"`) → `Promise<AzureResult>`.
    #[wasm_bindgen(js_name = huntingQuery)]
    pub fn hunting_query(&self, query: String, options: JsValue) -> Promise {
        self.start(options, keys::HUNTING, move |c, o| {
            c.hunting_query(&query, o)
        })
    }

    /// A Key Vault secret → `Promise<{ value, id, attributes, … }>`. From a page this fails
    /// with an error explaining that Key Vault sends no CORS headers.
    #[wasm_bindgen(js_name = keyVaultSecret)]
    pub fn key_vault_secret(&self, vault: String, name: String, options: JsValue) -> Promise {
        self.start(options, keys::KEY_VAULT, move |c, o| {
            c.key_vault_secret(&vault, &name, o)
        })
    }
}

impl JsAzureClient {
    /// Builds the operation from the call's options (errors reject the promise) and runs it.
    fn start(
        &self,
        options: JsValue,
        keys: Keys,
        build: impl FnOnce(&ClientConfig, &Options<'_>) -> huntkit::Result<Op> + 'static,
    ) -> Promise {
        let inner = self.inner.clone();
        let call = async move {
            let o = read_options(&options, keys)?;
            let op = build(&inner.config, &o)?;
            let signal = raw(&options, "signal").dyn_into::<AbortSignal>().ok();
            let out = run(&inner, op, signal.as_ref())
                .await
                .map_err(|e| inner.scrub(e))?;
            result_js(out)
        };
        future_to_promise(async move { call.await.map_err(JsValue::from) })
    }
}

impl Inner {
    /// The token for `scope`: cached, or from `getToken(scope, { forceRefresh, tenantId,
    /// authority })`, which may return the token, `{ accessToken }`/`{ token }`, or a promise
    /// of either.
    async fn token(&self, scope: &str, refresh: bool) -> JsResult<String> {
        if !refresh && let Some(t) = self.tokens.borrow().get(scope) {
            return Ok(t.to_owned());
        }
        let opts = Object::new();
        Reflect::set(&opts, &"forceRefresh".into(), &refresh.into())?;
        if let Some(t) = &self.config.tenant_id {
            Reflect::set(&opts, &"tenantId".into(), &t.as_str().into())?;
        }
        if let Some(a) = &self.config.endpoints.authority {
            Reflect::set(&opts, &"authority".into(), &a.as_str().into())?;
        }
        let failed = |e: JsValue| -> JsValue {
            let why = Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "it threw".to_owned());
            let err: JsValue =
                Thrown::from(Error::config(format!("getToken({scope}) failed: {why}"))).into();
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
        let token = value.as_string().or_else(|| {
            ["accessToken", "token"]
                .iter()
                .find_map(|k| raw(&value, k).as_string())
        });
        Ok(self.tokens.borrow_mut().accept(scope, token)?)
    }

    /// A JS error with every token this client has held replaced by `[token]`.
    fn scrub(&self, err: Thrown) -> Thrown {
        let err = JsValue::from(err);
        if let Some(text) = raw(&err, "message").as_string()
            && let Some(clean) = self.tokens.borrow().scrub(&text)
        {
            let _ = Reflect::set(&err, &"message".into(), &clean.into());
        }
        err.into()
    }
}

fn cancelled() -> Thrown {
    Error::from(huntkit::ErrorKind::Cancelled).into()
}

/// Drives `op` to its end.
async fn run(inner: &Inner, op: Op, signal: Option<&AbortSignal>) -> JsResult<Output> {
    let seed = (js_sys::Math::random() * 2f64.powi(53)) as u64;
    let mut call = Call::new(op, inner.config.policy, seed);
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
    let mut setup: Result<(), JsValue> = Ok(());
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
            let e = JsValue::from(e);
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
