//! The real `agora` binary as a server: `agora push` against it, and a server killed with
//! SIGKILL in the middle of a stream of pushes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::{temp_data_dir, KALEIDOS_TOKEN};

/// A server process on a free port, its address read from its log.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
}

pub(crate) fn start_server(data: &std::path::Path) -> Server {
    start_server_with(data, &[])
}

/// A server on `data` with extra command-line arguments.
pub(crate) fn start_server_with(data: &std::path::Path, extra: &[&str]) -> Server {
    start(server_command(data, extra))
}

/// The command [`start_server_with`] runs, to be changed before [`start`].
pub(crate) fn server_command(data: &std::path::Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_agora"));
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--no-demo", "--data"])
        .arg(data)
        .args(["--token", &format!("kaleidos:{KALEIDOS_TOKEN}")])
        .args(extra)
        .env("RUST_LOG", "info")
        .env("AGORA_LOG_FORMAT", "human");
    command
}

/// Starts `command` (an `agora serve`) and waits for the address it logs.
pub(crate) fn start(mut command: Command) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the agora binary starts");
    // The address is in the "listening" log line (on stdout or stderr).
    let (sender, receiver) = std::sync::mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(start) = line.find("http://127.0.0.1:") {
                    let address: String = line[start..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || ":/.".contains(*c))
                        .collect();
                    let _ = sender.send(address.trim_end_matches('/').to_owned());
                }
            }
        });
    }
    let address = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the server logs its address");
    Server { child, address }
}

pub(crate) fn organisation(index: usize) -> (String, String) {
    let root =
        format!("https://agora.vlaanderen.be/id/organisatie/7e570000-00aa-4000-8000-{index:012}");
    let turtle = format!(
        "<{root}> a <http://www.w3.org/ns/org#Organization> ;\n\
         <http://www.w3.org/2004/02/skos/core#prefLabel> \"Organisatie {index}\"@nl , \"Organisation {index}\"@en ."
    );
    (root, turtle)
}

#[test]
fn agora_push_prints_the_outcome_and_the_report() {
    let (_dir, data) = temp_data_dir();
    let mut server = start_server(&data);
    let folder = tempfile::tempdir().expect("a folder");
    let token = folder.path().join("token");
    std::fs::write(&token, format!("{KALEIDOS_TOKEN}\n")).expect("written");
    let fixtures = format!("{}/fixtures", env!("CARGO_MANIFEST_DIR"));
    let push = |files: &[String]| {
        Command::new(env!("CARGO_BIN_EXE_agora"))
            .arg("push")
            .args(files)
            .args(["--to", &server.address, "--token-file"])
            .arg(&token)
            .output()
            .expect("agora push runs")
    };
    let good = push(&[format!("{fixtures}/valid/organisatie.ttl")]);
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert_eq!(good.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("created (version 1)"), "{stdout}");

    let bad = push(&[format!(
        "{fixtures}/invalid/burgervoorstel-met-e-mailadres.ttl"
    )]);
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("refused (422"), "{stdout}");
    assert!(stdout.contains("Violation"), "{stdout}");

    let missing = push(&["/nonexistent.ttl".to_owned()]);
    assert_eq!(missing.status.code(), Some(2));
    let _ = server.child.kill();
    let _ = server.child.wait();
}

#[test]
fn a_server_killed_mid_stream_keeps_every_acknowledged_write_and_no_partial_record() {
    let (_dir, data) = temp_data_dir();
    let mut server = start_server(&data);
    let client = blocking::client();
    let url = format!("{}/api/records", server.address);
    let mut acknowledged = Vec::new();
    let killer = {
        let pid = server.child.id();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(1500));
            // SIGKILL: no shutdown, no flush.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        })
    };
    for index in 0..100_000 {
        let (root, turtle) = organisation(index);
        match client.post(&url, KALEIDOS_TOKEN, &turtle) {
            Some(201) => acknowledged.push(root),
            Some(status) => panic!("push {index} got {status}"),
            None => break, // the server is gone
        }
    }
    killer.join().expect("the killer thread");
    let _ = server.child.wait();
    assert!(
        acknowledged.len() > 5,
        "only {} pushes before the kill",
        acknowledged.len()
    );

    let mut server = start_server(&data);
    let query = |q: &str| client.select(&server.address, q);
    for root in &acknowledged {
        let rows = query(&format!(
            "SELECT ?l WHERE {{ <{root}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
        ));
        assert_eq!(rows, 2, "acknowledged record {root} is missing or partial");
    }
    // no record is partial: every stored organisation has both labels and its version
    let partial = query(
        "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> . \
         FILTER NOT EXISTS { ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?nl FILTER(lang(?nl) = 'nl') \
                              ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?en FILTER(lang(?en) = 'en') \
                              ?v <http://www.w3.org/ns/prov#specializationOf> ?o } }",
    );
    assert_eq!(partial, 0, "a partial record survived the kill");
    let _ = server.child.kill();
    let _ = server.child.wait();
}

