//! Independent, widely used SPARQL clients against a real Agora: Python's SPARQLWrapper, rdflib's
//! `SPARQLStore` and Comunica (`@comunica/query-sparql` 4.x on Node). Each runs a SELECT, two
//! ASKs (one true, one false) and a CONSTRUCT (`tests/clients/*`), and its answers must be what
//! the demo data files say, read here straight from `fixtures/demo`, not from Agora.
//!
//! The clients are installed by `tests/clients/install.sh` (which `.ci/run` calls) and found
//! through `AGORA_PYTHON` (a Python with SPARQLWrapper and rdflib; default
//! `~/.cache/agora/venv/bin/python`), `AGORA_COMUNICA` (a `node_modules` folder holding
//! `@comunica/query-sparql`; default `~/.cache/agora/node/node_modules`) and `AGORA_NODE` (default
//! `node`). A missing client fails its test with the command that installs it.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{vocab, BlankNode, Literal, NamedNode, Term, Triple};
use serde::Deserialize;

use crate::helpers::{spawn_app, TestApp};

const PARTICIPATIE: &str = "https://agora.vlaanderen.be/ns/participatie#";
const DCT_TITLE: &str = "http://purl.org/dc/terms/title";

const SELECT: &str = "PREFIX participatie: <https://agora.vlaanderen.be/ns/participatie#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?consultation ?title WHERE {
  ?consultation a participatie:Consultatie ; dct:title ?title
  FILTER(LANG(?title) = \"nl\")
}
ORDER BY ?consultation";
const ASK_YES: &str = "PREFIX participatie: <https://agora.vlaanderen.be/ns/participatie#>
ASK { ?proposal a participatie:Burgervoorstel }";
const ASK_NO: &str = "PREFIX participatie: <https://agora.vlaanderen.be/ns/participatie#>
PREFIX dct: <http://purl.org/dc/terms/>
ASK { ?consultation a participatie:Consultatie ; dct:title \"Geen consultatie heet zo\"@nl }";
const CONSTRUCT: &str = "PREFIX participatie: <https://agora.vlaanderen.be/ns/participatie#>
PREFIX dct: <http://purl.org/dc/terms/>
CONSTRUCT { ?consultation dct:title ?title }
WHERE { ?consultation a participatie:Consultatie ; dct:title ?title }";

/// How long a client may take before the test gives up on it.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);

/// What a client script prints.
#[derive(Deserialize)]
struct Answers {
    client: String,
    variables: Vec<String>,
    select: Vec<Vec<Option<JsonTerm>>>,
    ask_yes: bool,
    ask_no: bool,
    construct: Vec<[JsonTerm; 3]>,
}

/// A term as the client scripts write it.
#[derive(Deserialize)]
struct JsonTerm {
    iri: Option<String>,
    bnode: Option<String>,
    value: Option<String>,
    lang: Option<String>,
    datatype: Option<String>,
}

impl JsonTerm {
    fn to_term(&self) -> Result<Term, String> {
        let fail = |e: &dyn std::fmt::Display| e.to_string();
        Ok(match (&self.iri, &self.bnode, &self.value) {
            (Some(iri), _, _) => NamedNode::new(iri).map_err(|e| fail(&e))?.into(),
            (_, Some(id), _) => BlankNode::new(id).map_err(|e| fail(&e))?.into(),
            (_, _, Some(value)) => match (&self.lang, &self.datatype) {
                (Some(lang), _) => Literal::new_language_tagged_literal(value, lang)
                    .map_err(|e| fail(&e))?
                    .into(),
                (None, Some(datatype)) => Literal::new_typed_literal(
                    value,
                    NamedNode::new(datatype).map_err(|e| fail(&e))?,
                )
                .into(),
                (None, None) => Literal::new_simple_literal(value).into(),
            },
            _ => return Err("a term with neither iri, bnode nor value".to_owned()),
        })
    }
}

/// The answers the demo data implies, read from `fixtures/demo`.
struct Expected {
    /// (consultation, Dutch title), in IRI order.
    select: Vec<(Term, Term)>,
    /// Every title of every consultation.
    construct: BTreeSet<String>,
}

fn expected_from_demo_files() -> Expected {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let mut triples: Vec<Triple> = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("fixtures/demo is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "ttl") {
            let data = std::fs::read(&path).expect("a demo file is readable");
            for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&data) {
                triples.push(quad.expect("the demo files parse").into());
            }
        }
    }
    let consultation_class = format!("{PARTICIPATIE}Consultatie");
    let consultations: HashSet<Term> = triples
        .iter()
        .filter(|t| {
            t.predicate == vocab::rdf::TYPE
                && matches!(&t.object, Term::NamedNode(c) if c.as_str() == consultation_class)
        })
        .map(|t| t.subject.clone().into())
        .collect();
    let titles: Vec<&Triple> = triples
        .iter()
        .filter(|t| {
            t.predicate.as_str() == DCT_TITLE && consultations.contains(&t.subject.clone().into())
        })
        .collect();
    let mut select: Vec<(Term, Term)> = titles
        .iter()
        .filter(|t| matches!(&t.object, Term::Literal(l) if l.language() == Some("nl")))
        .map(|t| (t.subject.clone().into(), t.object.clone()))
        .collect();
    select.sort_by_key(|(consultation, _)| consultation.to_string());
    Expected {
        select,
        construct: titles.iter().map(ToString::to_string).collect(),
    }
}

