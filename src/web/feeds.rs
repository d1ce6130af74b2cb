//! The harvest feeds over HTTP: `/ldes/{collection}` (the stream) and `/ldes/{collection}/{n}`
//! (its pages), in TriG, N-Quads or JSON-LD.
//!
//! Caching follows the page's nature (`feed::ldes::Caching`): a full page never changes and is
//! served `public, max-age=31536000, immutable`; the newest page and the stream description are
//! served with a short max-age, [`POLL_SECONDS`], which tells clients how often to poll. Every
//! answer has a strong `ETag` (a hash of the body), and `If-None-Match` gets 304.
//!
//! Pages once served are kept in memory ([`crate::web::feed_cache`]) and served from there while
//! they hold the same events.

use std::sync::Arc;

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
use crate::metrics::Counter;
use crate::model::{vocab, Collection};
use crate::web::error::ApiError;
use crate::web::feed_cache::{Body, Key};
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
    let (media_type, format) = negotiate(&headers)?;
    let document = ldes::stream(state.store.graph_names(), collection);
    let caching = document.caching;
    let body = blocking(move || encode(document, format)).await?;
    answer(&body, caching, media_type, &headers)
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
    let (media_type, format) = negotiate(&headers)?;
    let not_found = || {
        ApiError::NotFound(format!(
            "page {number} of /ldes/{slug} does not exist yet; start at /ldes/{slug}/0"
        ))
    };
    let size = state.config.feeds.page_size;
    let store = state.store.clone();
    let total = blocking(move || Ok(store.event_count(collection)?)).await?;
    let events = ldes::events_on_page(total, number, size).ok_or_else(not_found)?;
    let key = Key {
        collection,
        number,
        format,
    };
    let body = match state.feed_cache.get(key, events) {
        Some(body) => {
            state.metrics.increment(Counter::FeedCacheHit);
            body
        }
        None => {
            state.metrics.increment(Counter::FeedCacheMiss);
            let store = state.store.clone();
            let body = blocking(move || {
                ldes::page(&store, collection, number, size)?
                    .map(|document| encode(document, format))
                    .transpose()
            })
            .await?
            .ok_or_else(not_found)?;
            let body = Arc::new(body);
            state.feed_cache.insert(key, Arc::clone(&body));
            body
        }
    };
    // From the events the body holds, which may be more than counted above if the page grew
    // in between.
    answer(
        &body,
        Caching::of_page(body.events, size),
        media_type,
        &headers,
    )
}

/// Runs `work` on Tokio's blocking pool (store reads and serialisation block).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(ApiError::Internal)
}

/// The negotiated format: its media type and its index in [`FORMATS`]; 406 if none fits.
fn negotiate(headers: &HeaderMap) -> Result<(&'static str, usize), ApiError> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok());
    let offers: Vec<[&str; 1]> = FORMATS.iter().map(|(media, _)| [*media]).collect();
    let slices: Vec<&[&str]> = offers.iter().map(|offer| offer.as_slice()).collect();
    let index = choose(accept, &slices).ok_or_else(|| ApiError::NotAcceptable {
        available: FORMATS
            .iter()
            .map(|(media, _)| *media)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    Ok((FORMATS[index].0, index))
}

/// Serialises `document` in format `format` (an index into [`FORMATS`]) with its strong ETag.
fn encode(document: Document, format: usize) -> anyhow::Result<Body> {
    let bytes = serialise(&document.quads, FORMATS[format].1)?;
    Ok(Body {
        events: document.events,
        etag: format!("\"{}\"", &crate::model::hex(&Sha256::digest(&bytes))[..32]),
        bytes: bytes.into(),
    })
}

/// The answer for `body`, with its caching headers, or 304 when the client holds it already.
fn answer(
    body: &Body,
    caching: Caching,
    media_type: &'static str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let cache_control = match caching {
        Caching::Immutable => HeaderValue::from_static(IMMUTABLE),
        Caching::Mutable => HeaderValue::from_str(&format!("public, max-age={POLL_SECONDS}"))
            .map_err(|error| ApiError::Internal(error.into()))?,
    };
    let etag = &body.etag;
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
        (StatusCode::OK, body.bytes.clone()).into_response()
    };
    let headers = response.headers_mut();
    if !matches {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    }
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(etag).map_err(|error| ApiError::Internal(error.into()))?,
    );
    headers.insert(header::CACHE_CONTROL, cache_control);
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

/// The catalogue and dump routes.
pub fn catalog_router() -> Router<AppState> {
    Router::new()
        .route("/catalogus", get(catalog))
        .route("/dumps/{file}", get(dump_file))
        .route("/feeds/{file}", get(atom_feed))
}

/// An Atom feed (`consultaties.atom`, `beslissingen.atom`).
#[tracing::instrument(skip(state))]
async fn atom_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let which = crate::feed::atom::AtomFeed::from_file_name(&file).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no feed {file:?}; the feeds are /feeds/consultaties.atom and /feeds/beslissingen.atom"
        ))
    })?;
    let store = state.store.clone();
    let xml = tokio::task::spawn_blocking(move || crate::feed::atom::feed(&store, which))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(|error| ApiError::Internal(error.into()))?;
    let mut response = (StatusCode::OK, xml).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&format!("public, max-age={POLL_SECONDS}"))
            .map_err(|error| ApiError::Internal(error.into()))?,
    );
    Ok(response)
}

/// The DCAT-AP catalogue, in Turtle, N-Triples, JSON-LD or RDF/XML.
#[tracing::instrument(skip(state, headers))]
async fn catalog(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let offer = crate::web::negotiate::choose_offer(
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        crate::sparql::GRAPH_OFFERS,
    )?;
    let crate::store::ResultFormat::Graph(format) = offer.format else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a graph offer without a graph format"
        )));
    };
    let dir = state.config.feeds.dump_dir.clone();
    let names = state.store.graph_names().clone();
    let body = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
        let dumps = match dir {
            Some(dir) => crate::feed::dump::latest(&dir)?,
            None => Vec::new(),
        };
        let triples = crate::feed::catalog::catalog(&names, &dumps);
        let quads: Vec<Quad> = triples
            .into_iter()
            .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
            .collect();
        Ok(serialise(&quads, format)?)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
    .map_err(ApiError::Internal)?;
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(offer.media_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// A dump file named in the index; dump files never change (their names carry their time).
#[tracing::instrument(skip(state, request))]
async fn dump_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no dump {file:?}; the catalogue at /catalogus lists the dumps"
        ))
    };
    let Some(dir) = state.config.feeds.dump_dir.clone() else {
        return Err(not_found());
    };
    let index_dir = dir.clone();
    let dumps = tokio::task::spawn_blocking(move || crate::feed::dump::latest(&index_dir))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(|error| ApiError::Internal(error.into()))?;
    let Some(info) = dumps.into_iter().find(|info| info.file == file) else {
        return Err(not_found());
    };
    // The whole file is read into memory: fine for dumps of tens of megabytes (a million
    // triples compress to about 10 MB); larger ones should be streamed.
    let path = dir.join(&info.file);
    let body = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(|error| ApiError::Internal(error.into()))?;
    let etag = format!("\"{}\"", info.sha256);
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/gzip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(|error| ApiError::Internal(error.into()))?,
    );
    Ok(response)
}
