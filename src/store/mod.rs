//! The store: the only module that touches Oxigraph's `Store`.
//!
//! Layout of the data (see ARCHITECTURE.md):
//!
//! - each record lives in its own named graph (`GraphNames::record_graph`);
//! - code lists and the ontology live in the reference graph;
//! - the system graph says which graph holds which record root, of what kind, changed when;
//! - the **default graph is the published data**: the union of every public graph (records and
//!   reference data), materialised. Queries on the default graph therefore cost what they cost
//!   on a single plain graph, however many records there are; the price is that each published
//!   triple is stored twice, and that a write must keep the copy exact. A triple leaves the
//!   default graph only when no other public graph still states it.
//!
//! Invariant: all writes go through one mutex (`write_lock`). Oxigraph's RocksDB backend does not
//! detect every write-write conflict, and keeping the default graph exact needs a consistent view
//! of the other graphs, so writes are serialised here rather than trusted to the backend.
//!
//! The quads live in the embedded Oxigraph store or in a remote SPARQL store (`remote.rs`); the
//! rest of the module reads and writes through `backend::{Read, Tx, View}` and does not know which.
//! Writes to a remote store are serialised across Agora instances by a compare-and-swap on the
//! store's generation (see `remote.rs`), since the local mutex only serialises this instance.

mod around;
mod backend;
mod changes;
mod dump;
mod events;
mod http;
mod integrity;
mod query;
mod records;
mod remote;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, Triple,
};
use oxigraph::store::StorageError;
use oxsdatatypes::DateTime;
use uuid::Uuid;

use crate::model::{vocab, BaseIri, Collection, GraphNames, Record};

pub use around::Published;
pub use changes::ChangeMarker;
pub use dump::{DumpError, DumpFormat};
pub use events::{Event, EventKind, EventWithContent};
pub use integrity::PublishedDifference;
pub use records::{
    Precondition, PrepareError, RecordState, RecordWrite, VersionInfo, WriteError, WriteReceipt,
};

pub use query::{
    parse_query, query_form, QueryError, QueryOptions, ResultFormat, Row, Rows, Table,
};
pub use remote::RemoteEndpoints;

use backend::{Read, Tx, View};
use remote::RemoteStore;

/// A cheap, cloneable handle on the store. `Send + Sync`.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    names: Arc<GraphNames>,
    write_lock: Arc<Mutex<()>>,
}

/// Where the quads are.
#[derive(Clone)]
enum Backend {
    /// Oxigraph embedded in this process (RocksDB on disk, or in memory).
    Embedded(Embedded),
    /// A remote store reached through the SPARQL protocol.
    Remote(Arc<RemoteStore>),
}

/// The embedded Oxigraph store.
#[derive(Clone)]
struct Embedded {
    /// Oxigraph's store; replaced only by [`Store::recover`] (reads take a clone, briefly).
    inner: Arc<RwLock<oxigraph::store::Store>>,
    /// The folder of an on-disk store, to reopen it after a failed write.
    path: Option<Arc<PathBuf>>,
    /// Set when a write failed because the disk was full: RocksDB then refuses every later
    /// write (its background error) until the store is reopened.
    broken: Arc<AtomicBool>,
}

