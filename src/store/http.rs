//! Synchronous HTTP for the remote store, callable from any thread.
//!
//! The store's API is synchronous and is called on blocking threads, but also (in tests, at
//! startup) from async code. `reqwest::blocking` panics when used on a runtime's thread, so the
//! remote store keeps its own small Tokio runtime on a thread of its own, runs the async client
//! there, and waits for the answer with a parked thread ([`block_on`]), which works anywhere.
//! Response bodies come back through a bounded channel, so a large result streams.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

/// How many body chunks may wait for the reader.
const CHUNKS_IN_FLIGHT: usize = 16;

/// Runs `future` to completion on this thread, parking it while the future waits. The future
/// must not need this thread's Tokio runtime (channels from `tokio::sync` are fine).
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    // On a runtime's thread, Tokio's cooperative budget would defer the wake-up of an exhausted
    // task to the runtime's next turn, which never comes while this thread is parked.
    let mut future = std::pin::pin!(tokio::task::unconstrained(future));
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(output) => return output,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// An HTTP client on a runtime thread of its own. Dropping it stops the thread.
pub(super) struct Http {
    client: reqwest::Client,
    handle: tokio::runtime::Handle,
    _stop: oneshot::Sender<()>,
}

/// Why a request failed.
#[derive(Debug)]
pub(super) enum HttpError {
    /// The time limit passed.
    Timeout,
    /// Anything else.
    Other(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out"),
            Self::Other(message) => f.write_str(message),
        }
    }
}

fn http_error(error: reqwest::Error) -> HttpError {
    if error.is_timeout() {
        HttpError::Timeout
    } else {
        HttpError::Other(error.to_string())
    }
}

/// A response: its status and its body, read as it arrives.
pub(super) struct Response {
    pub(super) status: reqwest::StatusCode,
    pub(super) body: Body,
}

/// A response body as `std::io::Read`.
pub(super) struct Body {
    chunks: mpsc::Receiver<Result<Vec<u8>, HttpError>>,
    current: Vec<u8>,
    position: usize,
}

impl std::io::Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.position == self.current.len() {
            match block_on(self.chunks.recv()) {
                Some(Ok(chunk)) => {
                    self.current = chunk;
                    self.position = 0;
                }
                Some(Err(HttpError::Timeout)) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the remote store did not answer within the time limit",
                    ))
                }
                Some(Err(HttpError::Other(message))) => return Err(std::io::Error::other(message)),
                None => return Ok(0),
            }
        }
        let count = buf.len().min(self.current.len() - self.position);
        buf[..count].copy_from_slice(&self.current[self.position..self.position + count]);
        self.position += count;
        Ok(count)
    }
}

impl Http {
    /// Starts the runtime thread.
    pub(super) fn new() -> Result<Self, HttpError> {
        let client = reqwest::Client::builder().build().map_err(http_error)?;
        let (handle_sender, handle_receiver) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("agora-remote-store".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = handle_sender.send(Err(error.to_string()));
                        return;
                    }
                };
                let _ = handle_sender.send(Ok(runtime.handle().clone()));
                runtime.block_on(async move {
                    let _ = stopped.await;
                });
            })
            .map_err(|error| HttpError::Other(error.to_string()))?;
        let handle = handle_receiver
            .recv()
            .map_err(|error| HttpError::Other(error.to_string()))?
            .map_err(HttpError::Other)?;
        Ok(Self {
            client,
            handle,
            _stop: stop,
        })
    }

    /// POSTs `body` (form-encoded) to `url`; the answer's status and streaming body.
    pub(super) fn post_form(
        &self,
        url: &str,
        body: String,
        accept: Option<&str>,
        timeout: Duration,
    ) -> Result<Response, HttpError> {
        let mut request = self
            .client
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(timeout)
            .body(body);
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let (status_sender, status) = oneshot::channel();
        let (chunk_sender, chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
        self.handle.spawn(async move {
            let mut response = match request.send().await {
                Ok(response) => response,
                Err(error) => {
                    let _ = status_sender.send(Err(http_error(error)));
                    return;
                }
            };
            if status_sender.send(Ok(response.status())).is_err() {
                return;
            }
            loop {
                let next = match response.chunk().await {
                    Ok(Some(chunk)) => Ok(chunk.to_vec()),
                    Ok(None) => return,
                    Err(error) => Err(http_error(error)),
                };
                let failed = next.is_err();
                // The reader went away: stop reading (dropping the response closes it).
                if chunk_sender.send(next).await.is_err() || failed {
                    return;
                }
            }
        });
        let status = block_on(status).map_err(|_| {
            HttpError::Other("the HTTP thread of the remote store stopped".to_owned())
        })??;
        Ok(Response {
            status,
            body: Body {
                chunks,
                current: Vec::new(),
                position: 0,
            },
        })
    }
}
