//! Dumps and the DCAT catalogue against a real server: the dumps are listed with their size and
//! checksum, and a dump loaded into a fresh Agora gives the same records back.

use std::collections::BTreeMap;
use std::io::Read;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term, Triple};
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app_with, test_config};

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const SPDX: &str = "http://spdx.org/rdf/terms#";

/// Canonical hash of every record graph of an N-Quads document.
fn record_hashes(nquads: &[u8]) -> BTreeMap<String, String> {
    let mut graphs: BTreeMap<String, Vec<Triple>> = BTreeMap::new();
    for quad in RdfParser::from_format(RdfFormat::NQuads).for_slice(nquads) {
        let quad: Quad = quad.expect("valid N-Quads");
        let GraphName::NamedNode(graph) = &quad.graph_name else {
            panic!("a record dump holds named graphs only")
        };
        graphs
            .entry(graph.as_str().to_owned())
            .or_default()
            .push(Triple::from(quad));
    }
    graphs
        .into_iter()
        .map(|(graph, triples)| {
            let hash = agora::model::canonical_hash(&triples).expect("a hash");
            (graph, hash)
        })
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn object_of(triples: &[Triple], subject: &Term, predicate: &str) -> Option<Term> {
    triples
        .iter()
        .find(|t| Term::from(t.subject.clone()) == *subject && t.predicate.as_str() == predicate)
        .map(|t| t.object.clone())
}

#[tokio::test]
async fn dumps_are_catalogued_with_size_and_checksum_and_load_back_as_the_same_records() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut config = test_config();
    config.feeds.dump_dir = Some(folder.path().join("dumps"));
    let app = spawn_app_with(config).await;
    // The server writes a dump at start, without anyone acting. Nothing is pushed before it: the
    // dump's snapshot could be taken before or after such a push, and the counts below compare
    // the dump with the store as it is.
    let dir = folder.path().join("dumps");
    let started = std::time::Instant::now();
    while agora::feed::dump::latest(&dir).map_or(true, |dumps| dumps.is_empty()) {
        assert!(started.elapsed().as_secs() < 20, "no dump was written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let catalogue = app.get("/catalogus", "text/turtle").await;
    assert_eq!(catalogue.status(), 200);
    let body = catalogue.text().await.expect("a body");
    let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(body.as_bytes())
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<_, _>>()
        .expect("valid Turtle");
    let is_a = |class: &str| {
        triples
            .iter()
            .filter(|t| {
                t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                    && t.object.to_string() == format!("<{DCAT}{class}>")
            })
            .count()
    };
    assert_eq!(is_a("Catalog"), 1);
    assert_eq!(is_a("DataService"), 1);
    assert_eq!(is_a("Dataset"), 7, "all data and one per collection");
    let downloads: Vec<&Triple> = triples
        .iter()
        .filter(|t| t.predicate.as_str() == format!("{DCAT}downloadURL"))
        .collect();
    assert_eq!(downloads.len(), 2, "an N-Quads and a Turtle dump");

    let mut records_dump = None;
    for download in downloads {
        let Term::NamedNode(url) = &download.object else {
            panic!("a download URL")
        };
        let path = url
            .as_str()
            .strip_prefix("https://agora.vlaanderen.be")
            .expect("under the base IRI");
        let response = app.get(path, "*/*").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let bytes = response.bytes().await.expect("a body").to_vec();
        let distribution = Term::from(download.subject.clone());
        let size =
            object_of(&triples, &distribution, &format!("{DCAT}byteSize")).expect("a byte size");
        assert!(size
            .to_string()
            .starts_with(&format!("\"{}\"", bytes.len())));
        let checksum =
            object_of(&triples, &distribution, &format!("{SPDX}checksum")).expect("a checksum");
        let value = object_of(&triples, &checksum, &format!("{SPDX}checksumValue"))
            .expect("a checksum value");
        let digest = agora::model::hex(&Sha256::digest(&bytes));
        assert!(value.to_string().starts_with(&format!("\"{digest}\"")));
        assert!(object_of(&triples, &distribution, "http://purl.org/dc/terms/issued").is_some());
        if path.ends_with(".nq.gz") {
            records_dump = Some(gunzip(&bytes));
        } else {
            let turtle = gunzip(&bytes);
            let count = RdfParser::from_format(RdfFormat::Turtle)
                .for_slice(&turtle)
                .count();
            assert_eq!(count, app.store.published_triple_count().expect("a count"));
        }
    }

    // the records dump, loaded into a fresh Agora, gives the same records back
    let nquads = records_dump.expect("a records dump");
    let original = record_hashes(&nquads);
    assert_eq!(original.len(), app.store.record_count().expect("a count"));
    let fresh = agora::store::Store::in_memory(
        &agora::model::BaseIri::parse("https://agora.vlaanderen.be").expect("a base"),
    )
    .expect("a store");
    agora::demo::load(&fresh, false).expect("reference data");
    let records = agora::ingest::RecordStream::new(&nquads[..], RdfFormat::NQuads, "dump");
    fresh
        .bulk_load("agora-load", records, |_| {})
        .expect("the dump loads");
    let (again, _) = fresh
        .dump(agora::store::DumpFormat::RecordsNQuads, Vec::new())
        .expect("a dump");
    assert_eq!(record_hashes(&again), original);
    app.stop().await;
}

#[tokio::test]
async fn a_restart_does_not_redo_a_dump_younger_than_the_interval() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let dir = folder.path().join("dumps");
    let mut config = test_config();
    config.feeds.dump_dir = Some(dir.clone());
    let first = spawn_app_with(config.clone()).await;
    let started = std::time::Instant::now();
    while agora::feed::dump::latest(&dir).map_or(true, |dumps| dumps.is_empty()) {
        assert!(started.elapsed().as_secs() < 20, "no dump was written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let written = agora::feed::dump::latest(&dir).expect("an index");
    first.stop().await;

    // Started again within the interval (a day by default): the dump stays as it was.
    let second = spawn_app_with(config.clone()).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(agora::feed::dump::latest(&dir).expect("an index"), written);
    second.stop().await;

    // With an interval shorter than the dump's age, the start writes a new one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    config.feeds.dump_every = std::time::Duration::from_secs(1);
    let third = spawn_app_with(config).await;
    let started = std::time::Instant::now();
    while agora::feed::dump::latest(&dir).expect("an index") == written {
        assert!(started.elapsed().as_secs() < 20, "no new dump was written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    third.stop().await;
}
