//! `spawn_app`: the real application on a free loopback port, with a fresh store per test.

use std::path::PathBuf;
use std::time::Duration;

use agora::app::Application;
use agora::config::{ServeConfig, Storage};
use agora::model::BaseIri;
use tokio::sync::oneshot;

/// A running Agora and a client to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:{port}`.
    pub address: String,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// The application's store, for arranging data that no HTTP route writes yet.
    pub store: agora::store::Store,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// The remote store the application keeps its data in, if any (kept running while the
    /// application runs).
    pub remote: Option<std::sync::Arc<OxigraphServer>>,
}

/// The `oxigraph` command: `$AGORA_OXIGRAPH`, else the one `tests/clients/install.sh` puts in
/// `~/.cache/agora/venv` (installed on first use, so that `cargo test` alone is enough on a fresh
/// machine), else `oxigraph` on the PATH.
fn oxigraph_binary() -> String {
    if let Ok(binary) = std::env::var("AGORA_OXIGRAPH") {
        return binary;
    }
    static INSTALLED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let home = std::env::var_os("HOME")
                .map_or_else(|| std::path::PathBuf::from("."), std::path::PathBuf::from);
            let cached = home.join(".cache/agora/venv/bin/oxigraph");
            if !cached.exists() {
                // If this fails, starting the server fails with the install command.
                let _ = std::process::Command::new("bash")
                    .arg(
                        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                            .join("tests/clients/install.sh"),
                    )
                    .stdout(std::process::Stdio::null())
                    .status();
            }
            if cached.exists() {
                cached.display().to_string()
            } else {
                "oxigraph".to_owned()
            }
        })
        .clone()
}

/// An `oxigraph serve` on a free loopback port over a fresh folder, stopped when dropped: the
/// remote store of the remote-store tests. The binary is [`oxigraph_binary`].
pub struct OxigraphServer {
    child: std::process::Child,
    /// `http://127.0.0.1:{port}`.
    pub url: String,
    _folder: tempfile::TempDir,
}

impl OxigraphServer {
    /// Starts the server and waits until it answers queries.
    pub fn start() -> Self {
        let binary = oxigraph_binary();
        let folder = tempfile::tempdir().expect("a temporary folder");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(&binary)
            .arg("serve")
            .arg("--location")
            .arg(folder.path())
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start `{binary} serve` ({error}): install the pip package oxigraph \
                     (pip install oxigraph==0.5.13) or set AGORA_OXIGRAPH"
                )
            });
        let mut server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _folder: folder,
        };
        let started = std::time::Instant::now();
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("`{binary} serve` stopped at once: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "`{binary} serve` did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Agora's configuration for this store: the test configuration with its data here.
    pub fn config(&self) -> ServeConfig {
        let mut config = test_config();
        config.storage = Storage::Remote(agora::store::RemoteEndpoints::oxigraph(&self.url));
        config
    }
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the tests keep their data in a remote store (`AGORA_TEST_STORE=oxigraph`): then every
/// test that would use an in-memory store gets its own `oxigraph serve` instead, so a whole test
/// group runs against the remote store backend.
pub fn remote_by_default() -> bool {
    std::env::var("AGORA_TEST_STORE").is_ok_and(|store| store == "oxigraph")
}

/// The configuration tests start from: in memory, demo data, port 0.
pub fn test_config() -> ServeConfig {
    let mut config = ServeConfig::new(
        Storage::Memory,
        BaseIri::parse("https://agora.vlaanderen.be").expect("valid base"),
    );
    config.bind = "127.0.0.1:0".parse().expect("valid address");
    config.max_concurrent_queries = 4;
    config.max_body_bytes = 64 * 1024;
    config.max_push_bytes = 256 * 1024;
    config.tokens = test_tokens();
    config.access.max_queries_per_client = 4;
    config
}

/// The secret of the test holder "kaleidos".
/// A query that runs far longer than any test's time limit on the demo data, and that the time
/// limit can stop: a product of two parts (the endpoint refuses three, see `sparql::joins`)
/// with a hash to compute for every pair, so each row read is followed by a few milliseconds of
/// work at most before the next cancellation check.
pub const HEAVY_QUERY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f \
     FILTER(SHA512(CONCAT(STR(?c), STR(?f))) = \"\") }";

pub const KALEIDOS_TOKEN: &str = "kaleidos-secret-0123456789";
/// The secret of the test holder "gent".
pub const GENT_TOKEN: &str = "gent-secret-0123456789abcd";

/// Two write tokens: kaleidos (given as a secret) and gent (given as its hash).
pub fn test_tokens() -> agora::auth::Tokens {
    let mut tokens = agora::auth::Tokens::default();
    tokens
        .add(&format!("kaleidos:{KALEIDOS_TOKEN}"), "test")
        .expect("a valid token");
    tokens
        .add(&format!("gent:{}", agora::auth::hashed(GENT_TOKEN)), "test")
        .expect("a valid token");
    tokens
}

/// Starts the application with the demo data in memory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

/// Starts the application with `config`.
pub async fn spawn_app_with(mut config: ServeConfig) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        agora::telemetry::init(agora::config::LogFormat::Human);
    }
    let mut remote = None;
    if config.storage == Storage::Memory && remote_by_default() {
        let server = tokio::task::spawn_blocking(OxigraphServer::start)
            .await
            .expect("the Oxigraph server starts");
        config.storage = server.config().storage;
        remote = Some(std::sync::Arc::new(server));
    }
    let mut app = spawn_app_on(config).await;
    assert_eq!(app.store.is_remote(), remote.is_some());
    app.remote = remote;
    app
}

