//! From bytes to records: parses RDF, normalises legacy namespaces and cuts the data into
//! [`Record`]s by the rules of `ontology/README.md`.
//!
//! A Turtle, N-Triples, RDF/XML or JSON-LD document is one record. A TriG or N-Quads document
//! holds many: each named graph is one record.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser, ReaderQuadParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::model::{vocab, Record, RecordError};

/// Why input could not become records.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file name does not tell the format.
    #[error(
        "{source_name}: unknown RDF format; use one of the extensions .ttl, .nt, .nq, .trig, .rdf, .jsonld"
    )]
    UnknownFormat {
        /// The file or body that was read.
        source_name: String,
    },
    /// The RDF does not parse.
    #[error("{source_name}:{location}: {message}")]
    Syntax {
        /// The file or body that was read.
        source_name: String,
        /// `line:column` (1-based) where the error was found, or `?` when the parser gave none.
        location: String,
        /// The parser's message.
        message: String,
    },
    /// The triples do not form one record.
    #[error("{source_name}{}: {error}", graph.as_ref().map(|g| format!(" (graph {g})")).unwrap_or_default())]
    Record {
        /// The file or body that was read.
        source_name: String,
        /// The named graph, for datasets.
        graph: Option<String>,
        /// What is wrong.
        error: RecordError,
    },
    /// A dataset has triples outside any named graph.
    #[error("{source_name}: {count} triples are outside any named graph; in TriG and N-Quads every record is a named graph")]
    TriplesInDefaultGraph {
        /// The file or body that was read.
        source_name: String,
        /// How many triples.
        count: usize,
    },
    /// A record stream is out of order.
    #[error("{source_name} (graph {graph}): {message}")]
    Stream {
        /// The file that was read.
        source_name: String,
        /// The graph where the problem was seen.
        graph: String,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("{source_name}: cannot read: {error}")]
    Io {
        /// The file that was read.
        source_name: String,
        /// The cause.
        error: std::io::Error,
    },
}

/// The RDF format of a file, from its extension.
pub fn format_of_path(path: &Path) -> Option<RdfFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(RdfFormat::JsonLd {
            profile: Default::default(),
        }),
        other => RdfFormat::from_extension(other),
    }
}

/// Parses a document and cuts it into records.
///
/// `source_name` names the input in error messages (a file path, or "request body").
pub fn parse_records(
    data: &[u8],
    format: RdfFormat,
    source_name: &str,
) -> Result<Vec<Record>, IngestError> {
    let quads = parse_quads(data, format, source_name)?;
    // JSON-LD can carry named graphs, but a plain JSON-LD document is one record in the default
    // graph: only a document with named graphs is a batch.
    let one_record = !format.supports_datasets()
        || (matches!(format, RdfFormat::JsonLd { .. })
            && quads.iter().all(|quad| quad.graph_name.is_default_graph()));
    if one_record {
        let triples = quads.into_iter().map(Triple::from).collect();
        let record = Record::from_triples(triples).map_err(|error| IngestError::Record {
            source_name: source_name.to_owned(),
            graph: None,
            error,
        })?;
        return Ok(vec![record]);
    }
    let mut in_default = 0;
    let mut order = Vec::new();
    let mut by_graph: HashMap<NamedOrBlankNode, Vec<Triple>> = HashMap::new();
    for quad in quads {
        let graph = match quad.graph_name {
            GraphName::NamedNode(node) => NamedOrBlankNode::from(node),
            GraphName::BlankNode(node) => NamedOrBlankNode::from(node),
            GraphName::DefaultGraph => {
                in_default += 1;
                continue;
            }
        };
        let triple = Triple::new(quad.subject, quad.predicate, quad.object);
        by_graph
            .entry(graph.clone())
            .or_insert_with(|| {
                order.push(graph);
                Vec::new()
            })
            .push(triple);
    }
    if in_default > 0 {
        return Err(IngestError::TriplesInDefaultGraph {
            source_name: source_name.to_owned(),
            count: in_default,
        });
    }
    order
        .into_iter()
        .map(|graph| {
            let triples = by_graph.remove(&graph).unwrap_or_default();
            Record::from_triples(triples).map_err(|error| IngestError::Record {
                source_name: source_name.to_owned(),
                graph: Some(graph.to_string()),
                error,
            })
        })
        .collect()
}

