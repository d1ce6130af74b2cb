//! Prometheus metrics: a small hand-written registry and its text exposition format.
//!
//! Why hand-written rather than `prometheus-client` or `metrics`: Agora needs a handful of
//! counters and one histogram, all known at compile time; the text format is a few lines per
//! family, and owning it keeps label values bounded by construction (route templates, never raw
//! paths; fixed outcome names). Gauges about the store (records, quads) are measured when
//! `/metrics` is scraped, by the caller, and passed to [`Metrics::render`].
//!
//! No IO, no HTTP: `web` records into it and serves [`Metrics::render`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram's buckets: from a cached page (a few
/// milliseconds) to a query at the default time limit (10 s).
const LATENCY_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The metrics of one server. Cheap to clone; every clone records into the same registry.
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Route template -> its requests and latencies. One lock and, once a route has been seen,
    /// no allocation per request.
    routes: Mutex<BTreeMap<String, RouteStats>>,
    query_timeouts: AtomicU64,
    queries_refused: AtomicU64,
    client_queries_refused: AtomicU64,
    pushes_accepted: AtomicU64,
    pushes_refused: AtomicU64,
    auth_failures: AtomicU64,
    auth_rate_limited: AtomicU64,
    search_rebuilds: AtomicU64,
    token_reloads: AtomicU64,
    feed_cache_hits: AtomicU64,
    feed_cache_misses: AtomicU64,
}

#[derive(Default)]
struct RouteStats {
    /// (method, status, requests): a handful per route, so a list beats a map.
    requests: Vec<(String, u16, u64)>,
    latency: Histogram,
}

#[derive(Default, Clone)]
struct Histogram {
    /// Cumulative counts per bucket of [`LATENCY_BUCKETS`].
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What the store holds, measured when the metrics are scraped.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreSize {
    /// Records the system graph knows (withdrawn and pending ones included).
    pub records: u64,
    /// Quads in the store, every graph included.
    pub quads: u64,
}

/// A counter without labels.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    /// A query stopped at the time limit.
    QueryTimeout,
    /// A query refused because every evaluation slot was taken (503).
    QueryRefused,
    /// A query refused because its client already runs its share of queries (429).
    ClientQueryRefused,
    /// A push (or withdrawal) written.
    PushAccepted,
    /// A push (or withdrawal) refused, for any reason.
    PushRefused,
    /// A request with a missing, malformed or unknown token.
    AuthFailure,
    /// A request refused because its client failed to authenticate too often (429).
    AuthRateLimited,
    /// The search index was rebuilt from the store.
    SearchRebuild,
    /// The token file was read again and its tokens replaced.
    TokenReload,
    /// A feed page answered from memory.
    FeedCacheHit,
    /// A feed page read from the store and serialised.
    FeedCacheMiss,
}

impl Metrics {
    /// Counts one request to `route` (a route template such as `/id/{kind}/{id}`).
    pub fn observe_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let mut routes = self
            .inner
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let stats = match routes.get_mut(route) {
            Some(stats) => stats,
            None => routes.entry(route.to_owned()).or_default(),
        };
        match stats
            .requests
            .iter_mut()
            .find(|(m, s, _)| m == method && *s == status)
        {
            Some((_, _, count)) => *count += 1,
            None => stats.requests.push((method.to_owned(), status, 1)),
        }
        let seconds = elapsed.as_secs_f64();
        let histogram = &mut stats.latency;
        for (bucket, bound) in histogram.buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Adds one to `counter`.
    pub fn increment(&self, counter: Counter) {
        self.counter(counter).fetch_add(1, Ordering::Relaxed);
    }

    /// The current value of `counter`.
    pub fn get(&self, counter: Counter) -> u64 {
        self.counter(counter).load(Ordering::Relaxed)
    }

