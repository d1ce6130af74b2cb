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
    // Far more than 300 ms of work, and nothing to send before it ends, so the cancellation
    // shows as a status.
    let heavy = crate::helpers::HEAVY_QUERY;
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

/// Every named example query of `queries/` runs on the demo data and answers something.
#[tokio::test]
async fn every_example_query_answers_on_the_demo_data() {
    let app = spawn_app().await;
    for example in agora::sparql::examples::EXAMPLES {
        let results = app.sparql_select(example.text).await;
        let bindings = results["results"]["bindings"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: {results}", example.name));
        assert!(!bindings.is_empty(), "{}: no answer", example.name);
    }
    // The accountability examples find what the demo data holds: the school consultation's report
    // is overdue and the green roofs proposal was never answered.
    let overdue = app
        .sparql_select(
            agora::sparql::examples::Example::named("overdue-reports")
                .unwrap()
                .text,
        )
        .await
        .to_string();
    assert!(overdue.contains("leerlingenbegeleiding"), "{overdue}");
    let late = app
        .sparql_select(
            agora::sparql::examples::Example::named("proposals-past-term")
                .unwrap()
                .text,
        )
        .await
        .to_string();
    assert!(late.contains("groendaken"), "{late}");
    app.stop().await;
}

#[tokio::test]
async fn the_query_page_offers_the_examples_and_shows_results_as_a_linked_table() {
    let app = spawn_app().await;
    let page = app
        .get("/sparql?example=overdue-reports", "text/html")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("a page");
    assert!(
        html.contains("<textarea id=\"query\" name=\"query\""),
        "{html}"
    );
    assert!(
        html.contains("verslagVerwachtTegen"),
        "the example is in the editor"
    );
    for example in agora::sparql::examples::EXAMPLES {
        assert!(html.contains(&format!("/sparql?example={}", example.name)));
    }

    let url = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(CONSULTATIONS.as_bytes()).collect::<String>()
    );
    let page = app
        .get(&url, "text/html,application/xhtml+xml,*/*;q=0.8")
        .await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["vary"], "Accept");
    let html = page.text().await.expect("a page");
    assert_eq!(
        html.matches("<a href=\"/id/consultatie/").count(),
        6,
        "{html}"
    );
    assert!(html.contains("<th scope=\"col\">c</th>"));
    // The shareable URL is absolute and carries the query.
    assert!(
        html.contains(&format!(
            "value=\"{}{}",
            app.address,
            url.replace('&', "&amp;")
        )),
        "{html}"
    );

    // A program asking for JSON at the same URL gets the results, not the page.
    let json = app.get(&url, "application/sparql-results+json").await;
    assert_eq!(
        json.headers()["content-type"],
        "application/sparql-results+json"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_query_page_escapes_what_it_shows_and_explains_errors() {
    let app = spawn_app().await;
    let hostile = "SELECT (\"<script>alert(1)</script>\" AS ?x) WHERE {}";
    let url = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(hostile.as_bytes()).collect::<String>()
    );
    let html = app
        .get(&url, "text/html")
        .await
        .text()
        .await
        .expect("a page");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
        "{html}"
    );

    let broken = app.get("/sparql?query=SELEC%20*", "text/html").await;
    assert_eq!(broken.status(), 400);
    let html = broken.text().await.expect("a page");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("SELEC *"),
        "the query stays in the editor: {html}"
    );
    app.stop().await;
}

/// Sends [`crate::helpers::HEAVY_QUERY`] (far longer than any test's time limit) in the
/// background; it ends with 503 at the time limit.
fn start_heavy_query(
    app: &crate::helpers::TestApp,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let request = app
        .client
        .get(format!("{}/sparql", app.address))
        .query(&[("query", crate::helpers::HEAVY_QUERY)])
        .header("accept", "application/sparql-results+json")
        .send();
    tokio::spawn(request)
}

/// A server with one evaluation slot (3 s time limit), held by a heavy query that has had time
/// to start; the heavy query's answer (503 at the time limit) is still to come.
async fn with_the_only_slot_taken() -> (
    crate::helpers::TestApp,
    tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>,
) {
    let mut config = test_config();
    config.query_timeout = Duration::from_secs(3);
    config.max_concurrent_queries = 1;
    let app = spawn_app_with(config).await;
    let heavy = start_heavy_query(&app);
    tokio::time::sleep(Duration::from_millis(300)).await;
    (app, heavy)
}

/// While a heavy query runs, pages and other queries are still answered.
#[tokio::test]
async fn the_server_stays_responsive_while_a_heavy_query_runs() {
    let mut config = test_config();
    config.query_timeout = Duration::from_secs(3);
    config.max_concurrent_queries = 2;
    let app = spawn_app_with(config).await;
    let heavy = start_heavy_query(&app);
    // Give the heavy query time to start evaluating.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..5 {
        let home = app.get("/", "text/html").await;
        assert_eq!(home.status(), 200);
        let results = app.sparql_select(COUNT_MEETINGS).await;
        assert!(results["results"]["bindings"].is_array());
    }
    assert!(
        !heavy.is_finished(),
        "the heavy query (3 s limit) should still be running"
    );
    // The heavy query ends at its time limit (its timer runs on this test's runtime, so the
    // test waits for it rather than leaving it running when the runtime stops).
    let heavy = heavy.await.expect("joined").expect("answered");
    assert_eq!(heavy.status(), 503);
    app.stop().await;
}

