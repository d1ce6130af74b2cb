//! Writes one record at a time as N-Quads: every quad of a record goes to a reusable buffer,
//! which is handed to the output in one piece when the record is complete.
//!
//! IRIs are written by hand: the generator builds them itself from constants, the validated base
//! IRI and UUIDs, so they never need escaping. Literals go through oxigraph's `LiteralRef`
//! `Display`, which escapes quotes, backslashes and control characters as N-Quads requires.

use std::fmt::{self, Write as _};
use std::io::{self, Write};

use oxigraph::model::vocab::xsd;
use oxigraph::model::{LiteralRef, NamedNodeRef};

use crate::generate::date::{Day, LocalTime};
use crate::generate::rng::Rng;
use crate::generate::terms::{MU_UUID, RDF_TYPE};
use crate::model::{BaseIri, GraphNames};

/// Length of a hyphenated UUID, the last segment of every minted IRI.
const UUID_LEN: usize = 36;

/// Builds the quads of one record, then writes them out.
pub(super) struct RecordWriter {
    base: String,
    graphs: GraphNames,
    /// `<graph>` of the record being built.
    graph: String,
    /// The record's quads so far.
    buffer: String,
    /// Lexical forms of numbers and dates, reused so that writing them allocates nothing.
    scratch: String,
    triples: u64,
}

impl RecordWriter {
    /// A writer minting IRIs and graph names under `base`.
    pub(super) fn new(base: &BaseIri) -> Self {
        Self {
            base: base.as_str().to_owned(),
            graphs: GraphNames::new(base),
            graph: String::new(),
            buffer: String::with_capacity(1 << 20),
            scratch: String::new(),
            triples: 0,
        }
    }

    /// A new IRI `{base}/id/{kind}/{uuid}`, the UUID drawn from `rng`.
    pub(super) fn mint(&self, rng: &mut Rng, kind: &str) -> String {
        let mut iri = String::with_capacity(self.base.len() + kind.len() + 5 + UUID_LEN);
        iri.push_str(&self.base);
        iri.push_str("/id/");
        iri.push_str(kind);
        iri.push('/');
        rng.push_uuid(&mut iri);
        iri
    }

    /// Starts the record whose root is `root` (a minted IRI): its quads go to the root's graph.
    pub(super) fn begin(&mut self, root: &str) {
        let graph = self.graphs.record_graph(NamedNodeRef::new_unchecked(root));
        self.graph.clear();
        self.graph.push('<');
        self.graph.push_str(graph.as_str());
        self.graph.push('>');
        self.buffer.clear();
        self.triples = 0;
    }

    /// Writes the finished record to `out` and returns how many triples it has.
    pub(super) fn finish<W: Write>(&mut self, out: &mut W) -> io::Result<u64> {
        out.write_all(self.buffer.as_bytes())?;
        self.buffer.clear();
        Ok(self.triples)
    }

    fn subject_predicate(&mut self, subject: &str, predicate: &str) {
        self.triples += 1;
        let buffer = &mut self.buffer;
        buffer.push('<');
        buffer.push_str(subject);
        buffer.push_str("> <");
        buffer.push_str(predicate);
        buffer.push_str("> ");
    }

    fn end(&mut self) {
        self.buffer.push(' ');
        self.buffer.push_str(&self.graph);
        self.buffer.push_str(" .\n");
    }

    /// `<subject> <predicate> <object>`.
    pub(super) fn iri(&mut self, subject: &str, predicate: &str, object: &str) {
        self.subject_predicate(subject, predicate);
        self.buffer.push('<');
        self.buffer.push_str(object);
        self.buffer.push('>');
        self.end();
    }

    /// `<subject> a <class>`, followed by its `mu:uuid` (the last segment of a minted IRI), as
    /// every resource of the demo data has.
    pub(super) fn typed(&mut self, subject: &str, class: &str) {
        self.iri(subject, RDF_TYPE, class);
        let uuid = &subject[subject.len().saturating_sub(UUID_LEN)..];
        self.plain(subject, MU_UUID, uuid);
    }