/// How deeply JSON-LD objects and arrays may nest. Oxigraph's JSON-LD expansion recurses once per
/// level, so a few thousand levels (a few kilobytes of `{"p": {"p": …`) overflow a thread's stack
/// and abort the whole process. Real records nest a handful of levels; 64 leaves room and stays
/// far below what a 2 MiB stack holds even in a debug build (about 500 levels).
pub const MAX_JSON_LD_DEPTH: usize = 64;

/// Parses a document into normalised quads, failing on the first syntax error.
pub fn parse_quads(
    data: &[u8],
    format: RdfFormat,
    source_name: &str,
) -> Result<Vec<Quad>, IngestError> {
    if matches!(format, RdfFormat::JsonLd { .. }) {
        check_json_depth(data, MAX_JSON_LD_DEPTH, source_name)?;
    }
    if format == RdfFormat::RdfXml {
        check_xml_entities(data, source_name)?;
    }
    RdfParser::from_format(format)
        .for_slice(data)
        .map(|quad| {
            quad.map(normalise_quad)
                .map_err(|error| syntax_error(source_name, error.into()))
        })
        .collect()
}

/// Streams the triples of a large N-Triples or Turtle document as they are (no normalisation:
/// an external dataset is kept as its publisher wrote it), for `agora load --dataset`.
pub fn triple_stream<R: Read>(
    reader: R,
    format: RdfFormat,
    source_name: &str,
) -> impl Iterator<Item = Result<Triple, IngestError>> {
    let source_name = source_name.to_owned();
    RdfParser::from_format(format)
        .for_reader(reader)
        .map(move |quad| {
            quad.map(Triple::from)
                .map_err(|error| syntax_error(&source_name, error))
        })
}

/// Parses a Turtle document and writes it in `format` (for small built-in documents).
pub fn reserialise(turtle: &[u8], format: RdfFormat) -> Result<Vec<u8>, IngestError> {
    let quads = parse_quads(turtle, RdfFormat::Turtle, "built-in document")?;
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format).for_writer(Vec::new());
    for quad in &quads {
        serializer
            .serialize_triple(quad.as_ref())
            .map_err(|error| IngestError::Io {
                source_name: "built-in document".to_owned(),
                error,
            })?;
    }
    serializer.finish().map_err(|error| IngestError::Io {
        source_name: "built-in document".to_owned(),
        error,
    })
}

/// Refuses JSON whose objects and arrays nest deeper than `limit`, before any parser recurses
/// into it. Strings (with their escapes) are skipped; the JSON need not be valid.
fn check_json_depth(data: &[u8], limit: usize, source_name: &str) -> Result<(), IngestError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut line, mut column) = (1usize, 0usize);
    for byte in data {
        column += 1;
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Err(IngestError::Syntax {
                        source_name: source_name.to_owned(),
                        location: format!("{line}:{column}"),
                        message: format!(
                            "JSON-LD objects and arrays nested more than {limit} levels deep; \
                             Agora refuses deeper documents"
                        ),
                    });
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
    }
    Ok(())
}

/// How much larger than the document its XML entities may make it (and at least
/// [`MIN_XML_EXPANSION`] bytes): Oxigraph's RDF/XML parser expands internal entities, and ten
/// nested levels of ten references each ("billion laughs") are 30 GB from a 1 KB body.
pub const XML_EXPANSION_FACTOR: usize = 8;
/// The expansion every document may have, however small.
pub const MIN_XML_EXPANSION: usize = 1 << 20;

