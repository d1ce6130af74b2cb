//! The HTTP surface. Only this module knows axum, HTTP status codes and templates.
//!
//! Each resource module exposes `router()`; [`app`] merges them with the shared layers
//! (tracing, security headers) and tests reuse it.

mod admin;
mod deadline;
mod error;
mod feed_cache;
mod feeds;
mod i18n;
mod lang;
pub mod limits;
mod lists;
mod negotiate;
mod observe;
mod ops;
mod page_data;
mod pages;
mod push;
mod query_page;
mod record_pages;
mod search;
pub mod server;
mod sparql;
mod themis;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::{header, Method};
use axum::Router;
use tera::Tera;
use tokio::sync::Semaphore;
use tower_http::cors::{Any, CorsLayer};

use crate::auth::Keyring;
use crate::config::ServeConfig;
use crate::metrics::{Metrics, StoreSize};
use crate::push::Pusher;
use crate::search::SearchIndex;
use crate::store::Store;

pub use error::ApiError;

/// Everything a handler needs, cheap to clone: one reference count, however many parts (the
/// router clones it for every request, several times).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    /// The store.
    pub store: Store,
    /// The compiled page templates.
    pub templates: Arc<Templates>,
    /// The validated configuration.
    pub config: Arc<ServeConfig>,
    /// The parser of `/sparql` queries, with the endpoint's base IRI.
    pub query_parser: spargebra::SparqlParser,
    /// Evaluation slots of `/sparql`: at most `max_concurrent_queries` queries run at once.
    pub query_slots: Arc<Semaphore>,
    /// Validates and writes pushed records.
    pub pusher: Pusher,
    /// The full-text index of the published data.
    pub search: SearchIndex,
    /// The write tokens in force (the token file is read again when it changes).
    pub keyring: Keyring,
    /// Request, query and push counters for `/metrics`.
    pub metrics: Metrics,
    /// Failed authentications and running queries per client.
    pub limits: Arc<limits::ClientLimits>,
    /// Set when shutdown begins: `/ready` then answers 503.
    pub shutting_down: Arc<AtomicBool>,
    /// The store's size as last measured for `/metrics`, and when.
    pub store_size: Arc<Mutex<Option<(Instant, StoreSize)>>>,
    /// Feed pages already served.
    pub feed_cache: feed_cache::FeedCache,
}

/// What the state is built from besides the configuration.
pub struct Parts {
    /// The store.
    pub store: Store,
    /// The pusher over the store.
    pub pusher: Pusher,
    /// The search index.
    pub search: SearchIndex,
    /// The write tokens.
    pub keyring: Keyring,
    /// The metrics registry (shared with the background tasks).
    pub metrics: Metrics,
}

impl AppState {
    /// Builds the state; fails only if a built-in template does not compile (a test guards it).
    pub fn new(parts: Parts, config: ServeConfig) -> Result<Self, tera::Error> {
        let Parts {
            store,
            pusher,
            search,
            keyring,
            metrics,
        } = parts;
        Ok(Self(Arc::new(Shared {
            pusher,
            search,
            store,
            keyring,
            metrics,
            limits: Arc::new(limits::ClientLimits::new(
                config.access.max_queries_per_client,
            )),
            shutting_down: Arc::default(),
            store_size: Arc::default(),
            feed_cache: feed_cache::FeedCache::new(config.feeds.cache_bytes),
            templates: Arc::new(templates()?),
            query_parser: crate::sparql::endpoint_parser(&config.base_iri),
            query_slots: Arc::new(Semaphore::new(config.max_concurrent_queries)),
            config: Arc::new(config),
        })))
    }
}

/// The page templates, one compiled set per interface language.
pub struct Templates {
    dutch: Tera,
    english: Tera,
}

impl Templates {
    /// The templates for `lang`.
    pub fn get(&self, lang: lang::Lang) -> &Tera {
        match lang {
            lang::Lang::Nl => &self.dutch,
            lang::Lang::En => &self.english,
        }
    }
}

/// Compiles the templates for every interface language.
pub fn templates() -> Result<Templates, tera::Error> {
    Ok(Templates {
        dutch: templates_in(lang::Lang::Nl)?,
        english: templates_in(lang::Lang::En)?,
    })
}

/// The page templates in one language, compiled into the binary. Names ending in `.html` are
/// auto-escaped.
fn templates_in(lang: lang::Lang) -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    tera.add_raw_templates([
        ("base.html", include_str!("templates/base.html")),
        ("home.html", include_str!("templates/home.html")),
        ("resource.html", include_str!("templates/resource.html")),
        ("sparql.html", include_str!("templates/sparql.html")),
        ("error.html", include_str!("templates/error.html")),
        ("pager.html", include_str!("templates/pager.html")),
        ("history.html", include_str!("templates/history.html")),
        ("alternates.html", include_str!("templates/alternates.html")),
        ("record.html", include_str!("templates/record.html")),
        (
            "consultation.html",
            include_str!("templates/consultation.html"),
        ),
        ("meeting.html", include_str!("templates/meeting.html")),
        ("decision.html", include_str!("templates/decision.html")),
        (
            "consultations.html",
            include_str!("templates/consultations.html"),
        ),
        ("meetings.html", include_str!("templates/meetings.html")),
        ("proposals.html", include_str!("templates/proposals.html")),
        ("search.html", include_str!("templates/search.html")),
        (
            "accountability.html",
            include_str!("templates/accountability.html"),
        ),
    ])?;
    i18n::register(&mut tera, lang);
    tera.set_escape_fn(escape_html);
    Ok(tera)
}

/// Escapes text for HTML element content and quoted attribute values: the five characters that
/// can end a text run or a quoted attribute (what MarkupSafe and Askama escape). Tera's default
/// also escapes `/`, which makes every link in the page source unreadable for no safety gain.
pub fn escape_html(input: &str) -> String {
    let mut output = String::with_capacity(input.len());
    for character in input.chars() {
        match character {
            '&' => output.push_str("&amp;"),
            '<' => output.push_str("&lt;"),
            '>' => output.push_str("&gt;"),
            '"' => output.push_str("&quot;"),
            '\'' => output.push_str("&#x27;"),
            other => output.push(other),
        }
    }
    output
}

/// `http://host` (or `https://` behind a proxy that says so) as the client addressed this server,
/// for absolute URLs in answers; a missing or odd `Host` gives the loopback address.
pub fn request_origin(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// The whole application: every route and layer.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(lists::router())
        .merge(sparql::router())
        .merge(push::router())
        .merge(feeds::router())
        .merge(feeds::catalog_router())
        .merge(search::router())
        .merge(ops::router())
        .merge(admin::router())
        .merge(themis::router())
        .fallback(not_found)
        .layer(
            // Browser clients (Comunica, YASGUI, notebooks) query from other origins. Writes need
            // a bearer token, which browsers never send on their own, so CORS cannot turn a
            // visitor's browser into a writer; PUT and DELETE are still not offered to scripts.
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::HEAD])
                .allow_headers([header::ACCEPT, header::CONTENT_TYPE]),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::around,
        ))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("nothing here; start at / or query the data at /sparql".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() -> Result<(), tera::Error> {
        templates().map(|_| ())
    }

    #[test]
    fn markup_is_escaped_and_slashes_are_not() {
        assert_eq!(
            escape_html(r#"<a href="/x?a=1&b='2'">"#),
            "&lt;a href=&quot;/x?a=1&amp;b=&#x27;2&#x27;&quot;&gt;"
        );
    }
}
