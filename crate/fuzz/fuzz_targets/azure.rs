//! Azure responses and error bodies: a call fed arbitrary responses (status, headers, body)
//! for each operation never panics and ends within a bounded number of steps.
#![no_main]

use huntkit::azure::ops::{self, Sentinel, SentinelWorkspace};
use huntkit::azure::{Action, Call, Cloud, Endpoints, Event, Response, RetryPolicy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (&pick, rest) = data.split_first().unwrap_or((&0, &[]));
    let (&status, body) = rest.split_first().unwrap_or((&0, &[]));
    let e = Endpoints::for_cloud(Cloud::Global, None).unwrap();
    let ws = SentinelWorkspace {
        subscription_id: "s".into(),
        resource_group: "r".into(),
        workspace_name: "w".into(),
    };
    let op = match pick % 5 {
        0 => ops::log_analytics_query(&e, "ws", "T", &Default::default()),
        1 => ops::resource_graph_query(&e, "R", &Default::default()),
        2 => ops::sentinel(&e, &ws, &Sentinel::Incidents { filter: None, order_by: None, top: None }, None, Some(50)),
        3 => ops::hunting_query(&e, "H", None, None),
        _ => ops::key_vault_secret(&e, "vault", "name", None, None),
    };
    let Ok(op) = op else { return };
    let policy = RetryPolicy { max_attempts: 2, ..RetryPolicy::default() };
    let mut call = Call::new(op, policy, 1);
    let mut action = call.start();
    let statuses = [200u16, 200, 400, 401, 404, 429, 500, 503];
    for step in 0..32 {
        action = match action {
            Action::Done(_) => return,
            Action::Sleep(ms) => {
                assert!(ms.is_finite() && ms >= 0.0);
                call.on(Event::Slept)
            }
            Action::Fetch { .. } => {
                let headers = if status & 8 != 0 {
                    vec![("retry-after".to_owned(), "1".to_owned())]
                } else {
                    Vec::new()
                };
                call.on(Event::Response(Response {
                    status: statuses[usize::from(status.wrapping_add(step)) % statuses.len()],
                    headers,
                    body: body.to_vec(),
                    now_ms: 0.0,
                }))
            }
        };
    }
    panic!("the call did not end in 32 steps");
});
