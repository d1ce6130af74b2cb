//! `/sparql` over real HTTP: every query form, every result format, refusals and limits.

use std::time::Duration;

use crate::helpers::{spawn_app, spawn_app_with, test_config};

const COUNT_MEETINGS: &str = "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
SELECT (COUNT(?m) AS ?n) WHERE { ?m a besluit:Vergaderactiviteit }";

const CONSULTATIONS: &str = "PREFIX participatie: <https://agora.vlaanderen.be/ns/participatie#>
SELECT ?c WHERE { ?c a participatie:Consultatie } ORDER BY ?c";

#[tokio::test]
async fn select_answers_in_every_results_format() {
    let app = spawn_app().await;
    for (accept, expected_type, marker) in [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", "text/csv; charset=utf-8", "c\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
            "?c\n",
        ),
    ] {
        let response = app.sparql_get(CONSULTATIONS, accept).await;
        assert_eq!(response.status(), 200, "{accept}");
        assert_eq!(response.headers()["content-type"], expected_type);
        let body = response.text().await.expect("a body");
        assert!(body.contains(marker), "{accept}: {body}");
        assert_eq!(
            body.matches("https://agora.vlaanderen.be/id/consultatie/")
                .count(),
            6,
            "{accept}: the six demo consultations"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_demo_data_has_its_meetings_in_the_default_graph() {
    let app = spawn_app().await;
    let results = app.sparql_select(COUNT_MEETINGS).await;
    let count = results["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("a count");
    assert!(count.parse::<u32>().expect("a number") >= 3, "{results}");
    app.stop().await;
}

#[tokio::test]
async fn ask_answers_a_boolean() {
    let app = spawn_app().await;
    let results = app
        .sparql_select("ASK { ?s a <https://agora.vlaanderen.be/ns/participatie#Burgervoorstel> }")
        .await;
    assert_eq!(results["boolean"], true);
    let xml = app
        .sparql_get(
            "ASK { <http://e/none> ?p ?o }",
            "application/sparql-results+xml",
        )
        .await
        .text()
        .await
        .expect("a body");
    assert!(xml.contains("<boolean>false</boolean>"), "{xml}");
    app.stop().await;
}

#[tokio::test]
async fn construct_and_describe_answer_in_every_graph_format() {
    let app = spawn_app().await;
    let construct = "CONSTRUCT { ?c a <https://agora.vlaanderen.be/ns/participatie#Consultatie> } \
                     WHERE { ?c a <https://agora.vlaanderen.be/ns/participatie#Consultatie> }";
    for (accept, marker) in [
        ("text/turtle", "participatie:Consultatie"),
        (
            "application/n-triples",
            "<https://agora.vlaanderen.be/ns/participatie#Consultatie> .",
        ),
        ("application/ld+json", "\"@id\""),
        ("application/rdf+xml", "rdf:RDF"),
    ] {
        let response = app.sparql_get(construct, accept).await;
        assert_eq!(response.status(), 200, "{accept}");
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with(accept));
        let body = response.text().await.expect("a body");
        assert!(body.contains(marker), "{accept}: {body}");
    }
    let describe = app
        .sparql_get(
            "DESCRIBE ?c WHERE { ?c a <https://agora.vlaanderen.be/ns/participatie#Consultatie> } LIMIT 1",
            "application/n-triples",
        )
        .await;
    assert_eq!(describe.status(), 200);
    assert!(describe
        .text()
        .await
        .expect("a body")
        .contains("http://purl.org/dc/terms/title"));
    app.stop().await;
}

#[tokio::test]
async fn post_form_and_post_query_body_work_like_get() {
    let app = spawn_app().await;
    let form = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Accept", "text/csv")
        .form(&[("query", CONSULTATIONS)])
        .send()
        .await
        .expect("sent");
    assert_eq!(form.status(), 200);
    let form_body = form.text().await.expect("a body");
    let direct = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Accept", "text/csv")
        .header("Content-Type", "application/sparql-query")
        .body(CONSULTATIONS)
        .send()
        .await
        .expect("sent");
    assert_eq!(direct.status(), 200);
    assert_eq!(direct.text().await.expect("a body"), form_body);
    app.stop().await;
}

#[tokio::test]
async fn no_acceptable_format_is_406() {
    let app = spawn_app().await;
    let response = app.sparql_get(CONSULTATIONS, "image/png").await;
    assert_eq!(response.status(), 406);
    let body = response.text().await.expect("a body");
    assert!(body.contains("application/sparql-results+json"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn updates_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let before = app.sparql_select(COUNT_MEETINGS).await;
    let as_form = app
        .client
        .post(format!("{}/sparql", app.address))
        .form(&[("update", "CLEAR ALL")])
        .send()
        .await
        .expect("sent");
    assert_eq!(as_form.status(), 403);
    assert!(as_form.text().await.expect("a body").contains("read-only"));
    let as_body = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Content-Type", "application/sparql-update")
        .body("DROP ALL")
        .send()
        .await
        .expect("sent");
    assert_eq!(as_body.status(), 403);
    // An update sent as a query does not parse as a query.
    let as_query = app.sparql_get("DELETE WHERE { ?s ?p ?o }", "*/*").await;
    assert_eq!(as_query.status(), 400);
    assert_eq!(app.sparql_select(COUNT_MEETINGS).await, before);
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_query_is_400_with_the_parser_message() {
    let app = spawn_app().await;
    let response = app.sparql_get("SELECT ?x WHERE { ?x ?y }", "*/*").await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.expect("a body");
    assert!(body.contains("does not parse"), "{body}");
    assert!(body.contains("1:"), "the message locates the error: {body}");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_body_type_is_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Content-Type", "text/plain")
        .body(CONSULTATIONS)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 415);
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = spawn_app().await;
    let huge = format!("# {}\nASK {{}}", "x".repeat(100 * 1024));
    let response = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Content-Type", "application/sparql-query")
        .body(huge)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 413);
    app.stop().await;
}

#[tokio::test]
async fn a_query_past_the_time_limit_is_cancelled_with_503() {
    let mut config = test_config();
    config.query_timeout = Duration::from_millis(300);
    let app = spawn_app_with(config).await;
    // A triple cross product of the demo data: far more than 300 ms of work, and nothing to
    // send before it ends, so the cancellation shows as a status.
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = std::time::Instant::now();
    let response = app
        .sparql_get(heavy, "application/sparql-results+json")
        .await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    assert!(response
        .text()
        .await
        .expect("a body")
        .contains("time limit"));
    // Generous bound: the point is that the query was stopped, not left to run for minutes.
    assert!(started.elapsed() < Duration::from_secs(30));
    // The server still answers.
    let results = app.sparql_select(COUNT_MEETINGS).await;
    assert!(results["results"]["bindings"].is_array());
    app.stop().await;
}

#[tokio::test]
async fn protocol_dataset_parameters_select_graphs() {
    let app = spawn_app().await;
    let reference = "https://agora.vlaanderen.be/graph/reference";
    let response = app
        .client
        .get(format!("{}/sparql", app.address))
        .query(&[
            (
                "query",
                "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit> }",
            ),
            ("default-graph-uri", reference),
        ])
        .header("Accept", "application/sparql-results+json")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let results: serde_json::Value = response.json().await.expect("json");
    // The reference graph holds code lists, not meetings.
    assert_eq!(results["results"]["bindings"][0]["n"]["value"], "0");
    app.stop().await;
}

#[tokio::test]
async fn the_endpoint_describes_itself_and_answers_head_and_cors() {
    let app = spawn_app().await;
    let description = app.get("/sparql", "text/turtle").await;
    assert_eq!(description.status(), 200);
    let turtle = description.text().await.expect("a body");
    assert!(turtle.contains("sparql-service-description#"), "{turtle}");
    assert!(turtle.contains("SPARQL11Query"), "{turtle}");

    let head = app
        .client
        .head(format!("{}/sparql", app.address))
        .query(&[("query", "ASK {}")])
        .send()
        .await
        .expect("sent");
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()["content-type"],
        "application/sparql-results+json"
    );

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/sparql", app.address))
        .header("Origin", "https://example.org")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("sent");
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");

    let page = app.get("/sparql", "text/html").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("a page").contains("<textarea"));
    app.stop().await;
}
