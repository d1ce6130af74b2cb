//! Startup: opens the store, loads reference and demo data, brings the search index in step,
//! binds the listener, serves.
//!
//! [`Application::build`] binds before it returns, so callers (tests) can ask for port 0 and
//! read the real port with [`Application::port`].

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::auth::{Keyring, Reload};
use crate::config::{ServeConfig, Storage};
use crate::demo;
use crate::metrics::{Counter, Metrics};
use crate::model::{Collection, GraphNames};
use crate::push::Pusher;
use crate::search::SearchIndex;
use crate::store::Store;
use crate::web::{app, AppState, Parts};

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    /// On a remote store: how far each collection's event log was when the search index was
    /// brought in step (the writes of other instances are followed from there).
    followed: Option<EventPositions>,
}

/// How many events each collection's log held.
type EventPositions = Vec<(Collection, u64)>;

impl Application {
    /// Opens the store, refreshes reference data, loads the demo data into an empty store (unless
    /// disabled), and binds the listener.
    pub async fn build(config: ServeConfig) -> anyhow::Result<Self> {
        let store = match &config.storage {
            Storage::Memory => Store::in_memory(&config.base_iri),
            Storage::Disk(path) => {
                std::fs::create_dir_all(path).with_context(|| {
                    format!("while creating the data folder {}", path.display())
                })?;
                Store::open(path, &config.base_iri)
            }
            Storage::Remote(endpoints) => {
                // Connecting blocks (HTTP); the blocking client may not run on a runtime thread.
                let (endpoints, base) = (endpoints.clone(), config.base_iri.clone());
                let timeout = config.query_timeout;
                tokio::task::spawn_blocking(move || Store::remote(endpoints, &base, timeout))
                    .await
                    .context("while connecting to the remote store")?
            }
        }
        .context("while opening the store")?;
        let search = match &config.storage {
            // A remote store may be shared by several Agora instances: each keeps its own index,
            // rebuilt from the store at start (see README, "Remote store").
            Storage::Memory | Storage::Remote(_) => SearchIndex::in_memory(),
            Storage::Disk(path) => SearchIndex::open(&search_folder(path)),
        }
        .context("while opening the search index")?;
        let metrics = Metrics::default();
        let with_demo = config.demo;
        let loaded = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || demo::load(&store, with_demo))
                .await
                .context("while loading the built-in data")?
                .context("while loading the built-in data")?
        };
        tracing::info!(
            reference_triples = loaded.reference_triples,
            demo_records = loaded.records,
            "built-in data loaded"
        );
        let followed = if store.is_remote() {
            // Read before the index is brought in step: a write of another instance after this
            // is followed (a write before it is in the index).
            let store = store.clone();
            let positions = tokio::task::spawn_blocking(move || event_positions(&store))
                .await
                .context("while reading the event logs")?
                .context("while reading the event logs")?;
            Some(positions)
        } else {
            None
        };
        {
            let (store, search) = (store.clone(), search.clone());
            let rebuilt = tokio::task::spawn_blocking(move || search.ensure_current(&store))
                .await
                .context("while bringing the search index in step")?
                .context("while bringing the search index in step")?;
            if let Some(report) = rebuilt {
                metrics.increment(Counter::SearchRebuild);
                tracing::info!(
                    documents = report.documents,
                    seconds = report.elapsed.as_secs_f64(),
                    "search index rebuilt from the store"
                );
            }
        }
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("while binding {}", config.bind))?;
        let shapes = demo::shapes_in_context().context("while loading the built-in shapes")?;
        let reference = demo::reference_triples().context("while loading the reference data")?;
        let pusher = Pusher::new(store.clone(), shapes, reference).with_search(search.clone());
        let keyring = Keyring::new(config.tokens.clone(), config.access.token_file.clone())
            .context("while reading the write tokens")?;
        if keyring.is_empty() {
            tracing::info!("no write tokens configured: the push API refuses every write");
        } else {
            tracing::info!(
                holders = keyring.holders().join(","),
                "write tokens configured"
            );
        }
        let parts = Parts {
            store,
            pusher,
            search,
            keyring,
            metrics,
        };
        let state = AppState::new(parts, config).context("while compiling the page templates")?;
        Ok(Self {
            listener,
            state,
            followed,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.local_addr().map_or(0, |addr| addr.port())
    }

    /// The store this server serves (tests inspect it).
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let releaser = tokio::spawn(release_embargoed(
            self.state.store.clone(),
            self.state.search.clone(),
            self.state.metrics.clone(),
        ));
        let flusher = tokio::spawn(flush_memtables(self.state.store.clone()));
        let remote_follower = self.followed.map(|positions| {
            tokio::spawn(follow_other_writers(
                self.state.store.clone(),
                self.state.search.clone(),
                positions,
            ))
        });
        let token_watcher = tokio::spawn(watch_tokens(
            self.state.keyring.clone(),
            self.state.metrics.clone(),
        ));
        let shutting_down = self.state.shutting_down.clone();
        let shutdown = async move {
            shutdown.await;
            shutting_down.store(true, std::sync::atomic::Ordering::Relaxed);
        };
        let dumper = self.state.config.feeds.dump_dir.clone().map(|dir| {
            tokio::spawn(write_dumps(
                self.state.store.clone(),
                dir,
                self.state.config.feeds.dump_every,
            ))
        });
        let follower = match (&self.state.config.kaleidos, &self.state.config.storage) {
            (Some(kaleidos), Storage::Disk(data)) => {
                let consumer = crate::kaleidos::consumer::Consumer::new(
                    self.state.pusher.clone(),
                    &kaleidos.holder,
                    &kaleidos.url,
                    &data.join(crate::kaleidos::FOLDER),
                );
                Some(tokio::spawn(follow_kaleidos(consumer, kaleidos.poll)))
            }
            _ => None,
        };
        let workers = self.state.config.http_workers;
        let served =
            crate::web::server::serve(self.listener, app(self.state), workers, shutdown).await;
        releaser.abort();
        flusher.abort();
        if let Some(remote_follower) = remote_follower {
            remote_follower.abort();
        }
        token_watcher.abort();
        if let Some(dumper) = dumper {
            dumper.abort();
        }
        if let Some(follower) = follower {
            follower.abort();
        }
        served
    }
}

