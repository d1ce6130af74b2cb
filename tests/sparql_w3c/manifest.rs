//! Reading the suites' files: manifests as indexed graphs, test data as triples, paths as IRIs.

use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};

/// Every helper of the runner fails with a message.
pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

pub const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
pub const QT: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
pub const UT: &str = "http://www.w3.org/2009/sparql/tests/test-update#";
pub const HT: &str = "http://www.w3.org/2011/http#";
pub const CNT: &str = "http://www.w3.org/2011/content#";
pub const RS: &str = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

/// A graph indexed by subject, to walk manifests and result-set graphs.
pub struct Graph {
    pub triples: Vec<Triple>,
    by_subject: HashMap<Term, Vec<(String, Term)>>,
}

impl Graph {
    /// Parses the RDF file at `path` (format from its extension).
    pub fn load(path: &Path) -> TestResult<Self> {
        Ok(Self::new(parse_rdf(path)?))
    }

    pub fn new(triples: Vec<Triple>) -> Self {
        let mut by_subject: HashMap<Term, Vec<(String, Term)>> = HashMap::new();
        for t in &triples {
            by_subject
                .entry(t.subject.clone().into())
                .or_default()
                .push((t.predicate.as_str().to_owned(), t.object.clone()));
        }
        Self {
            triples,
            by_subject,
        }
    }

    pub fn objects<'a, 'p>(
        &'a self,
        node: &Term,
        predicate: &'p str,
    ) -> impl Iterator<Item = &'a Term> + use<'a, 'p> {
        self.by_subject
            .get(node)
            .into_iter()
            .flatten()
            .filter(move |(p, _)| p == predicate)
            .map(|(_, o)| o)
    }

    pub fn object(&self, node: &Term, predicate: &str) -> Option<&Term> {
        self.objects(node, predicate).next()
    }

    /// The lexical value of the literal at `node` `predicate`, if any.
    pub fn literal(&self, node: &Term, predicate: &str) -> Option<&str> {
        match self.object(node, predicate)? {
            Term::Literal(literal) => Some(literal.value()),
            _ => None,
        }
    }

    pub fn subjects_of_type(&self, class: &str) -> Vec<Term> {
        self.triples
            .iter()
            .filter(|t| {
                t.predicate.as_str() == format!("{RDF}type")
                    && matches!(&t.object, Term::NamedNode(n) if n.as_str() == class)
            })
            .map(|t| t.subject.clone().into())
            .collect()
    }

    pub fn has_type(&self, node: &Term, class: &str) -> bool {
        self.objects(node, &format!("{RDF}type"))
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == class))
    }

    /// The members of the RDF list starting at `head`.
    pub fn list(&self, head: &Term) -> Vec<Term> {
        let mut members = Vec::new();
        let mut node = head.clone();
        while let Some(first) = self.object(&node, &format!("{RDF}first")) {
            members.push(first.clone());
            match self.object(&node, &format!("{RDF}rest")) {
                Some(rest) => node = rest.clone(),
                None => break,
            }
        }
        members
    }

    /// `mf:include` and `mf:entries` may be one node or a list of nodes.
    pub fn members(&self, node: &Term, predicate: &str) -> Vec<Term> {
        self.objects(node, predicate)
            .flat_map(|object| {
                if self.object(object, &format!("{RDF}first")).is_some() {
                    self.list(object)
                } else {
                    vec![object.clone()]
                }
            })
            .collect()
    }
}

/// The conformance folder: `AGORA_CONFORMANCE_DIR`, else `../shared/conformance`.
pub fn conformance_dir() -> PathBuf {
    match std::env::var_os("AGORA_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    }
}

/// `relative` under the conformance folder, canonical, with a hint when it is missing.
pub fn suite_file(relative: &str) -> TestResult<PathBuf> {
    let path = conformance_dir().join(relative);
    path.canonicalize().map_err(|e| {
        format!(
            "{}: {e} (set AGORA_CONFORMANCE_DIR to the conformance folder)",
            path.display()
        )
        .into()
    })
}

/// The `file://` IRI of a path, as the manifests' relative IRIs resolve to.
pub fn file_iri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The path a `file://` IRI names.
pub fn file_of(term: &Term) -> TestResult<PathBuf> {
    match term {
        Term::NamedNode(iri) => Ok(PathBuf::from(
            iri.as_str()
                .strip_prefix("file://")
                .ok_or_else(|| format!("not a file IRI: {iri}"))?,
        )),
        other => Err(format!("expected a file IRI, found {other}").into()),
    }
}

/// The short name of a test: `folder/local-name`.
pub fn test_name(entry: &Term, manifest: &Path) -> String {
    let folder = manifest
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let local = match entry {
        Term::NamedNode(iri) => iri
            .as_str()
            .rsplit(['#', '/'])
            .next()
            .unwrap_or_default()
            .to_owned(),
        other => other.to_string(),
    };
    format!("{folder}/{local}")
}

/// Parses an RDF file, its format from its extension, relative IRIs against its own IRI.
/// Blank nodes are renamed apart, so that two files never share one by label.
pub fn parse_rdf(path: &Path) -> TestResult<Vec<Triple>> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("ttl") => RdfFormat::Turtle,
        Some("nt") => RdfFormat::NTriples,
        Some("rdf") => RdfFormat::RdfXml,
        other => return Err(format!("{}: no RDF format for {other:?}", path.display()).into()),
    };
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let triples = RdfParser::from_format(format)
        .with_base_iri(file_iri(path))?
        .rename_blank_nodes()
        .for_slice(&data)
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(triples)
}

/// Passed and failed tests (name, reason) of one suite.
#[derive(Default)]
pub struct Tally {
    pub passed: Vec<String>,
    pub failed: Vec<(String, String)>,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.passed.len() + self.failed.len()
    }

    /// The failures not listed in `expected`, and the listed ones that now pass.
    pub fn surprises(&self, expected: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
        let listed = |name: &str| expected.iter().any(|(n, _)| *n == name);
        let unexpected = self
            .failed
            .iter()
            .filter(|(name, _)| !listed(name))
            .map(|(name, reason)| format!("{name}: {reason}"))
            .collect();
        let fixed = self
            .passed
            .iter()
            .filter(|name| listed(name))
            .cloned()
            .collect();
        (unexpected, fixed)
    }
}
