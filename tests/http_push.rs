//! The push API against a real server: writes, refusals, versions, withdrawal, embargo, batches.

use reqwest::Method;

use crate::helpers::{spawn_app, GENT_TOKEN, KALEIDOS_TOKEN};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists")
}

const ORGANISATION: &str =
    "https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-000000000061";

fn organisation_id() -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, ORGANISATION.as_bytes()).to_string()
}

async fn json(response: reqwest::Response) -> serde_json::Value {
    response.json().await.expect("a JSON body")
}

async fn published_count(app: &crate::helpers::TestApp, subject: &str) -> usize {
    let results = app
        .sparql_select(&format!("SELECT * WHERE {{ <{subject}> ?p ?o }}"))
        .await;
    results["results"]["bindings"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn a_record_is_created_then_unchanged_then_replaced_with_versions() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    let created = app.push(KALEIDOS_TOKEN, &turtle).await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["etag"], "\"1\"");
    let body = json(created).await;
    assert_eq!(body["records"][0]["outcome"], "created");
    assert_eq!(body["records"][0]["id"], organisation_id());
    assert_eq!(body["records"][0]["hash"].as_str().map(str::len), Some(64));
    assert!(published_count(&app, ORGANISATION).await > 0);

    // the same graph in another syntax and order is unchanged: no new version
    let unchanged = app.push(KALEIDOS_TOKEN, &turtle).await;
    assert_eq!(unchanged.status(), 200);
    assert_eq!(json(unchanged).await["records"][0]["outcome"], "unchanged");

    let changed = turtle.replace("Departement Testen", "Departement Proeven");
    let replaced = app.push(KALEIDOS_TOKEN, &changed).await;
    assert_eq!(replaced.status(), 200);
    let body = json(replaced).await;
    assert_eq!(body["records"][0]["outcome"], "replaced");
    assert_eq!(body["records"][0]["version"], 2);

    let history = json(
        app.get(
            &format!("/api/records/{}/versions", organisation_id()),
            "application/json",
        )
        .await,
    )
    .await;
    assert_eq!(history["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(history["versions"][0]["holder"], "kaleidos");
    // the history is queryable through SPARQL
    let versions = app
        .sparql_select(&format!(
            "SELECT ?v WHERE {{ ?v <http://www.w3.org/ns/prov#specializationOf> <{ORGANISATION}> }}"
        ))
        .await;
    assert_eq!(
        versions["results"]["bindings"].as_array().map(Vec::len),
        Some(2)
    );
    // the old version's content is kept
    let old = app
        .get(
            &format!("/api/records/{}/versions/1", organisation_id()),
            "application/n-triples",
        )
        .await;
    assert_eq!(old.status(), 200);
    assert!(old
        .text()
        .await
        .expect("a body")
        .contains("Departement Testen"));
    app.stop().await;
}

#[tokio::test]
async fn credentials_are_required_and_checked() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    let none = app
        .send_rdf(
            Method::POST,
            "/api/records",
            None,
            "text/turtle",
            turtle.clone(),
            &[],
        )
        .await;
    assert_eq!(none.status(), 401);
    assert!(none.headers().contains_key("www-authenticate"));
    let wrong = app.push("not-a-token-at-all-0000", &turtle).await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(published_count(&app, ORGANISATION).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn another_holder_can_neither_overwrite_nor_withdraw_nor_describe() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(KALEIDOS_TOKEN, &turtle).await.status(), 201);
    let before = published_count(&app, ORGANISATION).await;

    let overwrite = app
        .push(GENT_TOKEN, &turtle.replace("Departement Testen", "Gekaapt"))
        .await;
    assert_eq!(overwrite.status(), 403);
    let message = overwrite.text().await.expect("a body");
    assert!(message.contains("belongs to kaleidos"), "{message}");

    let withdraw = app
        .client
        .delete(format!(
            "{}/api/records/{}?reason=weg",
            app.address,
            organisation_id()
        ))
        .bearer_auth(GENT_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(withdraw.status(), 403);

    // gent's own record that slips in a statement about kaleidos's organisation
    let sneaky = format!(
        "<https://agora.vlaanderen.be/id/organisatie/7e570000-0005-4000-8000-0000000000ff> a <http://www.w3.org/ns/org#Organization> ;
            <http://www.w3.org/2004/02/skos/core#prefLabel> \"Gent\"@nl .
         <{ORGANISATION}> <http://www.w3.org/2004/02/skos/core#altLabel> \"gekaapt\" ."
    );
    let claim = app.push(GENT_TOKEN, &sneaky).await;
    assert_eq!(claim.status(), 403);
    assert_eq!(published_count(&app, ORGANISATION).await, before);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_with_what_to_fix_and_nothing_changes() {
    let app = spawn_app().await;
    let before = app.store.published_triple_count().expect("count");

    let broken = app
        .push(KALEIDOS_TOKEN, "<http://e/a> <http://e/b> .")
        .await;
    assert_eq!(broken.status(), 400);
    let message = broken.text().await.expect("a body");
    assert!(message.contains("1:"), "line and column: {message}");

    let unknown = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            "text/csv",
            "a,b",
            &[],
        )
        .await;
    assert_eq!(unknown.status(), 415);

    let huge = "#".repeat(300 * 1024);
    let too_large = app.push(KALEIDOS_TOKEN, &huge).await;
    assert_eq!(too_large.status(), 413);

    let confidential = app
        .push(
            KALEIDOS_TOKEN,
            &fixture("invalid/consultatieverslag-vertrouwelijk.ttl"),
        )
        .await;
    assert_eq!(confidential.status(), 422);
    let report = json(confidential).await;
    assert_eq!(report["conforms"], false);
    let results = report["records"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert!(results[0]["messages"][0]["text"].is_string());

    let turtle_report = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            "text/turtle",
            fixture("invalid/burgervoorstel-met-e-mailadres.ttl"),
            &[("Accept", "text/turtle")],
        )
        .await;
    assert_eq!(turtle_report.status(), 422);
    let text = turtle_report.text().await.expect("a body");
    assert!(text.contains("ValidationReport"), "{text}");

    assert_eq!(app.store.published_triple_count().expect("count"), before);
    app.stop().await;
}

#[tokio::test]
async fn a_stale_if_match_gets_412() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(KALEIDOS_TOKEN, &turtle).await.status(), 201);
    let path = format!("/api/records/{}", organisation_id());
    let changed = turtle.replace("Departement Testen", "Departement Proeven");
    let stale = app
        .send_rdf(
            Method::PUT,
            &path,
            Some(KALEIDOS_TOKEN),
            "text/turtle",
            changed.clone(),
            &[("If-Match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.status(), 412);
    let fresh = app
        .send_rdf(
            Method::PUT,
            &path,
            Some(KALEIDOS_TOKEN),
            "text/turtle",
            changed,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(fresh.status(), 200);
    assert_eq!(fresh.headers()["etag"], "\"2\"");
    app.stop().await;
}

#[tokio::test]
async fn concurrent_pushes_to_one_record_lose_no_update() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    let mut tasks = Vec::new();
    for index in 0..8 {
        let body = turtle.replace("Departement Testen", &format!("Departement {index}"));
        let client = app.client.clone();
        let url = format!("{}/api/records", app.address);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(KALEIDOS_TOKEN)
                .header("Content-Type", "text/turtle")
                .body(body)
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert!([200, 201].contains(&task.await.expect("task")));
    }
    let history = json(
        app.get(
            &format!("/api/records/{}/versions", organisation_id()),
            "application/json",
        )
        .await,
    )
    .await;
    // every write became its own version, numbered 1..=8 without gaps or repeats
    let numbers: Vec<u64> = history["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(|version| version["version"].as_u64())
        .collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    // exactly one Dutch label is published: the last write's, not a mix
    let labels = app
        .sparql_select(&format!(
            "SELECT ?l WHERE {{ <{ORGANISATION}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'nl') }}"
        ))
        .await;
    assert_eq!(
        labels["results"]["bindings"].as_array().map(Vec::len),
        Some(1)
    );
    app.stop().await;
}

#[tokio::test]
async fn a_batch_is_accepted_or_refused_as_a_whole() {
    let app = spawn_app().await;
    let organisation = fixture("valid/organisatie.ttl");
    let good =
        agora::ingest::reserialise(organisation.as_bytes(), oxigraph::io::RdfFormat::NTriples)
            .expect("reserialises");
    let bad = agora::ingest::reserialise(
        fixture("invalid/burgervoorstel-met-naam.ttl").as_bytes(),
        oxigraph::io::RdfFormat::NTriples,
    )
    .expect("reserialises");
    let as_graph = |ntriples: &[u8], graph: &str| {
        String::from_utf8_lossy(ntriples)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                format!(
                    "{} <{graph}> .\n",
                    line.trim_end().trim_end_matches('.').trim_end()
                )
            })
            .collect::<String>()
    };
    let batch = format!(
        "{}{}",
        as_graph(&good, "urn:g:1"),
        as_graph(&bad, "urn:g:2")
    );
    let refused = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            "application/n-quads",
            batch,
            &[],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        published_count(&app, ORGANISATION).await,
        0,
        "nothing of the batch was written"
    );
    let accepted = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(KALEIDOS_TOKEN),
            "application/n-quads",
            as_graph(&good, "urn:g:1"),
            &[],
        )
        .await;
    assert_eq!(accepted.status(), 201);
    app.stop().await;
}

