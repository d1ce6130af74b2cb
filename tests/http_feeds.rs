//! The LDES feeds against a real server: stream descriptions, pages, caching, events in order.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term};
use reqwest::Method;

use crate::helpers::{spawn_app_with, test_config, TestApp, KALEIDOS_TOKEN};

const TREE: &str = "https://w3id.org/tree#";
const LDES: &str = "https://w3id.org/ldes#";
const AS: &str = "https://www.w3.org/ns/activitystreams#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Starts Agora with its base IRI at its own loopback address, so that the feeds' links can be
/// followed, and `page_size` events per page.
pub async fn spawn_self_based(page_size: u64) -> TestApp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut config = test_config();
    config.bind = format!("127.0.0.1:{port}").parse().expect("an address");
    config.base_iri =
        agora::model::BaseIri::parse(&format!("http://127.0.0.1:{port}")).expect("a base");
    config.feeds.page_size = page_size;
    spawn_app_with(config).await
}

/// An organisation record (a small valid record) with its own number.
pub fn organisation(number: u32, label: &str) -> String {
    format!(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         <https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-{number:012}> \
         a <http://www.w3.org/ns/org#Organization> ; skos:prefLabel \"{label}\"@nl ."
    )
}

/// The IRI of organisation `number`.
pub fn organisation_iri(number: u32) -> String {
    format!("https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-{number:012}")
}

async fn fetch(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, Vec<Quad>) {
    let response = app.get(path, "application/trig").await;
    assert_eq!(response.status(), 200, "GET {path}");
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("a body");
    let quads = RdfParser::from_format(RdfFormat::TriG)
        .for_slice(&body)
        .collect::<Result<Vec<_>, _>>()
        .expect("valid TriG");
    (headers, quads)
}

fn objects<'a>(quads: &'a [Quad], subject: &str, predicate: &str) -> Vec<&'a Term> {
    quads
        .iter()
        .filter(|q| {
            q.graph_name == GraphName::DefaultGraph
                && q.subject.to_string() == format!("<{subject}>")
                && q.predicate.as_str() == predicate
        })
        .map(|q| &q.object)
        .collect()
}

/// The members of a page in document order of `tree:member`, with their event class and root.
fn members(quads: &[Quad], stream: &str) -> Vec<(String, String, String)> {
    objects(quads, stream, &format!("{TREE}member"))
        .into_iter()
        .map(|member| {
            let Term::NamedNode(member) = member else {
                panic!("a member IRI")
            };
            let class = objects(quads, member.as_str(), RDF_TYPE)[0].to_string();
            let root = objects(
                quads,
                member.as_str(),
                "http://purl.org/dc/terms/isVersionOf",
            )[0]
            .to_string();
            (member.as_str().to_owned(), class, root)
        })
        .collect()
}

#[tokio::test]
async fn every_collection_has_a_described_stream_whose_view_holds_the_demo_records() {
    let app = spawn_self_based(50).await;
    for slug in [
        "consultaties",
        "vergaderingen",
        "consultatieverslagen",
        "burgervoorstellen",
        "dossiers",
        "organisaties",
    ] {
        let stream = format!("{}/ldes/{slug}", app.address);
        let (headers, quads) = fetch(&app, &format!("/ldes/{slug}")).await;
        assert!(headers["cache-control"]
            .to_str()
            .unwrap_or_default()
            .contains("max-age=10"));
        assert_eq!(
            objects(&quads, &stream, RDF_TYPE)[0].to_string(),
            format!("<{LDES}EventStream>")
        );
        assert_eq!(
            objects(&quads, &stream, &format!("{LDES}timestampPath"))[0].to_string(),
            "<http://www.w3.org/ns/prov#generatedAtTime>"
        );
        assert_eq!(
            objects(&quads, &stream, &format!("{LDES}versionOfPath"))[0].to_string(),
            "<http://purl.org/dc/terms/isVersionOf>"
        );
        let shape = objects(&quads, &stream, &format!("{TREE}shape"))[0].to_string();
        assert_eq!(shape, format!("<{}/shapes/ldes#VersieShape>", app.address));
        let view = objects(&quads, &stream, &format!("{TREE}view"))[0].to_string();
        assert_eq!(view, format!("<{stream}/0>"));
        let (_, page) = fetch(&app, &format!("/ldes/{slug}/0")).await;
        let members = members(&page, &stream);
        assert!(!members.is_empty(), "{slug} has demo records");
        assert!(members
            .iter()
            .all(|(_, class, _)| class == &format!("<{AS}Create>")));
        // every member's content is in its named graph
        for (member, _, root) in &members {
            assert!(page
                .iter()
                .any(|q| q.graph_name.to_string() == format!("<{member}>")
                    && q.subject.to_string() == *root));
        }
    }
    let shapes = app.get("/shapes/ldes", "text/turtle").await;
    assert_eq!(shapes.status(), 200);
    assert_eq!(
        app.get("/ldes/nothing", "application/trig").await.status(),
        404
    );
    assert_eq!(
        app.get("/ldes/organisaties/99", "application/trig")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/ldes/organisaties/0", "text/turtle")
            .await
            .status(),
        406
    );
    app.stop().await;
}

