//! Push and bulk-load benchmark (issue 4, "Speed"): records per second through the push API, and
//! bulk loading against `oxigraph load`. Run by hand, not in CI:
//!
//! ```sh
//! cargo bench --bench push
//! ```
//!
//! 1. **Pushes over HTTP.** A real Agora ([`Application`], as `tests/helpers.rs` starts it) on
//!    127.0.0.1 port 0, with an on-disk store in a temporary folder, no demo data and one write
//!    token. Generated records (`agora::generate`, seed [`SEED`]) are pushed in file order, each
//!    phase taking the next `AGORA_BENCH_PUSH_RECORDS` records (default [`DEFAULT_RECORDS`]),
//!    into the same store, which grows from phase to phase:
//!    - one record per request as N-Triples, by one client, then by `AGORA_BENCH_CLIENTS`
//!      (default [`DEFAULT_CLIENTS`]) clients at once;
//!    - batches of 10 and of 100 records as N-Quads, one named graph per record, by one client.
//!
//!    Every push is validated in context, so a record that refers to a record not stored yet is
//!    refused. Generated records only refer to earlier ones; concurrent clients take pushes in
//!    file order and a push waits until the records it refers to are acknowledged, as a client
//!    pushing in dependency order would (the table counts these waits). Bodies are serialised
//!    before the clock starts. Latency is per request, from sending to the whole answer read.
//!    Then, in process and without HTTP, a few more pushes go through the steps of
//!    `Pusher::push` one by one (parse, `Store::context_for`, `Pusher::validate`, hash,
//!    `Store::write`), each timed, to show where a push's time goes.
//! 2. **Bulk loading.** `agora generate --triples N` (`AGORA_BENCH_LOAD_TRIPLES`, default
//!    [`DEFAULT_LOAD_TRIPLES`]) writes a file; the release binary's `agora load FILE --data DIR`
//!    and `oxigraph load --location DIR --file FILE` (pip package `oxigraph`; the command is
//!    `AGORA_BENCH_OXIGRAPH`, default `oxigraph`; the agora binary is `AGORA_BENCH_AGORA`, default
//!    the release build's) each load it into a fresh folder, timed as whole
//!    processes, in turn, `AGORA_BENCH_LOAD_ROUNDS` times (default [`DEFAULT_LOAD_ROUNDS`]); the
//!    table gives the median. `agora load` ends with a compaction (`Store::optimize`) and `oxigraph load` does
//!    not, so `oxigraph optimize` is timed too. Without the `oxigraph` command,
//!    `benches/oxigraph_load.py` does the same load with pyoxigraph's bulk loader
//!    (`AGORA_BENCH_PYTHON`, default `python3`); without either, the comparison is skipped.
//!
//! The figures end in three tables; README "Benchmarks" reports them.
//!
//! With `AGORA_BENCH_JSON=file` the figures are also written to that file as JSON (for
//! `benches/suite.py`).

// Printing the figures is what this program is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{HashMap, VecDeque};
use std::error::Error;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/suite_json.rs"]
mod suite_json;

use agora::app::Application;
use agora::config::{ServeConfig, Storage};
use agora::generate::{write_dataset, GenerateOptions};
use agora::ingest::RecordStream;
use agora::model::{BaseIri, GraphNames, Record};
use agora::push::Pusher;
use agora::store::{Precondition, RecordWrite, Store};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{QuadRef, Term};
use tokio::sync::{oneshot, Notify};

type BenchResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// Records per push phase: 4,000 records in all. The batches of 100 take most of the run
/// (about 15 s a push on two cores): validating a batch costs more than linear time.
const DEFAULT_RECORDS: usize = 1_000;
/// Concurrent clients in the concurrent phase.
const DEFAULT_CLIENTS: usize = 4;
/// Triples of the bulk-load file: about 3,466 records.
const DEFAULT_LOAD_TRIPLES: u64 = 1_000_000;
/// Rounds of each bulk load: on a shared machine one round can be off by half.
const DEFAULT_LOAD_ROUNDS: usize = 3;
/// Seed of the generated data (`agora generate`'s default).
const SEED: u64 = 1;
/// Base IRI of the generated data and of the server (`agora generate`'s default).
const BASE_IRI: &str = "https://agora.vlaanderen.be";
/// The benchmark's write token (holder `kaleidos`).
const TOKEN: &str = "bench-secret-0123456789abcdef";
/// Generated records average about 290 triples; asking for 400 a record leaves room.
const TRIPLES_PER_RECORD_BOUND: u64 = 400;
/// `agora serve`'s default `--max-push-bytes`: a batch of 100 records (about 7 MiB) fits.
const MAX_PUSH_BYTES: usize = 16 * 1024 * 1024;
/// The in-process breakdown: (records per push, pushes), on the records after the HTTP phases.
const BREAKDOWN: [(usize, usize); 3] = [(1, 50), (10, 5), (100, 2)];
/// Refusals printed in full; the rest are counted.
const FAILURES_SHOWN: usize = 3;

fn main() -> BenchResult {
    let records = env_number("AGORA_BENCH_PUSH_RECORDS", DEFAULT_RECORDS)?;
    let clients = env_number("AGORA_BENCH_CLIENTS", DEFAULT_CLIENTS)?.max(1);
    let load_triples = env_number("AGORA_BENCH_LOAD_TRIPLES", DEFAULT_LOAD_TRIPLES)?;
    let load_rounds = env_number("AGORA_BENCH_LOAD_ROUNDS", DEFAULT_LOAD_ROUNDS)?;
    let temp = tempfile::tempdir()?;
    let runtime = tokio::runtime::Runtime::new()?;
    let (phases, steps) = runtime.block_on(push_bench(temp.path(), records, clients))?;
    let loads = load_bench(temp.path(), load_triples, load_rounds)?;
    print_push_table(&phases);
    print_breakdown_table(&steps);
    print_load_table(&loads);
    write_json(&phases, &loads)?;
    Ok(())
}