#[tokio::test]
async fn a_withdrawn_record_leaves_a_tombstone_and_keeps_its_history() {
    let app = spawn_app().await;
    assert_eq!(
        app.push(KALEIDOS_TOKEN, &fixture("valid/organisatie.ttl"))
            .await
            .status(),
        201
    );
    let withdrawn = app
        .client
        .delete(format!(
            "{}/api/records/{}?reason=dubbel%20ingevoerd",
            app.address,
            organisation_id()
        ))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(withdrawn.status(), 200);
    let gone = app
        .get(
            &format!("/api/records/{}", organisation_id()),
            "text/turtle",
        )
        .await;
    assert_eq!(gone.status(), 410);
    let tombstone = app
        .sparql_select(&format!(
            "SELECT ?reason WHERE {{ <{ORGANISATION}> a <https://www.w3.org/ns/activitystreams#Tombstone> ;
                <https://www.w3.org/ns/activitystreams#summary> ?reason }}"
        ))
        .await;
    assert_eq!(
        tombstone["results"]["bindings"][0]["reason"]["value"],
        "dubbel ingevoerd"
    );
    let labels = app
        .sparql_select(&format!(
            "SELECT ?l WHERE {{ <{ORGANISATION}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
        ))
        .await;
    assert_eq!(
        labels["results"]["bindings"].as_array().map(Vec::len),
        Some(0)
    );
    let history = json(
        app.get(
            &format!("/api/records/{}/versions", organisation_id()),
            "application/json",
        )
        .await,
    )
    .await;
    assert_eq!(history["versions"].as_array().map(Vec::len), Some(1));
    assert!(history["withdrawn"].is_string());
    // the root's page says it is gone, and why
    let page = app
        .get(
            "/id/organisatie/7e570000-0005-4000-8000-000000000061",
            "text/html",
        )
        .await;
    assert_eq!(page.status(), 410);
    assert!(page
        .text()
        .await
        .expect("a page")
        .contains("dubbel ingevoerd"));
    app.stop().await;
}