#[tokio::test]
async fn full_pages_are_immutable_with_etags_and_link_to_the_next_page() {
    let app = spawn_self_based(4).await;
    let stream = format!("{}/ldes/organisaties", app.address);
    let logged = app
        .store
        .event_count(agora::model::Collection::Organisations)
        .expect("a count");
    // fill pages until the log ends exactly at a page boundary, with at least one full page
    let needed = (4 - logged % 4) % 4 + 4;
    for number in 0..needed {
        let pushed = app
            .push(KALEIDOS_TOKEN, &organisation(number as u32, "Org"))
            .await;
        assert_eq!(pushed.status(), 201);
    }
    let full = (logged + needed) / 4 - 1;
    let (headers, page) = fetch(&app, &format!("/ldes/organisaties/{full}")).await;
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = headers["etag"].to_str().expect("an ETag").to_owned();
    assert_eq!(members(&page, &stream).len(), 4);
    let relation = objects(
        &page,
        &format!("{stream}/{full}"),
        &format!("{TREE}relation"),
    );
    assert_eq!(relation.len(), 1);
    let relation = relation[0].to_string();
    let next = page
        .iter()
        .find(|q| {
            q.subject.to_string() == relation && q.predicate.as_str() == format!("{TREE}node")
        })
        .map(|q| q.object.to_string());
    assert_eq!(next, Some(format!("<{stream}/{}>", full + 1)));
    let kind = page
        .iter()
        .find(|q| q.subject.to_string() == relation && q.predicate.as_str() == RDF_TYPE)
        .map(|q| q.object.to_string());
    assert_eq!(kind, Some(format!("<{TREE}GreaterThanOrEqualToRelation>")));
    // a conditional request is answered 304
    let again = app
        .client
        .get(format!("{stream}/{full}"))
        .header("Accept", "application/trig")
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().ok(), Some(etag.as_str()));
    // the newest page is empty and says how often to poll
    let (headers, newest) = fetch(&app, &format!("/ldes/organisaties/{}", full + 1)).await;
    assert_eq!(headers["cache-control"], "public, max-age=10");
    assert!(members(&newest, &stream).is_empty());
    // a later change does not touch the full pages
    app.push(KALEIDOS_TOKEN, &organisation(100, "Later")).await;
    let (headers, _) = fetch(&app, &format!("/ldes/organisaties/{full}")).await;
    assert_eq!(headers["etag"].to_str().ok(), Some(etag.as_str()));
    let (_, newest) = fetch(&app, &format!("/ldes/organisaties/{}", full + 1)).await;
    assert_eq!(members(&newest, &stream).len(), 1);
    app.stop().await;
}

/// The value of a counter in `/metrics`.
async fn counter(app: &TestApp, name: &str) -> u64 {
    let text = app
        .get("/metrics", "text/plain")
        .await
        .text()
        .await
        .expect("metrics");
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no counter {name} in /metrics"))
}

