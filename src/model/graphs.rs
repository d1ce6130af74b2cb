//! The base IRI under which Agora mints URIs, and the names of its graphs.

use oxigraph::model::{NamedNode, NamedNodeRef};
use uuid::Uuid;

/// The base IRI of this Agora instance, such as `https://agora.vlaanderen.be`.
///
/// Invariant: an absolute `http` or `https` IRI without a trailing slash, so that
/// `{base}/id/{type}/{uuid}` is always well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseIri(String);

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
#[error("base IRI {value:?} is not valid: {reason}")]
pub struct BaseIriError {
    value: String,
    reason: &'static str,
}

impl BaseIri {
    /// Checks and normalises a base IRI (a trailing slash is dropped).
    ///
    /// ```
    /// use agora::model::BaseIri;
    /// let base = BaseIri::parse("https://agora.vlaanderen.be/").unwrap();
    /// assert_eq!(base.as_str(), "https://agora.vlaanderen.be");
    /// assert!(BaseIri::parse("agora.vlaanderen.be").is_err());
    /// ```
    pub fn parse(value: &str) -> Result<Self, BaseIriError> {
        let trimmed = value.trim_end_matches('/');
        let error = |reason| BaseIriError {
            value: value.to_owned(),
            reason,
        };
        if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) {
            return Err(error("it must start with http:// or https://"));
        }
        if trimmed.contains(['?', '#', ' ']) {
            return Err(error("it must not contain '?', '#' or spaces"));
        }
        NamedNode::new(format!("{trimmed}/id/x")).map_err(|_| error("it is not an IRI"))?;
        Ok(Self(trimmed.to_owned()))
    }

    /// The base IRI, without trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a holder name may look like, in words.
pub const HOLDER_RULE: &str =
    "a holder name is 1 to 64 ASCII letters, digits, '-', '_' or '.', such as kaleidos or gent-participatie";

