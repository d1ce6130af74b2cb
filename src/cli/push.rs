//! `agora push`: sends files to a running Agora's push API and prints the outcome per record.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::PushArgs;
use crate::ingest::{format_of_path, IngestError};

/// Pushes every file, one request each, and reports.
pub fn run(args: &PushArgs) -> anyhow::Result<ExitCode> {
    let token = std::fs::read_to_string(&args.token_file)
        .with_context(|| format!("while reading the token file {}", args.token_file.display()))?
        .lines()
        .next()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    anyhow::ensure!(
        !token.is_empty(),
        "the token file {} is empty",
        args.token_file.display()
    );
    // Read everything first: a file that cannot be read is exit 2 and nothing is sent.
    let mut bodies = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let format = format_of_path(path).ok_or_else(|| IngestError::UnknownFormat {
            source_name: name.clone(),
        })?;
        let data = std::fs::read(path).map_err(|error| IngestError::Io {
            source_name: name.clone(),
            error,
        })?;
        bodies.push((name, format.media_type(), data));
    }
    let url = format!("{}/api/records", args.to.trim_end_matches('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("while starting the async runtime")?;
    let client = reqwest::Client::new();
    let mut refused = 0;
    let mut stdout = std::io::stdout().lock();
    for (name, media_type, data) in bodies {
        let response = runtime
            .block_on(
                client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("Content-Type", media_type)
                    .header("Accept", "application/json")
                    .body(data)
                    .send(),
            )
            .with_context(|| format!("while sending {name} to {url}"))?;
        let status = response.status();
        let text = runtime
            .block_on(response.text())
            .with_context(|| format!("while reading the answer to {name}"))?;
        if status.is_success() {
            let body: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("the answer to {name} is not JSON: {text}"))?;
            for record in body["records"].as_array().into_iter().flatten() {
                let pending = record["publishAt"]
                    .as_str()
                    .map(|time| format!(", embargoed until {time}"))
                    .unwrap_or_default();
                writeln!(
                    stdout,
                    "{name}: <{}> {} (version {}{pending}) {}",
                    record["root"].as_str().unwrap_or("?"),
                    record["outcome"].as_str().unwrap_or("?"),
                    record["version"],
                    record["url"].as_str().unwrap_or(""),
                )?;
            }
        } else {
            refused += 1;
            writeln!(stdout, "{name}: refused ({status})")?;
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(report) => print_report(&mut stdout, &report)?,
                Err(_) => writeln!(stdout, "  {}", text.trim())?,
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(out: &mut impl Write, report: &serde_json::Value) -> std::io::Result<()> {
    for record in report["records"].as_array().into_iter().flatten() {
        let results = record["results"].as_array().map_or(&[][..], Vec::as_slice);
        if results.is_empty() {
            continue;
        }
        writeln!(out, "  <{}>:", record["root"].as_str().unwrap_or("?"))?;
        for result in results {
            let severity = result["severity"]
                .as_str()
                .and_then(|s| s.rsplit('#').next())
                .unwrap_or("");
            let message = result["messages"][0]["text"].as_str().unwrap_or("");
            writeln!(
                out,
                "    {severity}: focus <{}> path <{}>{}: {message}",
                result["focusNode"].as_str().unwrap_or("?"),
                result["path"].as_str().unwrap_or("-"),
                result["value"]
                    .as_str()
                    .map(|value| format!(" value {value}"))
                    .unwrap_or_default(),
            )?;
        }
    }
    Ok(())
}