#[tokio::test]
async fn a_page_asked_for_again_comes_from_memory_until_it_grows() {
    let app = spawn_self_based(50).await;
    let stream = format!("{}/ldes/organisaties", app.address);
    let path = "/ldes/organisaties/0";
    let (hits, misses) = (
        "agora_feed_cache_hits_total",
        "agora_feed_cache_misses_total",
    );
    let get = |accept: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path, accept).await;
            assert_eq!(response.status(), 200);
            let headers = response.headers().clone();
            (headers, response.bytes().await.expect("a body"))
        }
    };
    let (first_headers, first) = get("application/trig").await;
    let (second_headers, second) = get("application/trig").await;
    assert_eq!(first, second, "the same bytes");
    assert_eq!(first_headers["etag"], second_headers["etag"]);
    assert_eq!(counter(&app, misses).await, 1);
    assert_eq!(counter(&app, hits).await, 1);
    // each format is kept apart
    let (headers, nquads) = get("application/n-quads").await;
    assert_eq!(headers["content-type"], "application/n-quads");
    assert_ne!(headers["etag"], first_headers["etag"]);
    let parse = |format, body: &[u8]| {
        let mut quads = RdfParser::from_format(format)
            .for_slice(body)
            .map(|quad| quad.expect("valid RDF").to_string())
            .collect::<Vec<_>>();
        quads.sort();
        quads
    };
    assert_eq!(
        parse(RdfFormat::NQuads, &nquads),
        parse(RdfFormat::TriG, &first)
    );
    assert_eq!(counter(&app, misses).await, 2);
    // a push adds an event to the newest page: it is read again, never served stale
    let (_, before) = fetch(&app, path).await;
    assert_eq!(
        app.push(KALEIDOS_TOKEN, &organisation(7, "Nieuw"))
            .await
            .status(),
        201
    );
    let (headers, after) = fetch(&app, path).await;
    assert_eq!(
        members(&after, &stream).len(),
        members(&before, &stream).len() + 1
    );
    assert_ne!(headers["etag"], first_headers["etag"]);
    assert_eq!(counter(&app, misses).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn updates_withdrawals_and_released_embargoes_enter_the_stream_in_order() {
    let app = spawn_self_based(50).await;
    let stream = format!("{}/ldes/organisaties", app.address);
    let (_, page) = fetch(&app, "/ldes/organisaties/0").await;
    let before = members(&page, &stream).len();
    app.push(KALEIDOS_TOKEN, &organisation(1, "Eerst")).await;
    app.push(KALEIDOS_TOKEN, &organisation(1, "Daarna")).await;
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, organisation_iri(1).as_bytes());
    let withdrawn = app
        .send_rdf(
            Method::DELETE,
            &format!("/api/records/{id}?reason=dubbel"),
            Some(KALEIDOS_TOKEN),
            "text/plain",
            "",
            &[],
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    // an embargoed record enters the stream when it is released, not when it is pushed
    let release = oxsdatatypes::DateTime::now()
        .checked_add_duration(
            oxsdatatypes::Duration::new(0, oxsdatatypes::Decimal::from(2)).expect("duration"),
        )
        .expect("a time");
    let embargoed = format!(
        "{} <https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-000000000002> \
         <http://purl.org/dc/terms/available> \"{release}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .",
        organisation(2, "Later")
    );
    assert_eq!(app.push(KALEIDOS_TOKEN, &embargoed).await.status(), 201);
    let (_, page) = fetch(&app, "/ldes/organisaties/0").await;
    assert_eq!(members(&page, &stream).len(), before + 3);
    let started = std::time::Instant::now();
    let page = loop {
        let (_, page) = fetch(&app, "/ldes/organisaties/0").await;
        if members(&page, &stream).len() == before + 4 {
            break page;
        }
        assert!(
            started.elapsed().as_secs() < 15,
            "the embargo was not lifted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let news: Vec<_> = members(&page, &stream).into_iter().skip(before).collect();
    let record = format!("<{}>", organisation_iri(1));
    let expected = [
        (
            format!("{}/id/versie/{id}/1", app.address),
            "Create",
            &record,
        ),
        (
            format!("{}/id/versie/{id}/2", app.address),
            "Update",
            &record,
        ),
        (
            format!("{}/id/versie/{id}/2/intrekking", app.address),
            "Delete",
            &record,
        ),
    ];
    for ((member, class, root), (want_member, want_class, want_root)) in news.iter().zip(&expected)
    {
        assert_eq!(member, want_member);
        assert_eq!(class, &format!("<{AS}{want_class}>"));
        assert_eq!(root, *want_root);
    }
    assert_eq!(news[3].2, format!("<{}>", organisation_iri(2)));
    // the member's time is the release time, not the push time
    let time = objects(
        &page,
        &news[3].0,
        "http://www.w3.org/ns/prov#generatedAtTime",
    )[0]
    .to_string();
    let time: oxsdatatypes::DateTime = time
        .trim_start_matches('"')
        .split('"')
        .next()
        .and_then(|value| value.parse().ok())
        .expect("a dateTime");
    assert!(time >= release, "released at {time}, due {release}");
    // the withdrawal's member carries no content
    assert!(!page
        .iter()
        .any(|q| q.graph_name.to_string() == format!("<{}>", expected[2].0)));
    app.stop().await;
}
