//! Command-line surface (clap) and the validated configuration built from it.
//!
//! Two stages, as ripgrep does: [`Cli`] holds what the user typed (every flag also readable from
//! an `AGORA_*` environment variable); [`ServeConfig::from_args`] checks it once and is the only
//! place where a bad setting fails.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::{TokenError, Tokens};
use crate::model::{BaseIri, BaseIriError};
use crate::store::RemoteEndpoints;

/// Agora: a linked-data registry of government decisions and public participation.
#[derive(Debug, Parser)]
#[command(name = "agora", version, about)]
pub struct Cli {
    /// Log output format.
    #[arg(long, env = "AGORA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human, global = true)]
    pub log_format: LogFormat,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per run: the size of `ServeArgs` does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Serve the registry over HTTP (pages and SPARQL).
    Serve(ServeArgs),
    /// Load RDF files into a data folder offline (the server must not be running on it).
    Load(LoadArgs),
    /// Write a synthetic data set of the demo data's shape, for benchmarks and tests.
    Generate(GenerateArgs),
    /// Validate RDF files offline against the built-in shapes (exit 0: conform; 1: violations;
    /// 2: a file cannot be read or parsed).
    Validate(ValidateArgs),
    /// Push RDF files to a running Agora (one request per file: a triple file is one record, a
    /// TriG or N-Quads file a batch). Exit 0: all accepted; 1: a file was refused; 2: a file
    /// cannot be read or the server cannot be reached.
    Push(PushArgs),
    /// Write dumps of the published data (gzip-compressed N-Quads and Turtle, with an index
    /// giving size, date and SHA-256) from a data folder, offline.
    Dump(DumpArgs),
    /// Mirror another Agora's LDES streams into a data folder, or consume a Kaleidos publication
    /// producer with --kaleidos URL (resumes where it stopped; applies withdrawals; `--follow`
    /// keeps polling).
    Harvest(HarvestArgs),
    /// Back up a data folder (store, history, event log, token file) into a new folder: offline,
    /// or, when a server holds the folder, through its admin API (`--url`).
    Backup(BackupArgs),
    /// Restore a backup into a new data folder and rebuild its search index.
    Restore(RestoreArgs),
    /// Check a data folder's integrity, offline (exit 0: clean; 1: problems found; 2: the
    /// folder cannot be opened).
    Check(CheckArgs),
}

/// `agora backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new folder to write the backup into.
    #[arg(long)]
    pub out: PathBuf,

    /// The token file to include in an offline backup (a server includes its own).
    #[arg(long, env = "AGORA_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,

    /// The running Agora that holds the data folder, such as http://127.0.0.1:8080: the backup
    /// is then written by the server (`POST /api/admin/backup`) and moved to --out.
    #[arg(long, env = "AGORA_URL")]
    pub url: Option<String>,

    /// A file holding an admin token (its first line), for --url.
    #[arg(long, env = "AGORA_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,

    /// Where the store lives.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `agora restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup folder (written by `agora backup`).
    pub backup: PathBuf,

    /// Where to restore the token file (default: `tokens` inside the new data folder).
    #[arg(long)]
    pub token_file: Option<PathBuf>,

    /// The new data folder (must not exist, or be empty).
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `agora check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Where the store lives.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `agora harvest`.
#[derive(Debug, Args)]
pub struct HarvestArgs {
    /// The Agora to mirror, such as https://agora.vlaanderen.be.
    #[arg(required_unless_present = "kaleidos", conflicts_with = "kaleidos")]
    pub url: Option<String>,

    /// Consume this Kaleidos publication producer instead (the base URL that answers
    /// `/publications?since=` and `/files/{id}/download`). Its position and quarantined files
    /// are kept in `kaleidos/` inside the data folder.
    #[arg(long, env = "AGORA_KALEIDOS")]
    pub kaleidos: Option<String>,

    /// Keep following the streams, polling every --poll seconds.
    #[arg(long)]
    pub follow: bool,

    /// Seconds between two polls with --follow.
    #[arg(long, env = "AGORA_HARVEST_POLL", default_value_t = 10)]
    pub poll: u64,

    /// The holder the mirrored records belong to locally (default: `harvest`, or `kaleidos`
    /// with --kaleidos).
    #[arg(long, env = "AGORA_HOLDER", value_parser = parse_holder)]
    pub holder: Option<String>,

    /// Where the mirror's store lives (the harvest position is kept there too, in
    /// `harvest-state.json`).
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `agora dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Folder to write the dumps and their index (`dumps.json`) into.
    #[arg(long, env = "AGORA_DUMP_DIR", default_value = "agora-dumps")]
    pub out: PathBuf,

    /// Where the store lives.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `agora push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// RDF files: Turtle, N-Triples, RDF/XML, JSON-LD (one record each), TriG or N-Quads (a
    /// batch: one record per named graph).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// The Agora to push to, such as http://127.0.0.1:8080.
    #[arg(long, env = "AGORA_URL")]
    pub to: String,

    /// A file holding the write token (its first line).
    #[arg(long, env = "AGORA_TOKEN_FILE")]
    pub token_file: PathBuf,
}

