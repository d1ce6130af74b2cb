//! The mu-semtech delta format that the Kaleidos publication producer writes: a JSON array of
//! change sets `{"inserts": [...], "deletes": [...]}`, each triple an object of `subject`,
//! `predicate` and `object` terms `{"type": "uri" | "literal" | "typed-literal", "value": ...,
//! "datatype": ..., "xml:lang": ...}`.
//!
//! Parsing keeps the triples as Kaleidos sent them, with two normalisations that change no
//! meaning: the legacy `http://data.vlaanderen.be/ns/besluitvorming#` namespace becomes the
//! published `https://` one (as every other input path does), and a `typed-literal` of datatype
//! `xsd:string` is the plain literal it is in RDF 1.1 (the producer's n3 library adds the
//! datatype to every plain literal; Themis' consumer drops it too).

use std::collections::HashSet;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use serde::{Deserialize, Serialize};

use crate::ingest::normalise_quad;

/// One term of a delta triple.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaTerm {
    /// `uri`, `literal`, `typed-literal` (or `bnode`, which Agora refuses).
    #[serde(rename = "type")]
    pub kind: String,
    /// The IRI or the lexical form.
    pub value: String,
    /// The datatype IRI of a typed literal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// The language tag of a literal.
    #[serde(default, rename = "xml:lang", skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// One triple of a change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaTriple {
    /// The subject (an IRI).
    pub subject: DeltaTerm,
    /// The predicate (an IRI).
    pub predicate: DeltaTerm,
    /// The object.
    pub object: DeltaTerm,
}

/// One change set: triples inserted and deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Triples added.
    #[serde(default)]
    pub inserts: Vec<DeltaTriple>,
    /// Triples removed (always empty in the publication chain).
    #[serde(default)]
    pub deletes: Vec<DeltaTriple>,
}