/// With every evaluation slot taken, a query waits briefly and then gets 503 with Retry-After.
#[tokio::test]
async fn queries_beyond_the_concurrency_bound_get_503_with_retry_after() {
    let (app, heavy) = with_the_only_slot_taken().await;
    let refused = app
        .sparql_get(COUNT_MEETINGS, "application/sparql-results+json")
        .await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "2");
    assert!(refused
        .text()
        .await
        .expect("a body")
        .contains("too many queries"));
    // The heavy query ends at its time limit (its timer runs on this test's runtime, so the
    // test waits for it rather than leaving it running when the runtime stops).
    let heavy = heavy.await.expect("joined").expect("answered");
    assert_eq!(heavy.status(), 503);
    app.stop().await;
}

/// A point lookup is evaluated on the connection's thread and sent whole; one whose answer is
/// larger than that path keeps (256 KiB) is streamed like any other query, and both give the
/// same, complete answer.
#[tokio::test]
async fn a_point_lookup_with_a_large_answer_is_streamed_whole() {
    let mut config = test_config();
    config.max_push_bytes = 4 * 1024 * 1024;
    let app = spawn_app_with(config).await;
    let root = "https://agora.vlaanderen.be/id/organisatie/7e570000-00aa-4000-8000-000000000777";
    let long = "lang ".repeat(40_000); // 200 KB per label, two labels
    let turtle = format!(
        "<{root}> a <http://www.w3.org/ns/org#Organization> ;\n\
         <http://www.w3.org/2004/02/skos/core#prefLabel> \"Groot {long}\"@nl , \"Large {long}\"@en ."
    );
    assert_eq!(
        app.push(crate::helpers::KALEIDOS_TOKEN, &turtle)
            .await
            .status(),
        201
    );
    for (query, accept) in [
        (
            format!("SELECT * WHERE {{ <{root}> ?p ?o }}"),
            "application/sparql-results+json",
        ),
        (format!("DESCRIBE <{root}>"), "application/n-triples"),
    ] {
        let response = app.sparql_get(&query, accept).await;
        assert_eq!(response.status(), 200, "{query}");
        let text = response.text().await.expect("the whole answer");
        assert!(text.len() > 400_000, "{query}: {} bytes", text.len());
        assert!(
            text.contains("Groot lang") && text.contains("Large lang"),
            "{query}"
        );
    }
    // and a small lookup is answered whole, with its length
    let small = app
        .sparql_get(
            &format!("ASK {{ <{root}> a <http://www.w3.org/ns/org#Organization> }}"),
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(small.status(), 200);
    assert!(small.headers().contains_key("content-length"));
    assert_eq!(
        small.json::<serde_json::Value>().await.expect("JSON")["boolean"],
        true
    );
    app.stop().await;
}

/// The demo's Flemish Government: a resource with six triples.
const GOVERNMENT: &str =
    "https://agora.vlaanderen.be/id/bestuursorgaan/319eefd5-6208-4aa1-8b62-05f07bbac701";

/// A product of three or more parts that share no variable (here nine patterns on one resource:
/// six triples nine times over, ten million rows) is refused before evaluation with 400 and the
/// reason: the evaluator could not stop it at the time limit (see `sparql::joins`). Two parts
/// are evaluated like any other query, under the time limit.
#[tokio::test]
async fn a_product_of_many_unconnected_parts_is_refused_before_evaluation() {
    let app = spawn_app().await;
    let patterns: String = (0..9)
        .map(|n| format!("<{GOVERNMENT}> ?p{n} ?o{n} . "))
        .collect();
    let query = format!("SELECT DISTINCT ?p0 WHERE {{ {patterns}}}");
    let response = app
        .sparql_get(&query, "application/sparql-results+json")
        .await;
    assert_eq!(response.status(), 400);
    let message = response.text().await.expect("a body");
    assert!(message.contains("share no variable"), "{message}");
    assert!(message.contains("joins 9 groups"), "{message}");

    let two = format!("SELECT * WHERE {{ <{GOVERNMENT}> ?p0 ?o0 . <{GOVERNMENT}> ?p1 ?o1 }}");
    let results = app.sparql_select(&two).await;
    let rows = results["results"]["bindings"].as_array().map(Vec::len);
    assert_eq!(rows, Some(36), "six triples paired with six: {results}");
    app.stop().await;
}

/// A point lookup needs no evaluation slot: with the only slot held by a heavy query, a lookup
/// is answered at once while any other query waits and gets 503 (on the embedded store; on a
/// remote one a lookup is a network request like any other query).
#[tokio::test]
async fn a_point_lookup_is_answered_while_every_slot_is_taken() {
    let (app, heavy) = with_the_only_slot_taken().await;
    let lookup = app
        .sparql_get(
            &format!("SELECT * WHERE {{ <{GOVERNMENT}> ?p ?o }}"),
            "application/sparql-results+json",
        )
        .await;
    if app.store.is_remote() {
        // On a remote store a lookup waits for the network like any other query: it takes a slot.
        assert_eq!(
            lookup.status(),
            503,
            "remote store: the lookup waits for the slot"
        );
    } else {
        assert_eq!(lookup.status(), 200);
        let rows = lookup.json::<serde_json::Value>().await.expect("JSON")["results"]["bindings"]
            .as_array()
            .map(Vec::len);
        assert_eq!(rows, Some(6), "the government's six triples");
        let other = app
            .sparql_get(COUNT_MEETINGS, "application/sparql-results+json")
            .await;
        assert_eq!(other.status(), 503, "not a lookup: it waits for the slot");
    }
    let heavy = heavy.await.expect("joined").expect("answered");
    assert_eq!(heavy.status(), 503);
    app.stop().await;
}
