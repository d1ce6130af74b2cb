//! Backup of a live server and restore into a new folder: the same graphs (records, versions,
//! system graph, event log) by canonical hash, the same tokens, and search works.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use agora::config::Storage;
use oxigraph::model::{GraphName, Triple};

use crate::helpers::{
    spawn_app_with, temp_data_dir, test_config, wait_for_release, GENT_TOKEN, KALEIDOS_TOKEN,
};

/// The secret of the test admin "beheer".
const ADMIN_TOKEN: &str = "beheer-secret-0123456789abcdef";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

fn agora() -> Command {
    Command::new(env!("CARGO_BIN_EXE_agora"))
}

/// Runs the binary on the blocking pool (the in-process server keeps being served meanwhile).
async fn run(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || agora().args(&args).output().expect("agora runs"))
        .await
        .expect("joined")
}

/// The canonical hash of every graph of the store in `data` (the default graph as "").
pub fn graph_hashes(data: &Path) -> BTreeMap<String, (usize, String)> {
    let store = oxigraph::store::Store::open(data).expect("the store opens");
    let mut graphs: BTreeMap<String, Vec<Triple>> = BTreeMap::new();
    for quad in store.iter() {
        let quad = quad.expect("a quad");
        let name = match &quad.graph_name {
            GraphName::DefaultGraph => String::new(),
            other => other.to_string(),
        };
        graphs.entry(name).or_default().push(Triple::from(quad));
    }
    graphs
        .into_iter()
        .map(|(name, triples)| {
            let hash = agora::model::canonical_hash(&triples).expect("hashable");
            (name, (triples.len(), hash))
        })
        .collect()
}

fn token_file(dir: &Path) -> PathBuf {
    let file = dir.join("tokens");
    std::fs::write(
        &file,
        format!(
            "kaleidos:{KALEIDOS_TOKEN}\ngent:{}\nbeheer:{}\n",
            agora::auth::hashed(GENT_TOKEN),
            agora::auth::hashed(ADMIN_TOKEN)
        ),
    )
    .expect("written");
    file
}

#[tokio::test]
async fn a_live_backup_restores_the_same_graphs_tokens_and_search() {
    let (dir, data) = temp_data_dir();
    let mut config = test_config();
    config.storage = Storage::Disk(data.clone());
    config.tokens = agora::auth::Tokens::default();
    config.access.token_file = Some(token_file(dir.path()));
    config.access.admins = vec!["beheer".to_owned()];
    config.access.backup_dir = Some(dir.path().join("server-backups"));
    let app = spawn_app_with(config).await;

    // Versions and a withdrawal.
    let organisation = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(KALEIDOS_TOKEN, &organisation).await.status(), 201);
    let changed = organisation.replace("Departement Testen", "Departement Proeven");
    assert_eq!(app.push(KALEIDOS_TOKEN, &changed).await.status(), 200);
    let unit = app
        .push(KALEIDOS_TOKEN, &fixture("valid/bestuurseenheid.ttl"))
        .await;
    assert_eq!(unit.status(), 201);
    let unit: serde_json::Value = unit.json().await.expect("JSON");
    let unit_id = unit["records"][0]["id"].as_str().expect("an id").to_owned();
    let withdrawn = app
        .client
        .delete(format!("{}/api/records/{unit_id}?reason=test", app.address))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(withdrawn.status(), 200);

    // Only an admin may back up.
    let refused = app
        .client
        .post(format!("{}/api/admin/backup", app.address))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 403);

    // The CLI finds the folder held and goes through the server.
    let admin_token = dir.path().join("admin-token");
    std::fs::write(&admin_token, ADMIN_TOKEN).expect("written");
    let backup = dir.path().join("backup");
    let output = run(vec![
        "backup".into(),
        "--data".into(),
        data.display().to_string(),
        "--out".into(),
        backup.display().to_string(),
        "--url".into(),
        app.address.clone(),
        "--admin-token-file".into(),
        admin_token.display().to_string(),
    ])
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("token file included"), "{said}");
    app.stop().await;
    wait_for_release(&data).await;

    let restored = dir.path().join("restored");
    let output = run(vec![
        "restore".into(),
        backup.display().to_string(),
        "--data".into(),
        restored.display().to_string(),
    ])
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let original = graph_hashes(&data);
    let copy = graph_hashes(&restored);
    assert!(original.len() > 10, "{} graphs", original.len());
    for (graph, hash) in &original {
        assert_eq!(copy.get(graph), Some(hash), "graph {graph:?} differs");
    }
    assert_eq!(original.len(), copy.len());

    // With no server holding the folder, the backup is taken offline.
    let offline = dir.path().join("offline-backup");
    let output = run(vec![
        "backup".into(),
        "--data".into(),
        data.display().to_string(),
        "--out".into(),
        offline.display().to_string(),
    ])
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(graph_hashes(&offline.join("store")), original);
    // A backup never overwrites.
    let again = run(vec![
        "backup".into(),
        "--data".into(),
        data.display().to_string(),
        "--out".into(),
        offline.display().to_string(),
    ])
    .await;
    assert_eq!(again.status.code(), Some(2));

    // A server on the restored folder: same tokens, same holders, search works.
    let mut config = test_config();
    config.storage = Storage::Disk(restored.clone());
    config.tokens = agora::auth::Tokens::default();
    config.access.token_file = Some(restored.join("tokens"));
    let second = spawn_app_with(config).await;
    let again = second.push(KALEIDOS_TOKEN, &changed).await;
    assert_eq!(again.status(), 200);
    let again: serde_json::Value = again.json().await.expect("JSON");
    assert_eq!(again["records"][0]["outcome"], "unchanged");
    assert_eq!(again["records"][0]["version"], 2);
    assert_eq!(
        second
            .push(GENT_TOKEN, &changed.replace("Proeven", "Gekaapt"))
            .await
            .status(),
        403
    );
    let gone = second
        .get(&format!("/api/records/{unit_id}"), "text/turtle")
        .await;
    assert_eq!(gone.status(), 410);
    let results: serde_json::Value = second
        .get("/zoeken?q=klimaat+energieplan", "application/json")
        .await
        .json()
        .await
        .expect("JSON");
    assert!(
        results["results"][0]["iri"]
            .as_str()
            .is_some_and(|iri| iri.contains("/id/consultatie/")),
        "{results:#}"
    );
    second.stop().await;
}
