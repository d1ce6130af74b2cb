//! The harvest client: mirrors another Agora's LDES streams into a local store (`agora harvest`).
//!
//! For each collection it walks the source's stream page by page (`{source}/ldes/{collection}/{n}`,
//! as N-Quads), applies each member in order (a create or update writes the member's named graph
//! as the record's new content; a delete withdraws the record) and records its position in a
//! small state file after every member. After an interruption it resumes from that position;
//! the member that was being applied may be applied twice, which is harmless: writing identical
//! content makes no new version, and withdrawing a withdrawn record is skipped.
//!
//! The mirror keeps its own history: its versions are the times it harvested, not the source's.
//!
//! Reading and writing overlap: while the members of one page are written (on Tokio's blocking
//! pool, since store writes block), the next page is already being fetched and parsed. Each
//! member stays its own transaction: measured on 1 M triples, batching a page's members into one
//! transaction was no faster (the cost is RocksDB's memtable inserts, not the commits).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use serde::{Deserialize, Serialize};

use crate::model::{Collection, Record, RecordError};
use crate::store::{Precondition, RecordWrite, Store, WriteError};

const TREE_MEMBER: &str = "https://w3id.org/tree#member";
const TREE_RELATION: &str = "https://w3id.org/tree#relation";
const TREE_NODE: &str = "https://w3id.org/tree#node";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const AS_DELETE: &str = "https://www.w3.org/ns/activitystreams#Delete";
const AS_SUMMARY: &str = "https://www.w3.org/ns/activitystreams#summary";
const IS_VERSION_OF: &str = "http://purl.org/dc/terms/isVersionOf";

/// Where a harvest stands in each stream: the page to read and how many of its members were
/// applied. Kept as JSON next to the mirrored data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct HarvestState {
    /// Per stream URL: (page URL, members of it already applied).
    pub streams: BTreeMap<String, Position>,
}

/// A position in one stream.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Position {
    /// The page being read.
    pub page: String,
    /// Members of that page already applied.
    pub applied: usize,
}

/// What one pass over the streams did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pages fetched.
    pub pages: u64,
    /// Creates and updates applied.
    pub written: u64,
    /// Deletes applied.
    pub withdrawn: u64,
}

/// Why a harvest stopped.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// The source could not be reached or answered an error.
    #[error("while fetching {url}: {source}")]
    Http {
        /// The URL.
        url: String,
        /// The cause.
        source: reqwest::Error,
    },
    /// A page is not valid N-Quads.
    #[error("the page {url} is not valid N-Quads: {message}")]
    Syntax {
        /// The URL.
        url: String,
        /// The parser's message.
        message: String,
    },
    /// A member is not a record Agora can store.
    #[error("the member <{member}> is not a record: {source}")]
    Record {
        /// The member IRI.
        member: String,
        /// The cause.
        source: RecordError,
    },
    /// The local store refused a write.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A background task of the harvest failed (a panic while writing, or a cancelled fetch).
    #[error("a harvest task failed: {0}")]
    Task(String),
    /// The state file could not be read or written.
    #[error("the harvest state {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Mirrors a source Agora into a store.
pub struct Harvester {
    client: reqwest::Client,
    mirror: Mirror,
}

/// The writing side of a harvest: the local store and the state file.
#[derive(Clone)]
struct Mirror {
    store: Store,
    holder: String,
    state_path: PathBuf,
}

/// One member of a page.
struct Member {
    iri: NamedNode,
    root: Option<NamedNode>,
    delete: bool,
    reason: Option<String>,
    content: Vec<Triple>,
}

impl Harvester {
    /// A harvester writing into `store` as `holder`, keeping its position in `state_path`.
    pub fn new(store: Store, holder: &str, state_path: &Path) -> Self {
        Self {
            client: reqwest::Client::new(),
            mirror: Mirror {
                store,
                holder: holder.to_owned(),
                state_path: state_path.to_owned(),
            },
        }
    }

