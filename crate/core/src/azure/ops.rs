//! The operations: each builds its first request and reads its responses.

use serde_json::{Value as Json, json};

use super::cloud::{Api, Endpoints};
use super::http::{Request, Response, http_error, origin_of};
use super::json::{Kind, flat_table, typed_table};
use crate::error::{Error, Result};
use crate::table::Table;

/// Sentinel's api-version when the caller gives none: the current GA on Microsoft Learn.
pub const SENTINEL_API_VERSION: &str = "2025-06-01";
/// Resource Graph's api-version when the caller gives none.
pub const RESOURCE_GRAPH_API_VERSION: &str = "2022-10-01";
/// Key Vault's api-version when the caller gives none.
pub const KEY_VAULT_API_VERSION: &str = "7.5";
/// MSTICPy's default server timeout for Log Analytics queries, seconds.
pub const LOG_ANALYTICS_SERVER_TIMEOUT: u32 = 300;
/// Client timeout of calls other than Log Analytics queries, seconds.
pub const DEFAULT_TIMEOUT: f64 = 120.0;

/// How to read an operation's responses.
#[derive(Debug, Clone, PartialEq)]
enum Parse {
    LogAnalytics {
        fail_on_partial: bool,
    },
    ResourceGraph,
    /// `{ value: [...], nextLink? }`, collected as the named table.
    ArmList(&'static str),
    /// One object, also as a one-row table with this name.
    ArmObject(&'static str),
    /// `{ entities: [...] }`.
    ArmEntities,
    /// `{ schema, results }` (Graph) or `{ Schema, Results }` (Defender).
    Hunting,
    /// A Key Vault secret.
    Secret,
}

/// An operation ready to run as a [`super::Call`].
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub(super) first: Request,
    parse: Parse,
    /// Most rows to collect over all pages.
    pub(super) limit: Option<usize>,
}

/// Where the next page is.
#[derive(Debug)]
pub(super) enum Next {
    /// Resource Graph's `$skipToken`.
    SkipToken(String),
    /// ARM's `nextLink` URL.
    Link(String),
}

/// What one response gave.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub tables: Vec<(String, Table)>,
    pub objects: Vec<Json>,
    pub warnings: Vec<String>,
    pub json: Option<Json>,
    pub next: Option<Next>,
}

/// Percent-encodes a path segment or query value (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn required<'a>(value: &'a str, what: &'static str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid_option(what, "must not be empty"));
    }
    Ok(v)
}

fn json_headers() -> Vec<(String, String)> {
    vec![
        (
            "Content-Type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        ),
        ("Accept".to_owned(), "application/json".to_owned()),
    ]
}

fn request(
    e: &Endpoints,
    api: Api,
    method: &'static str,
    url: String,
    body: Option<Json>,
    timeout_s: f64,
) -> Result<Request> {
    Ok(Request {
        method,
        url,
        headers: json_headers(),
        body: body.map(|b| b.to_string()),
        api,
        scope: e.scope(api)?,
        timeout_s,
    })
}

fn parse_json(api: Api, r: &Response) -> Result<Json> {
    serde_json::from_slice(&r.body).map_err(|e| {
        Error::invalid_table(format!(
            "{}: the response is not JSON ({e}) (HTTP {})",
            api.label(),
            r.status
        ))
    })
}

/// A Log Analytics query's options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogAnalyticsQuery {
    /// ISO 8601 interval (`start/end`, `start/duration`) or duration (`P1D`).
    pub timespan: Option<String>,
    /// More workspaces to query.
    pub workspaces: Vec<String>,
    /// Seconds the service may run the query (`Prefer: wait=`; default 300).
    pub server_timeout: Option<u32>,
    /// Fail on a partial result instead of returning it with a warning.
    pub fail_on_partial: bool,
    /// Ask for query statistics.
    pub statistics: bool,
    /// Client timeout, seconds (default: the server timeout + 30).
    pub timeout: Option<f64>,
}

