//! The consumer of the Kaleidos publication producer: reads the list of delta files since the
//! last one consumed, downloads each in order (retrying with backoff), turns it into a push or
//! a withdrawal through [`Pusher`], and records its position after every file.
//!
//! A file that cannot be read, mapped, validated or written is **quarantined**: the file and a
//! report (why, with the validation report when there is one) are kept in
//! `{folder}/quarantine/`, and consumption goes on with the next file. Only a failure to reach
//! the producer (after the retries) or a failing store stops a pass; the next pass starts at the
//! same file.
//!
//! The position is the `created` time of the last file consumed and the ids of the files
//! consumed at that time. The producer lists files created strictly after `since`, so the
//! consumer asks from one second earlier and skips what it has: files that share a timestamp
//! are neither lost nor applied twice.

use std::path::{Path, PathBuf};
use std::time::Duration;

use oxsdatatypes::{DateTime, DayTimeDuration};
use serde::{Deserialize, Serialize};

use crate::kaleidos::{delta, mapping, mapping::Publication};
use crate::push::{PushError, Pusher};
use crate::store::{Precondition, WriteError};

/// The state file inside the consumer's folder.
pub const STATE_FILE: &str = "state.json";
/// The quarantine folder inside the consumer's folder.
pub const QUARANTINE: &str = "quarantine";

/// One file as the producer lists it (JSON:API resource of type `files`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// `files`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The file's uuid.
    pub id: String,
    /// Name and creation time.
    pub attributes: FileAttributes,
}

/// The attributes of a listed file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileAttributes {
    /// `delta-<timestamp>.json`.
    pub name: String,
    /// ISO date and time of creation.
    pub created: String,
}

/// The producer's answer to `GET /publications?since=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileList {
    /// The files, oldest first.
    pub data: Vec<FileEntry>,
}

/// Where the consumer stands.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConsumerState {
    /// The `created` time of the last file consumed.
    pub since: Option<String>,
    /// The ids of the files consumed whose `created` is `since`.
    pub consumed_at_since: Vec<String>,
    /// Files consumed in all, quarantined ones included.
    pub files: u64,
}

/// A quarantined file, as operators see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuarantineEntry {
    /// The file's id at the producer.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its creation time at the producer.
    pub created: String,
    /// When Agora quarantined it.
    pub quarantined: String,
    /// Why, in one line.
    pub reason: String,
    /// The validation reports (JSON form), when validation refused it.
    pub reports: Vec<serde_json::Value>,
    /// Where the file is kept, relative to the quarantine folder.
    pub file: String,
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Files read.
    pub files: u64,
    /// Publications written as a new version (created or replaced).
    pub published: u64,
    /// Publications identical to the stored version.
    pub unchanged: u64,
    /// Unpublishes applied.
    pub withdrawn: u64,
    /// Files quarantined in this pass.
    pub quarantined: Vec<QuarantineEntry>,
}

/// Why a pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum ConsumerError {
    /// The producer could not be reached, or answered an error, after the retries.
    #[error("while fetching {url} ({attempts} attempts): {source}")]
    Http {
        /// The URL.
        url: String,
        /// How many times it was tried.
        attempts: u32,
        /// The last cause.
        source: reqwest::Error,
    },
    /// The producer answered a client error (4xx other than 408 and 429): retrying cannot help.
    #[error("{url} answers {status}")]
    Refused {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The file list is not the producer's JSON.
    #[error("the file list at {url} is not JSON:API files: {message}")]
    List {
        /// The URL.
        url: String,
        /// The parser's message.
        message: String,
    },
    /// The store failed (not a refusal of the data).
    #[error("the store failed: {0}")]
    Store(String),
    /// The state or quarantine folder could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// How downloads are retried: `attempts` tries, waiting `first_delay`, then twice as long each
/// time.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all (at least 1).
    pub attempts: u32,
    /// The wait after the first failure.
    pub first_delay: Duration,
}

impl Default for Retry {
    /// Five tries over about 7.5 seconds: a producer restart or a proxy hiccup passes, a
    /// producer that is down stops the pass (the next poll tries again).
    fn default() -> Self {
        Self {
            attempts: 5,
            first_delay: Duration::from_millis(500),
        }
    }
}

/// Consumes a Kaleidos producer into Agora.
pub struct Consumer {
    client: reqwest::Client,
    pusher: Pusher,
    holder: String,
    folder: PathBuf,
    source: String,
    retry: Retry,
}

impl Consumer {
    /// A consumer of the producer at `source` (such as `https://publications.kaleidos.vlaanderen.be`),
    /// writing as `holder` through `pusher`, keeping its state and quarantine in `folder`.
    pub fn new(pusher: Pusher, holder: &str, source: &str, folder: &Path) -> Self {
        Self {
            client: reqwest::Client::new(),
            pusher,
            holder: holder.to_owned(),
            folder: folder.to_owned(),
            source: source.trim_end_matches('/').to_owned(),
            retry: Retry::default(),
        }
    }

    /// The same consumer with another retry policy.
    pub fn with_retry(self, retry: Retry) -> Self {
        Self { retry, ..self }
    }

