//! Access: token revocation without restart, rate-limited failed authentication (logged without
//! the secret), per-client query limits, security headers, error bodies without internals.

use std::time::Duration;

use crate::helpers::{
    capture_logs, spawn_app, spawn_app_with, test_config, GENT_TOKEN, KALEIDOS_TOKEN,
};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

#[tokio::test]
async fn a_token_removed_from_the_token_file_is_refused_without_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("tokens");
    std::fs::write(
        &file,
        format!(
            "kaleidos:{KALEIDOS_TOKEN}\ngent:{}\n",
            agora::auth::hashed(GENT_TOKEN)
        ),
    )
    .expect("written");
    let mut config = test_config();
    config.tokens = agora::auth::Tokens::default();
    config.access.token_file = Some(file.clone());
    let app = spawn_app_with(config).await;
    let record = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(GENT_TOKEN, &record).await.status(), 201);

    // Replaced whole (written aside, then renamed), as an operator's tool should: a file
    // rewritten in place can be read half-written by the periodic reload (an empty keyring
    // until the next one).
    let next = dir.path().join("tokens.next");
    std::fs::write(&next, format!("kaleidos:{KALEIDOS_TOKEN}\n")).expect("written");
    std::fs::rename(&next, &file).expect("renamed");
    let started = std::time::Instant::now();
    let status = loop {
        let status = app.push(GENT_TOKEN, &record).await.status();
        if status != 200 || started.elapsed() > Duration::from_secs(10) {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status, 403, "the revoked token still works after 10 s");
    // The other token still works.
    assert_eq!(
        app.push(KALEIDOS_TOKEN, &fixture("valid/bestuurseenheid.ttl"))
            .await
            .status(),
        201
    );
    app.stop().await;
}

#[tokio::test]
async fn failed_authentications_are_rate_limited_and_logged_without_the_secret() {
    let (logs, _guard) = capture_logs();
    let app = spawn_app().await;
    let guess = "guessed-secret-4f1c9a7e2b";
    let record = fixture("valid/organisatie.ttl");
    for _ in 0..agora::web::limits::FAILURE_LIMIT {
        assert_eq!(app.push(guess, &record).await.status(), 403);
    }
    let limited = app.push(guess, &record).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    // While limited, even a right token from this client waits: a guesser cannot tell.
    assert_eq!(app.push(KALEIDOS_TOKEN, &record).await.status(), 429);
    // Reads are not limited.
    assert_eq!(app.get("/", "text/html").await.status(), 200);
    app.stop().await;

    let text = logs.text();
    let failures = text
        .lines()
        .filter(|line| line.contains("authentication failed"))
        .count();
    assert_eq!(
        failures,
        agora::web::limits::FAILURE_LIMIT as usize,
        "{text}"
    );
    assert!(text.contains("client=127.0.0.1"), "{text}");
    assert!(!text.contains(guess), "the secret is in the log:\n{text}");
    assert!(
        !text.contains(KALEIDOS_TOKEN),
        "the secret is in the log:\n{text}"
    );
}

