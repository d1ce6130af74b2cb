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

const HOLDER: &str = "tester";

fn outcomes(receipts: Vec<WriteReceipt>) -> Vec<PutOutcome> {
    receipts
        .into_iter()
        .map(|receipt| receipt.outcome)
        .collect()
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
fn a_record_is_published_and_replaced() -> Result<(), WriteError> {
    let store = store();
    let first = record(&organisation("http://e/a", "A", "x"));
    assert_eq!(
        outcomes(store.put_records(HOLDER, std::slice::from_ref(&first))?),
        vec![PutOutcome::Created]
    );
    assert_eq!(
        outcomes(store.put_records(HOLDER, &[first])?),
        vec![PutOutcome::Unchanged]
    );
    assert_eq!(published(&store, "http://e/a"), 2);
    let second = record(&organisation("http://e/a", "A2", "y"));
    assert_eq!(
        outcomes(store.put_records(HOLDER, &[second])?),
        vec![PutOutcome::Replaced]
    );
    assert_eq!(published(&store, "http://e/a"), 2);
    // the old value of the shared subject left the published graph
    assert_eq!(published(&store, "http://e/shared"), 1);
    assert_eq!(store.record_count()?, 1);
    Ok(())
}

#[test]
fn a_triple_stated_by_two_records_stays_published_until_both_drop_it() -> Result<(), WriteError> {
    let store = store();
    store.put_records(
        HOLDER,
        &[
            record(&organisation("http://e/a", "A", "same")),
            record(&organisation("http://e/b", "B", "same")),
        ],
    )?;
    assert_eq!(published(&store, "http://e/shared"), 1);
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "other"))])?;
    // b still states "same"; a now states "other"
    assert_eq!(published(&store, "http://e/shared"), 2);
    store.put_records(HOLDER, &[record(&organisation("http://e/b", "B", "other"))])?;
    assert_eq!(published(&store, "http://e/shared"), 1);
    Ok(())
}

#[test]
fn the_on_disk_store_keeps_records_across_reopening() -> Result<(), Box<dyn std::error::Error>> {
    let folder = tempfile::tempdir()?;
    let base = BaseIri::parse("https://agora.test")?;
    {
        let store = Store::open(folder.path(), &base)?;
        store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
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

fn root(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

#[test]
fn every_change_is_a_version_with_its_provenance() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    let receipts = store.put_records(HOLDER, &[record(&organisation("http://e/a", "B", "x"))])?;
    assert_eq!(receipts[0].version, 2);
    let versions = store.versions(root("http://e/a").as_ref())?;
    assert_eq!(versions.len(), 2, "an unchanged push makes no version");
    assert_eq!(versions[0].holder, HOLDER);
    let state = store
        .record_state(receipts[0].id)?
        .expect("the record is known");
    let first = store
        .version_triples(&state, 1)?
        .expect("version 1 is kept");
    assert!(first.iter().any(|t| t.object.to_string() == "\"A\""));
    // the released versions are public, with their provenance
    let rows = store.select(
        "SELECT ?v WHERE { ?v <http://www.w3.org/ns/prov#specializationOf> <http://e/a> ; \
         <http://www.w3.org/ns/prov#wasRevisionOf> ?old }",
        CancellationToken::new(),
    )?;
    assert_eq!(rows.len(), 1);
    Ok(())
}

#[test]
fn another_holder_cannot_overwrite_withdraw_or_describe_a_record(
) -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    let overwrite = store.put_records("other", &[record(&organisation("http://e/a", "Z", "x"))]);
    assert!(
        matches!(overwrite, Err(WriteError::NotOwner { .. })),
        "{overwrite:?}"
    );
    let withdraw = store.withdraw("other", root("http://e/a").as_ref(), "no");
    assert!(
        matches!(withdraw, Err(WriteError::NotOwner { .. })),
        "{withdraw:?}"
    );
    // a record of "other" that makes statements about http://e/a
    let sneaky = record(
        "<http://e/b> a <http://www.w3.org/ns/org#Organization> .\n\
         <http://e/a> <http://www.w3.org/2004/02/skos/core#prefLabel> \"hacked\" .",
    );
    let claim = store.put_records("other", &[sneaky]);
    assert!(
        matches!(claim, Err(WriteError::Claimed { .. })),
        "{claim:?}"
    );
    assert_eq!(published(&store, "http://e/a"), 2);
    assert_eq!(store.record_count()?, 1);
    Ok(())
}

#[test]
fn a_stale_if_match_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    let write = RecordWrite::prepare(record(&organisation("http://e/a", "B", "x")))?;
    let stale = store.write(
        HOLDER,
        std::slice::from_ref(&write),
        Precondition::LatestVersion(7),
    );
    assert!(matches!(
        stale,
        Err(WriteError::Precondition {
            current: Some(1),
            ..
        })
    ));
    let fresh = store.write(HOLDER, &[write], Precondition::LatestVersion(1))?;
    assert_eq!(fresh[0].version, 2);
    Ok(())
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    store.put_records("other", &[record(&organisation("http://e/b", "B", "x"))])?;
    let batch = store.put_records(
        HOLDER,
        &[
            record(&organisation("http://e/a", "A", "x")),
            record(&organisation("http://e/b", "B2", "x")),
        ],
    );
    assert!(batch.is_err());
    assert_eq!(
        published(&store, "http://e/a"),
        0,
        "the first record was rolled back"
    );
    Ok(())
}

