//! A query deadline: a cancellation token that fires when the time limit passes, and a timer
//! that is stopped when the deadline is dropped (so finished queries leave no sleeping task).

use std::time::Duration;

use oxigraph::sparql::CancellationToken;
use tokio::task::JoinHandle;

/// How long past the time limit a handler waits for a cancelled evaluation to stop before it
/// answers without it. Oxigraph checks the token each time it reads from the store, but a join
/// that only combines what it has already read (a cross product, say) can run for seconds
/// between two checks; the client gets its 503 at the limit all the same, and the evaluation
/// keeps its query slot until it does stop.
const GRACE: Duration = Duration::from_millis(500);

/// Cancels its token after the time limit unless dropped first.
pub struct Deadline {
    token: CancellationToken,
    timer: JoinHandle<()>,
    answer_by: tokio::time::Instant,
}

impl Deadline {
    /// Starts the clock. Must be called inside the Tokio runtime.
    pub fn start(limit: Duration) -> Self {
        let token = CancellationToken::new();
        let timer = {
            let token = token.clone();
            tokio::spawn(async move {
                tokio::time::sleep(limit).await;
                token.cancel();
            })
        };
        Self {
            token,
            timer,
            answer_by: tokio::time::Instant::now() + limit + GRACE,
        }
    }

    /// When the handler answers "time limit" even if the evaluation has not stopped yet.
    pub fn answer_by(&self) -> tokio::time::Instant {
        self.answer_by
    }

    /// The token that evaluation watches.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.timer.abort();
    }
}
