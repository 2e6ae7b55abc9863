//! The call machine driven with canned responses: paging, retries, refresh, errors.
#![allow(clippy::panic_in_result_fn)]

use serde_json::{Value as Json, json};

use super::ops::{
    self, HuntingApi, LogAnalyticsQuery, ResourceGraphQuery, Sentinel, SentinelWorkspace,
};
use super::*;
use crate::table::text_values;

fn global() -> Endpoints {
    Endpoints::for_cloud(Cloud::Global, None).unwrap()
}

fn ok(body: Json) -> Response {
    status(200, body)
}

fn status(code: u16, body: Json) -> Response {
    Response {
        status: code,
        body: body.to_string().into_bytes(),
        ..Default::default()
    }
}

fn with_header(mut r: Response, name: &str, value: &str) -> Response {
    r.headers.push((name.to_owned(), value.to_owned()));
    r
}

fn fetched(a: Action) -> (Request, bool) {
    match a {
        Action::Fetch {
            request,
            refresh_token,
        } => (request, refresh_token),
        other => panic!("expected a fetch, got {other:?}"),
    }
}

fn done(a: Action) -> Result<Output, crate::Error> {
    match a {
        Action::Done(r) => r,
        other => panic!("expected done, got {other:?}"),
    }
}

fn column(t: &crate::table::Table, name: &str) -> Vec<Option<String>> {
    text_values(&t.column(name, "c").unwrap()).unwrap()
}

fn la_body() -> Json {
    json!({"tables": [{"name": "PrimaryResult",
        "columns": [{"name": "TimeGenerated", "type": "datetime"}, {"name": "Computer", "type": "string"},
                    {"name": "n", "type": "long"}],
        "rows": [["2024-05-01T10:00:00Z", "ws1", 3], ["2024-05-01T10:01:00Z", "ws2", null]]}]})
}

#[test]
fn log_analytics_request_and_typed_result() {
    let o = LogAnalyticsQuery {
        timespan: Some("P1D".into()),
        workspaces: vec!["w2".into()],
        server_timeout: Some(600),
        statistics: true,
        ..Default::default()
    };
    let op = ops::log_analytics_query(&global(), "w 1", "Heartbeat | take 2", &o).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 7);
    let (req, refresh) = fetched(call.start());
    assert!(!refresh);
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.url,
        "https://api.loganalytics.io/v1/workspaces/w%201/query"
    );
    assert_eq!(req.scope, "https://api.loganalytics.io/.default");
    assert_eq!(req.timeout_s, 630.0);
    assert!(
        req.headers
            .contains(&("Prefer".into(), "wait=600,include-statistics=true".into()))
    );
    let body: Json = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"query": "Heartbeat | take 2", "timespan": "P1D", "workspaces": ["w2"]})
    );
    let mut body = la_body();
    body["statistics"] = json!({"query": {"executionTime": 0.5}});
    let out = done(call.on(Event::Response(ok(body)))).unwrap();
    assert_eq!(
        out.json,
        Some(json!({"statistics": {"query": {"executionTime": 0.5}}}))
    );
    let (name, t) = &out.tables[0];
    assert_eq!(name, "PrimaryResult");
    assert_eq!(
        t.schema().field(0).data_type().to_string(),
        "Timestamp(ns, \"UTC\")"
    );
    assert_eq!(column(t, "n"), [Some("3".into()), None]);
    assert!(out.warnings.is_empty());
    assert_eq!((out.pages, out.requests), (1, 1));
}

#[test]
fn partial_results_warn_or_fail() {
    let mut body = la_body();
    body["error"] = json!({"code": "PartialError", "message": "There were some errors",
        "details": [{"code": "EngineError", "message": "query exceeded the limit"}]});
    for fail in [false, true] {
        let o = LogAnalyticsQuery {
            fail_on_partial: fail,
            ..Default::default()
        };
        let op = ops::log_analytics_query(&global(), "w", "T", &o).unwrap();
        let mut call = Call::new(op, RetryPolicy::default(), 1);
        call.start();
        let result = done(call.on(Event::Response(ok(body.clone()))));
        let expected = "Log Analytics: HTTP 200 PartialError: There were some errors — details: \
                        EngineError: query exceeded the limit";
        if fail {
            let err = result.unwrap_err();
            assert_eq!(err.code(), "http");
            assert_eq!(err.to_string(), expected);
        } else {
            let out = result.unwrap();
            assert_eq!(out.tables[0].1.num_rows(), 2);
            assert_eq!(
                out.warnings,
                [format!(
                    "partial result (possibly a timeout): {expected}; the tables hold what came back"
                )]
            );
        }
    }
}