impl Embedded {
    /// Oxigraph's store, for one operation. Nothing keeps it longer: [`Store::recover`] can only
    /// reopen the folder once every handle on the old one is gone.
    fn db(&self) -> oxigraph::store::Store {
        match self.inner.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// How many times a write to a remote store is tried again when other writers commit first.
const REMOTE_WRITE_ATTEMPTS: u32 = 30;
/// How many times a snapshot read of a remote store is tried again when a write lands during it.
const REMOTE_SNAPSHOT_ATTEMPTS: u32 = 10;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another process holds the data folder.
    #[error(
        "the data folder {path} is in use by another Agora process (a running `agora serve`?): \
         stop that process first, or send the data through its HTTP API"
    )]
    Locked {
        /// The data folder.
        path: PathBuf,
    },
    /// The storage backend failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The write lock was poisoned by a panic in another writer.
    #[error("the store's write lock is poisoned by an earlier panic; restart Agora")]
    Poisoned,
    /// The remote store failed, could not be reached or answered something unexpected.
    #[error("the remote store failed: {0}")]
    Remote(String),
    /// The remote store did not answer within the query time limit.
    #[error("the remote store did not answer within the query time limit")]
    RemoteTimeout,
    /// The operation needs the embedded store.
    #[error("{0} is not supported on a remote store")]
    RemoteUnsupported(&'static str),
    /// Other Agora instances kept committing first.
    #[error(
        "the remote store kept changing under this write ({0} attempts): other writers commit \
         too often; try again"
    )]
    Contention(u32),
    /// Another Agora instance held the remote store's write lock all along.
    #[error(
        "another Agora instance held the remote store's write lock for {0} s: it is writing a \
         lot, or stopped while writing (its claim is removed after a while); try again"
    )]
    LockBusy(u64),
    /// This build has no on-disk store (built without the `rocksdb` feature, as the fuzz
    /// targets are).
    #[error(
        "this build of Agora has no on-disk store (built without the `rocksdb` feature); \
         use an in-memory store or a build with default features"
    )]
    NoDiskStore,
}

impl StoreError {
    /// Whether a remote store could not be reached, did not answer in time, or kept changing
    /// under a write: worth trying again later. A write that failed so was not stored, unless
    /// the store failed after applying its update and before confirming it (see
    /// `store::remote`, the commit token).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Remote(_) | Self::RemoteTimeout | Self::Contention(_) | Self::LockBusy(_)
        )
    }

    /// Whether the storage backend failed because its disk is full (RocksDB's "No space left on
    /// device" or "Space limit reached"): nothing of the write was stored, and the store stays
    /// usable once space is freed.
    pub fn is_disk_full(&self) -> bool {
        match self {
            Self::Storage(StorageError::Io(error)) => {
                error.kind() == std::io::ErrorKind::StorageFull
                    || error.to_string().contains("No space left on device")
            }
            Self::Storage(other) => other.to_string().contains("No space left on device"),
            _ => false,
        }
    }
}

/// Writes and removes a probe file of 4 MiB in `dir`, synced: whether a write would fit now.
#[cfg(feature = "rocksdb")]
fn probe_space(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let probe = dir.join(".agora-space-probe");
    let outcome = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&vec![0; 4 << 20])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    outcome
}

impl AsRef<StoreError> for StoreError {
    fn as_ref(&self) -> &StoreError {
        self
    }
}

/// What a record write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The record did not exist.
    Created,
    /// The record existed with other content and was replaced.
    Replaced,
    /// The record existed with exactly this content; nothing was written.
    Unchanged,
}

impl Store {
    /// Opens (or creates) the on-disk store in `path`.
    #[cfg(feature = "rocksdb")]
    pub fn open(path: &Path, base: &BaseIri) -> Result<Self, StoreError> {
        let inner = oxigraph::store::Store::open(path).map_err(|error| {
            if error.to_string().to_ascii_lowercase().contains("lock") {
                StoreError::Locked {
                    path: path.to_owned(),
                }
            } else {
                StoreError::Storage(error)
            }
        })?;
        let mut store = Self::from_inner(inner, base);
        if let Backend::Embedded(embedded) = &mut store.backend {
            embedded.path = Some(Arc::new(path.to_owned()));
        }
        Ok(store)
    }

    /// Without the `rocksdb` feature there is no on-disk store: always
    /// [`StoreError::NoDiskStore`].
    #[cfg(not(feature = "rocksdb"))]
    pub fn open(_path: &Path, _base: &BaseIri) -> Result<Self, StoreError> {
        Err(StoreError::NoDiskStore)
    }

    /// A fresh in-memory store, for tests and `agora serve --memory`.
    pub fn in_memory(base: &BaseIri) -> Result<Self, StoreError> {
        Ok(Self::from_inner(oxigraph::store::Store::new()?, base))
    }

