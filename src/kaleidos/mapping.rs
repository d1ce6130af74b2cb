//! From one Kaleidos publication (the triples of one delta file) to what Agora stores: a meeting
//! record (a publication or republication) or a withdrawal (an unpublish).
//!
//! A publication is kept as Kaleidos sends it: the `prov:Activity` "Publieke vrijgave", the
//! meeting, the public agenda and its items, the news items, the attachments with their series,
//! files and `share://` physical files all stay in the record, under their own URIs. Where the
//! Kaleidos export and Agora's shapes (the OSLO profile as Agora applies it) disagree, the
//! mapping adds or moves a statement, never drops content, with one exception (M6). Each rule
//! that fired is named in [`Mapped::notes`]:
//!
//! - M1. Titles (`dct:title`, `besluitvorming:korteTitel`, `dct:alternative`) arrive as plain
//!   strings; Kaleidos writes Dutch, so they become `@nl` (shapes A1, D1).
//! - M2. The export gives the meeting no title; Agora lists meetings by title, so it gets
//!   "Vergadering van {date}"@nl from `besluit:geplandeStart` (shape A8).
//! - M3. Kaleidos keeps a document's type on its series (`dossier:Serie dct:type`); the piece
//!   gets the type of the series it belongs to (shape D5).
//! - M4. The producer exports only public pieces and news items and says so by selection, not
//!   by statement; a document without an access level gets Publiek (shape D6). A document that
//!   states another level is kept as sent and refused by the privacy shape.
//! - M5. A physical file (`share://...`, `nie:dataSource` the logical file) carries no
//!   `dct:format`; it gets its logical file's (shape of `nfo:FileDataObject`).
//! - M6. The export describes the case's `dossier:Dossier` with only its uuid and its pieces; a
//!   dossier is a record of its own in Agora (ontology/README.md), which a meeting may refer to
//!   but not describe, so its `rdf:type` statement is left out (the links to the pieces stay).
//!
//! The legacy besluitvorming namespace and `xsd:string` typed literals are normalised when the
//! delta file is parsed (`kaleidos::delta`).

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};

use crate::model::{vocab, Record, RecordError, DUTCH_MONTHS};

const BESLUITVORMING: &str = "https://data.vlaanderen.be/ns/besluitvorming#";
const DCT: &str = "http://purl.org/dc/terms/";
const DOSSIER_NS: &str = "https://data.vlaanderen.be/ns/dossier#";
const NFO: &str = "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#";
const NIE: &str = "http://www.semanticdesktop.org/ontologies/2007/01/19/nie#";
const BESLUIT: &str = "http://data.vlaanderen.be/ns/besluit#";

/// The access level Publiek (Themis code list `toegangsniveau`).
pub const PUBLIEK: &str =
    "http://themis.vlaanderen.be/id/concept/toegangsniveau/c3de9c70-391e-4031-a85e-4b03433d6266";

/// What one delta file asks of Agora.
#[derive(Debug)]
pub enum Publication {
    /// A (re)publication: the meeting record's new content.
    Release(Mapped),
    /// An unpublish: only the activity and the meeting; the meeting record is withdrawn.
    Unpublish {
        /// The meeting.
        meeting: NamedNode,
    },
}

/// A publication mapped to a record.
#[derive(Debug)]
pub struct Mapped {
    /// The meeting record.
    pub record: Record,
    /// The mapping rules that changed something (M1..M6), with counts.
    pub notes: Vec<String>,
}

/// Why a delta file is no publication.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// No meeting, or several.
    #[error("a publication describes exactly one meeting (besluit:Vergaderactiviteit); this file describes {0}")]
    Meetings(usize),
    /// The triples are not one record.
    #[error(transparent)]
    Record(#[from] RecordError),
}