#[test]
fn throttling_honours_retry_after_then_backs_off_with_jitter() {
    let op = ops::log_analytics_query(&global(), "w", "T", &Default::default()).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 42);
    let (first, _) = fetched(call.start());
    let throttled = with_header(status(429, json!({})), "retry-after", "2");
    let Action::Sleep(ms) = call.on(Event::Response(throttled)) else {
        panic!("no sleep")
    };
    assert_eq!(ms, 2000.0);
    let (again, refresh) = fetched(call.on(Event::Slept));
    assert_eq!((again, refresh), (first, false));
    let precise = with_header(status(503, json!({})), "x-ms-retry-after-ms", "150");
    let Action::Sleep(ms) = call.on(Event::Response(precise)) else {
        panic!("no sleep")
    };
    assert_eq!(ms, 150.0);
    call.on(Event::Slept);
    // No header: backoff; after the 3rd attempt, 4 × 500 ms jittered into [1000, 2000].
    let Action::Sleep(ms) = call.on(Event::Response(status(503, json!({})))) else {
        panic!("no sleep")
    };
    assert!((1000.0..=2000.0).contains(&ms), "{ms}");
    call.on(Event::Slept);
    // The 4th attempt is the last: its 503 is the error.
    let err = done(call.on(Event::Response(with_header(
        status(
            503,
            json!({"error": {"code": "ServiceUnavailable", "message": "busy"}}),
        ),
        "x-ms-request-id",
        "req-9",
    ))))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Log Analytics: HTTP 503 ServiceUnavailable: busy (request id req-9)"
    );
}

#[test]
fn retry_after_dates_and_waits_too_long() {
    let mut r = with_header(
        status(429, json!({})),
        "retry-after",
        "Wed, 21 Oct 2015 07:28:30 GMT",
    );
    r.now_ms = http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
    assert_eq!(retry_after_ms(&r), Some(30_000.0));
    assert_eq!(
        http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"),
        Some(784_111_777_000.0)
    );
    assert_eq!(
        http_date_ms("Sun Nov  6 08:49:37 1994"),
        Some(784_111_777_000.0)
    );
    assert_eq!(http_date_ms("soon"), None);

    let op = ops::resource_graph_query(&global(), "Resources", &Default::default()).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let slow = with_header(
        status(
            429,
            json!({"error": {"code": "RateLimiting", "message": "slow down"}}),
        ),
        "retry-after",
        "3600",
    );
    let err = done(call.on(Event::Response(slow))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Azure Resource Manager: HTTP 429 RateLimiting: slow down (the service asked to retry \
         after 3600 s, longer than the 60 s allowed)"
    );
}

#[test]
fn one_token_refresh_on_401() {
    let op = ops::hunting_query(&global(), "DeviceInfo | take 1", None, None).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    assert_eq!(
        req.url,
        "https://graph.microsoft.com/v1.0/security/runHuntingQuery"
    );
    assert_eq!(req.scope, "https://graph.microsoft.com/.default");
    let denied = || {
        status(
            401,
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired.",
                "innerError": {"date": "2024-01-01T00:00:00", "request-id": "rid-1"}}}),
        )
    };
    let (again, refresh) = fetched(call.on(Event::Response(denied())));
    assert!(refresh);
    assert_eq!(again, req);
    let err = done(call.on(Event::Response(denied()))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Microsoft Graph: HTTP 401 InvalidAuthenticationToken: Access token has expired. \
         (request id rid-1)"
    );
}

#[test]
fn resource_graph_pages_with_skip_token_up_to_the_limit() {
    let o = ResourceGraphQuery {
        subscriptions: vec!["s1".into()],
        limit: Some(3),
        ..Default::default()
    };
    let op = ops::resource_graph_query(&global(), "Resources | project name", &o).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    assert_eq!(
        req.url,
        "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01"
    );
    let body: Json = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"query": "Resources | project name", "subscriptions": ["s1"],
               "options": {"resultFormat": "objectArray", "$top": 3}})
    );
    let page1 = ok(
        json!({"data": [{"name": "a"}, {"name": "b"}], "$skipToken": "t1", "resultTruncated": "false"}),
    );
    let (req2, _) = fetched(call.on(Event::Response(page1)));
    let body2: Json = serde_json::from_str(req2.body.as_deref().unwrap()).unwrap();
    assert_eq!(body2["options"]["$skipToken"], "t1");
    let page2 = ok(
        json!({"data": [{"name": "c", "properties": {"x": 1}}, {"name": "d"}], "$skipToken": "t2"}),
    );
    let out = done(call.on(Event::Response(page2))).unwrap();
    let (name, t) = &out.tables[0];
    assert_eq!(name, "resources");
    assert_eq!(
        column(t, "name"),
        ["a", "b", "c"].map(|s| Some(s.to_owned()))
    );
    assert_eq!(column(t, "properties.x"), [None, None, Some("1".into())]);
    assert_eq!(out.pages, 2);
}

