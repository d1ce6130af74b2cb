//! Agora on a remote store: a real `oxigraph serve` on loopback (see `helpers::OxigraphServer`),
//! one or two Agora instances keeping their data in it through the SPARQL protocol.
//!
//! The whole push, feed and page groups also run against a remote store with
//! `AGORA_TEST_STORE=oxigraph` (README, "Remote store").

use std::sync::Arc;

use crate::helpers::{spawn_app_on, OxigraphServer, TestApp, KALEIDOS_TOKEN};

const ORGANISATION: &str =
    "https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-000000000061";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

async fn oxigraph() -> Arc<OxigraphServer> {
    Arc::new(
        tokio::task::spawn_blocking(OxigraphServer::start)
            .await
            .expect("the Oxigraph server starts"),
    )
}

async fn agora_on(server: &Arc<OxigraphServer>) -> TestApp {
    let mut app = spawn_app_on(server.config()).await;
    app.remote = Some(Arc::clone(server));
    app
}

/// The number of solutions of a SELECT query sent straight to the remote store.
async fn remote_count(server: &OxigraphServer, query: &str) -> usize {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/query", server.url))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/sparql-results+json")
        .body(query.to_owned())
        .send()
        .await
        .expect("the remote store answers")
        .json()
        .await
        .expect("JSON results");
    answer["results"]["bindings"].as_array().map_or(0, Vec::len)
}

