//! The integrity check of a data folder (`agora check`): reads everything, repairs nothing,
//! and reports each problem with the record it concerns.
//!
//! What is checked:
//!
//! - per record: its versions are numbered 1..N with N the latest version; the system graph's
//!   hash is the latest version's; the content of every version is present (the record graph
//!   for the released one, a private version graph for the others) and hashes to the hash
//!   recorded for it (RDFC-1.0, [`crate::model::canonical_hash`]); a withdrawn record's graph is
//!   empty; the released content is a record and conforms to the shapes in context, as a push
//!   would be validated;
//! - the event log: each collection's entries are numbered without gaps, and each record's last
//!   event agrees with its state (a delete for a withdrawn record, the released version for a
//!   public one, none for a record never public);
//! - the published default graph equals the union of the public graphs (streamed);
//! - the search index is in step with the store.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use crate::model::{canonical_hash, Collection, Record};
use crate::push::Pusher;
use crate::search::SearchIndex;
use crate::store::{EventKind, PublishedDifference, RecordState, Store, StoreError};

/// Differences of the default graph reported one by one; past this, only their number.
const MAX_REPORTED_DIFFERENCES: u64 = 100;
/// Events read from the log at a time.
const EVENT_BATCH: u64 = 1000;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The record's root, when the problem concerns one record.
    pub record: Option<String>,
    /// What is wrong.
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.record {
            Some(root) => write!(f, "<{root}>: {}", self.what),
            None => f.write_str(&self.what),
        }
    }
}

/// What the check looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records checked.
    pub records: u64,
    /// Versions whose content was hashed.
    pub versions: u64,
    /// Events read.
    pub events: u64,
    /// Quads compared for the default graph.
    pub quads: u64,
    /// Problems found.
    pub problems: u64,
}

