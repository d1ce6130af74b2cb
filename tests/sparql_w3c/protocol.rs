//! The SPARQL 1.1 Protocol tests, over HTTP.
//!
//! Each test is a list of `ht:Request`s (method, path, headers, body) with the response each must
//! get (`mf:expectedStatus` as a status class, `mf:expectedFormat`, `mf:expectedBoolean`). The
//! manifest's `/sparql/` paths are rewritten to Agora's `/sparql`; `ut:graphData` files are
//! loaded once, as the named graphs their labels name.
//!
//! Agora's endpoint is read-only. The update-side tests (those whose identifier names an update)
//! therefore cannot pass as written: they must get the refusal the endpoint is designed to give
//! (403 for anything recognisably an update; 415 for a body whose media type is neither form nor
//! SPARQL, which the endpoint cannot read at all), their follow-up queries are not sent, and the
//! store must be unchanged at the end.

use std::path::{Path, PathBuf};

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::QueryResultsFormat;
use reqwest::Method;

use super::manifest::{
    file_of, parse_rdf, suite_file, test_name, Graph, Tally, TestResult, CNT, HT, MF, RDFS, UT,
};
use super::results::{Answer, Format, JSON_LD};
use crate::helpers::{spawn_app, TestApp};

/// Query-side tests that do not pass, each with its reason (also listed in ARCHITECTURE.md).
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

/// Query-side tests that must pass.
const FLOOR: usize = 20;

const HTS: &str = "http://www.w3.org/2011/http-statusCodes#";

/// One `ht:Request` and the response it must get.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    status_classes: Vec<u16>,
    format: Option<String>,
    boolean: Option<bool>,
}

/// One `mf:ProtocolTest`.
struct Case {
    name: String,
    is_update: bool,
    requests: Vec<Request>,
}

fn read_request(graph: &Graph, node: &Term) -> TestResult<Request> {
    let body = match graph.object(node, &format!("{HT}body")) {
        None => None,
        Some(body) => {
            let chars = graph
                .literal(body, &format!("{CNT}chars"))
                .ok_or("a body without cnt:chars")?;
            let encoding = graph
                .literal(body, &format!("{CNT}characterEncoding"))
                .unwrap_or("UTF-8");
            Some(match encoding {
                // Big-endian with a byte-order mark, as the UTF-16 charset is defined.
                "UTF-16" => [0xFE, 0xFF]
                    .into_iter()
                    .chain(chars.encode_utf16().flat_map(u16::to_be_bytes))
                    .collect(),
                _ => chars.as_bytes().to_vec(),
            })
        }
    };
    let headers = graph
        .members(node, &format!("{HT}headers"))
        .iter()
        .filter_map(|header| {
            Some((
                graph.literal(header, &format!("{HT}fieldName"))?.to_owned(),
                graph
                    .literal(header, &format!("{HT}fieldValue"))?
                    .to_owned(),
            ))
        })
        .collect();
    let response = graph
        .object(node, &format!("{HT}resp"))
        .ok_or("no ht:resp")?;
    let status_classes = graph
        .objects(response, &format!("{MF}expectedStatus"))
        .filter_map(|status| match status {
            Term::NamedNode(n) => n
                .as_str()
                .strip_prefix(&format!("{HTS}StatusCode"))?
                .strip_suffix("xx")?
                .parse()
                .ok(),
            _ => None,
        })
        .collect();
    Ok(Request {
        method: graph
            .literal(node, &format!("{HT}methodName"))
            .ok_or("no ht:methodName")?
            .to_owned(),
        path: graph
            .literal(node, &format!("{HT}absolutePath"))
            .ok_or("no ht:absolutePath")?
            .replacen("/sparql/", "/sparql", 1),
        headers,
        body,
        status_classes,
        format: graph
            .literal(response, &format!("{MF}expectedFormat"))
            .map(str::to_owned),
        boolean: graph
            .literal(response, &format!("{MF}expectedBoolean"))
            .map(|b| b == "true"),
    })
}

