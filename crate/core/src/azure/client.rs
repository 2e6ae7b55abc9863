//! A client, less its I/O: the configuration resolved from options and a msticpyconfig
//! ([`ClientConfig`]), each call's options read into an [`Op`], and the tokens it holds
//! ([`TokenVault`]). A host (the wasm `AzureClient`) adds `fetch`, timers and the token callback.

use std::fmt;

use super::call::RetryPolicy;
use super::cloud::{Cloud, Endpoints};
use super::config::{MsticpyConfig, Workspace};
use super::ops::{
    self, HuntingApi, LogAnalyticsQuery, Op, ResourceGraphQuery, Sentinel, SentinelWorkspace,
};
use crate::error::{Error, Result};
use crate::hash::HashMap;
use crate::options::{Opt, OptionSource, Options, check_keys};
use crate::table::time::format_timestamp;

/// What a client knows besides its tokens.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The cloud's endpoints, with overrides.
    pub endpoints: Endpoints,
    /// The tenant, when known.
    pub tenant_id: Option<String>,
    /// The default Log Analytics workspace id.
    pub workspace_id: Option<String>,
    /// The default Sentinel workspace.
    pub sentinel: Option<SentinelWorkspace>,
    /// The msticpyconfig's workspaces.
    pub workspaces: Vec<Workspace>,
    /// Retries.
    pub policy: RetryPolicy,
    /// Sentinel's api-version for every call that gives none.
    pub sentinel_api_version: Option<String>,
}

