//! `agora dump`: writes dumps of a data folder's published data, offline.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::DumpArgs;
use crate::feed::dump;
use crate::model::BaseIri;
use crate::store::Store;

/// Writes one generation of dumps into `--out` and prints what was written.
pub fn run(args: &DumpArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    anyhow::ensure!(
        args.store.data.is_dir(),
        "no data folder at {}",
        args.store.data.display()
    );
    let store = Store::open(&args.store.data, &base)?;
    let written = dump::produce(&store, &args.out)
        .with_context(|| format!("while writing dumps into {}", args.out.display()))?;
    let mut stdout = std::io::stdout().lock();
    for info in written {
        writeln!(
            stdout,
            "{}: {} statements, {} bytes, sha256 {}",
            args.out.join(&info.file).display(),
            info.statements,
            info.byte_size,
            info.sha256
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