/// SIGTERM while a large batch is being validated and written: the server finishes the request
/// in flight before it exits (axum's graceful shutdown waits for it, and the runtime waits for
/// the blocking write), so the batch is acknowledged and whole after a restart.
#[test]
fn sigterm_during_a_large_push_finishes_it_or_refuses_it_whole() {
    // Batch validation is quadratic in the batch size (each record sees the rest of the batch
    // as context): 300 records take seconds in a debug build, long enough to be interrupted.
    const RECORDS: usize = 300;
    let (_dir, data) = temp_data_dir();
    let mut server = start_server(&data);
    let mut batch = String::new();
    for index in 0..RECORDS {
        let (root, turtle) = organisation(500_000 + index);
        batch.push_str(&format!("<{root}> {{\n{turtle}\n}}\n"));
    }
    let url = format!("{}/api/records", server.address);
    let pusher = std::thread::spawn(move || {
        let client = blocking::client_with_timeout(Duration::from_secs(120));
        client.post_as(&url, KALEIDOS_TOKEN, "application/trig", &batch)
    });
    std::thread::sleep(Duration::from_millis(800));
    let pid = server.child.id();
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let answer = pusher.join().expect("the pusher thread");
    let status = server.child.wait().expect("the server exits");
    assert!(
        status.success(),
        "the server did not stop cleanly: {status}"
    );

    let mut server = start_server(&data);
    let client = blocking::client();
    let stored = client.select(
        &server.address,
        "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> }",
    );
    // The batch was sent well before the signal, so graceful shutdown must finish it.
    assert_eq!(answer, Some(201), "the push in flight was not finished");
    assert_eq!(stored, RECORDS, "an acknowledged batch is not whole");
    let _ = server.child.kill();
    let _ = server.child.wait();
}

/// A tiny blocking client over reqwest's async one (reqwest is built without `blocking`).
pub(crate) mod blocking {
    pub struct Client {
        runtime: tokio::runtime::Runtime,
        inner: reqwest::Client,
    }

    pub fn client() -> Client {
        client_with_timeout(std::time::Duration::from_secs(10))
    }

    pub fn client_with_timeout(timeout: std::time::Duration) -> Client {
        Client {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            inner: reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .expect("a client"),
        }
    }

    impl Client {
        /// POSTs Turtle; `None` when the server cannot be reached (killed).
        pub fn post(&self, url: &str, token: &str, turtle: &str) -> Option<u16> {
            self.post_as(url, token, "text/turtle", turtle)
        }

        /// POSTs a body of `media_type`; `None` when the server cannot be reached.
        pub fn post_as(&self, url: &str, token: &str, media_type: &str, body: &str) -> Option<u16> {
            self.runtime.block_on(async {
                let response = self
                    .inner
                    .post(url)
                    .bearer_auth(token)
                    .header("Content-Type", media_type)
                    .body(body.to_owned())
                    .send()
                    .await
                    .ok()?;
                Some(response.status().as_u16())
            })
        }

        /// POSTs a body of `media_type`; the status and the answer's text, `None` when the
        /// server cannot be reached.
        pub fn post_text(
            &self,
            url: &str,
            token: &str,
            media_type: &str,
            body: &str,
        ) -> Option<(u16, String)> {
            self.runtime.block_on(async {
                let response = self
                    .inner
                    .post(url)
                    .bearer_auth(token)
                    .header("Content-Type", media_type)
                    .body(body.to_owned())
                    .send()
                    .await
                    .ok()?;
                let status = response.status().as_u16();
                Some((status, response.text().await.ok()?))
            })
        }

        /// GETs `url`; the status and the body, `None` when the server cannot be reached.
        pub fn get(&self, url: &str) -> Option<(u16, Vec<u8>)> {
            self.runtime.block_on(async {
                let response = self.inner.get(url).send().await.ok()?;
                let status = response.status().as_u16();
                Some((status, response.bytes().await.ok()?.to_vec()))
            })
        }

        /// The number of solutions of a SELECT.
        pub fn select(&self, address: &str, query: &str) -> usize {
            self.runtime.block_on(async {
                let response = self
                    .inner
                    .get(format!("{address}/sparql"))
                    .query(&[("query", query)])
                    .header("Accept", "application/sparql-results+json")
                    .send()
                    .await
                    .expect("the query is sent");
                let status = response.status();
                let text = response.text().await.expect("an answer");
                assert_eq!(status, 200, "{query}\n{text}");
                let body: serde_json::Value = serde_json::from_str(&text).expect("JSON results");
                body["results"]["bindings"].as_array().map_or(0, Vec::len)
            })
        }
    }
}
