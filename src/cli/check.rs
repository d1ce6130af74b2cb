//! `agora check`: verifies a data folder offline and prints each problem.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::CheckArgs;
use crate::model::BaseIri;
use crate::push::Pusher;
use crate::search::SearchIndex;
use crate::store::Store;

/// Opens the folder (exit 2 when it cannot), checks it, prints the problems (exit 1 if any).
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    let data = &args.store.data;
    anyhow::ensure!(data.is_dir(), "no data folder at {}", data.display());
    let store = Store::open(data, &base)?;
    let search_dir = crate::app::search_folder(data);
    let search = if search_dir.is_dir() {
        Some(SearchIndex::open(&search_dir).context("while opening the search index")?)
    } else {
        None
    };
    let shapes = crate::demo::shapes_in_context().context("while loading the built-in shapes")?;
    let reference = crate::demo::reference_triples().context("while loading the reference data")?;
    let pusher = Pusher::new(store.clone(), shapes, reference);
    let mut stdout = std::io::stdout().lock();
    let mut write_error = None;
    let summary = crate::check::check(&store, search.as_ref(), &pusher, |problem| {
        if let Err(error) = writeln!(stdout, "problem: {problem}") {
            write_error.get_or_insert(error);
        }
    })
    .context("while checking the store")?;
    if let Some(error) = write_error {
        return Err(error.into());
    }
    if search.is_none() {
        writeln!(
            stdout,
            "note: no search index (a server builds it at start)"
        )?;
    }
    writeln!(
        stdout,
        "{}: {} records, {} versions hashed, {} events, {} quads compared, {} problems",
        if summary.problems == 0 {
            "clean"
        } else {
            "PROBLEMS"
        },
        summary.records,
        summary.versions,
        summary.events,
        summary.quads,
        summary.problems
    )?;
    Ok(if summary.problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
