//! Where the quads are: the embedded Oxigraph store or a remote SPARQL store, behind the few
//! operations the rest of `store` uses (pattern reads, membership, buffered inserts and removes).
//!
//! [`Tx`] is a write transaction (Oxigraph's own on the embedded store; on a remote store a
//! buffer of inserts and removes sent as one SPARQL Update when committed, see
//! `store::remote`), [`View`] a read-only view. Both read through the [`Read`] trait, so the
//! record, event and version logic in `records.rs` and `events.rs` is written once.

use std::collections::HashSet;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef};
use oxigraph::store::Transaction;

use super::remote::RemoteStore;
use super::StoreError;

/// Reads quads, from a transaction or a view.
pub(super) trait Read {
    /// The quads matching a pattern (`None` matches anything; a `None` graph matches the default
    /// graph and every named graph).
    fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_>;

    /// Whether the quad is stored.
    fn contains<'b>(&self, quad: impl Into<QuadRef<'b>>) -> Result<bool, StoreError>;
}

/// The quads a pattern read found.
// Oxigraph's iterator is large, but it is the hot path: boxing it would cost an allocation per
// read on the embedded store.
#[allow(clippy::large_enum_variant)]
pub(super) enum QuadIter<'a> {
    /// Streamed from Oxigraph's indexes.
    Embedded(oxigraph::store::QuadIter<'a>),
    /// Collected from a remote answer.
    Remote(std::vec::IntoIter<Result<Quad, StoreError>>),
}

impl Iterator for QuadIter<'_> {
    type Item = Result<Quad, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Embedded(iter) => iter.next().map(|quad| quad.map_err(StoreError::from)),
            Self::Remote(iter) => iter.next(),
        }
    }
}

fn remote_iter(quads: Result<Vec<Quad>, StoreError>) -> QuadIter<'static> {
    QuadIter::Remote(match quads {
        Ok(quads) => quads.into_iter().map(Ok).collect::<Vec<_>>().into_iter(),
        Err(error) => vec![Err(error)].into_iter(),
    })
}

/// A read-only view of the store.
pub(super) enum View<'a> {
    /// The embedded store: each read sees the latest committed data.
    Embedded(oxigraph::store::Store),
    /// A snapshot of the embedded store (a read transaction).
    Snapshot(Transaction<'a>),
    /// The remote store: each read is one query.
    Remote(&'a RemoteStore),
}

impl Read for View<'_> {
    fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_> {
        match self {
            Self::Embedded(store) => {
                QuadIter::Embedded(store.quads_for_pattern(subject, predicate, object, graph_name))
            }
            Self::Snapshot(transaction) => QuadIter::Embedded(
                transaction.quads_for_pattern(subject, predicate, object, graph_name),
            ),
            Self::Remote(remote) => {
                remote_iter(remote.quads(subject, predicate, object, graph_name))
            }
        }
    }

    fn contains<'b>(&self, quad: impl Into<QuadRef<'b>>) -> Result<bool, StoreError> {
        match self {
            Self::Embedded(store) => Ok(store.contains(quad)?),
            Self::Snapshot(transaction) => Ok(transaction.contains(quad)?),
            Self::Remote(remote) => remote.contains(quad.into()),
        }
    }
}

/// A write transaction.
pub(super) struct Tx<'a> {
    kind: TxKind<'a>,
    /// Whether anything was inserted or removed.
    dirty: bool,
}

enum TxKind<'a> {
    Embedded(Transaction<'a>),
    Remote(RemoteTx<'a>),
}

/// The writes of a transaction on a remote store, kept until the commit; reads inside the
/// transaction see them (the remote answer, less what was removed, plus what was inserted).
pub(super) struct RemoteTx<'a> {
    pub(super) remote: &'a RemoteStore,
    /// The store's generation when the transaction began: the commit applies only if it is
    /// still the same (compare-and-swap, see `store::remote`).
    pub(super) generation: u64,
    pub(super) inserted: HashSet<Quad>,
    pub(super) removed: HashSet<Quad>,
}

