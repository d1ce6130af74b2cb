//! Pages and dereferenceable URIs over real HTTP.

use crate::helpers::{spawn_app, spawn_app_with, temp_data_dir, test_config, wait_for_release};
use agora::config::Storage;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/// The open demo consultation (co-creation on housing policy).
const OPEN_CONSULTATION_TITLE: &str = "pandenbeleid voor betaalbaar wonen";

#[tokio::test]
async fn the_home_page_lists_open_consultations_and_latest_meetings() {
    let app = spawn_app().await;
    let response = app.get("/", BROWSER).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let page = response.text().await.expect("a page");
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("<main id=\"inhoud\">"));
    assert!(page.contains("Lopende consultaties"));
    assert!(
        page.contains(OPEN_CONSULTATION_TITLE),
        "the open consultation is listed: {page}"
    );
    // Closed and planned consultations are not.
    assert!(!page.contains("Groenboek Vlaams Klimaat"), "{page}");
    // Meetings link to their URIs: Agora's own locally, Themis ones through /resource.
    assert!(page.contains("href=\"/id/vergaderactiviteit/"), "{page}");
    assert!(
        page.contains("href=\"/resource?uri=http%3A%2F%2Fthemis.vlaanderen.be"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_resource_uri_serves_html_turtle_and_json_ld() {
    let app = spawn_app().await;
    let results = app
        .sparql_select(
            "SELECT ?c WHERE { ?c a <https://agora.vlaanderen.be/ns/participatie#Consultatie> } ORDER BY ?c LIMIT 1",
        )
        .await;
    let iri = results["results"]["bindings"][0]["c"]["value"]
        .as_str()
        .expect("a consultation")
        .to_owned();
    let path = iri
        .strip_prefix("https://agora.vlaanderen.be")
        .expect("a local URI");

    let html = app.get(path, BROWSER).await;
    assert_eq!(html.status(), 200);
    assert_eq!(html.headers()["vary"], "Accept");
    let page = html.text().await.expect("a page");
    assert!(page.contains("dct:title"), "{page}");

    let turtle = app.get(path, "text/turtle").await;
    assert_eq!(turtle.status(), 200);
    assert_eq!(turtle.headers()["content-type"], "text/turtle");
    assert!(turtle
        .text()
        .await
        .expect("turtle")
        .contains("participatie:Consultatie"));

    let json_ld = app.get(&format!("{path}?format=jsonld"), BROWSER).await;
    assert_eq!(json_ld.status(), 200);
    assert_eq!(json_ld.headers()["content-type"], "application/ld+json");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_uri_is_404() {
    let app = spawn_app().await;
    let response = app
        .get(
            "/id/consultatie/00000000-0000-0000-0000-000000000000",
            BROWSER,
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = app.get("/no/such/page", BROWSER).await;
    assert_eq!(response.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn templates_escape_what_the_data_says() {
    let app = spawn_app().await;
    let hostile = r#"<https://agora.vlaanderen.be/id/organisatie/x> a <http://www.w3.org/ns/org#Organization> ;
        <http://www.w3.org/2004/02/skos/core#prefLabel> "<script>alert('x')</script>" ."#;
    let records = agora::ingest::parse_records(
        hostile.as_bytes(),
        oxigraph::io::RdfFormat::Turtle,
        "hostile",
    )
    .expect("parses");
    app.store.put_records("tester", &records).expect("stored");
    let response = app.get("/id/organisatie/x", BROWSER).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("a body");
    assert!(!body.contains("<script>"), "{body}");
    assert!(body.contains("&lt;script&gt;"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn the_on_disk_store_keeps_its_data_and_loads_the_demo_only_once() {
    let (_dir, data) = temp_data_dir();
    let mut config = test_config();
    config.storage = Storage::Disk(data.clone());
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

    let first = spawn_app_with(config.clone()).await;
    let before = first.sparql_select(count).await;
    first.stop().await;
    wait_for_release(&data).await;

    let second = spawn_app_with(config).await;
    let after = second.sparql_select(count).await;
    assert_eq!(before, after, "reopening neither loses nor duplicates data");
    let n: u64 = after["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("a count")
        .parse()
        .expect("a number");
    assert!(n > 1000, "the demo data is there: {n}");
    second.stop().await;
}

#[tokio::test]
async fn the_shapes_are_published_where_their_iris_point() {
    let app = spawn_app().await;
    let response = app.get("/shapes/participatie", "text/turtle").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/turtle; charset=utf-8"
    );
    let turtle = response.text().await.expect("a body");
    assert!(turtle.contains("sh:NodeShape"), "{turtle}");
    assert_eq!(
        app.get("/shapes/nothing", "text/turtle").await.status(),
        404
    );
    app.stop().await;
}
