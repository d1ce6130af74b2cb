//! Tidy checks: conventions that keep the code base readable, enforced in `cargo test`.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                // Build output (`fuzz/target` when cargo fuzz runs without a target dir).
                if !path.ends_with("target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    for dir in ["src", "tests", "fuzz"] {
        for path in files_under(&root().join(dir), "rs") {
            let text = std::fs::read_to_string(&path).expect("readable");
            assert!(
                text.starts_with("//!"),
                "{} must open with a //! module doc",
                path.display()
            );
        }
    }
}

#[test]
fn every_query_file_parses_and_opens_with_a_comment() {
    let queries = files_under(&root().join("queries"), "rq");
    assert!(!queries.is_empty());
    for path in queries {
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(
            text.starts_with('#'),
            "{} must open with a comment",
            path.display()
        );
        // Page queries declare their parameters in a VALUES block and parse as they are.
        if let Err(error) = agora::store::parse_query(&text) {
            panic!("{}: {error}", path.display());
        }
    }
}

#[test]
fn every_ontology_and_fixture_file_parses() {
    for dir in ["ontology", "fixtures"] {
        for extension in ["ttl", "nt", "nq", "trig"] {
            for path in files_under(&root().join(dir), extension) {
                let format = agora::ingest::format_of_path(&path).expect("a known format");
                let data = std::fs::read(&path).expect("readable");
                if let Err(error) =
                    agora::ingest::parse_quads(&data, format, &path.display().to_string())
                {
                    panic!("{error}");
                }
            }
        }
    }
}

#[test]
fn every_demo_record_file_holds_exactly_one_record() {
    for path in files_under(&root().join("fixtures/demo"), "ttl") {
        let data = std::fs::read(&path).expect("readable");
        let records = agora::ingest::parse_records(
            &data,
            oxigraph::io::RdfFormat::Turtle,
            &path.display().to_string(),
        );
        match records {
            Ok(records) => assert_eq!(records.len(), 1, "{}", path.display()),
            Err(error) => panic!("{error}"),
        }
    }
}
