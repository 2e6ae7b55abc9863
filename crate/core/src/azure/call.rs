//! One API call as a state machine with no I/O ("sans-IO"): it says what to fetch, how long
//! to sleep and when it is done, and is told what came back. The bindings drive it with
//! `fetch` and timers; tests drive it natively with canned responses. It never sees a token:
//! a request names its API, and the driver attaches that API's token.

use serde_json::Value as Json;

use super::cloud::Api;
use super::http::{Request, Response, host_of, http_error};
use super::ops::{Op, Page};
use crate::error::{Error, ErrorKind, Result};
use crate::table::Table;

/// What happened to the last action.
#[derive(Debug)]
pub enum Event {
    /// The response to the last `Fetch`.
    Response(Response),
    /// The last `Fetch` failed before any response (the message says how).
    NetworkError(String),
    /// The last `Fetch` got no answer within its timeout.
    TimedOut,
    /// The last `Sleep` is over.
    Slept,
}

/// What the driver should do next.
#[derive(Debug)]
pub enum Action {
    /// Send this request. `refresh_token`: get a new token for its API first (once, after a
    /// 401).
    Fetch {
        /// The request.
        request: Request,
        /// Whether to get a fresh token.
        refresh_token: bool,
    },
    /// Wait this many milliseconds, then report [`Event::Slept`].
    Sleep(f64),
    /// Finished.
    Done(Result<Output>),
}

/// A call's result.
#[derive(Debug, Default)]
pub struct Output {
    /// Result tables by name (`PrimaryResult`, `resources`, `incidents`, …).
    pub tables: Vec<(String, Table)>,
    /// Non-fatal problems (a partial Log Analytics result, a truncated Resource Graph result).
    pub warnings: Vec<String>,
    /// A single JSON object (an incident, a Key Vault secret), when that is the result.
    pub json: Option<Json>,
    /// Pages fetched.
    pub pages: usize,
    /// Requests sent, retries and the token refresh included.
    pub requests: usize,
}

/// Retries: bounded attempts; `Retry-After` (seconds or HTTP date) and
/// `x-ms-retry-after-ms` honoured, else exponential backoff with jitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff, ms (doubled each retry).
    pub base_delay_ms: f64,
    /// Longest backoff, ms.
    pub max_delay_ms: f64,
    /// Longest wait a server may ask for before the call gives up with its error, ms.
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500.0,
            max_delay_ms: 8_000.0,
            max_retry_after_ms: 60_000.0,
        }
    }
}

/// Statuses worth another attempt.
fn retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The wait a response asks for, in ms: `x-ms-retry-after-ms`, `retry-after-ms`, then
/// `Retry-After` as seconds or an HTTP date (relative to `now_ms`).
pub fn retry_after_ms(r: &Response) -> Option<f64> {
    for name in ["x-ms-retry-after-ms", "retry-after-ms"] {
        if let Some(ms) = r.header(name).and_then(|v| v.trim().parse::<f64>().ok())
            && ms.is_finite()
            && ms >= 0.0
        {
            return Some(ms);
        }
    }
    let v = r.header("retry-after")?.trim();
    if let Ok(s) = v.parse::<f64>() {
        return (s.is_finite() && s >= 0.0).then_some(s * 1000.0);
    }
    http_date_ms(v).map(|at| (at - r.now_ms).max(0.0))
}

/// An HTTP date (IMF-fixdate, RFC 850 or asctime) as ms since the epoch.
pub fn http_date_ms(text: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (mut day, mut month, mut year, mut time) = (None, None, None, None);
    for token in text.split([' ', ',', '-']).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if let Some(m) = MONTHS.iter().position(|m| lower.starts_with(m)) {
            if month.is_none() && lower.len() == 3 {
                month = Some(m as u32 + 1);
            }
        } else if token.contains(':') {
            let parts: Vec<u32> = token.split(':').filter_map(|p| p.parse().ok()).collect();
            if let [h, m, s] = parts[..] {
                time = Some((h, m, s));
            }
        } else if let Ok(n) = token.parse::<u32>() {
            if token.len() == 4 || (day.is_some() && year.is_none() && month.is_some()) {
                year = Some(if n < 100 {
                    n + if n < 70 { 2000 } else { 1900 }
                } else {
                    n
                });
            } else if day.is_none() {
                day = Some(n);
            }
        }
    }
    let (d, m, y, (hh, mm, ss)) = (day?, month?, year?, time?);
    if !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days = crate::table::time::days_from_civil(i64::from(y), m, d);
    let secs = days * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
    Some(secs as f64 * 1000.0)
}

/// One call in progress.
#[derive(Debug)]
pub struct Call {
    op: Op,
    policy: RetryPolicy,
    /// The request in flight.
    current: Request,
    attempt: u32,
    refreshed: bool,
    rng: u64,
    out: Output,
    objects: Vec<Json>,
    done: bool,
}

