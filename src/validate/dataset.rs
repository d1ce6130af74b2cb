//! The data graph as spareval sees it during SHACL-SPARQL: a view over the interned
//! [`DataGraph`] (its shared context included) and, when a query asks for `$shapesGraph`, the
//! shapes graph as the named graph [`SHAPES_GRAPH`]. Nothing is copied: pattern look-ups are the
//! data graph's own index probes.
//!
//! Blank nodes appear as their skolem IRIs (see `prebind`), as the pre-bound values do: the view
//! turns a data blank node into its skolem IRI on the way out and a skolem IRI back into the
//! data's blank node on the way in.

use oxigraph::model::{NamedNode, Term, Triple};
use spareval::{InternalQuad, QueryableDataset};

use super::graph::{DataGraph, Id};
use super::prebind::{skolemize, unskolemize};
use super::sparql::SHAPES_GRAPH;

/// A term during query evaluation: a data graph term by its id, or any other term (constants of
/// the query, computed values, the shapes graph's own terms) as it is, skolemized. A term of the
/// data graph is always a `Data`, so equality is RDF term equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum InternalTerm {
    Data(Id),
    Other(Term),
}

/// An id the data graph does not know. The view only hands out the data graph's own ids, so
/// this does not happen.
#[derive(Debug, thiserror::Error)]
#[error("term {0} is not in the data graph")]
pub(super) struct UnknownTerm(Id);

/// The dataset a SHACL-SPARQL query runs on (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub(super) struct SparqlView<'a> {
    data: &'a DataGraph,
    /// The shapes graph, present when some query uses `$shapesGraph`.
    shapes_graph: Option<&'a [Triple]>,
}

impl<'a> SparqlView<'a> {
    pub(super) fn new(data: &'a DataGraph, shapes_graph: Option<&'a [Triple]>) -> Self {
        Self { data, shapes_graph }
    }

    fn internalize(&self, term: Term) -> InternalTerm {
        let id = match &term {
            Term::BlankNode(_) => None,
            Term::NamedNode(_) => match unskolemize(&term) {
                // A skolem IRI stands for the data blank node it was made from.
                blank @ Term::BlankNode(_) => self.data.id(&blank),
                _ => self.data.id(&term),
            },
            Term::Literal(_) => self.data.id(&term),
        };
        id.map_or(InternalTerm::Other(term), InternalTerm::Data)
    }

    fn data_quads(
        self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
    ) -> Box<dyn Iterator<Item = [Id; 3]> + 'a> {
        // A bound position whose term is not in the data graph matches nothing.
        let bound = |term: Option<&InternalTerm>| match term {
            None => Ok(None),
            Some(InternalTerm::Data(id)) => Ok(Some(*id)),
            Some(InternalTerm::Other(_)) => Err(()),
        };
        let (Ok(s), Ok(p), Ok(o)) = (bound(subject), bound(predicate), bound(object)) else {
            return Box::new(std::iter::empty());
        };
        let data = self.data;
        match (s, p, o) {
            (Some(s), Some(p), Some(o)) => Box::new(
                data.objects(s, p)
                    .contains(&o)
                    .then_some([s, p, o])
                    .into_iter(),
            ),
            (Some(s), Some(p), None) => {
                Box::new(data.objects(s, p).iter().map(move |&o| [s, p, o]))
            }
            (None, Some(p), Some(o)) => {
                Box::new(data.subjects(p, o).iter().map(move |&s| [s, p, o]))
            }
            (Some(s), None, o) => Box::new(
                data.outgoing(s)
                    .iter()
                    .filter(move |(_, object)| o.is_none_or(|o| o == *object))
                    .map(move |&(p, o)| [s, p, o]),
            ),
            (None, Some(p), None) => {
                Box::new(data.with_predicate(p).iter().map(move |&(s, o)| [s, p, o]))
            }
            (None, None, o) => Box::new(
                data.triple_ids()
                    .filter(move |triple| o.is_none_or(|o| o == triple[2])),
            ),
        }
    }

    /// The quads of the shapes graph that match; a plain scan, as only the W3C tests use it.
    fn shapes_quads(
        self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
    ) -> Vec<InternalQuad<InternalTerm>> {
        let Some(triples) = self.shapes_graph else {
            return Vec::new();
        };
        let graph_name = self.internalize(NamedNode::new_unchecked(SHAPES_GRAPH).into());
        let matches = |pattern: Option<&InternalTerm>, term: &InternalTerm| {
            pattern.is_none_or(|pattern| pattern == term)
        };
        triples
            .iter()
            .filter_map(|triple| {
                let s = self.internalize(skolemize(&triple.subject.clone().into()));
                let p = self.internalize(triple.predicate.clone().into());
                let o = self.internalize(skolemize(&triple.object));
                (matches(subject, &s) && matches(predicate, &p) && matches(object, &o)).then(|| {
                    InternalQuad {
                        subject: s,
                        predicate: p,
                        object: o,
                        graph_name: Some(graph_name.clone()),
                    }
                })
            })
            .collect()
    }

    fn is_shapes_graph(&self, name: &InternalTerm) -> bool {
        let term = match name {
            InternalTerm::Data(id) => self.data.term(*id),
            InternalTerm::Other(term) => Some(term),
        };
        matches!(term, Some(Term::NamedNode(iri)) if iri.as_str() == SHAPES_GRAPH)
    }
}

impl<'a> QueryableDataset<'a> for SparqlView<'a> {
    type InternalTerm = InternalTerm;
    type Error = UnknownTerm;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
        graph_name: Option<Option<&InternalTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<InternalTerm>, UnknownTerm>> + use<'a> {
        let quads: Box<dyn Iterator<Item = InternalQuad<InternalTerm>> + 'a> = match graph_name {
            Some(None) => Box::new(
                self.data_quads(subject, predicate, object)
                    .map(|[s, p, o]| InternalQuad {
                        subject: InternalTerm::Data(s),
                        predicate: InternalTerm::Data(p),
                        object: InternalTerm::Data(o),
                        graph_name: None,
                    }),
            ),
            Some(Some(name)) if !self.is_shapes_graph(name) => Box::new(std::iter::empty()),
            _ => Box::new(self.shapes_quads(subject, predicate, object).into_iter()),
        };
        quads.map(Ok)
    }

    fn internalize_term(&self, term: Term) -> Result<InternalTerm, UnknownTerm> {
        Ok(self.internalize(term))
    }

    fn externalize_term(&self, term: InternalTerm) -> Result<Term, UnknownTerm> {
        match term {
            InternalTerm::Data(id) => self.data.term(id).map(skolemize).ok_or(UnknownTerm(id)),
            InternalTerm::Other(term) => Ok(term),
        }
    }
}