/// Refuses RDF/XML whose entity declarations could blow up: entities that refer to other
/// entities, external entities (`SYSTEM`, `PUBLIC`), and references that would expand the
/// document beyond [`XML_EXPANSION_FACTOR`] times its size. Entities standing for namespace IRIs,
/// as some RDF/XML writers use them, pass.
fn check_xml_entities(data: &[u8], source_name: &str) -> Result<(), IngestError> {
    const DECLARATION: &str = "<!ENTITY";
    let text = String::from_utf8_lossy(data);
    if !text.contains(DECLARATION) {
        return Ok(());
    }
    let refuse = |message: String| IngestError::Syntax {
        source_name: source_name.to_owned(),
        location: "?".to_owned(),
        message,
    };
    let declaration = regex::Regex::new(
        r#"<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC))"#,
    )
    .map_err(|error| refuse(error.to_string()))?;
    let mut sizes = HashMap::new();
    let mut declared = 0;
    for captures in declaration.captures_iter(&text) {
        declared += 1;
        let name = captures.get(2).map_or("", |m| m.as_str());
        if captures.get(5).is_some() {
            return Err(refuse(format!(
                "the external XML entity {name:?} is refused: Agora reads no file or URL named in a document"
            )));
        }
        let value = captures
            .get(3)
            .or_else(|| captures.get(4))
            .map_or("", |m| m.as_str());
        if value.contains('&') || value.contains('%') {
            return Err(refuse(format!(
                "the XML entity {name:?} refers to other entities; nested entities are refused \
                 (they can expand a small document into gigabytes)"
            )));
        }
        sizes.insert(name.to_owned(), value.len());
    }
    if declared != text.matches(DECLARATION).count() {
        return Err(refuse(
            "an XML entity declaration is not of the form <!ENTITY name \"value\">".to_owned(),
        ));
    }
    let limit = (data.len() * XML_EXPANSION_FACTOR).max(MIN_XML_EXPANSION);
    let reference =
        regex::Regex::new(r"&([^\s&;<>]+);").map_err(|error| refuse(error.to_string()))?;
    let mut expanded = data.len();
    for captures in reference.captures_iter(&text) {
        expanded += sizes.get(&captures[1]).copied().unwrap_or(0);
        if expanded > limit {
            return Err(refuse(format!(
                "the XML entities would expand the document beyond {limit} bytes; refused"
            )));
        }
    }
    Ok(())
}

/// Turns a parser error into an [`IngestError`] with a 1-based line and column.
pub fn syntax_error(source_name: &str, error: RdfParseError) -> IngestError {
    match error {
        RdfParseError::Syntax(error) => {
            let location = error
                .location()
                .map(|range| format!("{}:{}", range.start.line + 1, range.start.column + 1))
                .unwrap_or_else(|| "?".to_owned());
            IngestError::Syntax {
                source_name: source_name.to_owned(),
                location,
                message: error.to_string(),
            }
        }
        RdfParseError::Io(error) => IngestError::Io {
            source_name: source_name.to_owned(),
            error,
        },
    }
}

/// Rewrites terms of the older `http://data.vlaanderen.be/ns/besluitvorming#` namespace to the
/// published `https://` one, so that Kaleidos data and current data query alike.
pub fn normalise_quad(quad: Quad) -> Quad {
    Quad {
        subject: match quad.subject {
            NamedOrBlankNode::NamedNode(node) => normalise_node(node).into(),
            other => other,
        },
        predicate: normalise_node(quad.predicate),
        object: match quad.object {
            Term::NamedNode(node) => normalise_node(node).into(),
            other => other,
        },
        graph_name: quad.graph_name,
    }
}

fn normalise_node(node: NamedNode) -> NamedNode {
    match node.as_str().strip_prefix(vocab::ns::BESLUITVORMING_LEGACY) {
        Some(local) => NamedNode::new_unchecked(format!("{}{local}", vocab::ns::BESLUITVORMING)),
        None => node,
    }
}

/// Reads the records of a large N-Quads or TriG stream one at a time, so that memory holds one
/// record, not the file. Each record's quads must be contiguous (as `agora generate` and
/// `agora dump` write them); a graph or root that comes back later is an error, not a merge.
pub struct RecordStream<R: Read> {
    quads: ReaderQuadParser<R>,
    source_name: String,
    pending: Option<Quad>,
    seen_graphs: HashSet<NamedOrBlankNode>,
    seen_roots: HashSet<NamedNode>,
    failed: bool,
}