#[test]
fn a_withdrawn_record_leaves_a_tombstone_and_keeps_its_history(
) -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    store.withdraw(HOLDER, root("http://e/a").as_ref(), "published by mistake")?;
    let rows = store.select(
        "SELECT ?p ?o WHERE { <http://e/a> ?p ?o }",
        CancellationToken::new(),
    )?;
    let text = format!("{rows:?}");
    assert!(text.contains("Tombstone"), "{text}");
    assert!(text.contains("published by mistake"), "{text}");
    assert!(!text.contains("prefLabel"), "{text}");
    assert_eq!(store.versions(root("http://e/a").as_ref())?.len(), 1);
    // pushing it again brings it back, without the tombstone
    let receipts = store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    assert_eq!(receipts[0].outcome, PutOutcome::Created);
    assert_eq!(published(&store, "http://e/a"), 2);
    Ok(())
}

#[test]
fn an_embargoed_record_is_private_until_its_time() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    let later = format!(
        "<http://e/a> a <http://www.w3.org/ns/org#Organization> ; \
         <http://purl.org/dc/terms/available> \"{}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .",
        "2999-01-01T14:00:00+01:00"
    );
    let receipts = store.put_records(HOLDER, &[record(&later)])?;
    assert!(receipts[0].publish_at.is_some());
    assert_eq!(published(&store, "http://e/a"), 0);
    assert!(store.release_due()?.is_empty());
    assert!(store.next_release()?.is_some());
    let soon = later.replace("2999-01-01", "2000-01-01");
    // a new version with a past time is released at once
    store.put_records(HOLDER, &[record(&soon)])?;
    assert_eq!(published(&store, "http://e/a"), 2);
    assert!(store.next_release()?.is_none());
    Ok(())
}

#[test]
fn the_event_log_has_one_entry_per_published_change_in_order(
) -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    let organisations = Collection::Organisations;
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?; // unchanged
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "B", "x"))])?;
    store.withdraw(HOLDER, root("http://e/a").as_ref(), "wrong organisation")?;
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "C", "x"))])?;
    assert_eq!(store.event_count(organisations)?, 4);
    assert_eq!(store.event_count(Collection::Consultations)?, 0);
    let (events, total) = store.events(organisations, 0, 10)?;
    assert_eq!(total, 4);
    let kinds: Vec<_> = events
        .iter()
        .map(|e| (e.event.sequence, e.event.kind, e.event.version))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (0, EventKind::Create, 1),
            (1, EventKind::Update, 2),
            (2, EventKind::Delete, 2),
            (3, EventKind::Create, 3),
        ]
    );
    // every version's content stays readable, whichever graph holds it now
    let label = |e: &EventWithContent| {
        e.triples
            .iter()
            .find(|t| t.predicate.as_str().ends_with("prefLabel"))
            .map(|t| t.object.to_string())
    };
    assert_eq!(label(&events[0]).as_deref(), Some("\"A\""));
    assert_eq!(label(&events[1]).as_deref(), Some("\"B\""));
    assert!(events[2].triples.is_empty());
    assert_eq!(
        events[2].event.reason.as_deref(),
        Some("wrong organisation")
    );
    assert_eq!(label(&events[3]).as_deref(), Some("\"C\""));
    assert!(events
        .windows(2)
        .all(|w| w[0].event.time <= w[1].event.time));
    let names = store.graph_names();
    assert!(events[2]
        .event
        .member_iri(names)
        .as_str()
        .ends_with("/2/intrekking"));
    // the log is private
    assert_eq!(
        published(
            &store,
            &format!("{}/organisaties/0", names.events().as_str())
        ),
        0
    );
    let (page, _) = store.events(organisations, 3, 10)?;
    assert_eq!(page.len(), 1);
    Ok(())
}