/// The graphs (name, file) the tests need.
type GraphFiles = Vec<(NamedNode, PathBuf)>;

/// The tests of the manifest, and the graphs they need.
fn read_manifest(manifest: &Path) -> TestResult<(Vec<Case>, GraphFiles)> {
    let graph = Graph::load(manifest)?;
    let mut cases = Vec::new();
    let mut graphs = Vec::new();
    for m in graph.subjects_of_type(&format!("{MF}Manifest")) {
        for entry in graph.members(&m, &format!("{MF}entries")) {
            for data in graph.objects(&entry, &format!("{UT}graphData")) {
                let file = file_of(
                    graph
                        .object(data, &format!("{UT}graph"))
                        .ok_or("no ut:graph")?,
                )?;
                let label = graph
                    .literal(data, &format!("{RDFS}label"))
                    .ok_or("no graph label")?;
                let name = NamedNode::new(label)?;
                if !graphs.iter().any(|(n, _): &(NamedNode, _)| *n == name) {
                    graphs.push((name, file));
                }
            }
            let action = graph
                .object(&entry, &format!("{MF}action"))
                .ok_or("no mf:action")?;
            let requests = graph
                .members(action, &format!("{HT}requests"))
                .iter()
                .map(|request| read_request(&graph, request))
                .collect::<TestResult<Vec<_>>>()?;
            let name = test_name(&entry, manifest);
            cases.push(Case {
                is_update: name.contains("update"),
                name,
                requests,
            });
        }
    }
    Ok((cases, graphs))
}

async fn send(app: &TestApp, request: &Request) -> TestResult<reqwest::Response> {
    let mut builder = app.client.request(
        Method::from_bytes(request.method.as_bytes())?,
        format!("{}{}", app.address, request.path),
    );
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    Ok(builder.send().await?)
}

/// Checks one query-side request; `Some(reason)` when the response is not the expected one.
async fn check_query_request(app: &TestApp, request: &Request) -> TestResult<Option<String>> {
    let response = send(app, request).await?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    let body = response.bytes().await?;
    if !request.status_classes.contains(&(status / 100)) {
        return Ok(Some(format!(
            "{} {}: status {status}, expected {:?}xx: {}",
            request.method,
            request.path,
            request.status_classes,
            String::from_utf8_lossy(&body)
        )));
    }
    let Some(expected_format) = &request.format else {
        return Ok(None);
    };
    let results = |format| Some(Format::Results(format));
    let format = match (expected_format.as_str(), content_type.as_str()) {
        ("boolean" | "tabular", "application/sparql-results+json") => {
            results(QueryResultsFormat::Json)
        }
        ("boolean" | "tabular", "application/sparql-results+xml") => {
            results(QueryResultsFormat::Xml)
        }
        ("tabular", "text/tab-separated-values") => results(QueryResultsFormat::Tsv),
        // CSV cannot be read back losslessly; its media type is the check.
        ("tabular", "text/csv") => None,
        ("RDF", "text/turtle") => Some(Format::Rdf(RdfFormat::Turtle)),
        ("RDF", "application/n-triples") => Some(Format::Rdf(RdfFormat::NTriples)),
        ("RDF", "application/rdf+xml") => Some(Format::Rdf(RdfFormat::RdfXml)),
        ("RDF", "application/ld+json") => Some(Format::Rdf(JSON_LD)),
        _ => {
            return Ok(Some(format!(
                "a {expected_format} answer expected, got Content-Type {content_type:?}"
            )))
        }
    };
    let Some(format) = format else {
        return Ok(None);
    };
    let answer = match Answer::parse(&body, format, None) {
        Ok(answer) => answer,
        Err(error) => return Ok(Some(format!("unreadable {content_type}: {error}"))),
    };
    Ok(match (expected_format.as_str(), &answer, request.boolean) {
        ("boolean", Answer::Boolean(value), Some(expected)) if *value != expected => {
            Some(format!("{value}, expected {expected}"))
        }
        ("boolean", Answer::Boolean(_), _)
        | ("tabular", Answer::Solutions { .. }, _)
        | ("RDF", Answer::Graph(_), _) => None,
        _ => Some(format!(
            "a {expected_format} answer expected, got {answer:?}"
        )),
    })
}