/// The push phases and the loads, for `AGORA_BENCH_JSON` (the suite).
fn write_json(phases: &[PhaseFigures], loads: &[LoadFigures]) -> BenchResult {
    let mut json = suite_json::SuiteJson::new("push");
    let phases: Vec<serde_json::Value> = phases
        .iter()
        .map(|phase| {
            let mut sorted = phase.latencies.clone();
            sorted.sort();
            let seconds = phase.elapsed.as_secs_f64();
            serde_json::json!({
                "phase": phase.name,
                "stored_before": phase.stored_before,
                "pushes": phase.pushes,
                "records": phase.records,
                "pushes_per_s": phase.pushes as f64 / seconds,
                "records_per_s": phase.records as f64 / seconds,
                "triples_per_s": phase.triples as f64 / seconds,
                "median_ms": milliseconds(percentile(&sorted, 0.5)),
                "p99_ms": milliseconds(percentile(&sorted, 0.99)),
                "refused": phase.failures.len(),
            })
        })
        .collect();
    json.set("phases", phases)?;
    let loads: Vec<serde_json::Value> = loads
        .iter()
        .map(|load| {
            serde_json::json!({
                "tool": load.tool,
                "triples": load.triples,
                "rounds": load.times.len(),
                "median_s": load.median().as_secs_f64(),
                "store_bytes": load.store_bytes,
            })
        })
        .collect();
    json.set("loads", loads)?;
    Ok(())
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> BenchResult<T> {
    match std::env::var(name) {
        Ok(value) => value
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{name} must be a positive number, not {value:?}").into()),
        Err(_) => Ok(default),
    }
}

// ---------------------------------------------------------------------------------------------
// Pushes over HTTP

/// One request: its body and which records (indices within the phase) it holds.
struct Push {
    body: Vec<u8>,
    content_type: &'static str,
    first: usize,
    count: usize,
    /// The last record of the phase, before this push, that this push refers to.
    needs: Option<usize>,
}

/// What a phase measured.
struct PhaseFigures {
    name: String,
    stored_before: usize,
    pushes: usize,
    records: usize,
    triples: usize,
    body_bytes: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    waits: usize,
    created: usize,
    failures: Vec<String>,
}

/// A running server and what stops it.
struct Server {
    url: String,
    store: Store,
    shutdown: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start_server(data: PathBuf) -> BenchResult<Server> {
    let mut tokens = agora::auth::Tokens::default();
    tokens.add(&format!("kaleidos:{TOKEN}"), "bench")?;
    let mut config = ServeConfig::new(Storage::Disk(data), BaseIri::parse(BASE_IRI)?);
    config.bind = "127.0.0.1:0".parse()?;
    config.demo = false;
    config.max_concurrent_queries = 4;
    config.max_push_bytes = MAX_PUSH_BYTES;
    config.tokens = tokens;
    let application = Application::build(config)
        .await
        .map_err(|error| format!("{error:#}"))?;
    let url = format!("http://127.0.0.1:{}/api/records", application.port());
    let store = application.store().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    Ok(Server {
        url,
        store,
        shutdown,
        task,
    })
}

async fn push_bench(
    temp: &Path,
    per_phase: usize,
    clients: usize,
) -> BenchResult<(Vec<PhaseFigures>, Vec<StepFigures>)> {
    let plan: [(String, usize, usize); 4] = [
        ("single, 1 client".to_owned(), 1, 1),
        (format!("single, {clients} clients"), 1, clients),
        ("batch of 10".to_owned(), 10, 1),
        ("batch of 100".to_owned(), 100, 1),
    ];
    let base = BaseIri::parse(BASE_IRI)?;
    let data = temp.join("push.nq");
    let options = GenerateOptions {
        triples: (per_phase * plan.len() + breakdown_records()) as u64 * TRIPLES_PER_RECORD_BOUND,
        seed: SEED,
        base: base.clone(),
    };
    let mut out = BufWriter::new(File::create(&data)?);
    write_dataset(&mut out, &options)?;
    out.flush()?;
    drop(out);
    let mut stream = RecordStream::new(
        BufReader::new(File::open(&data)?),
        RdfFormat::NQuads,
        "generated",
    );
    let server = start_server(temp.join("push-store")).await?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()?;
    let names = GraphNames::new(&base);
    let mut phases = Vec::new();
    for (name, per_push, phase_clients) in plan {
        let records = stream
            .by_ref()
            .take(per_phase)
            .collect::<Result<Vec<_>, _>>()?;
        if records.len() < per_phase {
            return Err(format!("the generator made too few records for {name}").into());
        }
        let pushes = plan_pushes(&records, per_push, &names)?;
        let triples = records.iter().map(|record| record.triples().len()).sum();
        drop(records);
        eprintln!("pushing {per_phase} records: {name} ...");
        let store = server.store.clone();
        let stored_before = tokio::task::spawn_blocking(move || store.record_count()).await??;
        let mut figures = run_phase(&client, &server.url, pushes, phase_clients).await;
        figures.name = name;
        figures.stored_before = stored_before;
        figures.triples = triples;
        phases.push(figures);
    }
    let _ = server.shutdown.send(());
    server.task.await??;
    let mut steps = Vec::new();
    for (per_push, pushes) in BREAKDOWN {
        let records = stream
            .by_ref()
            .take(per_push * pushes)
            .collect::<Result<Vec<_>, _>>()?;
        let pushes = plan_pushes(&records, per_push, &names)?;
        drop(records);
        eprintln!("timing the steps of a push of {per_push} in process ...");
        let store = server.store.clone();
        steps
            .push(tokio::task::spawn_blocking(move || breakdown(&store, pushes, per_push)).await??);
    }
    Ok((phases, steps))
}

fn breakdown_records() -> usize {
    BREAKDOWN
        .iter()
        .map(|(per_push, pushes)| per_push * pushes)
        .sum()
}

/// Mean time per push of each step of `Pusher::push`, in process.
struct StepFigures {
    per_push: usize,
    pushes: usize,
    triples: usize,
    parse: Duration,
    context: Duration,
    validate: Duration,
    prepare: Duration,
    write: Duration,
}

/// Runs the steps of `Pusher::push` one by one on the pushes, timing each. `Pusher::validate`
/// includes `Store::context_for`, which is timed alone too.
fn breakdown(store: &Store, pushes: Vec<Push>, per_push: usize) -> BenchResult<StepFigures> {
    let shapes = agora::demo::shapes_in_context()?;
    let pusher = Pusher::new(store.clone(), shapes, agora::demo::reference_triples()?);
    let mut figures = StepFigures {
        per_push,
        pushes: pushes.len(),
        triples: 0,
        parse: Duration::ZERO,
        context: Duration::ZERO,
        validate: Duration::ZERO,
        prepare: Duration::ZERO,
        write: Duration::ZERO,
    };
    for push in pushes {
        let format = RdfFormat::from_media_type(push.content_type).ok_or("a known media type")?;
        let started = Instant::now();
        let records = pusher.parse(&push.body, format)?;
        figures.parse += started.elapsed();
        figures.triples += records.iter().map(|r| r.triples().len()).sum::<usize>();
        let started = Instant::now();
        store.context_for(&records.iter().collect::<Vec<_>>())?;
        figures.context += started.elapsed();
        let started = Instant::now();
        let reports = pusher.validate(&records)?;
        figures.validate += started.elapsed();
        if let Some(report) = reports.iter().find(|r| r.report.violation_count() > 0) {
            return Err(
                format!("<{}> violates the shapes: {:?}", report.root, report.report).into(),
            );
        }
        let started = Instant::now();
        let writes = records
            .into_iter()
            .map(RecordWrite::prepare)
            .collect::<Result<Vec<_>, _>>()?;
        figures.prepare += started.elapsed();
        let started = Instant::now();
        store.write("kaleidos", &writes, Precondition::None)?;
        figures.write += started.elapsed();
    }
    Ok(figures)
}

/// Cuts a phase's records into pushes of `per_push` records: N-Triples for one, N-Quads (one
/// named graph per record, as `agora generate` names them) for more.
fn plan_pushes(records: &[Record], per_push: usize, names: &GraphNames) -> BenchResult<Vec<Push>> {
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (index, record) in records.iter().enumerate() {
        for triple in record.triples() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &triple.subject {
                owner.entry(subject.as_str()).or_insert(index);
            }
        }
    }
    let mut pushes = Vec::new();
    for (chunk_index, chunk) in records.chunks(per_push).enumerate() {
        let first = chunk_index * per_push;
        let needs = chunk
            .iter()
            .flat_map(|record| record.triples())
            .filter_map(|triple| match &triple.object {
                Term::NamedNode(object) => owner.get(object.as_str()).copied(),
                _ => None,
            })
            .filter(|&index| index < first)
            .max();
        let (format, content_type) = if per_push == 1 {
            (RdfFormat::NTriples, "application/n-triples")
        } else {
            (RdfFormat::NQuads, "application/n-quads")
        };
        let mut serializer = RdfSerializer::from_format(format).for_writer(Vec::new());
        for record in chunk {
            let graph = names.record_graph(record.root());
            for triple in record.triples() {
                if per_push == 1 {
                    serializer.serialize_triple(triple)?;
                } else {
                    let triple = triple.as_ref();
                    serializer.serialize_quad(QuadRef::new(
                        triple.subject,
                        triple.predicate,
                        triple.object,
                        &graph,
                    ))?;
                }
            }
        }
        pushes.push(Push {
            body: serializer.finish()?,
            content_type,
            first,
            count: chunk.len(),
            needs,
        });
    }
    Ok(pushes)
}

/// What one client saw.
#[derive(Default)]
struct ClientFigures {
    latencies: Vec<Duration>,
    waits: usize,
    created: usize,
    failures: Vec<String>,
}

/// Pushes everything with `clients` clients taking pushes in order from one queue.
async fn run_phase(
    client: &reqwest::Client,
    url: &str,
    pushes: Vec<Push>,
    clients: usize,
) -> PhaseFigures {
    let records: usize = pushes.iter().map(|push| push.count).sum();
    let count = pushes.len();
    let body_bytes = pushes.iter().map(|push| push.body.len()).sum();
    let queue = Arc::new(Mutex::new(VecDeque::from(pushes)));
    let done: Arc<Vec<AtomicBool>> =
        Arc::new((0..records).map(|_| AtomicBool::new(false)).collect());
    let notify = Arc::new(Notify::new());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, url) = (client.clone(), url.to_owned());
        let (queue, done, notify) = (queue.clone(), done.clone(), notify.clone());
        tasks.spawn(async move {
            let mut figures = ClientFigures::default();
            loop {
                let next = queue.lock().ok().and_then(|mut queue| queue.pop_front());
                let Some(push) = next else { break };
                if let Some(needed) = push.needs {
                    if wait_until_done(&done[needed], &notify).await {
                        figures.waits += 1;
                    }
                }
                let (first, count) = (push.first, push.count);
                let sent = Instant::now();
                let outcome = send(&client, &url, push).await;
                figures.latencies.push(sent.elapsed());
                match outcome {
                    Ok(created) => figures.created += created,
                    Err(failure) => figures.failures.push(failure),
                }
                // A refused push is marked done too, so that no client waits for ever.
                for flag in &done[first..first + count] {
                    flag.store(true, Ordering::Release);
                }
                notify.notify_waiters();
            }
            figures
        });
    }
    let mut figures = ClientFigures::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(client) => {
                figures.latencies.extend(client.latencies);
                figures.waits += client.waits;
                figures.created += client.created;
                figures.failures.extend(client.failures);
            }
            Err(error) => figures.failures.push(format!("a client panicked: {error}")),
        }
    }
    PhaseFigures {
        name: String::new(),
        stored_before: 0,
        pushes: count,
        records,
        triples: 0,
        body_bytes,
        elapsed: started.elapsed(),
        latencies: figures.latencies,
        waits: figures.waits,
        created: figures.created,
        failures: figures.failures,
    }
}

