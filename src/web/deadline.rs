//! A query deadline: a cancellation token that fires when the time limit passes, and a timer
//! that is stopped when the deadline is dropped (so finished queries leave no sleeping task).

use std::time::Duration;

use oxigraph::sparql::CancellationToken;
use tokio::task::JoinHandle;

/// Cancels its token after the time limit unless dropped first.
pub struct Deadline {
    token: CancellationToken,
    timer: JoinHandle<()>,
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
        Self { token, timer }
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
