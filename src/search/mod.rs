//! Full-text search: a tantivy index of the published titles, descriptions and news texts, in
//! Dutch, ranked by BM25 and filterable by kind. No HTTP, and no Oxigraph: what to index comes
//! from the store through `queries/search-documents.rq` (`Store::select_with`).
//!
//! The same documents carry the dates and filter values of meetings, consultations and
//! proposals, so that the list pages take one page in date order from here
//! ([`SearchIndex::list`], [`SearchIndex::facet_values`]) instead of scanning the store.
//!
//! The index is **derived data**. It holds one document per searchable resource (consultation,
//! consultation report, citizens' proposal, meeting, agenda item, news item, titled document),
//! tagged with its record's id, and it is kept in step with the store record by record:
//! [`SearchIndex::refresh_records`] re-reads what the store publishes for those records, deletes
//! their old documents and adds the new ones in one commit. The callers (push, withdrawal, embargo
//! release, `agora load`) call it after the store's write has committed, never inside it, so a
//! failed index update cannot fail or undo a write: it is logged and the index marked stale.
//!
//! Every commit carries a payload: the index format and the store's [`ChangeMarker`] that the
//! index reflects. At startup [`SearchIndex::ensure_current`] compares that marker with the
//! store's and rebuilds the index from the store when they differ (or when the index is missing,
//! unreadable or of an older format), so a crash between a write and its index update, a failed
//! update or an offline load is repaired by the next start.

mod analyser;
mod documents;

use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxigraph::model::{Literal, NamedNode, Term};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
};
use uuid::Uuid;

pub use analyser::{analyser, terms};
pub use documents::{
    day_number, epoch_day, instant, strip_html, Answering, Facet, Kind, Listed, Reporting,
    SearchDocument,
};

use crate::model::GraphNames;
use crate::store::{ChangeMarker, QueryError, Store, StoreError};

/// The query that lists what the index holds.
const DOCUMENTS_QUERY: &str = include_str!("../../queries/search-documents.rq");

/// The version of the index's layout (schema, analysers, what is indexed). Raise it when any of
/// them changes: an index of another format is rebuilt at the next start.
const FORMAT: u32 = 4;

/// Memory the writer may use before it flushes a segment. Tantivy's floor is 15 MB per thread;
/// 50 MB keeps a full rebuild of a million-triple store in a few segments.
const WRITER_MEMORY: usize = 50_000_000;

/// The most hits one search returns, and how deep paging may go: bounds the work of a request.
pub const MAX_LIMIT: usize = 100;
/// See [`MAX_LIMIT`].
pub const MAX_OFFSET: usize = 10_000;

/// The length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// What went wrong in the search index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// Tantivy failed (disk, corrupt files, a writer lock held by another process).
    #[error("the search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder could not be opened or created.
    #[error("the search index folder {path} cannot be opened: {message}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The documents query failed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The writer's lock was poisoned by a panic during an earlier update.
    #[error("the search index writer is poisoned by an earlier panic; restart Agora")]
    Poisoned,
}

/// A search.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    /// What the user typed. Words are combined with AND; quotes make a phrase, `-word` excludes.
    pub text: &'a str,
    /// Only this kind, if given.
    pub kind: Option<Kind>,
    /// How many of the best hits to skip (paging), at most [`MAX_OFFSET`].
    pub offset: usize,
    /// How many hits to return, at most [`MAX_LIMIT`].
    pub limit: usize,
}

/// The answer to a search.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// How many documents match (of the requested kind).
    pub total: usize,
    /// How many documents of each kind match, whatever the kind filter (for the filter's labels).
    pub per_kind: Vec<(Kind, usize)>,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
}

/// One matching resource.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The resource's IRI.
    pub iri: String,
    /// What it is.
    pub kind: Kind,
    /// Its Dutch title.
    pub title_nl: String,
    /// Its English title (empty if none).
    pub title_en: String,
    /// Its date as written in the data, if any.
    pub date: Option<String>,
    /// The BM25 score.
    pub score: f32,
    /// A passage of its text around the matches.
    pub snippet: Snippet,
}

/// A passage of text with the byte ranges that matched the query. Plain text: whoever shows it
/// escapes it (the web layer escapes the text and marks the ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` that matched, in order, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