#[tokio::test]
async fn one_client_cannot_take_every_query_slot() {
    let mut config = test_config();
    config.query_timeout = Duration::from_secs(3);
    config.max_concurrent_queries = 4;
    config.access.max_queries_per_client = 2;
    let app = spawn_app_with(config).await;
    let heavy = || {
        app.client
            .get(format!("{}/sparql", app.address))
            .query(&[("query", crate::helpers::HEAVY_QUERY)])
            .header("accept", "application/sparql-results+json")
            .send()
    };
    let first = tokio::spawn(heavy());
    let second = tokio::spawn(heavy());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let third = app
        .sparql_get("ASK { ?s ?p ?o }", "application/sparql-results+json")
        .await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    for running in [first, second] {
        let response = running.await.expect("joined").expect("answered");
        assert_eq!(response.status(), 503, "stopped at the time limit");
    }
    // The slots come back once the evaluations notice their cancellation (the 503 is sent at
    // the time limit; Oxigraph checks its token between reads, see `Deadline::answer_by`).
    let mut after = app
        .sparql_get("ASK { ?s ?p ?o }", "application/sparql-results+json")
        .await;
    let waited = std::time::Instant::now();
    while after.status() == 429 && waited.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        after = app
            .sparql_get("ASK { ?s ?p ?o }", "application/sparql-results+json")
            .await;
    }
    assert_eq!(after.status(), 200);
    // Each cancelled evaluation counts its time-out when it stops, which may be after the slot
    // check above freed: wait (bounded) until both are counted.
    let counter = |metrics: &str, name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0)
    };
    let mut metrics = String::new();
    let waited = std::time::Instant::now();
    while waited.elapsed() < Duration::from_secs(120) {
        metrics = app
            .get("/metrics", "text/plain")
            .await
            .text()
            .await
            .expect("text");
        if counter(&metrics, "agora_sparql_timeouts_total") >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // At least the one refusal above (the wait for the slots may have added more).
    assert!(
        counter(&metrics, "agora_sparql_client_refused_total") >= 1,
        "{metrics}"
    );
    assert_eq!(
        counter(&metrics, "agora_sparql_timeouts_total"),
        2,
        "{metrics}"
    );
    app.stop().await;
}

/// A client that sends its next query as soon as it has read the last answer holds one slot at
/// a time, so even at one slot per client it is never refused: the slot is given back before
/// the answer's last bytes are sent (CI once saw a 429 here when it was given back after).
#[tokio::test]
async fn a_client_that_waits_for_each_answer_is_never_refused() {
    let mut config = test_config();
    config.access.max_queries_per_client = 1;
    let app = spawn_app_with(config).await;
    for attempt in 0..300 {
        let response = app
            .sparql_get("ASK { ?s ?p ?o }", "application/sparql-results+json")
            .await;
        assert_eq!(response.status(), 200, "query {attempt} was refused");
        response.bytes().await.expect("the whole answer");
    }
    app.stop().await;
}

#[tokio::test]
async fn security_headers_are_on_every_kind_of_response() {
    let app = spawn_app().await;
    let requests: [(&str, &str, reqwest::RequestBuilder); 12] = [
        ("home", "", app.client.get(format!("{}/", app.address))),
        (
            "list",
            "",
            app.client.get(format!("{}/consultaties", app.address)),
        ),
        (
            "record page",
            "",
            app.client.get(format!(
                "{}/id/consultatie/27ee4f0b-c979-4800-b118-48e0eb0f1e66",
                app.address
            )),
        ),
        (
            "search",
            "",
            app.client.get(format!("{}/zoeken?q=klimaat", app.address)),
        ),
        (
            "query page",
            "text/html",
            app.client.get(format!("{}/sparql", app.address)),
        ),
        (
            "query results",
            "application/sparql-results+json",
            app.client
                .get(format!("{}/sparql", app.address))
                .query(&[("query", "ASK { ?s ?p ?o }")]),
        ),
        (
            "bad query",
            "application/sparql-results+json",
            app.client
                .get(format!("{}/sparql", app.address))
                .query(&[("query", "SELEKT nothing")]),
        ),
        (
            "feed",
            "text/turtle",
            app.client.get(format!("{}/ldes/consultaties", app.address)),
        ),
        (
            "not found",
            "text/html",
            app.client.get(format!("{}/nothing/here", app.address)),
        ),
        (
            "unauthorised write",
            "",
            app.client.post(format!("{}/api/records", app.address)),
        ),
        (
            "metrics",
            "",
            app.client.get(format!("{}/metrics", app.address)),
        ),
        (
            "health",
            "",
            app.client.get(format!("{}/health", app.address)),
        ),
    ];
    for (name, accept, request) in requests {
        let request = if accept.is_empty() {
            request
        } else {
            request.header("accept", accept)
        };
        let response = request.send().await.expect("sent");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{name}");
        assert_eq!(header("x-frame-options"), "DENY", "{name}");
        assert_eq!(
            header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{name}"
        );
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{name}"
        );
        assert!(!header("x-request-id").is_empty(), "{name}");
    }
    app.stop().await;
}