impl ClientConfig {
    /// The keys of the client's options (`getToken` is the host's).
    pub const KEYS: &[&str] = &[
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
    /// The keys of `logAnalyticsQuery`'s options, beside `timeout` and `signal`.
    pub const LOG_ANALYTICS_KEYS: &[&str] = &[
        "workspaceId",
        "timespan",
        "additionalWorkspaces",
        "serverTimeout",
        "failOnPartial",
        "statistics",
    ];
    /// The keys of `resourceGraphQuery`'s options, beside `timeout` and `signal`.
    pub const RESOURCE_GRAPH_KEYS: &[&str] =
        &["subscriptions", "managementGroups", "limit", "apiVersion"];
    /// The keys of the Sentinel calls' options, beside `timeout` and `signal`.
    pub const SENTINEL_KEYS: &[&str] = &[
        "filter",
        "orderBy",
        "top",
        "limit",
        "apiVersion",
        "workspace",
    ];
    /// The keys of `huntingQuery`'s options, beside `timeout` and `signal`.
    pub const HUNTING_KEYS: &[&str] = &["timespan", "api"];
    /// The keys of `keyVaultSecret`'s options, beside `timeout` and `signal`.
    pub const KEY_VAULT_KEYS: &[&str] = &["version", "apiVersion"];
    /// The keys of a Sentinel workspace object.
    pub const WORKSPACE_KEYS: &[&str] = &["subscriptionId", "resourceGroup", "workspaceName"];
    /// The keys every call takes (`signal` is read by the host).
    pub const CALL_KEYS: &[&str] = &["timeout", "signal"];

    /// The client's options resolved over `config` (a parsed msticpyconfig): the cloud, the
    /// endpoints and their overrides, the workspace (given, or the config's, named by
    /// `workspace` when it is a string), retries.
    pub fn resolve(o: &Options<'_>, config: Option<MsticpyConfig>) -> Result<ClientConfig> {
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
        match o.get("endpoints") {
            Opt::Absent => {}
            Opt::Object(overrides) => {
                for name in overrides.keys() {
                    let Opt::Text(url) = overrides.get(&name) else {
                        return Err(Error::config(format!(
                            "endpoints.{name} should be a URL string"
                        )));
                    };
                    endpoints.set(&name, &url)?;
                }
            }
            v => return Err(Options::wrong("endpoints", &v, "an object of URLs")),
        }
        // The workspace: given, or the config's (named by `workspace` when it is a string).
        let ws = o.get("workspace");
        let name = match &ws {
            Opt::Text(name) => Some(name.as_str()),
            _ => None,
        };
        let chosen = match name {
            Some(name) if config.workspaces.is_empty() => {
                return Err(Error::invalid_option(
                    "workspace",
                    format!(
                        "{name:?} names a msticpyconfig workspace, and there is no config; give \
                         {{ subscriptionId, resourceGroup, workspaceName }}"
                    ),
                ));
            }
            _ if config.workspaces.is_empty() => None,
            name => Some(config.workspace(name)?.clone()),
        };
        let sentinel = match &ws {
            Opt::Object(ws) => Some(sentinel_workspace(&**ws)?),
            _ => chosen.as_ref().and_then(|w| {
                Some(SentinelWorkspace {
                    subscription_id: w.subscription_id.clone()?,
                    resource_group: w.resource_group.clone()?,
                    workspace_name: w.workspace_name.clone()?,
                })
            }),
        };
        let mut policy = RetryPolicy::default();
        if let Some(retry) = o.object("retry")? {
            let r = Options::new(
                &*retry,
                &[&[
                    "maxAttempts",
                    "baseDelayMs",
                    "maxDelayMs",
                    "maxRetryAfterMs",
                ]],
            )?;
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
                        return Err(Error::invalid_option(
                            "retry",
                            format!("{name} must be ≥ 0"),
                        ));
                    }
                    *slot = v;
                }
            }
        }
        Ok(ClientConfig {
            endpoints,
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
        })
    }

    /// A Log Analytics query.
    pub fn log_analytics_query(&self, query: &str, o: &Options<'_>) -> Result<Op> {
        let workspace = o
            .string("workspaceId")?
            .or(self.workspace_id.clone())
            .ok_or_else(|| {
                Error::invalid_option(
                    "workspaceId",
                    "no workspace: pass `workspaceId` or create the client with one",
                )
            })?;
        let q = LogAnalyticsQuery {
            timespan: timespan(o)?,
            workspaces: o.strings("additionalWorkspaces")?.unwrap_or_default(),
            server_timeout: o.number("serverTimeout")?.map(|s| s.clamp(0.0, 1e6) as u32),
            fail_on_partial: o.flag("failOnPartial")?,
            statistics: o.flag("statistics")?,
            timeout: timeout(o)?,
        };
        ops::log_analytics_query(&self.endpoints, &workspace, query, &q)
    }

    /// A Resource Graph query, every page (or up to `limit` rows).
    pub fn resource_graph_query(&self, query: &str, o: &Options<'_>) -> Result<Op> {
        let q = ResourceGraphQuery {
            subscriptions: o.strings("subscriptions")?.unwrap_or_default(),
            management_groups: o.strings("managementGroups")?.unwrap_or_default(),
            limit: limit(o)?,
            api_version: o.string("apiVersion")?,
        };
        with_timeout(ops::resource_graph_query(&self.endpoints, query, &q)?, o)
    }

    /// The Sentinel call named `what` (`incidents`, `incident`, `incidentEntities`,
    /// `incidentAlerts`, `incidentComments`, `bookmarks`, `watchlists`, `watchlistItems`,
    /// `analyticsRules`); `id` is the incident id or watchlist alias where one is needed.
    pub fn sentinel_call(&self, what: &str, id: Option<String>, o: &Options<'_>) -> Result<Op> {
        let need = |what: &'static str| {
            id.clone()
                .ok_or_else(|| Error::invalid_option(what, "this Sentinel call needs it"))
        };
        let op = match what {
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
                ));
            }
        };
        let ws = match o.object("workspace")? {
            Some(ws) => sentinel_workspace(&*ws)?,
            None => self.sentinel.clone().ok_or_else(|| {
                Error::invalid_option(
                    "workspace",
                    "Sentinel calls need the workspace's { subscriptionId, resourceGroup, \
                     workspaceName }: give `workspace` to the client or the call",
                )
            })?,
        };
        let version = o
            .string("apiVersion")?
            .or(self.sentinel_api_version.clone());
        let op = ops::sentinel(&self.endpoints, &ws, &op, version.as_deref(), limit(o)?)?;
        with_timeout(op, o)
    }

    /// Advanced hunting: Graph `runHuntingQuery`, or the Defender API with `api: "defender"`.
    pub fn hunting_query(&self, query: &str, o: &Options<'_>) -> Result<Op> {
        let api = o.word("api", "\"graph\" or \"defender\"", |w| match w {
            "graph" => Some(HuntingApi::Graph),
            "defender" => Some(HuntingApi::Defender),
            _ => None,
        })?;
        let op = ops::hunting_query(&self.endpoints, query, timespan(o)?.as_deref(), api)?;
        with_timeout(op, o)
    }

    /// A Key Vault secret.
    pub fn key_vault_secret(&self, vault: &str, name: &str, o: &Options<'_>) -> Result<Op> {
        let op = ops::key_vault_secret(
            &self.endpoints,
            vault,
            name,
            o.string("version")?.as_deref(),
            o.string("apiVersion")?.as_deref(),
        )?;
        with_timeout(op, o)
    }
}

