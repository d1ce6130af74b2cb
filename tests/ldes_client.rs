//! An independent LDES client harvests Agora's streams: `ldes-client` 0.3 (npm, the reference
//! client of the LDES community) replicates every stream from a real server, then, after updates,
//! a withdrawal and a new record, resumes from its saved state and follows. Every member of the event log must
//! reach it exactly once, in time order.
//!
//! The client is installed by `tests/clients/install.sh` (which `.ci/run` calls, and this test
//! runs on first use) and found through `AGORA_LDES_CLIENT` (a `node_modules` folder holding
//! `ldes-client`; default `~/.cache/agora/ldes-client/node_modules`) and `AGORA_NODE` (default
//! `node`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use agora::model::Collection;
use reqwest::Method;

use crate::helpers::{TestApp, KALEIDOS_TOKEN};
use crate::http_feeds::{organisation, organisation_iri, spawn_self_based};

const INSTALL: &str = "install the LDES client with `bash tests/clients/install.sh` (CI runs it), \
     or point AGORA_LDES_CLIENT / AGORA_NODE at existing installs";

/// One member as the client emitted it.
#[derive(Debug, Clone, serde::Deserialize)]
struct Member {
    id: String,
    #[serde(rename = "type")]
    class: Option<String>,
    #[serde(rename = "isVersionOf")]
    is_version_of: Option<String>,
    timestamp: Option<String>,
    quads: usize,
}

fn client_modules() -> PathBuf {
    if let Some(path) = std::env::var_os("AGORA_LDES_CLIENT") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let modules = home.join(".cache/agora/ldes-client/node_modules");
    if !modules.join("ldes-client/package.json").is_file() {
        // If this fails, the assertion below names the install command.
        let _ = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/install.sh"))
            .stdout(Stdio::null())
            .status();
    }
    modules
}

/// Runs the client on `url` with its state in `state` (following until `follow` members came, if
/// given); the members it emitted, in order.
async fn harvest(url: &str, state: &Path, follow: Option<usize>) -> Vec<Member> {
    let modules = client_modules();
    assert!(
        modules.join("ldes-client/package.json").is_file(),
        "no ldes-client in {}: {INSTALL}",
        modules.display()
    );
    let node = std::env::var_os("AGORA_NODE").unwrap_or_else(|| "node".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/ldes_client.mjs");
    let mut command = Command::new(node);
    command
        .arg(script)
        .arg(url)
        .arg(state)
        .env("AGORA_LDES_CLIENT", &modules);
    if let Some(count) = follow {
        command.arg("follow").arg(count.to_string());
    }
    // The client runs without following (`polling: false`), so it ends on its own.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the client task ends")
        .expect("node runs");
    assert!(
        output.status.success(),
        "ldes-client failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("a member line"))
        .collect()
}

/// The member IRIs of a collection's event log, in log order.
fn logged(app: &TestApp, collection: Collection) -> Vec<String> {
    let (events, _) = app
        .store
        .events(collection, 0, u64::MAX)
        .expect("the log reads");
    events
        .iter()
        .map(|event| {
            event
                .event
                .member_iri(app.store.graph_names())
                .as_str()
                .to_owned()
        })
        .collect()
}

fn assert_in_time_order(members: &[Member]) {
    let times: Vec<&str> = members
        .iter()
        .map(|m| {
            m.timestamp
                .as_deref()
                .expect("every member has a timestamp")
        })
        .collect();
    // ISO 8601 in UTC with milliseconds: text order is time order
    assert!(
        times.windows(2).all(|pair| pair[0] <= pair[1]),
        "members out of time order: {times:?}"
    );
}

#[tokio::test]
async fn ldes_client_harvests_every_stream_then_resumes_with_exactly_the_new_members() {
    let app = spawn_self_based(4).await;
    let states = tempfile::tempdir().expect("a temporary folder");
    let mut first_runs = Vec::new();
    for collection in Collection::ALL {
        let url = format!("{}/ldes/{}", app.address, collection.slug());
        let state = states.path().join(collection.slug());
        let members = harvest(&url, &state, None).await;
        let ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{url}: a member came twice");
        let mut expected = logged(&app, collection);
        let mut got = ids.clone();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{url}: the client must get every member");
        assert_in_time_order(&members);
        assert!(members.iter().all(|m| m.class.as_deref()
            == Some("https://www.w3.org/ns/activitystreams#Create")
            && m.is_version_of.is_some()
            && m.quads > 4));
        first_runs.push((collection, members));
    }

    // changes: a new record, an update, a withdrawal, another new record; each its own moment
    let pause = || tokio::time::sleep(std::time::Duration::from_millis(5));
    for (number, label) in [(1, "Nieuw"), (1, "Gewijzigd")] {
        assert!(app
            .push(KALEIDOS_TOKEN, &organisation(number, label))
            .await
            .status()
            .is_success());
        pause().await;
    }
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, organisation_iri(1).as_bytes());
    let withdrawn = app
        .send_rdf(
            Method::DELETE,
            &format!("/api/records/{id}?reason=test"),
            Some(KALEIDOS_TOKEN),
            "text/plain",
            "",
            &[],
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    pause().await;
    assert_eq!(
        app.push(KALEIDOS_TOKEN, &organisation(2, "Nog een"))
            .await
            .status(),
        201
    );

    // the client resumes from its state and follows: only the four new members, in the log's
    // order (it then waits two more seconds, so a duplicate would show)
    let url = format!("{}/ldes/organisaties", app.address);
    let second = harvest(&url, &states.path().join("organisaties"), Some(4)).await;
    let log = logged(&app, Collection::Organisations);
    let new: Vec<String> = log[log.len() - 4..].to_vec();
    let got: Vec<String> = second.iter().map(|m| m.id.clone()).collect();
    assert_eq!(
        got, new,
        "the second run must emit exactly the new members, in order"
    );
    let classes: Vec<&str> = second
        .iter()
        .map(|m| m.class.as_deref().unwrap_or_default())
        .map(|class| class.rsplit('#').next().unwrap_or_default())
        .collect();
    assert_eq!(classes, ["Create", "Update", "Delete", "Create"]);
    assert_eq!(
        second[2].is_version_of.as_deref(),
        Some(organisation_iri(1).as_str())
    );
    assert_in_time_order(&second);
    // across both runs, every logged member exactly once
    let (_, first) = first_runs
        .iter()
        .find(|(collection, _)| *collection == Collection::Organisations)
        .expect("organisations were harvested");
    let mut all: Vec<String> = first.iter().chain(&second).map(|m| m.id.clone()).collect();
    let mut log = log;
    all.sort();
    log.sort();
    assert_eq!(all, log);
    // a stream that did not change gives nothing new
    let consultations = format!("{}/ldes/consultaties", app.address);
    let again = harvest(&consultations, &states.path().join("consultaties"), Some(0)).await;
    assert!(again.is_empty(), "nothing new: {again:?}");
    app.stop().await;
}
