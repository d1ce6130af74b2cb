//! Request ids, the request span, and the request metrics.
//!
//! Every request gets an id: a client's `X-Request-Id` when it is short and plain (so a proxy's
//! id carries through), a new UUID otherwise. The id is in the request's tracing span (every log
//! line of the request carries it) and is echoed in the response's `X-Request-Id`.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Span;

use crate::web::AppState;

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";
/// The longest incoming request id kept.
const MAX_REQUEST_ID_LEN: usize = 64;
/// The route label of requests that matched no route (bounded cardinality: never the raw path).
const UNMATCHED: &str = "unmatched";

/// Gives the request an id (kept in its headers for the span) and echoes it in the response.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("invalid"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
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

/// The span of one request: method, route template, path and request id.
pub fn make_span(request: &axum::http::Request<Body>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = route_of(request),
        path = %request.uri().path(),
        request_id = %id,
    )
}

fn route_of<B>(request: &axum::http::Request<B>) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
}

/// Counts the request by route template, method and status, and times it to the response head.
pub async fn record_metrics(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    // Both are cheap to keep: a matched path is a shared string, a standard method is inline.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let response = next.run(request).await;
    state.metrics.observe_request(
        route.as_ref().map_or(UNMATCHED, MatchedPath::as_str),
        method.as_str(),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
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
}