/// `{ subscriptionId, resourceGroup, workspaceName }`.
fn sentinel_workspace(ws: &dyn OptionSource) -> Result<SentinelWorkspace> {
    check_keys(ws, &[ClientConfig::WORKSPACE_KEYS])?;
    let field = |n: &'static str| match ws.get(n) {
        Opt::Text(s) => Ok(s),
        _ => Err(Error::invalid_option(
            "workspace",
            format!("needs `{n}` (a string)"),
        )),
    };
    Ok(SentinelWorkspace {
        subscription_id: field("subscriptionId")?,
        resource_group: field("resourceGroup")?,
        workspace_name: field("workspaceName")?,
    })
}

/// `timespan`: an ISO 8601 string, or `{ start, end }` as dates or ISO strings.
fn timespan(o: &Options<'_>) -> Result<Option<String>> {
    let expected = "an ISO 8601 string, or { start, end } as Dates or ISO strings";
    let span = match o.get("timespan") {
        Opt::Absent => return Ok(None),
        Opt::Text(s) => return Ok(Some(s)),
        Opt::Object(span) => span,
        v => return Err(Options::wrong("timespan", &v, expected)),
    };
    let end = |name: &str| match span.get(name) {
        Opt::Date(ms) if ms.is_finite() => Ok(format_timestamp(
            ms as i64,
            arrow_schema::TimeUnit::Millisecond,
        )),
        Opt::Text(s) => Ok(s),
        v => Err(Options::wrong("timespan", &v, expected)),
    };
    Ok(Some(format!("{}/{}", end("start")?, end("end")?)))
}

fn timeout(o: &Options<'_>) -> Result<Option<f64>> {
    match o.number("timeout")? {
        Some(t) if !(t.is_finite() && t > 0.0) => Err(Error::invalid_option(
            "timeout",
            "must be a number of seconds > 0",
        )),
        t => Ok(t),
    }
}

fn with_timeout(mut op: Op, o: &Options<'_>) -> Result<Op> {
    if let Some(t) = timeout(o)? {
        op.set_timeout(t);
    }
    Ok(op)
}

fn limit(o: &Options<'_>) -> Result<Option<usize>> {
    match o.number("limit")? {
        Some(n) if !(n >= 1.0 && n.fract() == 0.0) => {
            Err(Error::invalid_option("limit", "must be a whole number ≥ 1"))
        }
        n => Ok(n.map(|n| n as usize)),
    }
}

/// The tokens a client holds: by scope, in memory only, each sent only with requests for its
/// scope's API. Every token ever held is remembered so that it can be scrubbed from error
/// text. Its `Debug` shows how many, never the tokens.
#[derive(Default)]
pub struct TokenVault {
    by_scope: HashMap<String, String>,
    seen: Vec<String>,
}

impl fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenVault({} scopes)", self.by_scope.len())
    }
}

impl TokenVault {
    /// The cached token for `scope`.
    pub fn get(&self, scope: &str) -> Option<&str> {
        self.by_scope.get(scope).map(String::as_str)
    }

