//! Azure from the browser, without the I/O: per-cloud endpoints and token audiences
//! ([`cloud`]), `msticpyconfig.yaml` ([`config`]), the requests and responses of Log Analytics,
//! Resource Graph, Microsoft Sentinel, Defender/Graph hunting and Key Vault ([`ops`]), and a
//! call as a state machine with paging, retries and the 401 token refresh ([`Call`]).
//!
//! The bindings drive a [`Call`] with `fetch`, timers and the page's token callback; here it is
//! plain Rust, tested natively with canned responses:
//!
//! ```
//! use huntkit::azure::{Action, Call, Cloud, Endpoints, Event, Response, RetryPolicy, ops};
//!
//! let endpoints = Endpoints::for_cloud(Cloud::parse("usgov")?, None)?;
//! let op = ops::log_analytics_query(&endpoints, "ws-guid", "SigninLogs | take 1", &Default::default())?;
//! let mut call = Call::new(op, RetryPolicy::default(), 1);
//! let Action::Fetch { request, .. } = call.start() else { unreachable!() };
//! assert_eq!(request.url, "https://api.loganalytics.us/v1/workspaces/ws-guid/query");
//! assert_eq!(request.scope, "https://api.loganalytics.us/.default");
//! let body = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"}],"rows":[[1]]}]}"#;
//! let response = Response { status: 200, body: body.to_vec(), ..Default::default() };
//! let Action::Done(Ok(out)) = call.on(Event::Response(response)) else { unreachable!() };
//! assert_eq!(out.tables[0].1.num_rows(), 1);
//! # Ok::<(), huntkit::Error>(())
//! ```

mod call;
mod client;
pub mod cloud;
pub mod config;
mod http;
pub mod json;
pub mod ops;
#[cfg(test)]
mod tests;

pub use call::{Action, Call, Event, Output, RetryPolicy, http_date_ms, retry_after_ms};
pub use client::{ClientConfig, TokenVault};
pub use cloud::{Api, Cloud, Endpoint, Endpoints};
pub use config::{MsticpyConfig, Workspace};
pub use http::{Request, Response, http_error, origin_of};

/// `s` cut to at most `max` characters, with `…` when cut (for quoting bodies in errors).
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}