/// The status Agora is designed to answer an update request with.
fn designed_refusal(request: &Request) -> u16 {
    let content_type = request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    match content_type {
        Some(value) if value.starts_with("application/sparql-update") => 403,
        Some(value) if value.starts_with("application/x-www-form-urlencoded") => 403,
        _ if request.method == "GET" => 403,
        // Neither form nor SPARQL: the endpoint cannot read the body at all.
        _ => 415,
    }
}

/// Checks that the update of an update-side test is refused as designed.
async fn check_update_refused(app: &TestApp, case: &Case) -> TestResult<Option<String>> {
    let request = case.requests.first().ok_or("no request")?;
    let response = send(app, request).await?;
    let status = response.status().as_u16();
    let expected = designed_refusal(request);
    if status != expected {
        let body = response.text().await?;
        return Ok(Some(format!(
            "{} {}: status {status}, designed refusal {expected}: {body}",
            request.method, request.path
        )));
    }
    Ok(None)
}

/// What must not change when updates are refused: the published triples and the test graphs.
async fn fingerprint(app: &TestApp) -> (usize, serde_json::Value) {
    let published = app
        .store
        .published_triple_count()
        .expect("the store counts its triples");
    let graphs = app
        .sparql_select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        )
        .await;
    (published, graphs["results"]["bindings"].clone())
}

#[allow(clippy::print_stdout)]
fn print_summary(queries: &Tally, updates: &Tally) {
    println!(
        "W3C SPARQL protocol: {}/{} passed",
        queries.passed.len(),
        queries.total()
    );
    println!(
        "W3C SPARQL protocol, update side: {}/{} refused by design (the endpoint is read-only): {}",
        updates.passed.len(),
        updates.total(),
        updates.passed.join(", ")
    );
    for (name, reason) in queries.failed.iter().chain(&updates.failed) {
        println!("  FAIL {name}: {reason}");
    }
}

#[tokio::test]
async fn w3c_sparql_protocol_over_http() -> TestResult {
    let (cases, graphs) = read_manifest(&suite_file("sparql11/protocol/manifest.ttl")?)?;
    let app = spawn_app().await;
    for (name, file) in &graphs {
        app.store.put_graph(name.as_ref(), &parse_rdf(file)?)?;
    }
    let before = fingerprint(&app).await;
    let (mut queries, mut updates) = (Tally::default(), Tally::default());
    for case in &cases {
        let (tally, outcome) = if case.is_update {
            (&mut updates, check_update_refused(&app, case).await?)
        } else {
            let mut outcome = None;
            for request in &case.requests {
                outcome = check_query_request(&app, request).await?;
                if outcome.is_some() {
                    break;
                }
            }
            (&mut queries, outcome)
        };
        match outcome {
            None => tally.passed.push(case.name.clone()),
            Some(reason) => tally.failed.push((case.name.clone(), reason)),
        }
    }
    let after = fingerprint(&app).await;
    print_summary(&queries, &updates);
    app.stop().await;
    assert_eq!(before, after, "refused updates changed the store");
    assert_eq!(cases.len(), 34, "protocol test count");
    let (unexpected, fixed) = queries.surprises(EXPECTED_FAILURES);
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
    assert!(fixed.is_empty(), "these now pass: {fixed:?}");
    assert!(queries.passed.len() >= FLOOR, "below the floor of {FLOOR}");
    assert!(
        updates.failed.is_empty(),
        "updates not refused as designed: {:#?}",
        updates.failed
    );
    Ok(())
}