/// Waits until `flag` is set; says whether it had to wait.
async fn wait_until_done(flag: &AtomicBool, notify: &Notify) -> bool {
    let mut waited = false;
    loop {
        let mut notified = std::pin::pin!(notify.notified());
        notified.as_mut().enable();
        if flag.load(Ordering::Acquire) {
            return waited;
        }
        waited = true;
        notified.await;
    }
}

/// Sends one push; the number of records created, or what went wrong.
async fn send(client: &reqwest::Client, url: &str, push: Push) -> Result<usize, String> {
    let response = client
        .post(url)
        .bearer_auth(TOKEN)
        .header("Content-Type", push.content_type)
        .body(push.body)
        .send()
        .await
        .map_err(|error| format!("records {}..: {error}", push.first))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| format!("records {}..: {error}", push.first))?;
    if !status.is_success() {
        return Err(format!("records {}..: {status}: {text}", push.first));
    }
    let answer: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| error.to_string())?;
    let receipts = answer["records"].as_array().map_or(&[][..], Vec::as_slice);
    Ok(receipts
        .iter()
        .filter(|receipt| receipt["outcome"] == "created")
        .count())
}

// ---------------------------------------------------------------------------------------------
// Bulk loading

/// One way of loading, over every round.
struct LoadFigures {
    tool: String,
    triples: u64,
    times: Vec<Duration>,
    store_bytes: u64,
}

