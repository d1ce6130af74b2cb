//! The published data as a record page reads it: one index lookup per fact
//! (`store::Published`, one snapshot for the whole page), texts in the reader's language.
//!
//! A lookup that fails (a storage error) answers nothing and keeps the error, which
//! [`PageData::finish`] returns: the page code stays a readable walk from one resource to the
//! next, and a failure still fails the page.

use std::cell::RefCell;
use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef};

use crate::store::{Published, StoreError};
use crate::web::lang::Lang;
use crate::web::lists::Link;
use crate::web::pages::href;

/// The predicates that name a resource, in order of preference.
pub const LABELS: [NamedNodeRef<'static>; 3] = [
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel"),
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title"),
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label"),
];

/// Lookups in the published data for one page.
pub struct PageData<'a> {
    store: &'a Published<'a>,
    lang: Lang,
    base: &'a str,
    error: RefCell<Option<StoreError>>,
    /// Labels already looked up: a page names the same concepts (an agenda item's kind, a
    /// decision's result) many times.
    labels: RefCell<HashMap<String, Option<String>>>,
}

impl<'a> PageData<'a> {
    /// Lookups in `store` for a reader of `lang`, with links relative to `base`.
    pub fn new(store: &'a Published<'a>, lang: Lang, base: &'a str) -> Self {
        Self {
            store,
            lang,
            base,
            error: RefCell::new(None),
            labels: RefCell::default(),
        }
    }