fn bindings(results: &serde_json::Value) -> usize {
    results["results"]["bindings"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn a_push_lands_in_the_remote_store_with_its_version_and_the_published_copy() {
    let server = oxigraph().await;
    let app = agora_on(&server).await;
    let turtle = fixture("valid/organisatie.ttl");
    let created = app.push(KALEIDOS_TOKEN, &turtle).await;
    assert_eq!(created.status(), 201);
    assert_eq!(app.push(KALEIDOS_TOKEN, &turtle).await.status(), 200);
    let changed = turtle.replace("Departement Testen", "Departement Proeven");
    let replaced = app
        .send_rdf(
            reqwest::Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            "text/turtle",
            changed,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(replaced.status(), 200);
    // in the remote's own default graph (the published data) and in the record's graph
    let published = format!("SELECT * WHERE {{ <{ORGANISATION}> ?p ?o }}");
    assert!(remote_count(&server, &published).await > 0);
    let in_graph = format!("SELECT * WHERE {{ GRAPH ?g {{ <{ORGANISATION}> ?p ?o }} }}");
    assert!(remote_count(&server, &in_graph).await > 0);
    // the old content is only in a version graph, not published
    let old = "SELECT * WHERE { ?s ?p \"Departement Testen\"@nl }";
    assert_eq!(remote_count(&server, old).await, 0);
    let state = app
        .store
        .record_state(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            ORGANISATION.as_bytes(),
        ))
        .expect("the state reads")
        .expect("the record is known");
    assert_eq!(state.latest, 2);
    app.stop().await;
}

#[tokio::test]
async fn the_sparql_endpoint_on_a_remote_store_shows_only_the_published_data() {
    let server = oxigraph().await;
    let app = agora_on(&server).await;
    let names = app.store.graph_names().clone();
    // the system graph is full of private statements; none reaches /sparql
    let private = format!(
        "SELECT * WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        names.system().as_str()
    );
    assert!(remote_count(&server, &private).await > 0);
    assert_eq!(bindings(&app.sparql_select(&private).await), 0);
    let from = format!(
        "SELECT * FROM <{}> WHERE {{ ?s ?p ?o }}",
        names.system().as_str()
    );
    assert_eq!(bindings(&app.sparql_select(&from).await), 0);
    let graphs = app
        .sparql_select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        .await;
    let listed: Vec<String> = graphs["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .filter_map(|binding| binding["g"]["value"].as_str().map(str::to_owned))
        .collect();
    assert!(!listed.is_empty());
    assert!(
        listed.iter().all(|graph| !names.is_private(graph)),
        "{listed:?}"
    );
    // the default graph is the published data: the demo records are there
    let published = app
        .sparql_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .await;
    let count: u64 = published["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert_eq!(
        count,
        app.store.published_triple_count().expect("a count") as u64
    );
    // SERVICE is refused, as on the embedded store
    let service = app
        .sparql_get(
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(service.status(), 400);
    // CONSTRUCT results come back re-serialised
    let turtle = app
        .sparql_get(
            &format!("CONSTRUCT WHERE {{ <{ORGANISATION}> ?p ?o }}"),
            "text/turtle",
        )
        .await;
    assert_eq!(turtle.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn pages_feeds_and_withdrawal_work_on_a_remote_store() {
    let server = oxigraph().await;
    let app = agora_on(&server).await;
    assert_eq!(
        app.push(KALEIDOS_TOKEN, &fixture("valid/organisatie.ttl"))
            .await
            .status(),
        201
    );
    let page = app
        .get(
            "/id/organisatie/7e570000-0005-4000-8000-000000000061",
            "text/html",
        )
        .await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .expect("a page")
        .contains("Departement Testen"));
    let home = app.get("/", "text/html").await;
    assert_eq!(home.status(), 200);
    let feed = app.get("/ldes/organisaties/0", "application/n-quads").await;
    assert_eq!(feed.status(), 200);
    let feed = feed.text().await.expect("a feed page");
    assert!(feed.contains(ORGANISATION), "{feed}");
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, ORGANISATION.as_bytes());
    let withdrawn = app
        .client
        .delete(format!("{}/api/records/{id}?reason=dubbel", app.address))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    let gone = app
        .get(
            "/id/organisatie/7e570000-0005-4000-8000-000000000061",
            "text/turtle",
        )
        .await;
    assert_eq!(gone.status(), 410);
    let events = app
        .store
        .events(agora::model::Collection::Organisations, 0, 100)
        .expect("the events read")
        .0;
    assert!(events
        .iter()
        .any(|event| event.event.kind == agora::store::EventKind::Delete));
    app.stop().await;
}

#[tokio::test]
async fn two_agora_instances_on_one_remote_store_lose_and_mix_no_write() {
    let server = oxigraph().await;
    let first = agora_on(&server).await;
    let second = agora_on(&server).await;
    let turtle = fixture("valid/organisatie.ttl");
    let mut tasks = Vec::new();
    for index in 0..12 {
        let body = turtle.replace("Departement Testen", &format!("Departement {index}"));
        let app = if index % 2 == 0 { &first } else { &second };
        let (client, url) = (app.client.clone(), format!("{}/api/records", app.address));
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(KALEIDOS_TOKEN)
                .header("Content-Type", "text/turtle")
                .body(body)
                .send()
                .await
                .expect("sent");
            (
                response.status().as_u16(),
                response.text().await.unwrap_or_default(),
            )
        }));
    }
    for task in tasks {
        let (status, body) = task.await.expect("task");
        assert!([200, 201].contains(&status), "{status}: {body}");
    }
    for app in [&first, &second] {
        let history: serde_json::Value = app
            .get(
                &format!(
                    "/api/records/{}/versions",
                    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, ORGANISATION.as_bytes())
                ),
                "application/json",
            )
            .await
            .json()
            .await
            .expect("JSON");
        let numbers: Vec<u64> = history["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .filter_map(|version| version["version"].as_u64())
            .collect();
        assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
        // one Dutch label published, from one write: not a mix
        let labels = app
            .sparql_select(&format!(
                "SELECT ?l WHERE {{ <{ORGANISATION}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'nl') }}"
            ))
            .await;
        assert_eq!(bindings(&labels), 1);
        // the event log has one create and eleven updates, numbered without gaps
        let events = app
            .store
            .events(agora::model::Collection::Organisations, 0, 1000)
            .expect("the events read")
            .0;
        let ours: Vec<u64> = events
            .iter()
            .filter(|event| event.event.root.as_str() == ORGANISATION)
            .map(|event| event.event.version)
            .collect();
        assert_eq!(ours, (1..=12).collect::<Vec<_>>());
    }
    // the record graph holds exactly the released version's triples
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, ORGANISATION.as_bytes());
    let triples = first
        .store
        .record_graph_triples(id)
        .expect("the graph reads");
    let labels = triples
        .iter()
        .filter(|triple| triple.to_string().contains("Departement "))
        .count();
    assert_eq!(labels, 1);
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn a_write_lock_claim_left_by_a_stopped_instance_is_removed_and_writes_go_on() {
    let server = oxigraph().await;
    let app = agora_on(&server).await;
    // What an instance that stopped between claiming the write lock and committing leaves: a
    // claim made long ago (at the Unix epoch).
    let system = app.store.graph_names().system().into_owned();
    let abandoned = "<urn:uuid:00000000-0000-4000-8000-00000000dead>";
    let status = reqwest::Client::new()
        .post(format!("{}/update", server.url))
        .header("Content-Type", "application/sparql-update")
        .body(format!(
            "INSERT DATA {{ GRAPH {system} {{ {abandoned} \
             <https://agora.vlaanderen.be/ns/agora#claims> {system} ; \
             <https://agora.vlaanderen.be/ns/agora#claimedAt> 0 }} }}"
        ))
        .send()
        .await
        .expect("the remote store answers")
        .status();
    assert!(status.is_success(), "{status}");
    let response = app
        .client
        .post(format!("{}/api/records", app.address))
        .bearer_auth(KALEIDOS_TOKEN)
        .header("Content-Type", "text/turtle")
        .body(fixture("valid/organisatie.ttl"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    let claims = remote_count(
        &server,
        &format!(
            "SELECT ?claim WHERE {{ GRAPH {system} {{ ?claim <https://agora.vlaanderen.be/ns/agora#claims> ?lock }} }}"
        ),
    )
    .await;
    assert_eq!(
        claims, 0,
        "the abandoned claim and the writer's own are gone"
    );
    app.stop().await;
}

#[tokio::test]
async fn what_one_instance_publishes_is_found_by_the_search_of_another() {
    use crate::http_search::{iris, proposal_turtle, search, PROPOSAL};
    let server = oxigraph().await;
    let first = agora_on(&server).await;
    let second = agora_on(&server).await;
    assert_eq!(search(&second, "q=testhalte").await["total"], 0);
    let pushed = first.push(KALEIDOS_TOKEN, &proposal_turtle()).await;
    assert!(pushed.status().is_success(), "{}", pushed.status());
    // found at once where it was pushed, and by the other instance within a few seconds
    assert_eq!(iris(&search(&first, "q=testhalte").await), vec![PROPOSAL]);
    let started = std::time::Instant::now();
    while iris(&search(&second, "q=testhalte").await).is_empty() {
        assert!(
            started.elapsed().as_secs() < 20,
            "the other instance's search index did not follow the write"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn blank_nodes_are_replaced_and_removed_on_a_remote_store() {
    use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};
    let server = oxigraph().await;
    let app = agora_on(&server).await;
    let graph = NamedNode::new_unchecked("http://example.org/raw");
    let subject = NamedNode::new_unchecked("http://example.org/s");
    let predicate = NamedNode::new_unchecked("http://example.org/p");
    let blank = BlankNode::new_unchecked("b0");
    let first = vec![
        Triple::new(subject.clone(), predicate.clone(), blank.clone()),
        Triple::new(blank, predicate.clone(), Literal::from("one")),
    ];
    let second = vec![Triple::new(subject, predicate, Literal::from("two"))];
    let raw = "SELECT * WHERE { GRAPH <http://example.org/raw> { ?s ?p ?o } }";
    let store = app.store.clone();
    let written = graph.clone();
    tokio::task::spawn_blocking(move || store.put_graph(written.as_ref(), &first))
        .await
        .expect("the task ends")
        .expect("written");
    // Agora answers with a blank node; the store holds its skolem IRI
    let answer = app.sparql_select(raw).await;
    assert_eq!(bindings(&answer), 2);
    assert!(answer.to_string().contains("\"bnode\""), "{answer}");
    assert!(!answer.to_string().contains("genid"), "{answer}");
    let skolem = "SELECT * WHERE { GRAPH <http://example.org/raw> { ?s ?p ?o FILTER(isIRI(?o) && CONTAINS(STR(?o), \"/.well-known/genid/\")) } }";
    assert_eq!(remote_count(&server, skolem).await, 1);
    // replaced: the triples with the blank node are gone from the store
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.put_graph(graph.as_ref(), &second))
        .await
        .expect("the task ends")
        .expect("replaced");
    assert_eq!(remote_count(&server, raw).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_unreachable_remote_store_answers_503_and_not_ready() {
    let server = oxigraph().await;
    let app = spawn_app_on(server.config()).await;
    assert_eq!(app.get("/ready", "text/plain").await.status(), 200);
    drop(server);
    let pushed = app
        .push(KALEIDOS_TOKEN, &fixture("valid/organisatie.ttl"))
        .await;
    assert_eq!(pushed.status(), 503);
    let body = pushed.text().await.expect("a body");
    assert!(!body.contains("127.0.0.1"), "{body}");
    assert_eq!(app.get("/ready", "text/plain").await.status(), 503);
    let query = app
        .sparql_get(
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(query.status(), 503);
    app.stop().await;
}

#[tokio::test]
async fn two_instances_number_the_event_log_without_gaps_and_release_an_embargo_once() {
    let server = oxigraph().await;
    let first = agora_on(&server).await;
    let second = agora_on(&server).await;
    let before = first
        .store
        .event_count(agora::model::Collection::Organisations)
        .expect("a count");
    // an embargoed record, released by whichever instance's tick comes first
    let release = oxsdatatypes::DateTime::now()
        .checked_add_duration(
            oxsdatatypes::Duration::new(0, oxsdatatypes::Decimal::from(2)).expect("duration"),
        )
        .expect("a time");
    let embargoed = fixture("valid/organisatie.ttl").replace(
        "skos:altLabel \"DT\" ;",
        &format!("skos:altLabel \"DT\" ; dct:available \"{release}\"^^xsd:dateTime ;"),
    );
    assert_eq!(first.push(KALEIDOS_TOKEN, &embargoed).await.status(), 201);
    // meanwhile, new records through both instances at once
    let mut tasks = Vec::new();
    for index in 0..10 {
        let body = fixture("valid/organisatie.ttl").replace(
            "7e570000-0005-4000-8000-000000000061",
            &format!("7e570000-0005-4000-8000-0000000001{index:02}"),
        );
        let app = if index % 2 == 0 { &first } else { &second };
        let (client, url) = (app.client.clone(), format!("{}/api/records", app.address));
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(KALEIDOS_TOKEN)
                .header("Content-Type", "text/turtle")
                .body(body)
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), 201);
    }
    let started = std::time::Instant::now();
    loop {
        let events = second
            .store
            .events(agora::model::Collection::Organisations, before, 1000)
            .expect("the events read")
            .0;
        if events.len() == 11 {
            // one create per record, the embargoed one released once, numbered without gaps
            let sequences: Vec<u64> = events.iter().map(|event| event.event.sequence).collect();
            assert_eq!(sequences, (before..before + 11).collect::<Vec<_>>());
            let released = events
                .iter()
                .filter(|event| event.event.root.as_str() == ORGANISATION)
                .count();
            assert_eq!(released, 1);
            assert!(events
                .iter()
                .all(|event| event.event.kind == agora::store::EventKind::Create));
            break;
        }
        assert!(events.len() < 11, "{} events", events.len());
        assert!(
            started.elapsed().as_secs() < 20,
            "the embargo was not lifted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // a few more ticks of both instances: no second release
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let total = first
        .store
        .event_count(agora::model::Collection::Organisations)
        .expect("a count");
    assert_eq!(total, before + 11);
    first.stop().await;
    second.stop().await;
}