impl LoadFigures {
    fn median(&self) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        percentile(&sorted, 0.5)
    }
}

/// How the comparison loads: the `oxigraph` command, or pyoxigraph through a script.
enum Oxigraph {
    Command(String),
    Python(String, PathBuf),
    Missing,
}

fn load_bench(temp: &Path, triples: u64, rounds: usize) -> BenchResult<Vec<LoadFigures>> {
    // The suite passes its own copy of the release binary: the shared target folder's
    // `release/agora` is whichever worktree built last.
    let agora = std::env::var("AGORA_BENCH_AGORA")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_agora").to_owned());
    let agora = agora.as_str();
    let file = temp.join("load.nq");
    let file_arg = file.to_string_lossy().into_owned();
    let count = triples.to_string();
    run(Command::new(agora).args(["generate", "--triples", &count, "--out", &file_arg]))?;
    let triples = count_lines(&file)?;
    let oxigraph = find_oxigraph();
    let tools: &[&str] = match &oxigraph {
        Oxigraph::Command(_) => &["oxigraph load", "oxigraph load + optimize"],
        Oxigraph::Python(..) => &["pyoxigraph bulk_load + optimize"],
        Oxigraph::Missing => &[],
    };
    let mut loads: Vec<LoadFigures> = std::iter::once("agora load (+ compaction)")
        .chain(tools.iter().copied())
        .map(|tool| LoadFigures {
            tool: tool.to_owned(),
            triples,
            times: Vec::new(),
            store_bytes: 0,
        })
        .collect();
    for round in 1..=rounds {
        eprintln!("bulk loading {triples} triples, round {round} of {rounds} ...");
        let dir = temp.join(format!("agora-load-{round}"));
        let (elapsed, output) = timed(
            Command::new(agora)
                .arg("load")
                .arg(&file)
                .arg("--data")
                .arg(&dir),
        )?;
        eprint!("agora load: {output}");
        loads[0].times.push(elapsed);
        loads[0].store_bytes = folder_bytes(&dir)?;
        std::fs::remove_dir_all(&dir)?;
        let dir = temp.join(format!("oxigraph-load-{round}"));
        match &oxigraph {
            Oxigraph::Command(command) => {
                let (elapsed, output) = timed(
                    Command::new(command)
                        .arg("load")
                        .arg("--location")
                        .arg(&dir)
                        .arg("--file")
                        .arg(&file),
                )?;
                // `oxigraph load` reports a file that failed and still exits 0.
                if output.contains("Error") || output.contains("Failed") {
                    return Err(format!("oxigraph load failed: {output}").into());
                }
                loads[1].times.push(elapsed);
                loads[1].store_bytes = folder_bytes(&dir)?;
                let (optimize, _) = timed(
                    Command::new(command)
                        .arg("optimize")
                        .arg("--location")
                        .arg(&dir),
                )?;
                loads[2].times.push(elapsed + optimize);
                loads[2].store_bytes = folder_bytes(&dir)?;
            }
            Oxigraph::Python(python, script) => {
                let (elapsed, output) =
                    timed(Command::new(python).arg(script).arg(&file).arg(&dir))?;
                eprint!("pyoxigraph: {output}");
                loads[1].times.push(elapsed);
                loads[1].store_bytes = folder_bytes(&dir)?;
            }
            Oxigraph::Missing => {}
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
    }
    Ok(loads)
}

fn find_oxigraph() -> Oxigraph {
    let command = std::env::var("AGORA_BENCH_OXIGRAPH").unwrap_or_else(|_| "oxigraph".to_owned());
    if Command::new(&command)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
    {
        return Oxigraph::Command(command);
    }
    let python = std::env::var("AGORA_BENCH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/oxigraph_load.py");
    let found = Command::new(&python)
        .args(["-c", "import pyoxigraph"])
        .output()
        .is_ok_and(|out| out.status.success());
    if found {
        eprintln!("no `{command}` command: loading with pyoxigraph ({script:?})");
        return Oxigraph::Python(python, script);
    }
    eprintln!(
        "neither `{command}` nor pyoxigraph: the comparison with Oxigraph is skipped \
         (`pip install oxigraph` provides the command)"
    );
    Oxigraph::Missing
}

fn run(command: &mut Command) -> BenchResult {
    timed(command).map(|_| ())
}

/// Runs a process to its end: its wall-clock time and what it printed (stdout, then stderr).
fn timed(command: &mut Command) -> BenchResult<(Duration, String)> {
    let started = Instant::now();
    let output = command.output()?;
    let elapsed = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        return Err(format!("{command:?} failed ({}): {text}", output.status).into());
    }
    Ok((elapsed, text))
}