#[test]
fn a_bulk_load_logs_a_create_per_record() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    let records = vec![
        Ok::<_, std::io::Error>(record(&organisation("http://e/a", "A", "x"))),
        Ok(record(&organisation("http://e/b", "B", "y"))),
    ];
    store.bulk_load(HOLDER, records.into_iter(), |_| {})?;
    assert_eq!(store.event_count(Collection::Organisations)?, 2);
    store.put_records(HOLDER, &[record(&organisation("http://e/b", "B2", "y"))])?;
    let (events, _) = store.events(Collection::Organisations, 0, 10)?;
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].event.kind, EventKind::Update);
    Ok(())
}

#[test]
fn a_list_gets_each_shown_entrys_columns_in_order() -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    for (iri, label) in [
        ("http://e/a", "A"),
        ("http://e/b", "B"),
        ("http://e/c", "C"),
    ] {
        store.put_records(HOLDER, &[record(&organisation(iri, label, "x"))])?;
    }
    let keys = store.select(
        "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> } ORDER BY DESC(?o)",
        CancellationToken::new(),
    )?;
    assert_eq!(keys.len(), 3);
    let shown = keys.slice(1, 5);
    assert_eq!(shown.len(), 2, "the slice stops at the end");
    let mut values = shown.values_of("o");
    // an entry the row query finds nothing for still gets its line, with unbound columns
    values.push(Term::from(NamedNode::new("http://e/missing")?));
    let columns = store.select_each(
        "SELECT ?o (SAMPLE(?l) AS ?label) WHERE { VALUES ?o { UNDEF } \
         ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } GROUP BY ?o",
        &[],
        "o",
        &values,
        CancellationToken::new(),
    )?;
    assert_eq!(columns.len(), 3);
    let labels: Vec<Option<String>> = columns
        .iter()
        .map(|row| row.str("label").map(str::to_owned))
        .collect();
    assert_eq!(labels[2], None);
    assert_eq!(labels[0].as_deref(), Some("B"));
    assert_eq!(labels[1].as_deref(), Some("A"));
    let beside = shown.beside(columns);
    assert_eq!(beside.variables(), ["o", "label"]);
    assert_eq!(beside.len(), 2);
    let first = beside.iter().next().expect("a first entry");
    assert_eq!(first.str("o"), Some("http://e/b"));
    assert_eq!(first.str("label"), Some("B"));
    Ok(())
}

#[test]
fn a_dataset_triple_stays_published_when_a_record_stops_stating_it(
) -> Result<(), Box<dyn std::error::Error>> {
    let store = store();
    let graph = store
        .graph_names()
        .dataset_graph("reference-set")
        .ok_or("a dataset name")?;
    let shared = Triple::new(
        NamedNode::new("http://e/shared")?,
        NamedNode::new("http://e/p")?,
        oxigraph::model::Literal::new_simple_literal("x"),
    );
    let triples = vec![Ok::<_, std::io::Error>(shared.clone())];
    assert_eq!(
        store.bulk_load_dataset(graph.as_ref(), triples.into_iter(), |_| {})?,
        1
    );
    assert_eq!(published(&store, "http://e/shared"), 1);
    // A record states the same triple, then stops stating it: the dataset still does.
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "x"))])?;
    store.put_records(HOLDER, &[record(&organisation("http://e/a", "A", "y"))])?;
    assert_eq!(published(&store, "http://e/shared"), 2);
    let mut differences = 0;
    store.published_differences(|_| differences += 1)?;
    assert_eq!(differences, 0);
    // Loading into the same name again, or into a graph that is not a dataset graph, is refused.
    let again = vec![Ok::<_, std::io::Error>(shared)];
    assert!(matches!(
        store.bulk_load_dataset(graph.as_ref(), again.into_iter(), |_| {}),
        Err(DatasetError::NotEmpty(_))
    ));
    let none = Vec::<Result<Triple, std::io::Error>>::new();
    assert!(matches!(
        store.bulk_load_dataset(store.graph_names().reference(), none.into_iter(), |_| {}),
        Err(DatasetError::NotADatasetGraph(_))
    ));
    Ok(())
}

#[test]
fn blank_nodes_of_two_records_stay_apart_in_the_published_graph() -> Result<(), WriteError> {
    let store = store();
    let with_blank = |iri: &str, label: &str| {
        record(&format!(
            "<{iri}> a <{ORG}Organization> ; <http://e/site> _:site .\n\
             _:site <http://e/label> \"{label}\" ."
        ))
    };
    store.put_records(HOLDER, &[with_blank("http://e/a", "A")])?;
    store.put_records(HOLDER, &[with_blank("http://e/b", "B")])?;
    let rows = store
        .select(
            "SELECT ?label WHERE { <http://e/a> <http://e/site> ?site . ?site <http://e/label> ?label }",
            CancellationToken::new(),
        )
        .expect("query runs");
    assert_eq!(
        rows.len(),
        1,
        "record a's site has only its own label: {rows:?}"
    );
    Ok(())
}