impl<'a> Tx<'a> {
    /// A transaction on the embedded store.
    pub(super) fn embedded(transaction: Transaction<'a>) -> Self {
        Self {
            kind: TxKind::Embedded(transaction),
            dirty: false,
        }
    }

    /// A transaction on the remote store, begun at `generation`.
    pub(super) fn remote(remote: &'a RemoteStore, generation: u64) -> Self {
        Self {
            kind: TxKind::Remote(RemoteTx {
                remote,
                generation,
                inserted: HashSet::new(),
                removed: HashSet::new(),
            }),
            dirty: false,
        }
    }

    /// Whether the transaction wrote anything.
    pub(super) fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The embedded transaction, to commit it.
    pub(super) fn into_embedded(self) -> Option<Transaction<'a>> {
        match self.kind {
            TxKind::Embedded(transaction) => Some(transaction),
            TxKind::Remote(_) => None,
        }
    }

    /// The remote writes, to commit them.
    pub(super) fn into_remote(self) -> Option<RemoteTx<'a>> {
        match self.kind {
            TxKind::Embedded(_) => None,
            TxKind::Remote(remote) => Some(remote),
        }
    }

    /// Adds a quad.
    pub(super) fn insert<'b>(&mut self, quad: impl Into<QuadRef<'b>>) {
        self.dirty = true;
        match &mut self.kind {
            TxKind::Embedded(transaction) => transaction.insert(quad),
            TxKind::Remote(remote) => {
                let quad = quad.into().into_owned();
                remote.removed.remove(&quad);
                remote.inserted.insert(quad);
            }
        }
    }

    /// Removes a quad.
    pub(super) fn remove<'b>(&mut self, quad: impl Into<QuadRef<'b>>) {
        self.dirty = true;
        match &mut self.kind {
            TxKind::Embedded(transaction) => transaction.remove(quad),
            TxKind::Remote(remote) => {
                let quad = quad.into().into_owned();
                remote.inserted.remove(&quad);
                remote.removed.insert(quad);
            }
        }
    }
}

fn matches(
    quad: &Quad,
    subject: Option<NamedOrBlankNodeRef<'_>>,
    predicate: Option<NamedNodeRef<'_>>,
    object: Option<TermRef<'_>>,
    graph_name: Option<GraphNameRef<'_>>,
) -> bool {
    subject.is_none_or(|subject| quad.subject.as_ref() == subject)
        && predicate.is_none_or(|predicate| quad.predicate.as_ref() == predicate)
        && object.is_none_or(|object| quad.object.as_ref() == object)
        && graph_name.is_none_or(|graph| quad.graph_name.as_ref() == graph)
}

impl Read for Tx<'_> {
    fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_> {
        match &self.kind {
            TxKind::Embedded(transaction) => QuadIter::Embedded(
                transaction.quads_for_pattern(subject, predicate, object, graph_name),
            ),
            TxKind::Remote(tx) => {
                let found = tx.remote.quads(subject, predicate, object, graph_name);
                remote_iter(found.map(|stored| {
                    let mut seen: HashSet<Quad> = HashSet::new();
                    let mut out = Vec::with_capacity(stored.len());
                    for quad in stored {
                        if !tx.removed.contains(&quad) && seen.insert(quad.clone()) {
                            out.push(quad);
                        }
                    }
                    for quad in &tx.inserted {
                        if matches(quad, subject, predicate, object, graph_name)
                            && seen.insert(quad.clone())
                        {
                            out.push(quad.clone());
                        }
                    }
                    out
                }))
            }
        }
    }

    fn contains<'b>(&self, quad: impl Into<QuadRef<'b>>) -> Result<bool, StoreError> {
        match &self.kind {
            TxKind::Embedded(transaction) => Ok(transaction.contains(quad)?),
            TxKind::Remote(tx) => {
                let quad = quad.into().into_owned();
                if tx.inserted.contains(&quad) {
                    return Ok(true);
                }
                if tx.removed.contains(&quad) {
                    return Ok(false);
                }
                tx.remote.contains(quad.as_ref())
            }
        }
    }
}
