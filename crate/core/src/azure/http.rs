//! The HTTP exchange both the operations and the call speak: a request, a response, Azure's
//! error bodies, URL origins.

use serde_json::Value as Json;

use super::cloud::Api;
use crate::error::{Error, ErrorKind};

/// An HTTP request to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Full URL.
    pub url: String,
    /// Headers besides `Authorization` (which the driver adds for `api`).
    pub headers: Vec<(String, String)>,
    /// JSON body.
    pub body: Option<String>,
    /// The API, whose token the request carries.
    pub api: Api,
    /// Token scope (`{audience}/.default`).
    pub scope: String,
    /// Client-side timeout in seconds.
    pub timeout_s: f64,
}

/// What came back.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// When it arrived (ms since the epoch; for `Retry-After` dates).
    pub now_ms: f64,
}

impl Response {
    /// A header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An Azure error response → a crate error with the status, the service's code and message
/// (inner errors and details appended) and a request id.
pub fn http_error(api: Api, r: &Response) -> Error {
    let json: Option<Json> = serde_json::from_slice(&r.body).ok();
    let err = json
        .as_ref()
        .and_then(|j| j.get("error").or(j.get("Error")));
    let text = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_owned);
    let (code, message) = match err {
        Some(e) if e.is_object() => {
            let mut message = text(e.get("message").or(e.get("Message"))).unwrap_or_default();
            let mut inner = e.get("innererror").or(e.get("innerError"));
            while let Some(i) = inner {
                if let Some(m) = text(i.get("message")) {
                    let c = text(i.get("code")).unwrap_or_default();
                    message.push_str(&format!(" — {c}: {m}"));
                }
                inner = i.get("innererror").or(i.get("innerError"));
            }
            if let Some(details) = e.get("details").and_then(Json::as_array) {
                let parts: Vec<String> = details
                    .iter()
                    .filter_map(|d| {
                        let m = text(d.get("message"))?;
                        Some(match text(d.get("code")) {
                            Some(c) => format!("{c}: {m}"),
                            None => m,
                        })
                    })
                    .collect();
                if !parts.is_empty() {
                    message.push_str(&format!(" — details: {}", parts.join("; ")));
                }
            }
            (text(e.get("code").or(e.get("Code"))), message)
        }
        Some(e) => (None, e.as_str().unwrap_or_default().to_owned()),
        None => {
            let body = String::from_utf8_lossy(&r.body);
            (None, super::clip(body.trim(), 300))
        }
    };
    let message = if message.is_empty() {
        "no error message in the response".to_owned()
    } else {
        message
    };
    let body_id = err.and_then(|e| {
        text(e.get("correlationId"))
            .or_else(|| text(e.get("innerError").and_then(|i| i.get("request-id"))))
    });
    let request_id = body_id.or_else(|| {
        [
            "x-ms-request-id",
            "request-id",
            "x-ms-correlation-request-id",
            "client-request-id",
        ]
        .iter()
        .find_map(|h| r.header(h).map(str::to_owned))
    });
    ErrorKind::Http {
        api: api.label(),
        status: r.status,
        code,
        message,
        request_id,
    }
    .into()
}
/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after + i);
    &url[..end]
}

pub(super) fn host_of(url: &str) -> &str {
    let o = origin_of(url);
    o.find("://").map_or(o, |i| &o[i + 3..])
}
