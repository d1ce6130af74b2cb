//! A remote triple store reached through the SPARQL 1.1 protocol (query and update endpoints),
//! for example `oxigraph serve`.
//!
//! - **Reads** are SELECT and ASK queries, answered in SPARQL results JSON.
//! - **Writes** are buffered in a `backend::Tx` and committed as one SPARQL Update request:
//!   `DELETE { … } INSERT { … } WHERE { generation N, my claim }`. The store's *generation* (a
//!   counter in the private system graph) makes the commit a compare-and-swap: it applies only if
//!   no other writer committed since the transaction began, and it also inserts a commit token
//!   `<urn:uuid:…> agora:generation N+1` that is asked for afterwards to learn whether it
//!   applied. A commit that did not apply is retried from the start by `Store::transact`, its
//!   reads done again. Oxigraph's server applies one update request in one transaction, so a
//!   record write is atomic there.
//! - **The write lock.** The compare-and-swap alone does not keep two Agora instances apart:
//!   Oxigraph's server (0.5) evaluates an update's `WHERE` on a snapshot taken when the update
//!   starts and applies its writes without checking what committed in between, so two updates
//!   that both see generation N both apply, each on top of a state the other changed (a lost
//!   write, an event number given twice). So a commit first takes the store's write lock, using
//!   nothing but atomic inserts and reads: it inserts a claim `<urn:uuid:…> agora:claims
//!   <system graph>` with the time it was made, reads every claim, and holds the lock if its own
//!   is the only live one; otherwise it withdraws its claim and tries again after a random pause.
//!   Of two claimants, the later one to insert always reads the earlier one's claim, so at most
//!   one holds the lock. The commit's update removes the claim and applies only while the claim
//!   is there. A claim older than [`LEASE`] (its instance died between claiming and committing)
//!   is removed by the next claimant.
//! - **Blank nodes** cannot be named in a DELETE, so they are stored as skolem IRIs
//!   `{base}/.well-known/genid/{label}` and turned back into blank nodes when read.
//!
//! The remote's default graph must be a plain graph (not the union of all graphs): it holds the
//! published data, materialised, as on the embedded store.

use std::io::Read as _;
use std::time::{Duration, Instant};

use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef, Variable,
};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};

use super::backend::RemoteTx;
use super::http::{Body, Http, HttpError};
use super::StoreError;
use crate::model::GraphNames;

/// The endpoints of a remote store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteEndpoints {
    /// The SPARQL query endpoint (`oxigraph serve`: `{url}/query`; Virtuoso: `{url}/sparql`).
    pub query: String,
    /// The SPARQL update endpoint (`oxigraph serve`: `{url}/update`; Virtuoso: `{url}/sparql`).
    pub update: String,
}

impl RemoteEndpoints {
    /// The endpoints of an Oxigraph server at `url` (`/query`, `/update`).
    pub fn oxigraph(url: &str) -> Self {
        let url = url.trim_end_matches('/');
        Self {
            query: format!("{url}/query"),
            update: format!("{url}/update"),
        }
    }
}

/// The variables of a SELECT query and its rows.
pub(super) type Solutions = (Vec<Variable>, Vec<Vec<Option<Term>>>);

/// The generation counter of the store and of each commit token.
const GENERATION: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/agora#generation");

/// How long a write request may take: writes are not cut short by the query time limit.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(120);

/// A claim on the write lock: `<claim> agora:claims <system graph>`.
const CLAIMS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/agora#claims");

/// When a claim was made, in milliseconds since the Unix epoch by the claimant's clock.
const CLAIMED_AT: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/agora#claimedAt");

/// How old a claim must be before another instance takes it for abandoned and removes it: longer
/// than any commit may take ([`UPDATE_TIMEOUT`]), so that a slow commit is never overtaken.
/// The instances' clocks must agree to well within this.
pub(super) const LEASE: Duration = Duration::from_secs(150);

/// How long a commit waits for the write lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// This instance's claim on the store's write lock, held (see the module documentation).
#[derive(Debug)]
pub(super) struct Claim(NamedNode);

/// A connection to a remote store.
pub(super) struct RemoteStore {
    http: Http,
    endpoints: RemoteEndpoints,
    /// `{base}/.well-known/genid/`: the prefix of skolem IRIs.
    skolem: String,
    /// The system graph, also the subject of the generation counter.
    system: NamedNode,
    query_timeout: Duration,
}

