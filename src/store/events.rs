//! The event log: an ordered, persistent list of the published changes of records, one list per
//! collection, written in the same transaction as the change itself.
//!
//! Every time a version becomes public (a write released at once, or an embargoed version
//! released when its time comes) the log gains a `Create` (the record was not public) or an
//! `Update`; every withdrawal of a public record gains a `Delete`. Entries are numbered from 0 per
//! collection and never change, so a page of the feed that holds entries `n..n+size` is the same
//! forever once the log has reached `n+size`; that is what makes full feed pages immutable and
//! what harvesters resume from.
//!
//! Event times never go backwards: an event gets the time of its change, or the time of the
//! newest event already logged if the clock went back, so a client that orders by time gets the
//! log's order (events in one batch share their time).
//!
//! Layout in the private graph `{base}/graph/events`:
//!
//! ```text
//! <{events}/{collection}/{n}> a as:Create|as:Update|as:Delete ; agora:record <root> ;
//!     owl:versionInfo 3 ; prov:atTime "…"^^xsd:dateTime ; as:summary "reason" (deletes) .
//! <{events}/{collection}> agora:eventCount 12 .
//! <{events}> prov:atTime "…" .   # the newest event's time
//! ```

use std::collections::HashMap;

use super::backend::{Read, Tx};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, QuadRef, Term, Triple};
use oxsdatatypes::DateTime;
use uuid::Uuid;

use super::records::{read_state, RecordState};
use super::StoreError;
use crate::model::{vocab, Collection, GraphNames};

const AS_CREATE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://www.w3.org/ns/activitystreams#Create");
const AS_UPDATE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://www.w3.org/ns/activitystreams#Update");
const AS_DELETE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://www.w3.org/ns/activitystreams#Delete");
const AGORA_RECORD: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/agora#record");
const AGORA_EVENT_COUNT: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/agora#eventCount");
const PROV_AT_TIME: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#atTime");

/// What happened to a record, as the public saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The record became public (first release, or again after a withdrawal).
    Create,
    /// A new version of a public record was released.
    Update,
    /// The record was withdrawn.
    Delete,
}

impl EventKind {
    /// The Activity Streams class of the event (`as:Create`, `as:Update`, `as:Delete`).
    pub fn class(self) -> NamedNodeRef<'static> {
        match self {
            Self::Create => AS_CREATE,
            Self::Update => AS_UPDATE,
            Self::Delete => AS_DELETE,
        }
    }

    fn from_class(class: &Term) -> Option<Self> {
        let Term::NamedNode(class) = class else {
            return None;
        };
        [Self::Create, Self::Update, Self::Delete]
            .into_iter()
            .find(|kind| kind.class() == class.as_ref())
    }
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The collection whose stream the event belongs to.
    pub collection: Collection,
    /// Its position in that collection's log, from 0.
    pub sequence: u64,
    /// Create, update or delete.
    pub kind: EventKind,
    /// The record's root.
    pub root: NamedNode,
    /// The version released (create, update) or the last public version (delete).
    pub version: u64,
    /// When it happened (release time for embargoed versions).
    pub time: DateTime,
    /// Why the record was withdrawn (deletes).
    pub reason: Option<String>,
}

impl Event {
    /// The record's identifier.
    pub fn record_id(&self) -> Uuid {
        GraphNames::record_id(self.root.as_ref())
    }

    /// The member IRI of the event in the feed: the version's IRI for a create or update
    /// (`{base}/id/versie/{id}/{n}`), that IRI with `/intrekking` for a withdrawal.
    pub fn member_iri(&self, names: &GraphNames) -> NamedNode {
        let version = names.version_iri(self.record_id(), self.version);
        match self.kind {
            EventKind::Delete => {
                NamedNode::new_unchecked(format!("{}/intrekking", version.as_str()))
            }
            _ => version,
        }
    }
}

/// An event with the content of the version it released (empty for deletes).
#[derive(Debug, Clone)]
pub struct EventWithContent {
    /// The event.
    pub event: Event,
    /// The record's triples in that version.
    pub triples: Vec<Triple>,
}

fn entry_iri(names: &GraphNames, collection: Collection, sequence: u64) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "{}/{}/{sequence}",
        names.events().as_str(),
        collection.slug()
    ))
}

fn head_iri(names: &GraphNames, collection: Collection) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/{}", names.events().as_str(), collection.slug()))
}

fn integer(value: u64) -> Literal {
    Literal::from(i64::try_from(value).unwrap_or(i64::MAX))
}

