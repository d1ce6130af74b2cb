//! Startup: opens the store, loads reference and demo data, binds the listener, serves.
//!
//! [`Application::build`] binds before it returns, so callers (tests) can ask for port 0 and
//! read the real port with [`Application::port`].

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::{ServeConfig, Storage};
use crate::demo;
use crate::push::Pusher;
use crate::store::Store;
use crate::web::{app, AppState};

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

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
        }
        .context("while opening the store")?;
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
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("while binding {}", config.bind))?;
        let shapes = demo::shapes_in_context().context("while loading the built-in shapes")?;
        let reference = demo::reference_triples().context("while loading the reference data")?;
        let pusher = Pusher::new(store.clone(), shapes, reference);
        if config.tokens.is_empty() {
            tracing::info!("no write tokens configured: the push API refuses every write");
        } else {
            tracing::info!(
                holders = config.tokens.holders().collect::<Vec<_>>().join(","),
                "write tokens configured"
            );
        }
        let state =
            AppState::new(store, pusher, config).context("while compiling the page templates")?;
        Ok(Self { listener, state })
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
        let releaser = tokio::spawn(release_embargoed(self.state.store.clone()));
        let dumper = self.state.config.feeds.dump_dir.clone().map(|dir| {
            tokio::spawn(write_dumps(
                self.state.store.clone(),
                dir,
                self.state.config.feeds.dump_every,
            ))
        });
        let served = axum::serve(self.listener, app(self.state))
            .with_graceful_shutdown(shutdown)
            .await;
        releaser.abort();
        if let Some(dumper) = dumper {
            dumper.abort();
        }
        served
    }
}

/// Releases embargoed versions when their publication time comes, without anyone acting: checks
/// the schedule every second (a cheap index lookup) and releases what is due.
async fn release_embargoed(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let store = store.clone();
        let outcome =
            tokio::task::spawn_blocking(move || -> Result<Vec<_>, crate::store::StoreError> {
                match store.next_release()? {
                    Some(time) if time <= oxsdatatypes::DateTime::now() => store.release_due(),
                    _ => Ok(Vec::new()),
                }
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

/// Writes dumps of the published data into `dir` at start and then every `every`. A dump reads
/// one snapshot of the store and takes no lock, so writes go on meanwhile.
async fn write_dumps(store: Store, dir: std::path::PathBuf, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
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
