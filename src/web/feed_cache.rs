//! Feed pages already served, kept in memory so that a page asked for again is neither read from
//! the store nor serialised again.
//!
//! Reading a page costs a store lookup for nearly every term of every member's content: Oxigraph
//! keeps IRIs and literals longer than 16 bytes in a string table and decodes each one with a
//! RocksDB point read. Measured on a million-triple store, a page of 50 meetings (85,000 quads,
//! 6.8 MB of TriG) takes about a second, three quarters of it in those reads. Harvesters walk the
//! same pages one after another, and pollers ask for the newest page every few seconds, so the
//! second answer should come from memory.
//!
//! What makes this safe: a page's content is fixed by its collection, its number and the number
//! of events it holds. Logged events never change, nor do the versions they point at, and the
//! page size and base IRI are fixed for the life of the process. So a body is kept with the
//! count of events it was built from and served only while the page still holds that many; a
//! full page never gains one, the newest page is built again when it grows (and replaces its
//! older body).
//!
//! The cache holds at most its budget of body bytes; the least recently used pages go first.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use lru::LruCache;

use crate::model::Collection;

/// Which body: one page of one collection in one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The stream.
    pub collection: Collection,
    /// The page number.
    pub number: u64,
    /// The format, as an index into the feed formats.
    pub format: usize,
}

/// A page as served.
#[derive(Debug)]
pub struct Body {
    /// The events the page held when it was built.
    pub events: u64,
    /// The serialised page.
    pub bytes: Bytes,
    /// Its strong `ETag`, quotes included.
    pub etag: String,
}

/// Served feed pages, least recently used first out. Cheap to share; one lock, held for a map
/// lookup or insert, never while a page is read or serialised.
pub struct FeedCache {
    budget: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    pages: LruCache<Key, Arc<Body>>,
    bytes: usize,
}

impl FeedCache {
    /// A cache of at most `budget` bytes of bodies (0: keeps nothing).
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            inner: Mutex::new(Inner {
                pages: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// The body kept for `key`, if the page still holds `events` events.
    pub fn get(&self, key: Key, events: u64) -> Option<Arc<Body>> {
        let mut inner = self.lock();
        match inner.pages.get(&key) {
            Some(body) if body.events == events => Some(Arc::clone(body)),
            _ => None,
        }
    }

    /// Keeps `body` for `key`, unless a body of more events is kept already (two requests raced
    /// while the page grew); then drops the least recently used pages until the budget holds. A
    /// body larger than the whole budget is not kept.
    pub fn insert(&self, key: Key, body: Arc<Body>) {
        let size = body.bytes.len();
        if size > self.budget {
            return;
        }
        let mut inner = self.lock();
        if inner
            .pages
            .peek(&key)
            .is_some_and(|kept| kept.events > body.events)
        {
            return;
        }
        if let Some(old) = inner.pages.put(key, body) {
            inner.bytes -= old.bytes.len();
        }
        inner.bytes += size;
        while inner.bytes > self.budget {
            let Some((_, old)) = inner.pages.pop_lru() else {
                break;
            };
            inner.bytes -= old.bytes.len();
        }
    }

    /// Bytes of bodies kept.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(number: u64) -> Key {
        Key {
            collection: Collection::ALL[0],
            number,
            format: 0,
        }
    }

    fn body(events: u64, len: usize) -> Arc<Body> {
        Arc::new(Body {
            events,
            bytes: Bytes::from(vec![b'x'; len]),
            etag: format!("\"{events}-{len}\""),
        })
    }

    #[test]
    fn a_body_is_served_only_for_the_events_it_was_built_from() {
        let cache = FeedCache::new(1000);
        cache.insert(key(3), body(7, 10));
        assert_eq!(cache.get(key(3), 7).map(|b| b.events), Some(7));
        assert!(
            cache.get(key(3), 8).is_none(),
            "the page grew: build it again"
        );
        assert!(cache.get(key(4), 7).is_none());
    }

    #[test]
    fn a_grown_page_replaces_its_body_and_an_older_one_does_not_come_back() {
        let cache = FeedCache::new(1000);
        cache.insert(key(0), body(7, 10));
        cache.insert(key(0), body(8, 30));
        assert_eq!(cache.bytes(), 30);
        cache.insert(key(0), body(7, 10));
        assert_eq!(cache.get(key(0), 8).map(|b| b.bytes.len()), Some(30));
        assert_eq!(cache.bytes(), 30);
    }

    #[test]
    fn the_least_recently_used_pages_go_first_when_over_budget() {
        let cache = FeedCache::new(100);
        cache.insert(key(0), body(50, 40));
        cache.insert(key(1), body(50, 40));
        assert!(
            cache.get(key(0), 50).is_some(),
            "page 0 is now the most recent"
        );
        cache.insert(key(2), body(50, 40));
        assert!(
            cache.get(key(1), 50).is_none(),
            "page 1 was the least recently used"
        );
        assert!(cache.get(key(0), 50).is_some());
        assert!(cache.get(key(2), 50).is_some());
        assert_eq!(cache.bytes(), 80);
    }

    #[test]
    fn a_body_over_the_budget_is_not_kept_and_a_zero_budget_keeps_nothing() {
        let cache = FeedCache::new(100);
        cache.insert(key(0), body(50, 101));
        assert!(cache.get(key(0), 50).is_none());
        let none = FeedCache::new(0);
        none.insert(key(0), body(50, 1));
        assert!(none.get(key(0), 50).is_none());
        assert_eq!(none.bytes(), 0);
    }
}
