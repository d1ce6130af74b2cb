//! Kaleidos and Themis compatibility end to end: a test producer serves the fixture publications
//! of `fixtures/kaleidos/` as delta files (with the real quirks: the older http:// besluitvorming
//! namespace on part of a file, `xsd:string` typed literals, `share://` file URIs, a
//! republication, an unpublish, an invalid file, two files with one timestamp, a download that
//! fails twice); the real `agora harvest --kaleidos` binary consumes it; then Agora is queried
//! through SPARQL, its pages, the record API and the Themis JSON:API a Valvas harvester reads.

use std::path::{Path, PathBuf};
use std::time::Duration;

use agora::config::{KaleidosConfig, ServeConfig, Storage};
use agora::feed::themis::DATASET_TYPE;
use agora::kaleidos::delta::{to_delta, ChangeSet};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use serde_json::Value;

use crate::helpers::{spawn_app_with, test_config, wait_for_release, TestApp, KALEIDOS_TOKEN};
use crate::kaleidos_producer::{Producer, ProducerFile};

const LEGACY: &str = "http://data.vlaanderen.be/ns/besluitvorming#";
const CURRENT: &str = "https://data.vlaanderen.be/ns/besluitvorming#";

/// The meetings of the fixtures.
const MEETING_A: &str =
    "http://themis.vlaanderen.be/id/vergaderactiviteit/bc49a152-9033-54f9-bfc1-082eca9a5b34";
const MEETING_B: &str =
    "http://themis.vlaanderen.be/id/vergaderactiviteit/4b28ebd2-a91c-58ca-a312-e900bb722240";
const MEETING_C: &str =
    "http://themis.vlaanderen.be/id/vergaderactiviteit/0914a08d-1c1a-5384-9bf2-7ae3deb86f92";
const MEETING_D: &str =
    "http://themis.vlaanderen.be/id/vergaderactiviteit/8a3c374d-52f7-5acb-aa08-6e86aa493255";

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kaleidos");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the fixtures folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ttl"))
        .collect();
    files.sort();
    files
}

fn triples_of(path: &Path) -> Vec<Triple> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&std::fs::read(path).expect("a fixture"))
        .map(|quad| Triple::from(quad.expect("valid Turtle")))
        .collect()
}

/// The delta file of a fixture; with `legacy`, every other triple uses the older http://
/// besluitvorming namespace, as older Kaleidos data does.
fn delta_of(path: &Path, legacy: bool) -> Vec<u8> {
    let mut sets: Vec<ChangeSet> = to_delta(&triples_of(path));
    if legacy {
        for (index, triple) in sets[0].inserts.iter_mut().enumerate() {
            if index % 2 == 0 {
                for term in [
                    &mut triple.subject,
                    &mut triple.predicate,
                    &mut triple.object,
                ] {
                    if term.kind == "uri" {
                        term.value = term.value.replace(CURRENT, LEGACY);
                    }
                }
            }
        }
    }
    serde_json::to_vec(&sets).expect("JSON")
}

fn file(index: usize, created: &str, body: Vec<u8>) -> ProducerFile {
    ProducerFile {
        id: uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            format!("delta-{index}").as_bytes(),
        )
        .to_string(),
        name: format!("delta-{created}.json"),
        created: created.to_owned(),
        body,
    }
}

/// The six fixtures as the producer serves them; the last two share a timestamp.
fn producer_files() -> Vec<ProducerFile> {
    let times = [
        "2026-11-20T14:00:05.120Z",
        "2026-11-27T14:00:03.004Z",
        "2026-11-28T09:12:44.500Z",
        "2026-12-04T14:00:02.000Z",
        "2026-12-05T08:30:00.000Z",
        "2026-12-05T08:30:00.000Z",
    ];
    fixtures()
        .iter()
        .zip(times)
        .enumerate()
        .map(|(index, (path, created))| file(index, created, delta_of(path, index == 0)))
        .collect()
}

fn record_id(root: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, root.as_bytes())
}

async fn harvest(producer: &str, data: &Path) -> String {
    let (producer, data) = (producer.to_owned(), data.to_owned());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_agora"))
            .args(["harvest", "--kaleidos", &producer, "--data"])
            .arg(data)
            .output()
            .expect("the agora binary runs")
    })
    .await
    .expect("the harvest task");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "agora harvest --kaleidos failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn disk_config(data: &Path) -> ServeConfig {
    ServeConfig {
        storage: Storage::Disk(data.to_owned()),
        ..test_config()
    }
}