/// How `agora validate` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line per result.
    Text,
    /// A standard `sh:ValidationReport` in Turtle.
    Turtle,
    /// A JSON array with one object per record.
    Json,
}

/// `agora validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// RDF files to validate (one record each, or one per named graph for TriG/N-Quads).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Folder of shapes files (`*.ttl`) to use instead of the built-in shapes.
    #[arg(long, env = "AGORA_SHAPES")]
    pub shapes: Option<PathBuf>,

    /// Report format.
    #[arg(long, env = "AGORA_REPORT_FORMAT", value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Where the store lives, shared by the subcommands that open one.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Folder of the on-disk store (created when missing).
    #[arg(long, env = "AGORA_DATA", default_value = "agora-data")]
    pub data: PathBuf,

    /// Base IRI under which Agora mints and serves URIs ({base}/id/{type}/{uuid}).
    #[arg(
        long,
        env = "AGORA_BASE_IRI",
        default_value = "https://agora.vlaanderen.be"
    )]
    pub base_iri: String,
}

/// `agora serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "AGORA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Where the store lives.
    #[command(flatten)]
    pub store: StoreArgs,

    /// Keep the store in memory instead of in the data folder (nothing survives a restart).
    #[arg(long, env = "AGORA_MEMORY", conflicts_with_all = ["store_url", "store_query_url"])]
    pub memory: bool,

    /// Keep the data in a remote triple store reached through the SPARQL 1.1 protocol, such as
    /// an Oxigraph server: its base URL (`oxigraph serve` answers queries at `{url}/query` and
    /// updates at `{url}/update`). Its default graph must not be the union of all graphs. The
    /// search index is then kept in memory and rebuilt at start; see README, "Remote store".
    #[arg(long, env = "AGORA_STORE_URL")]
    pub store_url: Option<String>,

    /// The remote store's SPARQL query endpoint, when it is not `{--store-url}/query` (Virtuoso:
    /// `http://host:8890/sparql`). Needs --store-update-url.
    #[arg(long, env = "AGORA_STORE_QUERY_URL", requires = "store_update_url")]
    pub store_query_url: Option<String>,

    /// The remote store's SPARQL update endpoint, when it is not `{--store-url}/update`. Needs
    /// --store-query-url.
    #[arg(long, env = "AGORA_STORE_UPDATE_URL", requires = "store_query_url")]
    pub store_update_url: Option<String>,

    /// Do not load the demo data into an empty store.
    #[arg(long, env = "AGORA_NO_DEMO")]
    pub no_demo: bool,

    /// Time limit of one SPARQL query, in seconds; a query still running then is cancelled.
    #[arg(long, env = "AGORA_QUERY_TIMEOUT", default_value_t = defaults::QUERY_TIMEOUT_S)]
    pub query_timeout: f64,

    /// How many SPARQL queries may be evaluated at once; more wait briefly, then get 503.
    /// Defaults to eight per CPU core.
    #[arg(long, env = "AGORA_MAX_CONCURRENT_QUERIES")]
    pub max_concurrent_queries: Option<usize>,

    /// Threads that serve HTTP connections (each a single-threaded event loop; evaluation and
    /// store work run on a separate pool). Defaults to eight per CPU core.
    #[arg(long, env = "AGORA_HTTP_WORKERS")]
    pub http_workers: Option<usize>,

    /// Largest request body accepted, in bytes (a SPARQL query sent by POST, for instance).
    #[arg(long, env = "AGORA_MAX_BODY_BYTES", default_value_t = defaults::MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Largest record or batch pushed to /api/records, in bytes.
    #[arg(long, env = "AGORA_MAX_PUSH_BYTES", default_value_t = defaults::MAX_PUSH_BYTES)]
    pub max_push_bytes: usize,

    /// Events per page of the LDES feeds (/ldes/{collection}/{n}). Full pages never change, so
    /// changing this renumbers every page: choose it once.
    #[arg(long, env = "AGORA_FEED_PAGE_SIZE", default_value_t = defaults::FEED_PAGE_SIZE)]
    pub feed_page_size: u64,

    /// Memory for feed pages already served, in MiB (0: none). A page's content never changes
    /// once its events are logged, so a page asked for again (by the next harvester, or by a
    /// client polling the newest page) is answered from memory instead of being read and
    /// serialised again; the least recently used pages go first.
    #[arg(long, env = "AGORA_FEED_CACHE_MIB", default_value_t = defaults::FEED_CACHE_MIB)]
    pub feed_cache_mib: usize,

    /// Folder for the dump files served at /dumps (default: `dumps` inside the data folder; with
    /// --memory, no dumps unless this is given).
    #[arg(long, env = "AGORA_DUMP_DIR")]
    pub dump_dir: Option<PathBuf>,

    /// Hours between two dumps. A dump is also written at start, unless the folder's latest dump
    /// is younger than this.
    #[arg(long, env = "AGORA_DUMP_EVERY_HOURS", default_value_t = defaults::DUMP_EVERY_HOURS)]
    pub dump_every_hours: f64,

    /// Write no dumps and serve none (for example on all but one of several instances that share
    /// a remote store, or while benchmarking queries).
    #[arg(long, env = "AGORA_NO_DUMPS", conflicts_with = "dump_dir")]
    pub no_dumps: bool,

    /// A write token, `HOLDER:SECRET` or `HOLDER:sha256:HEX` (repeatable). Without any token the
    /// server accepts no writes.
    #[arg(long = "token", env = "AGORA_TOKENS", value_delimiter = ',')]
    pub tokens: Vec<String>,

    /// A file of write tokens, one `HOLDER:SECRET` or `HOLDER:sha256:HEX` per line. The server
    /// reads it again when it changes (checked every second) and on SIGHUP: deleting a line
    /// revokes that token without a restart.
    #[arg(long, env = "AGORA_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,

    /// A holder whose tokens may also call the admin API (`POST /api/admin/backup`);
    /// repeatable. Without one, the admin API refuses every call.
    #[arg(long = "admin", env = "AGORA_ADMINS", value_delimiter = ',', value_parser = parse_holder)]
    pub admins: Vec<String>,

    /// How many SPARQL queries one client (IP address) may run at once; more wait two seconds
    /// for one of the client's own to finish, then get 429. Defaults
    /// to half of --max-concurrent-queries (at least 1), so one client cannot take every slot.
    #[arg(long, env = "AGORA_MAX_QUERIES_PER_CLIENT")]
    pub max_queries_per_client: Option<usize>,

    /// Folder where `POST /api/admin/backup` writes backups (default: `backups` next to the
    /// data folder).
    #[arg(long, env = "AGORA_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Keep following this Kaleidos publication producer while serving (see `agora harvest
    /// --kaleidos`); needs a data folder (not --memory) for its position and quarantine.
    #[arg(long, env = "AGORA_KALEIDOS")]
    pub kaleidos: Option<String>,

    /// Seconds between two polls of the Kaleidos producer.
    #[arg(long, env = "AGORA_KALEIDOS_POLL", default_value_t = 10)]
    pub kaleidos_poll: u64,

    /// The holder of the records consumed from Kaleidos.
    #[arg(long, env = "AGORA_KALEIDOS_HOLDER", default_value = "kaleidos", value_parser = parse_holder)]
    pub kaleidos_holder: String,
}

