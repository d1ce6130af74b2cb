//! Browser checks of the pages against a real Agora with the demo data: `tests/browser/check.mjs`
//! drives Debian's headless chromium with playwright-core and runs axe-core (WCAG 2.0/2.1 A and
//! AA, serious and critical violations fail) on up to two pages of every page type it reaches
//! from `/`, checks landmarks, headings, labels, the skip link, the Content-Security-Policy
//! header, the way home → meeting → decision → back, the language switch, and writes full-page
//! screenshots to `target/tmp/browser-screenshots` (under `CARGO_TARGET_DIR`, not committed).
//!
//! The tools are installed by `tests/browser/install.sh` (which `.ci/run` calls) and found through
//! `AGORA_BROWSER_TOOLS` (a `node_modules` folder holding playwright-core and axe-core; default
//! `~/.cache/agora/browser/node_modules`), `AGORA_CHROMIUM` (default `/usr/bin/chromium`, from
//! `apt-get install -y chromium`), `AGORA_NODE` (default `node`) and `AGORA_SCREENSHOTS`. A
//! missing tool fails the test with the command that installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::spawn_app;

/// How long the whole script may take: it takes 30 to 60 s on two busy cores.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

const INSTALL: &str = "install the browser tools with `bash tests/browser/install.sh` and the \
     browser with `sudo apt-get install -y chromium` (CI does both), or point \
     AGORA_BROWSER_TOOLS / AGORA_CHROMIUM / AGORA_NODE at existing installs";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn env_path(name: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(name).map_or(default, PathBuf::from)
}

fn tools_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    env_path(
        "AGORA_BROWSER_TOOLS",
        home.join(".cache/agora/browser/node_modules"),
    )
}

/// Runs `tests/browser/install.sh` when the tools are looked for in their default place, so that
/// `cargo test` alone is enough on a machine with chromium. The script is idempotent and takes a
/// few milliseconds once installed.
fn ensure_installed() {
    if std::env::var_os("AGORA_BROWSER_TOOLS").is_some() {
        return;
    }
    // If this fails, the test fails below with the install command and what is missing.
    let _ = Command::new("bash")
        .arg(browser_dir().join("install.sh"))
        .stdout(Stdio::null())
        .status();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stdout)]
async fn every_page_type_passes_the_browser_checks() {
    tokio::task::spawn_blocking(ensure_installed)
        .await
        .expect("the install step ends");
    let tools = tools_dir();
    for needed in ["playwright-core/package.json", "axe-core/axe.min.js"] {
        assert!(
            tools.join(needed).is_file(),
            "no {needed} in {}: {INSTALL}",
            tools.display()
        );
    }
    let chromium = env_path("AGORA_CHROMIUM", PathBuf::from("/usr/bin/chromium"));
    assert!(
        chromium.is_file(),
        "no chromium at {}: {INSTALL}",
        chromium.display()
    );
    let node = env_path("AGORA_NODE", PathBuf::from("node"));
    let screenshots = env_path(
        "AGORA_SCREENSHOTS",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots"),
    );

    let app = spawn_app().await;
    let mut command = Command::new(&node);
    command
        .arg(browser_dir().join("check.mjs"))
        .arg(&app.address)
        .env("AGORA_BROWSER_TOOLS", &tools)
        .env("AGORA_CHROMIUM", &chromium)
        .env("AGORA_SCREENSHOTS", &screenshots)
        .stdin(Stdio::null());
    let started = Instant::now();
    let run = tokio::task::spawn_blocking(move || command.output());
    let output = tokio::time::timeout(SCRIPT_TIMEOUT, run)
        .await
        .unwrap_or_else(|_| panic!("the browser checks gave no answer in {SCRIPT_TIMEOUT:?}"))
        .expect("the script thread ends")
        .unwrap_or_else(|error| panic!("{} does not run: {error}; {INSTALL}", node.display()));
    let elapsed = started.elapsed();
    app.stop().await;

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}{stderr}");
    println!("browser test: node ran {:.1} s", elapsed.as_secs_f64());
    match output.status.code() {
        Some(0) => {}
        Some(1) => panic!(
            "the pages fail the browser checks (see the [check] sections above; \
             `failed checks:` names them):\n{stdout}"
        ),
        _ => panic!(
            "the browser checks could not run ({}): {INSTALL}\n{stdout}{stderr}",
            output.status
        ),
    }
}
