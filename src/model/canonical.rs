//! The canonical hash of a record: SHA-256 of its RDFC-1.0 canonical N-Quads.
//!
//! Two pushes of the same graph, whatever the syntax, the order of the triples or the labels of
//! the blank nodes, get the same hash; anyone can recompute it with any RDFC-1.0 implementation
//! (sophia, rdf-canonize, pyld) and `sha256sum`.

use std::collections::HashSet;

use oxigraph::model::{Term, Triple};
use sha2::{Digest, Sha256};
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_api::MownStr;

/// A graph that cannot be canonicalised within the algorithm's limits.
#[derive(Debug, thiserror::Error)]
#[error(
    "the record cannot be canonicalised ({0}); it most likely has many blank nodes that nothing \
     tells apart: give them IRIs"
)]
pub struct CanonicalError(String);

/// The lowercase hex SHA-256 of the RDFC-1.0 canonical form of `triples` (as a default graph).
///
/// ```
/// use agora::model::canonical_hash;
/// use oxigraph::model::{BlankNode, NamedNode, Triple};
/// let p = NamedNode::new("http://example.com/p").unwrap();
/// let o = NamedNode::new("http://example.com/o").unwrap();
/// let a = [Triple::new(BlankNode::new("a").unwrap(), p.clone(), o.clone())];
/// let b = [Triple::new(BlankNode::new("zz").unwrap(), p, o)];
/// assert_eq!(canonical_hash(&a).unwrap(), canonical_hash(&b).unwrap());
/// ```
pub fn canonical_hash(triples: &[Triple]) -> Result<String, CanonicalError> {
    let quads: HashSet<([SimpleTerm<'_>; 3], Option<SimpleTerm<'_>>)> = triples
        .iter()
        .map(|triple| {
            let subject = match &triple.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(node) => iri(node.as_str()),
                oxigraph::model::NamedOrBlankNode::BlankNode(node) => blank(node.as_str()),
            };
            (
                [
                    subject,
                    iri(triple.predicate.as_str()),
                    term(&triple.object),
                ],
                None,
            )
        })
        .collect();
    let mut canonical = Vec::new();
    sophia_c14n::rdfc10::normalize(&quads, &mut canonical)
        .map_err(|error| CanonicalError(error.to_string()))?;
    Ok(hex(&Sha256::digest(&canonical)))
}

fn iri(value: &str) -> SimpleTerm<'_> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(value)))
}

fn blank(value: &str) -> SimpleTerm<'_> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(value)))
}

fn term(term: &Term) -> SimpleTerm<'_> {
    match term {
        Term::NamedNode(node) => iri(node.as_str()),
        Term::BlankNode(node) => blank(node.as_str()),
        Term::Literal(literal) => match literal.language() {
            Some(language) => SimpleTerm::LiteralLanguage(
                MownStr::from(literal.value()),
                LanguageTag::new_unchecked(MownStr::from(language)),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(literal.value()),
                IriRef::new_unchecked(MownStr::from(literal.datatype().as_str())),
            ),
        },
    }
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn the_hash_of_a_known_graph_matches_sha256sum_of_its_canonical_n_quads() {
        let triple = Triple::new(
            NamedNode::new_unchecked("http://example.com/s"),
            NamedNode::new_unchecked("http://example.com/p"),
            Literal::new_language_tagged_literal_unchecked("hallo", "nl"),
        );
        // printf '<http://example.com/s> <http://example.com/p> "hallo"@nl .\n' | sha256sum
        assert_eq!(
            canonical_hash(&[triple]).unwrap(),
            hex(&Sha256::digest(
                b"<http://example.com/s> <http://example.com/p> \"hallo\"@nl .\n"
            ))
        );
    }

    #[test]
    fn order_does_not_matter_and_content_does() {
        let t = |o: &str| {
            Triple::new(
                NamedNode::new_unchecked("http://example.com/s"),
                NamedNode::new_unchecked("http://example.com/p"),
                Literal::new_simple_literal(o),
            )
        };
        let ab = canonical_hash(&[t("a"), t("b")]).unwrap();
        assert_eq!(ab, canonical_hash(&[t("b"), t("a")]).unwrap());
        assert_ne!(ab, canonical_hash(&[t("a"), t("c")]).unwrap());
        assert_eq!(ab.len(), 64);
    }
}