impl std::fmt::Debug for RemoteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteStore")
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

fn remote_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Remote(error.to_string())
}

impl RemoteStore {
    /// Connects and makes sure the generation counter exists.
    pub(super) fn connect(
        endpoints: RemoteEndpoints,
        names: &GraphNames,
        query_timeout: Duration,
    ) -> Result<Self, StoreError> {
        let http = Http::new().map_err(remote_error)?;
        let store = Self {
            http,
            endpoints,
            skolem: format!("{}/.well-known/genid/", names.base()),
            system: names.system().into_owned(),
            query_timeout,
        };
        store.init_generation()?;
        Ok(store)
    }

    fn init_generation(&self) -> Result<(), StoreError> {
        let system = &self.system;
        self.update(&format!(
            "INSERT {{ GRAPH {system} {{ {system} {GENERATION} 0 }} }} \
             WHERE {{ FILTER NOT EXISTS {{ GRAPH {system} {{ {system} {GENERATION} ?n }} }} }}"
        ))
    }

    /// The store's current generation (how many commits were made through Agora).
    pub(super) fn generation(&self) -> Result<u64, StoreError> {
        let system = &self.system;
        let query = format!("SELECT ?n WHERE {{ GRAPH {system} {{ {system} {GENERATION} ?n }} }}");
        let (_, rows) = self.select(&query)?;
        let value = rows
            .into_iter()
            .find_map(|row| match row.into_iter().next() {
                Some(Some(Term::Literal(literal))) => literal.value().parse::<u64>().ok(),
                _ => None,
            });
        match value {
            Some(value) => Ok(value),
            None => {
                // Someone emptied the store: start counting again.
                self.init_generation()?;
                Ok(0)
            }
        }
    }

    /// A blank node as its skolem IRI, other terms as they are, in SPARQL syntax.
    fn term(&self, term: TermRef<'_>) -> String {
        match term {
            TermRef::BlankNode(node) => format!("<{}{}>", self.skolem, encode_label(node.as_str())),
            other => other.to_string(),
        }
    }

    fn subject(&self, subject: NamedOrBlankNodeRef<'_>) -> String {
        self.term(subject.into())
    }

    /// A term from the remote, skolem IRIs turned back into blank nodes.
    pub(super) fn local_term(&self, term: Term) -> Term {
        match term {
            Term::NamedNode(node) => match self.blank_of(&node) {
                Some(blank) => blank.into(),
                None => node.into(),
            },
            other => other,
        }
    }

    fn blank_of(&self, node: &NamedNode) -> Option<BlankNode> {
        let label = node.as_str().strip_prefix(&self.skolem)?;
        BlankNode::new(decode_label(label)?).ok()
    }

    fn local_subject(&self, term: Term) -> Result<NamedOrBlankNode, StoreError> {
        match self.local_term(term) {
            Term::NamedNode(node) => Ok(node.into()),
            Term::BlankNode(node) => Ok(node.into()),
            other => Err(remote_error(format!(
                "the remote store answered {other} where a subject belongs"
            ))),
        }
    }

    fn quad_text(&self, quad: QuadRef<'_>) -> String {
        let triple = format!(
            "{} {} {} .",
            self.subject(quad.subject),
            quad.predicate,
            self.term(quad.object)
        );
        match quad.graph_name {
            GraphNameRef::DefaultGraph => triple,
            GraphNameRef::NamedNode(graph) => format!("GRAPH {graph} {{ {triple} }}"),
            GraphNameRef::BlankNode(graph) => format!(
                "GRAPH <{}{}> {{ {triple} }}",
                self.skolem,
                encode_label(graph.as_str())
            ),
        }
    }