/// Runs a client script with the queries on its standard input; panics with the install
/// command when the client is not there.
async fn run_client(
    app: &TestApp,
    program: &Path,
    args: &[&Path],
    envs: &[(&str, &Path)],
) -> Answers {
    let spec = serde_json::json!({
        "endpoint": format!("{}/sparql", app.address),
        "variables": ["consultation", "title"],
        "select": SELECT,
        "ask_yes": ASK_YES,
        "ask_no": ASK_NO,
        "construct": CONSTRUCT,
    });
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in envs {
        command.env(name, value);
    }
    let run = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn()?;
        child
            .stdin
            .take()
            .expect("a piped stdin")
            .write_all(spec.to_string().as_bytes())?;
        child.wait_with_output()
    });
    let output = tokio::time::timeout(CLIENT_TIMEOUT, run)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "{} {args:?} gave no answer in {CLIENT_TIMEOUT:?}",
                program.display()
            )
        })
        .expect("the client thread ends")
        .unwrap_or_else(|error| panic!("{} does not run: {error}; {INSTALL}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed ({}):\n{}",
        program.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "unreadable answers ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

const INSTALL: &str =
    "install the SPARQL clients with `bash tests/clients/install.sh` (CI runs it), \
     or point AGORA_PYTHON / AGORA_COMUNICA / AGORA_NODE at existing installs";

/// Checks a client's answers against the demo data.
#[allow(clippy::print_stdout)]
fn check(answers: &Answers) {
    let client = &answers.client;
    let expected = expected_from_demo_files();
    assert_eq!(
        expected.select.len(),
        6,
        "the demo data has six consultations"
    );
    assert_eq!(
        answers.variables,
        ["consultation", "title"],
        "{client}: variables"
    );
    let select: Vec<(Term, Term)> = answers
        .select
        .iter()
        .map(|row| match row.as_slice() {
            [Some(c), Some(t)] => (
                c.to_term().expect("a valid term"),
                t.to_term().expect("a valid term"),
            ),
            _ => panic!("{client}: a row without both bindings"),
        })
        .collect();
    assert_eq!(select, expected.select, "{client}: SELECT");
    assert!(answers.ask_yes, "{client}: the true ASK answered false");
    assert!(!answers.ask_no, "{client}: the false ASK answered true");
    let construct: BTreeSet<String> = answers
        .construct
        .iter()
        .map(|[s, p, o]| {
            let subject = match s.to_term().expect("a valid term") {
                Term::NamedNode(n) => n,
                other => panic!("{client}: subject {other}"),
            };
            let predicate = match p.to_term().expect("a valid term") {
                Term::NamedNode(n) => n,
                other => panic!("{client}: predicate {other}"),
            };
            Triple::new(subject, predicate, o.to_term().expect("a valid term")).to_string()
        })
        .collect();
    assert_eq!(construct, expected.construct, "{client}: CONSTRUCT");
    println!(
        "SPARQL client {client}: SELECT {} rows, ASK true and false, CONSTRUCT {} triples, as in the demo data",
        select.len(),
        construct.len()
    );
}

fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/agora")
}

fn env_path(name: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(name).map_or(default, PathBuf::from)
}

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// Runs `tests/clients/install.sh` once per test run when the clients are looked for in their
/// default place (no `AGORA_PYTHON` / `AGORA_COMUNICA`), so that `cargo test` alone is enough on
/// a fresh machine. The script is idempotent and takes a few milliseconds once installed.
fn ensure_installed() {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        if std::env::var_os("AGORA_PYTHON").is_some()
            && std::env::var_os("AGORA_COMUNICA").is_some()
        {
            return;
        }
        // If this fails, the tests below fail with the install command and what is missing.
        let _ = Command::new("bash")
            .arg(clients_dir().join("install.sh"))
            .stdout(Stdio::null())
            .status();
    });
}

async fn python_client(name: &str) {
    tokio::task::spawn_blocking(ensure_installed)
        .await
        .expect("the install step ends");
    let python = env_path("AGORA_PYTHON", cache_dir().join("venv/bin/python"));
    let present = Command::new(&python)
        .args(["-c", "import SPARQLWrapper, rdflib"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        present,
        "{} has no SPARQLWrapper and rdflib: {INSTALL}",
        python.display()
    );
    let app = spawn_app().await;
    let script = clients_dir().join("python_clients.py");
    let answers = run_client(&app, &python, &[&script, Path::new(name)], &[]).await;
    app.stop().await;
    check(&answers);
}

#[tokio::test]
async fn sparqlwrapper_gets_the_demo_data() {
    python_client("sparqlwrapper").await;
}

#[tokio::test]
async fn rdflib_sparqlstore_gets_the_demo_data() {
    python_client("rdflib").await;
}

#[tokio::test]
async fn comunica_gets_the_demo_data() {
    tokio::task::spawn_blocking(ensure_installed)
        .await
        .expect("the install step ends");
    let modules = env_path("AGORA_COMUNICA", cache_dir().join("node/node_modules"));
    let node = env_path("AGORA_NODE", PathBuf::from("node"));
    assert!(
        modules
            .join("@comunica/query-sparql/package.json")
            .is_file(),
        "no @comunica/query-sparql in {}: {INSTALL}",
        modules.display()
    );
    let app = spawn_app().await;
    let script = clients_dir().join("comunica_client.cjs");
    let answers = run_client(&app, &node, &[&script], &[("NODE_PATH", &modules)]).await;
    app.stop().await;
    check(&answers);
}
