//! `agora validate`: checks files against the shapes offline, as a sender would before pushing.
//!
//! Each record is validated with the reference data (code lists, ontology) as context. Exit code:
//! 0 when every record conforms (warnings allowed), 1 when any has a violation, 2 when a file or
//! the shapes cannot be read or parsed (the error is printed, nothing is validated).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use serde_json::json;

use crate::config::{ReportFormat, ValidateArgs};
use crate::demo;
use crate::ingest::{format_of_path, parse_records, IngestError};
use crate::validate::{ContextGraph, DataGraph, Shapes, ValidationReport};

/// Validates every file and prints the reports.
pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let shapes = match &args.shapes {
        Some(dir) => shapes_from(dir)?,
        None => demo::shapes().context("while loading the built-in shapes")?,
    };
    let reference = demo::reference_triples().context("while loading the reference data")?;
    // Interned and indexed once, shared by every record's data graph.
    let reference = ContextGraph::new(&reference);
    // Read and parse everything first: a bad file is exit 2 and nothing is reported.
    let mut inputs = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let format = format_of_path(path).ok_or_else(|| IngestError::UnknownFormat {
            source_name: name.clone(),
        })?;
        let data = std::fs::read(path).map_err(|error| IngestError::Io {
            source_name: name.clone(),
            error,
        })?;
        inputs.push((name.clone(), parse_records(&data, format, &name)?));
    }
    let mut stdout = std::io::stdout().lock();
    let mut violations = 0;
    let mut json_reports = Vec::new();
    for (name, records) in inputs {
        for record in records {
            let mut graph = DataGraph::with_context(&reference);
            graph.extend(record.triples());
            let report = shapes.validate(&graph)?;
            violations += report.violation_count();
            match args.format {
                ReportFormat::Text => {
                    write_text(&mut stdout, &name, record.root().as_str(), &report)?
                }
                ReportFormat::Turtle => {
                    let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle)
                        .with_prefix("sh", "http://www.w3.org/ns/shacl#")?
                        .for_writer(&mut stdout);
                    for triple in report.to_triples() {
                        serializer.serialize_triple(&triple)?;
                    }
                    serializer.finish()?;
                }
                ReportFormat::Json => {
                    json_reports.push(to_json(&name, record.root().as_str(), &report))
                }
            }
        }
    }
    if args.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut stdout, &json_reports)?;
        writeln!(stdout)?;
    }
    Ok(if violations == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn shapes_from(dir: &Path) -> anyhow::Result<Shapes> {
    let mut triples = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("while reading {}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| format_of_path(path).is_some())
        .collect();
    paths.sort();
    for path in paths {
        let name = path.display().to_string();
        let data = std::fs::read(&path).with_context(|| format!("while reading {name}"))?;
        let format = format_of_path(&path).unwrap_or(RdfFormat::Turtle);
        triples.extend(
            crate::ingest::parse_quads(&data, format, &name)?
                .into_iter()
                .map(oxigraph::model::Triple::from),
        );
    }
    Ok(Shapes::from_triples(&triples)?)
}

fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => node.as_str().to_owned(),
        Term::Literal(literal) => literal.value().to_owned(),
        other => other.to_string(),
    }
}

/// The messages of a result in English first, then Dutch, then untagged.
fn messages(report_messages: &[Term]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report_messages
        .iter()
        .filter_map(|term| match term {
            Term::Literal(literal) => Some((
                literal.language().unwrap_or("").to_owned(),
                literal.value().to_owned(),
            )),
            _ => None,
        })
        .collect();
    out.sort_by_key(|(language, _)| match language.as_str() {
        "en" => 0,
        "nl" => 1,
        _ => 2,
    });
    out
}

fn write_text(
    out: &mut impl Write,
    name: &str,
    root: &str,
    report: &ValidationReport,
) -> std::io::Result<()> {
    if report.results.is_empty() {
        return writeln!(out, "{name}: <{root}> conforms");
    }
    writeln!(out, "{name}: <{root}>: {} result(s)", report.results.len())?;
    for result in &report.results {
        let path = result
            .result_path
            .as_ref()
            .and_then(|path| path.as_predicate())
            .map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned());
        let severity = result.severity.as_str().rsplit('#').next().unwrap_or("");
        let component = result
            .source_constraint_component
            .as_str()
            .rsplit('#')
            .next()
            .unwrap_or("");
        writeln!(
            out,
            "  {severity}: focus <{}> path <{path}>{} [{component}]",
            term_text(&result.focus_node),
            result
                .value
                .as_ref()
                .map(|value| format!(" value {value}"))
                .unwrap_or_default(),
        )?;
        for (language, message) in messages(&result.messages) {
            writeln!(out, "    {language}: {message}")?;
        }
    }
    Ok(())
}

fn to_json(name: &str, root: &str, report: &ValidationReport) -> serde_json::Value {
    json!({
        "file": name,
        "record": root,
        "conforms": report.violation_count() == 0,
        "results": report.results.iter().map(|result| json!({
            "severity": result.severity.as_str(),
            "focusNode": term_text(&result.focus_node),
            "path": result.result_path.as_ref().and_then(|p| p.as_predicate()).map(|p| p.as_str().to_owned()),
            "value": result.value.as_ref().map(term_text),
            "constraintComponent": result.source_constraint_component.as_str(),
            "sourceShape": term_text(&result.source_shape),
            "messages": messages(&result.messages)
                .into_iter()
                .map(|(language, text)| json!({"language": language, "text": text}))
                .collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
