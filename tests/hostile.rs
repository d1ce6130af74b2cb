//! Hand-written hostile input: deeply nested JSON-LD and Turtle, huge literals around the body
//! limit, expansion bombs (XML entities, remote JSON-LD contexts), path traversal, header
//! injection and script in every text field of a record. Each is refused or neutralised with a
//! clear answer, and the server keeps serving after it.

use std::io::{Read, Write};
use std::time::Duration;

use reqwest::Method;

use crate::helpers::{spawn_app, spawn_app_with, test_config, TestApp, KALEIDOS_TOKEN};

const BROWSER: &str = "text/html,application/xhtml+xml";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

/// Pushes `body` as `content_type`: status and text.
async fn push_as(app: &TestApp, content_type: &str, body: String) -> (u16, String) {
    let response = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            content_type,
            body,
            &[],
        )
        .await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// The server still answers a page and a query.
async fn still_serving(app: &TestApp) {
    assert_eq!(app.get("/health", "*/*").await.status(), 200);
    let rows = app
        .sparql_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .await;
    assert!(rows["results"]["bindings"][0]["n"]["value"].is_string());
    assert_eq!(app.get("/consultaties", BROWSER).await.status(), 200);
}

/// A refusal must be a client error with a message, not a 500 and not internals.
fn assert_clear_refusal(what: &str, status: u16, body: &str) {
    assert!(
        (400..500).contains(&status),
        "{what}: expected a 4xx refusal, got {status}: {body}"
    );
    assert!(!body.trim().is_empty(), "{what}: no message");
    for internal in [
        "panicked",
        "agora::",
        "oxigraph::",
        "std::",
        "/src/",
        "/root/",
    ] {
        assert!(!body.contains(internal), "{what}: {internal:?} in {body}");
    }
}

const ORGANISATION: &str = "https://agora.vlaanderen.be/id/organisatie/7e570000-00bb-4000-8000-";

fn organisation_with_label(index: u32, label: &str) -> String {
    format!(
        "<{ORGANISATION}{index:012}> a <http://www.w3.org/ns/org#Organization> ;\n\
         <http://www.w3.org/2004/02/skos/core#prefLabel> \"{label}\"@nl ."
    )
}