/// `POST {logAnalytics}v1/workspaces/{id}/query`.
pub fn log_analytics_query(
    e: &Endpoints,
    workspace_id: &str,
    query: &str,
    o: &LogAnalyticsQuery,
) -> Result<Op> {
    let id = required(workspace_id, "workspaceId")?;
    let query = required(query, "query")?;
    let base = &e.get(Api::LogAnalytics)?.url;
    let mut body = json!({ "query": query });
    if let Some(t) = &o.timespan {
        body["timespan"] = json!(check_timespan(t)?);
    }
    if !o.workspaces.is_empty() {
        body["workspaces"] = json!(o.workspaces);
    }
    let wait = o.server_timeout.unwrap_or(LOG_ANALYTICS_SERVER_TIMEOUT);
    if !(1..=3600).contains(&wait) {
        return Err(Error::invalid_option(
            "serverTimeout",
            "must be from 1 to 3600 seconds",
        ));
    }
    let mut prefer = format!("wait={wait}");
    if o.statistics {
        prefer.push_str(",include-statistics=true");
    }
    let mut first = request(
        e,
        Api::LogAnalytics,
        "POST",
        format!("{base}v1/workspaces/{}/query", encode(id)),
        Some(body),
        o.timeout.unwrap_or(f64::from(wait) + 30.0),
    )?;
    first.headers.push(("Prefer".to_owned(), prefer));
    Ok(Op {
        first,
        parse: Parse::LogAnalytics {
            fail_on_partial: o.fail_on_partial,
        },
        limit: None,
    })
}

/// An ISO 8601 duration (`P1D`, `PT1H`) or interval (`start/end`, `start/P1D`), as given.
fn check_timespan(t: &str) -> Result<&str> {
    let t = t.trim();
    let duration = |s: &str| s.starts_with('P') && s.len() > 1;
    let ok = match t.split_once('/') {
        Some((a, b)) => {
            (crate::table::parse_iso_ns(a).is_some() || duration(a))
                && (crate::table::parse_iso_ns(b).is_some() || duration(b))
        }
        None => duration(t),
    };
    if ok {
        Ok(t)
    } else {
        Err(Error::invalid_option(
            "timespan",
            format!(
                "{t:?} is not an ISO 8601 duration (P1D, PT6H) or interval \
                 (2024-01-01T00:00:00Z/2024-01-02T00:00:00Z)"
            ),
        ))
    }
}

/// A Resource Graph query's options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceGraphQuery {
    /// Subscriptions to query (none: every one the token can see).
    pub subscriptions: Vec<String>,
    /// Management groups to query.
    pub management_groups: Vec<String>,
    /// Most rows to return (all pages by default).
    pub limit: Option<usize>,
    /// The api-version (default [`RESOURCE_GRAPH_API_VERSION`]).
    pub api_version: Option<String>,
}

/// `POST {arm}providers/Microsoft.ResourceGraph/resources`, paged with `$skipToken`.
pub fn resource_graph_query(e: &Endpoints, query: &str, o: &ResourceGraphQuery) -> Result<Op> {
    let query = required(query, "query")?;
    let base = &e.get(Api::ResourceManager)?.url;
    let top = o.limit.unwrap_or(1000).clamp(1, 1000);
    let mut body = json!({
        "query": query,
        "options": { "resultFormat": "objectArray", "$top": top },
    });
    if !o.subscriptions.is_empty() {
        body["subscriptions"] = json!(o.subscriptions);
    }
    if !o.management_groups.is_empty() {
        body["managementGroups"] = json!(o.management_groups);
    }
    let version = o
        .api_version
        .as_deref()
        .unwrap_or(RESOURCE_GRAPH_API_VERSION);
    Ok(Op {
        first: request(
            e,
            Api::ResourceManager,
            "POST",
            format!(
                "{base}providers/Microsoft.ResourceGraph/resources?api-version={}",
                encode(version)
            ),
            Some(body),
            DEFAULT_TIMEOUT,
        )?,
        parse: Parse::ResourceGraph,
        limit: o.limit,
    })
}

/// The workspace a Sentinel call is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentinelWorkspace {
    /// Subscription id.
    pub subscription_id: String,
    /// Resource group.
    pub resource_group: String,
    /// Workspace name (not its GUID).
    pub workspace_name: String,
}

