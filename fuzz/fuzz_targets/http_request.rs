//! Fuzz target: the query parameters and paths of the pages and feeds, through the real router
//! (`web::app`) over the demo data in memory: list filters and paging, search words and kinds,
//! languages, formats, LDES page numbers, `/resource?uri=`, `/sparql?query=`. The first byte
//! picks the `Accept` header; the rest is the request target (`/path?query`).

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use agora::auth::{Keyring, Tokens};
use agora::config::{ServeConfig, Storage};
use agora::metrics::Metrics;
use agora::model::BaseIri;
use agora::push::Pusher;
use agora::search::SearchIndex;
use agora::store::Store;
use agora::web::{AppState, Parts};
use axum::body::Body;
use axum::http::{Request, Uri};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const ACCEPTS: [&str; 6] = [
    "text/html",
    "*/*",
    "text/turtle",
    "application/ld+json",
    "application/sparql-results+json",
    "application/atom+xml",
];

struct Fixture {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let base = BaseIri::parse("https://agora.vlaanderen.be").expect("a valid base");
        let mut config = ServeConfig::new(Storage::Memory, base.clone());
        config.bind = "127.0.0.1:0".parse().expect("an address");
        config.query_timeout = Duration::from_secs(2);
        config.max_concurrent_queries = 4;
        config.max_body_bytes = 64 * 1024;
        config.max_push_bytes = 256 * 1024;
        config.feeds.page_size = 5;
        config.access.max_queries_per_client = 4;
        let store = Store::in_memory(&base).expect("an in-memory store");
        agora::demo::load(&store, true).expect("the demo data loads");
        let search = SearchIndex::in_memory().expect("an index");
        search.ensure_current(&store).expect("the index builds");
        let shapes = agora::demo::shapes_in_context().expect("the shapes load");
        let reference = agora::demo::reference_triples().expect("the reference data loads");
        let pusher = Pusher::new(store.clone(), shapes, reference).with_search(search.clone());
        let parts = Parts {
            store,
            pusher,
            search,
            keyring: Keyring::new(Tokens::default(), None).expect("a keyring"),
            metrics: Metrics::default(),
        };
        let state = AppState::new(parts, config).expect("the templates compile");
        let router = agora::web::app(state);
        Fixture { runtime, router }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, target)) = data.split_first() else {
        return;
    };
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    if !target.starts_with('/') {
        return;
    }
    let Ok(uri) = target.parse::<Uri>() else {
        return;
    };
    let accept = ACCEPTS[usize::from(*selector) % ACCEPTS.len()];
    let fixture = fixture();
    let Ok(request) = Request::get(uri).header("accept", accept).body(Body::empty()) else {
        return;
    };
    let router = fixture.router.clone();
    fixture.runtime.block_on(async move {
        let response = router.oneshot(request).await.expect("the router is infallible");
        // A 500 is a bug: nothing a client sends may make Agora fail inside.
        assert_ne!(
            response.status().as_u16(),
            500,
            "internal error for {target:?} ({accept})"
        );
        let _ = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await;
    });
});
