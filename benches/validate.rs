//! Validation benchmark (issue 3, "Speed"): how fast the SHACL engine validates records, and how
//! that compares with pySHACL on the same shapes and the same data. Run by hand, not in CI:
//!
//! ```sh
//! cargo bench --bench validate
//! ```
//!
//! Every record is validated as `agora validate` does it: the offline shapes (`demo::shapes`,
//! every file of `shapes/` but `verwijzingen.ttl`), the record in its own `DataGraph` over the
//! reference data (ontology and code lists) as a shared `ContextGraph`. The clock covers
//! building that data graph and `Shapes::validate`; generating and parsing the data do not count.
//!
//! 1. The demo records (`fixtures/demo`), validated [`DEMO_ROUNDS`] times over.
//! 2. A generated data set (`agora::generate`, seed [`SEED`]) of `AGORA_BENCH_RECORDS` records
//!    (default [`DEFAULT_RECORDS`], about 29 million triples), streamed: a thread writes N-Quads
//!    into a bounded channel and `RecordStream` reads them back one record at a time, so memory
//!    holds a few records, never the data set.
//! 3. A sample with Agora and with pySHACL (`benches/pyshacl_validate.py`): the demo records,
//!    and the first `AGORA_BENCH_SAMPLE` generated records (default [`DEFAULT_SAMPLE`]), written
//!    to a temporary folder. Both engines validate each sample record by record with the
//!    reference data as context, and as one graph (records and reference data together).
//!    pySHACL takes too long for the whole data set. Without Python or pySHACL
//!    (`AGORA_BENCH_PYTHON`, default `python3`), the comparison is skipped.
//!
//! For every set it prints records and triples per second and the per-record latency (median,
//! p99); for the sample, the ratio Agora/pySHACL in records per second.
//!
//! With `AGORA_BENCH_JSON=file` the figures are also written to that file as JSON (for
//! `benches/suite.py`).

// Printing the figures is what this program is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/suite_json.rs"]
mod suite_json;

use std::error::Error;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use agora::generate::{write_dataset, GenerateOptions};
use agora::ingest::RecordStream;
use agora::model::{BaseIri, Record};
use agora::validate::{ContextGraph, DataGraph, Shapes, ValidationReport};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};

type BenchResult<T = ()> = Result<T, Box<dyn Error>>;

/// Records in the generated data set: the issue asks for at least 100,000.
const DEFAULT_RECORDS: usize = 100_000;
/// Generated records that pySHACL validates too. pySHACL needs about two minutes for them record
/// by record and three as one graph (it slows down as the graph grows).
const DEFAULT_SAMPLE: usize = 300;
/// Seed of the generated data set (`agora generate`'s default).
const SEED: u64 = 1;
/// Base IRI of the generated data (`agora generate`'s default).
const BASE_IRI: &str = "https://agora.vlaanderen.be";
/// The demo has 28 records: enough rounds for a few thousand timed validations.
const DEMO_ROUNDS: usize = 200;
/// The sample is validated by Agora this many times, for stable figures on a small set.
const SAMPLE_ROUNDS: usize = 20;
/// An upper bound of triples per generated record (the mean is about 290), so that the generator
/// never stops before the wanted number of records; the reader stops it.
const TRIPLES_PER_RECORD_BOUND: u64 = 1_000;
/// Chunks of N-Quads the generator may write ahead of the parser (64 KiB each).
const CHUNKS_IN_FLIGHT: usize = 16;