impl<R: Read> RecordStream<R> {
    /// Streams the records of `reader`, a dataset in `format` (N-Quads or TriG).
    pub fn new(reader: R, format: RdfFormat, source_name: &str) -> Self {
        Self {
            quads: RdfParser::from_format(format).for_reader(reader),
            source_name: source_name.to_owned(),
            pending: None,
            seen_graphs: HashSet::new(),
            seen_roots: HashSet::new(),
            failed: false,
        }
    }

    fn next_quad(&mut self) -> Option<Result<Quad, IngestError>> {
        if let Some(quad) = self.pending.take() {
            return Some(Ok(quad));
        }
        let quad = self.quads.next()?;
        Some(
            quad.map(normalise_quad)
                .map_err(|error| syntax_error(&self.source_name, error)),
        )
    }

    fn next_record(&mut self) -> Option<Result<Record, IngestError>> {
        let first = match self.next_quad()? {
            Ok(quad) => quad,
            Err(error) => return Some(Err(error)),
        };
        let graph = match &first.graph_name {
            GraphName::NamedNode(node) => NamedOrBlankNode::from(node.clone()),
            GraphName::BlankNode(node) => NamedOrBlankNode::from(node.clone()),
            GraphName::DefaultGraph => {
                return Some(Err(IngestError::TriplesInDefaultGraph {
                    source_name: self.source_name.clone(),
                    count: 1,
                }))
            }
        };
        if !self.seen_graphs.insert(graph.clone()) {
            return Some(Err(self.record_error(
                &graph,
                format!("graph {graph} appears in two separate blocks; group each record's quads together"),
            )));
        }
        let mut triples = vec![Triple::from(first)];
        loop {
            match self.next_quad() {
                None => break,
                Some(Err(error)) => return Some(Err(error)),
                Some(Ok(quad)) => {
                    let same = match (&quad.graph_name, &graph) {
                        (GraphName::NamedNode(a), NamedOrBlankNode::NamedNode(b)) => a == b,
                        (GraphName::BlankNode(a), NamedOrBlankNode::BlankNode(b)) => a == b,
                        _ => false,
                    };
                    if !same {
                        self.pending = Some(quad);
                        break;
                    }
                    triples.push(Triple::from(quad));
                }
            }
        }
        let record = match Record::from_triples(triples) {
            Ok(record) => record,
            Err(error) => {
                return Some(Err(IngestError::Record {
                    source_name: self.source_name.clone(),
                    graph: Some(graph.to_string()),
                    error,
                }))
            }
        };
        if !self.seen_roots.insert(record.root().into_owned()) {
            return Some(Err(self.record_error(
                &graph,
                format!("the record {} appears twice", record.root()),
            )));
        }
        Some(Ok(record))
    }

    fn record_error(&self, graph: &NamedOrBlankNode, message: String) -> IngestError {
        IngestError::Stream {
            source_name: self.source_name.clone(),
            graph: graph.to_string(),
            message,
        }
    }
}