/// One page of a list ordered by date (the meetings by start, the proposals by submission, the
/// open consultations by closing, the late proposals and overdue reports by how late they are),
/// answered from the index: its cost grows with the page asked for, not with the store, where
/// the same list from SPARQL scans and sorts every resource of the kind.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// Resources of this kind (only meetings, consultations and proposals carry list dates).
    pub kind: Kind,
    /// In this order.
    pub order: ListOrder,
    /// Only those that last until this `yyyymmdd` or later ([`Listed::until_day`]: a meeting
    /// on or after it, a consultation closing on or after it).
    pub from_day: Option<i64>,
    /// Only those that start on this `yyyymmdd` or earlier ([`Listed::day`]).
    pub to_day: Option<i64>,
    /// Only those with each of these filter values (IRIs).
    pub facets: Vec<(Facet, String)>,
    /// Only consultations with a status, a level and an organiser ([`Listed::complete`]).
    pub complete: bool,
    /// Only consultations open at this instant (seconds since the epoch): opened at or before
    /// it and closing after it.
    pub open_at: Option<i64>,
    /// How many entries to skip.
    pub offset: usize,
    /// How many entries to return.
    pub limit: usize,
}

impl ListRequest {
    /// Every resource of `kind` in `order`, no filter, no page yet.
    pub fn of(kind: Kind, order: ListOrder) -> Self {
        Self {
            kind,
            order,
            from_day: None,
            to_day: None,
            facets: Vec::new(),
            complete: false,
            open_at: None,
            offset: 0,
            limit: 0,
        }
    }
}

/// The orders of [`ListRequest`]; ties are broken by IRI, as the list queries do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Latest [`Listed::when`] first (`ORDER BY DESC(?start) ?meeting`, `ORDER BY
    /// DESC(?submitted) ?proposal`).
    NewestFirst,
    /// Soonest [`Listed::closes`] first (`ORDER BY ?closes ?consultation`).
    ClosingFirst,
    /// What is late at the instant `now`, most days late first, ties by IRI; the request's
    /// other filters do not apply. Days are counted to today's date in UTC, as the queries
    /// count them from `NOW()`.
    ///
    /// For [`Kind::Proposal`], the citizens' proposals not answered within their term, as
    /// `queries/late-proposals.rq` lists them: those answered after their term, late by a
    /// fixed number of days, and those still unanswered past it, late by a number that grows
    /// each day. For [`Kind::Consultation`], the consultations closed before `now` whose report
    /// was due before today and is not published, as `queries/late-reports.rq` lists them.
    MostOverdueFirst {
        /// Seconds since the epoch.
        now: i64,
    },
}

/// The answer to a [`ListRequest`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// How many resources the list holds in all.
    pub total: usize,
    /// The entries asked for, in order.
    pub entries: Vec<ListEntry>,
}

/// One entry of a [`Listing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The resource's IRI.
    pub iri: String,
    /// Its date as written: a meeting's start, a proposal's submission, a consultation's
    /// opening; a late proposal's answer term, the due date of a consultation's overdue report.
    pub date: Option<String>,
    /// A consultation's closing as written.
    pub closes: Option<String>,
    /// A late proposal's first answer as written, if it has one.
    pub answered: Option<String>,
    /// How many days late a late proposal (answered, or unanswered until today) or an overdue
    /// report (until today) is.
    pub days_late: Option<i64>,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct RebuildReport {
    /// Documents in the new index.
    pub documents: usize,
    /// How long it took.
    pub elapsed: Duration,
}

/// The search index: a cheap, cloneable handle, `Send + Sync`.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    /// Updates are serialised: each re-reads the store under this lock, so the last update of a
    /// record always reflects the store's latest state, whatever order writers finish in.
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    stale: AtomicBool,
}

#[derive(Clone, Copy)]
struct Fields {
    iri: Field,
    record: Field,
    kind: Field,
    title_nl: Field,
    title_en: Field,
    text_nl: Field,
    text_en: Field,
    date: Field,
    when: Field,
    day: Field,
    until_day: Field,
    closes: Field,
    closes_text: Field,
    complete: Field,
    facets: [Field; 4],
    due_text: Field,
    answered_text: Field,
    answered_late: Field,
    unanswered_due: Field,
    report_due_text: Field,
    unreported_due: Field,
    report_closes: Field,
    about: Field,
}

