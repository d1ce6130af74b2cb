//! Request ids, the request span, the request metrics, and the security headers.
//!
//! Every request gets an id: a client's `X-Request-Id` when it is short and plain (so a proxy's
//! id carries through), a new UUID otherwise. The id is in the request's tracing span (every log
//! line of the request carries it) and is echoed in the response's `X-Request-Id`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::web::AppState;

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";
/// The longest incoming request id kept.
const MAX_REQUEST_ID_LEN: usize = 64;
/// The route label of requests that matched no route (bounded cardinality: never the raw path).
const UNMATCHED: &str = "unmatched";

/// Everything done around each request, in one middleware (each middleware layer costs a clone
/// of the routes and a boxed future per request): gives the request an id (a plain incoming
/// `X-Request-Id`, or a new UUID), runs it in a span carrying that id (every log line of the
/// request has it), echoes the id in the response, counts and times the request by route
/// template, remembers a `?lang=` choice in a cookie (`lang::remember_choice`), and adds the
/// [`SECURITY_HEADERS`] a handler did not set.
pub async fn around(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_owned)
        .unwrap_or_else(new_request_id);
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("invalid"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    // Both are cheap to keep: a matched path is a shared string, a standard method is inline.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let route_name = route.as_ref().map_or(UNMATCHED, MatchedPath::as_str);
    let span = tracing::info_span!(
        "request",
        method = %method,
        route = route_name,
        path = %request.uri().path(),
        request_id = %id,
    );
    let language = crate::web::lang::chosen(&request);
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    if status.is_server_error() {
        span.in_scope(|| tracing::error!(status = status.as_u16(), "answered with a server error"));
    }
    let headers = response.headers_mut();
    headers.insert(REQUEST_ID, value);
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    crate::web::lang::remember_choice(&mut response, language);
    state.metrics.observe_request(
        route_name,
        method.as_str(),
        status.as_u16(),
        started.elapsed(),
    );
    response
}

/// Headers on every answer unless its handler set its own: no framing by other sites, no
/// content-type sniffing, no full URLs in the `Referer` of outgoing links, and everything a page
/// loads from this origin only (inline styles allowed). One loop here instead of one tower layer
/// per header: each layer wrapped every route once more (a boxed clone of the route and a boxed
/// future per request).
const SECURITY_HEADERS: [(header::HeaderName, &str); 4] = [
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    ),
];

/// A new request id: UUID-shaped (version 4 bits set), made of a random half drawn once per
/// process and a counter, so ids never repeat within a process and differ between processes.
/// `Uuid::new_v4` per request would ask the kernel for fresh random bytes each time (a system
/// call on the path of every request, cheap lookups included).
fn new_request_id() -> String {
    static PROCESS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let process = *PROCESS.get_or_init(|| uuid::Uuid::new_v4().as_u64_pair().0);
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&process.to_be_bytes());
    bytes[8..].copy_from_slice(&count.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Whether an incoming id is kept: 1 to 64 characters, letters, digits and `-_.:` only (no
/// spaces or control characters that could forge log lines).
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_short_ids_are_kept_and_others_replaced() {
        assert!(acceptable("3f2a-11.b_c:9"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("line\nforged"));
        assert!(!acceptable(&"x".repeat(65)));
    }

    #[test]
    fn new_ids_are_uuids_and_do_not_repeat() {
        let first = new_request_id();
        let second = new_request_id();
        assert_ne!(first, second);
        let parsed = uuid::Uuid::parse_str(&first).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(first[..18], second[..18], "one process, one random half");
    }
}