fn workspace() -> SentinelWorkspace {
    SentinelWorkspace {
        subscription_id: "sub-1".into(),
        resource_group: "soc rg".into(),
        workspace_name: "ws".into(),
    }
}

#[test]
fn sentinel_lists_follow_next_links_on_the_same_host_only() {
    let what = Sentinel::Incidents {
        filter: Some("properties/severity eq 'High'".into()),
        order_by: Some("properties/createdTimeUtc desc".into()),
        top: Some(2),
    };
    let op = ops::sentinel(&global(), &workspace(), &what, None, None).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    let base = "https://management.azure.com/subscriptions/sub-1/resourceGroups/soc%20rg/providers/\
                Microsoft.OperationalInsights/workspaces/ws/providers/Microsoft.SecurityInsights/";
    assert_eq!(
        req.url,
        format!(
            "{base}incidents?api-version=2025-06-01&$filter=properties%2Fseverity%20eq%20%27High%27\
             &$orderby=properties%2FcreatedTimeUtc%20desc&$top=2"
        )
    );
    let next = format!("{base}incidents?api-version=2025-06-01&$skipToken=abc");
    let page1 = ok(
        json!({"value": [{"name": "i1", "properties": {"title": "One", "severity": "High"}}],
                          "nextLink": next}),
    );
    let (req2, _) = fetched(call.on(Event::Response(page1)));
    assert_eq!(req2.url, next);
    let evil = ok(json!({"value": [{"name": "i2"}], "nextLink": "https://attacker.example/steal"}));
    let err = done(call.on(Event::Response(evil))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid table: Azure Resource Manager: the response's nextLink points to another host \
         (https://attacker.example); not followed, so the token is not sent there"
    );
}

#[test]
fn sentinel_single_objects_entities_and_limits() {
    let e = global();
    let ws = workspace();
    let op = ops::sentinel(
        &e,
        &ws,
        &Sentinel::Incident("id-1".into()),
        Some("2024-03-01"),
        None,
    )
    .unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    assert!(
        req.url.ends_with("incidents/id-1?api-version=2024-03-01"),
        "{}",
        req.url
    );
    let out = done(call.on(Event::Response(ok(
        json!({"name": "id-1", "properties": {"title": "T"}}),
    ))))
    .unwrap();
    assert_eq!(out.json.unwrap()["properties"]["title"], "T");
    assert_eq!(
        column(&out.tables[0].1, "properties.title"),
        [Some("T".into())]
    );

    let op = ops::sentinel(
        &e,
        &ws,
        &Sentinel::IncidentEntities("id-1".into()),
        None,
        None,
    )
    .unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    assert_eq!((req.method, req.body.as_deref()), ("POST", Some("{}")));
    let body = json!({"entities": [{"kind": "Ip", "properties": {"address": "10.1.2.3"}},
                                   {"kind": "Host", "properties": {"hostName": "ws1"}}], "metaData": []});
    let out = done(call.on(Event::Response(ok(body)))).unwrap();
    let t = &out.tables[0].1;
    assert_eq!(out.tables[0].0, "entities");
    assert_eq!(column(t, "kind"), [Some("Ip".into()), Some("Host".into())]);

    let op = ops::sentinel(
        &e,
        &ws,
        &Sentinel::WatchlistItems("vip users".into()),
        None,
        Some(1),
    )
    .unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    let (req, _) = fetched(call.start());
    assert!(
        req.url.contains("watchlists/vip%20users/watchlistItems?"),
        "{}",
        req.url
    );
    let page = ok(json!({"value": [{"name": "a"}, {"name": "b"}], "nextLink": req.url}));
    let out = done(call.on(Event::Response(page))).unwrap();
    assert_eq!(
        out.tables[0].1.num_rows(),
        1,
        "the limit stops paging and trims"
    );
    assert!(
        ops::sentinel(
            &e,
            &SentinelWorkspace::default(),
            &Sentinel::Bookmarks,
            None,
            None
        )
        .unwrap_err()
        .to_string()
        .contains("subscriptionId")
    );
}