/// Why the check could not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The validator failed.
    #[error(transparent)]
    Push(#[from] crate::push::PushError),
    /// The search index cannot be read.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

/// Checks `store` (and `search`, when given), calling `report` for each problem.
pub fn check(
    store: &Store,
    search: Option<&SearchIndex>,
    pusher: &Pusher,
    mut report: impl FnMut(&Problem),
) -> Result<Summary, CheckError> {
    let mut problems = 0;
    let mut problem = |record: Option<&NamedNode>, what: String| {
        problems += 1;
        report(&Problem {
            record: record.map(|root| root.as_str().to_owned()),
            what,
        });
    };
    let states = store.record_states()?;
    let mut versions = 0;
    for state in &states {
        versions += check_record(store, pusher, state, &mut problem)?;
    }
    let events = check_events(store, &states, &mut problem)?;
    let mut differences = 0;
    let quads = store.published_differences(|difference| {
        differences += 1;
        if differences > MAX_REPORTED_DIFFERENCES {
            return;
        }
        match difference {
            PublishedDifference::Missing { triple, graph } => problem(
                None,
                format!(
                    "the published default graph lacks {triple}, stated in <{graph}>",
                    graph = graph.as_str()
                ),
            ),
            PublishedDifference::Extra { triple } => problem(
                None,
                format!("the published default graph holds {triple}, which no public graph states"),
            ),
        }
    })?;
    if differences > MAX_REPORTED_DIFFERENCES {
        problem(
            None,
            format!(
                "{} more differences between the default graph and the public graphs",
                differences - MAX_REPORTED_DIFFERENCES
            ),
        );
    }
    if let Some(search) = search {
        if search.is_stale() || !search.is_current(store)? {
            problem(
                None,
                "the search index is not in step with the store (a server rebuilds it at start)"
                    .to_owned(),
            );
        }
    }
    Ok(Summary {
        records: states.len() as u64,
        versions,
        events,
        quads,
        problems,
    })
}

/// Checks one record's versions and content; returns how many versions were hashed.
fn check_record(
    store: &Store,
    pusher: &Pusher,
    state: &RecordState,
    problem: &mut impl FnMut(Option<&NamedNode>, String),
) -> Result<u64, CheckError> {
    let root = &state.root;
    let versions = store.versions(root.as_ref())?;
    let numbers: Vec<u64> = versions.iter().map(|version| version.number).collect();
    let expected: Vec<u64> = (1..=state.latest).collect();
    if !versions.is_empty() && numbers != expected {
        problem(
            Some(root),
            format!(
                "versions are numbered {numbers:?}; the latest is {}, so 1 to {} were expected",
                state.latest, state.latest
            ),
        );
    }
    if let (Some(last), Some(hash)) = (versions.last(), &state.latest_hash) {
        if &last.hash != hash {
            problem(
                Some(root),
                format!(
                    "the system graph gives hash {hash} for the latest version, version {} has {}",
                    last.number, last.hash
                ),
            );
        }
    }
    let public = state.released.filter(|_| state.withdrawn.is_none());
    let mut hashed = 0;
    for version in &versions {
        let content = if public == Some(version.number) {
            store.record_graph_triples(state.id)?
        } else {
            store.version_graph_triples(state.id, version.number)?
        };
        if content.is_empty() {
            problem(
                Some(root),
                format!("the content of version {} is missing", version.number),
            );
            continue;
        }
        hashed += 1;
        match canonical_hash(&content) {
            Ok(hash) if hash == version.hash => {}
            Ok(hash) => problem(
                Some(root),
                format!(
                    "version {} hashes to {hash}, but {} was recorded when it was written",
                    version.number, version.hash
                ),
            ),
            Err(error) => problem(
                Some(root),
                format!("version {} cannot be hashed: {error}", version.number),
            ),
        }
    }
    let published = store.record_graph_triples(state.id)?;
    if public.is_none() && !published.is_empty() {
        problem(
            Some(root),
            format!(
                "the record graph holds {} triples, but the record is {}",
                published.len(),
                if state.withdrawn.is_some() {
                    "withdrawn"
                } else {
                    "not released"
                }
            ),
        );
    }
    if public.is_some() && !published.is_empty() {
        validate(pusher, state, published, problem)?;
    }
    Ok(hashed)
}

/// Validates a record's published content in context, as a push is.
fn validate(
    pusher: &Pusher,
    state: &RecordState,
    triples: Vec<oxigraph::model::Triple>,
    problem: &mut impl FnMut(Option<&NamedNode>, String),
) -> Result<(), CheckError> {
    let root = &state.root;
    let record = match Record::from_triples(triples) {
        Ok(record) => record,
        Err(error) => {
            problem(
                Some(root),
                format!("the published content is not a record: {error}"),
            );
            return Ok(());
        }
    };
    if record.root() != root.as_ref() {
        problem(
            Some(root),
            format!("the record graph's root is <{}>", record.root().as_str()),
        );
    }
    for report in pusher.validate(std::slice::from_ref(&record))? {
        for result in &report.report.results {
            if !result.severity.as_str().ends_with("#Violation") {
                continue;
            }
            let message = result
                .messages_by_language()
                .into_iter()
                .map(|(_, text)| text)
                .next()
                .unwrap_or_default();
            problem(
                Some(root),
                format!(
                    "violates the shapes at {} ({}): {message}",
                    crate::validate::term_text(&result.focus_node),
                    result.source_constraint_component.as_str()
                ),
            );
        }
    }
    Ok(())
}

/// Checks the event log against the records' states; returns how many events were read.
fn check_events(
    store: &Store,
    states: &[RecordState],
    problem: &mut impl FnMut(Option<&NamedNode>, String),
) -> Result<u64, CheckError> {
    let mut last: HashMap<NamedNode, (EventKind, u64)> = HashMap::new();
    let mut read = 0;
    for collection in Collection::ALL {
        let count = store.event_count(collection)?;
        let mut from = 0;
        while from < count {
            let (events, _) = store.events(collection, from, EVENT_BATCH)?;
            if events.is_empty() {
                break;
            }
            for (offset, entry) in events.iter().enumerate() {
                let expected = from + offset as u64;
                if entry.event.sequence != expected {
                    problem(
                        Some(&entry.event.root),
                        format!(
                            "event {} of the {} log is numbered {expected} in its place",
                            entry.event.sequence,
                            collection.slug()
                        ),
                    );
                }
                last.insert(
                    entry.event.root.clone(),
                    (entry.event.kind, entry.event.version),
                );
            }
            read += events.len() as u64;
            from += events.len() as u64;
        }
        if from < count {
            problem(
                None,
                format!(
                    "the {} log counts {count} events but only {from} can be read",
                    collection.slug()
                ),
            );
        }
    }
    for state in states {
        let root = &state.root;
        let logged = last.get(root).copied();
        match (state.withdrawn, state.released, logged) {
            (Some(_), _, Some((EventKind::Delete, _))) => {}
            (Some(_), Some(_), other) => problem(
                Some(root),
                format!("withdrawn, but its last event is {other:?}, not a delete"),
            ),
            (None, Some(released), Some((EventKind::Create | EventKind::Update, version)))
                if version == released => {}
            (None, Some(released), other) => problem(
                Some(root),
                format!("version {released} is public, but its last event is {other:?}"),
            ),
            (_, None, None | Some((EventKind::Delete, _))) => {}
            (_, None, Some(other)) => problem(
                Some(root),
                format!("never released, but the event log has {other:?}"),
            ),
        }
    }
    Ok(read)
}