/// `agora load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// RDF files: Turtle, N-Triples, RDF/XML or JSON-LD (one record each), TriG or N-Quads
    /// (one record per named graph).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// The holder the loaded records belong to: only a write token of this holder can change
    /// or withdraw them later.
    #[arg(long, env = "AGORA_HOLDER", default_value = "agora-load", value_parser = parse_holder)]
    pub holder: String,

    /// Load the files (N-Triples or Turtle) as an external reference dataset, not as records:
    /// bulk loaded into the public graph {base}/graph/dataset/NAME and the published default
    /// graph, without validation, versions or feed events. The graph must not exist yet. NAME
    /// follows the holder rule (letters, digits, '-', '_', '.').
    #[arg(long, value_name = "NAME", value_parser = parse_holder)]
    pub dataset: Option<String>,

    /// Where the store lives.
    #[command(flatten)]
    pub store: StoreArgs,
}

fn parse_holder(value: &str) -> Result<String, String> {
    if crate::model::is_valid_holder(value) {
        Ok(value.to_owned())
    } else {
        Err(crate::model::HOLDER_RULE.to_owned())
    }
}

/// `agora generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Approximate number of triples to write (the generator stops at the first whole record
    /// past it).
    #[arg(long, env = "AGORA_GENERATE_TRIPLES", default_value_t = 100_000)]
    pub triples: u64,

    /// Seed of the pseudo-random choices; the same seed and size give the same bytes.
    #[arg(long, env = "AGORA_GENERATE_SEED", default_value_t = 1)]
    pub seed: u64,

    /// Output file (N-Quads, one named graph per record); `-` writes to standard output.
    #[arg(long, short, env = "AGORA_GENERATE_OUT", default_value = "-")]
    pub out: PathBuf,

    /// Base IRI of the generated URIs.
    #[arg(
        long,
        env = "AGORA_BASE_IRI",
        default_value = "https://agora.vlaanderen.be"
    )]
    pub base_iri: String,
}

