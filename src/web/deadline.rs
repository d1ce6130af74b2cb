//! A query deadline: a cancellation token that the waiting handler fires when the time limit
//! passes, or when it stops waiting.
//!
//! The clock is the handler's own wait ([`Deadline::watch`]): no timer task is spawned per
//! query. A spawned task that sleeps the whole limit and is aborted when the query ends cost a
//! task allocation, a scheduling and a wake-up on every query, cheap ones included.

use std::future::Future;
use std::time::Duration;

use oxigraph::sparql::CancellationToken;
use tokio::time::Instant;

/// How long past the time limit a handler waits for a cancelled evaluation to stop before it
/// answers without it. Oxigraph checks the token each time it reads from the store, but a join
/// that only combines what it has already read can run for a long time between two checks (the
/// endpoint refuses the worst kind, products of three or more unconnected parts:
/// `sparql::joins`); the client gets its 503 at the limit all the same, and the evaluation keeps
/// its query slot until it does stop.
const GRACE: Duration = Duration::from_millis(500);

/// The time limit of one query. Dropping it cancels the token: an evaluation nobody waits for
/// any more (the handler answered, or a streamed answer could not be written to its client) stops
/// at its next read from the store. (Hyper does not drop a handler whose HTTP/1 client closes
/// the connection before the answer starts; such an evaluation runs on to the time limit.)
pub struct Deadline {
    token: CancellationToken,
    limit: Instant,
}

impl Deadline {
    /// Starts the clock.
    pub fn start(limit: Duration) -> Self {
        Self {
            token: CancellationToken::new(),
            limit: Instant::now() + limit,
        }
    }

    /// The token that evaluation watches.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Whether the time limit has passed (to tell a time-out from a client gone away).
    pub fn has_passed(&self) -> bool {
        Instant::now() >= self.limit
    }

    /// Waits for `work` until the time limit. At the limit the token is cancelled and `work`
    /// gets [`GRACE`] more to notice and end; `None` when it has not ended by then.
    pub async fn watch<F: Future>(&self, work: F) -> Option<F::Output> {
        let mut work = std::pin::pin!(work);
        match tokio::time::timeout_at(self.limit, work.as_mut()).await {
            Ok(output) => Some(output),
            Err(_) => {
                self.token.cancel();
                tokio::time::timeout_at(self.limit.max(Instant::now()) + GRACE, work)
                    .await
                    .ok()
            }
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.token.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_that_ends_in_time_is_not_cancelled() {
        let deadline = Deadline::start(Duration::from_secs(5));
        let token = deadline.token();
        assert_eq!(deadline.watch(async { 7 }).await, Some(7));
        assert!(!token.is_cancelled());
        drop(deadline);
        assert!(token.is_cancelled(), "dropped: nobody waits any more");
    }

    #[tokio::test]
    async fn at_the_limit_the_token_fires_and_the_work_gets_a_grace() {
        let deadline = Deadline::start(Duration::from_millis(20));
        let token = deadline.token();
        // Work that ends as soon as it sees the cancellation.
        let watched = {
            let token = token.clone();
            async move {
                while !token.is_cancelled() {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                "stopped"
            }
        };
        assert_eq!(deadline.watch(watched).await, Some("stopped"));
        assert!(deadline.has_passed());
    }

    #[tokio::test]
    async fn work_that_ignores_the_token_is_given_up_after_the_grace() {
        let deadline = Deadline::start(Duration::from_millis(10));
        let never = std::future::pending::<()>();
        assert_eq!(deadline.watch(never).await, None);
        assert!(deadline.token().is_cancelled());
    }
}
