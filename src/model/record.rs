//! The record boundary: which root a set of triples describes.

use std::collections::HashMap;
use std::fmt;

use oxigraph::model::{BlankNode, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};

use crate::model::vocab;

/// The kinds of root resource a record can have, in priority order (see `ontology/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A meeting with its agendas, items, treatments, decisions, news items and documents.
    Meeting,
    /// A consultation report with its theme answers.
    ConsultationReport,
    /// A consultation with its subject documents.
    Consultation,
    /// A citizen's proposal with its feedback.
    Proposal,
    /// A decision-making case.
    Case,
    /// A dossier.
    Dossier,
    /// A governing body with its mandatees.
    GoverningBody,
    /// An administrative unit.
    AdministrativeUnit,
    /// Any other organisation.
    Organisation,
}

impl RecordKind {
    /// Every kind, highest priority first.
    pub const ALL: [RecordKind; 9] = [
        Self::Meeting,
        Self::ConsultationReport,
        Self::Consultation,
        Self::Proposal,
        Self::Case,
        Self::Dossier,
        Self::GoverningBody,
        Self::AdministrativeUnit,
        Self::Organisation,
    ];

    /// The RDF class of the root resource.
    pub fn class(self) -> NamedNodeRef<'static> {
        match self {
            Self::Meeting => vocab::VERGADERACTIVITEIT,
            Self::ConsultationReport => vocab::CONSULTATIEVERSLAG,
            Self::Consultation => vocab::CONSULTATIE,
            Self::Proposal => vocab::BURGERVOORSTEL,
            Self::Case => vocab::BESLUITVORMINGSAANGELEGENHEID,
            Self::Dossier => vocab::DOSSIER,
            Self::GoverningBody => vocab::BESTUURSORGAAN,
            Self::AdministrativeUnit => vocab::BESTUURSEENHEID,
            Self::Organisation => vocab::ORGANIZATION,
        }
    }

    /// A short English name, used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::ConsultationReport => "consultation report",
            Self::Consultation => "consultation",
            Self::Proposal => "citizen's proposal",
            Self::Case => "decision-making case",
            Self::Dossier => "dossier",
            Self::GoverningBody => "governing body",
            Self::AdministrativeUnit => "administrative unit",
            Self::Organisation => "organisation",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One record: a root resource and the triples of everything it owns.
#[derive(Debug, Clone)]
pub struct Record {
    root: NamedNode,
    kind: RecordKind,
    triples: Vec<Triple>,
}

/// Why a set of triples is not one record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// No instance of any root class.
    #[error(
        "no record root found: a record needs exactly one resource typed as one of {}",
        root_class_list()
    )]
    NoRoot,
    /// Several instances of the highest-priority root class.
    #[error(
        "{count} resources are typed as {kind} ({examples}); a record has exactly one root: \
         put each in its own file, or use TriG/N-Quads with one named graph per record"
    )]
    SeveralRoots {
        /// The kind that has several instances.
        kind: RecordKind,
        /// How many instances.
        count: usize,
        /// Up to three of their IRIs.
        examples: String,
    },
    /// The root is a blank node.
    #[error("the {kind} root is a blank node; a record root needs an IRI ({{base}}/id/{{type}}/{{uuid}})")]
    BlankRoot {
        /// The kind of the root.
        kind: RecordKind,
    },
}