    /// Sends a query and returns the body of the answer (status checked), read as it arrives.
    pub(super) fn query_response(&self, query: &str, accept: &str) -> Result<Body, StoreError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .finish();
        let response = self
            .http
            .post_form(
                &self.endpoints.query,
                body,
                Some(accept),
                self.query_timeout,
            )
            .map_err(|error| match error {
                HttpError::Timeout => StoreError::RemoteTimeout,
                other => remote_error(format!("query to {}: {other}", self.endpoints.query)),
            })?;
        checked(response, &self.endpoints.query)
    }

    /// Runs a SELECT query: the variables and the rows (skolem IRIs turned back into blank nodes).
    pub(super) fn select(&self, query: &str) -> Result<Solutions, StoreError> {
        let response = self.query_response(query, "application/sparql-results+json")?;
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(response)
            .map_err(remote_error)?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(remote_error(
                "the remote store answered a boolean to a SELECT query",
            ));
        };
        let variables = solutions.variables().to_vec();
        let mut rows = Vec::new();
        for solution in solutions {
            let solution = solution.map_err(remote_error)?;
            rows.push(
                variables
                    .iter()
                    .map(|variable| solution.get(variable).cloned().map(|t| self.local_term(t)))
                    .collect(),
            );
        }
        Ok((variables, rows))
    }

    /// Runs an ASK query.
    pub(super) fn ask(&self, query: &str) -> Result<bool, StoreError> {
        let response = self.query_response(query, "application/sparql-results+json")?;
        match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(response)
            .map_err(remote_error)?
        {
            ReaderQueryResultsParserOutput::Boolean(value) => Ok(value),
            ReaderQueryResultsParserOutput::Solutions(_) => Err(remote_error(
                "the remote store answered solutions to an ASK query",
            )),
        }
    }

    /// Sends one SPARQL Update request.
    pub(super) fn update(&self, update: &str) -> Result<(), StoreError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("update", update)
            .finish();
        let response = self
            .http
            .post_form(&self.endpoints.update, body, None, UPDATE_TIMEOUT)
            .map_err(|error| {
                remote_error(format!("update to {}: {error}", self.endpoints.update))
            })?;
        let mut body = checked(response, &self.endpoints.update)?;
        // Read the answer to its end: the update is done then.
        std::io::copy(&mut body, &mut std::io::sink()).map_err(remote_error)?;
        Ok(())
    }

    /// The quads matching a pattern (see `backend::Read`).
    pub(super) fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError> {
        if let (Some(subject), Some(predicate), Some(object), Some(graph)) =
            (subject, predicate, object, graph_name)
        {
            let quad = QuadRef::new(subject, predicate, object, graph);
            return Ok(if self.contains(quad)? {
                vec![quad.into_owned()]
            } else {
                Vec::new()
            });
        }
        let s = subject.map_or_else(|| "?s".to_owned(), |s| self.subject(s));
        let p = predicate.map_or_else(|| "?p".to_owned(), |p| p.to_string());
        let o = object.map_or_else(|| "?o".to_owned(), |o| self.term(o));
        let mut projection = String::new();
        for (bound, variable) in [
            (subject.is_some(), "?s"),
            (predicate.is_some(), "?p"),
            (object.is_some(), "?o"),
        ] {
            if !bound {
                projection.push_str(variable);
                projection.push(' ');
            }
        }
        let pattern = format!("{s} {p} {o}");
        let query = match graph_name {
            Some(GraphNameRef::DefaultGraph) => {
                format!("SELECT {projection}WHERE {{ {pattern} }}")
            }
            Some(GraphNameRef::NamedNode(graph)) => {
                format!("SELECT {projection}WHERE {{ GRAPH {graph} {{ {pattern} }} }}")
            }
            // Agora names no graph with a blank node.
            Some(GraphNameRef::BlankNode(_)) => return Ok(Vec::new()),
            None => format!(
                "SELECT {projection}?g WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}"
            ),
        };
        let (variables, rows) = self.select(&query)?;
        let position = |name: &str| variables.iter().position(|v| v.as_str() == name);
        let (si, pi, oi, gi) = (position("s"), position("p"), position("o"), position("g"));
        let mut quads = Vec::with_capacity(rows.len());
        for mut row in rows {
            let mut take = |index: Option<usize>| index.and_then(|index| row[index].take());
            let s = match (subject, take(si)) {
                (Some(subject), _) => subject.into_owned(),
                (None, Some(term)) => self.local_subject(term)?,
                (None, None) => continue,
            };
            let p = match (predicate, take(pi)) {
                (Some(predicate), _) => predicate.into_owned(),
                (None, Some(Term::NamedNode(node))) => node,
                (None, _) => continue,
            };
            let o = match (object, take(oi)) {
                (Some(object), _) => object.into_owned(),
                (None, Some(term)) => term,
                (None, None) => continue,
            };
            let g = match (graph_name, take(gi)) {
                (Some(graph), _) => graph.into_owned(),
                (None, Some(Term::NamedNode(node))) => GraphName::NamedNode(node),
                (None, Some(Term::BlankNode(node))) => GraphName::BlankNode(node),
                (None, _) => GraphName::DefaultGraph,
            };
            quads.push(Quad::new(s, p, o, g));
        }
        Ok(quads)
    }

    /// Whether the quad is stored.
    pub(super) fn contains(&self, quad: QuadRef<'_>) -> Result<bool, StoreError> {
        let triple = format!(
            "{} {} {}",
            self.subject(quad.subject),
            quad.predicate,
            self.term(quad.object)
        );
        let query = match quad.graph_name {
            GraphNameRef::DefaultGraph => format!("ASK {{ {triple} }}"),
            GraphNameRef::NamedNode(graph) => format!("ASK {{ GRAPH {graph} {{ {triple} }} }}"),
            GraphNameRef::BlankNode(_) => return Ok(false),
        };
        self.ask(&query)
    }

    /// How many quads the store holds, every graph included.
    pub(super) fn len(&self) -> Result<u64, StoreError> {
        let (_, rows) = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        )?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|row| match row.into_iter().next() {
                Some(Some(Term::Literal(literal))) => literal.value().parse().ok(),
                _ => None,
            })
            .unwrap_or(0))
    }

    /// Whether the store holds nothing but Agora's generation counter (and write-lock claims).
    pub(super) fn is_empty(&self) -> Result<bool, StoreError> {
        let generation = GENERATION;
        Ok(!self.ask(&format!(
            "ASK {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o \
             FILTER(?p NOT IN ({generation}, {CLAIMS}, {CLAIMED_AT})) }} }} }}"
        ))?)
    }

    /// Takes the store's write lock: inserts a claim and holds the lock if, read back, it is
    /// the only live claim; otherwise withdraws it and tries again after a random pause, for at
    /// most [`LOCK_WAIT`].
    pub(super) fn claim(&self) -> Result<Claim, StoreError> {
        let system = &self.system;
        let started = Instant::now();
        let mut round = 0u32;
        loop {
            let claim = NamedNode::new_unchecked(format!("urn:uuid:{}", uuid::Uuid::new_v4()));
            let at = Literal::from(epoch_millis());
            self.update(&format!(
                "INSERT DATA {{ GRAPH {system} {{ {claim} {CLAIMS} {system} ; {CLAIMED_AT} {at} }} }}"
            ))?;
            let (_, rows) = self.select(&format!(
                "SELECT ?claim ?at WHERE {{ GRAPH {system} {{ ?claim {CLAIMS} {system} . \
                 OPTIONAL {{ ?claim {CLAIMED_AT} ?at }} }} }}"
            ))?;
            let now = epoch_millis();
            let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
            let mut rivals = 0;
            let mut abandoned = Vec::new();
            for row in rows {
                let mut row = row.into_iter();
                let Some(Some(Term::NamedNode(other))) = row.next() else {
                    continue;
                };
                if other == claim {
                    continue;
                }
                let made = match row.next() {
                    Some(Some(Term::Literal(at))) => at.value().parse::<i64>().ok(),
                    _ => None,
                };
                match made {
                    Some(made) if now.saturating_sub(made) <= lease => rivals += 1,
                    _ => abandoned.push(other),
                }
            }
            if !abandoned.is_empty() {
                tracing::warn!(
                    claims = abandoned.len(),
                    "removing write-lock claims older than the lease: an Agora instance stopped \
                     between claiming the remote store's write lock and committing"
                );
                for other in &abandoned {
                    self.withdraw(other)?;
                }
            }
            if rivals == 0 {
                return Ok(Claim(claim));
            }
            self.withdraw(&claim)?;
            if started.elapsed() >= LOCK_WAIT {
                return Err(StoreError::LockBusy(LOCK_WAIT.as_secs()));
            }
            // Random pauses, growing, so that two claimants that saw each other part.
            let ceiling = 2u64 << round.min(6);
            let pause = 1 + (uuid::Uuid::new_v4().as_u128() % u128::from(ceiling)) as u64;
            std::thread::sleep(Duration::from_millis(pause));
            round += 1;
        }
    }

    /// Removes a claim on the write lock (ours, not taken, or an abandoned one).
    fn withdraw(&self, claim: &NamedNode) -> Result<(), StoreError> {
        let system = &self.system;
        self.update(&format!(
            "DELETE {{ GRAPH {system} {{ {claim} ?p ?o }} }} WHERE {{ GRAPH {system} {{ {claim} ?p ?o }} }}"
        ))
    }

    /// Gives the write lock back without committing.
    pub(super) fn release(&self, claim: Claim) -> Result<(), StoreError> {
        self.withdraw(&claim.0)
    }

    /// Commits the writes of `tx`, holding the write lock (`claim`), if the store is still at the
    /// generation the transaction began at: `Ok(true)` if they were applied, `Ok(false)` if
    /// another writer came first (nothing was written; the caller starts again). Either way the
    /// lock is given back.
    pub(super) fn commit(&self, tx: RemoteTx<'_>, claim: Claim) -> Result<bool, StoreError> {
        let system = &self.system;
        let held = &claim.0;
        let old = Literal::from(i64::try_from(tx.generation).unwrap_or(i64::MAX));
        let new = Literal::from(i64::try_from(tx.generation + 1).unwrap_or(i64::MAX));
        let token = NamedNode::new_unchecked(format!("urn:uuid:{}", uuid::Uuid::new_v4()));
        let mut update = String::with_capacity(256 + 96 * (tx.inserted.len() + tx.removed.len()));
        update.push_str(&format!(
            "DELETE {{\n GRAPH {system} {{ {system} {GENERATION} {old} . {held} {CLAIMS} {system} ; {CLAIMED_AT} ?at }}\n"
        ));
        for quad in &tx.removed {
            update.push(' ');
            update.push_str(&self.quad_text(quad.as_ref()));
            update.push('\n');
        }
        update.push_str(&format!(
            "}}\nINSERT {{\n GRAPH {system} {{ {system} {GENERATION} {new} . {token} {GENERATION} {new} }}\n"
        ));
        for quad in &tx.inserted {
            update.push(' ');
            update.push_str(&self.quad_text(quad.as_ref()));
            update.push('\n');
        }
        update.push_str(&format!(
            "}}\nWHERE {{ GRAPH {system} {{ {system} {GENERATION} {old} . {held} {CLAIMS} {system} ; {CLAIMED_AT} ?at }} }}"
        ));
        let sent = self.update(&update);
        // Whether the update applied, even when its answer was lost: the token says.
        let applied = self.ask(&format!(
            "ASK {{ GRAPH {system} {{ {token} {GENERATION} ?n }} }}"
        ));
        let outcome = match (sent, applied) {
            (_, Ok(true)) => return Ok(true),
            (Ok(()), Ok(false)) => Ok(false),
            (Err(error), _) | (Ok(()), Err(error)) => Err(error),
        };
        // Not applied (or not known to be): the claim is still there; give it back. If that
        // fails too, the claim is removed once older than the lease.
        if let Err(error) = self.release(claim) {
            tracing::warn!(%error, "could not give the remote store's write lock back");
        }
        outcome
    }
}

/// Milliseconds since the Unix epoch by this machine's clock.
fn epoch_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

fn checked(response: super::http::Response, endpoint: &str) -> Result<Body, StoreError> {
    let status = response.status;
    if status.is_success() {
        return Ok(response.body);
    }
    let mut body = String::new();
    let _ = response.body.take(2048).read_to_string(&mut body);
    Err(remote_error(format!(
        "{endpoint} answered {status}: {}",
        body.trim()
    )))
}

/// A blank node label as an IRI path segment: ASCII letters, digits, `-` and `_` as they are,
/// every other byte percent-encoded.
fn encode_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for byte in label.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode_label(encoded: &str) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = encoded.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_node_labels_survive_the_skolem_iri() {
        for label in ["b0", "a.b-c_d", "é1", "x%y"] {
            let encoded = encode_label(label);
            assert!(encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_%".contains(&b)));
            assert_eq!(decode_label(&encoded).as_deref(), Some(label));
        }
    }
}
