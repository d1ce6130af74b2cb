//! `agora check`: a clean store reports clean; a damaged one reports what is wrong, per record.

use std::process::Command;

use agora::config::Storage;
use agora::model::{BaseIri, GraphNames};
use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};

use crate::helpers::{
    spawn_app_with, temp_data_dir, test_config, wait_for_release, KALEIDOS_TOKEN,
};

const ORGANISATION: &str =
    "https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-000000000061";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

fn check(data: &std::path::Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_agora"))
        .args(["check", "--data"])
        .arg(data)
        .output()
        .expect("agora runs");
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn a_clean_store_is_clean_and_a_damaged_one_is_reported() {
    let (_dir, data) = temp_data_dir();
    let mut config = test_config();
    config.storage = Storage::Disk(data.clone());
    let app = spawn_app_with(config).await;
    let organisation = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(KALEIDOS_TOKEN, &organisation).await.status(), 201);
    let changed = organisation.replace("Departement Testen", "Departement Proeven");
    assert_eq!(app.push(KALEIDOS_TOKEN, &changed).await.status(), 200);
    app.stop().await;
    wait_for_release(&data).await;

    let (code, output) = check(&data);
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("clean:"), "{output}");

    // Damage: a triple slipped into the record graph behind the store's back (so also not in
    // the default graph), and one in the default graph that no record states.
    {
        let store = oxigraph::store::Store::open(&data).expect("opens");
        let names = GraphNames::new(&BaseIri::parse("https://agora.vlaanderen.be").expect("base"));
        let root = NamedNodeRef::new(ORGANISATION).expect("an IRI");
        let graph = names.record_graph(root);
        let label = NamedNodeRef::new("http://www.w3.org/2004/02/skos/core#altLabel").expect("IRI");
        store
            .insert(QuadRef::new(
                root,
                label,
                oxigraph::model::LiteralRef::new_simple_literal("ingeslopen"),
                graph.as_ref(),
            ))
            .expect("inserted");
        let stray = NamedNodeRef::new("https://example.org/stray").expect("IRI");
        store
            .insert(QuadRef::new(
                stray,
                label,
                stray,
                GraphNameRef::DefaultGraph,
            ))
            .expect("inserted");
    }
    let (code, output) = check(&data);
    assert_eq!(code, Some(1), "{output}");
    assert!(
        output.contains(&format!("<{ORGANISATION}>: version 2 hashes to")),
        "{output}"
    );
    assert!(output.contains("ingeslopen"), "{output}");
    assert!(output.contains("https://example.org/stray"), "{output}");

    // A folder that cannot be opened.
    let (code, output) = check(&data.join("missing"));
    assert_eq!(code, Some(2), "{output}");
}

fn agora(args: &[&str], data: &std::path::Path, file: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_agora"))
        .args(args)
        .arg("--data")
        .arg(data)
        .arg(file)
        .output()
        .expect("agora runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn a_loaded_dataset_is_published_survives_serve_and_checks_clean() {
    let (dir, data) = temp_data_dir();
    let file = dir.path().join("products.nt");
    std::fs::write(
        &file,
        "<http://example.org/p1> <http://www.w3.org/2000/01/rdf-schema#label> \"Product 1\" .\n\
         <http://example.org/p1> <http://example.org/price> \"10\" .\n\
         <http://example.org/p2> <http://www.w3.org/2000/01/rdf-schema#label> \"Product 2\" .\n",
    )
    .expect("writes");
    let (ok, output) = agora(&["load", "--dataset", "products"], &data, &file);
    assert!(ok, "{output}");
    assert!(output.contains("dataset products: 3 triples"), "{output}");
    // The bulk loader only adds: a second load into the same name is refused, not merged.
    let (ok, output) = agora(&["load", "--dataset", "products"], &data, &file);
    assert!(!ok && output.contains("is not empty"), "{output}");

    // Serving refreshes the reference graph and loads the demo records; the dataset stays
    // published, in the default graph and under its own public graph name.
    let mut config = test_config();
    config.storage = Storage::Disk(data.clone());
    let app = spawn_app_with(config).await;
    let count = |answer: serde_json::Value| answer["results"]["bindings"][0]["n"]["value"].clone();
    let default = app
        .sparql_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"http://example.org/\")) }")
        .await;
    assert_eq!(count(default), "3");
    let named = app
        .sparql_select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://agora.vlaanderen.be/graph/dataset/products> { ?s ?p ?o } }")
        .await;
    assert_eq!(count(named), "3");
    app.stop().await;
    wait_for_release(&data).await;

    let (code, output) = check(&data);
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("clean:"), "{output}");
}
