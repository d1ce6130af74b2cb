//! Feed benchmark (run by hand, not in CI): `cargo bench --bench feeds`.
//!
//! 1. Generates a data set (`agora::generate`, `AGORA_BENCH_FEED_TRIPLES`, default 1,000,000
//!    triples) and bulk loads it into an on-disk store, which logs a create per record.
//! 2. Starts a real Agora on it (127.0.0.1, base IRI at its own address, 50 events a page, the
//!    feed cache off) and times serving feed pages from the store: a full (immutable) page and
//!    the newest page of each stream, as TriG, `AGORA_BENCH_FEED_ROUNDS` times each (default
//!    20); prints median and p90.
//! 3. Times a full harvest of every stream with `agora::harvest::Harvester` into a fresh on-disk
//!    store, and checks that the mirror holds as many records (`AGORA_BENCH_FEED_HARVEST=0` skips
//!    the harvests).
//! 4. Times a full harvest of every stream with ldes-client 0.3 (`tests/clients/ldes_client.mjs`,
//!    installed by `tests/clients/install.sh`; `AGORA_LDES_CLIENT`, `AGORA_NODE`), when present.
//!    Both harvests read from the server of step 2, so every page comes from the store.
//! 5. Starts Agora again on the same store with the default feed cache and times the same pages:
//!    the first request (read from the store, then kept) and the median of the next ones.
//!
//! With `AGORA_BENCH_JSON=file` the figures are also written to that file as JSON (for
//! `benches/suite.py`).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/suite_json.rs"]
mod suite_json;

use agora::app::Application;
use agora::config::{ServeConfig, Storage};
use agora::generate::{write_dataset, GenerateOptions};
use agora::harvest::Harvester;
use agora::ingest::RecordStream;
use agora::model::{BaseIri, Collection};
use agora::store::Store;
use oxigraph::io::RdfFormat;
use tokio::sync::oneshot;

type BenchResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[allow(clippy::print_stdout)]
fn main() -> BenchResult {
    let triples = env_number("AGORA_BENCH_FEED_TRIPLES", 1_000_000);
    let rounds = env_number("AGORA_BENCH_FEED_ROUNDS", 20).max(1);
    let harvest = env_number("AGORA_BENCH_FEED_HARVEST", 1) != 0;
    let temp = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let base = BaseIri::parse(&address)?;

    let data = temp.path().join("generated.nq");
    let mut out = BufWriter::new(File::create(&data)?);
    let stats = write_dataset(
        &mut out,
        &GenerateOptions {
            triples,
            seed: 1,
            base: base.clone(),
        },
    )?;
    out.flush()?;
    drop(out);
    let mut json = suite_json::SuiteJson::new("feeds");
    json.set("triples", stats.triples)?;
    json.set("records", stats.records)?;
    let source_dir = temp.path().join("source");
    let started = Instant::now();
    let records = {
        let store = Store::open(&source_dir, &base)?;
        agora::demo::load(&store, false)?;
        let stream = RecordStream::new(
            BufReader::new(File::open(&data)?),
            RdfFormat::NQuads,
            "generated",
        );
        let count = store.bulk_load("bench", stream, |_| {})?;
        store.optimize()?;
        count
    };
    println!(
        "generated {stats:?}; bulk loaded {records} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    json.set("bulk_load_s", started.elapsed().as_secs_f64())?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        // First with the feed cache off: every request reads its page from the store and
        // serialises it, which is what a harvester walking the stream for the first time gets,
        // and every harvest below gets the same.
        let (source, shutdown, server) = serve(&source_dir, &base, port, 0).await?;
        let pages = pages_to_time(&source)?;
        println!("serving a feed page from the store (TriG, {rounds} rounds each, feed cache off):");
        for (collection, kind, page) in &pages {
            let url = format!("{address}/ldes/{}/{page}", collection.slug());
            let (mut times, bytes) = time_page(&client, &url, rounds).await?;
            times.sort();
            let (median, p90) = (percentile(&times, 0.5), percentile(&times, 0.9));
            json.set(
                &format!("page {} {kind}", collection.slug()),
                serde_json::json!({
                    "page": page,
                    "median_ms": median.as_secs_f64() * 1000.0,
                    "p90_ms": p90.as_secs_f64() * 1000.0,
                    "bytes": bytes,
                }),
            )?;
            println!(
                "  {:<22} {kind:<6} page {page:>4}: median {:>7.1} ms, p90 {:>7.1} ms, {:>9} bytes",
                collection.slug(),
                median.as_secs_f64() * 1000.0,
                p90.as_secs_f64() * 1000.0,
                bytes
            );
        }

        if harvest {
            harvests(&address, &source, &temp, &mut json).await?;
        } else {
            println!("harvests skipped (AGORA_BENCH_FEED_HARVEST=0)");
        }
        let _ = shutdown.send(());
        server.await??;
        drop(source);

        // Then the same pages from a server with the default feed cache: the first request
        // reads the page, the next ones are answered from memory.
        let budget = ServeConfig::new(Storage::Disk(source_dir.clone()), base.clone())
            .feeds
            .cache_bytes;
        let (source, shutdown, server) = serve(&source_dir, &base, port, budget).await?;
        println!(
            "the same pages with the feed cache ({} MiB): the first request, then {rounds} more:",
            budget >> 20
        );
        for (collection, kind, page) in &pages {
            let url = format!("{address}/ldes/{}/{page}", collection.slug());
            let (mut times, _) = time_page(&client, &url, rounds + 1).await?;
            let first = times.remove(0);
            times.sort();
            let (median, p90) = (percentile(&times, 0.5), percentile(&times, 0.9));
            json.set(
                &format!("cached page {} {kind}", collection.slug()),
                serde_json::json!({
                    "page": page,
                    "first_ms": first.as_secs_f64() * 1000.0,
                    "median_ms": median.as_secs_f64() * 1000.0,
                    "p90_ms": p90.as_secs_f64() * 1000.0,
                }),
            )?;
            println!(
                "  {:<22} {kind:<6} page {page:>4}: first {:>7.1} ms, then median {:>7.2} ms, p90 {:>7.2} ms",
                collection.slug(),
                first.as_secs_f64() * 1000.0,
                median.as_secs_f64() * 1000.0,
                p90.as_secs_f64() * 1000.0,
            );
        }
        drop(source);
        let _ = shutdown.send(());
        server.await??;
        BenchResult::Ok(())
    })?;
    Ok(())
}

