//! Unit tests of the store's record graphs and published default graph (in memory).

use oxigraph::io::RdfFormat;
use oxigraph::sparql::CancellationToken;

use super::*;
use crate::ingest::parse_records;

fn store() -> Store {
    Store::in_memory(&BaseIri::parse("https://agora.test").expect("valid base")).expect("store")
}

fn record(turtle: &str) -> Record {
    parse_records(turtle.as_bytes(), RdfFormat::Turtle, "test")
        .expect("test record parses")
        .remove(0)
}

fn published(store: &Store, subject: &str) -> usize {
    let rows = store
        .select(
            &format!("SELECT * WHERE {{ <{subject}> ?p ?o }}"),
            CancellationToken::new(),
        )
        .expect("query runs");
    rows.len()
}

const ORG: &str = "http://www.w3.org/ns/org#";

fn organisation(iri: &str, label: &str, shared: &str) -> String {
    format!(
        "<{iri}> a <{ORG}Organization> ; <http://www.w3.org/2004/02/skos/core#prefLabel> \"{label}\" .\n\
         <http://e/shared> <http://e/p> \"{shared}\" ."
    )
}

#[test]
fn store_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Store>();
}

#[test]
fn a_record_is_published_and_replaced() -> Result<(), StoreError> {
    let store = store();
    let first = record(&organisation("http://e/a", "A", "x"));
    assert_eq!(
        store.put_records(std::slice::from_ref(&first))?,
        vec![PutOutcome::Created]
    );
    assert_eq!(store.put_records(&[first])?, vec![PutOutcome::Unchanged]);
    assert_eq!(published(&store, "http://e/a"), 2);
    let second = record(&organisation("http://e/a", "A2", "y"));
    assert_eq!(store.put_records(&[second])?, vec![PutOutcome::Replaced]);
    assert_eq!(published(&store, "http://e/a"), 2);
    // the old value of the shared subject left the published graph
    assert_eq!(published(&store, "http://e/shared"), 1);
    assert_eq!(store.record_count()?, 1);
    Ok(())
}

#[test]
fn a_triple_stated_by_two_records_stays_published_until_both_drop_it() -> Result<(), StoreError> {
    let store = store();
    store.put_records(&[
        record(&organisation("http://e/a", "A", "same")),
        record(&organisation("http://e/b", "B", "same")),
    ])?;
    assert_eq!(published(&store, "http://e/shared"), 1);
    store.put_records(&[record(&organisation("http://e/a", "A", "other"))])?;
    // b still states "same"; a now states "other"
    assert_eq!(published(&store, "http://e/shared"), 2);
    store.put_records(&[record(&organisation("http://e/b", "B", "other"))])?;
    assert_eq!(published(&store, "http://e/shared"), 1);
    Ok(())
}

#[test]
fn the_on_disk_store_keeps_records_across_reopening() -> Result<(), Box<dyn std::error::Error>> {
    let folder = tempfile::tempdir()?;
    let base = BaseIri::parse("https://agora.test")?;
    {
        let store = Store::open(folder.path(), &base)?;
        store.put_records(&[record(&organisation("http://e/a", "A", "x"))])?;
    }
    let store = Store::open(folder.path(), &base)?;
    assert_eq!(store.record_count()?, 1);
    assert_eq!(published(&store, "http://e/a"), 2);
    Ok(())
}

#[test]
fn a_second_process_is_told_the_folder_is_in_use() -> Result<(), Box<dyn std::error::Error>> {
    let folder = tempfile::tempdir()?;
    let base = BaseIri::parse("https://agora.test")?;
    let _first = Store::open(folder.path(), &base)?;
    let Err(error) = Store::open(folder.path(), &base) else {
        panic!("a second open of the same folder must fail");
    };
    assert!(matches!(error, StoreError::Locked { .. }), "{error}");
    Ok(())
}