/// A Sentinel operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sentinel {
    /// Incidents, with OData `$filter`, `$orderby` and `$top`.
    Incidents {
        /// `$filter`.
        filter: Option<String>,
        /// `$orderby`.
        order_by: Option<String>,
        /// `$top` (page size).
        top: Option<u32>,
    },
    /// One incident by name (its GUID).
    Incident(String),
    /// An incident's entities.
    IncidentEntities(String),
    /// An incident's alerts.
    IncidentAlerts(String),
    /// An incident's comments.
    IncidentComments(String),
    /// Bookmarks.
    Bookmarks,
    /// Watchlists.
    Watchlists,
    /// A watchlist's items, by alias.
    WatchlistItems(String),
    /// Analytics (alert) rules.
    AnalyticsRules,
}

/// Runs a Sentinel operation: GET/POST under
/// `{arm}subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws}/providers/Microsoft.SecurityInsights/`,
/// lists paged through `nextLink` up to `limit` rows.
pub fn sentinel(
    e: &Endpoints,
    ws: &SentinelWorkspace,
    what: &Sentinel,
    api_version: Option<&str>,
    limit: Option<usize>,
) -> Result<Op> {
    let arm = &e.get(Api::ResourceManager)?.url;
    let sub = required(&ws.subscription_id, "subscriptionId")?;
    let rg = required(&ws.resource_group, "resourceGroup")?;
    let name = required(&ws.workspace_name, "workspaceName")?;
    let base = format!(
        "{arm}subscriptions/{}/resourceGroups/{}/providers/Microsoft.OperationalInsights/workspaces/{}/providers/Microsoft.SecurityInsights/",
        encode(sub),
        encode(rg),
        encode(name)
    );
    let id = |s: &str, what: &'static str| required(s, what).map(encode);
    let (method, path, parse) = match what {
        Sentinel::Incidents { .. } => ("GET", "incidents".to_owned(), Parse::ArmList("incidents")),
        Sentinel::Incident(i) => (
            "GET",
            format!("incidents/{}", id(i, "incidentId")?),
            Parse::ArmObject("incident"),
        ),
        Sentinel::IncidentEntities(i) => (
            "POST",
            format!("incidents/{}/entities", id(i, "incidentId")?),
            Parse::ArmEntities,
        ),
        Sentinel::IncidentAlerts(i) => (
            "POST",
            format!("incidents/{}/alerts", id(i, "incidentId")?),
            Parse::ArmList("alerts"),
        ),
        Sentinel::IncidentComments(i) => (
            "GET",
            format!("incidents/{}/comments", id(i, "incidentId")?),
            Parse::ArmList("comments"),
        ),
        Sentinel::Bookmarks => ("GET", "bookmarks".to_owned(), Parse::ArmList("bookmarks")),
        Sentinel::Watchlists => ("GET", "watchlists".to_owned(), Parse::ArmList("watchlists")),
        Sentinel::WatchlistItems(a) => (
            "GET",
            format!("watchlists/{}/watchlistItems", id(a, "alias")?),
            Parse::ArmList("watchlistItems"),
        ),
        Sentinel::AnalyticsRules => ("GET", "alertRules".to_owned(), Parse::ArmList("alertRules")),
    };
    let version = api_version.unwrap_or(SENTINEL_API_VERSION);
    let mut url = format!("{base}{path}?api-version={}", encode(version));
    if let Sentinel::Incidents {
        filter,
        order_by,
        top,
    } = what
    {
        for (k, v) in [("$filter", filter), ("$orderby", order_by)] {
            if let Some(v) = v {
                url.push_str(&format!("&{k}={}", encode(v)));
            }
        }
        if let Some(t) = top {
            url.push_str(&format!("&$top={t}"));
        }
    }
    let body = (method == "POST").then(|| json!({}));
    Ok(Op {
        first: request(e, Api::ResourceManager, method, url, body, DEFAULT_TIMEOUT)?,
        parse,
        limit,
    })
}

/// Which advanced-hunting API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HuntingApi {
    /// Microsoft Graph `security/runHuntingQuery`.
    Graph,
    /// The Defender for Endpoint API `api/advancedqueries/run` (retiring; no CORS evidence).
    Defender,
}