/// Whether `name` can name a token holder (it becomes part of an IRI: `{base}/id/agent/{name}`).
pub fn is_valid_holder(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

/// Names of the graphs Agora keeps in its store.
///
/// - one graph per record: `{base}/graph/record/{uuid5(root IRI)}`, so a record's graph is
///   found from its root IRI alone, whatever URI scheme the root uses;
/// - the reference-data graph (code lists, ontology): `{base}/graph/reference`;
/// - the public history graph (released versions with their provenance, tombstones):
///   `{base}/graph/history`;
/// - one graph per external reference dataset an operator loaded (`agora load --dataset NAME`):
///   `{base}/graph/dataset/{name}`, public, not a record (no versions, no events, no validation);
/// - the system graph (who holds which record, its versions and embargo, the write log):
///   `{base}/graph/system`, private;
/// - the event log: `{base}/graph/events`, private;
/// - one graph per superseded or pending version of a record:
///   `{base}/graph/version/{record id}/{n}`, private (the current version is the record graph).
///
/// The store's default graph is not named here: it is the published data, maintained by `store`.
#[derive(Debug, Clone)]
pub struct GraphNames {
    base: String,
    record_prefix: String,
    version_prefix: String,
    dataset_prefix: String,
    reference: NamedNode,
    history: NamedNode,
    system: NamedNode,
    events: NamedNode,
}

impl GraphNames {
    /// The graph names under `base`.
    pub fn new(base: &BaseIri) -> Self {
        let base = base.as_str();
        Self {
            base: base.to_owned(),
            record_prefix: format!("{base}/graph/record/"),
            version_prefix: format!("{base}/graph/version/"),
            dataset_prefix: format!("{base}/graph/dataset/"),
            reference: NamedNode::new_unchecked(format!("{base}/graph/reference")),
            history: NamedNode::new_unchecked(format!("{base}/graph/history")),
            system: NamedNode::new_unchecked(format!("{base}/graph/system")),
            events: NamedNode::new_unchecked(format!("{base}/graph/events")),
        }
    }

    /// A record's identifier: the UUID v5 of its root IRI in the URL namespace, so that anyone
    /// who knows the root can compute it (`uuid -v5 ns:URL <root>`).
    pub fn record_id(root: NamedNodeRef<'_>) -> Uuid {
        Uuid::new_v5(&Uuid::NAMESPACE_URL, root.as_str().as_bytes())
    }

    /// The record graph with this identifier.
    pub fn record_graph_of(&self, id: Uuid) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{id}", self.record_prefix))
    }

    /// The private graph that keeps the content of version `number` of record `id` once it is
    /// superseded (or while it waits for its publication time).
    pub fn version_graph(&self, id: Uuid, number: u64) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{id}/{number}", self.version_prefix))
    }

    /// The public IRI of version `number` of record `id`: `{base}/id/versie/{id}/{number}`.
    pub fn version_iri(&self, id: Uuid, number: u64) -> NamedNode {
        NamedNode::new_unchecked(format!("{}/id/versie/{id}/{number}", self.base))
    }

    /// The IRI of a token holder as a `prov:Agent`: `{base}/id/agent/{holder}`. Holder names
    /// are checked when tokens are configured (letters, digits, `-`, `_`, `.`).
    pub fn agent_iri(&self, holder: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}/id/agent/{holder}", self.base))
    }

    /// Whether `graph` is private: the system graph, the event log or a version graph. The
    /// public SPARQL endpoint never shows these.
    pub fn is_private(&self, graph: &str) -> bool {
        graph == self.system.as_str()
            || graph == self.events.as_str()
            || graph.starts_with(&self.version_prefix)
    }

    /// The prefix of every version graph (for query rewriting).
    pub fn version_prefix(&self) -> &str {
        &self.version_prefix
    }

    /// The graph that holds the record whose root is `root`.
    ///
    /// ```
    /// use agora::model::{BaseIri, GraphNames};
    /// use oxigraph::model::NamedNodeRef;
    /// let names = GraphNames::new(&BaseIri::parse("https://agora.vlaanderen.be").unwrap());
    /// let root = NamedNodeRef::new("http://themis.vlaanderen.be/id/vergaderactiviteit/1").unwrap();
    /// let graph = names.record_graph(root);
    /// assert!(graph.as_str().starts_with("https://agora.vlaanderen.be/graph/record/"));
    /// assert!(names.is_record_graph(graph.as_ref()));
    /// ```
    pub fn record_graph(&self, root: NamedNodeRef<'_>) -> NamedNode {
        self.record_graph_of(Self::record_id(root))
    }

    /// The prefix of every record graph, `{base}/graph/record/` (for queries over all records).
    pub fn record_prefix(&self) -> &str {
        &self.record_prefix
    }

    /// The identifier of the record whose graph is `graph`, if it is a record graph.
    pub fn record_id_of_graph(&self, graph: &str) -> Option<Uuid> {
        Uuid::parse_str(graph.strip_prefix(&self.record_prefix)?).ok()
    }

    /// Whether `graph` is a record graph of this instance.
    pub fn is_record_graph(&self, graph: NamedNodeRef<'_>) -> bool {
        graph.as_str().starts_with(&self.record_prefix)
    }

    /// The graph of the external dataset `name` (`agora load --dataset`), or `None` when the
    /// name is not one ([`is_valid_holder`]'s rule: letters, digits, `-`, `_`, `.`).
    ///
    /// ```
    /// use agora::model::{BaseIri, GraphNames};
    /// let names = GraphNames::new(&BaseIri::parse("https://agora.vlaanderen.be").unwrap());
    /// let graph = names.dataset_graph("bsbm").unwrap();
    /// assert_eq!(graph.as_str(), "https://agora.vlaanderen.be/graph/dataset/bsbm");
    /// assert!(names.is_public(graph.as_ref()));
    /// assert!(!names.is_record_graph(graph.as_ref()));
    /// assert!(names.dataset_graph("../system").is_none());
    /// ```
    pub fn dataset_graph(&self, name: &str) -> Option<NamedNode> {
        is_valid_holder(name)
            .then(|| NamedNode::new_unchecked(format!("{}{name}", self.dataset_prefix)))
    }

    /// Whether `graph` holds an external dataset loaded by an operator.
    pub fn is_dataset_graph(&self, graph: NamedNodeRef<'_>) -> bool {
        graph.as_str().starts_with(&self.dataset_prefix)
    }

    /// Whether the triples of `graph` are part of the published default graph: record graphs,
    /// the reference and history graphs, and dataset graphs.
    pub fn is_public(&self, graph: NamedNodeRef<'_>) -> bool {
        self.is_record_graph(graph)
            || graph == self.reference.as_ref()
            || graph == self.history.as_ref()
            || self.is_dataset_graph(graph)
    }

    /// The public history graph.
    pub fn history(&self) -> NamedNodeRef<'_> {
        self.history.as_ref()
    }

    /// The reference-data graph.
    pub fn reference(&self) -> NamedNodeRef<'_> {
        self.reference.as_ref()
    }

    /// The system graph.
    pub fn system(&self) -> NamedNodeRef<'_> {
        self.system.as_ref()
    }

    /// The event log (private): one entry per published change of a record, per collection, in
    /// order. The harvest feeds are built from it.
    pub fn events(&self) -> NamedNodeRef<'_> {
        self.events.as_ref()
    }

    /// The base IRI, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }
}