async fn ask(app: &TestApp, query: &str) -> bool {
    let body: Value = app
        .sparql_get(query, "application/sparql-results+json")
        .await
        .json()
        .await
        .expect("SPARQL JSON");
    body["boolean"].as_bool().expect("an ASK answer")
}

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path, "application/vnd.api+json").await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn agora_consumes_the_kaleidos_producer_and_serves_themis_harvesters() {
    let (_dir, data) = crate::helpers::temp_data_dir();
    // The demo data first: the meetings are held by its governing body.
    spawn_app_with(disk_config(&data)).await.stop().await;
    wait_for_release(&data).await;
    let started = oxsdatatypes::DateTime::now();

    let files = producer_files();
    let ids: Vec<String> = files.iter().map(|file| file.id.clone()).collect();
    let producer = Producer::spawn(files).await;
    producer.fail_downloads(&ids[2], 2);

    let first = harvest(&producer.address, &data).await;
    assert!(
        first.contains(
            "6 files read, 4 publications written, 0 unchanged, 1 withdrawn, 1 quarantined"
        ),
        "{first}"
    );
    assert!(
        first.contains(&format!("quarantined {}", ids[3])),
        "{first}"
    );
    assert!(first.contains("besluit#Agendapunt.type"), "{first}");
    assert_eq!(
        producer.downloads(&ids[2]),
        3,
        "two failures, then the retry"
    );

    // A restart resumes exactly: nothing new, nothing twice.
    let again = harvest(&producer.address, &data).await;
    assert!(again.contains(": 0 files read"), "{again}");
    // An identical republication makes no new version.
    producer.push(file(
        6,
        "2026-12-06T10:00:00.000Z",
        delta_of(&fixtures()[5], false),
    ));
    let third = harvest(&producer.address, &data).await;
    assert!(
        third.contains(": 1 files read, 0 publications written, 1 unchanged"),
        "{third}"
    );

    // A file the producer lists but cannot serve (404) is quarantined, not retried forever.
    let mut missing = file(7, "2026-12-07T10:00:00.000Z", Vec::new());
    missing.id = "00000000-0000-4000-8000-000000000404".to_owned();
    producer.push(missing);
    producer.push(file(
        8,
        "2026-12-07T11:00:00.000Z",
        delta_of(&fixtures()[5], false),
    ));
    let fourth = harvest(&producer.address, &data).await;
    assert!(
        fourth.contains(
            ": 2 files read, 0 publications written, 1 unchanged, 0 withdrawn, 1 quarantined"
        ),
        "{fourth}"
    );
    assert!(fourth.contains("answers 404"), "{fourth}");

    let quarantine = data.join("kaleidos/quarantine");
    assert!(quarantine.join(format!("{}.json", ids[3])).is_file());
    assert!(quarantine.join(format!("{}.report.json", ids[3])).is_file());

    let app = spawn_app_with(disk_config(&data)).await;
    check_sparql(&app).await;
    check_records_and_pages(&app).await;
    check_datasets(&app, &started.to_string()).await;
    check_quarantine_listing(&app, &ids[3]).await;
    app.stop().await;
}