fn main() -> BenchResult {
    let records = env_count("AGORA_BENCH_RECORDS", DEFAULT_RECORDS)?;
    let sample_size = env_count("AGORA_BENCH_SAMPLE", DEFAULT_SAMPLE)?;
    let shapes = agora::demo::shapes()?;
    let reference = agora::demo::reference_triples()?;
    let context = ContextGraph::new(&reference);
    let demo = agora::demo::demo_records()?;
    println!(
        "Agora validation benchmark: {} shapes, {} reference triples as context",
        shapes.len(),
        reference.len()
    );
    let setup = Setup {
        shapes: &shapes,
        reference: &reference,
        context: &context,
    };

    let mut timings = Timings::default();
    for _ in 0..DEMO_ROUNDS {
        for record in &demo {
            timings.validate(&setup, record.triples())?;
        }
    }
    timings.print(&format!(
        "demo ({} records x {DEMO_ROUNDS} rounds)",
        demo.len()
    ));
    let mut json = suite_json::SuiteJson::new("validate");
    json.set("demo", timings.json())?;

    let (timings, wall, sample) = generated(&setup, records, sample_size)?;
    timings.print(&format!("generated ({records} records, seed {SEED})"));
    println!(
        "  wall time with generating and parsing (on another thread): {:.1} s",
        wall.as_secs_f64()
    );
    json.set("generated", timings.json())?;
    json.set("generated_records", records)?;
    json.set("generated_wall_s", wall.as_secs_f64())?;

    compare(&setup, &demo, &sample, &mut json)
}

/// What every validation needs: the shapes, and the reference data as triples (for pySHACL and
/// one-graph validation) and as a shared context (for record-by-record validation).
struct Setup<'a> {
    shapes: &'a Shapes,
    reference: &'a [Triple],
    context: &'a ContextGraph,
}

/// A record count from the environment, or `default`.
fn env_count(name: &str, default: usize) -> BenchResult<usize> {
    match std::env::var(name) {
        Ok(value) => Ok(value
            .parse()
            .map_err(|error| format!("{name}={value}: {error}"))?),
        Err(_) => Ok(default),
    }
}

/// Per-record timings and what the reports said.
#[derive(Debug, Default)]
struct Timings {
    latencies: Vec<Duration>,
    triples: u64,
    results: usize,
    nonconforming: usize,
}

impl Timings {
    /// Validates one record the way `agora validate` does and records the time it took.
    fn validate(&mut self, setup: &Setup<'_>, triples: &[Triple]) -> BenchResult<ValidationReport> {
        let start = Instant::now();
        let mut graph = DataGraph::with_context(setup.context);
        graph.extend(triples);
        let report = setup.shapes.validate(&graph)?;
        drop(graph);
        self.add(start.elapsed(), triples.len(), &report);
        Ok(report)
    }

    fn add(&mut self, elapsed: Duration, triples: usize, report: &ValidationReport) {
        self.latencies.push(elapsed);
        self.triples += triples as u64;
        self.results += report.results.len();
        if report.violation_count() > 0 {
            self.nonconforming += 1;
        }
    }

