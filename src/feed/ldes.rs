//! Linked Data Event Streams (LDES 1.0 on TREE), one per collection, built from the event log.
//!
//! - The stream `{base}/ldes/{collection}` is an `ldes:EventStream` with
//!   `ldes:timestampPath prov:generatedAtTime`, `ldes:versionOfPath dct:isVersionOf`, the
//!   create/update/delete objects (`as:Create`, `as:Update`, `as:Delete` on `rdf:type`),
//!   `tree:shape` (the published member shape, `shapes/ldes.ttl`, also embedded) and its view,
//!   page 0.
//! - Page `n` (`{base}/ldes/{collection}/{n}`) holds the events `n*size..(n+1)*size` of the
//!   collection's log, oldest first. A member is the version that became public (its IRI is the
//!   version IRI, `{base}/id/versie/{id}/{v}`) or a withdrawal (`…/{v}/intrekking`); the member's
//!   named graph holds the record's content in that version (empty for a withdrawal).
//! - A full page links to the next with a `tree:GreaterThanOrEqualToRelation` on the timestamp
//!   (its value the page's newest event time: event times never go backwards). A full page
//!   therefore never changes ([`Caching::Immutable`]); the newest page grows
//!   ([`Caching::Mutable`]).

use std::collections::HashMap;

use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};

use crate::feed::vocab::*;
use crate::model::{vocab, Collection, GraphNames};
use crate::store::{EventKind, EventWithContent, Store, StoreError};

/// How a feed document may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// It never changes (a full page).
    Immutable,
    /// It changes when the collection does (the newest page, the stream description).
    Mutable,
}

impl Caching {
    /// How a page holding `events` events, of `size` a page, may be cached: a full page never
    /// changes.
    pub fn of_page(events: u64, size: u64) -> Self {
        if events == size {
            Self::Immutable
        } else {
            Self::Mutable
        }
    }
}

/// A feed document: its quads and how it may be cached.
#[derive(Debug, Clone)]
pub struct Document {
    /// The quads (members' content in named graphs).
    pub quads: Vec<Quad>,
    /// The events it holds (0 for the stream description). A page's content is fixed by its
    /// number and this count: the events already logged, and their versions, never change.
    pub events: u64,
    /// Whether it can change.
    pub caching: Caching,
}

/// The IRI of a collection's stream: `{base}/ldes/{collection}`.
pub fn stream_iri(names: &GraphNames, collection: Collection) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/ldes/{}", names.base(), collection.slug()))
}

/// The IRI of page `number` of a collection's stream.
pub fn page_iri(names: &GraphNames, collection: Collection, number: u64) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "{}/ldes/{}/{number}",
        names.base(),
        collection.slug()
    ))
}

/// The IRI of the member shape, published at `/shapes/ldes`.
pub fn shape_iri(names: &GraphNames) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/shapes/ldes#VersieShape", names.base()))
}

/// The stream's description and its view (page 0).
pub fn stream(names: &GraphNames, collection: Collection) -> Document {
    let mut triples = stream_metadata(names, collection);
    let stream = stream_iri(names, collection);
    let view = page_iri(names, collection, 0);
    triples.push(Triple::new(stream, TREE_VIEW, view.clone()));
    triples.push(Triple::new(view, vocab::RDF_TYPE, TREE_NODE));
    Document {
        quads: in_default_graph(triples),
        events: 0,
        caching: Caching::Mutable,
    }
}

/// Page `number` of a collection's stream, `None` beyond the newest page. Pages hold `size`
/// events each.
pub fn page(
    store: &Store,
    collection: Collection,
    number: u64,
    size: u64,
) -> Result<Option<Document>, StoreError> {
    let names = store.graph_names();
    let from = number.saturating_mul(size);
    let (events, total) = store.events(collection, from, size)?;
    if from > total {
        return Ok(None);
    }
    let stream = stream_iri(names, collection);
    let page = page_iri(names, collection, number);
    let mut triples = stream_metadata(names, collection);
    if number == 0 {
        triples.push(Triple::new(stream.clone(), TREE_VIEW, page.clone()));
    }
    triples.push(Triple::new(page.clone(), vocab::RDF_TYPE, TREE_NODE));
    let full = events.len() as u64 == size;
    if let (true, Some(newest)) = (full, events.last()) {
        // A fixed label: the page's bytes, and so its ETag, must not change between requests.
        let relation = BlankNode::new_unchecked("relatie");
        triples.extend([
            Triple::new(page.clone(), TREE_RELATION, relation.clone()),
            Triple::new(
                relation.clone(),
                vocab::RDF_TYPE,
                TREE_GREATER_THAN_OR_EQUAL_TO_RELATION,
            ),
            Triple::new(
                relation.clone(),
                TREE_NODE_LINK,
                page_iri(names, collection, number + 1),
            ),
            Triple::new(relation.clone(), TREE_PATH, PROV_GENERATED_AT_TIME),
            Triple::new(relation, TREE_VALUE, Literal::from(newest.event.time)),
        ]);
    }
    let mut quads = in_default_graph(triples);
    for event in &events {
        quads.extend(member_quads(names, &stream, event));
    }
    Ok(Some(Document {
        quads,
        events: events.len() as u64,
        caching: Caching::of_page(events.len() as u64, size),
    }))
}