fn iri(local: &str, ns: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// Maps the triples of one delta file.
pub fn map(triples: Vec<Triple>) -> Result<Publication, MappingError> {
    let meetings = instances(&triples, vocab::VERGADERACTIVITEIT);
    let [meeting] = meetings.as_slice() else {
        return Err(MappingError::Meetings(meetings.len()));
    };
    let meeting = meeting.clone();
    let agenda = iri("Agenda", BESLUITVORMING);
    if instances(&triples, agenda.as_ref()).is_empty() {
        return Ok(Publication::Unpublish { meeting });
    }
    let mut notes = Notes::default();
    let mut triples = tag_titles(triples, &mut notes);
    if !has(&triples, &meeting, &iri("title", DCT)) {
        if let Some(title) = meeting_title(&triples, &meeting) {
            triples.push(Triple::new(meeting.clone(), iri("title", DCT), title));
            notes.add("M2 meeting title from its planned start");
        }
    }
    add_document_types(&mut triples, &mut notes);
    add_public_access(&mut triples, &mut notes);
    add_file_formats(&mut triples, &mut notes);
    let dossier = iri("Dossier", DOSSIER_NS);
    let before = triples.len();
    triples
        .retain(|t| !(t.predicate == vocab::RDF_TYPE && t.object == Term::from(dossier.clone())));
    for _ in triples.len()..before {
        notes.add("M6 dossier type left out");
    }
    let record = Record::from_triples(triples)?;
    Ok(Publication::Release(Mapped {
        record,
        notes: notes.finish(),
    }))
}

#[derive(Default)]
struct Notes(Vec<(&'static str, usize)>);

impl Notes {
    fn add(&mut self, rule: &'static str) {
        match self.0.iter_mut().find(|(name, _)| *name == rule) {
            Some((_, count)) => *count += 1,
            None => self.0.push((rule, 1)),
        }
    }

    fn finish(self) -> Vec<String> {
        self.0
            .into_iter()
            .map(|(rule, count)| format!("{rule} ({count}x)"))
            .collect()
    }
}

fn instances(triples: &[Triple], class: NamedNodeRef<'_>) -> Vec<NamedNode> {
    let mut found: Vec<NamedNode> = triples
        .iter()
        .filter(|t| t.predicate == vocab::RDF_TYPE && t.object == Term::from(class.into_owned()))
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(node) => Some(node.clone()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    found.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    found.dedup();
    found
}

fn subject_is(triple: &Triple, node: &NamedNode) -> bool {
    matches!(&triple.subject, NamedOrBlankNode::NamedNode(s) if s == node)
}

fn has(triples: &[Triple], subject: &NamedNode, predicate: &NamedNode) -> bool {
    triples
        .iter()
        .any(|t| subject_is(t, subject) && t.predicate == *predicate)
}

fn object<'a>(
    triples: &'a [Triple],
    subject: &NamedNode,
    predicate: &NamedNode,
) -> Option<&'a Term> {
    triples
        .iter()
        .find(|t| subject_is(t, subject) && t.predicate == *predicate)
        .map(|t| &t.object)
}

/// M1: plain-string titles become Dutch.
fn tag_titles(triples: Vec<Triple>, notes: &mut Notes) -> Vec<Triple> {
    let titles = [
        iri("title", DCT),
        iri("alternative", DCT),
        iri("korteTitel", BESLUITVORMING),
    ];
    triples
        .into_iter()
        .map(|triple| match &triple.object {
            Term::Literal(literal)
                if titles.contains(&triple.predicate)
                    && literal.language().is_none()
                    && literal.datatype() == oxigraph::model::vocab::xsd::STRING =>
            {
                notes.add("M1 plain titles tagged @nl");
                Triple::new(
                    triple.subject.clone(),
                    triple.predicate.clone(),
                    Literal::new_language_tagged_literal_unchecked(literal.value(), "nl"),
                )
            }
            _ => triple,
        })
        .collect()
}

/// M2: "Vergadering van 13 november 2026"@nl from the planned start's date.
fn meeting_title(triples: &[Triple], meeting: &NamedNode) -> Option<Literal> {
    let Term::Literal(start) = object(triples, meeting, &iri("geplandeStart", BESLUIT))? else {
        return None;
    };
    let date = start.value().get(..10)?;
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let month: usize = month.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    let name = DUTCH_MONTHS.get(month.checked_sub(1)?)?;
    Some(Literal::new_language_tagged_literal_unchecked(
        format!("Vergadering van {day} {name} {year}"),
        "nl",
    ))
}

/// M3: a piece without a type gets its series' type.
fn add_document_types(triples: &mut Vec<Triple>, notes: &mut Notes) {
    let stuk = iri("Stuk", DOSSIER_NS);
    let serie = iri("Serie", DOSSIER_NS);
    let contains = iri("Collectie.bestaatUit", DOSSIER_NS);
    let dct_type = NamedNode::from(vocab::DCT_TYPE);
    let mut type_of_piece: HashMap<NamedNode, Term> = HashMap::new();
    for series in instances(triples, serie.as_ref()) {
        let Some(kind) = object(triples, &series, &dct_type).cloned() else {
            continue;
        };
        for triple in triples.iter() {
            if let (true, Term::NamedNode(piece)) = (
                subject_is(triple, &series) && triple.predicate == contains,
                &triple.object,
            ) {
                type_of_piece.insert(piece.clone(), kind.clone());
            }
        }
    }
    for piece in instances(triples, stuk.as_ref()) {
        if has(triples, &piece, &dct_type) {
            continue;
        }
        if let Some(kind) = type_of_piece.get(&piece) {
            triples.push(Triple::new(piece.clone(), dct_type.clone(), kind.clone()));
            notes.add("M3 document type from its series");
        }
    }
}

/// M4: documents without an access level are public.
fn add_public_access(triples: &mut Vec<Triple>, notes: &mut Notes) {
    let level = iri("vertrouwelijkheidsniveau", BESLUITVORMING);
    for piece in instances(triples, iri("Stuk", DOSSIER_NS).as_ref()) {
        if !has(triples, &piece, &level) {
            triples.push(Triple::new(
                piece,
                level.clone(),
                NamedNode::new_unchecked(PUBLIEK),
            ));
            notes.add("M4 access level Publiek");
        }
    }
}

/// M5: a physical file without a format gets its logical file's.
fn add_file_formats(triples: &mut Vec<Triple>, notes: &mut Notes) {
    let format = iri("format", DCT);
    let source = iri("dataSource", NIE);
    for file in instances(triples, iri("FileDataObject", NFO).as_ref()) {
        if has(triples, &file, &format) {
            continue;
        }
        let Some(Term::NamedNode(logical)) = object(triples, &file, &source).cloned() else {
            continue;
        };
        if let Some(value) = object(triples, &logical, &format).cloned() {
            triples.push(Triple::new(file, format.clone(), value));
            notes.add("M5 file format from its logical file");
        }
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::io::{RdfFormat, RdfParser};

    use super::*;

    fn fixture(text: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|quad| Triple::from(quad.expect("valid Turtle")))
            .collect()
    }

    #[test]
    fn a_publication_becomes_the_meeting_record_with_every_mapping_named(
    ) -> Result<(), MappingError> {
        let triples = fixture(include_str!(
            "../../fixtures/kaleidos/01-publicatie-vergadering-20-november.ttl"
        ));
        let sent = triples.len();
        let Publication::Release(mapped) = map(triples)? else {
            panic!("a publication with an agenda is a release");
        };
        assert_eq!(
            mapped.record.root().as_str(),
            "http://themis.vlaanderen.be/id/vergaderactiviteit/bc49a152-9033-54f9-bfc1-082eca9a5b34"
        );
        let notes = mapped.notes.join("; ");
        for rule in ["M1", "M2", "M3", "M4", "M5", "M6"] {
            assert!(notes.contains(rule), "{rule} missing in {notes}");
        }
        // M6 drops one statement; M2..M5 add one each per resource.
        assert!(mapped.record.triples().len() > sent, "{notes}");
        let title = mapped.record.triples().iter().any(|t| {
            t.object
                == Term::from(Literal::new_language_tagged_literal_unchecked(
                    "Vergadering van 20 november 2026",
                    "nl",
                ))
        });
        assert!(title);
        Ok(())
    }

    #[test]
    fn an_unpublish_names_the_meeting() -> Result<(), MappingError> {
        let triples = fixture(include_str!(
            "../../fixtures/kaleidos/05-depublicatie-vergadering-27-november.ttl"
        ));
        let Publication::Unpublish { meeting } = map(triples)? else {
            panic!("a publication without agenda is an unpublish");
        };
        assert!(meeting
            .as_str()
            .ends_with("4b28ebd2-a91c-58ca-a312-e900bb722240"));
        Ok(())
    }

    #[test]
    fn two_meetings_are_no_publication() {
        let meeting = |n: &str| {
            Triple::new(
                NamedNode::new_unchecked(format!("http://e/{n}")),
                vocab::RDF_TYPE,
                vocab::VERGADERACTIVITEIT,
            )
        };
        assert!(matches!(
            map(vec![meeting("a"), meeting("b")]),
            Err(MappingError::Meetings(2))
        ));
    }
}