/// Where `serve` keeps its store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In memory.
    Memory,
    /// On disk, in this folder.
    Disk(PathBuf),
    /// In a remote store reached through the SPARQL protocol.
    Remote(RemoteEndpoints),
}

/// The validated configuration of `agora serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Listening address (port 0 picks a free port).
    pub bind: SocketAddr,
    /// Where the store lives.
    pub storage: Storage,
    /// Whether to load the demo data into an empty store.
    pub demo: bool,
    /// Base IRI of this instance.
    pub base_iri: BaseIri,
    /// Time limit of one query.
    pub query_timeout: Duration,
    /// Queries evaluated at once.
    pub max_concurrent_queries: usize,
    /// Threads serving HTTP connections.
    pub http_workers: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest push body, in bytes.
    pub max_push_bytes: usize,
    /// The write tokens given as flags (hashed).
    pub tokens: Tokens,
    /// The harvest feeds.
    pub feeds: FeedConfig,
    /// Token file, admins, per-client limits, backups.
    pub access: AccessConfig,
    /// The Kaleidos producer to follow while serving, if any.
    pub kaleidos: Option<KaleidosConfig>,
}

/// Who may do what, and how much one client may ask for.
#[derive(Debug, Clone)]
pub struct AccessConfig {
    /// The token file, read again when it changes.
    pub token_file: Option<PathBuf>,
    /// Holders whose tokens may call the admin API.
    pub admins: Vec<String>,
    /// SPARQL queries one client may run at once (at least 1).
    pub max_queries_per_client: usize,
    /// Where admin backups are written; `None`: the admin backup is unavailable (in memory).
    pub backup_dir: Option<PathBuf>,
}

/// Following a Kaleidos publication producer while serving.
#[derive(Debug, Clone)]
pub struct KaleidosConfig {
    /// The producer's base URL.
    pub url: String,
    /// Time between two polls.
    pub poll: Duration,
    /// The holder of the consumed records.
    pub holder: String,
}

