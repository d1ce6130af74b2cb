//! Two Agoras on loopback: the second mirrors the first with the harvest client, resumes after
//! changes (an update, a withdrawal, a new record) and ends with the same records (canonical
//! hashes of every record graph, so isomorphism, blank nodes included).

use std::collections::BTreeMap;

use agora::harvest::Harvester;
use agora::model::{BaseIri, Collection};
use agora::store::{DumpFormat, Store};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Triple};
use reqwest::Method;

use crate::helpers::KALEIDOS_TOKEN;
use crate::http_feeds::{organisation, organisation_iri, spawn_self_based};

/// Canonical hash of every published record of `store`, keyed by record id.
fn records(store: &Store) -> BTreeMap<String, String> {
    let (nquads, _) = store
        .dump(DumpFormat::RecordsNQuads, Vec::new())
        .expect("a dump");
    let mut graphs: BTreeMap<String, Vec<Triple>> = BTreeMap::new();
    for quad in RdfParser::from_format(RdfFormat::NQuads).for_slice(&nquads) {
        let quad = quad.expect("valid N-Quads");
        let GraphName::NamedNode(graph) = &quad.graph_name else {
            continue;
        };
        let id = graph
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        graphs.entry(id).or_default().push(Triple::from(quad));
    }
    graphs
        .into_iter()
        .map(|(id, triples)| (id, agora::model::canonical_hash(&triples).expect("a hash")))
        .collect()
}

#[tokio::test]
async fn a_second_agora_mirrors_the_first_and_follows_its_changes_and_withdrawals() {
    let source = spawn_self_based(4).await;
    let mirror = Store::in_memory(&BaseIri::parse("https://mirror.example").expect("a base"))
        .expect("a store");
    agora::demo::load(&mirror, false).expect("reference data");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let state = folder.path().join("harvest-state.json");
    let harvester = Harvester::new(mirror.clone(), "harvest", &state);

    let first = harvester
        .sync(&source.address)
        .await
        .expect("the harvest runs");
    assert_eq!(records(&mirror), records(&source.store));
    assert!(first.written > 0);
    assert_eq!(first.withdrawn, 0);

    // changes at the source, then a new pass resumes where the first stopped
    for (number, label) in [(1, "Nieuw"), (1, "Gewijzigd"), (2, "Blijft")] {
        assert!(source
            .push(KALEIDOS_TOKEN, &organisation(number, label))
            .await
            .status()
            .is_success());
    }
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, organisation_iri(1).as_bytes());
    let withdrawn = source
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
    let second = harvester
        .sync(&source.address)
        .await
        .expect("the harvest resumes");
    assert_eq!(second.written, 3, "only the new members: {second:?}");
    assert_eq!(second.withdrawn, 1);
    assert_eq!(records(&mirror), records(&source.store));
    assert!(!records(&mirror).contains_key(&id.to_string()));

    // a pass with nothing new changes nothing, and the state survives a new harvester
    let again = Harvester::new(mirror.clone(), "harvest", &state);
    let third = again.sync(&source.address).await.expect("the harvest runs");
    assert_eq!((third.written, third.withdrawn), (0, 0));
    assert_eq!(
        mirror
            .event_count(Collection::Organisations)
            .expect("a count"),
        source
            .store
            .event_count(Collection::Organisations)
            .expect("a count"),
        "the mirror logged one event per source event"
    );
    source.stop().await;
}
