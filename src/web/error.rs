//! One error type for every HTTP answer that is not a success.
//!
//! Client mistakes get their status and a message saying what was wrong and how to fix it.
//! Internal failures are logged once, inside the request's span, and the client gets a generic
//! message: no paths, no causes, no stack traces.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use oxigraph::sparql::QueryEvaluationError;

use crate::sparql::ProtocolError;
use crate::store::{QueryError, StoreError};

/// Seconds a client is asked to wait after a 503.
const RETRY_AFTER_SECONDS: &str = "2";

/// An HTTP error answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request or the query in it is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no credentials (answered with `WWW-Authenticate: Bearer`).
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the operation is not allowed here.
    #[error("{0}")]
    Forbidden(String),
    /// 404: nothing at this address.
    #[error("{0}")]
    NotFound(String),
    /// 410: the resource was withdrawn.
    #[error("{0}")]
    Gone(String),
    /// 412: an `If-Match` or `If-None-Match` condition failed.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 422: the data is well-formed but not acceptable (a bad publication time, say).
    #[error("{0}")]
    Unprocessable(String),
    /// 406: no acceptable representation.
    #[error("none of the media types in the Accept header can be sent; available: {available}")]
    NotAcceptable {
        /// What can be sent.
        available: String,
    },
    /// 413: the body is larger than the configured limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit.
        limit: usize,
    },
    /// 415: the body's media type is not understood.
    #[error("unsupported content type {given:?}; send one of: {accepted}")]
    UnsupportedMediaType {
        /// The `Content-Type` given.
        given: String,
        /// What is accepted.
        accepted: &'static str,
    },
    /// 503: the query ran out of time, or too many are running.
    #[error("{0}")]
    Unavailable(String),
    /// 429: this client asked for too much (failed authentications, concurrent queries);
    /// answered with `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        /// What the client did and what to do.
        message: String,
        /// Seconds to wait.
        retry_after: u64,
    },
    /// 507: the store's disk is full; nothing of the write was stored (answered with
    /// `Retry-After`).
    #[error("the write could not be stored: the server's disk is full; nothing was written, try again later")]
    InsufficientStorage,
    /// 500: something failed inside Agora.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Gone(_) => StatusCode::GONE,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let retry_after = match &self {
            Self::TooManyRequests { retry_after, .. } => Some(retry_after.to_string()),
            _ => None,
        };
        let mut response = (status, format!("{self}\n")).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"agora\""),
            );
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body was not read: the connection cannot carry another request,
            // and a client that pooled it would send its next request into a closed socket.
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(seconds) = retry_after.and_then(|text| HeaderValue::from_str(&text).ok()) {
            headers.insert(header::RETRY_AFTER, seconds);
        }
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::INSUFFICIENT_STORAGE {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

impl From<ProtocolError> for ApiError {
    fn from(error: ProtocolError) -> Self {
        match error {
            ProtocolError::UpdateRefused => Self::Forbidden(error.to_string()),
            other => Self::BadRequest(other.to_string()),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::Syntax(error) => Self::BadRequest(format!("the query does not parse: {error}")),
            QueryError::Cancelled => Self::Unavailable(error.to_string()),
            QueryError::Unavailable(error) => error.into(),
            QueryError::FormatMismatch { .. } => Self::BadRequest(error.to_string()),
            QueryError::Evaluation(
                QueryEvaluationError::Service(_)
                | QueryEvaluationError::UnsupportedService(_)
                | QueryEvaluationError::UnboundService
                | QueryEvaluationError::InvalidServiceName(_)
                | QueryEvaluationError::UnsupportedCustomFunction(_)
                | QueryEvaluationError::UnsupportedCustomFunctionArity { .. },
            ) => Self::BadRequest(format!(
                "the query cannot be evaluated here: {error} (SERVICE calls to other endpoints are disabled)"
            )),
            QueryError::Io(_) | QueryError::Evaluation(_) | QueryError::Parameter(_) => {
                Self::Internal(error.into())
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if error.is_disk_full() {
            // Logged here, once: the answer says what happened but not where (no paths).
            tracing::error!(error = %error, "a write failed: the disk is full");
            return Self::InsufficientStorage;
        }
        if error.is_unavailable() {
            // Logged here, once: the answer does not name the remote store.
            tracing::warn!(error = %error, "the remote store is unavailable");
            return Self::Unavailable(
                "the store is unavailable or busy; try again (sending a write again is safe: \
                 identical content makes no new version)"
                    .to_owned(),
            );
        }
        Self::Internal(error.into())
    }
}