/// How often an instance on a remote store looks for what other instances published.
const FOLLOW_OTHERS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// At most this many events per collection are followed per look.
const FOLLOW_BATCH: u64 = 500;

fn event_positions(store: &Store) -> Result<EventPositions, crate::store::StoreError> {
    Collection::ALL
        .into_iter()
        .map(|collection| Ok((collection, store.event_count(collection)?)))
        .collect()
}

/// Keeps the search index in step with what other Agora instances sharing the remote store
/// publish: every published change is in the event log (a release or a withdrawal appends to it),
/// so the records of new events are refreshed in the index. This instance's own writes are in
/// the index at once (the pusher refreshes them); meeting them again here is harmless.
async fn follow_other_writers(store: Store, search: SearchIndex, mut positions: EventPositions) {
    let mut tick = tokio::time::interval(FOLLOW_OTHERS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (store, search) = (store.clone(), search.clone());
        let mut next = positions.clone();
        let looked = tokio::task::spawn_blocking(move || {
            let positions = &mut next;
            let mut ids = std::collections::BTreeSet::new();
            for (collection, position) in positions.iter_mut() {
                let (events, total) = store.events(*collection, *position, FOLLOW_BATCH)?;
                ids.extend(events.iter().map(|event| event.event.record_id()));
                *position = total.min(*position + FOLLOW_BATCH);
            }
            let ids: Vec<_> = ids.into_iter().collect();
            search.refresh_or_mark_stale(&store, &ids);
            Ok::<_, crate::store::StoreError>(next)
        })
        .await;
        match looked {
            Ok(Ok(next)) => positions = next,
            // Tried again at the next tick, from the same positions.
            Ok(Err(error)) => {
                tracing::warn!(error = %error, "could not follow the writes of other instances")
            }
            Err(error) => {
                tracing::error!(error = %error, "the task following other instances panicked")
            }
        }
    }
}

/// How often the store's in-memory writes are flushed to disk (see [`Store::flush`]).
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Flushes the store's memtables every [`FLUSH_EVERY`], so that the server's memory levels off
/// under a steady stream of writes instead of growing towards RocksDB's bulk-load budget.
async fn flush_memtables(store: Store) {
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick is immediate: nothing to flush yet
    loop {
        tick.tick().await;
        let store = store.clone();
        match tokio::task::spawn_blocking(move || store.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(error = %error, "could not flush the store"),
            Err(error) => tracing::warn!(error = %error, "the store flush task failed"),
        }
    }
}

/// Releases embargoed versions when their publication time comes, without anyone acting: checks
/// the schedule every second (a cheap index lookup) and releases what is due, then brings the
/// search index in step with the released records. The same tick rebuilds a search index that a
/// failed update left stale.
async fn release_embargoed(store: Store, search: SearchIndex, metrics: Metrics) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (store, search, metrics) = (store.clone(), search.clone(), metrics.clone());
        let outcome =
            tokio::task::spawn_blocking(move || -> Result<Vec<_>, crate::store::StoreError> {
                let released = match store.next_release()? {
                    Some(time) if time <= oxsdatatypes::DateTime::now() => store.release_due()?,
                    _ => Vec::new(),
                };
                let ids: Vec<_> = released
                    .iter()
                    .map(|root| GraphNames::record_id(root.as_ref()))
                    .collect();
                search.refresh_or_mark_stale(&store, &ids);
                if search.is_stale() {
                    match search.rebuild(&store) {
                        Ok(report) => {
                            metrics.increment(Counter::SearchRebuild);
                            tracing::info!(
                                documents = report.documents,
                                "stale search index rebuilt"
                            )
                        }
                        Err(error) => {
                            tracing::error!(error = %error, "rebuilding the search index failed")
                        }
                    }
                }
                Ok(released)
            })
            .await;
        match outcome {
            Ok(Ok(released)) => {
                for root in released {
                    tracing::info!(root = root.as_str(), "embargo ended: record released");
                }
            }
            Ok(Err(error)) => tracing::error!(error = %error, "releasing embargoed records failed"),
            Err(error) => tracing::error!(error = %error, "the release task panicked"),
        }
    }
}