async fn check_sparql(app: &TestApp) {
    let prefixes = "PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX besluitvorming: <https://data.vlaanderen.be/ns/besluitvorming#>
        PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
        PREFIX nfo: <http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#>";
    let republished = format!(
        "{prefixes} ASK {{ <{MEETING_A}> dct:title \"Vergadering van 20 november 2026\"@nl .
           ?agenda besluitvorming:isAgendaVoor <{MEETING_A}> ; dct:hasPart ?a, ?b, ?c ;
                   besluitvorming:agendaStatus <http://themis.vlaanderen.be/id/concept/agenda-status/de6fc320-cfb9-47a6-af25-e063b80992f7> ;
                   <http://www.w3.org/ns/prov#wasRevisionOf> ?previous .
           FILTER(?a != ?b && ?b != ?c && ?a != ?c)
           ?news dct:title \"Vlaamse Regering keurt digitale inspraak bij ruimtelijke projecten definitief goed\"@nl . }}"
    );
    assert!(
        ask(app, &republished).await,
        "the republication is the meeting's content"
    );
    let superseded = format!(
        "{prefixes} ASK {{ ?news dct:title \"Vlaamse Regering maakt inspraak bij ruimtelijke projecten digitaal\"@nl }}"
    );
    assert!(
        !ask(app, &superseded).await,
        "the first publication is no longer current"
    );
    let share = format!(
        "{prefixes} ASK {{ ?file a nfo:FileDataObject ; dct:format \"application/pdf\" FILTER(STRSTARTS(STR(?file), \"share://\")) }}"
    );
    assert!(ask(app, &share).await, "share:// files are kept");
    let meeting = "<http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit>";
    assert!(
        !ask(app, &format!("ASK {{ <{MEETING_B}> a {meeting} }}")).await,
        "unpublished"
    );
    assert!(
        ask(
            app,
            &format!("ASK {{ <{MEETING_B}> a <https://www.w3.org/ns/activitystreams#Tombstone> }}")
        )
        .await,
        "an unpublished meeting is a tombstone"
    );
    assert!(
        !ask(app, &format!("ASK {{ <{MEETING_C}> ?p ?o }}")).await,
        "quarantined"
    );
    assert!(ask(app, &format!("ASK {{ <{MEETING_D}> a {meeting} }}")).await);
    let legacy = format!("ASK {{ {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), \"{LEGACY}\")) }} UNION {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), \"{LEGACY}\")) }} }}");
    assert!(
        !ask(app, &legacy).await,
        "the legacy namespace is normalised"
    );
}

async fn check_records_and_pages(app: &TestApp) {
    let history = json(
        app,
        &format!("/api/records/{}/versions", record_id(MEETING_A)),
    )
    .await;
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "{history}");
    assert_eq!(history["holder"], "kaleidos");
    let first = app
        .get(
            &format!("/api/records/{}/versions/1", record_id(MEETING_A)),
            "text/turtle",
        )
        .await
        .text()
        .await
        .expect("Turtle");
    assert!(
        first.contains("inspraak bij ruimtelijke projecten digitaal"),
        "{first}"
    );
    let withdrawn = app
        .get(
            &format!("/api/records/{}", record_id(MEETING_B)),
            "text/turtle",
        )
        .await;
    assert_eq!(withdrawn.status(), 410);
    let page = app
        .get(&format!("/resource?uri={MEETING_A}"), "text/html")
        .await
        .text()
        .await
        .expect("HTML");
    assert!(page.contains("Vergadering van 20 november 2026"), "{page}");
    assert!(
        page.contains("buurtinitiatieven"),
        "the third item of the republication: {page}"
    );
}

