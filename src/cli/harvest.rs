//! `agora harvest URL --data DIR [--follow]`: mirrors another Agora into a data folder;
//! `agora harvest --kaleidos URL --data DIR [--follow]`: consumes a Kaleidos publication producer.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::HarvestArgs;
use crate::demo;
use crate::harvest::Harvester;
use crate::kaleidos::consumer::{Consumer, QuarantineEntry, Summary};
use crate::model::BaseIri;
use crate::push::Pusher;
use crate::store::Store;

/// The file, inside the data folder, that keeps the harvest position.
pub const STATE_FILE: &str = "harvest-state.json";

/// Harvests once, or keeps following with `--follow`.
pub fn run(args: &HarvestArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    std::fs::create_dir_all(&args.store.data)
        .with_context(|| format!("while creating {}", args.store.data.display()))?;
    let store = Store::open(&args.store.data, &base)?;
    demo::load(&store, false).context("while loading the reference data")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("while starting the HTTP client")?;
    match (&args.kaleidos, &args.url) {
        (Some(producer), _) => kaleidos(args, store, producer, &runtime),
        (None, Some(url)) => agora(args, store, url, &runtime),
        (None, None) => anyhow::bail!("give the Agora to mirror, or --kaleidos URL"),
    }
}

fn agora(
    args: &HarvestArgs,
    store: Store,
    url: &str,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<ExitCode> {
    let holder = args.holder.as_deref().unwrap_or("harvest");
    let harvester = Harvester::new(store, holder, &args.store.data.join(STATE_FILE));
    let mut stdout = std::io::stdout().lock();
    loop {
        let summary = runtime
            .block_on(harvester.sync(url))
            .with_context(|| format!("while harvesting {url}"))?;
        writeln!(
            stdout,
            "{}: {} pages read, {} records written, {} withdrawn",
            url, summary.pages, summary.written, summary.withdrawn
        )?;
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(std::time::Duration::from_secs(args.poll));
    }
}

fn kaleidos(
    args: &HarvestArgs,
    store: Store,
    producer: &str,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<ExitCode> {
    let holder = args.holder.as_deref().unwrap_or("kaleidos");
    let shapes = demo::shapes_in_context().context("while loading the built-in shapes")?;
    let reference = demo::reference_triples().context("while loading the reference data")?;
    let pusher = Pusher::new(store, shapes, reference);
    let folder = args.store.data.join(crate::kaleidos::FOLDER);
    let consumer = Consumer::new(pusher, holder, producer, &folder);
    let mut stdout = std::io::stdout().lock();
    loop {
        let started = std::time::Instant::now();
        let summary = runtime
            .block_on(consumer.sync())
            .with_context(|| format!("while consuming {producer}"))?;
        print_summary(&mut stdout, producer, &summary, started.elapsed())?;
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(std::time::Duration::from_secs(args.poll));
    }
}

fn print_summary(
    out: &mut impl Write,
    producer: &str,
    summary: &Summary,
    elapsed: std::time::Duration,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{producer}: {} files read, {} publications written, {} unchanged, {} withdrawn, {} quarantined ({:.1} s)",
        summary.files,
        summary.published,
        summary.unchanged,
        summary.withdrawn,
        summary.quarantined.len(),
        elapsed.as_secs_f64()
    )?;
    for entry in &summary.quarantined {
        print_quarantined(out, entry)?;
    }
    Ok(())
}

fn print_quarantined(out: &mut impl Write, entry: &QuarantineEntry) -> std::io::Result<()> {
    writeln!(
        out,
        "quarantined {} ({}, created {}): {}; kept as {}",
        entry.id,
        entry.name,
        entry.created,
        entry.reason,
        crate::kaleidos::FOLDER.to_owned()
            + "/"
            + crate::kaleidos::consumer::QUARANTINE
            + "/"
            + &entry.file
    )?;
    for report in &entry.reports {
        let results = report["report"]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for result in results {
            let message = result["messages"]
                .as_array()
                .and_then(|messages| messages.first())
                .and_then(|message| message["text"].as_str())
                .unwrap_or("");
            writeln!(
                out,
                "  {} {}: {}",
                result["focusNode"].as_str().unwrap_or(""),
                result["path"].as_str().unwrap_or(""),
                message
            )?;
        }
    }
    Ok(())
}