/// An advanced-hunting query; `api` defaults to Graph where the cloud has it, else Defender.
pub fn hunting_query(
    e: &Endpoints,
    query: &str,
    timespan: Option<&str>,
    api: Option<HuntingApi>,
) -> Result<Op> {
    let query = required(query, "query")?;
    let api = api.unwrap_or(if e.graph_hunting {
        HuntingApi::Graph
    } else {
        HuntingApi::Defender
    });
    let first = match api {
        HuntingApi::Graph => {
            if !e.graph_hunting && e.get(Api::MicrosoftGraph).is_ok() {
                return Err(Error::config(format!(
                    "Microsoft Graph has no hunting API in cloud `{}`; use `api: \"defender\"`",
                    e.cloud.name()
                )));
            }
            let mut body = json!({ "Query": query });
            if let Some(t) = timespan {
                body["Timespan"] = json!(check_timespan(t)?);
            }
            let base = &e.get(Api::MicrosoftGraph)?.url;
            request(
                e,
                Api::MicrosoftGraph,
                "POST",
                format!("{base}v1.0/security/runHuntingQuery"),
                Some(body),
                DEFAULT_TIMEOUT + 100.0,
            )?
        }
        HuntingApi::Defender => {
            if timespan.is_some() {
                return Err(Error::invalid_option(
                    "timespan",
                    "the Defender API takes no timespan; filter on Timestamp in the query",
                ));
            }
            let base = &e.get(Api::Defender)?.url;
            request(
                e,
                Api::Defender,
                "POST",
                format!("{base}api/advancedqueries/run"),
                Some(json!({ "Query": query })),
                DEFAULT_TIMEOUT + 100.0,
            )?
        }
    };
    Ok(Op {
        first,
        parse: Parse::Hunting,
        limit: None,
    })
}

/// `GET {vault}/secrets/{name}[/{version}]`; `vault` is a name (`https://{name}.{suffix}`) or
/// a URL.
pub fn key_vault_secret(
    e: &Endpoints,
    vault: &str,
    name: &str,
    version: Option<&str>,
    api_version: Option<&str>,
) -> Result<Op> {
    let vault = required(vault, "vault")?;
    let name = required(name, "name")?;
    let base = if vault.contains("://") {
        format!("{}/", vault.trim_end_matches('/'))
    } else {
        let suffix = e.key_vault_suffix.as_deref().ok_or_else(|| {
            Error::config(format!(
                "cloud `{}` has no Key Vault suffix; give `endpoints.keyVaultSuffix` or the \
                 vault's URL",
                e.cloud.name()
            ))
        })?;
        format!("https://{}.{suffix}/", encode(vault))
    };
    let mut url = format!("{base}secrets/{}", encode(name));
    if let Some(v) = version {
        url.push_str(&format!("/{}", encode(v)));
    }
    url.push_str(&format!(
        "?api-version={}",
        encode(api_version.unwrap_or(KEY_VAULT_API_VERSION))
    ));
    Ok(Op {
        first: request(e, Api::KeyVault, "GET", url, None, DEFAULT_TIMEOUT)?,
        parse: Parse::Secret,
        limit: None,
    })
}

impl Op {
    /// The request the operation starts with.
    pub fn first_request(&self) -> &Request {
        &self.first
    }

    /// Sets the client timeout of each request, seconds.
    pub fn set_timeout(&mut self, seconds: f64) {
        self.first.timeout_s = seconds;
    }

