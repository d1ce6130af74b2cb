//! Reads for the integrity check (`agora check`): every record's state and content, and the
//! differences between the published default graph and the union of the public graphs.
//!
//! Everything here reads; nothing repairs. The comparison of the default graph streams: one
//! index lookup per quad, nothing held in memory, so it runs on stores of any size (in time
//! proportional to the number of quads).

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Term, Triple};
use uuid::Uuid;

use super::backend::Read;
use super::{records, Store, StoreError};
use crate::model::vocab;

/// A published triple that the default graph and the public graphs disagree about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishedDifference {
    /// A public graph states the triple and the default graph does not hold it.
    Missing {
        /// The triple.
        triple: Triple,
        /// The public graph stating it.
        graph: NamedNode,
    },
    /// The default graph holds a triple that no public graph states.
    Extra {
        /// The triple.
        triple: Triple,
    },
}

impl Store {
    /// The state of every record the system graph knows, in no particular order.
    pub fn record_states(&self) -> Result<Vec<super::RecordState>, StoreError> {
        self.snapshot(|transaction| {
            let mut states = Vec::new();
            for quad in transaction.quads_for_pattern(
                None,
                Some(vocab::FOAF_PRIMARY_TOPIC),
                None,
                Some(self.names.system().into()),
            ) {
                let quad = quad?;
                let oxigraph::model::NamedOrBlankNode::NamedNode(graph) = quad.subject else {
                    continue;
                };
                if let Some(state) = records::read_state(transaction, &self.names, graph.as_ref())?
                {
                    states.push(state);
                }
            }
            Ok(states)
        })
    }

    /// The triples of the record graph of record `id` (what the public sees of it).
    pub fn record_graph_triples(&self, id: Uuid) -> Result<Vec<Triple>, StoreError> {
        self.graph_triples(self.names.record_graph_of(id).as_ref())
    }

    /// The triples of the private version graph of version `number` of record `id`.
    pub fn version_graph_triples(&self, id: Uuid, number: u64) -> Result<Vec<Triple>, StoreError> {
        self.graph_triples(self.names.version_graph(id, number).as_ref())
    }

    /// Calls `found` for every triple the default graph and the public graphs disagree about,
    /// reading from one snapshot; returns how many quads were compared.
    pub fn published_differences(
        &self,
        mut found: impl FnMut(PublishedDifference),
    ) -> Result<u64, StoreError> {
        self.snapshot(|transaction| self.differences_in(transaction, &mut found))
    }

    fn differences_in(
        &self,
        transaction: &impl Read,
        found: &mut impl FnMut(PublishedDifference),
    ) -> Result<u64, StoreError> {
        let mut compared = 0;
        for quad in transaction.quads_for_pattern(None, None, None, None) {
            let quad = quad?;
            compared += 1;
            match &quad.graph_name {
                GraphName::NamedNode(graph) if self.names.is_public(graph.as_ref()) => {
                    let in_default = transaction.contains(oxigraph::model::QuadRef::new(
                        &quad.subject,
                        &quad.predicate,
                        &quad.object,
                        GraphNameRef::DefaultGraph,
                    ))?;
                    if !in_default {
                        found(PublishedDifference::Missing {
                            graph: graph.clone(),
                            triple: Triple::from(quad),
                        });
                    }
                }
                GraphName::DefaultGraph => {
                    let mut stated = false;
                    for other in transaction.quads_for_pattern(
                        Some(quad.subject.as_ref()),
                        Some(quad.predicate.as_ref()),
                        Some(Term::as_ref(&quad.object)),
                        None,
                    ) {
                        if let GraphName::NamedNode(graph) = &other?.graph_name {
                            if self.names.is_public(graph.as_ref()) {
                                stated = true;
                                break;
                            }
                        }
                    }
                    if !stated {
                        found(PublishedDifference::Extra {
                            triple: Triple::from(quad),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(compared)
    }
}