impl Call {
    /// A call of `op`; `seed` drives the backoff jitter.
    pub fn new(op: Op, policy: RetryPolicy, seed: u64) -> Call {
        Call {
            current: op.first.clone(),
            op,
            policy,
            attempt: 1,
            refreshed: false,
            rng: seed | 1,
            out: Output::default(),
            objects: Vec::new(),
            done: false,
        }
    }

    /// The first action.
    pub fn start(&mut self) -> Action {
        self.fetch(false)
    }

    fn fetch(&mut self, refresh_token: bool) -> Action {
        self.out.requests += 1;
        Action::Fetch {
            request: self.current.clone(),
            refresh_token,
        }
    }

    fn finish(&mut self, result: Result<()>) -> Action {
        self.done = true;
        Action::Done(result.and_then(|()| {
            let mut out = std::mem::take(&mut self.out);
            if let Some(name) = self.op.collect_as() {
                let mut objects = std::mem::take(&mut self.objects);
                if let Some(limit) = self.op.limit {
                    objects.truncate(limit);
                }
                out.tables
                    .push((name.to_owned(), super::json::flat_table(&objects)?));
            }
            Ok(out)
        }))
    }

    fn jitter(&mut self) -> f64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The next action after `event`.
    pub fn on(&mut self, event: Event) -> Action {
        if self.done {
            return Action::Done(Err(Error::config("the call is already finished")));
        }
        let api = self.current.api;
        match event {
            Event::Slept => self.fetch(false),
            Event::TimedOut => self.finish(Err(ErrorKind::Timeout {
                api: api.label(),
                seconds: self.current.timeout_s,
            }
            .into())),
            Event::NetworkError(detail) => {
                let host = host_of(&self.current.url);
                let message = if api == Api::KeyVault {
                    format!(
                        "Key Vault: the request to {host} was blocked or failed ({detail}). \
                         Key Vault's data plane sends no CORS headers, so a browser page cannot \
                         read secrets from it; read the secret where you run Python or the \
                         Azure CLI (`az keyvault secret show`) and pass the value in"
                    )
                } else if api == Api::Defender {
                    format!(
                        "Defender for Endpoint: could not reach {host} ({detail}). The legacy \
                         Defender API is retiring and shows no CORS support for pages; use \
                         Microsoft Graph hunting (the default where the cloud has it)"
                    )
                } else {
                    format!(
                        "{}: could not reach {host} ({detail}): the network is down, the host \
                         is wrong, or the API refused this page's origin (CORS)",
                        api.label()
                    )
                };
                self.finish(Err(ErrorKind::Network { message }.into()))
            }
            Event::Response(r) => self.on_response(r),
        }
    }

    fn on_response(&mut self, r: Response) -> Action {
        let api = self.current.api;
        if r.status == 401 && !self.refreshed {
            self.refreshed = true;
            return self.fetch(true);
        }
        if retryable(r.status) && self.attempt < self.policy.max_attempts {
            let asked = retry_after_ms(&r);
            if let Some(ms) = asked
                && ms > self.policy.max_retry_after_ms
            {
                let mut err = http_error(api, &r);
                if let ErrorKind::Http { message, .. } = err.kind_mut() {
                    message.push_str(&format!(
                        " (the service asked to retry after {:.0} s, longer than the {:.0} s \
                         allowed)",
                        ms / 1000.0,
                        self.policy.max_retry_after_ms / 1000.0
                    ));
                }
                return self.finish(Err(err));
            }
            let delay = asked.unwrap_or_else(|| {
                let exp = self.policy.base_delay_ms * 2f64.powi(self.attempt as i32 - 1);
                exp.min(self.policy.max_delay_ms) * (0.5 + 0.5 * self.jitter())
            });
            self.attempt += 1;
            return Action::Sleep(delay);
        }
        if !(200..300).contains(&r.status) {
            return self.finish(Err(http_error(api, &r)));
        }
        let page = match self.op.parse_page(&r) {
            Ok(p) => p,
            Err(e) => return self.finish(Err(e)),
        };
        self.out.pages += 1;
        self.attempt = 1;
        self.refreshed = false;
        let Page {
            tables,
            objects,
            warnings,
            json,
            next,
        } = page;
        self.out.tables.extend(tables);
        self.out.warnings.extend(warnings);
        if json.is_some() {
            self.out.json = json;
        }
        self.objects.extend(objects);
        let full = self.op.limit.is_some_and(|l| self.objects.len() >= l);
        match next {
            Some(next) if !full => match self.op.next_request(&self.current, next) {
                Ok(request) => {
                    self.current = request;
                    self.fetch(false)
                }
                Err(e) => self.finish(Err(e)),
            },
            _ => self.finish(Ok(())),
        }
    }
}
