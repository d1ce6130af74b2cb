//! The harvest feeds over HTTP: `/ldes/{collection}` (the stream) and `/ldes/{collection}/{n}`
//! (its pages), in TriG, N-Quads or JSON-LD.
//!
//! Caching follows the page's nature (`feed::ldes::Caching`): a full page never changes and is
//! served `public, max-age=31536000, immutable`; the newest page and the stream description are
//! served with a short max-age, [`POLL_SECONDS`], which tells clients how often to poll. Every
//! answer has a strong `ETag` (a hash of the body), and `If-None-Match` gets 304.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::Quad;
use sha2::{Digest, Sha256};

use crate::feed::ldes::{self, Caching, Document};
use crate::feed::vocab::PREFIXES;
use crate::model::{vocab, Collection};
use crate::web::error::ApiError;
use crate::web::negotiate::choose;
use crate::web::AppState;

/// Seconds a client may cache the newest page (and the stream description): how often to poll.
pub const POLL_SECONDS: u32 = 10;

/// A year, the longest `max-age` caches honour, for pages that never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The dataset formats the feeds are served in, the default first.
const FORMATS: &[(&str, RdfFormat)] = &[
    ("application/trig", RdfFormat::TriG),
    ("application/n-quads", RdfFormat::NQuads),
    (
        "application/ld+json",
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    ),
];

/// The feed routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ldes/{collection}", get(stream))
        .route("/ldes/{collection}/{page}", get(page))
}

fn collection(slug: &str) -> Result<Collection, ApiError> {
    Collection::from_slug(slug).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no stream {slug:?}; the streams are {}",
            Collection::ALL
                .iter()
                .map(|c| format!("/ldes/{}", c.slug()))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

#[tracing::instrument(skip(state, headers))]
async fn stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let collection = collection(&slug)?;
    let document = ldes::stream(state.store.graph_names(), collection);
    respond(document, &headers).await
}

#[tracing::instrument(skip(state, headers))]
async fn page(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let collection = collection(&slug)?;
    let number: u64 = number.parse().map_err(|_| {
        ApiError::NotFound(format!("no page {number:?}; pages are numbered from 0"))
    })?;
    let store = state.store.clone();
    let size = state.config.feeds.page_size;
    let document =
        tokio::task::spawn_blocking(move || ldes::page(&store, collection, number, size))
            .await
            .map_err(|error| ApiError::Internal(error.into()))?
            .map_err(|error| ApiError::Internal(error.into()))?
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "page {number} of /ldes/{slug} does not exist yet; start at /ldes/{slug}/0"
                ))
            })?;
    respond(document, &headers).await
}

/// Serialises `document` in the negotiated format with its caching headers, or answers 304.
async fn respond(document: Document, headers: &HeaderMap) -> Result<Response, ApiError> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok());
    let offers: Vec<[&str; 1]> = FORMATS.iter().map(|(media, _)| [*media]).collect();
    let slices: Vec<&[&str]> = offers.iter().map(|offer| offer.as_slice()).collect();
    let (media_type, format) = choose(accept, &slices)
        .map(|index| FORMATS[index])
        .ok_or_else(|| ApiError::NotAcceptable {
            available: FORMATS
                .iter()
                .map(|(media, _)| *media)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let caching = document.caching;
    let body = tokio::task::spawn_blocking(move || serialise(&document.quads, format))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(|error| ApiError::Internal(error.into()))?;
    let etag = format!("\"{}\"", &crate::model::hex(&Sha256::digest(&body))[..32]);
    let cache_control = match caching {
        Caching::Immutable => IMMUTABLE.to_owned(),
        Caching::Mutable => format!("public, max-age={POLL_SECONDS}"),
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let headers = response.headers_mut();
    let value =
        |text: &str| HeaderValue::from_str(text).map_err(|error| ApiError::Internal(error.into()));
    if !matches {
        headers.insert(header::CONTENT_TYPE, value(media_type)?);
    }
    headers.insert(header::ETAG, value(&etag)?);
    headers.insert(header::CACHE_CONTROL, value(&cache_control)?);
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

fn serialise(quads: &[Quad], format: RdfFormat) -> std::io::Result<Vec<u8>> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, namespace) in PREFIXES.iter().chain(vocab::ns::PREFIXES) {
        serializer = serializer
            .with_prefix(*prefix, *namespace)
            .map_err(std::io::Error::other)?;
    }
    let mut serializer = serializer.for_writer(Vec::new());
    for quad in quads {
        serializer.serialize_quad(quad)?;
    }
    serializer.finish()
}