/// How often the token file is read to see whether it changed: a revoked token stops working
/// within this time (SIGHUP makes it immediate).
const TOKEN_POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads the token file again every [`TOKEN_POLL`] and on SIGHUP; a changed file replaces the
/// tokens in force. The file is small, so reading it is cheaper and surer than trusting
/// modification times (coarse on some file systems).
async fn watch_tokens(keyring: Keyring, metrics: Metrics) {
    if keyring.file().is_none() {
        return;
    }
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut tick = tokio::time::interval(TOKEN_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        #[cfg(unix)]
        {
            let hangup_received = async {
                match hangup.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tick.tick() => {},
                () = hangup_received => tracing::info!("SIGHUP: reading the token file again"),
            }
        }
        #[cfg(not(unix))]
        tick.tick().await;
        let reloading = keyring.clone();
        match tokio::task::spawn_blocking(move || reloading.reload()).await {
            Ok(Ok(Reload::Unchanged)) => {}
            Ok(Ok(Reload::Replaced)) => {
                metrics.increment(Counter::TokenReload);
                tracing::info!(
                    holders = keyring.holders().join(","),
                    "token file changed: tokens replaced"
                );
            }
            Ok(Err(error)) => {
                metrics.increment(Counter::TokenReload);
                tracing::error!(
                    error = %error,
                    "the token file cannot be used: only --token tokens are in force until it is fixed"
                );
            }
            Err(error) => tracing::error!(error = %error, "the token reload task panicked"),
        }
    }
}

/// Writes dumps of the published data into `dir` every `every`, the first at start unless the
/// folder's latest dump is younger than `every` (a restart does not redo a fresh dump of a large
/// store). A dump reads one snapshot of the store and takes no lock, so writes go on meanwhile.
async fn write_dumps(store: Store, dir: std::path::PathBuf, every: std::time::Duration) {
    let age = latest_dump_age(&dir);
    let first = match age {
        Some(age) if age < every => {
            tracing::info!(
                next_in_s = (every - age).as_secs(),
                "the latest dump is recent: none written at start"
            );
            every - age
        }
        _ => std::time::Duration::ZERO,
    };
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (store, dir) = (store.clone(), dir.clone());
        let outcome =
            tokio::task::spawn_blocking(move || crate::feed::dump::produce(&store, &dir)).await;
        match outcome {
            Ok(Ok(dumps)) => {
                for dump in dumps {
                    tracing::info!(file = dump.file, bytes = dump.byte_size, "dump written");
                }
            }
            Ok(Err(error)) => tracing::error!(error = %error, "writing the dumps failed"),
            Err(error) => tracing::error!(error = %error, "the dump task panicked"),
        }
    }
}

/// How long ago the latest dump in `dir` was read from the store, if there is one.
fn latest_dump_age(dir: &std::path::Path) -> Option<std::time::Duration> {
    let dumps = crate::feed::dump::latest(dir).ok()?;
    let issued = dumps
        .iter()
        .filter_map(|dump| dump.issued.parse::<oxsdatatypes::DateTime>().ok())
        .reduce(|a, b| if b > a { b } else { a })?;
    let age = oxsdatatypes::DateTime::now().checked_sub(issued)?;
    let seconds = f64::from(oxsdatatypes::Double::from(age.as_seconds()));
    (seconds.is_finite() && seconds >= 0.0).then(|| std::time::Duration::from_secs_f64(seconds))
}

/// Consumes the Kaleidos producer every `poll` (see `kaleidos::consumer`). A pass that stops
/// (producer unreachable after the retries, store failure) is logged and retried at the next
/// tick, from the same file.
async fn follow_kaleidos(consumer: crate::kaleidos::consumer::Consumer, poll: std::time::Duration) {
    let mut tick = tokio::time::interval(poll);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match consumer.sync().await {
            Ok(summary) if summary.files > 0 => tracing::info!(
                files = summary.files,
                published = summary.published,
                unchanged = summary.unchanged,
                withdrawn = summary.withdrawn,
                quarantined = summary.quarantined.len(),
                "kaleidos publications consumed"
            ),
            Ok(_) => {}
            Err(error) => tracing::error!(error = %error, "consuming the kaleidos producer failed"),
        }
    }
}

/// Where the search index of the data folder `data` lives.
pub fn search_folder(data: &std::path::Path) -> std::path::PathBuf {
    data.join("search")
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