type Server = (
    Store,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
);

/// Starts a real Agora on the store in `dir`, at `port`, with `cache_bytes` of feed cache.
async fn serve(dir: &Path, base: &BaseIri, port: u16, cache_bytes: usize) -> BenchResult<Server> {
    let mut config = ServeConfig::new(Storage::Disk(dir.to_owned()), base.clone());
    config.bind = format!("127.0.0.1:{port}").parse()?;
    config.demo = false;
    config.query_timeout = Duration::from_secs(30);
    config.max_concurrent_queries = 4;
    config.feeds.cache_bytes = cache_bytes;
    // A server just stopped on this store may take a moment to let go of it (its background
    // tasks are dropped after they are aborted).
    let mut attempts = 0;
    let application = loop {
        match Application::build(config.clone()).await {
            Ok(application) => break application,
            Err(error)
                if attempts < 50
                    && matches!(
                        error.downcast_ref::<agora::store::StoreError>(),
                        Some(agora::store::StoreError::Locked { .. })
                    ) =>
            {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => return Err(format!("{error:#}").into()),
        }
    };
    let store = application.store().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    Ok((store, shutdown, server))
}

/// A full page (page 0, when there is one) and the newest page of every stream.
fn pages_to_time(store: &Store) -> BenchResult<Vec<(Collection, &'static str, u64)>> {
    let mut pages = Vec::new();
    for collection in Collection::ALL {
        let newest = store.event_count(collection)? / 50;
        if newest > 0 {
            pages.push((collection, "full", 0));
        }
        pages.push((collection, "newest", newest));
    }
    Ok(pages)
}

/// Fetches `url` as TriG `rounds` times: the times in order, and the body's length.
async fn time_page(
    client: &reqwest::Client,
    url: &str,
    rounds: u64,
) -> BenchResult<(Vec<Duration>, usize)> {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let body = client
            .get(url)
            .header("Accept", "application/trig")
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        times.push(started.elapsed());
        bytes = body.len();
    }
    Ok((times, bytes))
}

#[allow(clippy::print_stdout)]
/// Harvests every stream of the server at `address` with `agora harvest`'s harvester into a
/// fresh on-disk store, then with ldes-client 0.3 when it is installed.
async fn harvests(
    address: &str,
    source: &Store,
    temp: &tempfile::TempDir,
    json: &mut suite_json::SuiteJson,
) -> BenchResult {
    let mirror_dir = temp.path().join("mirror");
    let mirror = Store::open(&mirror_dir, &BaseIri::parse("https://mirror.example")?)?;
    agora::demo::load(&mirror, false)?;
    let harvester = Harvester::new(mirror.clone(), "harvest", &temp.path().join("state.json"));
    let started = Instant::now();
    let summary = harvester.sync(address).await?;
    let elapsed = started.elapsed();
    println!(
        "agora harvest: {} records ({} pages) in {:.1} s: {:.0} records/s, {:.0} triples/s; mirror holds {} records",
        summary.written,
        summary.pages,
        elapsed.as_secs_f64(),
        summary.written as f64 / elapsed.as_secs_f64(),
        source.published_triple_count()? as f64 / elapsed.as_secs_f64(),
        mirror.record_count()?
    );
    json.set(
        "agora harvest",
        serde_json::json!({
            "records": summary.written,
            "pages": summary.pages,
            "s": elapsed.as_secs_f64(),
            "records_per_s": summary.written as f64 / elapsed.as_secs_f64(),
        }),
    )?;

    let Some((node, modules)) = ldes_client() else {
        println!("ldes-client: not installed (bash tests/clients/install.sh), skipped");
        return Ok(());
    };
    let started = Instant::now();
    let mut members = 0;
    for collection in Collection::ALL {
        let url = format!("{address}/ldes/{}", collection.slug());
        let state = temp.path().join(format!("ldes-{}", collection.slug()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/ldes_client.mjs");
        let (node, modules) = (node.clone(), modules.clone());
        let output = tokio::task::spawn_blocking(move || {
            Command::new(node)
                .arg(script)
                .arg(url)
                .arg(state)
                .env("AGORA_LDES_CLIENT", &modules)
                .output()
        })
        .await??;
        members += String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.starts_with('{'))
            .count();
    }
    let elapsed = started.elapsed();
    json.set(
        "ldes-client harvest",
        serde_json::json!({
            "members": members,
            "s": elapsed.as_secs_f64(),
            "members_per_s": members as f64 / elapsed.as_secs_f64(),
        }),
    )?;
    println!(
        "ldes-client 0.3: {members} members in {:.1} s: {:.0} members/s",
        elapsed.as_secs_f64(),
        members as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

fn ldes_client() -> Option<(PathBuf, PathBuf)> {
    let modules = std::env::var_os("AGORA_LDES_CLIENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
            home.join(".cache/agora/ldes-client/node_modules")
        });
    let node = std::env::var_os("AGORA_NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);
    modules
        .join("ldes-client/package.json")
        .is_file()
        .then_some((node, modules))
}
