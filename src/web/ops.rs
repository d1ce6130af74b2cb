//! Operations: `/health` (liveness), `/ready` (readiness) and `/metrics` (Prometheus).
//!
//! `/metrics` is public, like the rest of the read side: it holds counts by route template and
//! status, latencies, and the store's size, nothing about any client or record that is not
//! already public, and its label values are bounded (route templates, never raw paths), so a
//! scraper cannot grow it. The store's size is measured at most once per
//! [`SIZE_MAX_AGE`], so scraping cannot be used to make the server scan its store. An operator
//! who wants it private blocks `/metrics` at the reverse proxy.

use std::sync::atomic::Ordering;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::metrics::StoreSize;
use crate::telemetry::spawn_blocking_in_span;
use crate::web::{ApiError, AppState};

/// How long a measured store size is reused: counting quads reads the whole store.
pub const SIZE_MAX_AGE: Duration = Duration::from_secs(60);

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
}

/// Liveness: the process answers HTTP.
async fn health() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], "ok\n").into_response()
}

/// Readiness: not shutting down, the store answers a read, the search index is not stale.
async fn ready(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    if state.shutting_down.load(Ordering::Relaxed) {
        problems.push("shutting down");
    }
    let store = state.store.clone();
    match spawn_blocking_in_span(move || store.is_empty()).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => {
            tracing::error!(error = %error, "readiness: the store does not answer");
            problems.push("the store does not answer");
        }
        Err(error) => {
            tracing::error!(error = %error, "readiness: the store check panicked");
            problems.push("the store does not answer");
        }
    }
    if state.search.is_stale() {
        problems.push("the search index is being rebuilt");
    }
    let (status, body) = if problems.is_empty() {
        (StatusCode::OK, "ready\n".to_owned())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {}\n", problems.join("; ")),
        )
    };
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let size = store_size(&state).await;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.metrics.render(size),
    )
        .into_response())
}

/// The store's size, measured at most once per [`SIZE_MAX_AGE`]; `None` if it cannot be read.
async fn store_size(state: &AppState) -> Option<StoreSize> {
    {
        let cached = state
            .store_size
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((measured, size)) = *cached {
            if measured.elapsed() < SIZE_MAX_AGE {
                return Some(size);
            }
        }
    }
    let store = state.store.clone();
    let measured =
        spawn_blocking_in_span(move || -> Result<StoreSize, crate::store::StoreError> {
            Ok(StoreSize {
                records: store.record_count()? as u64,
                quads: store.quad_count()?,
            })
        })
        .await;
    match measured {
        Ok(Ok(size)) => {
            *state
                .store_size
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), size));
            Some(size)
        }
        Ok(Err(error)) => {
            tracing::error!(error = %error, "measuring the store for /metrics failed");
            None
        }
        Err(error) => {
            tracing::error!(error = %error, "measuring the store for /metrics panicked");
            None
        }
    }
}
