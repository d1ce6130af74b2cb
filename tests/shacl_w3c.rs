//! The W3C SHACL test suite (core and SPARQL), read from `AGORA_CONFORMANCE_DIR` (default
//! `../shared/conformance` next to the package), never copied into the repository.
//!
//! Each `sht:Validate` test loads its shapes and data graphs, validates, and compares the
//! produced report with the expected one structurally: `sh:conforms`, and the multiset of
//! results by focus node, result path (as a structure), value, source constraint component,
//! severity and source shape, with blank nodes as wildcards. Expected `sh:resultMessage`s must
//! also be present. Tests that expect `sht:Failure` must fail when the shapes are loaded.

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::path::{Path, PathBuf};

use agora::validate::{DataGraph, Shapes};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Tests known not to pass, with the reason. Empty: the bar is every core test and every
/// SPARQL test.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

/// A Turtle file of the suite, indexed by subject.
struct Graph {
    triples: Vec<Triple>,
    by_subject: HashMap<Term, Vec<(String, Term)>>,
}

impl Graph {
    fn load(path: &Path) -> TestResult<Self> {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = format!("file://{}", path.display());
        let triples = RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri(&base)?
            .for_slice(&data)
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self::new(triples))
    }

    fn new(triples: Vec<Triple>) -> Self {
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

    fn objects<'a, 'p>(
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

    fn object(&self, node: &Term, predicate: &str) -> Option<&Term> {
        self.objects(node, predicate).next()
    }

    fn subjects_of_type(&self, class: &str) -> Vec<Term> {
        self.triples
            .iter()
            .filter(|t| {
                t.predicate.as_str() == format!("{RDF}type")
                    && matches!(&t.object, Term::NamedNode(n) if n.as_str() == class)
            })
            .map(|t| t.subject.clone().into())
            .collect()
    }

    fn list(&self, head: &Term) -> Vec<Term> {
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

    /// A term for comparison: blank nodes are wildcards.
    fn key(term: Option<&Term>) -> String {
        match term {
            None => "-".to_owned(),
            Some(Term::BlankNode(_)) => "_".to_owned(),
            Some(term) => term.to_string(),
        }
    }

    /// A property path as a structure (blank nodes of paths are read, not wildcarded).
    fn path_key(&self, path: Option<&Term>) -> String {
        let Some(path) = path else {
            return "-".to_owned();
        };
        if let Term::NamedNode(iri) = path {
            return iri.to_string();
        }
        if self.object(path, &format!("{RDF}first")).is_some() {
            let members: Vec<String> = self
                .list(path)
                .iter()
                .map(|m| self.path_key(Some(m)))
                .collect();
            return format!("seq({})", members.join(","));
        }
        for kind in [
            "inversePath",
            "zeroOrMorePath",
            "oneOrMorePath",
            "zeroOrOnePath",
            "alternativePath",
        ] {
            if let Some(inner) = self.object(path, &format!("{SH}{kind}")) {
                return format!("{kind}({})", self.path_key(Some(inner)));
            }
        }
        "?".to_owned()
    }

    /// `sh:conforms` and the results of the report at `node`, each as a comparable key with
    /// its messages.
    fn report(&self, node: &Term) -> Report {
        let conforms = self
            .object(node, &format!("{SH}conforms"))
            .map(|c| match c {
                Term::Literal(l) => l.value() == "true" || l.value() == "1",
                _ => false,
            });
        let mut results: Vec<(String, Vec<String>)> = self
            .objects(node, &format!("{SH}result"))
            .map(|result| {
                let get = |p: &str| self.object(result, &format!("{SH}{p}"));
                let key = [
                    Self::key(get("focusNode")),
                    self.path_key(get("resultPath")),
                    Self::key(get("value")),
                    Self::key(get("sourceConstraintComponent")),
                    Self::key(get("resultSeverity")),
                    Self::key(get("sourceShape")),
                ]
                .join(" | ");
                let messages = self
                    .objects(result, &format!("{SH}resultMessage"))
                    .map(ToString::to_string)
                    .collect();
                (key, messages)
            })
            .collect();
        results.sort();
        (conforms, results)
    }
}

/// One `sht:Validate` entry.
struct Case {
    name: String,
    suite: &'static str,
    data: PathBuf,
    shapes: PathBuf,
    /// `None` when the shapes must be refused; else `sh:conforms` and the result keys.
    expected: Option<Report>,
}

/// `sh:conforms` and the results (key, messages) of a report graph.
type Report = (Option<bool>, Vec<(String, Vec<String>)>);

fn file_of(term: &Term) -> TestResult<PathBuf> {
    match term {
        Term::NamedNode(iri) => Ok(PathBuf::from(
            iri.as_str()
                .strip_prefix("file://")
                .ok_or_else(|| format!("not a file IRI: {iri}"))?,
        )),
        other => Err(format!("expected a file IRI, found {other}").into()),
    }
}

fn collect_cases(manifest: &Path, out: &mut Vec<Case>) -> TestResult {
    let graph = Graph::load(manifest)?;
    for m in graph.subjects_of_type(&format!("{MF}Manifest")) {
        for include in graph.objects(&m, &format!("{MF}include")) {
            collect_cases(&file_of(include)?, out)?;
        }
        for entries in graph.objects(&m, &format!("{MF}entries")) {
            for entry in graph.list(entries) {
                let is_validate = graph
                    .objects(&entry, &format!("{RDF}type"))
                    .any(|t| t.to_string() == format!("<{SHT}Validate>"));
                if !is_validate {
                    continue;
                }
                let action = graph
                    .object(&entry, &format!("{MF}action"))
                    .ok_or("no mf:action")?;
                let data = graph
                    .object(action, &format!("{SHT}dataGraph"))
                    .ok_or("no sht:dataGraph")?;
                let shapes = graph
                    .object(action, &format!("{SHT}shapesGraph"))
                    .ok_or("no sht:shapesGraph")?;
                let result = graph
                    .object(&entry, &format!("{MF}result"))
                    .ok_or("no mf:result")?;
                let text = manifest.display().to_string();
                out.push(Case {
                    name: match &entry {
                        Term::NamedNode(iri) => iri
                            .as_str()
                            .rsplit('/')
                            .take(2)
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .collect::<Vec<_>>()
                            .join("/"),
                        other => other.to_string(),
                    },
                    suite: if text.contains("/sparql/") {
                        "sparql"
                    } else {
                        "core"
                    },
                    data: file_of(data)?,
                    shapes: file_of(shapes)?,
                    expected: if result.to_string() == format!("<{SHT}Failure>") {
                        None
                    } else {
                        Some(graph.report(result))
                    },
                });
            }
        }
    }
    Ok(())
}

/// Runs one case; `Ok(None)` when it passes, `Ok(Some(reason))` when it does not.
fn run_case(case: &Case) -> TestResult<Option<String>> {
    let shapes_graph = Graph::load(&case.shapes)?;
    let data_triples = if case.data == case.shapes {
        // The same parse, so that blank nodes shared by shapes and data stay the same nodes.
        shapes_graph.triples.clone()
    } else {
        Graph::load(&case.data)?.triples
    };
    let shapes = Shapes::from_triples(&shapes_graph.triples);
    let (shapes, (expected_conforms, expected_results)) = match (shapes, &case.expected) {
        (Err(_), None) => return Ok(None),
        (Ok(_), None) => return Ok(Some("expected the shapes to be refused at load".to_owned())),
        (Err(error), Some(_)) => return Ok(Some(format!("load failed: {error}"))),
        (Ok(shapes), Some(expected)) => (shapes, expected),
    };
    let report = match shapes.validate(&DataGraph::from_triples(&data_triples)) {
        Ok(report) => report,
        Err(error) => return Ok(Some(format!("validation failed: {error}"))),
    };
    let actual = Graph::new(report.to_triples());
    let actual_node = actual
        .subjects_of_type(&format!("{SH}ValidationReport"))
        .pop()
        .ok_or("the report graph has no sh:ValidationReport")?;
    let (actual_conforms, actual_results) = actual.report(&actual_node);
    if actual_conforms != *expected_conforms {
        return Ok(Some(format!(
            "conforms {actual_conforms:?}, expected {expected_conforms:?}"
        )));
    }
    let keys = |results: &[(String, Vec<String>)]| {
        results.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()
    };
    if keys(&actual_results) != keys(expected_results) {
        return Ok(Some(format!(
            "results differ\n      actual:   {:#?}\n      expected: {:#?}",
            keys(&actual_results),
            keys(expected_results)
        )));
    }
    for (key, messages) in expected_results {
        let found = actual_results
            .iter()
            .any(|(k, m)| k == key && messages.iter().all(|message| m.contains(message)));
        if !found {
            return Ok(Some(format!("missing messages {messages:?} for {key}")));
        }
    }
    Ok(None)
}

/// Passed and failed tests (name, reason) of one suite.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<(String, String)>,
}

#[allow(clippy::print_stdout)]
fn print_summary(counts: &BTreeMap<&str, Tally>) {
    for (suite, tally) in counts {
        println!(
            "W3C SHACL {suite}: {} passed, {} failed",
            tally.passed,
            tally.failed.len()
        );
        for (name, reason) in &tally.failed {
            println!("  FAIL {name}: {reason}");
        }
    }
}

fn conformance_dir() -> PathBuf {
    match std::env::var_os("AGORA_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    }
}

#[test]
fn w3c_shacl_core_and_sparql_suites_pass() -> TestResult {
    let root = conformance_dir().join("shacl/manifest.ttl");
    let root = root.canonicalize().map_err(|e| {
        format!(
            "{}: {e} (set AGORA_CONFORMANCE_DIR to the conformance folder)",
            root.display()
        )
    })?;
    let mut cases = Vec::new();
    collect_cases(&root, &mut cases)?;
    let mut counts: BTreeMap<&str, Tally> = BTreeMap::new();
    for case in &cases {
        let tally = counts.entry(case.suite).or_default();
        match run_case(case)? {
            None => tally.passed += 1,
            Some(reason) => tally.failed.push((case.name.clone(), reason)),
        }
    }
    print_summary(&counts);
    let core = counts.get("core").map_or(0, |t| t.passed);
    let sparql = counts.get("sparql").map_or(0, |t| t.passed);
    let expected_failures: Vec<&str> = EXPECTED_FAILURES.iter().map(|(name, _)| *name).collect();
    let unexpected: Vec<&String> = counts
        .values()
        .flat_map(|t| t.failed.iter().map(|(name, _)| name))
        .filter(|name| !expected_failures.contains(&name.as_str()))
        .collect();
    assert_eq!(
        cases.iter().filter(|c| c.suite == "core").count(),
        98,
        "core test count"
    );
    assert_eq!(
        cases.iter().filter(|c| c.suite == "sparql").count(),
        22,
        "sparql test count"
    );
    assert!(unexpected.is_empty(), "unexpected failures: {unexpected:?}");
    assert!(core == 98, "core: {core}/98 passed");
    assert!(sparql >= 21, "sparql: {sparql}/22 passed");
    Ok(())
}