#[tokio::test]
async fn deeply_nested_json_ld_is_refused_or_stored_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    // As deep as the push limit (256 KiB in the test configuration) allows.
    let depth = 12_000;
    let mut body = format!("{{\"@id\": \"{ORGANISATION}000000000001\", \"@type\": \"http://www.w3.org/ns/org#Organization\", ");
    for _ in 0..depth {
        body.push_str("\"http://e.org/p\": {");
    }
    body.push_str("\"http://e.org/q\": \"bottom\"");
    for _ in 0..depth {
        body.push('}');
    }
    body.push('}');
    // Validation needs no token: anyone can send this.
    let response = app
        .client
        .post(format!("{}/api/validate", app.address))
        .header("Content-Type", "application/ld+json")
        .body(body.clone())
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    assert_clear_refusal("nested JSON-LD to /api/validate", status, &text);
    assert!(text.contains("nested more than 64 levels"), "{text}");
    let (status, text) = push_as(&app, "application/ld+json", body).await;
    assert_clear_refusal("nested JSON-LD", status, &text);
    assert!(text.contains("nested more than 64 levels"), "{text}");
    // Nested arrays, unclosed: a syntax error with its position.
    let body = format!("{}{}", "[".repeat(100_000), "{\"@id\": \"http://e.org/a\"");
    let (status, text) = push_as(&app, "application/ld+json", body).await;
    assert_clear_refusal("nested JSON-LD arrays", status, &text);
    still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn deeply_nested_sparql_is_refused_by_the_endpoint_and_the_query_page() {
    let app = spawn_app().await;
    let queries = [
        format!("SELECT * WHERE {}{}", "{ ".repeat(3_000), "}".repeat(3_000)),
        format!(
            "SELECT * WHERE {{ FILTER({}1{}) }}",
            "(".repeat(3_000),
            ")".repeat(3_000)
        ),
        format!("ASK {{ FILTER({}true) }}", "!".repeat(20_000)),
    ];
    for query in &queries {
        for accept in ["application/sparql-results+json", BROWSER] {
            let response = app.sparql_get(query, accept).await;
            let status = response.status().as_u16();
            let text = response.text().await.expect("a body");
            assert_clear_refusal("nested SPARQL", status, &text);
            assert!(text.contains("levels deep"), "{text}");
        }
    }
    // 40 bytes that took seconds to fail to parse (the parser backtracks through nested `!(`).
    let negations = format!("ASK {{ FILTER({} }}", "!(".repeat(30));
    let response = app
        .sparql_get(&negations, "application/sparql-results+json")
        .await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    assert_clear_refusal("nested negations", status, &text);
    assert!(text.contains("negations"), "{text}");
    still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn deeply_nested_turtle_blank_nodes_and_collections_get_an_answer() {
    let app = spawn_app().await;
    let depth = 10_000;
    let root =
        format!("<{ORGANISATION}000000000002> a <http://www.w3.org/ns/org#Organization> ;\n");
    let nested = format!(
        "{root}<http://e.org/p> {}<http://e.org/q> \"bottom\"{} .",
        "[ <http://e.org/p> ".repeat(depth),
        " ]".repeat(depth)
    );
    let (status, text) = push_as(&app, "text/turtle", nested).await;
    assert!(
        matches!(status, 201 | 400 | 422),
        "nested blank nodes: {status}: {text}"
    );
    if status != 201 {
        assert_clear_refusal("nested blank nodes", status, &text);
    }
    let root =
        format!("<{ORGANISATION}000000000003> a <http://www.w3.org/ns/org#Organization> ;\n");
    let collections = format!(
        "{root}<http://e.org/p> {}1{} .",
        "( ".repeat(depth),
        " )".repeat(depth)
    );
    let (status, text) = push_as(&app, "text/turtle", collections).await;
    assert!(
        matches!(status, 201 | 400 | 422),
        "nested collections: {status}: {text}"
    );
    if status != 201 {
        assert_clear_refusal("nested collections", status, &text);
    }
    still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn huge_literals_just_under_the_limit_are_stored_and_shown_and_over_it_get_413() {
    let app = spawn_app().await;
    // The test configuration allows 256 KiB per push and 64 KiB per query body.
    let under = organisation_with_label(4, &"a".repeat(250 * 1024));
    assert!(under.len() < 256 * 1024);
    let (status, text) = push_as(&app, "text/turtle", under).await;
    assert_eq!(status, 201, "{text}");
    let page = app
        .get(
            "/id/organisatie/7e570000-00bb-4000-8000-000000000004",
            BROWSER,
        )
        .await;
    assert_eq!(page.status(), 200);

    let over = organisation_with_label(5, &"a".repeat(300 * 1024));
    let (status, text) = push_as(&app, "text/turtle", over).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("larger than the limit"), "{text}");

    let query_under = format!("SELECT * WHERE {{ ?s ?p \"{}\" }}", "b".repeat(60 * 1024));
    let response = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/sparql-results+json")
        .body(query_under)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let query_over = format!("SELECT * WHERE {{ ?s ?p \"{}\" }}", "b".repeat(70 * 1024));
    let response = app
        .client
        .post(format!("{}/sparql", app.address))
        .header("Content-Type", "application/sparql-query")
        .body(query_over)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 413);
    still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn expansion_bombs_are_refused_without_fetching_or_expanding() {
    let app = spawn_app().await;
    // XML entities, "billion laughs": ten levels of ten references each.
    let mut entities = String::from("<!ENTITY lol0 \"lollollollollollollollollollol\">\n");
    for level in 1..10 {
        let refs = format!("&lol{};", level - 1).repeat(10);
        entities.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns:skos=\"http://www.w3.org/2004/02/skos/core#\">\n\
         <rdf:Description rdf:about=\"{ORGANISATION}000000000006\">\n\
         <rdf:type rdf:resource=\"http://www.w3.org/ns/org#Organization\"/>\n\
         <skos:prefLabel xml:lang=\"nl\">&lol9;</skos:prefLabel>\n\
         </rdf:Description>\n</rdf:RDF>\n"
    );
    let (status, text) = tokio::time::timeout(
        Duration::from_secs(60),
        push_as(&app, "application/rdf+xml", xml),
    )
    .await
    .expect("the XML bomb is answered within a minute");
    assert_clear_refusal("XML entity expansion", status, &text);

    // A remote JSON-LD context: never fetched (no network in the server's parser).
    let remote = format!(
        "{{\"@context\": \"http://127.0.0.1:9/context.jsonld\", \"@id\": \"{ORGANISATION}000000000007\", \
         \"@type\": \"http://www.w3.org/ns/org#Organization\"}}"
    );
    let (status, text) = push_as(&app, "application/ld+json", remote).await;
    assert_clear_refusal("remote JSON-LD context", status, &text);
    // Contexts that refer to each other through many scoped definitions.
    let mut context = String::from("{");
    for index in 0..2_000 {
        context.push_str(&format!(
            "\"t{index}\": {{\"@id\": \"http://e.org/t{index}\", \"@context\": {{\"u\": \"http://e.org/u{index}\"}}}},"
        ));
    }
    context.push_str("\"x\": \"http://e.org/x\"}");
    let scoped = format!(
        "{{\"@context\": {context}, \"@id\": \"{ORGANISATION}000000000008\", \
         \"@type\": \"http://www.w3.org/ns/org#Organization\", \"t1\": {{\"u\": \"v\"}}}}"
    );
    let (status, text) = push_as(&app, "application/ld+json", scoped).await;
    assert!(
        matches!(status, 201 | 400 | 422),
        "scoped contexts: {status}: {text}"
    );
    still_serving(&app).await;
    app.stop().await;
}

/// Sends raw bytes as an HTTP/1.1 request (what a hostile client can send and `reqwest` would
/// refuse or normalise) and returns the raw answer.
fn raw_request(address: &str, request: &[u8]) -> String {
    let host = address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    stream.write_all(request).expect("sent");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(raw: &str) -> u16 {
    raw.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"))
}

fn head_of(raw: &str) -> &str {
    raw.split("\r\n\r\n").next().unwrap_or(raw)
}

#[tokio::test]
async fn path_traversal_reaches_no_file() {
    let dumps = tempfile::tempdir().expect("a folder");
    std::fs::write(dumps.path().join("secret.txt"), "root:x:0:0").expect("written");
    let mut config = test_config();
    config.feeds.dump_dir = Some(dumps.path().join("dumps"));
    let app = spawn_app_with(config).await;
    let address = app.address.clone();
    let paths = [
        "/id/../../etc/passwd",
        "/id/..%2f..%2f..%2fetc%2fpasswd",
        "/id/consultatie/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/shapes/../Cargo.toml",
        "/shapes/..%2f..%2fCargo.toml",
        "/shapes/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/dumps/../secret.txt",
        "/dumps/..%2fsecret.txt",
        "/dumps/%2e%2e%2fsecret.txt",
        "/dumps/..%5csecret.txt",
        "/dumps/dumps.json",
        "/dumps/%2fetc%2fpasswd",
        "/ldes/..%2f..%2fetc%2fpasswd/0",
        "/resource?uri=file:///etc/passwd",
        "/static/../../etc/passwd",
    ];
    for path in paths {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let raw = tokio::task::spawn_blocking({
            let address = address.clone();
            move || raw_request(&address, request.as_bytes())
        })
        .await
        .expect("the request thread");
        let status = status_of(&raw);
        assert!(
            matches!(status, 400 | 404),
            "{path}: expected 400 or 404, got {status}:\n{raw}"
        );
        for leaked in ["root:x:0", "[package]", "@prefix sh:"] {
            assert!(!raw.contains(leaked), "{path} leaked {leaked:?}:\n{raw}");
        }
    }
    still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn header_injection_through_parameters_and_headers_is_neutralised() {
    let app = spawn_app().await;
    let address = app.address.clone();
    let requests: Vec<(&str, String)> = vec![
        (
            "CR/LF in ?lang (which sets a cookie)",
            "GET /?lang=en%0d%0aSet-Cookie:%20evil=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "CR/LF in a filter",
            "GET /consultaties?status=http://e.org/%0d%0aLocation:%20http://evil.example/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "CR/LF in a search",
            "GET /zoeken?q=a%0d%0aX-Evil:%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "CR/LF in a format",
            "GET /id/consultatie/x?format=turtle%0d%0aX-Evil:%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "encoded CR/LF in the request id",
            "GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc%0d%0aX-Evil: 1\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "a bare LF in a header value",
            "GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\nX-Evil: 1\r\nConnection: close\r\n\r\n".to_owned(),
        ),
        (
            "CR/LF in the path",
            "GET /id/%0d%0aX-Evil:%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        ),
    ];
    for (what, request) in requests {
        let raw = tokio::task::spawn_blocking({
            let address = address.clone();
            move || raw_request(&address, request.as_bytes())
        })
        .await
        .expect("the request thread");
        let status = status_of(&raw);
        assert!(status < 500, "{what}: {status}\n{raw}");
        let head = head_of(&raw).to_ascii_lowercase();
        for header in head.lines().skip(1) {
            assert!(
                !header.starts_with("x-evil") && !header.contains("evil=1"),
                "{what}: injected header {header:?}\n{raw}"
            );
            assert!(
                !header.starts_with("location:") || !header.contains("evil"),
                "{what}: injected redirect {header:?}"
            );
        }
        if what.contains("request id") {
            let echoed = head
                .lines()
                .find(|line| line.starts_with("x-request-id:"))
                .unwrap_or_default();
            assert!(!echoed.contains("abc%0d%0a"), "{what}: echoed {echoed:?}");
        }
    }
    still_serving(&app).await;
    app.stop().await;
}

/// Script in every text literal (every language-tagged one: titles, descriptions, names, news
/// texts; the plain ones, file names and formats, have patterns that refuse it) of a
/// consultation and of a meeting: pushed, then shown on every page that shows them, always
/// escaped.
#[tokio::test]
async fn script_in_every_text_field_is_shown_escaped_everywhere() {
    let app = spawn_app().await;
    const PAYLOAD: &str = "<script>alert(1)</script>\\\"><img src=x onerror=alert(2)>";
    let hostile = |turtle: &str| {
        let literal = regex::Regex::new(r#""([^"\\]*)"(@nl|@en)"#).expect("a regex");
        literal
            .replace_all(turtle, |captures: &regex::Captures<'_>| {
                format!("\"{PAYLOAD} {}\"{}", &captures[1], &captures[2])
            })
            .into_owned()
    };
    let consultation = hostile(&fixture("valid/consultatie-open.ttl"));
    assert!(
        consultation.matches("<script>").count() >= 5,
        "{consultation}"
    );
    let (status, text) = push_as(&app, "text/turtle", consultation).await;
    assert_eq!(status, 201, "{text}");
    let meeting = hostile(&fixture("valid/vergaderactiviteit-volledig.ttl"));
    let (status, text) = push_as(&app, "text/turtle", meeting).await;
    assert_eq!(status, 201, "{text}");

    let meeting_page =
        regex::Regex::new(r"<(https://agora\.vlaanderen\.be/id/vergaderactiviteit/[^>]+)>")
            .expect("a regex")
            .captures(&fixture("valid/vergaderactiviteit-volledig.ttl"))
            .map(|captures| {
                captures[1]
                    .trim_start_matches("https://agora.vlaanderen.be")
                    .to_owned()
            })
            .expect("the meeting's IRI");
    let consultation_page = "/id/consultatie/7e570000-0007-4000-8000-000000000011".to_owned();
    let pages = [
        "/".to_owned(),
        "/consultaties".to_owned(),
        "/vergaderingen".to_owned(),
        "/zoeken?q=alert".to_owned(),
        "/zoeken?q=groenboek".to_owned(),
        consultation_page.clone(),
        format!("{consultation_page}?weergave=alles"),
        format!("{consultation_page}?lang=en"),
        "/id/stuk/7e570000-0007-4000-8000-000000000012".to_owned(),
        meeting_page.clone(),
        format!("{meeting_page}?weergave=alles"),
        format!(
            "/sparql?query={}",
            urlencode("SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")
        ),
    ];
    for page in &pages {
        let response = app.get(page, BROWSER).await;
        assert_eq!(response.status(), 200, "{page}");
        let body = response.text().await.expect("a body");
        assert!(
            !body.contains("<script>alert"),
            "{page}: raw script\n{body}"
        );
        assert!(!body.contains("<img src=x"), "{page}: raw tag");
        assert!(
            !body.contains("href=\"javascript:"),
            "{page}: javascript link"
        );
        assert!(
            !body.to_ascii_lowercase().contains("</script><img"),
            "{page}: the embedded JSON-LD was closed"
        );
        if page.starts_with("/id/") {
            // The text is there, shown as text.
            assert!(
                body.contains("&lt;script&gt;alert(1)"),
                "{page}: payload not shown\n{body}"
            );
        }
    }
    let atom = app
        .get("/feeds/consultaties.atom", "application/atom+xml")
        .await;
    assert_eq!(atom.status(), 200);
    let atom = atom.text().await.expect("a body");
    assert!(!atom.contains("<script>"), "Atom: raw script\n{atom}");
    still_serving(&app).await;
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