    fn records_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.total().as_secs_f64()
    }

    /// The printed figures, for `AGORA_BENCH_JSON`.
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "records_per_s": self.records_per_second(),
            "triples_per_s": self.triples as f64 / self.total().as_secs_f64(),
            "validations": self.latencies.len(),
            "triples": self.triples,
            "median_ms": millis(self.percentile(0.5)),
            "p99_ms": millis(self.percentile(0.99)),
            "max_ms": millis(self.percentile(1.0)),
            "results": self.results,
            "nonconforming": self.nonconforming,
        })
    }

    fn total(&self) -> Duration {
        self.latencies.iter().sum()
    }

    /// The latency below which `fraction` of the records fall (nearest rank).
    fn percentile(&self, fraction: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let rank = (fraction * sorted.len() as f64).ceil() as usize;
        sorted
            .get(rank.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }

    fn print(&self, label: &str) {
        let seconds = self.total().as_secs_f64();
        println!("{label}:");
        println!(
            "  {:.0} records/s, {:.0} triples/s ({} validations, {} triples, {:.2} s validating)",
            self.records_per_second(),
            self.triples as f64 / seconds,
            self.latencies.len(),
            self.triples,
            seconds
        );
        println!(
            "  per record: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            millis(self.percentile(0.5)),
            millis(self.percentile(0.99)),
            millis(self.percentile(1.0))
        );
        println!(
            "  {} results, {} records with violations",
            self.results, self.nonconforming
        );
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Validates `count` generated records as they stream in; returns the timings, the wall time
/// and the first `sample` records.
fn generated(
    setup: &Setup<'_>,
    count: usize,
    sample: usize,
) -> BenchResult<(Timings, Duration, Vec<Record>)> {
    let start = Instant::now();
    let (sender, receiver) = sync_channel(CHUNKS_IN_FLIGHT);
    let options = GenerateOptions {
        triples: count as u64 * TRIPLES_PER_RECORD_BOUND,
        seed: SEED,
        base: BaseIri::parse(BASE_IRI)?,
    };
    let generator = thread::spawn(move || {
        let out = BufWriter::with_capacity(64 * 1024, ChannelWriter(sender));
        write_dataset(out, &options)
    });
    let stream = RecordStream::new(
        ChannelReader::new(receiver),
        RdfFormat::NQuads,
        "generated data set",
    );
    let mut timings = Timings::default();
    let mut kept = Vec::with_capacity(sample);
    for record in stream.take(count) {
        let record = record?;
        timings.validate(setup, record.triples())?;
        if kept.len() < sample {
            kept.push(record);
        }
    }
    // The stream (and with it the receiver) is gone: the generator's next write fails and it
    // stops. That error is the expected end, so it is not reported.
    let _ = generator.join();
    if timings.latencies.len() < count {
        return Err(format!(
            "the generator stopped after {} records",
            timings.latencies.len()
        )
        .into());
    }
    Ok((timings, start.elapsed(), kept))
}

/// The writing end of the generator's channel.
struct ChannelWriter(SyncSender<Vec<u8>>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the reader has stopped"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The reading end of the generator's channel; end of file when the generator is done.
struct ChannelReader {
    receiver: Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    position: usize,
}

impl ChannelReader {
    fn new(receiver: Receiver<Vec<u8>>) -> Self {
        Self {
            receiver,
            chunk: Vec::new(),
            position: 0,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.chunk.len() {
            match self.receiver.recv() {
                Ok(chunk) => {
                    self.chunk = chunk;
                    self.position = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let available = &self.chunk[self.position..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.position += n;
        Ok(n)
    }
}

/// One engine's figures for one sample and mode.
#[derive(Debug, Clone, Copy)]
struct Figures {
    records_per_second: f64,
    /// Per validation call: a record, or the whole sample in one graph.
    median_ms: f64,
    p99_ms: f64,
    results: usize,
}

impl Figures {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "records_per_s": self.records_per_second,
            "median_ms": self.median_ms,
            "p99_ms": self.p99_ms,
            "results": self.results,
        })
    }

    fn print(&self, engine: &str, mode: &str) {
        let latency = if mode == "per-record" {
            format!("median {:.3} ms, p99 {:.3} ms", self.median_ms, self.p99_ms)
        } else {
            format!("{:.1} ms for the graph", self.median_ms)
        };
        println!(
            "    {engine:<8} {:>9.1} records/s, {latency}, {} results",
            self.records_per_second, self.results
        );
    }
}

/// Validates the demo records and the generated sample with Agora and pySHACL, record by record
/// and as one graph, and prints the ratios.
fn compare(
    setup: &Setup<'_>,
    demo: &[Record],
    sample: &[Record],
    json: &mut suite_json::SuiteJson,
) -> BenchResult {
    println!("Agora and pySHACL on the same sample (validation time only):");
    let python = std::env::var("AGORA_BENCH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let check = Command::new(&python)
        .args(["-c", "import pyshacl"])
        .output();
    match check {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            println!(
                "  pySHACL is not installed for {python} ({}): comparison skipped",
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .last()
                    .unwrap_or("import failed")
            );
            return Ok(());
        }
        Err(error) => {
            println!("  {python} cannot be run ({error}): comparison skipped");
            return Ok(());
        }
    }
    let folder = tempfile::tempdir()?;
    let reference_file = folder.path().join("reference.nt");
    write_reference(&reference_file, setup.reference)?;
    let sets = [("demo", demo), ("generated sample", sample)];
    for (name, records) in sets {
        if records.is_empty() {
            continue;
        }
        let triples: usize = records.iter().map(|r| r.triples().len()).sum();
        println!("{name} ({} records, {triples} triples):", records.len());
        let data_file = folder.path().join(format!("{}.nq", name.replace(' ', "-")));
        write_records(&data_file, records)?;
        for mode in ["per-record", "whole"] {
            let ours = agora_figures(setup, records, mode)?;
            let theirs = pyshacl_figures(&python, &reference_file, &data_file, mode)?;
            println!("  {mode}:");
            ours.print("Agora", mode);
            theirs.print("pySHACL", mode);
            json.set(
                &format!("{name}, {mode}"),
                serde_json::json!({
                    "records": records.len(),
                    "triples": triples,
                    "agora": ours.json(),
                    "pyshacl": theirs.json(),
                    "ratio": ours.records_per_second / theirs.records_per_second,
                }),
            )?;
            println!(
                "    Agora/pySHACL in records/s: {:.0}x{}",
                ours.records_per_second / theirs.records_per_second,
                if ours.results == theirs.results {
                    String::new()
                } else {
                    " (the engines disagree on the number of results)".to_owned()
                }
            );
        }
    }
    Ok(())
}

/// Agora on a sample: record by record ([`SAMPLE_ROUNDS`] times over), or all records in one
/// data graph with the reference data as context.
fn agora_figures(setup: &Setup<'_>, records: &[Record], mode: &str) -> BenchResult<Figures> {
    let mut timings = Timings::default();
    let mut results = 0;
    for round in 0..SAMPLE_ROUNDS {
        if mode == "per-record" {
            for record in records {
                let report = timings.validate(setup, record.triples())?;
                if round == 0 {
                    results += report.results.len();
                }
            }
        } else {
            let start = Instant::now();
            let mut graph = DataGraph::from_triples(records.iter().flat_map(Record::triples));
            graph.add_context(setup.reference);
            let report = setup.shapes.validate(&graph)?;
            drop(graph);
            timings.add(start.elapsed(), 0, &report);
            results = report.results.len();
        }
    }
    let records_per_second = match mode {
        "per-record" => timings.records_per_second(),
        _ => timings.records_per_second() * records.len() as f64,
    };
    Ok(Figures {
        records_per_second,
        median_ms: millis(timings.percentile(0.5)),
        p99_ms: millis(timings.percentile(0.99)),
        results,
    })
}

/// pySHACL on the same sample, through `benches/pyshacl_validate.py`.
fn pyshacl_figures(
    python: &str,
    reference: &Path,
    data: &Path,
    mode: &str,
) -> BenchResult<Figures> {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(python)
        .arg(package.join("benches/pyshacl_validate.py"))
        .arg("--shapes")
        .args(offline_shapes_files(&package)?)
        .arg("--reference")
        .arg(reference)
        .arg("--data")
        .arg(data)
        .args(["--mode", mode])
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "pyshacl_validate.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let figures: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let number = |key: &str| {
        figures[key]
            .as_f64()
            .ok_or_else(|| format!("pyshacl_validate.py printed no {key}"))
    };
    Ok(Figures {
        records_per_second: number("records_per_second")?,
        median_ms: number("median_ms")?,
        p99_ms: number("p99_ms")?,
        results: number("results")? as usize,
    })
}

/// The files behind `agora::demo::shapes()`: every Turtle file of `shapes/` but the shapes that
/// only make sense with the stored data as context.
fn offline_shapes_files(package: &Path) -> BenchResult<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(package.join("shapes"))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if name.ends_with(".ttl") && name != agora::demo::IN_CONTEXT_SHAPES {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn write_reference(path: &Path, triples: &[Triple]) -> BenchResult {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples)
        .for_writer(BufWriter::new(File::create(path)?));
    for triple in triples {
        serializer.serialize_triple(triple)?;
    }
    serializer.finish()?.flush()?;
    Ok(())
}

/// Writes records as N-Quads, record `i` in graph `urn:x-agora-bench:record:i`.
fn write_records(path: &Path, records: &[Record]) -> BenchResult {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads)
        .for_writer(BufWriter::new(File::create(path)?));
    for (index, record) in records.iter().enumerate() {
        let graph = GraphName::from(NamedNode::new(format!("urn:x-agora-bench:record:{index}"))?);
        for triple in record.triples() {
            serializer.serialize_quad(&Quad::new(
                triple.subject.clone(),
                triple.predicate.clone(),
                triple.object.clone(),
                graph.clone(),
            ))?;
        }
    }
    serializer.finish()?.flush()?;
    Ok(())
}
