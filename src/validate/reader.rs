//! Read access to the shapes graph while it is compiled: values of a property, RDF lists,
//! subjects by predicate and `rdf:type`/`rdfs:subClassOf*` closure.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{NamedNodeRef, Term, Triple};

use super::vocab::{rdf, rdfs};
use super::ShapesError;

/// The shapes graph, indexed by subject and by predicate.
pub(super) struct ShapesGraph<'a> {
    by_subject: HashMap<Term, Vec<&'a Triple>>,
    by_predicate: HashMap<&'a str, Vec<&'a Triple>>,
}

impl<'a> ShapesGraph<'a> {
    pub(super) fn new(triples: &'a [Triple]) -> Self {
        let mut by_subject: HashMap<Term, Vec<&'a Triple>> = HashMap::new();
        let mut by_predicate: HashMap<&'a str, Vec<&'a Triple>> = HashMap::new();
        for triple in triples {
            by_subject
                .entry(triple.subject.clone().into())
                .or_default()
                .push(triple);
            by_predicate
                .entry(triple.predicate.as_str())
                .or_default()
                .push(triple);
        }
        Self {
            by_subject,
            by_predicate,
        }
    }

    /// The triples whose subject is `node`.
    pub(super) fn outgoing(&self, node: &Term) -> &[&'a Triple] {
        self.by_subject.get(node).map_or(&[], Vec::as_slice)
    }

    /// The values of `predicate` on `node`, in graph order.
    pub(super) fn objects<'s>(
        &'s self,
        node: &Term,
        predicate: NamedNodeRef<'s>,
    ) -> impl Iterator<Item = &'a Term> + 's {
        self.outgoing(node)
            .iter()
            .filter(move |t| t.predicate.as_ref() == predicate)
            .map(|t| &t.object)
    }

    /// The single value of `predicate` on `node`, or an error if there are several.
    pub(super) fn object(
        &self,
        node: &Term,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Option<&'a Term>, ShapesError> {
        let mut values = self.objects(node, predicate);
        let first = values.next();
        if values.next().is_some() {
            return Err(ShapesError::Malformed {
                node: node.to_string(),
                message: format!("{predicate} has more than one value"),
            });
        }
        Ok(first)
    }

    /// Every triple with this predicate.
    pub(super) fn with_predicate(&self, predicate: NamedNodeRef<'_>) -> &[&'a Triple] {
        self.by_predicate
            .get(predicate.as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// The members of the RDF list that starts at `head`.
    pub(super) fn list(&self, head: &Term) -> Result<Vec<&'a Term>, ShapesError> {
        let mut members = Vec::new();
        let mut seen = HashSet::new();
        let mut node = head.clone();
        loop {
            if let Term::NamedNode(iri) = &node {
                if iri.as_ref() == rdf::NIL {
                    return Ok(members);
                }
            }
            let malformed = |message: &str| ShapesError::Malformed {
                node: head.to_string(),
                message: message.to_owned(),
            };
            if !seen.insert(node.clone()) {
                return Err(malformed("the RDF list has a cycle"));
            }
            let first = self
                .object(&node, rdf::FIRST)?
                .ok_or_else(|| malformed("an RDF list node has no rdf:first"))?;
            let rest = self
                .object(&node, rdf::REST)?
                .ok_or_else(|| malformed("an RDF list node has no rdf:rest"))?;
            members.push(first);
            node = rest.clone();
        }
    }

    /// Whether `node` has `rdf:type` `class` or a subclass of it (in the shapes graph).
    pub(super) fn is_instance(&self, node: &Term, class: NamedNodeRef<'_>) -> bool {
        let mut stack: Vec<&Term> = self.objects(node, rdf::TYPE).collect();
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            if let Term::NamedNode(iri) = current {
                if iri.as_ref() == class {
                    return true;
                }
            }
            if seen.insert(current) {
                stack.extend(self.objects(current, rdfs::SUB_CLASS_OF));
            }
        }
        false
    }
}
