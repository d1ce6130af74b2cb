//! The SPARQL 1.1 query-evaluation tests, over HTTP.
//!
//! Every data file of the suite is loaded once, as a named graph called by its `file://` IRI
//! (`Store::put_graph`: raw data, not records, outside the published default graph). Each query
//! is sent with the test's dataset as protocol parameters: `default-graph-uri` for `qt:data`
//! (an empty graph when there is none), `named-graph-uri` for `qt:graphData`; a query with its
//! own `FROM`/`FROM NAMED` is sent without them, as the protocol would let the parameters
//! override its dataset. The query gets a `BASE` of its file's IRI, the base the manifest
//! gives it. Each query is asked in every format its form can be sent in (SELECT: JSON, XML, TSV;
//! ASK: JSON, XML; CONSTRUCT and DESCRIBE: Turtle, N-Triples, RDF/XML, JSON-LD), by GET, form
//! POST and direct POST in turn, and each answer must match the expected one.

use std::path::{Path, PathBuf};

use agora::config::ServeConfig;
use futures_util::StreamExt;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsFormat;
use spargebra::algebra::GraphPattern;
use spargebra::Query;

use super::manifest::{
    file_iri, file_of, parse_rdf, suite_file, test_name, Graph, Tally, TestResult, MF, QT,
};
use super::results::{difference, Answer, Format, JSON_LD};
use crate::helpers::{spawn_app_with, test_config, TestApp};

/// Tests that do not pass, each with its reason (also listed in ARCHITECTURE.md). Every one is
/// Oxigraph 0.5.13's evaluation over a store, the same without HTTP: each was reproduced
/// in-process on a plain `oxigraph::store::Store` with the data in its real default graph.
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    (
        "aggregates/agg-groupconcat-04",
        "Oxigraph keeps the shared language tag on GROUP_CONCAT (\"1 2\"@en); the test wants a simple literal",
    ),
    (
        "aggregates/agg-groupconcat-06",
        "Oxigraph keeps the shared language tag on GROUP_CONCAT (\"1\"@en); the test wants a simple literal",
    ),
    (
        "aggregates/agg-empty-group-count-graph",
        "Oxigraph evaluates a sub-SELECT inside GRAPH ?g once, not per named graph (no ?g, no zero count)",
    ),
    (
        "bindings/graph",
        "Oxigraph evaluates VALUES inside GRAPH ?g once, not per named graph (?g left unbound)",
    ),
    (
        "negation/graph-minus",
        "Oxigraph returns nothing for MINUS inside GRAPH ?g",
    ),
    (
        "functions/bnode01",
        "Oxigraph's BNODE(str) labels the node with the string, so equal strings give the same blank node across solutions; the spec wants a fresh one per solution (Oxigraph's own harness matches blank nodes solution by solution and does not see it)",
    ),
    (
        "property-path/zero_or_more_set_start",
        "Oxigraph gives no zero-length match for ?s :p* :o when :o is in no triple of the graph",
    ),
    (
        "property-path/zero_or_more_set_end",
        "Oxigraph gives no zero-length match for :s :p* ?o when :s is in no triple of the graph",
    ),
    (
        "property-path/zero_or_one_set_start",
        "Oxigraph gives no zero-length match for ?s :p? :o when :o is in no triple of the graph",
    ),
    (
        "property-path/zero_or_one_set_end",
        "Oxigraph gives no zero-length match for :s :p? ?o when :s is in no triple of the graph",
    ),
];

/// Tests that must pass: a regression below this fails the run.
const FLOOR: usize = 215;

/// The default graph of a test without `qt:data`: a name no graph has.
const EMPTY_GRAPH: &str = "urn:x-agora:w3c:empty";

/// How many queries are in flight at once: the machine has two cores.
const PARALLEL: usize = 2;

/// One `mf:QueryEvaluationTest`.
struct Case {
    name: String,
    query: PathBuf,
    data: Vec<PathBuf>,
    graph_data: Vec<PathBuf>,
    result: PathBuf,
}

/// How a query is sent.
#[derive(Debug, Clone, Copy)]
enum Method {
    Get,
    PostForm,
    PostDirect,
}

