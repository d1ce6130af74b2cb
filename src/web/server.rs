//! The HTTP server loop: one acceptor, and a pool of workers (threads with a single-threaded Tokio
//! runtime each; eight per core by default) that serve the connections dealt to them.
//!
//! Why not `axum::serve` on Tokio's work-stealing runtime: a SPARQL client sends a request, waits
//! for the answer, sends the next. Under such ping-pong load the work-stealing scheduler kept
//! both connections of a two-client benchmark on one worker about half of the time, while the
//! other core idled, and each wake-up that did cross threads cost a futex round trip. Here a
//! connection lives on one thread from accept to close (no hand-over between threads while it is
//! served), and each new connection goes to the worker with the fewest open ones, so that the
//! cores share the clients. More workers than cores: a worker serves its connections one request
//! at a time, so a worker that the kernel descheduled for a moment (the machine runs other
//! processes too) held up all of them; with a worker per connection, as long as connections are
//! fewer than workers, the kernel schedules each connection on its own (see
//! `config::defaults::http_workers`). Slow work does not stay on these threads: evaluation, store reads
//! and writes run on the blocking pool (`spawn_blocking`), so a heavy query on one worker does
//! not stall that worker's other connections.
//!
//! Shutdown: when `shutdown` completes the acceptor stops, every worker asks its connections to
//! finish (hyper's graceful shutdown: requests in flight are answered, idle keep-alive
//! connections are closed) and [`serve`] returns once all of them have.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish. `workers` single-threaded runtimes serve the connections (at least one).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    workers: usize,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let mut pool = Vec::new();
    for index in 0..workers.max(1) {
        pool.push(Worker::start(index, router.clone(), stopped.clone())?);
    }
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                // Out of file descriptors, say: wait for some connections to close.
                tracing::error!(error = %error, "could not accept a connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // Small responses must not wait for the client's delayed ACK (Nagle): up to 40 ms each.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(error = %error, "could not set TCP_NODELAY");
        }
        let Some(worker) = pool.iter().min_by_key(|worker| worker.open()) else {
            break;
        };
        worker.hand(stream, remote)?;
    }
    drop(listener);
    let _ = stop.send(true);
    let threads: Vec<_> = pool.into_iter().map(Worker::close).collect();
    tokio::task::spawn_blocking(move || {
        for thread in threads {
            thread
                .join()
                .map_err(|_| io::Error::other("an HTTP worker thread panicked"))??;
        }
        Ok(())
    })
    .await
    .map_err(io::Error::other)?
}

/// One thread with its own single-threaded runtime, and the connections it serves.
struct Worker {
    connections: mpsc::UnboundedSender<(std::net::TcpStream, SocketAddr)>,
    open: Arc<AtomicUsize>,
    thread: std::thread::JoinHandle<io::Result<()>>,
}

impl Worker {
    fn start(index: usize, router: Router, stopped: watch::Receiver<bool>) -> io::Result<Self> {
        let (connections, mut incoming) = mpsc::unbounded_channel();
        let open = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&open);
        // The logger of the thread that starts the server (a test's own, say), and its span.
        let dispatch = tracing::dispatcher::get_default(Clone::clone);
        let span = tracing::Span::current();
        let thread = std::thread::Builder::new()
            .name(format!("agora-http-{index}"))
            .spawn(move || -> io::Result<()> {
                let _logger = tracing::dispatcher::set_default(&dispatch);
                let _in_span = span.enter();
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let mut served = tokio::task::JoinSet::new();
                    while let Some((stream, remote)) = incoming.recv().await {
                        let stream = match TcpStream::from_std(stream) {
                            Ok(stream) => stream,
                            Err(error) => {
                                counted.fetch_sub(1, Ordering::Relaxed);
                                tracing::warn!(error = %error, "could not take a connection");
                                continue;
                            }
                        };
                        served.spawn(serve_connection(
                            stream,
                            remote,
                            router.clone(),
                            stopped.clone(),
                            Arc::clone(&counted),
                        ));
                        // Reap finished connections as we go, so the set stays small.
                        while served.try_join_next().is_some() {}
                    }
                    // The acceptor has stopped: wait for the connections to finish.
                    while served.join_next().await.is_some() {}
                });
                Ok(())
            })?;
        Ok(Self {
            connections,
            open,
            thread,
        })
    }

    /// How many connections this worker serves now.
    fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Gives this worker a newly accepted connection.
    fn hand(&self, stream: TcpStream, remote: SocketAddr) -> io::Result<()> {
        // Leaves the acceptor's reactor; the worker registers it with its own.
        let stream = stream.into_std()?;
        self.open.fetch_add(1, Ordering::Relaxed);
        self.connections
            .send((stream, remote))
            .map_err(|_| io::Error::other("an HTTP worker stopped"))
    }

    /// No more connections: the worker ends once its open ones have.
    fn close(self) -> std::thread::JoinHandle<io::Result<()>> {
        drop(self.connections);
        self.thread
    }
}

/// Serves one connection (HTTP/1.1 or HTTP/2) until the client closes it, or until shutdown
/// and the requests in flight are answered.
async fn serve_connection(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    mut stopped: watch::Receiver<bool>,
    open: Arc<AtomicUsize>,
) {
    let service = router.map_request(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(remote));
        request
    });
    let builder = Builder::new(TokioExecutor::new());
    let connection = builder
        .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
    let mut connection = std::pin::pin!(connection);
    let mut stopping = false;
    loop {
        tokio::select! {
            outcome = connection.as_mut() => {
                if let Err(error) = outcome {
                    tracing::trace!(error = %error, "connection ended with an error");
                }
                break;
            }
            changed = stopped.wait_for(|stop| *stop), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
    open.fetch_sub(1, Ordering::Relaxed);
}

/// Errors of one connection attempt, not of the listener: accepting goes on at once.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