impl<R: Read> Iterator for RecordStream<R> {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_record();
        if matches!(next, Some(Err(_))) {
            self.failed = true;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEETING: &str = r#"
        @prefix besluit: <http://data.vlaanderen.be/ns/besluit#> .
        @prefix bv: <http://data.vlaanderen.be/ns/besluitvorming#> .
        <http://e/m> a besluit:Vergaderactiviteit .
        <http://e/a> a bv:Agenda ; bv:isAgendaVoor <http://e/m> .
    "#;

    /// Regression (found by the hostile-input tests): 12,000 nested JSON-LD objects overflowed the
    /// stack of the push's blocking thread and aborted the server. Run on a 2 MiB stack, as the
    /// blocking threads have.
    #[test]
    fn deeply_nested_json_ld_is_refused_before_parsing() {
        let nested = |depth: usize| {
            let mut body = String::from("{\"@id\": \"http://e/a\", ");
            body.push_str(&"\"http://e/p\": {".repeat(depth));
            body.push_str("\"http://e/q\": \"{[\\\"{[\"");
            body.push_str(&"}".repeat(depth + 1));
            body
        };
        let json_ld = RdfFormat::JsonLd {
            profile: Default::default(),
        };
        let outcome = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let shallow = parse_quads(nested(10).as_bytes(), json_ld, "body").map(|q| q.len());
                let deep = parse_quads(nested(12_000).as_bytes(), json_ld, "body");
                let arrays = parse_quads("[".repeat(100_000).as_bytes(), json_ld, "body");
                (
                    shallow.ok(),
                    deep.err().map(|e| e.to_string()),
                    arrays.is_err(),
                )
            })
            .expect("a thread")
            .join()
            .expect("no overflow");
        assert_eq!(outcome.0, Some(11), "strings with brackets do not count");
        let message = outcome.1.expect("refused");
        assert!(message.contains("nested more than 64 levels"), "{message}");
        assert!(outcome.2);
    }

    /// Regression (found by the hostile-input tests): ten nested levels of XML entities ("billion
    /// laughs") in an RDF/XML body were expanded by the parser until the process was killed for
    /// lack of memory.
    #[test]
    fn xml_entity_bombs_are_refused_and_namespace_entities_pass() {
        let document = |entities: &str, label: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n\
                 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
                 xmlns:skos=\"http://www.w3.org/2004/02/skos/core#\">\n\
                 <rdf:Description rdf:about=\"http://e.org/a\">\n\
                 <skos:prefLabel>{label}</skos:prefLabel>\n</rdf:Description>\n</rdf:RDF>\n"
            )
        };
        let mut laughs = String::from("<!ENTITY lol0 \"lollollollollollollollollollol\">\n");
        for level in 1..10 {
            let refs = format!("&lol{};", level - 1).repeat(10);
            laughs.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
        }
        let parse = |text: String| parse_quads(text.as_bytes(), RdfFormat::RdfXml, "body");
        let nested = parse(document(&laughs, "&lol9;")).expect_err("refused");
        assert!(
            nested.to_string().contains("refers to other entities"),
            "{nested}"
        );
        let wide = format!("<!ENTITY big \"{}\">\n", "x".repeat(10_000));
        let flat = parse(document(&wide, &"&big;".repeat(200))).expect_err("refused");
        assert!(flat.to_string().contains("beyond"), "{flat}");
        let external = "<!ENTITY file SYSTEM \"file:///etc/passwd\">\n";
        let external = parse(document(external, "&file;")).expect_err("refused");
        assert!(external.to_string().contains("external"), "{external}");
        let namespace = "<!ENTITY skos \"http://www.w3.org/2004/02/skos/core#\">\n";
        let quads = parse(document(namespace, "&skos; and &amp;")).expect("accepted");
        assert_eq!(quads.len(), 1);
    }

    #[test]
    fn legacy_besluitvorming_namespace_is_normalised() -> Result<(), IngestError> {
        let records = parse_records(MEETING.as_bytes(), RdfFormat::Turtle, "test")?;
        let agenda_type = records[0]
            .triples()
            .iter()
            .find(|t| t.subject.to_string() == "<http://e/a>" && t.predicate == vocab::RDF_TYPE)
            .map(|t| t.object.to_string());
        assert_eq!(
            agenda_type.as_deref(),
            Some("<https://data.vlaanderen.be/ns/besluitvorming#Agenda>")
        );
        Ok(())
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = parse_records(b"<http://e/a> <http://e/b> .\n", RdfFormat::Turtle, "f.ttl")
            .unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("f.ttl:1:"), "{message}");
    }

    #[test]
    fn trig_graphs_are_records() -> Result<(), IngestError> {
        let trig = r#"
            @prefix besluit: <http://data.vlaanderen.be/ns/besluit#> .
            <http://e/g1> { <http://e/m1> a besluit:Vergaderactiviteit . }
            <http://e/g2> { <http://e/m2> a besluit:Vergaderactiviteit . }
        "#;
        let records = parse_records(trig.as_bytes(), RdfFormat::TriG, "t.trig")?;
        assert_eq!(records.len(), 2);
        Ok(())
    }
}