async fn check_datasets(app: &TestApp, since: &str) {
    let query = format!(
        "/datasets?filter[type]={DATASET_TYPE}&filter[:gt:release-date]={since}&filter[distributions][format]=text/turtle"
    );
    let listed = json(app, &query).await;
    assert_eq!(listed["meta"]["count"], 4, "{listed}");
    let subjects: Vec<&str> = listed["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|d| d["attributes"]["subject"].as_str().expect("a subject"))
        .collect();
    assert_eq!(
        subjects,
        [MEETING_A, MEETING_B, MEETING_A, MEETING_D],
        "oldest first"
    );
    // With the withdrawal: a dataset without distribution.
    let all = json(
        app,
        &format!("/datasets?filter[type]={DATASET_TYPE}&filter[:gt:release-date]={since}"),
    )
    .await;
    assert_eq!(all["meta"]["count"], 5, "{all}");
    let unpublished = &all["data"][3];
    assert_eq!(unpublished["attributes"]["subject"], MEETING_B);
    let path = unpublished["relationships"]["distributions"]["links"]["related"]
        .as_str()
        .expect("a link");
    assert_eq!(json(app, path).await["meta"]["count"], 0);
    // Paging and the newest-first sort Valvas asks for.
    let paged = json(
        app,
        &format!("{query}&page[size]=3&page[number]=1&sort=-release-date"),
    )
    .await;
    assert_eq!(paged["data"].as_array().expect("data").len(), 1);
    assert_eq!(paged["data"][0]["attributes"]["subject"], MEETING_A);
    assert!(paged["links"]["prev"].is_string(), "{paged}");
    // The republication revises the first publication; its Turtle is the meeting's version 2.
    let republication = &listed["data"][2];
    let previous = republication["relationships"]["previous-version"]["links"]["related"]
        .as_str()
        .expect("a link");
    assert_eq!(
        json(app, previous).await["data"]["id"],
        listed["data"][0]["id"]
    );
    let distributions = republication["relationships"]["distributions"]["links"]["related"]
        .as_str()
        .expect("a link");
    let distribution = &json(app, distributions).await["data"][0];
    assert_eq!(distribution["attributes"]["format"], "text/turtle");
    assert_eq!(
        distribution["attributes"]["type"],
        "http://themis.vlaanderen.be/id/concept/distribution-type/dd5bfc23-8f88-4df5-80f6-a9f72e08d7c4"
    );
    let url = distribution["attributes"]["download-url"]
        .as_str()
        .expect("a URL");
    let turtle = app
        .client
        .get(url)
        .send()
        .await
        .expect("a download")
        .text()
        .await
        .expect("Turtle");
    let triples: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .collect::<Result<_, _>>()
        .expect("the distribution is Turtle");
    assert!(
        turtle.contains("buurtinitiatieven") && triples.len() > 40,
        "{turtle}"
    );
    // The dataset as DCAT.
    let id = republication["id"].as_str().expect("an id");
    let dcat = app
        .get(&format!("/datasets/{id}"), "text/turtle")
        .await
        .text()
        .await
        .expect("Turtle");
    assert!(
        dcat.contains("dcat:Dataset")
            && dcat.contains("prov:wasRevisionOf")
            && dcat.contains(DATASET_TYPE),
        "{dcat}"
    );
    // Another dataset type: nothing.
    let other = json(app, "/datasets?filter[type]=http://themis.vlaanderen.be/id/concept/dataset-type/43c644d3-2171-4892-8dd7-3fd5eec15d09").await;
    assert_eq!(other["meta"]["count"], 0);
}

async fn check_quarantine_listing(app: &TestApp, id: &str) {
    let anonymous = app
        .get("/admin/kaleidos/quarantaine", "application/json")
        .await;
    assert_eq!(anonymous.status(), 401);
    let listing: Value = app
        .client
        .get(format!("{}/admin/kaleidos/quarantaine", app.address))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        listing["count"], 2,
        "the invalid file and the missing one: {listing}"
    );
    let entry = &listing["quarantined"][0];
    assert_eq!(entry["id"], id);
    assert!(
        entry["reason"]
            .as_str()
            .expect("a reason")
            .contains("violation"),
        "{entry}"
    );
    assert_eq!(entry["reports"][0]["root"], MEETING_C);
}

#[tokio::test]
async fn agora_serve_keeps_following_the_producer() {
    let (_dir, data) = crate::helpers::temp_data_dir();
    let files = producer_files();
    let producer = Producer::spawn(files[..2].to_vec()).await;
    let app = spawn_app_with(ServeConfig {
        kaleidos: Some(KaleidosConfig {
            url: producer.address.clone(),
            poll: Duration::from_millis(200),
            holder: "kaleidos".to_owned(),
        }),
        ..disk_config(&data)
    })
    .await;
    let count = |app: &TestApp| {
        let app_address = app.address.clone();
        let client = app.client.clone();
        async move {
            let body: Value = client
                .get(format!("{app_address}/datasets?filter[distributions][format]=text/turtle&page[size]=100"))
                .send()
                .await
                .expect("a response")
                .json()
                .await
                .expect("JSON");
            body["data"]
                .as_array()
                .expect("data")
                .iter()
                .filter(|d| {
                    d["attributes"]["subject"]
                        .as_str()
                        .is_some_and(|s| s == MEETING_A || s == MEETING_B)
                })
                .count()
        }
    };
    let wait_for = |expected: usize| {
        let count = &count;
        let app = &app;
        async move {
            for _ in 0..100 {
                if count(app).await == expected {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("the follower never reached {expected} publications");
        }
    };
    wait_for(2).await;
    producer.push(files[2].clone());
    wait_for(3).await;
    app.stop().await;
}