    /// Consumes every file listed since the last one consumed, in order.
    pub async fn sync(&self) -> Result<Summary, ConsumerError> {
        let mut state = self.load_state()?;
        let files = self.list(&state).await?;
        let mut summary = Summary::default();
        for file in files {
            if self.done(&state, &file) {
                continue;
            }
            let url = format!("{}/files/{}/download", self.source, file.id);
            summary.files += 1;
            match self.fetch(&url).await {
                Ok(bytes) => self.apply(&file, bytes, &mut summary).await?,
                // The producer lists the file but refuses it for good (404, 410...): waiting
                // would block every later file, so it is quarantined like a bad file.
                Err(ConsumerError::Refused { status, .. }) => {
                    let reason = format!("the producer answers {status} for {url}");
                    self.quarantine(&file, &[], reason, Vec::new(), &mut summary)?;
                }
                Err(error) => return Err(error),
            }
            if state.since.as_deref() == Some(file.attributes.created.as_str()) {
                state.consumed_at_since.push(file.id.clone());
            } else {
                state.since = Some(file.attributes.created.clone());
                state.consumed_at_since = vec![file.id.clone()];
            }
            state.files += 1;
            self.save_state(&state)?;
        }
        Ok(summary)
    }

    fn done(&self, state: &ConsumerState, file: &FileEntry) -> bool {
        let Some(since) = &state.since else {
            return false;
        };
        match (parse_time(since), parse_time(&file.attributes.created)) {
            (Some(since), Some(created)) if created < since => true,
            (Some(since), Some(created)) if created == since => {
                state.consumed_at_since.contains(&file.id)
            }
            _ => false,
        }
    }

    async fn list(&self, state: &ConsumerState) -> Result<Vec<FileEntry>, ConsumerError> {
        let since = state
            .since
            .as_deref()
            .and_then(parse_time)
            .and_then(|time| time.checked_sub_day_time_duration(DayTimeDuration::new(1)))
            .map_or_else(
                || "1970-01-01T00:00:00Z".to_owned(),
                |time| time.to_string(),
            );
        let url = format!(
            "{}/publications?{}",
            self.source,
            form_urlencoded::Serializer::new(String::new())
                .append_pair("since", &since)
                .finish()
        );
        let bytes = self.fetch(&url).await?;
        let list: FileList =
            serde_json::from_slice(&bytes).map_err(|error| ConsumerError::List {
                url: url.clone(),
                message: error.to_string(),
            })?;
        let mut files = list.data;
        // Files must be consumed in order; the producer lists them oldest first, and a stable
        // sort on the time keeps its order among equal times.
        files.sort_by(|a, b| {
            parse_time(&a.attributes.created)
                .partial_cmp(&parse_time(&b.attributes.created))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        Ok(files)
    }

    async fn fetch(&self, url: &str) -> Result<Vec<u8>, ConsumerError> {
        let mut delay = self.retry.first_delay;
        let mut attempt = 1;
        loop {
            let response = self
                .client
                .get(url)
                .header("Accept", "application/vnd.api+json, application/json")
                .send()
                .await;
            if let Ok(response) = &response {
                let status = response.status();
                if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
                    return Err(ConsumerError::Refused {
                        url: url.to_owned(),
                        status: status.as_u16(),
                    });
                }
            }
            let outcome = match response.and_then(reqwest::Response::error_for_status) {
                Ok(response) => response.bytes().await,
                Err(error) => Err(error),
            };
            match outcome {
                Ok(bytes) => return Ok(bytes.to_vec()),
                Err(source) if attempt >= self.retry.attempts.max(1) => {
                    return Err(ConsumerError::Http {
                        url: url.to_owned(),
                        attempts: attempt,
                        source,
                    })
                }
                Err(error) => {
                    tracing::warn!(url, attempt, error = %error, "download failed, retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                }
            }
        }
    }

    async fn apply(
        &self,
        file: &FileEntry,
        bytes: Vec<u8>,
        summary: &mut Summary,
    ) -> Result<(), ConsumerError> {
        let publication = delta::parse(&bytes)
            .map_err(|error| error.to_string())
            .and_then(|triples| mapping::map(triples).map_err(|error| error.to_string()));
        let publication = match publication {
            Ok(publication) => publication,
            Err(reason) => return self.quarantine(file, &bytes, reason, Vec::new(), summary),
        };
        let (pusher, holder) = (self.pusher.clone(), self.holder.clone());
        let name = file.attributes.name.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            apply_blocking(&pusher, &holder, &name, publication)
        })
        .await
        .map_err(|error| ConsumerError::Store(error.to_string()))?;
        match outcome {
            Applied::Published => summary.published += 1,
            Applied::Unchanged => summary.unchanged += 1,
            Applied::Withdrawn => summary.withdrawn += 1,
            Applied::Nothing => {}
            Applied::Refused { reason, reports } => {
                return self.quarantine(file, &bytes, reason, reports, summary)
            }
            Applied::Failed(message) => return Err(ConsumerError::Store(message)),
        }
        Ok(())
    }

    fn quarantine(
        &self,
        file: &FileEntry,
        bytes: &[u8],
        reason: String,
        reports: Vec<serde_json::Value>,
        summary: &mut Summary,
    ) -> Result<(), ConsumerError> {
        let folder = self.folder.join(QUARANTINE);
        std::fs::create_dir_all(&folder).map_err(|error| io_error(&folder, error))?;
        let stem: String = file
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let data_name = format!("{stem}.json");
        let entry = QuarantineEntry {
            id: file.id.clone(),
            name: file.attributes.name.clone(),
            created: file.attributes.created.clone(),
            quarantined: DateTime::now().to_string(),
            reason,
            reports,
            file: data_name,
        };
        write_atomically(&folder.join(&entry.file), bytes)?;
        let report = serde_json::to_vec_pretty(&entry).map_err(|error| io_error(&folder, error))?;
        write_atomically(&folder.join(format!("{stem}.report.json")), &report)?;
        tracing::warn!(file = %file.id, name = %file.attributes.name, reason = %entry.reason, "publication quarantined");
        summary.quarantined.push(entry);
        Ok(())
    }

    fn load_state(&self) -> Result<ConsumerState, ConsumerError> {
        let path = self.folder.join(STATE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| io_error(&path, error)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(ConsumerState::default())
            }
            Err(error) => Err(io_error(&path, error)),
        }
    }

