//! Per-client limits: failed authentications and concurrent SPARQL queries, by client IP.
//!
//! The client is the peer address of the TCP connection. `X-Forwarded-For` is not trusted: any
//! client can write it, and trusting it would let one client pose as many. Behind a reverse
//! proxy every client is the proxy; the proxy should then apply its own per-client limits.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Failed authentications a client may make within [`FAILURE_WINDOW`] before it is refused:
/// enough for a person fixing a typo, far too few to guess a 128-bit secret.
pub const FAILURE_LIMIT: u32 = 10;
/// The window over which failures are counted; a client over the limit waits until it ends.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered before old entries are swept: bounds memory under a spray of addresses.
const MAX_TRACKED_CLIENTS: usize = 10_000;

/// The IP address of the client, from the connection (unspecified when the server was not
/// started with connection information, as in router-level tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()),
        ))
    }
}

/// The per-client counters of one server.
#[derive(Debug)]
pub struct ClientLimits {
    failures: Mutex<HashMap<IpAddr, Failures>>,
    /// Each client's query slots; a client is forgotten when it runs none and none is awaited.
    queries: Mutex<HashMap<IpAddr, Arc<Semaphore>>>,
    queries_per_client: usize,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    since: Instant,
    count: u32,
}

impl ClientLimits {
    /// Limits allowing `queries_per_client` concurrent queries per client.
    pub fn new(queries_per_client: usize) -> Self {
        Self {
            failures: Mutex::default(),
            queries: Mutex::default(),
            queries_per_client,
        }
    }

    /// How long `client` must wait before it may try a token again, if it failed too often.
    pub fn auth_blocked(&self, client: IpAddr) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = failures.get(&client)?;
        let elapsed = entry.since.elapsed();
        (entry.count >= FAILURE_LIMIT && elapsed < FAILURE_WINDOW)
            .then(|| FAILURE_WINDOW.saturating_sub(elapsed))
    }

    /// Counts one failed authentication of `client`.
    pub fn auth_failed(&self, client: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() >= MAX_TRACKED_CLIENTS {
            failures.retain(|_, entry| entry.since.elapsed() < FAILURE_WINDOW);
        }
        let now = Instant::now();
        let entry = failures.entry(client).or_insert(Failures {
            since: now,
            count: 0,
        });
        if entry.since.elapsed() >= FAILURE_WINDOW {
            *entry = Failures {
                since: now,
                count: 0,
            };
        }
        entry.count += 1;
    }

    /// Takes one of `client`'s query slots, waiting at most `wait` for one to come back; `None`
    /// if none did, because the client keeps its whole share busy. The slot is given back when
    /// the returned guard is dropped.
    pub async fn query_slot(
        self: &Arc<Self>,
        client: IpAddr,
        wait: Duration,
    ) -> Option<ClientQuerySlot> {
        let semaphore = {
            let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(
                queries
                    .entry(client)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.queries_per_client))),
            )
        };
        let permit = match Arc::clone(&semaphore).try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) => tokio::time::timeout(wait, Arc::clone(&semaphore).acquire_owned())
                .await
                .ok()
                .and_then(Result::ok),
        };
        drop(semaphore);
        match permit {
            Some(permit) => Some(ClientQuerySlot {
                limits: Arc::clone(self),
                client,
                permit: Some(permit),
            }),
            None => {
                self.forget_if_idle(client);
                None
            }
        }
    }

    /// Forgets `client`'s slots when nobody holds or awaits one (only the map refers to them).
    fn forget_if_idle(&self, client: IpAddr) {
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        if queries
            .get(&client)
            .is_some_and(|semaphore| Arc::strong_count(semaphore) == 1)
        {
            queries.remove(&client);
        }
    }
}

/// One running query of a client; dropping it frees the slot.
#[derive(Debug)]
pub struct ClientQuerySlot {
    limits: Arc<ClientLimits>,
    client: IpAddr,
    permit: Option<OwnedSemaphorePermit>,
}

impl Drop for ClientQuerySlot {
    fn drop(&mut self) {
        drop(self.permit.take());
        self.limits.forget_if_idle(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_blocked_after_the_failure_limit_and_others_are_not() {
        let limits = ClientLimits::new(2);
        let client = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
        for _ in 0..FAILURE_LIMIT {
            assert!(limits.auth_blocked(client).is_none());
            limits.auth_failed(client);
        }
        assert!(limits.auth_blocked(client).is_some());
        assert!(limits.auth_blocked(other).is_none());
    }

    #[tokio::test]
    async fn query_slots_are_per_client_and_come_back_when_dropped() {
        let limits = Arc::new(ClientLimits::new(2));
        let client = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let no_wait = Duration::ZERO;
        let first = limits.query_slot(client, no_wait).await;
        let second = limits.query_slot(client, no_wait).await;
        assert!(first.is_some() && second.is_some());
        assert!(limits.query_slot(client, no_wait).await.is_none());
        assert!(limits
            .query_slot(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)), no_wait)
            .await
            .is_some());
        drop(first);
        assert!(limits.query_slot(client, no_wait).await.is_some());
        drop(second);
        assert!(
            limits.queries.lock().expect("not poisoned").is_empty(),
            "idle clients are forgotten"
        );
    }

    #[tokio::test]
    async fn a_client_over_its_share_waits_briefly_for_its_own_slot() {
        let limits = Arc::new(ClientLimits::new(1));
        let client = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let running = limits.query_slot(client, Duration::ZERO).await;
        assert!(running.is_some());
        let waiting = {
            let limits = Arc::clone(&limits);
            tokio::spawn(async move {
                limits
                    .query_slot(client, Duration::from_secs(30))
                    .await
                    .is_some()
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(running);
        assert!(
            waiting.await.expect("joined"),
            "the freed slot went to the waiting query"
        );
    }
}