    /// Objects collected over pages become one table with this name.
    pub(super) fn collect_as(&self) -> Option<&'static str> {
        match self.parse {
            Parse::ResourceGraph => Some("resources"),
            Parse::ArmList(name) => Some(name),
            Parse::ArmEntities => Some("entities"),
            _ => None,
        }
    }

    pub(super) fn parse_page(&self, r: &Response) -> Result<Page> {
        let api = self.first.api;
        let body = parse_json(api, r)?;
        let mut page = Page::default();
        let array = |v: Option<&Json>, what: &str| -> Result<Vec<Json>> {
            match v {
                Some(Json::Array(a)) => Ok(a.clone()),
                None | Some(Json::Null) => Ok(Vec::new()),
                Some(_) => Err(Error::invalid_table(format!(
                    "{}: `{what}` in the response is not a list",
                    api.label()
                ))),
            }
        };
        match &self.parse {
            Parse::LogAnalytics { fail_on_partial } => {
                // Query statistics (asked with `statistics: true`) and render hints, as sent.
                let extras: serde_json::Map<String, Json> = ["statistics", "render"]
                    .iter()
                    .filter_map(|k| Some(((*k).to_owned(), body.get(*k)?.clone())))
                    .collect();
                if !extras.is_empty() {
                    page.json = Some(Json::Object(extras));
                }
                if body.get("error").is_some() {
                    let err = http_error(api, r);
                    if *fail_on_partial {
                        return Err(err);
                    }
                    page.warnings.push(format!(
                        "partial result (possibly a timeout): {err}; the tables hold what came back"
                    ));
                }
                for t in array(body.get("tables"), "tables")? {
                    let name = t.get("name").and_then(Json::as_str).unwrap_or("table");
                    let columns: Vec<(String, Kind)> = array(t.get("columns"), "columns")?
                        .iter()
                        .map(|c| {
                            let n = c.get("name").and_then(Json::as_str).unwrap_or_default();
                            let k = c.get("type").and_then(Json::as_str).unwrap_or("string");
                            (n.to_owned(), Kind::of(k))
                        })
                        .collect();
                    let rows = array(t.get("rows"), "rows")?;
                    let table =
                        typed_table(api.label(), &columns, rows.len(), |r, c| rows[r].get(c))?;
                    page.tables.push((name.to_owned(), table));
                }
            }
            Parse::ResourceGraph => {
                page.objects = array(body.get("data"), "data")?;
                page.next = body
                    .get("$skipToken")
                    .and_then(Json::as_str)
                    .filter(|t| !t.is_empty())
                    .map(|t| Next::SkipToken(t.to_owned()));
                let truncated = body
                    .get("resultTruncated")
                    .is_some_and(|v| v.as_str() == Some("true") || v.as_bool() == Some(true));
                if truncated && page.next.is_none() {
                    page.warnings.push(
                        "Resource Graph truncated the result and gave no $skipToken to page \
                         on; add `| order by` or narrow the query"
                            .to_owned(),
                    );
                }
            }
            Parse::ArmList(_) => {
                page.objects = array(body.get("value"), "value")?;
                page.next = body
                    .get("nextLink")
                    .and_then(Json::as_str)
                    .filter(|l| !l.is_empty())
                    .map(|l| Next::Link(l.to_owned()));
            }
            Parse::ArmEntities => page.objects = array(body.get("entities"), "entities")?,
            Parse::ArmObject(name) => {
                page.tables
                    .push(((*name).to_owned(), flat_table(std::slice::from_ref(&body))?));
                page.json = Some(body);
            }
            Parse::Hunting => {
                let (schema, results, n, t) = if body.get("schema").is_some() {
                    ("schema", "results", "name", "type")
                } else {
                    ("Schema", "Results", "Name", "Type")
                };
                let columns: Vec<(String, Kind)> = array(body.get(schema), schema)?
                    .iter()
                    .map(|c| {
                        let name = c.get(n).and_then(Json::as_str).unwrap_or_default();
                        let kind = c.get(t).and_then(Json::as_str).unwrap_or("String");
                        (name.to_owned(), Kind::of(kind))
                    })
                    .collect();
                let rows = array(body.get(results), results)?;
                let table = typed_table(api.label(), &columns, rows.len(), |r, c| {
                    rows[r].get(columns[c].0.as_str())
                })?;
                page.tables.push(("results".to_owned(), table));
            }
            Parse::Secret => {
                if body.get("value").is_none() {
                    return Err(Error::invalid_table(
                        "Key Vault: the response has no `value`",
                    ));
                }
                page.json = Some(body);
            }
        }
        Ok(page)
    }

    pub(super) fn next_request(&self, current: &Request, next: Next) -> Result<Request> {
        let mut request = current.clone();
        match next {
            Next::SkipToken(token) => {
                let mut body: Json = current
                    .body
                    .as_deref()
                    .and_then(|b| serde_json::from_str(b).ok())
                    .unwrap_or_else(|| json!({}));
                body["options"]["$skipToken"] = json!(token);
                request.body = Some(body.to_string());
            }
            Next::Link(url) => {
                // The token goes only to its own API: a nextLink elsewhere is not followed.
                if origin_of(&url) != origin_of(&self.first.url) {
                    return Err(Error::invalid_table(format!(
                        "{}: the response's nextLink points to another host ({}); not followed, \
                         so the token is not sent there",
                        current.api.label(),
                        origin_of(&url)
                    )));
                }
                request.url = url;
            }
        }
        Ok(request)
    }
}
