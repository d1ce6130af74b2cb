//! Dump files: the published data as gzip-compressed N-Quads (one named graph per record) and
//! Turtle (the published default graph), with their size, date and SHA-256 in an index.
//!
//! [`produce`] writes each file under a temporary name and renames it when complete, then
//! rewrites the index (`dumps.json`) and removes the files of older generations, so a reader of
//! the folder never sees a half-written dump. The store is read from one snapshot per file
//! (`Store::dump`), without blocking writes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use oxsdatatypes::DateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{DumpError, DumpFormat, Store};

/// The index file of a dump folder.
pub const INDEX: &str = "dumps.json";

/// One dump file, as the index and the catalogue describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpInfo {
    /// The file name in the dump folder (`agora-records-{time}.nq.gz`, `agora-{time}.ttl.gz`).
    pub file: String,
    /// The media type of the uncompressed content.
    pub media_type: String,
    /// What it holds, in English.
    pub description: String,
    /// Size of the compressed file, in bytes.
    pub byte_size: u64,
    /// SHA-256 of the compressed file, lowercase hex.
    pub sha256: String,
    /// When the dump was read from the store (`xsd:dateTime`).
    pub issued: String,
    /// Quads (N-Quads) or triples (Turtle) in it.
    pub statements: u64,
}

/// Why dump files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DumpFileError {
    /// Reading the store or writing the file failed.
    #[error(transparent)]
    Dump(#[from] DumpError),
    /// The folder could not be written.
    #[error("while writing dumps in {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The index could not be written or read.
    #[error("the dump index {path} is unreadable: {source}")]
    Index {
        /// The index file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> DumpFileError + '_ {
    move |source| DumpFileError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buffer)?;
        self.hasher.update(&buffer[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a fresh generation of dumps of `store` into `dir` and indexes it; returns it.
pub fn produce(store: &Store, dir: &Path) -> Result<Vec<DumpInfo>, DumpFileError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let now = DateTime::now();
    // File names sort by time and contain no colon (Windows, URLs).
    let stamp: String = now
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let plans = [
        (
            DumpFormat::RecordsNQuads,
            format!("agora-records-{stamp}.nq.gz"),
            "application/n-quads",
            "every published record in its own named graph",
        ),
        (
            DumpFormat::PublishedTurtle,
            format!("agora-{stamp}.ttl.gz"),
            "text/turtle",
            "the published data as one graph: records, code lists, ontology and version history",
        ),
    ];
    let mut infos = Vec::new();
    for (format, file, media_type, description) in plans {
        let path = dir.join(&file);
        let partial = dir.join(format!("{file}.partial"));
        let output = File::create(&partial).map_err(io_error(&partial))?;
        let hashing = Hashing {
            inner: BufWriter::new(output),
            hasher: Sha256::new(),
            bytes: 0,
        };
        let encoder = GzEncoder::new(hashing, Compression::default());
        let (encoder, statements) = store.dump(format, encoder)?;
        let mut hashing = encoder.finish().map_err(io_error(&partial))?;
        hashing.flush().map_err(io_error(&partial))?;
        hashing
            .inner
            .into_inner()
            .map_err(|error| io_error(&partial)(error.into_error()))?
            .sync_all()
            .map_err(io_error(&partial))?;
        std::fs::rename(&partial, &path).map_err(io_error(&path))?;
        infos.push(DumpInfo {
            file,
            media_type: media_type.to_owned(),
            description: description.to_owned(),
            byte_size: hashing.bytes,
            sha256: crate::model::hex(&hashing.hasher.finalize()),
            issued: now.to_string(),
            statements,
        });
    }
    write_index(dir, &infos)?;
    remove_others(dir, &infos);
    Ok(infos)
}

fn write_index(dir: &Path, infos: &[DumpInfo]) -> Result<(), DumpFileError> {
    let path = dir.join(INDEX);
    let partial = dir.join(format!("{INDEX}.partial"));
    let json = serde_json::to_vec_pretty(infos).map_err(|source| DumpFileError::Index {
        path: path.clone(),
        source,
    })?;
    std::fs::write(&partial, json).map_err(io_error(&partial))?;
    std::fs::rename(&partial, &path).map_err(io_error(&path))
}

/// Removes dump files of earlier generations (best effort: a file still being downloaded stays
/// readable on Unix until it is closed).
fn remove_others(dir: &Path, keep: &[DumpInfo]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dump = name.starts_with("agora-") && name.contains(".gz");
        if is_dump && !keep.iter().any(|info| info.file == name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The dumps indexed in `dir` (none if there is no index yet).
pub fn latest(dir: &Path) -> Result<Vec<DumpInfo>, DumpFileError> {
    let path = dir.join(INDEX);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error(&path)(error)),
    };
    serde_json::from_slice(&bytes).map_err(|source| DumpFileError::Index { path, source })
}