    /// The reader's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The first storage error a lookup met, if any.
    pub fn finish(self) -> Result<(), StoreError> {
        match self.error.into_inner() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn keep<T: Default>(&self, result: Result<T, StoreError>) -> T {
        result.unwrap_or_else(|error| {
            self.error.borrow_mut().get_or_insert(error);
            T::default()
        })
    }

    /// The objects of `subject` through `predicate`.
    pub fn objects(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Vec<Term> {
        self.keep(self.store.objects(subject.into(), predicate))
    }

    /// The IRIs `subject` points at through `predicate`, sorted (a page's order does not depend
    /// on the store's).
    pub fn nodes(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Vec<NamedNode> {
        let mut nodes: Vec<_> = self
            .objects(subject, predicate)
            .into_iter()
            .filter_map(|term| match term {
                Term::NamedNode(node) => Some(node),
                _ => None,
            })
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// The first of [`PageData::nodes`].
    pub fn node(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Option<NamedNode> {
        self.nodes(subject, predicate).into_iter().next()
    }

    /// The IRIs that point at `object` through `predicate`, sorted.
    pub fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: NamedNodeRef<'_>,
    ) -> Vec<NamedNode> {
        let mut nodes: Vec<_> = self
            .keep(self.store.subjects(predicate, TermRef::from(object)))
            .into_iter()
            .filter_map(|subject| match subject {
                NamedOrBlankNode::NamedNode(node) => Some(node),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// Everything the published data says about `subject`, as (predicate, object) pairs sorted
    /// by predicate and then object.
    pub fn about(&self, subject: NamedNodeRef<'_>) -> Vec<(NamedNode, Term)> {
        let mut pairs = self.keep(self.store.about(subject.into()));
        pairs.sort_unstable_by(|a, b| {
            (a.0.as_str(), a.1.to_string()).cmp(&(b.0.as_str(), b.1.to_string()))
        });
        pairs
    }

    /// At most `limit` resources that point at `object`, as (subject, predicate) pairs sorted by
    /// predicate and then subject.
    pub fn pointing_at(
        &self,
        object: NamedNodeRef<'_>,
        limit: usize,
    ) -> Vec<(NamedOrBlankNode, NamedNode)> {
        let mut pairs = self.keep(self.store.pointing_at(object.into(), limit));
        pairs.sort_unstable_by(|a, b| {
            (a.1.as_str(), a.0.to_string()).cmp(&(b.1.as_str(), b.0.to_string()))
        });
        pairs
    }

    /// Whether `node` is an instance of `class`.
    pub fn is_a(&self, node: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> bool {
        self.objects(node, RDF_TYPE)
            .iter()
            .any(|term| matches!(term, Term::NamedNode(found) if found.as_ref() == class))
    }

    /// The lexical form of the smallest literal (or IRI) `subject` has through `predicate`.
    pub fn value(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                Term::NamedNode(node) => Some(node.into_string()),
                _ => None,
            })
            .min()
    }

    /// The text `subject` has through `predicate` in the reader's language, else a Dutch or
    /// untagged one (the smallest, when there are several).
    pub fn text(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|term| {
                let Term::Literal(literal) = term else {
                    return None;
                };
                let rank = match literal.language() {
                    Some(tag) if lang_matches(tag, self.lang.tag()) => 0,
                    Some(tag) if lang_matches(tag, "nl") => 1,
                    None => 1,
                    Some(_) => return None,
                };
                Some((rank, literal.value().to_owned()))
            })
            .min()
            .map(|(_, text)| text)
    }

    /// The label of `node` in the reader's language (see [`PageData::text`]).
    pub fn label(&self, node: NamedNodeRef<'_>) -> Option<String> {
        if let Some(label) = self.labels.borrow().get(node.as_str()) {
            return label.clone();
        }
        let label = LABELS
            .iter()
            .find_map(|predicate| self.text(node, *predicate));
        self.labels
            .borrow_mut()
            .insert(node.as_str().to_owned(), label.clone());
        label
    }

    /// The `skos:prefLabel` of `node` in the reader's language (see [`PageData::text`]), as
    /// `consultation-filters.rq` labels the filters' choices.
    pub fn preferred_label(&self, node: NamedNodeRef<'_>) -> Option<String> {
        self.text(node, LABELS[0])
    }

    /// A link to `node`, labelled by its label or, without one, its IRI.
    pub fn link(&self, node: NamedNodeRef<'_>) -> Link {
        Link {
            href: self.href(node),
            text: self.label(node).unwrap_or_else(|| node.as_str().to_owned()),
        }
    }

    /// Where a link to `node` goes.
    pub fn href(&self, node: NamedNodeRef<'_>) -> String {
        href(self.base, node.as_str())
    }
}

const RDF_TYPE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");

/// SPARQL's `LANGMATCHES` for a plain range: `tag` is `range` or a subtag of it.
fn lang_matches(tag: &str, range: &str) -> bool {
    tag.len() >= range.len()
        && tag[..range.len()].eq_ignore_ascii_case(range)
        && (tag.len() == range.len() || tag.as_bytes()[range.len()] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BaseIri;
    use crate::store::Store;
    use oxigraph::model::{Literal, Triple};

    #[test]
    fn texts_follow_the_reader_and_fall_back_to_dutch() {
        let base = BaseIri::parse("https://example.org").expect("a base");
        let store = Store::in_memory(&base).expect("a store");
        let s = NamedNode::new_unchecked("https://example.org/id/s");
        let french = NamedNode::new_unchecked("https://example.org/id/fr");
        let title = |subject: &NamedNode, text: &str, lang: &str| {
            Triple::new(
                subject.clone(),
                LABELS[1].into_owned(),
                Literal::new_language_tagged_literal_unchecked(text, lang),
            )
        };
        store
            .put_reference_data(&[
                title(&s, "Titel", "nl"),
                title(&s, "Title", "en-GB"),
                title(&s, "Titre", "fr"),
                title(&french, "Titre", "fr"),
            ])
            .expect("stored");
        store
            .read_published(|published| {
                let english = PageData::new(published, Lang::En, "");
                assert_eq!(english.label(s.as_ref()).as_deref(), Some("Title"));
                assert_eq!(english.label(french.as_ref()), None);
                english.finish().expect("no error");
                let dutch = PageData::new(published, Lang::Nl, "");
                assert_eq!(dutch.label(s.as_ref()).as_deref(), Some("Titel"));
                assert_eq!(dutch.link(french.as_ref()).text, french.as_str());
            })
            .expect("a snapshot");
    }

    #[test]
    fn language_ranges_match_subtags_only() {
        assert!(lang_matches("en-GB", "en"));
        assert!(lang_matches("NL", "nl"));
        assert!(!lang_matches("enx", "en"));
        assert!(!lang_matches("e", "en"));
    }
}