/// Strings that would betray internals: paths, source files, panics, Rust type names.
const INTERNAL: [&str; 12] = [
    "/home/",
    "/tmp/",
    "/work/",
    "/root/",
    ".rs:",
    "src/",
    "panicked",
    "backtrace",
    "agora::",
    "oxigraph::",
    "std::",
    "Error {",
];

#[tokio::test]
async fn error_bodies_reveal_nothing_internal() {
    let app = spawn_app().await;
    let url = |path: &str| format!("{}{path}", app.address);
    let c = &app.client;
    let huge = "x".repeat(300 * 1024);
    let requests = [
        c.get(url("/nothing/here")),
        c.get(url("/id/../../etc/passwd")),
        c.get(url("/id/consultatie/%2e%2e%2f%2e%2e%2fetc%2fpasswd")),
        c.get(url("/shapes/..%2f..%2fCargo.toml")),
        c.get(url("/dumps/..%2f..%2fetc%2fpasswd")),
        c.get(url("/ldes/nope/0")),
        c.get(url("/ldes/consultaties/999999999999999999999")),
        c.get(url("/api/records/not-a-uuid")),
        c.get(url("/api/records/00000000-0000-0000-0000-000000000000")),
        c.get(url(
            "/api/records/00000000-0000-0000-0000-000000000000/versions/x",
        )),
        c.get(url("/sparql"))
            .query(&[("query", "SELECT * WHERE { ?s ?p }")]),
        c.get(url("/sparql"))
            .query(&[("query", "SELECT * WHERE { ?s ?p ?o }")])
            .header("accept", "image/png"),
        c.get(url("/sparql")).query(&[(
            "query",
            "SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }",
        )]),
        c.post(url("/sparql"))
            .header("content-type", "application/sparql-update")
            .body("DROP ALL"),
        c.post(url("/sparql"))
            .header("content-type", "application/sparql-query")
            .body(huge.clone()),
        c.post(url("/sparql"))
            .header("content-type", "application/sparql-query")
            .body(vec![0xff, 0xfe, 0x00]),
        c.post(url("/api/records"))
            .bearer_auth(KALEIDOS_TOKEN)
            .header("content-type", "text/turtle")
            .body("<a> <b> \"unterminated ."),
        c.post(url("/api/records"))
            .bearer_auth(KALEIDOS_TOKEN)
            .header("content-type", "application/ld+json")
            .body("{\"@context\": {\"@base\": \"file:///etc/\"}, \"@id\": \"passwd\"}"),
        c.post(url("/api/records"))
            .bearer_auth(KALEIDOS_TOKEN)
            .header("content-type", "application/x-unknown")
            .body("x"),
        c.post(url("/api/records"))
            .bearer_auth(KALEIDOS_TOKEN)
            .header("content-type", "text/turtle")
            .body(huge),
        c.post(url("/api/validate"))
            .header("content-type", "application/rdf+xml")
            .body("<rdf:RDF"),
        c.delete(url("/api/records/00000000-0000-0000-0000-000000000000"))
            .bearer_auth(KALEIDOS_TOKEN),
        c.post(url("/api/admin/backup")).bearer_auth(KALEIDOS_TOKEN),
        c.get(url("/zoeken")).query(&[("q", "\"unbalanced AND (")]),
        c.get(url("/consultaties")).query(&[("pagina", "-1")]),
    ];
    for request in requests {
        let response = request.send().await.expect("sent");
        let status = response.status();
        let target = response.url().to_string();
        let body = response.text().await.expect("a body");
        assert!(status.as_u16() < 500, "{target}: {status}: {body}");
        for marker in INTERNAL {
            assert!(
                !body.contains(marker),
                "{target} ({status}) shows {marker:?}:\n{body}"
            );
        }
    }
    app.stop().await;
}