impl Fields {
    fn facet(&self, facet: Facet) -> Field {
        self.facets[facet as usize]
    }
}

/// The names of the fast fields the lists are ordered by.
const WHEN: &str = "when";
const CLOSES: &str = "closes";
const ANSWERED_LATE: &str = "answered_late";
const UNANSWERED_DUE: &str = "unanswered_due";
const UNREPORTED_DUE: &str = "unreported_due";

/// What a commit records about the index.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    format: u32,
    marker: ChangeMarker,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyser: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyser)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        iri: builder.add_text_field("iri", STRING | STORED),
        record: builder.add_text_field("record", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        title_nl: builder.add_text_field("title_nl", text(analyser::DUTCH, true)),
        title_en: builder.add_text_field("title_en", text(analyser::ENGLISH, true)),
        text_nl: builder.add_text_field("text", text(analyser::DUTCH, true)),
        text_en: builder.add_text_field("text_en", text(analyser::ENGLISH, false)),
        date: builder.add_text_field("date", STORED),
        when: builder.add_i64_field(WHEN, INDEXED | FAST),
        day: builder.add_i64_field("day", INDEXED),
        until_day: builder.add_i64_field("until_day", INDEXED),
        closes: builder.add_i64_field(CLOSES, INDEXED | FAST),
        closes_text: builder.add_text_field("closes_text", STORED),
        complete: builder.add_u64_field("complete", INDEXED),
        facets: Facet::ALL.map(|facet| builder.add_text_field(facet.code(), STRING)),
        due_text: builder.add_text_field("due_text", STORED),
        answered_text: builder.add_text_field("answered_text", STORED),
        answered_late: builder.add_i64_field(ANSWERED_LATE, INDEXED | FAST),
        unanswered_due: builder.add_i64_field(UNANSWERED_DUE, INDEXED | FAST),
        report_due_text: builder.add_text_field("report_due_text", STORED),
        unreported_due: builder.add_i64_field(UNREPORTED_DUE, INDEXED | FAST),
        report_closes: builder.add_i64_field("report_closes", INDEXED),
        about: builder.add_text_field("about", STRING | STORED),
    };
    (builder.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `folder` (created if missing). An index that cannot be read with
    /// today's schema is deleted and created empty; [`SearchIndex::ensure_current`] then fills it.
    pub fn open(folder: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let folder_error = |error: &dyn std::fmt::Display| SearchError::Folder {
            path: folder.to_owned(),
            message: error.to_string(),
        };
        std::fs::create_dir_all(folder).map_err(|error| folder_error(&error))?;
        let open = || -> Result<Index, tantivy::TantivyError> {
            let directory = MmapDirectory::open(folder)
                .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
            Index::open_or_create(directory, schema.clone())
        };
        let index = match open() {
            Ok(index) => index,
            Err(error) => {
                tracing::warn!(
                    folder = %folder.display(),
                    error = %error,
                    "the search index cannot be opened; it is created anew and rebuilt"
                );
                std::fs::remove_dir_all(folder).map_err(|error| folder_error(&error))?;
                std::fs::create_dir_all(folder).map_err(|error| folder_error(&error))?;
                open()?
            }
        };
        Self::from_index(index, fields)
    }

    /// A fresh, empty index in memory (for `--memory` and tests).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        analyser::register(index.tokenizers());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            inner: Arc::new(Inner {
                index,
                reader,
                writer: Mutex::new(writer),
                fields,
                stale: AtomicBool::new(false),
            }),
        })
    }

    /// How many documents the index holds.
    pub fn document_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Whether an update failed since the last rebuild: the index may miss changes.
    pub fn is_stale(&self) -> bool {
        self.inner.stale.load(Ordering::Relaxed)
    }

    /// Whether the index reflects the store as it is now (same format, same change marker).
    pub fn is_current(&self, store: &Store) -> Result<bool, SearchError> {
        let payload = self
            .inner
            .index
            .load_metas()?
            .payload
            .and_then(|text| serde_json::from_str::<Payload>(&text).ok());
        Ok(payload
            == Some(Payload {
                format: FORMAT,
                marker: store.change_marker()?,
            }))
    }

    /// Rebuilds the index from the store unless it is current; says what a rebuild did.
    pub fn ensure_current(&self, store: &Store) -> Result<Option<RebuildReport>, SearchError> {
        if self.is_current(store)? && !self.is_stale() {
            return Ok(None);
        }
        self.rebuild(store).map(Some)
    }

    /// Replaces every document with what the store publishes now.
    pub fn rebuild(&self, store: &Store) -> Result<RebuildReport, SearchError> {
        let started = Instant::now();
        let mut writer = self.lock_writer()?;
        // Read the marker before the data: a write that lands in between moves the store past
        // the marker, so the index never claims to reflect more than it does.
        let marker = store.change_marker()?;
        let documents = read_documents(store, None)?;
        writer.delete_all_documents()?;
        for document in &documents {
            writer.add_document(self.tantivy_document(document))?;
        }
        self.commit(&mut writer, marker)?;
        self.inner.stale.store(false, Ordering::Relaxed);
        Ok(RebuildReport {
            documents: documents.len(),
            elapsed: started.elapsed(),
        })
    }

    /// Replaces the documents of the records `ids` with what the store publishes for them now
    /// (nothing, for a withdrawn record); returns how many documents they have now.
    pub fn refresh_records(&self, store: &Store, ids: &[Uuid]) -> Result<usize, SearchError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut writer = self.lock_writer()?;
        let marker = store.change_marker()?;
        let mut added = 0;
        // A consultation's document says whether a report about it is published, a fact of the
        // report's record: the consultations a changed report was about, before and after the
        // change, are refreshed after it (the report's write has committed: they see it).
        let mut refreshed: Vec<Uuid> = ids.to_vec();
        let mut reported_on = Vec::new();
        let mut next = 0;
        while next < refreshed.len() {
            let id = refreshed[next];
            next += 1;
            let record = tantivy::Term::from_field_text(self.inner.fields.record, &id.to_string());
            reported_on.extend(self.about(&record)?);
            let documents = read_documents(store, Some(id))?;
            writer.delete_term(record);
            for document in &documents {
                reported_on.extend(document.about.iter().cloned());
                writer.add_document(self.tantivy_document(document))?;
            }
            added += documents.len();
            for consultation in reported_on.drain(..) {
                let Ok(consultation) = NamedNode::new(consultation) else {
                    continue;
                };
                let consultation = GraphNames::record_id(consultation.as_ref());
                if !refreshed.contains(&consultation) {
                    refreshed.push(consultation);
                }
            }
        }
        self.commit(&mut writer, marker)?;
        Ok(added)
    }

    /// [`SearchIndex::refresh_records`] for callers whose own work has already succeeded (a
    /// write, a release): a failure is logged and marks the index stale, to be rebuilt by the
    /// periodic check or the next start, and is not passed on.
    pub fn refresh_or_mark_stale(&self, store: &Store, ids: &[Uuid]) {
        if let Err(error) = self.refresh_records(store, ids) {
            self.inner.stale.store(true, Ordering::Relaxed);
            tracing::error!(
                error = %error,
                records = ids.len(),
                "updating the search index failed; it is marked stale and will be rebuilt"
            );
        }
    }

    /// Marks the index stale (for callers that could not even try an update).
    pub fn mark_stale(&self) {
        self.inner.stale.store(true, Ordering::Relaxed);
    }

    /// Runs a search: BM25 over titles (weighted up) and texts, words combined with AND.
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<SearchResults, SearchError> {
        let text = request.text.trim();
        if text.is_empty() {
            return Ok(SearchResults::default());
        }
        let fields = self.inner.fields;
        let mut parser = QueryParser::for_index(
            &self.inner.index,
            vec![
                fields.title_nl,
                fields.title_en,
                fields.text_nl,
                fields.text_en,
            ],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title_nl, 3.0);
        parser.set_field_boost(fields.title_en, 2.0);
        parser.set_field_boost(fields.text_en, 0.7);
        // Lenient: what people type is not query syntax; a stray quote or colon is ignored
        // instead of refused.
        let (matching, _errors) = parser.parse_query_lenient(text);
        let searcher = self.inner.reader.searcher();
        let of_kind = |kind: Kind| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, matching.box_clone()),
                (Occur::Must, kind_query(fields.kind, kind)),
            ]))
        };
        let mut per_kind = Vec::new();
        for kind in Kind::ALL {
            let count = searcher.search(&*of_kind(kind), &Count)?;
            if count > 0 {
                per_kind.push((kind, count));
            }
        }
        let query = match request.kind {
            Some(kind) => of_kind(kind),
            None => matching.box_clone(),
        };
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let offset = request.offset.min(MAX_OFFSET);
        let (top, total) = searcher.search(
            &*query,
            &(TopDocs::with_limit(limit).and_offset(offset), Count),
        )?;
        let mut snippets = SnippetGenerator::create(&searcher, &*query, fields.text_nl)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str().map(str::to_owned))
            };
            let Some(kind) = text(fields.kind).as_deref().and_then(Kind::from_code) else {
                continue;
            };
            let found = snippets.snippet_from_doc(&document);
            let snippet = if found.highlighted().is_empty() {
                Snippet {
                    text: opening(&text(fields.text_nl).unwrap_or_default(), SNIPPET_CHARS),
                    highlights: Vec::new(),
                }
            } else {
                Snippet {
                    text: found.fragment().to_owned(),
                    highlights: found.highlighted().to_vec(),
                }
            };
            hits.push(Hit {
                iri: text(fields.iri).unwrap_or_default(),
                kind,
                title_nl: text(fields.title_nl).unwrap_or_default(),
                title_en: text(fields.title_en).unwrap_or_default(),
                date: text(fields.date),
                score,
                snippet,
            });
        }
        Ok(SearchResults {
            total,
            per_kind,
            hits,
        })
    }

    /// What the committed report documents of a record (`record`: a term of the record field)
    /// report on.
    fn about(&self, record: &tantivy::Term) -> Result<Vec<String>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(record.clone(), IndexRecordOption::Basic))
                    as Box<dyn Query>,
            ),
            (
                Occur::Must,
                kind_query(self.inner.fields.kind, Kind::Report),
            ),
        ]);
        let mut about = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let document: TantivyDocument = searcher.doc(address)?;
            about.extend(
                document
                    .get_all(self.inner.fields.about)
                    .filter_map(|value| value.as_str().map(str::to_owned)),
            );
        }
        Ok(about)
    }

    /// One page of a list ordered by date: see [`ListRequest`].
    pub fn list(&self, request: &ListRequest) -> Result<Listing, SearchError> {
        let fields = self.inner.fields;
        let (sort_field, sort_name, order) = match request.order {
            ListOrder::NewestFirst => (fields.when, WHEN, Order::Desc),
            ListOrder::ClosingFirst => (fields.closes, CLOSES, Order::Asc),
            ListOrder::MostOverdueFirst { now } => return self.overdue(request, now),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, kind_query(fields.kind, request.kind)),
            // Only resources that have the value they are ordered by.
            (
                Occur::Must,
                range(sort_field, Bound::Unbounded, Bound::Unbounded),
            ),
        ];
        if let Some(from) = request.from_day {
            clauses.push((
                Occur::Must,
                range(fields.until_day, Bound::Included(from), Bound::Unbounded),
            ));
        }
        if let Some(to) = request.to_day {
            clauses.push((
                Occur::Must,
                range(fields.day, Bound::Unbounded, Bound::Included(to)),
            ));
        }
        for (facet, value) in &request.facets {
            clauses.push((Occur::Must, term_query(fields.facet(*facet), value)));
        }
        if request.complete {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    tantivy::Term::from_field_u64(fields.complete, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(at) = request.open_at {
            clauses.push((
                Occur::Must,
                range(fields.when, Bound::Unbounded, Bound::Included(at)),
            ));
            clauses.push((
                Occur::Must,
                range(fields.closes, Bound::Excluded(at), Bound::Unbounded),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.inner.reader.searcher();
        // Counted first, so that a page past the end (any number a URL holds) costs nothing:
        // the top-k collector allocates for all it is asked for.
        let total = searcher.search(&query, &Count)?;
        if request.offset >= total || request.limit == 0 {
            return Ok(Listing {
                total,
                entries: Vec::new(),
            });
        }
        let wanted = request.offset.saturating_add(request.limit).min(total);
        let mut candidates: Vec<(i64, DocAddress)> = searcher.search(
            &query,
            &TopDocs::with_limit(wanted).order_by_fast_field::<i64>(sort_name, order.clone()),
        )?;
        // Everything ordered before the last value taken is among the candidates; resources
        // sharing that value may not all be, and the IRI decides their order: take them all.
        if candidates.len() == wanted && total > wanted {
            let boundary = candidates.last().map_or(0, |(value, _)| *value);
            candidates.retain(|(value, _)| *value != boundary);
            let equal = BooleanQuery::new(vec![
                (Occur::Must, Box::new(query.clone()) as Box<dyn Query>),
                (
                    Occur::Must,
                    range(
                        sort_field,
                        Bound::Included(boundary),
                        Bound::Included(boundary),
                    ),
                ),
            ]);
            let equals = searcher.search(&equal, &DocSetCollector)?;
            candidates.extend(equals.into_iter().map(|address| (boundary, address)));
        }
        // A key that sorts ascending in the list's order (`!value` reverses the order and,
        // unlike `-value`, cannot overflow: a pushed date can be any instant).
        let ascending = |value: i64| match order {
            Order::Asc => value,
            Order::Desc => !value,
        };
        let mut candidates: Vec<(i64, DocAddress)> = candidates
            .into_iter()
            .map(|(value, address)| (ascending(value), address))
            .collect();
        candidates.sort_by_key(|(key, _)| *key);
        let entries = page_around(&searcher, &candidates, request, |_, document| {
            let text = |field: Field| stored_text(document, field);
            ListEntry {
                iri: text(fields.iri).unwrap_or_default(),
                date: text(fields.date),
                closes: text(fields.closes_text),
                answered: None,
                days_late: None,
            }
        })?;
        Ok(Listing { total, entries })
    }

    /// What is late: see [`ListOrder::MostOverdueFirst`].
    fn overdue(&self, request: &ListRequest, now: i64) -> Result<Listing, SearchError> {
        let fields = self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let today = now.div_euclid(86_400);
        let of_kind = |clauses: Vec<Box<dyn Query>>| {
            let mut all = vec![(Occur::Must, kind_query(fields.kind, request.kind))];
            all.extend(clauses.into_iter().map(|clause| (Occur::Must, clause)));
            BooleanQuery::new(all)
        };
        let before_today = |field: Field| range(field, Bound::Unbounded, Bound::Excluded(today));
        // Each late resource's days late, read from the fast fields (a number per late
        // resource, no document); the key reverses the days, for most days late first.
        let late_from_due =
            |(due, address): (i64, DocAddress)| (!today.saturating_sub(due), address);
        let mut candidates: Vec<(i64, DocAddress)> = match request.kind {
            Kind::Consultation => {
                // Closed, with the report due before today and none published.
                let unreported = of_kind(vec![
                    before_today(fields.unreported_due),
                    range(fields.report_closes, Bound::Unbounded, Bound::Excluded(now)),
                ]);
                all_by_fast_field(&searcher, &unreported, UNREPORTED_DUE)?
                    .into_iter()
                    .map(late_from_due)
                    .collect()
            }
            _ => {
                // Answered after the term: late by a fixed number of days. Unanswered with
                // the term before today: late by today minus the term.
                let answered_late = of_kind(vec![range(
                    fields.answered_late,
                    Bound::Included(1),
                    Bound::Unbounded,
                )]);
                let unanswered = of_kind(vec![before_today(fields.unanswered_due)]);
                let answered = all_by_fast_field(&searcher, &answered_late, ANSWERED_LATE)?
                    .into_iter()
                    .map(|(days, address)| (!days, address));
                let unanswered = all_by_fast_field(&searcher, &unanswered, UNANSWERED_DUE)?
                    .into_iter()
                    .map(late_from_due);
                answered.chain(unanswered).collect()
            }
        };
        candidates.sort_by_key(|(key, _)| *key);
        let total = candidates.len();
        let entries = page_around(&searcher, &candidates, request, |key, document| {
            let text = |field: Field| stored_text(document, field);
            let due = match request.kind {
                Kind::Consultation => fields.report_due_text,
                _ => fields.due_text,
            };
            ListEntry {
                iri: text(fields.iri).unwrap_or_default(),
                date: text(due),
                closes: None,
                answered: text(fields.answered_text),
                days_late: Some(!key),
            }
        })?;
        Ok(Listing { total, entries })
    }

    /// The values of `facet` that some resource of `kind` has now, sorted: the choices of the
    /// consultations page's filters, read from the term dictionary (a value whose resources
    /// were all deleted since the last merge is still there, so each is counted first).
    pub fn facet_values(&self, kind: Kind, facet: Facet) -> Result<Vec<String>, SearchError> {
        let fields = self.inner.fields;
        let field = fields.facet(facet);
        let searcher = self.inner.reader.searcher();
        let mut values = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(field)?;
            let mut terms = index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                if let Ok(value) = std::str::from_utf8(terms.key()) {
                    values.insert(value.to_owned());
                }
            }
        }
        let mut alive = Vec::with_capacity(values.len());
        for value in values {
            let query = BooleanQuery::new(vec![
                (Occur::Must, kind_query(fields.kind, kind)),
                (Occur::Must, term_query(field, &value)),
            ]);
            if searcher.search(&query, &Count)? > 0 {
                alive.push(value);
            }
        }
        Ok(alive)
    }

    fn lock_writer(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>>, SearchError> {
        self.inner.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    fn commit(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        marker: ChangeMarker,
    ) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            format: FORMAT,
            marker,
        })
        .map_err(|error| tantivy::TantivyError::InternalError(error.to_string()))?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // Reload now, so that a search that starts after this update returns sees it.
        self.inner.reader.reload()?;
        Ok(())
    }

    fn tantivy_document(&self, document: &SearchDocument) -> TantivyDocument {
        let fields = self.inner.fields;
        let mut indexed = TantivyDocument::default();
        indexed.add_text(fields.iri, &document.iri);
        indexed.add_text(fields.record, document.record.to_string());
        indexed.add_text(fields.kind, document.kind.code());
        indexed.add_text(fields.title_nl, &document.title_nl);
        if !document.title_en.is_empty() {
            indexed.add_text(fields.title_en, &document.title_en);
        }
        if !document.text_nl.is_empty() {
            indexed.add_text(fields.text_nl, &document.text_nl);
        }
        if !document.text_en.is_empty() {
            indexed.add_text(fields.text_en, &document.text_en);
        }
        if let Some(date) = &document.date {
            indexed.add_text(fields.date, date);
        }
        if let Some(listed) = &document.listed {
            indexed.add_i64(fields.when, listed.when);
            indexed.add_i64(fields.day, listed.day);
            indexed.add_i64(fields.until_day, listed.until_day);
            if let Some((closes, written)) = &listed.closes {
                indexed.add_i64(fields.closes, *closes);
                indexed.add_text(fields.closes_text, written);
            }
            indexed.add_u64(fields.complete, u64::from(listed.complete));
            for (facet, value) in &listed.facets {
                indexed.add_text(fields.facet(*facet), value);
            }
        }
        if let Some(answering) = &document.answering {
            indexed.add_text(fields.due_text, &answering.due.0);
            if let Some((written, _)) = &answering.answered {
                indexed.add_text(fields.answered_text, written);
            }
            if let Some(late) = answering.answered_late() {
                indexed.add_i64(fields.answered_late, late);
            }
            if let Some(due) = answering.unanswered_due() {
                indexed.add_i64(fields.unanswered_due, due);
            }
        }
        if let Some(reporting) = &document.reporting {
            indexed.add_text(fields.report_due_text, &reporting.due.0);
            indexed.add_i64(fields.report_closes, reporting.closes);
            if !reporting.reported {
                indexed.add_i64(fields.unreported_due, reporting.due.1);
            }
        }
        for consultation in &document.about {
            indexed.add_text(fields.about, consultation);
        }
        indexed
    }
}

