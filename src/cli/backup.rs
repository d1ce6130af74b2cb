//! `agora backup` and `agora restore`.
//!
//! A backup of a folder no process holds is taken offline. When a server holds it (RocksDB
//! allows one opener), `--url` asks that server to write the backup (`POST
//! /api/admin/backup`, admin token) into its backup folder, and the backup is then moved to
//! `--out` (renamed, or copied when `--out` is on another file system).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::{BackupArgs, RestoreArgs};
use crate::model::BaseIri;
use crate::store::{Store, StoreError};

/// Writes the backup, offline or through the server.
pub fn run(args: &BackupArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    let data = &args.store.data;
    anyhow::ensure!(data.is_dir(), "no data folder at {}", data.display());
    anyhow::ensure!(!args.out.exists(), "{} exists already", args.out.display());
    let manifest = match Store::open(data, &base) {
        Ok(store) => crate::backup::write(&store, args.token_file.as_deref(), &args.out, &base)
            .with_context(|| format!("while writing the backup {}", args.out.display()))?,
        Err(StoreError::Locked { .. }) if args.url.is_some() => through_server(args)?,
        Err(error @ StoreError::Locked { .. }) => {
            return Err(anyhow::Error::new(error).context(
                "a server holds the data folder: give its --url and an --admin-token-file",
            ))
        }
        Err(error) => return Err(error.into()),
    };
    writeln!(
        std::io::stdout().lock(),
        "backup written to {}: {} records, {} quads{}",
        args.out.display(),
        manifest.records,
        manifest.quads,
        if manifest.tokens {
            ", token file included"
        } else {
            ", no token file"
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Asks the server to write the backup, then moves it to `--out`.
fn through_server(args: &BackupArgs) -> anyhow::Result<crate::backup::Manifest> {
    let url = args.url.as_deref().unwrap_or_default();
    let token_file = args
        .admin_token_file
        .as_ref()
        .context("--url needs --admin-token-file")?;
    let token = std::fs::read_to_string(token_file)
        .with_context(|| format!("while reading {}", token_file.display()))?
        .lines()
        .next()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let endpoint = format!("{}/api/admin/backup", url.trim_end_matches('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("while starting the async runtime")?;
    let answer: serde_json::Value = runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(&endpoint)
            .bearer_auth(&token)
            .send()
            .await
            .with_context(|| format!("while calling {endpoint}"))?;
        let status = response.status();
        let text = response.text().await.context("while reading the answer")?;
        anyhow::ensure!(status.is_success(), "{endpoint} answered {status}: {text}");
        serde_json::from_str(&text).with_context(|| format!("the answer is not JSON: {text}"))
    })?;
    let written = std::path::PathBuf::from(answer["path"].as_str().unwrap_or_default());
    if std::fs::rename(&written, &args.out).is_err() {
        crate::backup::copy_dir(&written, &args.out)?;
        std::fs::remove_dir_all(&written)
            .with_context(|| format!("while removing {}", written.display()))?;
    }
    crate::backup::manifest(&args.out).map_err(Into::into)
}

/// Restores a backup into a new data folder.
pub fn restore(args: &RestoreArgs) -> anyhow::Result<ExitCode> {
    let base = BaseIri::parse(&args.store.base_iri)?;
    let restored = crate::backup::restore(
        &args.backup,
        &args.store.data,
        args.token_file.as_deref(),
        &base,
    )
    .with_context(|| format!("while restoring {}", args.backup.display()))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "restored {} records, {} quads (backup of {}) into {}; search index rebuilt ({} documents)",
        restored.manifest.records,
        restored.manifest.quads,
        restored.manifest.created,
        args.store.data.display(),
        restored.search_documents
    )?;
    if let Some(tokens) = restored.tokens {
        writeln!(
            stdout,
            "token file restored to {}: start the server with --token-file {}",
            tokens.display(),
            tokens.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