/// Starts the application with `config` as it is (no remote store substituted).
pub async fn spawn_app_on(config: ServeConfig) -> TestApp {
    let application = Application::build(config)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let store = application.store().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::new(),
        store,
        shutdown: Some(shutdown),
        server: Some(server),
        remote: None,
    }
}

impl TestApp {
    /// Stops the server and waits until it has released its store.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("the server task ends")
                .expect("the server stops cleanly");
        }
    }

    /// GET `path` with an `Accept` header.
    pub async fn get(&self, path: &str, accept: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("Accept", accept)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Sends RDF to `path` with `method`, a bearer token (if any) and extra headers.
    pub async fn send_rdf(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .header("Content-Type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the request is sent")
    }

    /// POSTs Turtle to /api/records with `token`.
    pub async fn push(&self, token: &str, turtle: &str) -> reqwest::Response {
        self.send_rdf(
            reqwest::Method::POST,
            "/api/records",
            Some(token),
            "text/turtle",
            turtle.to_owned(),
            &[],
        )
        .await
    }

    /// A SPARQL query by GET, answered in the media type `accept`.
    pub async fn sparql_get(&self, query: &str, accept: &str) -> reqwest::Response {
        self.client
            .get(format!("{}/sparql", self.address))
            .query(&[("query", query)])
            .header("Accept", accept)
            .send()
            .await
            .expect("the request is sent")
    }

    /// A SELECT query answered as SPARQL JSON, parsed.
    pub async fn sparql_select(&self, query: &str) -> serde_json::Value {
        let response = self
            .sparql_get(query, "application/sparql-results+json")
            .await;
        assert_eq!(response.status(), 200, "query failed: {query}");
        response.json().await.expect("SPARQL JSON results")
    }
}

/// A fresh temporary folder path for an on-disk store.
pub fn temp_data_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("data");
    (dir, path)
}

/// Waits until no process-local handle holds the on-disk store in `data` any more.
///
/// After graceful shutdown, hyper's connection tasks drop their clone of the application state
/// (and so of the store) a moment after `run_until` returns; reopening the folder at once would
/// find it locked.
pub async fn wait_for_release(data: &std::path::Path) {
    let base = BaseIri::parse("https://agora.vlaanderen.be").expect("valid base");
    let started = std::time::Instant::now();
    loop {
        match agora::store::Store::open(data, &base) {
            Ok(_) => return,
            Err(error) if started.elapsed() > Duration::from_secs(10) => {
                panic!("the store is still held 10 s after shutdown: {error}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Log lines written while a [`capture_logs`] guard is alive on this thread.
#[derive(Clone, Default)]
pub struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log buffer")).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("the log buffer")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Captures the logs of this thread (a `#[tokio::test]` runs the server's tasks on it) until
/// the guard is dropped.
pub fn capture_logs() -> (LogBuffer, tracing::subscriber::DefaultGuard) {
    let buffer = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}