/// Settings of the harvest feeds.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    /// Events per LDES page (at least 1).
    pub page_size: u64,
    /// Bytes of serialised feed pages kept in memory (0: none).
    pub cache_bytes: usize,
    /// Where dumps are written and served from; `None`: no dumps.
    pub dump_dir: Option<PathBuf>,
    /// Time between two dumps.
    pub dump_every: Duration,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Bad base IRI.
    #[error(transparent)]
    BaseIri(#[from] BaseIriError),
    /// Bad time limit.
    #[error("--query-timeout must be a positive number of seconds, not {0}")]
    QueryTimeout(f64),
    /// Bad feed page size.
    #[error("--feed-page-size must be at least 1")]
    FeedPageSize,
    /// Bad dump interval.
    #[error("--dump-every-hours must be a positive number of hours, not {0}")]
    DumpEvery(f64),
    /// Bad concurrency bound.
    #[error("--max-concurrent-queries must be at least 1")]
    MaxConcurrentQueries,
    /// Bad HTTP worker count.
    #[error("--http-workers must be at least 1")]
    HttpWorkers,
    /// Bad per-client bound.
    #[error("--max-queries-per-client must be at least 1")]
    MaxQueriesPerClient,
    /// A token cannot be used.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// --kaleidos with --memory.
    #[error("--kaleidos needs a data folder for its position and quarantine; it cannot run with --memory or a remote store")]
    KaleidosInMemory,
    /// A remote store URL that is not plain http.
    #[error(
        "the remote store URL {0} must start with http:// (this build has no TLS: keep the store \
         on a private network, or put a TLS proxy on this machine)"
    )]
    StoreUrl(String),
}

/// The defaults of `agora serve`, shared by its flags and [`ServeConfig::new`].
pub mod defaults {
    /// Time limit of one query, in seconds.
    pub const QUERY_TIMEOUT_S: f64 = 10.0;
    /// Largest request body, in bytes.
    pub const MAX_BODY_BYTES: usize = 1024 * 1024;
    /// Largest push body, in bytes.
    pub const MAX_PUSH_BYTES: usize = 16 * 1024 * 1024;
    /// Events per LDES page.
    pub const FEED_PAGE_SIZE: u64 = 50;
    /// Memory for served feed pages, in MiB: nine of the largest pages of a million-triple
    /// store (meetings, about 6.8 MB of TriG for 50), hundreds of the others.
    pub const FEED_CACHE_MIB: usize = 64;
    /// Hours between two dumps.
    pub const DUMP_EVERY_HOURS: f64 = 24.0;

    /// Queries evaluated at once: eight per core. The bound protects memory and the machine; it
    /// is not a CPU schedule. With one slot per core two heavy queries held both slots and the
    /// quick ones behind them waited into the 503 (`queries/*.rq` at 16 clients, 1M triples:
    /// 0.26 of `oxigraph serve`'s answers per second); with eight per core the kernel interleaves
    /// them and the quick ones finish (1.42; four per core: 0.81). Each query still has its time
    /// limit.
    pub fn max_concurrent_queries() -> usize {
        8 * cores()
    }

    /// Threads serving HTTP connections: eight per core, so that up to eight connections per
    /// core each have a thread of their own. Each worker is an event loop that serves its
    /// connections one request at a time, so with one worker per core the server had two
    /// threads to run on a two-core machine it shares with other processes (the load tool, in
    /// the benchmarks; a proxy, in production), and a worker that lost its core for a moment
    /// held up every connection dealt to it. With 16 SPARQL clients on two cores, one worker
    /// per core used 1.51 cores against 1.68 for `oxigraph serve` (a thread per connection);
    /// eight per core used 1.64, sixteen 1.67. An idle worker costs a parked thread.
    pub fn http_workers() -> usize {
        8 * cores()
    }

    /// The CPU cores this process may use (2 when the system cannot tell).
    fn cores() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }

    /// Queries one client may run at once: half of the slots, at least 1.
    pub fn max_queries_per_client(max_concurrent_queries: usize) -> usize {
        (max_concurrent_queries / 2).max(1)
    }
}

