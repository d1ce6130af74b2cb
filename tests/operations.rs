//! Operations: health and readiness, Prometheus metrics, request ids in headers and logs.

use crate::helpers::{capture_logs, spawn_app, KALEIDOS_TOKEN};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let health = app.get("/health", "*/*").await;
    assert_eq!(health.status(), 200);
    let ready = app.get("/ready", "*/*").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("a body"), "ready\n");
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_requests_pushes_and_the_store() {
    let app = spawn_app().await;
    let _ = app
        .sparql_select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        .await;
    let accepted = app
        .push(KALEIDOS_TOKEN, &fixture("valid/organisatie.ttl"))
        .await;
    assert_eq!(accepted.status(), 201);
    let refused = app
        .push("not-a-token-at-all-0000", &fixture("valid/organisatie.ttl"))
        .await;
    assert_eq!(refused.status(), 403);
    let _ = app.get("/no/such/page", "text/html").await;

    let response = app.get("/metrics", "text/plain").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.expect("a body");
    for expected in [
        "agora_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"} 1",
        "agora_http_requests_total{route=\"/api/records\",method=\"POST\",status=\"201\"} 1",
        "agora_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        "agora_http_request_duration_seconds_count{route=\"/sparql\"} 1",
        "agora_pushes_accepted_total 1",
        "agora_pushes_refused_total 1",
        "agora_auth_failures_total 1",
        "agora_sparql_timeouts_total 0",
        "agora_sparql_refused_total 0",
        "# TYPE agora_http_request_duration_seconds histogram",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let records = text
        .lines()
        .find_map(|line| line.strip_prefix("agora_records "))
        .and_then(|value| value.parse::<u64>().ok())
        .expect("agora_records");
    assert!(records > 1, "{records}");
    assert!(text.contains("agora_store_quads "));
    // Raw paths never become labels.
    assert!(!text.contains("/no/such/page"));
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_which_is_in_the_logs() {
    let (logs, _guard) = capture_logs();
    let app = spawn_app().await;
    let fresh = app.get("/", "text/html").await;
    let id = fresh.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let kept = app
        .client
        .get(format!("{}/no/such/page", app.address))
        .header("x-request-id", "proxy-42.a")
        .send()
        .await
        .expect("sent");
    assert_eq!(kept.status(), 404);
    assert_eq!(kept.headers()["x-request-id"], "proxy-42.a");

    let odd = app
        .client
        .get(format!("{}/health", app.address))
        .header("x-request-id", "two words")
        .send()
        .await
        .expect("sent");
    assert_ne!(odd.headers()["x-request-id"], "two words");

    // A request that logs: a refused write.
    let refused = app
        .client
        .post(format!("{}/api/records", app.address))
        .header("x-request-id", "trace-me-7")
        .header("content-type", "text/turtle")
        .bearer_auth("wrong-wrong-wrong-wrong")
        .body("<a:b> <a:b> <a:b> .")
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 403);
    app.stop().await;
    let text = logs.text();
    assert!(
        text.lines()
            .any(|line| line.contains("request_id=trace-me-7")
                && line.contains("authentication failed")),
        "{text}"
    );
}