/// The entries `request.offset..request.offset + request.limit` of a list whose `candidates`
/// are sorted by their key (ascending in the list's order; equal keys go by IRI), made by `entry`
/// from the key and the stored document. Documents are read only around the page: from the
/// first candidate sharing the page's first key to the last sharing its last key.
fn page_around(
    searcher: &Searcher,
    candidates: &[(i64, DocAddress)],
    request: &ListRequest,
    entry: impl Fn(i64, &TantivyDocument) -> ListEntry,
) -> Result<Vec<ListEntry>, SearchError> {
    let start = request.offset.min(candidates.len());
    let end = request
        .offset
        .saturating_add(request.limit)
        .min(candidates.len());
    if start == end {
        return Ok(Vec::new());
    }
    let first = candidates[start].0;
    let last = candidates[end - 1].0;
    let around_start = candidates[..start]
        .iter()
        .rposition(|(key, _)| *key != first)
        .map_or(0, |position| position + 1);
    let around_end = candidates[end..]
        .iter()
        .position(|(key, _)| *key != last)
        .map_or(candidates.len(), |position| end + position);
    let mut around = Vec::with_capacity(around_end - around_start);
    for (key, address) in &candidates[around_start..around_end] {
        let document: TantivyDocument = searcher.doc(*address)?;
        around.push((*key, entry(*key, &document)));
    }
    around
        .sort_by(|(a, a_entry), (b, b_entry)| a.cmp(b).then_with(|| a_entry.iri.cmp(&b_entry.iri)));
    Ok(around
        .into_iter()
        .skip(start - around_start)
        .take(end - start)
        .map(|(_, entry)| entry)
        .collect())
}