/// N-Quads as `agora generate` writes them: one quad a line.
fn count_lines(path: &Path) -> BenchResult<u64> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut buffer = vec![0; 1 << 16];
    let mut lines = 0;
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            return Ok(lines);
        }
        lines += buffer[..read].iter().filter(|&&byte| byte == b'\n').count() as u64;
    }
}

fn folder_bytes(path: &Path) -> BenchResult<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        total += if kind.is_dir() {
            folder_bytes(&entry.path())?
        } else {
            entry.metadata()?.len()
        };
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// Tables

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn print_push_table(phases: &[PhaseFigures]) {
    println!();
    println!("Pushes through HTTP (validated in context, one transaction per push, on-disk store)");
    println!(
        "| phase | stored before | pushes | records | KiB/push | s | pushes/s | records/s | \
         triples/s | median ms | p99 ms | waits | refused |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for phase in phases {
        let mut sorted = phase.latencies.clone();
        sorted.sort();
        let seconds = phase.elapsed.as_secs_f64();
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1} | {} | {} |",
            phase.name,
            phase.stored_before,
            phase.pushes,
            phase.records,
            phase.body_bytes as f64 / phase.pushes.max(1) as f64 / 1024.0,
            seconds,
            phase.pushes as f64 / seconds,
            phase.records as f64 / seconds,
            phase.triples as f64 / seconds,
            milliseconds(percentile(&sorted, 0.5)),
            milliseconds(percentile(&sorted, 0.99)),
            phase.waits,
            phase.failures.len(),
        );
    }
    for phase in phases {
        if phase.created != phase.records - phase.failures.len().min(phase.records) {
            println!(
                "{}: {} of {} records created",
                phase.name, phase.created, phase.records
            );
        }
        for failure in phase.failures.iter().take(FAILURES_SHOWN) {
            println!("{} refused: {}", phase.name, truncate(failure, 3000));
        }
        if phase.failures.len() > FAILURES_SHOWN {
            println!(
                "{}: {} more refusals",
                phase.name,
                phase.failures.len() - FAILURES_SHOWN
            );
        }
    }
}