const METHODS: [Method; 3] = [Method::Get, Method::PostForm, Method::PostDirect];

fn collect_cases(manifest: &Path, out: &mut Vec<Case>) -> TestResult {
    let graph = Graph::load(manifest)?;
    for m in graph.subjects_of_type(&format!("{MF}Manifest")) {
        for include in graph.members(&m, &format!("{MF}include")) {
            collect_cases(&file_of(&include)?, out)?;
        }
        for entry in graph.members(&m, &format!("{MF}entries")) {
            if !graph.has_type(&entry, &format!("{MF}QueryEvaluationTest")) {
                continue;
            }
            let action = graph
                .object(&entry, &format!("{MF}action"))
                .ok_or("no mf:action")?;
            let files = |predicate: &str| -> TestResult<Vec<PathBuf>> {
                graph
                    .objects(action, &format!("{QT}{predicate}"))
                    .map(file_of)
                    .collect()
            };
            out.push(Case {
                name: test_name(&entry, manifest),
                query: file_of(
                    graph
                        .object(action, &format!("{QT}query"))
                        .ok_or("no qt:query")?,
                )?,
                data: files("data")?,
                graph_data: files("graphData")?,
                result: file_of(
                    graph
                        .object(&entry, &format!("{MF}result"))
                        .ok_or("no mf:result")?,
                )?,
            });
        }
    }
    Ok(())
}

/// Loads every data file of `cases` once, each as the named graph of its IRI.
fn load_data(app: &TestApp, cases: &[Case]) -> TestResult {
    let mut files: Vec<&PathBuf> = cases
        .iter()
        .flat_map(|case| case.data.iter().chain(&case.graph_data))
        .collect();
    files.sort();
    files.dedup();
    for file in files {
        let graph = NamedNode::new(file_iri(file))?;
        app.store.put_graph(graph.as_ref(), &parse_rdf(file)?)?;
    }
    Ok(())
}

/// The media types a query form is asked in, with the format to read them.
fn formats(query: &Query) -> Vec<(&'static str, Format)> {
    let results = |format| Format::Results(format);
    let rdf = |format| Format::Rdf(format);
    match query {
        Query::Select { .. } => vec![
            (
                "application/sparql-results+json",
                results(QueryResultsFormat::Json),
            ),
            (
                "application/sparql-results+xml",
                results(QueryResultsFormat::Xml),
            ),
            (
                "text/tab-separated-values",
                results(QueryResultsFormat::Tsv),
            ),
        ],
        Query::Ask { .. } => vec![
            (
                "application/sparql-results+json",
                results(QueryResultsFormat::Json),
            ),
            (
                "application/sparql-results+xml",
                results(QueryResultsFormat::Xml),
            ),
        ],
        Query::Construct { .. } | Query::Describe { .. } => vec![
            ("text/turtle", rdf(RdfFormat::Turtle)),
            ("application/n-triples", rdf(RdfFormat::NTriples)),
            ("application/rdf+xml", rdf(RdfFormat::RdfXml)),
            ("application/ld+json", rdf(JSON_LD)),
        ],
    }
}

/// Whether the solutions are ordered: an `ORDER BY` under the query's solution modifiers.
fn is_ordered(query: &Query) -> bool {
    let Query::Select { pattern, .. } = query else {
        return false;
    };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Project { inner, .. } => pattern = inner,
            GraphPattern::OrderBy { .. } => return true,
            _ => return false,
        }
    }
}

fn has_dataset(query: &Query) -> bool {
    match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset.is_some(),
    }
}