impl ServeConfig {
    /// The configuration `agora serve` has with no flag but `storage` and `base_iri`: listening
    /// on 127.0.0.1:8080, the demo data loaded into an empty store, no write token, no dumps,
    /// no Kaleidos producer. Tests and benchmarks start from it and change what they need.
    pub fn new(storage: Storage, base_iri: BaseIri) -> Self {
        let max_concurrent_queries = defaults::max_concurrent_queries();
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            storage,
            demo: true,
            base_iri,
            query_timeout: Duration::from_secs_f64(defaults::QUERY_TIMEOUT_S),
            max_concurrent_queries,
            http_workers: defaults::http_workers(),
            max_body_bytes: defaults::MAX_BODY_BYTES,
            max_push_bytes: defaults::MAX_PUSH_BYTES,
            tokens: Tokens::default(),
            feeds: FeedConfig {
                page_size: defaults::FEED_PAGE_SIZE,
                cache_bytes: defaults::FEED_CACHE_MIB << 20,
                dump_dir: None,
                dump_every: Duration::from_secs_f64(defaults::DUMP_EVERY_HOURS * 3600.0),
            },
            access: AccessConfig {
                token_file: None,
                admins: Vec::new(),
                max_queries_per_client: defaults::max_queries_per_client(max_concurrent_queries),
                backup_dir: None,
            },
            kaleidos: None,
        }
    }

    /// Checks the raw arguments.
    pub fn from_args(args: &ServeArgs) -> Result<Self, ConfigError> {
        if !(args.query_timeout.is_finite() && args.query_timeout > 0.0) {
            return Err(ConfigError::QueryTimeout(args.query_timeout));
        }
        let max_concurrent_queries = match args.max_concurrent_queries {
            Some(0) => return Err(ConfigError::MaxConcurrentQueries),
            Some(n) => n,
            None => defaults::max_concurrent_queries(),
        };
        let remote = remote_endpoints(args)?;
        // What lives in the data folder (backups, dumps, Kaleidos state) has no folder by
        // default when the data is in memory or in a remote store.
        let no_folder = args.memory || remote.is_some();
        Ok(Self {
            bind: args.bind,
            storage: match remote {
                Some(endpoints) => Storage::Remote(endpoints),
                None if args.memory => Storage::Memory,
                None => Storage::Disk(args.store.data.clone()),
            },
            demo: !args.no_demo,
            base_iri: BaseIri::parse(&args.store.base_iri)?,
            query_timeout: Duration::from_secs_f64(args.query_timeout),
            max_concurrent_queries,
            http_workers: match args.http_workers {
                Some(0) => return Err(ConfigError::HttpWorkers),
                Some(n) => n,
                None => defaults::http_workers(),
            },
            max_body_bytes: args.max_body_bytes,
            max_push_bytes: args.max_push_bytes,
            tokens: {
                let mut tokens = Tokens::default();
                for token in &args.tokens {
                    tokens.add(token, "--token")?;
                }
                if let Some(path) = &args.token_file {
                    // Checked now so that a bad file stops the start; the server reads it again.
                    Tokens::default().add_file(path)?;
                }
                tokens
            },
            access: AccessConfig {
                token_file: args.token_file.clone(),
                admins: args.admins.clone(),
                max_queries_per_client: match args.max_queries_per_client {
                    Some(0) => return Err(ConfigError::MaxQueriesPerClient),
                    Some(n) => n,
                    None => defaults::max_queries_per_client(max_concurrent_queries),
                },
                backup_dir: match (&args.backup_dir, no_folder) {
                    (Some(dir), _) => Some(dir.clone()),
                    (None, false) => Some(default_backup_dir(&args.store.data)),
                    (None, true) => None,
                },
            },
            feeds: FeedConfig {
                page_size: match args.feed_page_size {
                    0 => return Err(ConfigError::FeedPageSize),
                    size => size,
                },
                cache_bytes: args.feed_cache_mib.saturating_mul(1 << 20),
                dump_dir: match (&args.dump_dir, no_folder) {
                    _ if args.no_dumps => None,
                    (Some(dir), _) => Some(dir.clone()),
                    (None, false) => Some(args.store.data.join("dumps")),
                    (None, true) => None,
                },
                dump_every: if args.dump_every_hours.is_finite() && args.dump_every_hours > 0.0 {
                    Duration::from_secs_f64(args.dump_every_hours * 3600.0)
                } else {
                    return Err(ConfigError::DumpEvery(args.dump_every_hours));
                },
            },
            kaleidos: match (&args.kaleidos, no_folder) {
                (None, _) => None,
                (Some(_), true) => return Err(ConfigError::KaleidosInMemory),
                (Some(url), false) => Some(KaleidosConfig {
                    url: url.clone(),
                    poll: Duration::from_secs(args.kaleidos_poll.max(1)),
                    holder: args.kaleidos_holder.clone(),
                }),
            },
        })
    }
}