fn print_breakdown_table(steps: &[StepFigures]) {
    println!();
    println!(
        "Where a push's time goes (in process, no HTTP; mean ms per push; validate includes \
         context_for)"
    );
    println!(
        "| records per push | pushes | triples per push | parse | context_for | validate | hash \
         (prepare) | write | total | validate µs/triple | write µs/triple |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for step in steps {
        let pushes = step.pushes.max(1) as f64;
        let mean = |duration: Duration| milliseconds(duration) / pushes;
        let total = step.parse + step.validate + step.prepare + step.write;
        let per_triple =
            |duration: Duration| duration.as_secs_f64() * 1_000_000.0 / step.triples.max(1) as f64;
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.1} |",
            step.per_push,
            step.pushes,
            step.triples as f64 / pushes,
            mean(step.parse),
            mean(step.context),
            mean(step.validate),
            mean(step.prepare),
            mean(step.write),
            mean(total),
            per_triple(step.validate),
            per_triple(step.write),
        );
    }
}

fn truncate(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

fn print_load_table(loads: &[LoadFigures]) {
    let rounds = loads.first().map_or(0, |load| load.times.len());
    println!();
    println!(
        "Bulk loading the same generated N-Quads file into a fresh folder (whole process; \
         median of {rounds} rounds)"
    );
    println!(
        "| tool | triples | s (median) | s (min–max) | triples/s | store MiB | agora load time / \
         this time |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let Some(agora) = loads.first() else {
        return;
    };
    for load in loads {
        let seconds = load.median().as_secs_f64();
        let min = load.times.iter().min().copied().unwrap_or_default();
        let max = load.times.iter().max().copied().unwrap_or_default();
        println!(
            "| {} | {} | {:.1} | {:.1}–{:.1} | {:.0} | {:.0} | {:.2} |",
            load.tool,
            load.triples,
            seconds,
            min.as_secs_f64(),
            max.as_secs_f64(),
            load.triples as f64 / seconds,
            load.store_bytes as f64 / (1024.0 * 1024.0),
            agora.median().as_secs_f64() / seconds,
        );
    }
    println!(
        "agora load writes each triple twice (its record graph and the published default graph), \
         plus per-record version bookkeeping in the system graph and an RDFC-1.0 hash per record"
    );
}