fn root_class_list() -> String {
    RecordKind::ALL
        .iter()
        .map(|kind| format!("<{}>", kind.class().as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Record {
    /// Finds the root of `triples` by the priority rule and builds the record.
    ///
    /// ```
    /// use agora::model::{Record, RecordKind};
    /// use oxigraph::model::{NamedNode, Triple};
    /// let meeting = NamedNode::new("https://agora.vlaanderen.be/id/vergaderactiviteit/1").unwrap();
    /// let triples = vec![Triple::new(
    ///     meeting.clone(),
    ///     agora::model::vocab::RDF_TYPE,
    ///     agora::model::vocab::VERGADERACTIVITEIT,
    /// )];
    /// let record = Record::from_triples(triples).unwrap();
    /// assert_eq!(record.kind(), RecordKind::Meeting);
    /// assert_eq!(record.root(), meeting.as_ref());
    /// ```
    pub fn from_triples(triples: Vec<Triple>) -> Result<Self, RecordError> {
        for kind in RecordKind::ALL {
            let class = kind.class();
            let mut roots: Vec<&NamedOrBlankNode> = triples
                .iter()
                .filter(|t| t.predicate == vocab::RDF_TYPE && t.object == Term::from(class))
                .map(|t| &t.subject)
                .collect();
            roots.sort_unstable_by_key(|root| root.to_string());
            roots.dedup();
            match roots.as_slice() {
                [] => continue,
                [NamedOrBlankNode::NamedNode(root)] => {
                    return Ok(Self {
                        root: root.clone(),
                        kind,
                        triples,
                    })
                }
                [NamedOrBlankNode::BlankNode(_)] => return Err(RecordError::BlankRoot { kind }),
                several => {
                    let examples = several
                        .iter()
                        .take(3)
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(RecordError::SeveralRoots {
                        kind,
                        count: several.len(),
                        examples,
                    });
                }
            }
        }
        Err(RecordError::NoRoot)
    }

    /// The root resource.
    pub fn root(&self) -> NamedNodeRef<'_> {
        self.root.as_ref()
    }

    /// What kind of record this is.
    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    /// Every triple of the record.
    pub fn triples(&self) -> &[Triple] {
        &self.triples
    }

    /// The record with each of its blank nodes renamed to a new, unique one (the same node
    /// everywhere it appears in the record).
    ///
    /// A blank node's label means something only inside the document it was written in: two
    /// records that both say `_:site` speak of two different things. The store keeps every
    /// record in the published default graph too, where the same label would make them one
    /// node (RDF 1.1 Semantics, §5.2: blank nodes are standardised apart when graphs are
    /// merged).
    #[must_use]
    pub fn with_fresh_blank_nodes(mut self) -> Self {
        let blank = |triple: &Triple| {
            triple.subject.is_blank_node() || matches!(triple.object, Term::BlankNode(_))
        };
        if !self.triples.iter().any(blank) {
            return self;
        }
        let mut fresh: HashMap<BlankNode, BlankNode> = HashMap::new();
        for triple in &mut self.triples {
            rename_blank_nodes(triple, |node| {
                fresh.entry(node.clone()).or_default().clone()
            });
        }
        self
    }
}

/// Replaces the blank nodes of `triple` (subject, object) by what `rename` gives for them.
pub fn rename_blank_nodes(triple: &mut Triple, mut rename: impl FnMut(&BlankNode) -> BlankNode) {
    if let NamedOrBlankNode::BlankNode(node) = &triple.subject {
        triple.subject = rename(node).into();
    }
    if let Term::BlankNode(node) = &triple.object {
        triple.object = rename(node).into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(iri: &str, class: NamedNodeRef<'_>) -> Triple {
        Triple::new(NamedNode::new_unchecked(iri), vocab::RDF_TYPE, class)
    }

    #[test]
    fn meeting_outranks_the_organisations_it_mentions() -> Result<(), RecordError> {
        let record = Record::from_triples(vec![
            typed("http://e/org", vocab::BESTUURSORGAAN),
            typed("http://e/m", vocab::VERGADERACTIVITEIT),
        ])?;
        assert_eq!(record.kind(), RecordKind::Meeting);
        assert_eq!(record.root().as_str(), "http://e/m");
        Ok(())
    }

    #[test]
    fn two_meetings_are_refused_with_their_iris() {
        let error = Record::from_triples(vec![
            typed("http://e/m1", vocab::VERGADERACTIVITEIT),
            typed("http://e/m2", vocab::VERGADERACTIVITEIT),
        ])
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("2 resources are typed as meeting"),
            "{message}"
        );
        assert!(message.contains("<http://e/m1>"), "{message}");
    }

    #[test]
    fn no_root_is_refused() {
        let error = Record::from_triples(vec![]).unwrap_err();
        assert!(matches!(error, RecordError::NoRoot));
    }
}