/// The remote store's endpoints from `--store-url` or `--store-query-url`/`--store-update-url`.
fn remote_endpoints(args: &ServeArgs) -> Result<Option<RemoteEndpoints>, ConfigError> {
    let endpoints = match (
        &args.store_query_url,
        &args.store_update_url,
        &args.store_url,
    ) {
        (Some(query), Some(update), _) => RemoteEndpoints {
            query: query.clone(),
            update: update.clone(),
        },
        (_, _, Some(url)) => RemoteEndpoints::oxigraph(url),
        _ => return Ok(None),
    };
    for url in [&endpoints.query, &endpoints.update] {
        if !url.starts_with("http://") {
            return Err(ConfigError::StoreUrl(url.clone()));
        }
    }
    Ok(Some(endpoints))
}

/// `backups` next to the data folder `data` (outside it: a backup inside the folder it backs up
/// would be copied into the next backup).
pub fn default_backup_dir(data: &std::path::Path) -> PathBuf {
    let parent = data
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    parent.join("backups")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn a_store_url_selects_the_remote_store_with_oxigraph_endpoints() -> Result<(), ConfigError> {
        let cli = Cli::parse_from(["agora", "serve", "--store-url", "http://127.0.0.1:7878/"]);
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve");
        };
        let config = ServeConfig::from_args(&args)?;
        assert_eq!(
            config.storage,
            Storage::Remote(RemoteEndpoints {
                query: "http://127.0.0.1:7878/query".to_owned(),
                update: "http://127.0.0.1:7878/update".to_owned(),
            })
        );
        assert_eq!(config.access.backup_dir, None);
        assert_eq!(config.feeds.dump_dir, None);
        let cli = Cli::parse_from([
            "agora",
            "serve",
            "--store-query-url",
            "http://h:8890/sparql",
            "--store-update-url",
            "http://h:8890/sparql",
        ]);
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve");
        };
        let config = ServeConfig::from_args(&args)?;
        assert!(matches!(config.storage, Storage::Remote(ref e) if e.query == e.update));
        Ok(())
    }

    #[test]
    fn no_dumps_turns_the_default_dump_folder_off() -> Result<(), ConfigError> {
        let config = |extra: &[&str]| {
            let cli = Cli::parse_from(["agora", "serve", "--data", "d"].iter().chain(extra));
            let Command::Serve(args) = cli.command else {
                panic!("serve parses as serve");
            };
            ServeConfig::from_args(&args)
        };
        assert_eq!(config(&[])?.feeds.dump_dir, Some(PathBuf::from("d/dumps")));
        assert_eq!(config(&["--no-dumps"])?.feeds.dump_dir, None);
        Ok(())
    }

    #[test]
    fn http_workers_default_to_eight_per_core_and_zero_is_refused() -> Result<(), ConfigError> {
        let config = |extra: &[&str]| {
            let cli = Cli::parse_from(["agora", "serve"].iter().chain(extra));
            let Command::Serve(args) = cli.command else {
                panic!("serve parses as serve");
            };
            ServeConfig::from_args(&args)
        };
        assert_eq!(config(&[])?.http_workers, defaults::http_workers());
        assert_eq!(config(&["--http-workers", "3"])?.http_workers, 3);
        assert!(matches!(
            config(&["--http-workers", "0"]),
            Err(ConfigError::HttpWorkers)
        ));
        Ok(())
    }

    #[test]
    fn serve_defaults_to_disk_on_loopback_8080_with_demo_data() -> Result<(), ConfigError> {
        let cli = Cli::parse_from(["agora", "serve"]);
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve");
        };
        let config = ServeConfig::from_args(&args)?;
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.storage, Storage::Disk(PathBuf::from("agora-data")));
        assert!(config.demo);
        assert_eq!(config.query_timeout, Duration::from_secs(10));
        Ok(())
    }
}
