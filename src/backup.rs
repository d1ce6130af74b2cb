//! Backups of a data folder and their restoration, without HTTP.
//!
//! A backup is a folder:
//!
//! - `store/`: a RocksDB checkpoint of the store ([`Store::backup`]): records, every version,
//!   the system graph (holders, hashes, write log) and the event log, consistent at one moment,
//!   taken while the store stays in use;
//! - `tokens`: a copy of the token file, if the server had one (as written: secrets or hashes;
//!   kept readable by its owner only);
//! - `backup.json`: the [`Manifest`] (when, which Agora, how many records and quads).
//!
//! The search index and the dumps are not in it: both are derived from the store, and restoring
//! rebuilds the index (a server would also rebuild it at start).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::BaseIri;
use crate::search::{SearchError, SearchIndex};
use crate::store::{Store, StoreError};

/// The version of the backup layout this Agora writes and reads.
pub const FORMAT: u32 = 1;
/// The store's folder inside a backup.
const STORE_DIR: &str = "store";
/// The token file's copy inside a backup.
const TOKENS_FILE: &str = "tokens";
/// The manifest's file inside a backup.
const MANIFEST_FILE: &str = "backup.json";

/// What a backup holds, written as `backup.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout version ([`FORMAT`]).
    pub format: u32,
    /// When the backup was taken (`xsd:dateTime`).
    pub created: String,
    /// The Agora version that wrote it.
    pub agora_version: String,
    /// Records in the backup (withdrawn and embargoed ones included).
    pub records: u64,
    /// Quads in the backup, every graph included.
    pub quads: u64,
    /// Whether the backup holds the token file.
    pub tokens: bool,
}

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The target exists already.
    #[error("{0} exists already; a backup or restore writes only into a new folder")]
    Exists(PathBuf),
    /// The folder is not a backup of this format.
    #[error("{path} is not an Agora backup ({problem})")]
    NotABackup {
        /// The folder.
        path: PathBuf,
        /// What is missing or wrong.
        problem: String,
    },
    /// The restored store does not hold what the manifest says.
    #[error("the restored store holds {found} quads, the backup's manifest says {expected}")]
    Mismatch {
        /// Quads the manifest lists.
        expected: u64,
        /// Quads found.
        found: u64,
    },
    /// A file operation failed.
    #[error("{action} {path}: {error}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index could not be rebuilt.
    #[error(transparent)]
    Search(#[from] SearchError),
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> BackupError + 'a {
    move |error| BackupError::Io {
        action,
        path: path.to_owned(),
        error,
    }
}

/// Backs up `store` (open, possibly serving) and the token file `tokens` into the new folder
/// `out`, then opens the copy to count what it holds.
pub fn write(
    store: &Store,
    tokens: Option<&Path>,
    out: &Path,
    base: &BaseIri,
) -> Result<Manifest, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.to_owned()));
    }
    std::fs::create_dir_all(out).map_err(io("cannot create", out))?;
    store.backup(&out.join(STORE_DIR))?;
    if let Some(tokens) = tokens {
        let copy = out.join(TOKENS_FILE);
        std::fs::copy(tokens, &copy).map_err(io("cannot copy the token file", tokens))?;
        owner_only(&copy)?;
    }
    let (records, quads) = {
        let copy = Store::open(&out.join(STORE_DIR), base)?;
        (copy.record_count()? as u64, copy.quad_count()?)
    };
    let manifest = Manifest {
        format: FORMAT,
        created: oxsdatatypes::DateTime::now().to_string(),
        agora_version: env!("CARGO_PKG_VERSION").to_owned(),
        records,
        quads,
        tokens: tokens.is_some(),
    };
    let path = out.join(MANIFEST_FILE);
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(&path, text).map_err(io("cannot write", &path))?;
    Ok(manifest)
}

/// Reads a backup's manifest.
pub fn manifest(backup: &Path) -> Result<Manifest, BackupError> {
    let path = backup.join(MANIFEST_FILE);
    let not_a_backup = |problem: String| BackupError::NotABackup {
        path: backup.to_owned(),
        problem,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|error| not_a_backup(format!("cannot read {MANIFEST_FILE}: {error}")))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|error| not_a_backup(format!("{MANIFEST_FILE}: {error}")))?;
    if manifest.format != FORMAT {
        return Err(not_a_backup(format!(
            "layout version {}, this Agora reads {FORMAT}",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// What a restore wrote.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup's manifest (its counts are checked against the restored store).
    pub manifest: Manifest,
    /// Where the token file was restored, if the backup held one.
    pub tokens: Option<PathBuf>,
    /// Documents in the rebuilt search index.
    pub search_documents: usize,
}

/// Restores `backup` into the new data folder `data` (and its token file to `tokens`, default
/// `data/tokens`), checks the restored store against the manifest, and rebuilds its search
/// index.
pub fn restore(
    backup: &Path,
    data: &Path,
    tokens: Option<&Path>,
    base: &BaseIri,
) -> Result<Restored, BackupError> {
    let manifest = manifest(backup)?;
    let is_empty_dir = std::fs::read_dir(data).is_ok_and(|mut entries| entries.next().is_none());
    if data.exists() && !is_empty_dir {
        return Err(BackupError::Exists(data.to_owned()));
    }
    copy_dir(&backup.join(STORE_DIR), data)?;
    let store = Store::open(data, base)?;
    let quads = store.quad_count()?;
    if quads != manifest.quads {
        return Err(BackupError::Mismatch {
            expected: manifest.quads,
            found: quads,
        });
    }
    let search = SearchIndex::open(&crate::app::search_folder(data))?;
    let report = search.rebuild(&store)?;
    let restored_tokens = if manifest.tokens {
        let target = tokens.map_or_else(|| data.join(TOKENS_FILE), Path::to_owned);
        let source = backup.join(TOKENS_FILE);
        std::fs::copy(&source, &target).map_err(io("cannot copy the token file", &source))?;
        owner_only(&target)?;
        Some(target)
    } else {
        None
    };
    Ok(Restored {
        manifest,
        tokens: restored_tokens,
        search_documents: report.documents,
    })
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(to).map_err(io("cannot create", to))?;
    for entry in std::fs::read_dir(from).map_err(io("cannot read", from))? {
        let entry = entry.map_err(io("cannot read", from))?;
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(io("cannot read", &entry.path()))?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io("cannot copy", &entry.path()))?;
        }
    }
    Ok(())
}

/// Makes `path` readable and writable by its owner only (a token file may hold secrets).
fn owner_only(path: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(io("cannot restrict", path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