/// How many events page `number` holds when the collection has logged `total`; `None` beyond the
/// newest page (page 0 always exists, empty while nothing is logged).
pub fn events_on_page(total: u64, number: u64, size: u64) -> Option<u64> {
    let from = number.saturating_mul(size);
    (from <= total).then(|| (total - from).min(size))
}

/// The stream's own description, repeated on every page so that a client can start anywhere.
fn stream_metadata(names: &GraphNames, collection: Collection) -> Vec<Triple> {
    let stream = stream_iri(names, collection);
    let (dutch, english) = collection.titles();
    let mut triples = vec![
        Triple::new(stream.clone(), vocab::RDF_TYPE, LDES_EVENT_STREAM),
        Triple::new(stream.clone(), LDES_TIMESTAMP_PATH, PROV_GENERATED_AT_TIME),
        Triple::new(stream.clone(), LDES_VERSION_OF_PATH, DCT_IS_VERSION_OF),
        Triple::new(
            stream.clone(),
            LDES_VERSION_CREATE_OBJECT,
            EventKind::Create.class(),
        ),
        Triple::new(
            stream.clone(),
            LDES_VERSION_UPDATE_OBJECT,
            EventKind::Update.class(),
        ),
        Triple::new(
            stream.clone(),
            LDES_VERSION_DELETE_OBJECT,
            EventKind::Delete.class(),
        ),
        Triple::new(stream.clone(), LDES_VERSION_DELETE_PATH, vocab::RDF_TYPE),
        Triple::new(stream.clone(), TREE_SHAPE, shape_iri(names)),
        Triple::new(
            stream.clone(),
            DCT_TITLE,
            Literal::new_language_tagged_literal_unchecked(dutch, "nl"),
        ),
        Triple::new(
            stream,
            DCT_TITLE,
            Literal::new_language_tagged_literal_unchecked(english, "en"),
        ),
    ];
    triples.extend(member_shape(names));
    triples
}

/// The member shape (`shapes/ldes.ttl`) with this instance's base IRI, embedded so that clients
/// need not fetch it.
fn member_shape(names: &GraphNames) -> Vec<Triple> {
    let Some(turtle) = crate::demo::shapes_file("ldes") else {
        return Vec::new();
    };
    let turtle = String::from_utf8_lossy(turtle).replace(
        "https://agora.vlaanderen.be/shapes/",
        &format!("{}/shapes/", names.base()),
    );
    // The parser names blank nodes at random; fixed labels keep the documents byte-stable.
    let mut labels = Relabel::new("vorm");
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_reader(turtle.as_bytes())
        .filter_map(Result::ok)
        .map(|quad| {
            Triple::new(
                labels.subject(&quad.subject),
                quad.predicate,
                labels.object(&quad.object),
            )
        })
        .collect()
}

/// The quads of one member: its description in the default graph, the record's content in the
/// member's named graph. Blank nodes get labels of their own per member, so that two versions on
/// one page never share one.
fn member_quads(names: &GraphNames, stream: &NamedNode, item: &EventWithContent) -> Vec<Quad> {
    let event = &item.event;
    let member = event.member_iri(names);
    let mut triples = vec![
        Triple::new(stream.clone(), TREE_MEMBER, member.clone()),
        Triple::new(member.clone(), vocab::RDF_TYPE, event.kind.class()),
        Triple::new(member.clone(), DCT_IS_VERSION_OF, event.root.clone()),
        Triple::new(
            member.clone(),
            PROV_GENERATED_AT_TIME,
            Literal::from(event.time),
        ),
    ];
    if let Some(reason) = &event.reason {
        triples.push(Triple::new(
            member.clone(),
            vocab::AS_SUMMARY,
            Literal::new_simple_literal(reason),
        ));
    }
    let mut quads = in_default_graph(triples);
    let graph = GraphName::NamedNode(member);
    let mut relabel = Relabel::new(format!("e{}", event.sequence));
    for triple in &item.triples {
        quads.push(Quad::new(
            relabel.subject(&triple.subject),
            triple.predicate.clone(),
            relabel.object(&triple.object),
            graph.clone(),
        ));
    }
    quads
}

/// Gives blank nodes fresh labels `{prefix}b{n}`, numbered in order of appearance, so that the
/// same content always gets the same labels and two members never share one.
struct Relabel {
    prefix: String,
    seen: HashMap<BlankNode, BlankNode>,
}

impl Relabel {
    fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            seen: HashMap::new(),
        }
    }

    fn node(&mut self, node: &BlankNode) -> BlankNode {
        let next = self.seen.len();
        let prefix = &self.prefix;
        self.seen
            .entry(node.clone())
            .or_insert_with(|| BlankNode::new_unchecked(format!("{prefix}b{next}")))
            .clone()
    }

    fn subject(&mut self, subject: &NamedOrBlankNode) -> NamedOrBlankNode {
        match subject {
            NamedOrBlankNode::BlankNode(node) => self.node(node).into(),
            other => other.clone(),
        }
    }

    fn object(&mut self, object: &Term) -> Term {
        match object {
            Term::BlankNode(node) => self.node(node).into(),
            other => other.clone(),
        }
    }
}

fn in_default_graph(triples: Vec<Triple>) -> Vec<Quad> {
    triples
        .into_iter()
        .map(|triple| triple.in_graph(GraphName::DefaultGraph))
        .collect()
}