    /// Reads every stream of `source` (such as `http://127.0.0.1:8080`) from where the last pass
    /// stopped to its newest member and applies what is new.
    pub async fn sync(&self, source: &str) -> Result<Summary, HarvestError> {
        let mut state = self.mirror.load_state()?;
        let mut summary = Summary::default();
        for collection in Collection::ALL {
            let stream = format!(
                "{}/ldes/{}",
                source.trim_end_matches('/'),
                collection.slug()
            );
            state = self.sync_stream(&stream, state, &mut summary).await?;
        }
        Ok(summary)
    }

    /// Applies one stream page by page, fetching page n+1 while page n is written.
    async fn sync_stream(
        &self,
        stream: &str,
        mut state: HarvestState,
        summary: &mut Summary,
    ) -> Result<HarvestState, HarvestError> {
        let mut position = state.streams.get(stream).cloned().unwrap_or(Position {
            page: format!("{stream}/0"),
            applied: 0,
        });
        let mut quads = fetch(&self.client, &position.page).await?;
        loop {
            summary.pages += 1;
            let next = next_page(&quads, &position.page);
            let prefetch = next.clone().map(|url| {
                let client = self.client.clone();
                AbortOnDrop(tokio::spawn(async move { fetch(&client, &url).await }))
            });
            let mirror = self.mirror.clone();
            let (stream_url, page_summary) = (stream.to_owned(), *summary);
            let applied = tokio::task::spawn_blocking(move || {
                let mut summary = page_summary;
                let outcome =
                    mirror.apply_page(&stream_url, &quads, position, &mut state, &mut summary);
                outcome.map(|()| (state, summary))
            })
            .await
            .map_err(|error| HarvestError::Task(error.to_string()))?;
            (state, *summary) = applied?;
            let (Some(next), Some(prefetch)) = (next, prefetch) else {
                return Ok(state);
            };
            position = Position {
                page: next,
                applied: 0,
            };
            state.streams.insert(stream.to_owned(), position.clone());
            self.mirror.save_state(&state)?;
            quads = prefetch.join().await?;
        }
    }
}

/// A spawned task that is cancelled when the harvest stops early (an error on the page before).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<Result<T, HarvestError>> {
    async fn join(mut self) -> Result<T, HarvestError> {
        (&mut self.0)
            .await
            .map_err(|error| HarvestError::Task(error.to_string()))?
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Fetches a page as N-Quads and parses it.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<Quad>, HarvestError> {
    let http = |source| HarvestError::Http {
        url: url.to_owned(),
        source,
    };
    let body = client
        .get(url)
        .header("Accept", "application/n-quads")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(http)?
        .bytes()
        .await
        .map_err(http)?;
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&body)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| HarvestError::Syntax {
            url: url.to_owned(),
            message: error.to_string(),
        })
}

impl Mirror {
    /// Applies the members of one page from `position.applied` on, saving the position after
    /// each (blocking: runs on Tokio's blocking pool).
    fn apply_page(
        &self,
        stream: &str,
        quads: &[Quad],
        mut position: Position,
        state: &mut HarvestState,
        summary: &mut Summary,
    ) -> Result<(), HarvestError> {
        for member in members(quads, stream).into_iter().skip(position.applied) {
            self.apply(member, summary)?;
            position.applied += 1;
            state.streams.insert(stream.to_owned(), position.clone());
            self.save_state(state)?;
        }
        Ok(())
    }

    fn apply(&self, member: Member, summary: &mut Summary) -> Result<(), HarvestError> {
        let store = &self.store;
        if member.delete {
            let Some(root) = member.root else {
                return Ok(());
            };
            match store.withdraw(
                &self.holder,
                root.as_ref(),
                member
                    .reason
                    .as_deref()
                    .unwrap_or("withdrawn at the source"),
            ) {
                Ok(_) => summary.withdrawn += 1,
                // Applied already (a resumed page), or never seen here: nothing to do.
                Err(WriteError::AlreadyWithdrawn { .. } | WriteError::NotFound { .. }) => {}
                Err(error) => return Err(error.into()),
            }
            return Ok(());
        }
        let record =
            Record::from_triples(member.content).map_err(|source| HarvestError::Record {
                member: member.iri.as_str().to_owned(),
                source,
            })?;
        let write = RecordWrite::prepare(record).map_err(WriteError::from)?;
        store.write(&self.holder, &[write], Precondition::None)?;
        summary.written += 1;
        Ok(())
    }

