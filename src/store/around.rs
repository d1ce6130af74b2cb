//! Index lookups in the published data, for pages: a meeting's page needs a few facts about
//! each of its agenda items, which one lookup each gives in microseconds, where the same answer
//! as SPARQL costs a query plan with a hash join per `OPTIONAL` (see ARCHITECTURE.md), and
//! reading the whole record would decode every text of a few thousand triples.
//!
//! Every lookup reads the published default graph only, never a private graph. On the embedded
//! store the lookups of one page share one snapshot, so a page never mixes two states of the data;
//! on a remote store each lookup is one query, so a page costs a round trip per lookup there.

use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
};

use super::backend::{Read, View};
use super::{Backend, Store, StoreError};

/// One state of the published data, for the many lookups of one page: on the embedded store a
/// snapshot (a read transaction) that every lookup shares, so a page costs one snapshot and not
/// one per lookup; on a remote store each lookup is one query.
pub struct Published<'a> {
    view: View<'a>,
}

impl Store {
    /// Runs `read` on the published data as it is now (see [`Published`]).
    pub fn read_published<T>(
        &self,
        read: impl FnOnce(&Published<'_>) -> T,
    ) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Embedded(embedded) => {
                let db = embedded.db();
                let published = Published {
                    view: View::Snapshot(db.start_transaction()?),
                };
                Ok(read(&published))
            }
            Backend::Remote(remote) => Ok(read(&Published {
                view: View::Remote(remote),
            })),
        }
    }
}

impl Published<'_> {
    /// The objects of the published triples with this subject and predicate.
    pub fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StoreError> {
        self.view
            .quads_for_pattern(
                Some(subject),
                Some(predicate),
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .map(|quad| quad.map(|quad| quad.object))
            .collect()
    }

    /// The subjects of the published triples with this predicate and object.
    pub fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Vec<NamedOrBlankNode>, StoreError> {
        self.view
            .quads_for_pattern(
                None,
                Some(predicate),
                Some(object),
                Some(GraphNameRef::DefaultGraph),
            )
            .map(|quad| quad.map(|quad| quad.subject))
            .collect()
    }

    /// The published triples about `subject`, as (predicate, object) pairs.
    pub fn about(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
    ) -> Result<Vec<(NamedNode, Term)>, StoreError> {
        self.view
            .quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::DefaultGraph))
            .map(|quad| quad.map(|quad| (quad.predicate, quad.object)))
            .collect()
    }

    /// At most `limit` of the published triples whose object is `object`, as (subject, predicate)
    /// pairs, in the store's index order (stable for the same data).
    pub fn pointing_at(
        &self,
        object: TermRef<'_>,
        limit: usize,
    ) -> Result<Vec<(NamedOrBlankNode, NamedNode)>, StoreError> {
        self.view
            .quads_for_pattern(None, None, Some(object), Some(GraphNameRef::DefaultGraph))
            .take(limit)
            .map(|quad| quad.map(|quad| (quad.subject, quad.predicate)))
            .collect()
    }
}