    /// Keeps `token` (what the token callback gave) for `scope`: an empty token, or one with
    /// spaces or line breaks (which would let it inject headers), is an `invalid-config`
    /// error.
    pub fn accept(&mut self, scope: &str, token: Option<String>) -> Result<String> {
        let token = token
            .filter(|t| !t.is_empty() && !t.contains(['\r', '\n', ' ']))
            .ok_or_else(|| {
                Error::config(format!(
                    "getToken({scope}) gave no token (expected a string or {{ accessToken }})"
                ))
            })?;
        self.by_scope.insert(scope.to_owned(), token.clone());
        if !self.seen.contains(&token) {
            self.seen.push(token.clone());
        }
        Ok(token)
    }

    /// Forgets the cached tokens (the next call asks again); they are still scrubbed.
    pub fn clear(&mut self) {
        self.by_scope.clear();
    }

    /// `text` with every token this vault has held replaced by `[token]`; `None` when it
    /// holds none.
    pub fn scrub(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for t in &self.seen {
            let current = out.as_deref().unwrap_or(text);
            if current.contains(t.as_str()) {
                out = Some(current.replace(t.as_str(), "[token]"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::azure::Api;
    use crate::options::obj;

    fn opts(v: serde_json::Value, keys: &[&str]) -> serde_json::Map<String, serde_json::Value> {
        let o = obj(v);
        check_keys(&o, &[keys, ClientConfig::CALL_KEYS]).unwrap();
        o
    }

    fn client(v: serde_json::Value) -> Result<ClientConfig> {
        let o = obj(v);
        ClientConfig::resolve(&Options::new(&o, &[ClientConfig::KEYS])?, None)
    }

    #[test]
    fn vault_scrubs_every_token_it_held() {
        let mut v = TokenVault::default();
        assert_eq!(v.accept("s1", Some("tok-A".into())).unwrap(), "tok-A");
        v.accept("s2", Some("tok-B".into())).unwrap();
        v.accept("s1", Some("tok-C".into())).unwrap();
        assert_eq!(v.get("s1"), Some("tok-C"));
        v.clear();
        assert_eq!(v.get("s1"), None);
        assert_eq!(
            v.scrub("401 for tok-A then tok-B, tok-C").as_deref(),
            Some("401 for [token] then [token], [token]")
        );
        assert_eq!(v.scrub("nothing here"), None);
        assert_eq!(format!("{v:?}"), "TokenVault(0 scopes)");
        for bad in [
            None,
            Some(String::new()),
            Some("a\r\nX-Evil: 1".into()),
            Some("a b".into()),
        ] {
            let err = v.accept("s", bad).unwrap_err();
            assert_eq!(err.code(), "invalid-config");
            assert!(err.to_string().contains("gave no token"), "{err}");
        }
    }

    #[test]
    fn client_resolves_cloud_endpoints_workspace_and_retry() {
        let c = client(json!({
            "cloud": "usgov",
            "endpoints": {"logAnalytics": "http://127.0.0.1:9/la"},
            "workspace": {"subscriptionId": "s", "resourceGroup": "r", "workspaceName": "w"},
            "retry": {"maxAttempts": 0, "baseDelayMs": 5},
            "workspaceId": "ws",
        }))
        .unwrap();
        assert_eq!(c.endpoints.cloud.name(), "usgov");
        assert_eq!(
            c.endpoints.get(Api::LogAnalytics).unwrap().url,
            "http://127.0.0.1:9/la/"
        );
        assert_eq!(c.sentinel.as_ref().unwrap().workspace_name, "w");
        assert_eq!((c.policy.max_attempts, c.policy.base_delay_ms), (1, 5.0));
        let err = client(json!({"workspace": "Default"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("there is no config"), "{err}");
        let err = client(json!({"endpoints": {"logAnalytic": "x"}}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `logAnalytics`?"), "{err}");
        let err = client(json!({"retry": {"maxDelayMs": -1}}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("maxDelayMs must be ≥ 0"), "{err}");
        let err = client(json!({"workspace": {"subscriptionId": "s"}})).unwrap_err();
        assert!(err.to_string().contains("needs `resourceGroup`"), "{err}");
    }

    #[test]
    fn client_from_msticpyconfig_picks_the_named_workspace() {
        let yaml = "AzureSentinel:\n  Workspaces:\n    Default:\n      WorkspaceId: a\n      TenantId: t\n    Other:\n      WorkspaceId: b\n      TenantId: t2\n      SubscriptionId: s\n      ResourceGroup: r\n      WorkspaceName: n\n";
        let config = MsticpyConfig::parse(yaml).unwrap();
        let o = obj(json!({"workspace": "Other"}));
        let c = ClientConfig::resolve(
            &Options::new(&o, &[ClientConfig::KEYS]).unwrap(),
            Some(config),
        )
        .unwrap();
        assert_eq!(c.workspace_id.as_deref(), Some("b"));
        assert_eq!(c.tenant_id.as_deref(), Some("t2"));
        assert_eq!(c.sentinel.unwrap().workspace_name, "n");
        assert_eq!(c.workspaces.len(), 2);
    }

    #[test]
    fn calls_read_their_options() {
        let c = client(json!({"workspaceId": "ws"})).unwrap();
        let o = opts(
            json!({"timespan": {"start": "2024-01-01T00:00:00Z", "end": "2024-01-02T00:00:00Z"}, "timeout": 5}),
            ClientConfig::LOG_ANALYTICS_KEYS,
        );
        let op = c
            .log_analytics_query(
                "T | take 1",
                &Options::new(
                    &o,
                    &[ClientConfig::LOG_ANALYTICS_KEYS, ClientConfig::CALL_KEYS],
                )
                .unwrap(),
            )
            .unwrap();
        let body = op.first_request().body.clone().unwrap();
        assert!(
            body.contains("2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"),
            "{body}"
        );
        assert_eq!(op.first_request().timeout_s, 5.0);
        let none = Options::none();
        let err = c
            .sentinel_call("incidents", None, &none)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Sentinel calls need the workspace"), "{err}");
        let err = c
            .sentinel_call("incidnts", None, &none)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown call \"incidnts\""), "{err}");
        let o = obj(
            json!({"workspace": {"subscriptionId": "s", "resourceGroup": "r", "workspaceName": "w"}}),
        );
        let o = Options::new(&o, &[ClientConfig::SENTINEL_KEYS]).unwrap();
        let err = c
            .sentinel_call("incident", None, &o)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`incidentId`"), "{err}");
        let op = c.sentinel_call("incident", Some("42".into()), &o).unwrap();
        assert!(
            op.first_request()
                .url
                .contains("/workspaces/w/providers/Microsoft.SecurityInsights/incidents/42"),
            "{}",
            op.first_request().url
        );
        let o = obj(json!({"api": "defendr"}));
        let err = c
            .hunting_query(
                "q",
                &Options::new(&o, &[ClientConfig::HUNTING_KEYS]).unwrap(),
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("expected \"graph\" or \"defender\""),
            "{err}"
        );
        let o = obj(json!({"limit": 0.5}));
        let err = c
            .resource_graph_query(
                "q",
                &Options::new(&o, &[ClientConfig::RESOURCE_GRAPH_KEYS]).unwrap(),
            )
            .unwrap_err();
        assert!(err.to_string().contains("whole number"), "{err}");
        assert_eq!(Api::parse("keyVault").unwrap(), Api::KeyVault);
        assert!(
            Api::parse("graph")
                .unwrap_err()
                .to_string()
                .contains("known: resourceManager")
        );
    }

    #[test]
    fn timespan_dates_are_iso() {
        struct Dates;
        impl OptionSource for Dates {
            fn keys(&self) -> Vec<String> {
                vec!["timespan".into()]
            }
            fn get(&self, _: &str) -> Opt {
                struct Span;
                impl OptionSource for Span {
                    fn keys(&self) -> Vec<String> {
                        vec!["start".into(), "end".into()]
                    }
                    fn get(&self, k: &str) -> Opt {
                        Opt::Date(if k == "start" {
                            0.0
                        } else {
                            1_704_067_200_123.0
                        })
                    }
                }
                Opt::Object(Box::new(Span))
            }
        }
        let o = Options::new(Dates, &[&["timespan"]]).unwrap();
        assert_eq!(
            timespan(&o).unwrap().as_deref(),
            Some("1970-01-01T00:00:00.000Z/2024-01-01T00:00:00.123Z")
        );
    }
}