fn object_of(
    transaction: &impl Read,
    names: &GraphNames,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Result<Option<Term>, StoreError> {
    let mut quads = transaction.quads_for_pattern(
        Some(subject.into()),
        Some(predicate),
        None,
        Some(names.events().into()),
    );
    Ok(quads.next().transpose()?.map(|quad| quad.object))
}

fn literal_value<T: std::str::FromStr>(term: Option<Term>) -> Option<T> {
    match term {
        Some(Term::Literal(literal)) => literal.value().parse().ok(),
        _ => None,
    }
}

/// How many events the log of `collection` holds.
pub(super) fn count(
    transaction: &impl Read,
    names: &GraphNames,
    collection: Collection,
) -> Result<u64, StoreError> {
    let head = head_iri(names, collection);
    Ok(literal_value(object_of(
        transaction,
        names,
        head.as_ref(),
        AGORA_EVENT_COUNT,
    )?)
    .unwrap_or(0))
}

/// The quads of one log entry.
fn entry_quads(names: &GraphNames, event: &Event) -> Vec<Quad> {
    let entry = entry_iri(names, event.collection, event.sequence);
    let graph = names.events();
    let mut triples = vec![
        Triple::new(entry.clone(), vocab::RDF_TYPE, event.kind.class()),
        Triple::new(entry.clone(), AGORA_RECORD, event.root.clone()),
        Triple::new(
            entry.clone(),
            vocab::OWL_VERSION_INFO,
            integer(event.version),
        ),
        Triple::new(entry.clone(), PROV_AT_TIME, Literal::from(event.time)),
    ];
    if let Some(reason) = &event.reason {
        triples.push(Triple::new(
            entry,
            vocab::AS_SUMMARY,
            Literal::new_simple_literal(reason),
        ));
    }
    triples
        .into_iter()
        .map(|triple| triple.in_graph(graph.into_owned()))
        .collect()
}

/// Replaces the value `old` (read by the caller) of `predicate` on `subject` in the events graph.
fn set_value(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    old: Option<Term>,
    value: Literal,
) {
    if let Some(old) = old {
        transaction.remove(QuadRef::new(subject, predicate, &old, names.events()));
    }
    transaction.insert(QuadRef::new(subject, predicate, &value, names.events()));
}

/// Appends an event for the record `state` to its collection's log. The caller holds the write
/// lock and commits. Records whose class is no root class (none are stored) make no event.
pub(super) fn append(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    state: &RecordState,
    kind: EventKind,
    version: u64,
    now: DateTime,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let Some(collection) = Collection::of_class(state.class.as_ref()) else {
        return Ok(());
    };
    // Each counter is read once and its old value removed by name: every update of a counter
    // leaves a RocksDB tombstone under the same key prefix until compaction, and a prefix scan
    // walks them all, so a write scans each counter prefix once, not twice.
    let log = names.events();
    let last_time = object_of(transaction, names, log, PROV_AT_TIME)?;
    let time = match literal_value::<DateTime>(last_time.clone()) {
        Some(last) if last > now => last,
        _ => now,
    };
    let head = head_iri(names, collection);
    let last_count = object_of(transaction, names, head.as_ref(), AGORA_EVENT_COUNT)?;
    let sequence = literal_value(last_count.clone()).unwrap_or(0);
    let event = Event {
        collection,
        sequence,
        kind,
        root: state.root.clone(),
        version,
        time,
        reason: reason.map(str::to_owned),
    };
    for quad in entry_quads(names, &event) {
        transaction.insert(&quad);
    }
    set_value(
        transaction,
        names,
        head.as_ref(),
        AGORA_EVENT_COUNT,
        last_count,
        integer(sequence + 1),
    );
    set_value(
        transaction,
        names,
        log,
        PROV_AT_TIME,
        last_time,
        Literal::from(time),
    );
    Ok(())
}

/// Numbers the create events of a bulk load (an empty store): one counter per collection.
#[derive(Debug, Default)]
pub(super) struct BulkEvents {
    counts: HashMap<Collection, u64>,
}

impl BulkEvents {
    /// The quads of the create event of a new record.
    pub(super) fn create(
        &mut self,
        names: &GraphNames,
        collection: Collection,
        root: NamedNodeRef<'_>,
        time: DateTime,
    ) -> Vec<Quad> {
        let counter = self.counts.entry(collection).or_insert(0);
        let event = Event {
            collection,
            sequence: *counter,
            kind: EventKind::Create,
            root: root.into_owned(),
            version: 1,
            time,
            reason: None,
        };
        *counter += 1;
        entry_quads(names, &event)
    }

    /// The counters and newest time, written once the entries are loaded.
    pub(super) fn finish(
        &self,
        transaction: &mut Tx<'_>,
        names: &GraphNames,
        time: DateTime,
    ) -> Result<(), StoreError> {
        for (collection, count) in &self.counts {
            let head = head_iri(names, *collection);
            let old = object_of(transaction, names, head.as_ref(), AGORA_EVENT_COUNT)?;
            set_value(
                transaction,
                names,
                head.as_ref(),
                AGORA_EVENT_COUNT,
                old,
                integer(*count),
            );
        }
        if !self.counts.is_empty() {
            let old = object_of(transaction, names, names.events(), PROV_AT_TIME)?;
            set_value(
                transaction,
                names,
                names.events(),
                PROV_AT_TIME,
                old,
                Literal::from(time),
            );
        }
        Ok(())
    }
}

/// Reads the event at `sequence` of `collection`, if it exists.
fn read_event(
    transaction: &impl Read,
    names: &GraphNames,
    collection: Collection,
    sequence: u64,
) -> Result<Option<Event>, StoreError> {
    let entry = entry_iri(names, collection, sequence);
    let (mut kind, mut root, mut version, mut time, mut reason) = (None, None, None, None, None);
    for quad in transaction.quads_for_pattern(
        Some(entry.as_ref().into()),
        None,
        None,
        Some(names.events().into()),
    ) {
        let quad = quad?;
        let predicate = quad.predicate.as_ref();
        if predicate == vocab::RDF_TYPE {
            kind = EventKind::from_class(&quad.object);
        } else if predicate == AGORA_RECORD {
            if let Term::NamedNode(node) = quad.object {
                root = Some(node);
            }
        } else if predicate == vocab::OWL_VERSION_INFO {
            version = literal_value(Some(quad.object));
        } else if predicate == PROV_AT_TIME {
            time = literal_value(Some(quad.object));
        } else if predicate == vocab::AS_SUMMARY {
            if let Term::Literal(literal) = quad.object {
                reason = Some(literal.value().to_owned());
            }
        }
    }
    let (Some(kind), Some(root), Some(version), Some(time)) = (kind, root, version, time) else {
        return Ok(None);
    };
    Ok(Some(Event {
        collection,
        sequence,
        kind,
        root,
        version,
        time,
        reason,
    }))
}

/// Events of `collection` whose time is after `after` (all with `None`), oldest first, without
/// content. Event times never go backwards, so a binary search finds the first one.
pub(super) fn read_after(
    transaction: &impl Read,
    names: &GraphNames,
    collection: Collection,
    after: Option<DateTime>,
) -> Result<Vec<Event>, StoreError> {
    let total = count(transaction, names, collection)?;
    let (mut low, mut high) = (0, total);
    if let Some(after) = after {
        while low < high {
            let middle = low + (high - low) / 2;
            match read_event(transaction, names, collection, middle)? {
                Some(event) if event.time <= after => low = middle + 1,
                _ => high = middle,
            }
        }
    }
    let mut out = Vec::new();
    for sequence in low..total {
        if let Some(event) = read_event(transaction, names, collection, sequence)? {
            out.push(event);
        }
    }
    Ok(out)
}

/// The objects of `root predicate` in version `number` of the record rooted at `root`; nothing
/// once the record is withdrawn (its content is private then).
pub(super) fn version_objects(
    transaction: &impl Read,
    names: &GraphNames,
    root: NamedNodeRef<'_>,
    number: u64,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<Term>, StoreError> {
    let graph = names.record_graph(root);
    let Some(state) = read_state(transaction, names, graph.as_ref())? else {
        return Ok(Vec::new());
    };
    if state.withdrawn.is_some() {
        return Ok(Vec::new());
    }
    let source = if state.released == Some(number) {
        graph
    } else {
        names.version_graph(state.id, number)
    };
    transaction
        .quads_for_pattern(
            Some(root.into()),
            Some(predicate),
            None,
            Some(source.as_ref().into()),
        )
        .map(|quad| quad.map(|quad| quad.object))
        .collect()
}

/// Events `from..from+limit` of `collection` (fewer at the end of the log), each with the content
/// of its version, read in one snapshot so that a release racing the read cannot mix versions.
pub(super) fn read_with_content(
    transaction: &impl Read,
    names: &GraphNames,
    collection: Collection,
    from: u64,
    limit: u64,
) -> Result<Vec<EventWithContent>, StoreError> {
    let end = count(transaction, names, collection)?.min(from.saturating_add(limit));
    let mut out = Vec::new();
    for sequence in from..end {
        let Some(event) = read_event(transaction, names, collection, sequence)? else {
            continue;
        };
        let triples = match event.kind {
            EventKind::Delete => Vec::new(),
            EventKind::Create | EventKind::Update => {
                version_content(transaction, names, event.root.as_ref(), event.version)?
            }
        };
        out.push(EventWithContent { event, triples });
    }
    Ok(out)
}

/// The content of version `number` of the record rooted at `root`: the record graph while that
/// version is the public one, its private version graph once superseded or withdrawn.
fn version_content(
    transaction: &impl Read,
    names: &GraphNames,
    root: NamedNodeRef<'_>,
    number: u64,
) -> Result<Vec<Triple>, StoreError> {
    let graph = names.record_graph(root);
    let Some(state) = read_state(transaction, names, graph.as_ref())? else {
        return Ok(Vec::new());
    };
    let source = if state.released == Some(number) && state.withdrawn.is_none() {
        graph
    } else {
        names.version_graph(state.id, number)
    };
    transaction
        .quads_for_pattern(None, None, None, Some(source.as_ref().into()))
        .map(|quad| quad.map(Triple::from))
        .collect()
}