/// Every document `query` finds, with its value of the i64 fast field `name`.
fn all_by_fast_field(
    searcher: &Searcher,
    query: &dyn Query,
    name: &str,
) -> Result<Vec<(i64, DocAddress)>, SearchError> {
    let count = searcher.search(query, &Count)?;
    if count == 0 {
        return Ok(Vec::new());
    }
    Ok(searcher.search(
        query,
        &TopDocs::with_limit(count).order_by_fast_field::<i64>(name, Order::Asc),
    )?)
}

/// The first text value of `field` in a stored document.
fn stored_text(document: &TantivyDocument, field: Field) -> Option<String> {
    document
        .get_first(field)
        .and_then(|value| value.as_str().map(str::to_owned))
}

/// Resources of `kind`.
fn kind_query(field: Field, kind: Kind) -> Box<dyn Query> {
    term_query(field, kind.code())
}

/// Resources with `value` in the untokenised `field`.
fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        tantivy::Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Resources whose i64 `field` lies between `lower` and `upper`.
fn range(field: Field, lower: Bound<i64>, upper: Bound<i64>) -> Box<dyn Query> {
    let term = |value: i64| tantivy::Term::from_field_i64(field, value);
    // An unbounded side still needs the field, so that the query knows which it ranges over.
    let lower = match lower {
        Bound::Unbounded => Bound::Included(term(i64::MIN)),
        bound => bound.map(term),
    };
    let upper = match upper {
        Bound::Unbounded => Bound::Included(term(i64::MAX)),
        bound => bound.map(term),
    };
    Box::new(RangeQuery::new(lower, upper))
}

/// The documents of one record (`Some(id)`) or of every record, as the store publishes them.
fn read_documents(store: &Store, record: Option<Uuid>) -> Result<Vec<SearchDocument>, SearchError> {
    let names = store.graph_names();
    let mut parameters: Vec<(&str, Term)> = vec![(
        "prefix",
        Literal::new_simple_literal(names.record_prefix()).into(),
    )];
    if let Some(id) = record {
        let graph: NamedNode = names.record_graph_of(id);
        parameters.push(("graph", graph.into()));
    }
    let rows = store.select_with(DOCUMENTS_QUERY, &parameters, Default::default())?;
    Ok(documents::from_rows(&rows, names))
}

/// The first words of `text`, at most about `max_chars` characters, cut at a word boundary.
fn opening(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let kept = cut.rsplit_once(' ').map_or(cut.as_str(), |(kept, _)| kept);
    format!("{kept} …")
}

#[cfg(test)]
mod tests;
