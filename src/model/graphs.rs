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

/// Names of the graphs Agora keeps in its store.
///
/// - one graph per record: `{base}/graph/record/{uuid5(root IRI)}`, so a record's graph is
///   found from its root IRI alone, whatever URI scheme the root uses;
/// - the reference-data graph (code lists, ontology): `{base}/graph/reference`;
/// - the system graph (which graph holds which record, and when it changed): `{base}/graph/system`.
///
/// The store's default graph is not named here: it is the published data, maintained by `store`.
#[derive(Debug, Clone)]
pub struct GraphNames {
    record_prefix: String,
    reference: NamedNode,
    system: NamedNode,
}

impl GraphNames {
    /// The graph names under `base`.
    pub fn new(base: &BaseIri) -> Self {
        let base = base.as_str();
        Self {
            record_prefix: format!("{base}/graph/record/"),
            reference: NamedNode::new_unchecked(format!("{base}/graph/reference")),
            system: NamedNode::new_unchecked(format!("{base}/graph/system")),
        }
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
        let key = Uuid::new_v5(&Uuid::NAMESPACE_URL, root.as_str().as_bytes());
        NamedNode::new_unchecked(format!("{}{key}", self.record_prefix))
    }

    /// Whether `graph` is a record graph of this instance.
    pub fn is_record_graph(&self, graph: NamedNodeRef<'_>) -> bool {
        graph.as_str().starts_with(&self.record_prefix)
    }

    /// Whether the triples of `graph` are part of the published default graph.
    pub fn is_public(&self, graph: NamedNodeRef<'_>) -> bool {
        self.is_record_graph(graph) || graph == self.reference.as_ref()
    }

    /// The reference-data graph.
    pub fn reference(&self) -> NamedNodeRef<'_> {
        self.reference.as_ref()
    }

    /// The system graph.
    pub fn system(&self) -> NamedNodeRef<'_> {
        self.system.as_ref()
    }
}
