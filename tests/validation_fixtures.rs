//! Data-driven validation cases: every `fixtures/valid` file conforms to the built-in shapes, and
//! every `fixtures/invalid` file gives exactly the results listed in its `.expected.txt`
//! (`severity \t focus node \t path or - \t component`, sorted). A new case is a new file.

use std::path::Path;

use agora::validate::{DataGraph, ValidationReport};

fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

fn summary(report: &ValidationReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .results
        .iter()
        .map(|result| {
            let focus = match &result.focus_node {
                oxigraph::model::Term::NamedNode(node) => node.as_str().to_owned(),
                other => other.to_string(),
            };
            let path = result
                .result_path
                .as_ref()
                .and_then(|path| path.as_predicate())
                .map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned());
            format!(
                "{}\t{focus}\t{path}\t{}",
                local_name(result.severity.as_str()),
                local_name(result.source_constraint_component.as_str())
            )
        })
        .collect();
    lines.sort();
    lines
}

fn check(path: &Path) -> Vec<String> {
    let shapes = agora::demo::shapes().expect("the built-in shapes load");
    let reference = agora::demo::reference_triples().expect("reference data parses");
    let data = std::fs::read(path).expect("readable");
    let records = agora::ingest::parse_records(
        &data,
        oxigraph::io::RdfFormat::Turtle,
        &path.display().to_string(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let mut graph = DataGraph::from_triples(records[0].triples());
    graph.add_context(&reference);
    summary(&shapes.validate(&graph).expect("validation runs"))
}

fn ttl_files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ttl"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_valid_fixture_conforms() {
    let files = ttl_files("fixtures/valid");
    assert!(!files.is_empty());
    for path in files {
        assert_eq!(check(&path), Vec::<String>::new(), "{}", path.display());
    }
}

#[test]
fn every_invalid_fixture_gives_its_expected_report() {
    let files = ttl_files("fixtures/invalid");
    assert!(files.len() >= 40);
    let mut mismatches = Vec::new();
    for path in files {
        let expected_path = path.with_extension("expected.txt");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected.txt", path.display()));
        let mut expected: Vec<String> = expected
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect();
        expected.sort();
        let actual = check(&path);
        if actual != expected {
            mismatches.push(format!(
                "{}\n  expected: {expected:?}\n  actual:   {actual:?}",
                path.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
