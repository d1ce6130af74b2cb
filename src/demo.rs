//! The data compiled into the binary: the ontology and code lists (reference data) and the demo
//! records of `fixtures/demo`, so that an installed `agora` needs no files beside it.

use std::collections::HashMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use oxigraph::model::{BlankNode, Triple};

use crate::ingest::{format_of_path, parse_quads, parse_records, IngestError};
use crate::model::{rename_blank_nodes, Record};
use crate::store::{Store, StoreError, WriteError};
use crate::validate::{Shapes, ShapesError};

static ONTOLOGY: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/ontology");
static REFERENCE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/reference");
static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/demo");
static SHAPES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/shapes");

/// Why the embedded data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// An embedded file does not parse (caught by the tests before it ships).
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A demo record was refused (caught by the tests before it ships).
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The holder the demo records belong to.
pub const DEMO_HOLDER: &str = "agora-demo";

/// What [`load_if_empty`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    /// Triples of reference data written.
    pub reference_triples: usize,
    /// Demo records written (0 when the store already held data).
    pub records: usize,
}

fn rdf_files<'a>(dir: &'a Dir<'a>) -> impl Iterator<Item = &'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir
        .files()
        .filter(|file| format_of_path(file.path()).is_some())
        .collect();
    files.sort_by_key(|file| file.path());
    files.into_iter()
}

/// The ontology and every code list, as triples for the reference graph.
///
/// The same on every call: the parser gives each anonymous blank node (an `owl:unionOf` list,
/// say) a random label, and the reference graph is refreshed at every start by comparing the
/// stored triples with these, so random labels made every start rewrite those triples (and leave
/// a small file in the store's first level each time). Blank nodes are relabelled
/// `reference-{n}`, numbered in the order they first appear.
pub fn reference_triples() -> Result<Vec<Triple>, IngestError> {
    let mut labels: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut triples = Vec::new();
    for file in rdf_files(&ONTOLOGY).chain(rdf_files(&REFERENCE)) {
        let (format, name) = describe(file.path());
        for quad in parse_quads(file.contents(), format, &name)? {
            let mut triple = Triple::from(quad);
            rename_blank_nodes(&mut triple, |node| {
                let next = labels.len();
                labels
                    .entry(node.clone())
                    .or_insert_with(|| BlankNode::new_unchecked(format!("reference-{next}")))
                    .clone()
            });
            triples.push(triple);
        }
    }
    Ok(triples)
}

/// The shapes file that checks references between records: only meaningful in context.
pub const IN_CONTEXT_SHAPES: &str = "verwijzingen.ttl";

/// The built-in shapes for offline validation (`agora validate`): every file of `shapes/` except
/// the references between records ([`IN_CONTEXT_SHAPES`]), which need the stored data.
pub fn shapes() -> Result<Shapes, ShapesError> {
    shapes_where(|name| name != IN_CONTEXT_SHAPES)
}

/// Every built-in shape, for validation in context (pushes): [`shapes`] plus the references
/// between records.
pub fn shapes_in_context() -> Result<Shapes, ShapesError> {
    shapes_where(|_| true)
}

fn shapes_where(keep: impl Fn(&str) -> bool) -> Result<Shapes, ShapesError> {
    let mut triples = Vec::new();
    for file in rdf_files(&SHAPES).filter(|file| {
        keep(
            file.path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(""),
        )
    }) {
        let (format, name) = describe(file.path());
        triples.extend(
            parse_quads(file.contents(), format, &name)
                .map_err(|error| match error {
                    IngestError::Syntax {
                        source_name,
                        location,
                        message,
                    } => ShapesError::Syntax {
                        source_name,
                        location,
                        message,
                    },
                    other => ShapesError::Syntax {
                        source_name: name.clone(),
                        location: "?".to_owned(),
                        message: other.to_string(),
                    },
                })?
                .into_iter()
                .map(Triple::from),
        );
    }
    Shapes::from_triples(&triples)
}

/// The Turtle source of the built-in shapes file `{name}.ttl`, published at
/// `{base}/shapes/{name}` (the shape IRIs are `{base}/shapes/{name}#{Shape}`).
pub fn shapes_file(name: &str) -> Option<&'static [u8]> {
    let name = name.strip_suffix(".ttl").unwrap_or(name);
    SHAPES
        .files()
        .find(|file| file.path().file_stem().and_then(|s| s.to_str()) == Some(name))
        .map(|file| file.contents())
}

/// The demo records.
pub fn demo_records() -> Result<Vec<Record>, IngestError> {
    let mut records = Vec::new();
    for file in rdf_files(&DEMO) {
        let (format, name) = describe(file.path());
        records.extend(parse_records(file.contents(), format, &name)?);
    }
    Ok(records)
}

fn describe(path: &Path) -> (oxigraph::io::RdfFormat, String) {
    let format = format_of_path(path).expect("rdf_files keeps only files with an RDF extension");
    (format, path.display().to_string())
}

/// Refreshes the reference data (it ships with the binary, so a new release updates it), and
/// loads the demo records when `with_demo` is set and the store holds no record yet.
pub fn load(store: &Store, with_demo: bool) -> Result<Loaded, DemoError> {
    let reference = reference_triples()?;
    store.put_reference_data(&reference)?;
    let mut records = 0;
    if with_demo && store.record_count()? == 0 {
        let demo = demo_records()?;
        records = demo.len();
        store.put_records(DEMO_HOLDER, &demo)?;
    }
    Ok(Loaded {
        reference_triples: reference.len(),
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_data_is_the_same_at_every_start() -> Result<(), Box<dyn std::error::Error>> {
        let first = reference_triples()?;
        assert!(
            first.iter().any(|triple| triple.subject.is_blank_node()),
            "the ontology has blank nodes (owl:unionOf lists): this test would prove nothing"
        );
        assert_eq!(first, reference_triples()?);
        let store = Store::in_memory(&crate::model::BaseIri::parse("https://agora.test")?)?;
        assert_eq!(
            store.put_reference_data(&first)?,
            crate::store::PutOutcome::Created
        );
        assert_eq!(
            store.put_reference_data(&reference_triples()?)?,
            crate::store::PutOutcome::Unchanged,
            "a restart does not rewrite the reference graph"
        );
        Ok(())
    }

    #[test]
    fn the_built_in_shapes_load_and_every_demo_record_conforms(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let shapes = shapes()?;
        let reference = reference_triples()?;
        for record in demo_records()? {
            let mut data = crate::validate::DataGraph::from_triples(record.triples());
            data.add_context(&reference);
            let report = shapes.validate(&data)?;
            assert!(
                report.results.is_empty(),
                "{}: {:?}",
                record.root(),
                report.results
            );
        }
        Ok(())
    }

    #[test]
    fn every_demo_record_conforms_in_context_with_the_references_between_records(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let shapes = shapes_in_context()?;
        let reference = reference_triples()?;
        let records = demo_records()?;
        for record in &records {
            let mut data = crate::validate::DataGraph::from_triples(record.triples());
            data.add_context(&reference);
            for other in records.iter().filter(|other| other.root() != record.root()) {
                data.add_context(other.triples());
            }
            let report = shapes.validate(&data)?;
            assert!(
                report.results.is_empty(),
                "{}: {:?}",
                record.root(),
                report.results
            );
        }
        Ok(())
    }

    #[test]
    fn every_embedded_file_parses_and_the_demo_has_records() -> Result<(), IngestError> {
        assert!(!reference_triples()?.is_empty());
        assert!(demo_records()?.len() >= 3);
        Ok(())
    }
}
