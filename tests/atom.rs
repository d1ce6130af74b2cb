//! The Atom feeds, read by Python's feedparser (the parser behind many feed readers): valid
//! Atom (`bozo == 0`), with entries for new, changed and closed consultations, published reports
//! and decisions. feedparser is installed by `tests/clients/install.sh` into the virtualenv that
//! `AGORA_PYTHON` names (default `~/.cache/agora/venv/bin/python`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::helpers::{spawn_app, TestApp};

fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("AGORA_PYTHON") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let python = home.join(".cache/agora/venv/bin/python");
    let present = Command::new(&python)
        .args(["-c", "import feedparser"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !present {
        let _ = Command::new("bash")
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/install.sh"))
            .stdout(Stdio::null())
            .status();
    }
    python
}

async fn parsed(app: &TestApp, path: &str) -> serde_json::Value {
    let response = app.get(path, "application/atom+xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("application/atom+xml"));
    let body = response.bytes().await.expect("a body");
    let python = python();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/atom_check.py");
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(&python)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "{} does not run ({error}): install it with `bash tests/clients/install.sh`",
                    python.display()
                )
            });
        child
            .stdin
            .take()
            .expect("a stdin")
            .write_all(&body)
            .expect("the feed is written");
        child.wait_with_output().expect("python ends")
    })
    .await
    .expect("the task ends");
    assert!(
        output.status.success(),
        "feedparser failed (install it with `bash tests/clients/install.sh`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from the checker")
}

#[tokio::test]
async fn the_atom_feeds_are_valid_atom_with_consultations_reports_and_decisions() {
    let app = spawn_app().await;
    let consultations = parsed(&app, "/feeds/consultaties.atom").await;
    assert_eq!(consultations["bozo"], 0, "{consultations}");
    assert_eq!(consultations["version"], "atom10");
    let titles: Vec<&str> = consultations["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|entry| entry["title"].as_str())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Nieuwe consultatie: ")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Consultatieverslag gepubliceerd: ")),
        "{titles:?}"
    );
    for entry in consultations["entries"].as_array().expect("entries") {
        assert!(entry["id"]
            .as_str()
            .is_some_and(|id| id.contains("/id/versie/")));
        assert!(entry["link"]
            .as_str()
            .is_some_and(|link| link.starts_with("http")));
        assert!(entry["updated"].as_str().is_some());
    }
    let decisions = parsed(&app, "/feeds/beslissingen.atom").await;
    assert_eq!(decisions["bozo"], 0, "{decisions}");
    let entries = decisions["entries"].as_array().expect("entries");
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|entry| entry["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Beslissingen gepubliceerd: "))));
    assert_eq!(app.get("/feeds/nothing.atom", "*/*").await.status(), 404);
    app.stop().await;
}
