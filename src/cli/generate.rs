//! `agora generate`: writes a deterministic synthetic data set (N-Quads) for benchmarks and tests.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;

use crate::config::GenerateArgs;
use crate::generate::{write_dataset, GenerateOptions};
use crate::model::BaseIri;

/// Writes the data set to the chosen output.
pub fn run(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let options = GenerateOptions {
        triples: args.triples,
        seed: args.seed,
        base: BaseIri::parse(&args.base_iri)?,
    };
    let stats = if args.out.as_os_str() == "-" {
        let stdout = std::io::stdout().lock();
        let mut out = BufWriter::new(stdout);
        let stats = write_dataset(&mut out, &options)?;
        out.flush()?;
        stats
    } else {
        let file = File::create(&args.out)
            .with_context(|| format!("while creating {}", args.out.display()))?;
        let mut out = BufWriter::new(file);
        let stats = write_dataset(&mut out, &options)
            .with_context(|| format!("while writing {}", args.out.display()))?;
        out.flush()?;
        stats
    };
    tracing::info!(
        records = stats.records,
        triples = stats.triples,
        "data set generated"
    );
    Ok(ExitCode::SUCCESS)
}
