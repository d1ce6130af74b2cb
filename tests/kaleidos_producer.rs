//! A Kaleidos publication producer for tests and benchmarks: a real axum server on 127.0.0.1
//! port 0 that answers what themis-publication-producer answers behind its dispatcher:
//! `GET /publications?since=<ISO datetime>` (and `/files?since=`, the service's own path) with
//! the JSON:API list of delta files created after `since`, oldest first, and
//! `GET /files/{id}/download` with a file's bytes (404 for a listed file without bytes). It
//! can fail the first downloads of a file (503), so that retries are exercised, and files can
//! be added while it runs.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use oxsdatatypes::DateTime;
use serde_json::json;

/// One delta file as the producer holds it.
#[derive(Debug, Clone)]
pub struct ProducerFile {
    /// Its uuid.
    pub id: String,
    /// `delta-<timestamp>.json`.
    pub name: String,
    /// When it was created (ISO).
    pub created: String,
    /// The delta JSON.
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Inner {
    files: Vec<ProducerFile>,
    /// Per file id: how many more downloads fail.
    failures: HashMap<String, u32>,
    /// Downloads served, per file id.
    downloads: HashMap<String, u32>,
}

/// A running producer.
#[derive(Clone)]
pub struct Producer {
    /// `http://127.0.0.1:{port}`.
    pub address: String,
    inner: Arc<Mutex<Inner>>,
}

impl Producer {
    /// Starts a producer serving `files`.
    pub async fn spawn(files: Vec<ProducerFile>) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            files,
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/publications", get(list))
            .route("/files", get(list))
            .route("/files/{id}/download", get(download))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = format!("http://{}", listener.local_addr().expect("a local address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { address, inner }
    }

    /// Adds a file at the end.
    pub fn push(&self, file: ProducerFile) {
        self.inner
            .lock()
            .expect("the producer lock")
            .files
            .push(file);
    }

    /// Makes the next `count` downloads of file `id` fail with 503.
    pub fn fail_downloads(&self, id: &str, count: u32) {
        self.inner
            .lock()
            .expect("the producer lock")
            .failures
            .insert(id.to_owned(), count);
    }

    /// How many times file `id` was requested (failed attempts included).
    pub fn downloads(&self, id: &str) -> u32 {
        self.inner
            .lock()
            .expect("the producer lock")
            .downloads
            .get(id)
            .copied()
            .unwrap_or(0)
    }
}

async fn list(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let since: Option<DateTime> = match params.get("since") {
        Some(text) => match text.parse() {
            Ok(time) => Some(time),
            Err(_) => return (StatusCode::BAD_REQUEST, "bad since").into_response(),
        },
        None => None,
    };
    let inner = inner.lock().expect("the producer lock");
    let data: Vec<_> = inner
        .files
        .iter()
        .filter(|file| {
            let created: DateTime = file.created.parse().expect("an ISO time");
            since.is_none_or(|since| created > since)
        })
        .map(|file| {
            json!({
                "type": "files",
                "id": file.id,
                "attributes": {"name": file.name, "created": file.created},
            })
        })
        .collect();
    Json(json!({ "data": data })).into_response()
}

async fn download(State(inner): State<Arc<Mutex<Inner>>>, Path(id): Path<String>) -> Response {
    let mut inner = inner.lock().expect("the producer lock");
    *inner.downloads.entry(id.clone()).or_default() += 1;
    if let Some(left) = inner.failures.get_mut(&id) {
        if *left > 0 {
            *left -= 1;
            return (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response();
        }
    }
    match inner
        .files
        .iter()
        .find(|file| file.id == id && !file.body.is_empty())
    {
        Some(file) => ([("content-type", "application/json")], file.body.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