/// Runs one case; `Ok(None)` when it passes, `Ok(Some(reason))` when it does not.
async fn run_case(app: &TestApp, case: &Case) -> TestResult<Option<String>> {
    let text = std::fs::read_to_string(&case.query)?;
    let base = file_iri(&case.query);
    let query = match spargebra::SparqlParser::new()
        .with_base_iri(&base)?
        .parse_query(&text)
    {
        Ok(query) => query,
        Err(error) => return Ok(Some(format!("the query does not parse here: {error}"))),
    };
    let sent = format!("BASE <{base}>\n{text}");
    let mut graphs: Vec<(&str, String)> = Vec::new();
    if !has_dataset(&query) {
        if case.data.is_empty() {
            graphs.push(("default-graph-uri", EMPTY_GRAPH.to_owned()));
        }
        for file in &case.data {
            graphs.push(("default-graph-uri", file_iri(file)));
        }
        for file in &case.graph_data {
            graphs.push(("named-graph-uri", file_iri(file)));
        }
    }
    let expected = Answer::from_file(&case.result)?;
    let ordered = is_ordered(&query);
    for (index, (media_type, format)) in formats(&query).into_iter().enumerate() {
        let method = METHODS[index % METHODS.len()];
        let response = send(app, method, &sent, &graphs, media_type).await?;
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.bytes().await?;
        if status != 200 {
            return Ok(Some(format!(
                "{media_type} by {method:?}: status {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        if !content_type.starts_with(media_type) {
            return Ok(Some(format!(
                "asked {media_type}, got Content-Type {content_type}"
            )));
        }
        let actual = match Answer::parse(&body, format, Some(&base)) {
            Ok(actual) => actual,
            Err(error) => return Ok(Some(format!("{media_type}: unreadable answer: {error}"))),
        };
        if let Some(why) = difference(&expected, &actual, ordered) {
            return Ok(Some(format!("{media_type} by {method:?}: {why}")));
        }
    }
    Ok(None)
}

async fn send(
    app: &TestApp,
    method: Method,
    query: &str,
    graphs: &[(&str, String)],
    accept: &str,
) -> TestResult<reqwest::Response> {
    let url = format!("{}/sparql", app.address);
    let encode = |pairs: &[(&str, &str)]| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let graph_pairs: Vec<(&str, &str)> = graphs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let with_query = || {
        let mut pairs = vec![("query", query)];
        pairs.extend(&graph_pairs);
        encode(&pairs)
    };
    let request = match method {
        Method::Get => app.client.get(format!("{url}?{}", with_query())),
        Method::PostForm => app
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(with_query()),
        Method::PostDirect => app
            .client
            .post(format!("{url}?{}", encode(&graph_pairs)))
            .header("content-type", "application/sparql-query")
            .body(query.to_owned()),
    };
    Ok(request.header("accept", accept).send().await?)
}

#[allow(clippy::print_stdout)]
fn print_summary(tally: &Tally) {
    println!(
        "W3C SPARQL query: {}/{} passed",
        tally.passed.len(),
        tally.total()
    );
    for (name, reason) in &tally.failed {
        let listed = EXPECTED_FAILURES
            .iter()
            .find(|(n, _)| n == name)
            .map_or(String::new(), |(_, why)| format!(" [known: {why}]"));
        println!("  FAIL {name}{listed}: {reason}");
    }
}

fn config() -> ServeConfig {
    ServeConfig {
        demo: false,
        ..test_config()
    }
}

#[tokio::test]
async fn w3c_sparql_query_evaluation_over_http() -> TestResult {
    let mut cases = Vec::new();
    collect_cases(
        &suite_file("sparql11/manifest-sparql11-query.ttl")?,
        &mut cases,
    )?;
    let app = spawn_app_with(config()).await;
    load_data(&app, &cases)?;
    let outcomes: Vec<(String, TestResult<Option<String>>)> = futures_util::stream::iter(&cases)
        .map(|case| async { (case.name.clone(), run_case(&app, case).await) })
        .buffered(PARALLEL)
        .collect()
        .await;
    let mut tally = Tally::default();
    for (name, outcome) in outcomes {
        match outcome {
            Ok(None) => tally.passed.push(name),
            Ok(Some(reason)) => tally.failed.push((name, reason)),
            Err(error) => tally.failed.push((name, format!("runner error: {error}"))),
        }
    }
    print_summary(&tally);
    app.stop().await;
    let (unexpected, fixed) = tally.surprises(EXPECTED_FAILURES);
    assert_eq!(tally.total(), 225, "query-evaluation test count");
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
    assert!(
        fixed.is_empty(),
        "these now pass: remove them from EXPECTED_FAILURES and raise FLOOR: {fixed:?}"
    );
    assert!(
        tally.passed.len() >= FLOOR,
        "{} passed, below the floor of {FLOOR}",
        tally.passed.len()
    );
    Ok(())
}