#[tokio::test]
async fn an_embargoed_record_is_invisible_until_its_time_then_released_by_itself() {
    let app = spawn_app().await;
    let release = oxsdatatypes::DateTime::now()
        .checked_add_duration(
            oxsdatatypes::Duration::new(0, oxsdatatypes::Decimal::from(3)).expect("duration"),
        )
        .expect("a time");
    // dateTime from oxsdatatypes prints with Z: a time zone, as the embargo requires
    let turtle = fixture("valid/organisatie.ttl").replace(
        "skos:altLabel \"DT\" ;",
        &format!("skos:altLabel \"DT\" ; dct:available \"{release}\"^^xsd:dateTime ;"),
    );
    let turtle = format!("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n{turtle}");
    let pushed = app.push(KALEIDOS_TOKEN, &turtle).await;
    assert_eq!(
        pushed.status(),
        201,
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    assert_eq!(published_count(&app, ORGANISATION).await, 0);
    let hidden = app
        .sparql_select("SELECT ?g WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#altLabel> \"DT\" } }")
        .await;
    assert_eq!(
        hidden["results"]["bindings"].as_array().map(Vec::len),
        Some(0),
        "embargoed content must not leak through GRAPH"
    );
    let page = app
        .get(
            "/id/organisatie/7e570000-0005-4000-8000-000000000061",
            "text/turtle",
        )
        .await;
    assert_eq!(page.status(), 404);
    // released without anyone acting
    let started = std::time::Instant::now();
    while published_count(&app, ORGANISATION).await == 0 {
        assert!(
            started.elapsed().as_secs() < 15,
            "the embargo was not lifted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_description_is_served() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json", "application/json").await;
    assert_eq!(response.status(), 200);
    let spec = json(response).await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/api/records"]["post"].is_object());
    for (path, method) in [
        ("/api/records", "post"),
        ("/api/records/{id}", "put"),
        ("/api/records/{id}", "delete"),
        ("/api/admin/backup", "post"),
    ] {
        let responses = &spec["paths"][path][method]["responses"];
        assert!(responses["429"].is_object(), "{method} {path}: no 429");
    }
    assert!(spec["paths"]["/api/records"]["post"]["responses"]["507"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn a_record_is_validated_in_the_context_of_what_is_stored() {
    let app = spawn_app().await;
    let alone = fixture("valid/consultatieverslag-alleen.ttl");
    // its consultation exists nowhere: refused, saying so
    let dangling = app
        .send_rdf(
            Method::POST,
            "/api/validate",
            None,
            "text/turtle",
            alone.clone(),
            &[],
        )
        .await;
    assert_eq!(dangling.status(), 200);
    let report = json(dangling).await;
    assert_eq!(report["conforms"], false);
    let text = report.to_string();
    assert!(text.contains("consultation Agora does not know"), "{text}");
    assert_eq!(app.push(KALEIDOS_TOKEN, &alone).await.status(), 422);

    // about a closed consultation that the store holds: valid
    let about_stored = alone.replace(
        "https://agora.vlaanderen.be/id/consultatie/7e570000-0009-4000-8000-000000000024",
        "https://agora.vlaanderen.be/id/consultatie/27ee4f0b-c979-4800-b118-48e0eb0f1e66",
    );
    let pushed = app.push(KALEIDOS_TOKEN, &about_stored).await;
    assert_eq!(
        pushed.status(),
        201,
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    app.stop().await;
}

#[tokio::test]
async fn kaleidos_data_in_the_older_namespace_and_json_ld_are_accepted() {
    let app = spawn_app().await;
    let themis =
        "http://themis.vlaanderen.be/id/vergaderactiviteit/7e570000-0001-4000-8000-000000000001";
    let legacy = fixture("valid/vergaderactiviteit-volledig.ttl")
        .replace(
            "<https://data.vlaanderen.be/ns/besluitvorming#>",
            "<http://data.vlaanderen.be/ns/besluitvorming#>",
        )
        .replace(
            "https://agora.vlaanderen.be/id/vergaderactiviteit/7e570000-0001-4000-8000-000000000001",
            themis,
        );
    let pushed = app.push(KALEIDOS_TOKEN, &legacy).await;
    assert_eq!(
        pushed.status(),
        201,
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    // normalised to the current namespace; the foreign root IRI is kept as it is
    let held = app
        .sparql_select(&format!(
            "SELECT ?o WHERE {{ <{themis}> <https://data.vlaanderen.be/ns/besluitvorming#isGehoudenDoor> ?o }}"
        ))
        .await;
    assert_eq!(
        held["results"]["bindings"].as_array().map(Vec::len),
        Some(1)
    );

    let json_ld = format!(
        r#"{{"@context": {{"org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#"}},
            "@id": "{ORGANISATION}", "@type": "org:Organization",
            "skos:prefLabel": [{{"@value": "Departement JSON", "@language": "nl"}}]}}"#
    );
    let pushed = app
        .send_rdf(
            Method::POST,
            "/api/records",
            Some(GENT_TOKEN),
            "application/ld+json",
            json_ld,
            &[],
        )
        .await;
    assert_eq!(
        pushed.status(),
        201,
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrent_pushes_to_different_records_all_land_whole() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for index in 0..16 {
        let root = format!(
            "https://agora.vlaanderen.be/id/organisatie/7e570000-00bb-4000-8000-{index:012}"
        );
        let body = format!(
            "<{root}> a <http://www.w3.org/ns/org#Organization> ;
               <http://www.w3.org/2004/02/skos/core#prefLabel> \"Organisatie {index}\"@nl , \"Organisation {index}\"@en ."
        );
        let client = app.client.clone();
        let url = format!("{}/api/records", app.address);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(if index % 2 == 0 {
                    KALEIDOS_TOKEN
                } else {
                    GENT_TOKEN
                })
                .header("Content-Type", "text/turtle")
                .body(body)
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), 201);
    }
    let labels = app
        .sparql_select(
            "SELECT ?o ?l WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; \
             <http://www.w3.org/2004/02/skos/core#prefLabel> ?l \
             FILTER(STRSTARTS(STR(?o), 'https://agora.vlaanderen.be/id/organisatie/7e570000-00bb')) }",
        )
        .await;
    assert_eq!(
        labels["results"]["bindings"].as_array().map(Vec::len),
        Some(32)
    );
    app.stop().await;
}

/// A record's history is viewable from its page: every public version, newest first, each
/// linking to its content.
#[tokio::test]
async fn the_history_of_a_record_is_on_its_page() {
    let app = spawn_app().await;
    let turtle = fixture("valid/organisatie.ttl");
    assert_eq!(app.push(KALEIDOS_TOKEN, &turtle).await.status(), 201);
    let changed = turtle.replace("Departement Testen", "Departement Proeven");
    assert_eq!(app.push(KALEIDOS_TOKEN, &changed).await.status(), 200);
    let path = ORGANISATION
        .strip_prefix("https://agora.vlaanderen.be")
        .expect("local");
    let page = app
        .get(path, "text/html")
        .await
        .text()
        .await
        .expect("a page");
    let second = page.find(">Versie 2</a>").expect("version 2 listed");
    let first = page.find(">Versie 1</a>").expect("version 1 listed");
    assert!(second < first, "newest first: {page}");
    assert!(page.contains("door kaleidos (huidige versie)"), "{page}");
    let link = format!("/api/records/{}/versions/1", organisation_id());
    assert!(page.contains(&link), "{page}");
    let first_version = app.get(&link, "text/turtle").await;
    assert_eq!(first_version.status(), 200);
    assert!(first_version
        .text()
        .await
        .expect("turtle")
        .contains("Departement Testen"));
    app.stop().await;
}
