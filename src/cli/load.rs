//! `agora load`: puts RDF files into a data folder, offline.
//!
//! Into a store that holds no record yet, N-Quads and TriG files go through Oxigraph's bulk loader,
//! streamed one record at a time (fast; not atomic: a failed load leaves a partial store to delete).
//! Otherwise each file is one transaction that replaces the records it holds. The search index
//! of the folder is rebuilt from the store at the end.
//!
//! With `--dataset NAME` the files are an external reference dataset instead (N-Triples or
//! Turtle, not records): bulk loaded into `{base}/graph/dataset/NAME` and the published default
//! graph by `Store::bulk_load_dataset`, without validation.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use oxigraph::io::RdfFormat;

use crate::config::LoadArgs;
use crate::demo;
use crate::ingest::{format_of_path, parse_records, triple_stream, IngestError, RecordStream};
use crate::model::BaseIri;
use crate::search::SearchIndex;
use crate::store::{PutOutcome, Store};

/// Loads every file, in order.
pub fn run(args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    std::fs::create_dir_all(&args.store.data)
        .with_context(|| format!("while creating {}", args.store.data.display()))?;
    let store = Store::open(&args.store.data, &base)?;
    demo::load(&store, false).context("while loading the reference data")?;
    let started = Instant::now();
    let mut stdout = std::io::stdout().lock();
    match &args.dataset {
        Some(name) => load_dataset(&store, name, &args.files, &mut stdout)?,
        None => load_records(&store, args, &mut stdout)?,
    }
    store.optimize().context("while compacting the store")?;
    let folder = crate::app::search_folder(&args.store.data);
    let search = SearchIndex::open(&folder).context("while opening the search index")?;
    let report = search
        .rebuild(&store)
        .context("while rebuilding the search index")?;
    writeln!(
        stdout,
        "search index: {} documents in {} ({:.1} s)",
        report.documents,
        folder.display(),
        report.elapsed.as_secs_f64()
    )?;
    writeln!(
        stdout,
        "{} records, {} published triples in {} ({:.1} s)",
        store.record_count()?,
        store.published_triple_count()?,
        args.store.data.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Loads each file as records, in order.
fn load_records(store: &Store, args: &LoadArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    for path in &args.files {
        let format = format_of_path(path).ok_or_else(|| IngestError::UnknownFormat {
            source_name: path.display().to_string(),
        })?;
        let name = path.display().to_string();
        if format.supports_datasets() && store.record_count()? == 0 {
            let file = File::open(path).map_err(|error| IngestError::Io {
                source_name: name.clone(),
                error,
            })?;
            let records = RecordStream::new(BufReader::new(file), format, &name);
            let count = store
                .bulk_load(&args.holder, records, |_| {})
                .with_context(|| format!("while bulk loading {name}"))?;
            writeln!(stdout, "{name}: {count} records bulk loaded")?;
        } else {
            let outcomes = load_file(store, &args.holder, path, format, &name)?;
            let created = outcomes
                .iter()
                .filter(|o| **o == PutOutcome::Created)
                .count();
            let replaced = outcomes
                .iter()
                .filter(|o| **o == PutOutcome::Replaced)
                .count();
            let unchanged = outcomes.len() - created - replaced;
            writeln!(
                stdout,
                "{name}: {created} created, {replaced} replaced, {unchanged} unchanged"
            )?;
        }
    }
    Ok(())
}

/// Bulk loads `files` as the external dataset `name`, all in one load.
fn load_dataset(
    store: &Store,
    name: &str,
    files: &[std::path::PathBuf],
    stdout: &mut impl Write,
) -> anyhow::Result<()> {
    let graph = store
        .graph_names()
        .dataset_graph(name)
        .with_context(|| format!("{name:?} cannot name a dataset"))?;
    let mut readers = Vec::new();
    for path in files {
        let source_name = path.display().to_string();
        let format = format_of_path(path)
            .filter(|format| matches!(format, RdfFormat::NTriples | RdfFormat::Turtle));
        let Some(format) = format else {
            anyhow::bail!(
                "{source_name}: a dataset is loaded from N-Triples (.nt) or Turtle (.ttl) files"
            );
        };
        let file = File::open(path).map_err(|error| IngestError::Io {
            source_name: source_name.clone(),
            error,
        })?;
        readers.push((BufReader::new(file), format, source_name));
    }
    let triples = readers
        .into_iter()
        .flat_map(|(reader, format, source_name)| triple_stream(reader, format, &source_name));
    let count = store
        .bulk_load_dataset(graph.as_ref(), triples, |_| {})
        .with_context(|| format!("while loading the dataset <{}>", graph.as_str()))?;
    writeln!(
        stdout,
        "dataset {name}: {count} triples bulk loaded into <{}>",
        graph.as_str()
    )?;
    Ok(())
}

fn load_file(
    store: &Store,
    holder: &str,
    path: &Path,
    format: RdfFormat,
    name: &str,
) -> anyhow::Result<Vec<PutOutcome>> {
    let data = std::fs::read(path).map_err(|error| IngestError::Io {
        source_name: name.to_owned(),
        error,
    })?;
    let records = parse_records(&data, format, name)?;
    Ok(store
        .put_records(holder, &records)?
        .into_iter()
        .map(|receipt| receipt.outcome)
        .collect())
}
