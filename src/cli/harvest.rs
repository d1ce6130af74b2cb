//! `agora harvest URL --data DIR [--follow]`: mirrors another Agora into a data folder.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::HarvestArgs;
use crate::demo;
use crate::harvest::Harvester;
use crate::model::BaseIri;
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
    let harvester = Harvester::new(store, &args.holder, &args.store.data.join(STATE_FILE));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("while starting the HTTP client")?;
    let mut stdout = std::io::stdout().lock();
    loop {
        let summary = runtime
            .block_on(harvester.sync(&args.url))
            .with_context(|| format!("while harvesting {}", args.url))?;
        writeln!(
            stdout,
            "{}: {} pages read, {} records written, {} withdrawn",
            args.url, summary.pages, summary.written, summary.withdrawn
        )?;
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(std::time::Duration::from_secs(args.poll));
    }
}