    fn counter(&self, counter: Counter) -> &AtomicU64 {
        let inner = &self.inner;
        match counter {
            Counter::QueryTimeout => &inner.query_timeouts,
            Counter::QueryRefused => &inner.queries_refused,
            Counter::ClientQueryRefused => &inner.client_queries_refused,
            Counter::PushAccepted => &inner.pushes_accepted,
            Counter::PushRefused => &inner.pushes_refused,
            Counter::AuthFailure => &inner.auth_failures,
            Counter::AuthRateLimited => &inner.auth_rate_limited,
            Counter::SearchRebuild => &inner.search_rebuilds,
            Counter::TokenReload => &inner.token_reloads,
            Counter::FeedCacheHit => &inner.feed_cache_hits,
            Counter::FeedCacheMiss => &inner.feed_cache_misses,
        }
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    pub fn render(&self, size: Option<StoreSize>) -> String {
        let mut out = String::new();
        family(
            &mut out,
            "agora_http_requests_total",
            "counter",
            "HTTP requests by route template, method and status.",
        );
        let routes = self
            .inner
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for (route, stats) in routes.iter() {
            let mut requests = stats.requests.clone();
            requests.sort();
            for (method, status, count) in requests {
                let _ = writeln!(
                    out,
                    "agora_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                    label(route),
                    label(&method)
                );
            }
        }
        family(
            &mut out,
            "agora_http_request_duration_seconds",
            "histogram",
            "Time to the response head, by route template (a streamed body may take longer).",
        );
        for (route, stats) in routes.iter() {
            let histogram = &stats.latency;
            let route = label(route);
            for (bound, count) in LATENCY_BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(
                    out,
                    "agora_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "agora_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 agora_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 agora_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count, histogram.sum, histogram.count
            );
        }
        drop(routes);
        let counters = [
            (
                "agora_sparql_timeouts_total",
                "SPARQL queries stopped at the time limit.",
                Counter::QueryTimeout,
            ),
            (
                "agora_sparql_refused_total",
                "SPARQL queries refused with 503: every evaluation slot was taken.",
                Counter::QueryRefused,
            ),
            (
                "agora_sparql_client_refused_total",
                "SPARQL queries refused with 429: the client already ran its share of queries.",
                Counter::ClientQueryRefused,
            ),
            (
                "agora_pushes_accepted_total",
                "Pushes and withdrawals written.",
                Counter::PushAccepted,
            ),
            (
                "agora_pushes_refused_total",
                "Pushes and withdrawals refused (authentication, validation, holder, precondition).",
                Counter::PushRefused,
            ),
            (
                "agora_auth_failures_total",
                "Write requests with a missing, malformed or unknown token.",
                Counter::AuthFailure,
            ),
            (
                "agora_auth_rate_limited_total",
                "Write requests refused with 429 after too many failed authentications.",
                Counter::AuthRateLimited,
            ),
            (
                "agora_search_rebuilds_total",
                "Rebuilds of the search index from the store.",
                Counter::SearchRebuild,
            ),
            (
                "agora_token_reloads_total",
                "Times the token file was read again after it changed.",
                Counter::TokenReload,
            ),
            (
                "agora_feed_cache_hits_total",
                "LDES feed pages answered from memory.",
                Counter::FeedCacheHit,
            ),
            (
                "agora_feed_cache_misses_total",
                "LDES feed pages read from the store and serialised (then kept if they fit).",
                Counter::FeedCacheMiss,
            ),
        ];
        for (name, help, counter) in counters {
            family(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", self.get(counter));
        }
        if let Some(size) = size {
            family(
                &mut out,
                "agora_records",
                "gauge",
                "Records in the store (withdrawn and embargoed ones included).",
            );
            let _ = writeln!(out, "agora_records {}", size.records);
            family(
                &mut out,
                "agora_store_quads",
                "gauge",
                "Quads in the store, every graph included.",
            );
            let _ = writeln!(out, "agora_store_quads {}", size.quads);
        }
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Escapes a label value (backslash, quote, newline), as the text format requires.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_counters_render_in_the_text_format() {
        let metrics = Metrics::default();
        metrics.observe_request("/sparql", "GET", 200, Duration::from_millis(30));
        metrics.observe_request("/sparql", "GET", 200, Duration::from_millis(3));
        metrics.increment(Counter::PushAccepted);
        let text = metrics.render(Some(StoreSize {
            records: 3,
            quads: 40,
        }));
        assert!(text.contains(
            "agora_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "agora_http_request_duration_seconds_bucket{route=\"/sparql\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "agora_http_request_duration_seconds_bucket{route=\"/sparql\",le=\"0.05\"} 2"
        ));
        assert!(text.contains("agora_http_request_duration_seconds_count{route=\"/sparql\"} 2"));
        assert!(text.contains("agora_pushes_accepted_total 1"));
        assert!(text.contains("agora_records 3"));
        assert!(text.contains("agora_store_quads 40"));
    }
}
