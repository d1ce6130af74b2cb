//! A push as the write API sees it, without HTTP: parse the body into records, validate each in
//! context, and write them all in one transaction, or refuse with a reason.
//!
//! Validation in context: a record is validated together with the reference data (code lists,
//! ontology), the other records of the same batch, and what the store already publishes about
//! the resources it points at (`Store::context_for`). So a decision that points at a stored
//! meeting is valid, and one that points at a meeting that exists nowhere is reported.
//!
//! After a write or a withdrawal has committed, the search index (if the pusher has one) is
//! brought in step with the records it changed; a failure there is logged and never undoes or
//! fails the write (see `search`).

use std::sync::Arc;

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedNodeRef, Triple};

use crate::ingest::{parse_records, IngestError};
use crate::model::Record;
use crate::search::SearchIndex;
use crate::store::{
    Precondition, PrepareError, PutOutcome, RecordState, RecordWrite, Store, StoreError,
    WriteError, WriteReceipt,
};
use crate::validate::{ContextGraph, DataGraph, Shapes, ValidateError, ValidationReport};

/// The validation report of one record.
#[derive(Debug, Clone)]
pub struct RecordReport {
    /// The record's root.
    pub root: NamedNode,
    /// What the shapes found.
    pub report: ValidationReport,
}

/// Why a push was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The body does not parse, or is not a set of records.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The body holds no record.
    #[error("the body holds no record")]
    Empty,
    /// Some record violates the shapes.
    #[error("{} record(s) violate the shapes", .0.iter().filter(|r| r.report.violation_count() > 0).count())]
    Invalid(Vec<RecordReport>),
    /// A record cannot be hashed or has a bad publication time.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// The store refused the write (holder, precondition, claims).
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Validation could not run.
    #[error(transparent)]
    Validate(#[from] ValidateError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Validates and writes records. Cheap to clone.
#[derive(Clone)]
pub struct Pusher {
    store: Store,
    shapes: Arc<Shapes>,
    reference: ContextGraph,
    search: Option<SearchIndex>,
}

impl Pusher {
    /// A pusher over `store`, checking against `shapes` with `reference` (code lists, ontology)
    /// as context (interned once, shared by every validation).
    pub fn new(store: Store, shapes: Shapes, reference: Vec<Triple>) -> Self {
        Self {
            store,
            shapes: Arc::new(shapes),
            reference: ContextGraph::new(&reference),
            search: None,
        }
    }

    /// The same pusher, keeping `search` in step with every write and withdrawal.
    pub fn with_search(self, search: SearchIndex) -> Self {
        Self {
            search: Some(search),
            ..self
        }
    }

    /// Parses a body: one record for triple formats, one per named graph for datasets (a batch).
    pub fn parse(&self, body: &[u8], format: RdfFormat) -> Result<Vec<Record>, PushError> {
        let records = parse_records(body, format, "the request body")?;
        if records.is_empty() {
            return Err(PushError::Empty);
        }
        Ok(records)
    }

    /// Validates each record in context; the reports come back in the records' order.
    pub fn validate(&self, records: &[Record]) -> Result<Vec<RecordReport>, PushError> {
        let all: Vec<&Record> = records.iter().collect();
        let stored = self.store.context_for(&all)?;
        let mut reports = Vec::with_capacity(records.len());
        for (index, record) in records.iter().enumerate() {
            let mut graph = DataGraph::with_context(&self.reference);
            graph.extend(record.triples());
            graph.add_context(stored.iter());
            for (other_index, other) in records.iter().enumerate() {
                if other_index != index {
                    graph.add_context(other.triples());
                }
            }
            reports.push(RecordReport {
                root: record.root().into_owned(),
                report: self.shapes.validate(&graph)?,
            });
        }
        Ok(reports)
    }

    /// Validates and writes `records` for `holder`, all or nothing. `precondition` applies to
    /// a single record.
    pub fn push(
        &self,
        holder: &str,
        records: Vec<Record>,
        precondition: Precondition,
    ) -> Result<Vec<WriteReceipt>, PushError> {
        let reports = self.validate(&records)?;
        if reports
            .iter()
            .any(|report| report.report.violation_count() > 0)
        {
            return Err(PushError::Invalid(reports));
        }
        let writes = records
            .into_iter()
            .map(RecordWrite::prepare)
            .collect::<Result<Vec<_>, _>>()?;
        let receipts = self.store.write(holder, &writes, precondition)?;
        let changed: Vec<_> = receipts
            .iter()
            .filter(|receipt| receipt.outcome != PutOutcome::Unchanged)
            .map(|receipt| receipt.id)
            .collect();
        self.refresh_search(&changed);
        Ok(receipts)
    }

    /// Withdraws the record whose root is `root` for `holder` (see `Store::withdraw`).
    pub fn withdraw(
        &self,
        holder: &str,
        root: NamedNodeRef<'_>,
        reason: &str,
    ) -> Result<RecordState, WriteError> {
        let state = self.store.withdraw(holder, root, reason)?;
        self.refresh_search(&[state.id]);
        Ok(state)
    }

    /// Brings the search index in step with these records, after their write committed.
    fn refresh_search(&self, ids: &[uuid::Uuid]) {
        if let Some(search) = &self.search {
            search.refresh_or_mark_stale(&self.store, ids);
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
}