    fn literal(&mut self, subject: &str, predicate: &str, literal: LiteralRef<'_>) {
        self.subject_predicate(subject, predicate);
        write!(self.buffer, "{literal}").expect("formatting into a String never fails");
        self.end();
    }

    /// A literal without language or datatype (`xsd:string`).
    pub(super) fn plain(&mut self, subject: &str, predicate: &str, value: &str) {
        self.literal(subject, predicate, LiteralRef::new_simple_literal(value));
    }

    /// A Dutch text (`@nl`).
    pub(super) fn nl(&mut self, subject: &str, predicate: &str, value: &str) {
        let literal = LiteralRef::new_language_tagged_literal_unchecked(value, "nl");
        self.literal(subject, predicate, literal);
    }

    /// An English text (`@en`).
    pub(super) fn en(&mut self, subject: &str, predicate: &str, value: &str) {
        let literal = LiteralRef::new_language_tagged_literal_unchecked(value, "en");
        self.literal(subject, predicate, literal);
    }

    /// The same text in Dutch and English, as the demo gives titles and descriptions.
    pub(super) fn nl_en(&mut self, subject: &str, predicate: &str, nl: &str, en: &str) {
        self.nl(subject, predicate, nl);
        self.en(subject, predicate, en);
    }

    fn typed_literal(
        &mut self,
        subject: &str,
        predicate: &str,
        value: impl fmt::Display,
        datatype: NamedNodeRef<'_>,
    ) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        write!(scratch, "{value}").expect("formatting into a String never fails");
        self.literal(
            subject,
            predicate,
            LiteralRef::new_typed_literal(&scratch, datatype),
        );
        self.scratch = scratch;
    }

    /// An `xsd:integer`.
    pub(super) fn integer(&mut self, subject: &str, predicate: &str, value: u64) {
        self.typed_literal(subject, predicate, value, xsd::INTEGER);
    }

    /// An `xsd:boolean`.
    pub(super) fn boolean(&mut self, subject: &str, predicate: &str, value: bool) {
        self.typed_literal(subject, predicate, value, xsd::BOOLEAN);
    }

    /// An `xsd:date`.
    pub(super) fn date(&mut self, subject: &str, predicate: &str, day: Day) {
        self.typed_literal(subject, predicate, day, xsd::DATE);
    }

    /// An `xsd:dateTime` with its Brussels offset.
    pub(super) fn date_time(&mut self, subject: &str, predicate: &str, time: LocalTime) {
        self.typed_literal(subject, predicate, time, xsd::DATE_TIME);
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::io::RdfFormat;
    use oxigraph::model::{GraphName, Literal, Term};

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn quads_parse_back_with_their_literals_intact() -> TestResult {
        let base = BaseIri::parse("https://example.org/")?;
        let mut writer = RecordWriter::new(&base);
        let mut rng = Rng::new(1);
        let root = writer.mint(&mut rng, "stuk");
        assert!(root.starts_with("https://example.org/id/stuk/"));
        let tricky = "<a href=\"x\">\\ \n \t \r </a> één";
        writer.begin(&root);
        writer.typed(&root, "http://example.org/Class");
        writer.plain(&root, "http://example.org/p", tricky);
        writer.en(&root, "http://example.org/p", tricky);
        writer.date(&root, "http://example.org/d", Day::from_civil(2026, 11, 20));
        let mut out = Vec::new();
        assert_eq!(writer.finish(&mut out)?, 5);
        let quads = crate::ingest::parse_quads(&out, RdfFormat::NQuads, "test")?;
        assert_eq!(quads.len(), 5);
        let graph = GraphNames::new(&base).record_graph(NamedNodeRef::new(&root)?);
        assert!(quads
            .iter()
            .all(|q| q.graph_name == GraphName::from(graph.clone())));
        assert_eq!(
            quads[2].object,
            Term::from(Literal::new_simple_literal(tricky))
        );
        let english = Literal::new_language_tagged_literal(tricky, "en")?;
        assert_eq!(quads[3].object, Term::from(english));
        let date = Literal::new_typed_literal("2026-11-20", xsd::DATE);
        assert_eq!(quads[4].object, Term::from(date));
        Ok(())
    }
}