    fn load_state(&self) -> Result<HarvestState, HarvestError> {
        match std::fs::read(&self.state_path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| self.state_error(error)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(HarvestState::default())
            }
            Err(error) => Err(self.state_error(error)),
        }
    }

    /// Writes the state to a temporary file and renames it, so a crash leaves the old or the new.
    fn save_state(&self, state: &HarvestState) -> Result<(), HarvestError> {
        let json = serde_json::to_vec_pretty(state).map_err(|error| self.state_error(error))?;
        let partial = self.state_path.with_extension("partial");
        std::fs::write(&partial, json).map_err(|error| self.state_error(error))?;
        std::fs::rename(&partial, &self.state_path).map_err(|error| self.state_error(error))
    }

    fn state_error(&self, error: impl std::fmt::Display) -> HarvestError {
        HarvestError::State {
            path: self.state_path.clone(),
            message: error.to_string(),
        }
    }
}

/// The members of a page, in the order the page lists them (Agora lists them in log order).
fn members(quads: &[Quad], stream: &str) -> Vec<Member> {
    // One pass sorts the page: the default graph (the stream's description) apart, and each
    // member's named graph (its content) under its name.
    let mut described: Vec<&Quad> = Vec::new();
    let mut contents: HashMap<&NamedNode, Vec<Triple>> = HashMap::new();
    for quad in quads {
        match &quad.graph_name {
            GraphName::DefaultGraph => described.push(quad),
            GraphName::NamedNode(graph) => contents.entry(graph).or_default().push(Triple::new(
                quad.subject.clone(),
                quad.predicate.clone(),
                quad.object.clone(),
            )),
            GraphName::BlankNode(_) => {}
        }
    }
    let default = |subject: &NamedNode, predicate: &str| objects(&described, subject, predicate);
    let stream = NamedNode::new_unchecked(stream);
    default(&stream, TREE_MEMBER)
        .into_iter()
        .filter_map(|object| match object {
            Term::NamedNode(iri) => Some(iri.clone()),
            _ => None,
        })
        .map(|iri| {
            let root = default(&iri, IS_VERSION_OF)
                .into_iter()
                .find_map(|o| match o {
                    Term::NamedNode(root) => Some(root.clone()),
                    _ => None,
                });
            let delete = default(&iri, RDF_TYPE)
                .into_iter()
                .any(|o| matches!(o, Term::NamedNode(class) if class.as_str() == AS_DELETE));
            let reason = default(&iri, AS_SUMMARY).into_iter().find_map(|o| match o {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            });
            let content = contents.get(&iri).cloned().unwrap_or_default();
            Member {
                iri,
                root,
                delete,
                reason,
                content,
            }
        })
        .collect()
}

/// The objects of `subject predicate` among `quads` (the default graph's).
fn objects<'a>(quads: &[&'a Quad], subject: &NamedNode, predicate: &str) -> Vec<&'a Term> {
    quads
        .iter()
        .filter(|q| {
            matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == subject)
                && q.predicate.as_str() == predicate
        })
        .map(|q| &q.object)
        .collect()
}

/// The page a page's relation leads to, if any.
fn next_page(quads: &[Quad], page: &str) -> Option<String> {
    let relations: Vec<&Term> = quads
        .iter()
        .filter(|q| {
            matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == page)
                && q.predicate.as_str() == TREE_RELATION
        })
        .map(|q| &q.object)
        .collect();
    quads.iter().find_map(|q| {
        let is_relation = relations
            .iter()
            .any(|relation| Term::from(q.subject.clone()) == **relation);
        match &q.object {
            Term::NamedNode(next) if is_relation && q.predicate.as_str() == TREE_NODE => {
                Some(next.as_str().to_owned())
            }
            _ => None,
        }
    })
}