    /// Connects to a remote store through the SPARQL protocol (see `store::remote`). Blocks:
    /// call it on a blocking thread. `query_timeout` bounds each query sent to it.
    pub fn remote(
        endpoints: RemoteEndpoints,
        base: &BaseIri,
        query_timeout: std::time::Duration,
    ) -> Result<Self, StoreError> {
        let names = GraphNames::new(base);
        let remote = RemoteStore::connect(endpoints, &names, query_timeout)?;
        Ok(Self {
            backend: Backend::Remote(Arc::new(remote)),
            names: Arc::new(names),
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    /// Whether the data lives in a remote store.
    pub fn is_remote(&self) -> bool {
        matches!(self.backend, Backend::Remote(_))
    }

    fn from_inner(inner: oxigraph::store::Store, base: &BaseIri) -> Self {
        Self {
            backend: Backend::Embedded(Embedded {
                inner: Arc::new(RwLock::new(inner)),
                path: None,
                broken: Arc::default(),
            }),
            names: Arc::new(GraphNames::new(base)),
            write_lock: Arc::new(Mutex::new(())),
        }
    }

    /// A read-only view: each read sees the latest committed data.
    fn view(&self) -> View<'_> {
        match &self.backend {
            Backend::Embedded(embedded) => View::Embedded(embedded.db()),
            Backend::Remote(remote) => View::Remote(remote),
        }
    }

    /// Runs `read` on one consistent state of the store. On the embedded store, a read
    /// transaction (a snapshot); on a remote store, reads between two looks at the generation,
    /// run again if a write committed in between.
    fn snapshot<T, E: From<StoreError>>(
        &self,
        mut read: impl FnMut(&View<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &self.backend {
            Backend::Embedded(embedded) => {
                let db = embedded.db();
                let view = View::Snapshot(db.start_transaction().map_err(StoreError::from)?);
                let outcome = read(&view);
                drop(view);
                outcome
            }
            Backend::Remote(remote) => {
                for _ in 0..REMOTE_SNAPSHOT_ATTEMPTS {
                    let before = remote.generation()?;
                    let outcome = read(&View::Remote(remote))?;
                    if remote.generation()? == before {
                        return Ok(outcome);
                    }
                }
                Err(StoreError::Contention(REMOTE_SNAPSHOT_ATTEMPTS).into())
            }
        }
    }

    /// Runs `write` in one transaction under the write lock and commits what it wrote, if it
    /// returns `Ok`. On a remote store the commit is a compare-and-swap on the store's
    /// generation: when another writer committed first, `write` runs again on the new state.
    fn transact<T, E: From<StoreError>>(
        &self,
        mut write: impl FnMut(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Poisoned)?;
        match &self.backend {
            Backend::Embedded(embedded) => {
                self.recover(embedded)?;
                let db = embedded.db();
                let mut transaction =
                    Tx::embedded(db.start_transaction().map_err(StoreError::from)?);
                let outcome = write(&mut transaction)?;
                if transaction.is_dirty() {
                    if let Some(transaction) = transaction.into_embedded() {
                        let committed = transaction.commit().map_err(StoreError::from);
                        Self::note_failure(embedded, committed)?;
                    }
                }
                Ok(outcome)
            }
            Backend::Remote(remote) => {
                for attempt in 0..REMOTE_WRITE_ATTEMPTS {
                    let mut transaction = Tx::remote(remote, remote.generation()?);
                    let outcome = write(&mut transaction)?;
                    if !transaction.is_dirty() {
                        return Ok(outcome);
                    }
                    let Some(transaction) = transaction.into_remote() else {
                        break;
                    };
                    let claim = remote.claim()?;
                    if remote.commit(transaction, claim)? {
                        return Ok(outcome);
                    }
                    tracing::debug!(attempt, "another writer committed first; writing again");
                    // Spread the retries of writers that collided.
                    let pause =
                        2 + (uuid::Uuid::new_v4().as_u128() % 20) as u64 * (attempt as u64 + 1);
                    std::thread::sleep(std::time::Duration::from_millis(pause));
                }
                Err(StoreError::Contention(REMOTE_WRITE_ATTEMPTS).into())
            }
        }
    }

    /// Notes a failed write: after a full disk, the store is reopened before the next write.
    fn note_failure<T>(
        embedded: &Embedded,
        outcome: Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if let Err(error) = &outcome {
            if error.is_disk_full() {
                embedded.broken.store(true, Ordering::Release);
            }
        }
        outcome
    }

    /// After a write failed on a full disk, RocksDB keeps refusing writes (its "background
    /// error") until the database is reopened. Called under the write lock before each write:
    /// once a 4 MiB probe file can be written in the folder, closes and reopens the store.
    /// Reads wait meanwhile; queries still running on the old handle (bounded by the query
    /// time limit) are waited for, since RocksDB opens a folder only once per process.
    fn recover(&self, embedded: &Embedded) -> Result<(), StoreError> {
        if !embedded.broken.load(Ordering::Acquire) {
            return Ok(());
        }
        let Some(path) = embedded.path.clone() else {
            embedded.broken.store(false, Ordering::Release);
            return Ok(());
        };
        #[cfg(not(feature = "rocksdb"))]
        {
            // Only on-disk stores have a path, and only the rocksdb feature opens them.
            let _ = path;
            embedded.broken.store(false, Ordering::Release);
            Ok(())
        }
        #[cfg(feature = "rocksdb")]
        Self::reopen(embedded, &path)
    }

    /// Closes and reopens the on-disk store once a probe file fits in its folder (see
    /// [`Store::recover`]).
    #[cfg(feature = "rocksdb")]
    fn reopen(embedded: &Embedded, path: &Path) -> Result<(), StoreError> {
        probe_space(path).map_err(|error| StoreError::Storage(StorageError::Io(error)))?;
        let mut guard = match embedded.inner.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Ours is dropped here; the placeholder is never read (the guard is held throughout).
        drop(std::mem::replace(
            &mut *guard,
            oxigraph::store::Store::new()?,
        ));
        let started = std::time::Instant::now();
        let mut warned = 0;
        let reopened = loop {
            match oxigraph::store::Store::open(path) {
                Ok(store) => break store,
                Err(error) => {
                    let waited = started.elapsed().as_secs();
                    if waited / 30 > warned {
                        warned = waited / 30;
                        tracing::warn!(error = %error, seconds = waited, "still reopening the store after a full disk");
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
        };
        *guard = reopened;
        embedded.broken.store(false, Ordering::Release);
        tracing::info!("the store was reopened after a full disk and takes writes again");
        Ok(())
    }

    /// The names of this store's graphs.
    pub fn graph_names(&self) -> &GraphNames {
        &self.names
    }

    /// Whether the store holds no quad at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Embedded(embedded) => Ok(embedded.db().is_empty()?),
            Backend::Remote(remote) => remote.is_empty(),
        }
    }

    /// How many records the store holds.
    pub fn record_count(&self) -> Result<usize, StoreError> {
        let mut count = 0;
        for quad in self.view().quads_for_pattern(
            None,
            Some(vocab::FOAF_PRIMARY_TOPIC),
            None,
            Some(self.names.system().into()),
        ) {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// How many triples the published default graph holds.
    pub fn published_triple_count(&self) -> Result<usize, StoreError> {
        let mut count = 0;
        for quad in
            self.view()
                .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// How many quads the store holds, every graph included (reads the whole store: slow on a
    /// large one).
    pub fn quad_count(&self) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Embedded(embedded) => Ok(embedded.db().len()? as u64),
            Backend::Remote(remote) => remote.len(),
        }
    }

    /// Writes a consistent copy of the on-disk store into `target` (which must not exist), while
    /// the store stays in use: a RocksDB checkpoint, hard links where the file system allows.
    /// Takes the write lock so that no write is half-way (RocksDB's checkpoint is consistent on
    /// its own; the lock also keeps the backup in step with anything written beside the store).
    pub fn backup(&self, target: &Path) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Poisoned)?;
        let Backend::Embedded(embedded) = &self.backend else {
            return Err(StoreError::RemoteUnsupported("a backup (agora backup)"));
        };
        #[cfg(feature = "rocksdb")]
        {
            embedded.db().flush()?;
            embedded.db().backup(target)?;
            Ok(())
        }
        #[cfg(not(feature = "rocksdb"))]
        {
            let _ = (target, embedded);
            Err(StoreError::NoDiskStore)
        }
    }

    /// Writes records for `holder` in one transaction: all are written or none is (a batch).
    /// Each record is checked (holder, precondition, claims on other holders' resources), hashed
    /// and versioned; a record whose planned publication time is in the future is kept private
    /// until then (see `records.rs`).
    pub fn write(
        &self,
        holder: &str,
        writes: &[RecordWrite],
        precondition: Precondition,
    ) -> Result<Vec<WriteReceipt>, WriteError> {
        let mut roots = HashSet::new();
        for write in writes {
            if !roots.insert(write.record().root()) {
                return Err(WriteError::Duplicate {
                    root: write.record().root().as_str().to_owned(),
                });
            }
        }
        self.transact(|transaction| {
            let now = DateTime::now();
            let mut receipts = Vec::with_capacity(writes.len());
            for write in writes {
                receipts.push(records::write_record(
                    transaction,
                    &self.names,
                    holder,
                    write,
                    precondition,
                    now,
                )?);
            }
            Ok(receipts)
        })
    }

    /// Prepares and writes records for `holder` (for loaders and tests).
    pub fn put_records(
        &self,
        holder: &str,
        records: &[Record],
    ) -> Result<Vec<WriteReceipt>, WriteError> {
        let writes = records
            .iter()
            .map(|record| RecordWrite::prepare(record.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        self.write(holder, &writes, Precondition::None)
    }

    /// Withdraws the record whose root is `root`: it leaves the published data and its root gets
    /// a public tombstone with the time and `reason`; its history stays.
    pub fn withdraw(
        &self,
        holder: &str,
        root: NamedNodeRef<'_>,
        reason: &str,
    ) -> Result<RecordState, WriteError> {
        self.transact(|transaction| {
            records::withdraw(
                transaction,
                &self.names,
                holder,
                root,
                reason,
                DateTime::now(),
            )
        })
    }

    /// Releases every pending version whose publication time has come; returns their roots.
    pub fn release_due(&self) -> Result<Vec<NamedNode>, StoreError> {
        self.transact(|transaction| records::release_due(transaction, &self.names, DateTime::now()))
    }

    /// The earliest planned publication time of a pending version, if any.
    pub fn next_release(&self) -> Result<Option<DateTime>, StoreError> {
        let scheduled = self.snapshot(|view| records::scheduled(view, &self.names))?;
        Ok(scheduled
            .into_iter()
            .map(|(_, time)| time)
            .reduce(|a, b| if b < a { b } else { a }))
    }

    /// What the store knows about the record with this identifier.
    pub fn record_state(&self, id: Uuid) -> Result<Option<RecordState>, StoreError> {
        self.snapshot(|view| {
            records::read_state(view, &self.names, self.names.record_graph_of(id).as_ref())
        })
    }

    /// How many events the log of `collection` holds (see `store::events`).
    pub fn event_count(&self, collection: Collection) -> Result<u64, StoreError> {
        self.snapshot(|view| events::count(view, &self.names, collection))
    }

    /// Events `from..from+limit` of `collection`'s log with the content of the versions they
    /// released, read from one snapshot (and the log's length in that snapshot).
    pub fn events(
        &self,
        collection: Collection,
        from: u64,
        limit: u64,
    ) -> Result<(Vec<EventWithContent>, u64), StoreError> {
        self.snapshot(|view| {
            let events = events::read_with_content(view, &self.names, collection, from, limit)?;
            let total = events::count(view, &self.names, collection)?;
            Ok((events, total))
        })
    }

    /// The events of `collection` after `after` (all with `None`), oldest first, without
    /// content, from one snapshot.
    pub fn events_after(
        &self,
        collection: Collection,
        after: Option<oxsdatatypes::DateTime>,
    ) -> Result<Vec<Event>, StoreError> {
        self.snapshot(|view| events::read_after(view, &self.names, collection, after))
    }

    /// The values of `root predicate` in version `number` of the record rooted at `root`, as
    /// the public history shows it: nothing once the record is withdrawn.
    pub fn version_objects(
        &self,
        root: NamedNodeRef<'_>,
        number: u64,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StoreError> {
        self.snapshot(|view| events::version_objects(view, &self.names, root, number, predicate))
    }

    /// Every version of a record, oldest first.
    pub fn versions(&self, root: NamedNodeRef<'_>) -> Result<Vec<VersionInfo>, StoreError> {
        records::versions(&self.view(), &self.names, root)
    }

    /// The content of version `number` of a record (the record graph for the released version,
    /// its private version graph otherwise); `None` if no such version is kept.
    pub fn version_triples(
        &self,
        state: &RecordState,
        number: u64,
    ) -> Result<Option<Vec<Triple>>, StoreError> {
        let graph = if state.released == Some(number) && state.withdrawn.is_none() {
            self.names.record_graph_of(state.id)
        } else {
            self.names.version_graph(state.id, number)
        };
        let triples = self.graph_triples(graph.as_ref())?;
        Ok((!triples.is_empty()).then_some(triples))
    }

    /// The triples of one graph.
    fn graph_triples(&self, graph: NamedNodeRef<'_>) -> Result<Vec<Triple>, StoreError> {
        self.view()
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .map(|quad| quad.map(Triple::from))
            .collect()
    }

    /// What the published data says about the resources `records` refer to but do not
    /// describe themselves: for each such IRI, its outgoing triples from every public graph
    /// except the records' own graphs. Validation sees these as context, so that a decision
    /// pointing at a stored meeting is valid and one pointing at nothing is reported.
    pub fn context_for(&self, records: &[&Record]) -> Result<Vec<Triple>, StoreError> {
        let own: HashSet<NamedNode> = records
            .iter()
            .map(|record| self.names.record_graph(record.root()))
            .collect();
        let described: HashSet<&NamedOrBlankNode> = records
            .iter()
            .flat_map(|record| record.triples().iter().map(|triple| &triple.subject))
            .collect();
        let mut seen = HashSet::new();
        let mut context = HashSet::new();
        let view = self.view();
        for record in records {
            for triple in record.triples() {
                let Term::NamedNode(object) = &triple.object else {
                    continue;
                };
                if described.contains(&NamedOrBlankNode::NamedNode(object.clone()))
                    || !seen.insert(object.clone())
                {
                    continue;
                }
                for quad in view.quads_for_pattern(Some(object.as_ref().into()), None, None, None) {
                    let quad = quad?;
                    if let GraphName::NamedNode(graph) = &quad.graph_name {
                        if self.names.is_public(graph.as_ref()) && !own.contains(graph) {
                            context.insert(Triple::from(quad));
                        }
                    }
                }
            }
        }
        Ok(context.into_iter().collect())
    }

    /// Replaces the reference-data graph (code lists, ontology) with `triples`.
    pub fn put_reference_data(&self, triples: &[Triple]) -> Result<PutOutcome, StoreError> {
        self.transact(|transaction| {
            replace_graph(transaction, &self.names, self.names.reference(), triples)
        })
    }

    /// Loads records with Oxigraph's bulk loader: fast, not transactional, and only correct on
    /// records that are not in the store yet (it adds, it does not replace). The caller checks
    /// that the store is empty. Returns the number of records loaded.
    pub fn bulk_load<E>(
        &self,
        holder: &str,
        records: impl Iterator<Item = Result<Record, E>>,
        on_progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<u64, BulkLoadError<E>>
    where
        E: std::error::Error + 'static,
    {
        let _guard = self
            .write_lock
            .lock()
            .map_err(|_| BulkLoadError::Store(StoreError::Poisoned))?;
        let Backend::Embedded(embedded) = &self.backend else {
            return Err(BulkLoadError::Store(StoreError::RemoteUnsupported(
                "bulk loading (agora load)",
            )));
        };
        let now = DateTime::now();
        let mut count = 0;
        let mut bulk_events = events::BulkEvents::default();
        let names = Arc::clone(&self.names);
        let quads = records.flat_map(|record| -> Vec<Result<Quad, BulkLoadError<E>>> {
            let write = match record
                .map_err(BulkLoadError::Input)
                .and_then(|record| RecordWrite::prepare(record).map_err(BulkLoadError::Prepare))
            {
                Ok(write) => write,
                Err(error) => return vec![Err(error)],
            };
            count += 1;
            let collection = Collection::of(write.record().kind());
            let event = bulk_events.create(&names, collection, write.record().root(), now);
            records::initial_quads(&names, holder, &write, now)
                .into_iter()
                .chain(event)
                .map(Ok)
                .collect()
        });
        let db = embedded.db();
        let mut loader = db.bulk_loader().on_progress(on_progress);
        loader.load_ok_quads::<BulkLoadError<E>, BulkLoadError<E>>(quads)?;
        loader.commit().map_err(StoreError::from)?;
        let mut transaction = Tx::embedded(db.start_transaction().map_err(StoreError::from)?);
        bulk_events.finish(&mut transaction, &self.names, now)?;
        if let Some(transaction) = transaction.into_embedded() {
            transaction.commit().map_err(StoreError::from)?;
        }
        Ok(count)
    }

    /// Loads an external dataset, triples that are not records (no holder, no versions, no
    /// events, no validation), with Oxigraph's bulk loader into `graph` (a dataset graph,
    /// [`GraphNames::dataset_graph`]) and into the published default graph, so that `/sparql`
    /// answers over it as over the records. For operators who publish a reference dataset beside
    /// the records (and for benchmarks such as BSBM).
    ///
    /// Like [`Store::bulk_load`] it is fast and not atomic (a failed load leaves part of the
    /// dataset), and it only adds: `graph` must be empty ([`DatasetError::NotEmpty`]). Returns
    /// the number of triples read.
    pub fn bulk_load_dataset<E>(
        &self,
        graph: NamedNodeRef<'_>,
        triples: impl Iterator<Item = Result<Triple, E>>,
        on_progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<u64, DatasetError<E>>
    where
        E: std::error::Error + 'static,
    {
        if !self.names.is_dataset_graph(graph) {
            return Err(DatasetError::NotADatasetGraph(graph.into_owned()));
        }
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Poisoned)?;
        let Backend::Embedded(embedded) = &self.backend else {
            return Err(StoreError::RemoteUnsupported(
                "bulk loading a dataset (agora load --dataset)",
            )
            .into());
        };
        let db = embedded.db();
        if db
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .next()
            .transpose()
            .map_err(StoreError::from)?
            .is_some()
        {
            return Err(DatasetError::NotEmpty(graph.into_owned()));
        }
        let mut count = 0;
        let named = GraphName::from(graph.into_owned());
        let quads = triples.flat_map(|triple| {
            let (first, published) = match triple {
                Ok(triple) => {
                    count += 1;
                    let published = Quad::new(
                        triple.subject.clone(),
                        triple.predicate.clone(),
                        triple.object.clone(),
                        GraphName::DefaultGraph,
                    );
                    (Ok(triple.in_graph(named.clone())), Some(Ok(published)))
                }
                Err(error) => (Err(DatasetError::Input(error)), None),
            };
            std::iter::once(first).chain(published)
        });
        let mut loader = db.bulk_loader().on_progress(on_progress);
        loader.load_ok_quads::<DatasetError<E>, DatasetError<E>>(quads)?;
        loader.commit().map_err(StoreError::from)?;
        Ok(count)
    }

    /// Writes the recent writes RocksDB keeps in memory (its memtables) to disk and frees them.
    ///
    /// Oxigraph sizes the memtables of each of its column families for bulk loading (up to
    /// 128 MiB each), so a server that writes steadily would otherwise grow by hundreds of MiB
    /// before RocksDB flushes on its own. Nothing is lost either way (the write-ahead log has
    /// every acknowledged write); an in-memory store has nothing to flush.
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        if let Backend::Embedded(embedded) = &self.backend {
            embedded.db().flush()?;
        }
        Ok(())
    }

    /// Flushes and compacts the on-disk store (after a bulk load).
    pub fn optimize(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        if let Backend::Embedded(embedded) = &self.backend {
            embedded.db().flush()?;
            embedded.db().optimize()?;
        }
        Ok(())
    }

    /// Replaces the named graph `graph` with `triples`, in one transaction.
    ///
    /// The graph is raw data, not a record: nothing is said about it in the system graph, and
    /// unless `graph` is a record graph or the reference graph (whose triples are published),
    /// its triples stay out of the published default graph and are reachable only by name
    /// (`GRAPH`, `FROM`, `default-graph-uri`, `named-graph-uri`). The W3C SPARQL suites load
    /// their test data this way.
    ///
    /// ```
    /// use agora::model::BaseIri;
    /// use agora::store::{PutOutcome, Store};
    /// use oxigraph::model::{NamedNodeRef, Triple};
    /// let store = Store::in_memory(&BaseIri::parse("https://agora.vlaanderen.be").unwrap()).unwrap();
    /// let graph = NamedNodeRef::new("http://example.org/g").unwrap();
    /// let s = NamedNodeRef::new("http://example.org/s").unwrap();
    /// let triples = [Triple::new(s, s, s)];
    /// assert_eq!(store.put_graph(graph, &triples).unwrap(), PutOutcome::Created);
    /// assert_eq!(store.put_graph(graph, &triples).unwrap(), PutOutcome::Unchanged);
    /// assert_eq!(store.published_triple_count().unwrap(), 0);
    /// ```
    pub fn put_graph(
        &self,
        graph: NamedNodeRef<'_>,
        triples: &[Triple],
    ) -> Result<PutOutcome, StoreError> {
        self.transact(|transaction| replace_graph(transaction, &self.names, graph, triples))
    }
}

/// Why a bulk load stopped.
#[derive(Debug, thiserror::Error)]
pub enum BulkLoadError<E> {
    /// The input failed.
    #[error(transparent)]
    Input(E),
    /// A record cannot be hashed or has a bad publication time.
    #[error(transparent)]
    Prepare(PrepareError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E> From<StorageError> for BulkLoadError<E> {
    fn from(error: StorageError) -> Self {
        Self::Store(error.into())
    }
}

/// Why loading an external dataset stopped.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError<E> {
    /// The input failed.
    #[error(transparent)]
    Input(E),
    /// The graph is not under `{base}/graph/dataset/`.
    #[error("<{0}> is not a dataset graph")]
    NotADatasetGraph(NamedNode),
    /// The dataset graph already holds triples (the bulk loader adds, it does not replace).
    #[error("the dataset graph <{0}> is not empty: load a dataset into a fresh name")]
    NotEmpty(NamedNode),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E> From<StorageError> for DatasetError<E> {
    fn from(error: StorageError) -> Self {
        Self::Store(error.into())
    }
}

/// Makes `graph` hold exactly `triples`, keeping the default graph the union of public graphs.
fn replace_graph(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    graph: NamedNodeRef<'_>,
    triples: &[Triple],
) -> Result<PutOutcome, StoreError> {
    let old: HashSet<Triple> = transaction
        .quads_for_pattern(None, None, None, Some(graph.into()))
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<_, _>>()?;
    let new: HashSet<&Triple> = triples.iter().collect();
    if old.len() == new.len() && new.iter().all(|triple| old.contains(*triple)) {
        return Ok(PutOutcome::Unchanged);
    }
    let public = names.is_public(graph);
    for triple in old.iter().filter(|triple| !new.contains(triple)) {
        transaction.remove(triple.as_ref().in_graph(graph));
        if public && !stated_in_other_public_graph(transaction, names, triple, graph)? {
            transaction.remove(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
    }
    // In the record's order, not the set's: triples about one subject stay together, so
    // RocksDB's memtable inserts of consecutive keys land near each other.
    let mut inserted = HashSet::new();
    for triple in triples
        .iter()
        .filter(|triple| !old.contains(*triple) && inserted.insert(*triple))
    {
        transaction.insert(triple.as_ref().in_graph(graph));
        if public {
            transaction.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
    }
    Ok(if old.is_empty() {
        PutOutcome::Created
    } else {
        PutOutcome::Replaced
    })
}

fn stated_in_other_public_graph(
    transaction: &impl Read,
    names: &GraphNames,
    triple: &Triple,
    except: NamedNodeRef<'_>,
) -> Result<bool, StoreError> {
    let subject: NamedOrBlankNodeRef<'_> = triple.subject.as_ref();
    let object = Term::as_ref(&triple.object);
    for quad in transaction.quads_for_pattern(
        Some(subject),
        Some(triple.predicate.as_ref()),
        Some(object),
        None,
    ) {
        let quad = quad?;
        if let GraphName::NamedNode(other) = &quad.graph_name {
            if other.as_ref() != except && names.is_public(other.as_ref()) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests;