#[test]
fn hunting_graph_and_defender_results() {
    let graph = json!({"schema": [{"name": "Timestamp", "type": "DateTime"}, {"name": "DeviceName", "type": "String"},
                                  {"name": "Count", "type": "Int64"}],
                       "results": [{"Timestamp": "2024-05-01T10:00:00Z", "DeviceName": "ws1", "Count": 2}]});
    let op = ops::hunting_query(&global(), "Q", Some("P7D"), None).unwrap();
    let body: Json = serde_json::from_str(op.first_request().body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"Query": "Q", "Timespan": "P7D"}));
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let out = done(call.on(Event::Response(ok(graph)))).unwrap();
    assert_eq!(column(&out.tables[0].1, "Count"), [Some("2".into())]);

    // China has no Graph hunting: the Defender API is the default there.
    let cn = Endpoints::for_cloud(Cloud::China, None).unwrap();
    let op = ops::hunting_query(&cn, "Q", None, None).unwrap();
    assert_eq!(
        op.first_request().url,
        "https://api.securitycenter.microsoft.com/api/advancedqueries/run"
    );
    assert!(ops::hunting_query(&cn, "Q", None, Some(HuntingApi::Graph)).is_err());
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let mde = json!({"Stats": {}, "Schema": [{"Name": "DeviceId", "Type": "String"}, {"Name": "Up", "Type": "Boolean"}],
                     "Results": [{"DeviceId": "d1", "Up": true}, {"DeviceId": "d2", "Up": false}]});
    let out = done(call.on(Event::Response(ok(mde)))).unwrap();
    assert_eq!(
        column(&out.tables[0].1, "Up"),
        [Some("true".into()), Some("false".into())]
    );
}

#[test]
fn key_vault_urls_and_the_cors_message() {
    let e = Endpoints::for_cloud(Cloud::UsGov, None).unwrap();
    let op = ops::key_vault_secret(&e, "soc-kv", "ti-key", Some("v1"), None).unwrap();
    let req = op.first_request();
    assert_eq!(
        req.url,
        "https://soc-kv.vault.usgovcloudapi.net/secrets/ti-key/v1?api-version=7.5"
    );
    assert_eq!(req.scope, "https://vault.usgovcloudapi.net/.default");
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let err = done(call.on(Event::NetworkError("TypeError: Failed to fetch".into()))).unwrap_err();
    assert_eq!(err.code(), "network");
    assert!(
        err.to_string().starts_with(
            "Key Vault: the request to soc-kv.vault.usgovcloudapi.net was blocked or failed \
             (TypeError: Failed to fetch). Key Vault's data plane sends no CORS headers"
        ),
        "{err}"
    );
    let op = ops::hunting_query(&e, "Q", None, Some(HuntingApi::Defender)).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let err = done(call.on(Event::NetworkError("TypeError: Failed to fetch".into()))).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "Defender for Endpoint: could not reach api-gov.securitycenter.microsoft.us (TypeError: \
             Failed to fetch). The legacy Defender API is retiring"
        ),
        "{err}"
    );
    let op = ops::log_analytics_query(&e, "w", "T", &Default::default()).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let err = done(call.on(Event::NetworkError("TypeError: Failed to fetch".into()))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Log Analytics: could not reach api.loganalytics.us (TypeError: Failed to fetch): the \
         network is down, the host is wrong, or the API refused this page's origin (CORS)"
    );
    let op = ops::key_vault_secret(&e, "http://127.0.0.1:9/kv/", "n", None, None).unwrap();
    assert_eq!(
        op.first_request().url,
        "http://127.0.0.1:9/kv/secrets/n?api-version=7.5"
    );
}

#[test]
fn timeouts_bad_bodies_and_bad_options() {
    let op = ops::log_analytics_query(&global(), "w", "T", &Default::default()).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let err = done(call.on(Event::TimedOut)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Log Analytics: no answer within 330 s (the call timed out)"
    );

    let op = ops::log_analytics_query(&global(), "w", "T", &Default::default()).unwrap();
    let mut call = Call::new(op, RetryPolicy::default(), 1);
    call.start();
    let r = Response {
        status: 502,
        body: b"<html>Bad gateway</html>".to_vec(),
        ..Default::default()
    };
    let mut policy_done = call.on(Event::Response(r.clone()));
    while let Action::Sleep(_) = policy_done {
        call.on(Event::Slept);
        policy_done = call.on(Event::Response(r.clone()));
    }
    assert_eq!(
        done(policy_done).unwrap_err().to_string(),
        "Log Analytics: HTTP 502: <html>Bad gateway</html>"
    );

    let bad = ops::log_analytics_query(
        &global(),
        "w",
        "T",
        &LogAnalyticsQuery {
            timespan: Some("yesterday".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        bad.to_string()
            .starts_with("option `timespan`: \"yesterday\" is not an ISO 8601"),
        "{bad}"
    );
    assert!(ops::log_analytics_query(&global(), " ", "T", &Default::default()).is_err());
    let ok_interval = LogAnalyticsQuery {
        timespan: Some("2024-01-01T00:00:00Z/2024-01-02T00:00:00Z".into()),
        ..Default::default()
    };
    assert!(ops::log_analytics_query(&global(), "w", "T", &ok_interval).is_ok());
}