    fn save_state(&self, state: &ConsumerState) -> Result<(), ConsumerError> {
        std::fs::create_dir_all(&self.folder).map_err(|error| io_error(&self.folder, error))?;
        let path = self.folder.join(STATE_FILE);
        let json = serde_json::to_vec_pretty(state).map_err(|error| io_error(&path, error))?;
        write_atomically(&path, &json)
    }
}

enum Applied {
    Published,
    Unchanged,
    Withdrawn,
    Nothing,
    Refused {
        reason: String,
        reports: Vec<serde_json::Value>,
    },
    Failed(String),
}

fn apply_blocking(pusher: &Pusher, holder: &str, name: &str, publication: Publication) -> Applied {
    match publication {
        Publication::Unpublish { meeting } => {
            let reason = format!("unpublished by Kaleidos ({name})");
            match pusher.withdraw(holder, meeting.as_ref(), &reason) {
                Ok(_) => Applied::Withdrawn,
                // Never published here, or withdrawn already (a resumed file): nothing to do.
                Err(WriteError::NotFound { .. } | WriteError::AlreadyWithdrawn { .. }) => {
                    Applied::Nothing
                }
                Err(WriteError::Store(error)) => Applied::Failed(error.to_string()),
                Err(error) => Applied::Refused {
                    reason: error.to_string(),
                    reports: Vec::new(),
                },
            }
        }
        Publication::Release(mapped) => {
            if !mapped.notes.is_empty() {
                tracing::debug!(root = %mapped.record.root(), notes = ?mapped.notes, "kaleidos mapping applied");
            }
            match pusher.push(holder, vec![mapped.record], Precondition::None) {
                Ok(receipts) => {
                    if receipts
                        .iter()
                        .all(|receipt| receipt.outcome == crate::store::PutOutcome::Unchanged)
                    {
                        Applied::Unchanged
                    } else {
                        Applied::Published
                    }
                }
                Err(PushError::Invalid(reports)) => Applied::Refused {
                    reason: format!(
                        "{} violation(s) of the shapes",
                        reports.iter().map(|r| r.report.violation_count()).sum::<usize>()
                    ),
                    reports: reports
                        .iter()
                        .map(|r| {
                            serde_json::json!({"root": r.root.as_str(), "report": r.report.to_json()})
                        })
                        .collect(),
                },
                Err(PushError::Store(error)) => Applied::Failed(error.to_string()),
                Err(PushError::Write(WriteError::Store(error))) => Applied::Failed(error.to_string()),
                Err(error) => Applied::Refused {
                    reason: error.to_string(),
                    reports: Vec::new(),
                },
            }
        }
    }
}

/// The quarantined files in `folder` (the consumer's folder), oldest first.
pub fn list_quarantine(folder: &Path) -> Result<Vec<QuarantineEntry>, ConsumerError> {
    let folder = folder.join(QUARANTINE);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error(&folder, error)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| io_error(&folder, error))?.path();
        if !path.to_string_lossy().ends_with(".report.json") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
        let report: QuarantineEntry =
            serde_json::from_slice(&bytes).map_err(|error| io_error(&path, error))?;
        out.push(report);
    }
    out.sort_by(|a, b| (&a.created, &a.id).cmp(&(&b.created, &b.id)));
    Ok(out)
}

fn parse_time(text: &str) -> Option<DateTime> {
    text.parse().ok()
}

fn io_error(path: &Path, error: impl std::fmt::Display) -> ConsumerError {
    ConsumerError::Io {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

/// Writes to a temporary file and renames it, so a crash leaves the old file or the new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ConsumerError> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).map_err(|error| io_error(&partial, error))?;
    std::fs::rename(&partial, path).map_err(|error| io_error(path, error))
}
