//! Kaleidos consumption benchmark (issue 10, "Speed"): publications per second from a Kaleidos
//! producer, and the time until the last publication is visible. Run by hand, not in CI:
//!
//! ```sh
//! cargo bench --bench kaleidos                       # 5,000 publications
//! AGORA_BENCH_PUBLICATIONS=1000 cargo bench --bench kaleidos
//! ```
//!
//! A real Agora ([`Application`]) on 127.0.0.1 port 0 with an on-disk store in a temporary folder
//! and the demo data (the meetings are held by its governing body) follows a test producer
//! (`tests/kaleidos_producer.rs`, a real axum server) that serves `AGORA_BENCH_PUBLICATIONS`
//! (default [`DEFAULT_PUBLICATIONS`]) generated publications: the first fixture of
//! `fixtures/kaleidos/` (a meeting with two agenda items, two news items and an attachment with
//! its series, dossier and files, about 100 triples) with every Kaleidos and Themis URI given
//! a fresh UUID per publication, as delta files. The clock starts when the server starts
//! following (`--kaleidos`, polling every 100 ms) and stops when a SPARQL ASK over HTTP sees
//! the last meeting; every publication is parsed, mapped, validated in context, written as a
//! version with its event and indexed for search, one at a time, as the consumer does.
//!
//! With `AGORA_BENCH_JSON=file` the figures are also written to that file as JSON (for
//! `benches/suite.py`).

// Printing the figures is what this program is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/kaleidos_producer.rs"]
mod kaleidos_producer;

#[path = "support/suite_json.rs"]
mod suite_json;

use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

use agora::app::Application;
use agora::config::{KaleidosConfig, ServeConfig, Storage};
use agora::kaleidos::delta::to_delta;
use agora::model::BaseIri;
use kaleidos_producer::{Producer, ProducerFile};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use tokio::sync::oneshot;

type BenchResult<T = ()> = Result<T, Box<dyn Error>>;

/// Publications served when `AGORA_BENCH_PUBLICATIONS` is not set (the issue asks for at least
/// 5,000).
const DEFAULT_PUBLICATIONS: usize = 5_000;

fn main() -> BenchResult {
    let count: usize = match std::env::var("AGORA_BENCH_PUBLICATIONS") {
        Ok(value) => value.replace('_', "").parse()?,
        Err(_) => DEFAULT_PUBLICATIONS,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(run(count))
}

/// A fresh URI per publication for the resources Kaleidos and Themis mint; code lists, the
/// governing body and the ministers stay.
fn renamed(node: &NamedNode, index: usize) -> NamedNode {
    let iri = node.as_str();
    let minted = (iri.starts_with("http://themis.vlaanderen.be/id/")
        && !iri.starts_with("http://themis.vlaanderen.be/id/concept/"))
        || iri.starts_with("http://kanselarij.vo.data.gift/")
        || iri.starts_with("share://");
    if !minted {
        return node.clone();
    }
    let fresh = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("{index}/{iri}").as_bytes(),
    );
    let (head, _) = iri.rsplit_once('/').unwrap_or((iri, ""));
    NamedNode::new_unchecked(format!("{head}/{fresh}"))
}

fn publications(count: usize) -> BenchResult<(Vec<ProducerFile>, NamedNode)> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/kaleidos/01-publicatie-vergadering-20-november.ttl");
    let template: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&std::fs::read(fixture)?)
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<_, _>>()?;
    let meeting = NamedNode::new_unchecked(
        "http://themis.vlaanderen.be/id/vergaderactiviteit/bc49a152-9033-54f9-bfc1-082eca9a5b34",
    );
    let start = oxsdatatypes::DateTime::now();
    let mut files = Vec::with_capacity(count);
    for index in 0..count {
        let triples: Vec<Triple> = template
            .iter()
            .map(|triple| {
                let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                    return triple.clone();
                };
                let object = match &triple.object {
                    Term::NamedNode(node) => Term::from(renamed(node, index)),
                    other => other.clone(),
                };
                Triple::new(renamed(subject, index), triple.predicate.clone(), object)
            })
            .collect();
        let created = start
            .checked_add_day_time_duration(oxsdatatypes::DayTimeDuration::new(i64::try_from(
                index,
            )?))
            .ok_or("a time")?
            .to_string();
        files.push(ProducerFile {
            id: uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_URL,
                format!("bench-{index}").as_bytes(),
            )
            .to_string(),
            name: format!("delta-{created}.json"),
            created,
            body: serde_json::to_vec(&to_delta(&triples))?,
        });
    }
    Ok((files, renamed(&meeting, count - 1)))
}

async fn run(count: usize) -> BenchResult {
    let count = count.max(1);
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    let prepared = Instant::now();
    let (files, last) = publications(count)?;
    let bytes: usize = files.iter().map(|file| file.body.len()).sum();
    println!(
        "{count} publications generated ({:.1} MB of delta files) in {:.1} s",
        bytes as f64 / 1e6,
        prepared.elapsed().as_secs_f64()
    );
    let producer = Producer::spawn(files).await;
    let mut config = ServeConfig::new(
        Storage::Disk(data.clone()),
        BaseIri::parse("https://agora.vlaanderen.be")?,
    );
    config.bind = "127.0.0.1:0".parse()?;
    config.max_concurrent_queries = 4;
    config.kaleidos = Some(KaleidosConfig {
        url: producer.address.clone(),
        poll: Duration::from_millis(100),
        holder: "kaleidos".to_owned(),
    });
    let application = Application::build(config)
        .await
        .map_err(|error| format!("{error:#}"))?;
    let address = format!("http://127.0.0.1:{}", application.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let started = Instant::now();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let ask = format!("ASK {{ <{}> ?p ?o }}", last.as_str());
    loop {
        let answer: serde_json::Value = client
            .get(format!("{address}/sparql"))
            .query(&[("query", ask.as_str())])
            .header("Accept", "application/sparql-results+json")
            .send()
            .await?
            .json()
            .await?;
        if answer["boolean"].as_bool() == Some(true) {
            break;
        }
        if started.elapsed() > Duration::from_secs(3 * 3600) {
            return Err("the last publication did not become visible in three hours".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed();
    let listed: serde_json::Value = client
        .get(format!(
            "{address}/datasets?filter[type]={}&filter[distributions][format]=text/turtle&page[size]=1",
            agora::feed::themis::DATASET_TYPE
        ))
        .send()
        .await?
        .json()
        .await?;
    let _ = stop.send(());
    server.await??;
    let mut json = suite_json::SuiteJson::new("kaleidos");
    json.set("publications", count)?;
    json.set("until_visible_s", elapsed.as_secs_f64())?;
    json.set("publications_per_s", count as f64 / elapsed.as_secs_f64())?;
    json.set("datasets_listed", listed["meta"]["count"].clone())?;
    println!();
    println!(
        "| publications | until the last is visible | publications per second | datasets listed |"
    );
    println!("|---:|---:|---:|---:|");
    println!(
        "| {count} | {:.1} s | {:.0} | {} |",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        listed["meta"]["count"]
    );
    Ok(())
}