/// Why a delta file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DeltaError {
    /// Not a JSON array of change sets.
    #[error("not a delta file (a JSON array of change sets): {0}")]
    Json(#[from] serde_json::Error),
    /// A term is not what its position allows.
    #[error("change set {set}, triple {index}: {message}")]
    Term {
        /// The change set, from 0.
        set: usize,
        /// The triple within its inserts or deletes, from 0.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

/// The triples of a delta file: every insert, minus the deletes that follow it, in order.
pub fn parse(bytes: &[u8]) -> Result<Vec<Triple>, DeltaError> {
    let sets: Vec<ChangeSet> = serde_json::from_slice(bytes)?;
    let mut triples: Vec<Triple> = Vec::new();
    let mut present: HashSet<Triple> = HashSet::new();
    for (set, change) in sets.into_iter().enumerate() {
        for (index, delta) in change.inserts.iter().enumerate() {
            let triple = to_triple(delta).map_err(|message| DeltaError::Term {
                set,
                index,
                message,
            })?;
            if present.insert(triple.clone()) {
                triples.push(triple);
            }
        }
        for (index, delta) in change.deletes.iter().enumerate() {
            let triple = to_triple(delta).map_err(|message| DeltaError::Term {
                set,
                index,
                message,
            })?;
            if present.remove(&triple) {
                triples.retain(|kept| kept != &triple);
            }
        }
    }
    Ok(triples)
}

fn to_triple(delta: &DeltaTriple) -> Result<Triple, String> {
    let subject = iri(&delta.subject, "subject")?;
    let predicate = iri(&delta.predicate, "predicate")?;
    let object: Term = match delta.object.kind.as_str() {
        "uri" => iri(&delta.object, "object")?.into(),
        "literal" | "typed-literal" => literal(&delta.object)?.into(),
        other => return Err(format!("the object has the unknown term type {other:?}")),
    };
    let quad = normalise_quad(Quad::new(
        NamedOrBlankNode::from(subject),
        predicate,
        object,
        GraphName::DefaultGraph,
    ));
    Ok(Triple::from(quad))
}

fn iri(term: &DeltaTerm, position: &str) -> Result<NamedNode, String> {
    if term.kind != "uri" {
        return Err(format!(
            "the {position} must be a uri term, not {:?} ({:?})",
            term.kind, term.value
        ));
    }
    NamedNode::new(&term.value).map_err(|error| format!("the {position} <{}>: {error}", term.value))
}

fn literal(term: &DeltaTerm) -> Result<Literal, String> {
    let xsd_string = "http://www.w3.org/2001/XMLSchema#string";
    match (&term.lang, &term.datatype) {
        (Some(lang), _) if !lang.is_empty() => {
            Literal::new_language_tagged_literal(&term.value, lang)
                .map_err(|error| format!("the language tag {lang:?}: {error}"))
        }
        (_, Some(datatype)) if datatype != xsd_string && !datatype.is_empty() => {
            let datatype = NamedNode::new(datatype)
                .map_err(|error| format!("the datatype <{datatype}>: {error}"))?;
            Ok(Literal::new_typed_literal(&term.value, datatype))
        }
        _ => Ok(Literal::new_simple_literal(&term.value)),
    }
}

/// Writes triples as one change set of inserts (what the producer serves; tests and benchmarks
/// build their producers with it). Plain literals get the `xsd:string` datatype the real
/// producer adds.
pub fn to_delta(triples: &[Triple]) -> Vec<ChangeSet> {
    let term = |term: &Term| match term {
        Term::NamedNode(node) => DeltaTerm {
            kind: "uri".to_owned(),
            value: node.as_str().to_owned(),
            datatype: None,
            lang: None,
        },
        Term::Literal(literal) => DeltaTerm {
            kind: if literal.language().is_some() {
                "literal".to_owned()
            } else {
                "typed-literal".to_owned()
            },
            value: literal.value().to_owned(),
            datatype: literal
                .language()
                .is_none()
                .then(|| literal.datatype().as_str().to_owned()),
            lang: literal.language().map(str::to_owned),
        },
        other => DeltaTerm {
            kind: "bnode".to_owned(),
            value: other.to_string(),
            datatype: None,
            lang: None,
        },
    };
    let inserts = triples
        .iter()
        .map(|triple| DeltaTriple {
            subject: term(&Term::from(triple.subject.clone())),
            predicate: term(&Term::from(triple.predicate.clone())),
            object: term(&triple.object),
        })
        .collect();
    vec![ChangeSet {
        inserts,
        deletes: Vec::new(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_strings_become_plain_and_legacy_besluitvorming_is_normalised() -> Result<(), DeltaError>
    {
        let json = br#"[{"inserts":[
            {"subject":{"type":"uri","value":"http://themis.vlaanderen.be/id/agenda/1"},
             "predicate":{"type":"uri","value":"http://data.vlaanderen.be/ns/besluitvorming#volgnummer"},
             "object":{"type":"typed-literal","value":"A","datatype":"http://www.w3.org/2001/XMLSchema#string"}},
            {"subject":{"type":"uri","value":"http://themis.vlaanderen.be/id/agenda/1"},
             "predicate":{"type":"uri","value":"http://purl.org/dc/terms/title"},
             "object":{"type":"literal","value":"Agenda","xml:lang":"nl"}}
        ],"deletes":[]}]"#;
        let triples = parse(json)?;
        assert_eq!(triples.len(), 2);
        assert_eq!(
            triples[0].predicate.as_str(),
            "https://data.vlaanderen.be/ns/besluitvorming#volgnummer"
        );
        assert_eq!(
            triples[0].object,
            Term::from(Literal::new_simple_literal("A"))
        );
        assert_eq!(
            triples[1].object,
            Term::from(Literal::new_language_tagged_literal_unchecked(
                "Agenda", "nl"
            ))
        );
        Ok(())
    }

    #[test]
    fn a_blank_subject_is_refused_with_its_position() {
        let json = br#"[{"inserts":[{"subject":{"type":"bnode","value":"b0"},
            "predicate":{"type":"uri","value":"http://e/p"},"object":{"type":"literal","value":"x"}}]}]"#;
        let error = parse(json).unwrap_err().to_string();
        assert!(error.contains("change set 0, triple 0"), "{error}");
    }

    #[test]
    fn to_delta_round_trips() -> Result<(), DeltaError> {
        let triple = Triple::new(
            NamedNode::new_unchecked("http://e/s"),
            NamedNode::new_unchecked("http://e/p"),
            Literal::new_typed_literal(
                "3",
                NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#integer"),
            ),
        );
        let json = serde_json::to_vec(&to_delta(std::slice::from_ref(&triple)))?;
        assert_eq!(parse(&json)?, vec![triple]);
        Ok(())
    }
}
