//! Unit tests of the search index over an in-memory store: what is indexed, ranking and the
//! kind filter, snippets, and keeping in step with writes, withdrawals and embargoes.

use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;

use super::*;
use crate::ingest::parse_records;
use crate::model::{BaseIri, GraphNames, Record};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const HOLDER: &str = "tester";

const PREFIXES: &str = "\
@prefix besluit: <http://data.vlaanderen.be/ns/besluit#> .
@prefix dossier: <https://data.vlaanderen.be/ns/dossier#> .
@prefix participatie: <https://agora.vlaanderen.be/ns/participatie#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix nie: <http://www.semanticdesktop.org/ontologies/2007/01/19/nie#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

fn store() -> Store {
    Store::in_memory(&BaseIri::parse("https://agora.test").expect("valid base")).expect("store")
}

fn record(turtle: &str) -> Record {
    parse_records(
        format!("{PREFIXES}{turtle}").as_bytes(),
        RdfFormat::Turtle,
        "test",
    )
    .expect("test record parses")
    .remove(0)
}

fn consultation(iri: &str, title: &str, description: &str) -> Record {
    record(&format!(
        "<{iri}> a participatie:Consultatie ; dct:title \"{title}\"@nl , \"A consultation\"@en ;
           dct:description \"{description}\"@nl ;
           participatie:openingstijd \"2026-03-02T09:00:00+01:00\"^^xsd:dateTime ."
    ))
}

fn meeting_with_news(news_html: &str) -> Record {
    record(&format!(
        "<http://e/meeting> a besluit:Vergaderactiviteit ; dct:title \"Ministerraad van 9 oktober 2026\"@nl ;
           besluit:geplandeStart \"2026-10-09T10:00:00+02:00\"^^xsd:dateTime .
         <http://e/item-old> a besluit:Agendapunt ; dct:title \"Fietspaden: oude versie\"@nl .
         <http://e/item> a besluit:Agendapunt ; dct:title \"Fietspaden in Vlaanderen\"@nl ;
           prov:wasRevisionOf <http://e/item-old> .
         <http://e/news> a dossier:Stuk ; prov:wasDerivedFrom <http://e/item> ;
           dct:title \"Regering keurt beslissingen over fietspaden goed\"@nl ;
           nie:htmlContent \"\"\"{news_html}\"\"\" ;
           dct:issued \"2026-10-09T14:30:00+02:00\"^^xsd:dateTime ."
    ))
}

fn search(index: &SearchIndex, text: &str, kind: Option<Kind>) -> SearchResults {
    index
        .search(&SearchRequest {
            text,
            kind,
            offset: 0,
            limit: 20,
        })
        .expect("search runs")
}

fn iris(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.iri.as_str()).collect()
}

fn id(iri: &str) -> Uuid {
    GraphNames::record_id(NamedNode::new(iri).expect("an IRI").as_ref())
}

#[test]
fn search_index_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<SearchIndex>();
}

#[test]
fn documents_follow_the_published_records() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    store.put_records(
        HOLDER,
        &[
            consultation(
                "http://e/c1",
                "Groenboek klimaatplan",
                "Uw mening over de coöperatie van energiebedrijven.",
            ),
            meeting_with_news(
                "<p>De regering <b>beslist</b> over nieuwe fietspaden.</p><p>Meer &amp; veiliger.</p>",
            ),
        ],
    )?;
    assert!(!index.is_current(&store)?);
    let report = index.rebuild(&store)?;
    // consultation, meeting, current agenda item, news item (the superseded item is left out)
    assert_eq!(report.documents, 4);
    assert!(index.is_current(&store)?);

    // stemming: "beslissing" finds "beslissingen" in a title and "beslist"-free text alike
    let found = search(&index, "beslissing", None);
    assert_eq!(iris(&found), vec!["http://e/news"]);
    // folding: "cooperatie" finds "coöperatie"
    assert_eq!(
        iris(&search(&index, "cooperatie", None)),
        vec!["http://e/c1"]
    );
    // the news text is indexed without its markup, and the old agenda item is gone
    let bike = search(&index, "fietspaden", None);
    assert!(bike.hits.iter().all(|hit| hit.iri != "http://e/item-old"));
    assert_eq!(bike.total, 2, "{:?}", iris(&bike));
    assert!(
        search(&index, "p", None).hits.is_empty(),
        "tags are not text"
    );

    // the kind filter
    let news = search(&index, "fietspaden", Some(Kind::NewsItem));
    assert_eq!(iris(&news), vec!["http://e/news"]);
    assert_eq!(news.total, 1);
    assert!(news.per_kind.contains(&(Kind::AgendaItem, 1)));
    assert_eq!(
        news.hits[0].date.as_deref(),
        Some("2026-10-09T14:30:00+02:00")
    );
    Ok(())
}

#[test]
fn titles_rank_above_texts() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    store.put_records(
        HOLDER,
        &[consultation(
            "http://e/text",
            "Inspraak over scholen",
            "Ook het woonbeleid komt aan bod, naast veel andere onderwerpen die de scholen raken.",
        )],
    )?;
    store.put_records(
        HOLDER,
        &[consultation(
            "http://e/title",
            "Woonbeleid 2035",
            "Hoe wonen we betaalbaar?",
        )],
    )?;
    index.rebuild(&store)?;
    assert_eq!(
        iris(&search(&index, "woonbeleid", None)),
        vec!["http://e/title", "http://e/text"]
    );
    // words combine with AND
    assert_eq!(
        iris(&search(&index, "woonbeleid scholen", None)),
        vec!["http://e/text"]
    );
    Ok(())
}

#[test]
fn snippets_mark_the_matches_in_plain_text() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    store.put_records(
        HOLDER,
        &[meeting_with_news(
            "<p>Er komen 300 miljoen euro voor <script>x</script>fietspaden &lt;b&gt;.</p>",
        )],
    )?;
    index.rebuild(&store)?;
    let found = search(&index, "miljoen", Some(Kind::NewsItem));
    let snippet = &found.hits[0].snippet;
    // Plain text: the entity is decoded (escaping is the page's job), the script is gone; a
    // fragment ends at its last word.
    assert_eq!(snippet.text, "Er komen 300 miljoen euro voor fietspaden <b");
    let marked: Vec<&str> = snippet
        .highlights
        .iter()
        .map(|range| &snippet.text[range.clone()])
        .collect();
    assert_eq!(marked, vec!["miljoen"]);
    Ok(())
}

#[test]
fn refresh_follows_writes_withdrawals_and_embargoes() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    index.rebuild(&store)?;
    store.put_records(
        HOLDER,
        &[consultation("http://e/c", "Speelstraten", "Zomer")],
    )?;
    assert!(!index.is_current(&store)?);
    index.refresh_records(&store, &[id("http://e/c")])?;
    assert!(index.is_current(&store)?);
    assert_eq!(
        iris(&search(&index, "speelstraat", None)),
        vec!["http://e/c"]
    );

    // a new version replaces the old document
    store.put_records(
        HOLDER,
        &[consultation("http://e/c", "Schoolstraten", "Zomer")],
    )?;
    index.refresh_records(&store, &[id("http://e/c")])?;
    assert!(search(&index, "speelstraat", None).hits.is_empty());
    assert_eq!(search(&index, "schoolstraten", None).total, 1);
    assert_eq!(index.document_count(), 1);

    // a withdrawal removes it
    let root = NamedNode::new("http://e/c")?;
    store.withdraw(HOLDER, root.as_ref(), "test")?;
    index.refresh_records(&store, &[id("http://e/c")])?;
    assert_eq!(search(&index, "schoolstraten", None).total, 0);
    assert_eq!(index.document_count(), 0);

    // an embargoed record stays out until released
    store.put_records(
        HOLDER,
        &[record(
            "<http://e/later> a participatie:Consultatie ; dct:title \"Geheim plan\"@nl ;
               dct:available \"2999-01-01T00:00:00+01:00\"^^xsd:dateTime .",
        )],
    )?;
    index.refresh_records(&store, &[id("http://e/later")])?;
    assert_eq!(search(&index, "geheim", None).total, 0);
    index.rebuild(&store)?;
    assert_eq!(search(&index, "geheim", None).total, 0);
    Ok(())
}

#[test]
fn a_store_changed_behind_the_index_is_rebuilt() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    assert!(
        index.ensure_current(&store)?.is_some(),
        "a new index is built"
    );
    assert!(
        index.ensure_current(&store)?.is_none(),
        "then it is current"
    );
    store.put_records(HOLDER, &[consultation("http://e/c", "Groendaken", "Daken")])?;
    let report = index.ensure_current(&store)?;
    assert_eq!(report.map(|report| report.documents), Some(1));
    assert_eq!(search(&index, "groendak", None).total, 1);
    index.mark_stale();
    assert!(
        index.ensure_current(&store)?.is_some(),
        "a stale index is rebuilt"
    );
    assert!(!index.is_stale());
    Ok(())
}

#[test]
fn an_index_on_disk_survives_a_reopen_and_a_broken_one_is_replaced() -> TestResult {
    let folder = tempfile::tempdir()?;
    let store = store();
    store.put_records(HOLDER, &[consultation("http://e/c", "Groendaken", "Daken")])?;
    {
        let index = SearchIndex::open(folder.path())?;
        index.ensure_current(&store)?;
    }
    let index = SearchIndex::open(folder.path())?;
    assert!(index.is_current(&store)?);
    assert_eq!(search(&index, "groendaken", None).total, 1);
    drop(index);
    std::fs::write(folder.path().join("meta.json"), "not json")?;
    let index = SearchIndex::open(folder.path())?;
    assert!(!index.is_current(&store)?);
    index.ensure_current(&store)?;
    assert_eq!(search(&index, "groendaken", None).total, 1);
    Ok(())
}

#[test]
fn odd_query_text_is_searched_not_refused() -> TestResult {
    let index = SearchIndex::in_memory()?;
    for text in [
        "\"",
        "title_nl:",
        "a AND",
        "(",
        "*",
        "-",
        "   ",
        "kind:x OR",
    ] {
        index.search(&SearchRequest {
            text,
            kind: None,
            offset: 0,
            limit: 10,
        })?;
    }
    Ok(())
}

#[test]
fn long_texts_open_at_a_word_boundary() {
    assert_eq!(opening("een twee drie", 100), "een twee drie");
    assert_eq!(opening("een twee drie", 9), "een twee …");
}

const MEETINGS_QUERY: &str = include_str!("../../queries/meetings.rq");
const OPEN_CONSULTATIONS_QUERY: &str = include_str!("../../queries/open-consultations.rq");

/// The IRIs bound to `variable`, in order.
fn column(rows: &crate::store::Rows, variable: &str) -> Vec<String> {
    rows.iter()
        .filter_map(|row| row.str(variable).map(str::to_owned))
        .collect()
}

fn listed_iris(listing: &Listing) -> Vec<String> {
    listing
        .entries
        .iter()
        .map(|entry| entry.iri.clone())
        .collect()
}

#[test]
fn meetings_are_listed_as_meetings_rq_lists_them_page_by_page() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    // Untitled meetings (as in Kaleidos), equal starts (ties go by IRI), other time zones, a
    // date without a time, and a meeting without a start (in neither list).
    let starts = [
        ("m01", "2026-10-09T10:00:00+02:00"),
        ("m02", "2026-10-09T10:00:00+02:00"),
        ("m03", "2026-10-09T08:00:00Z"),
        ("m04", "2026-10-02T10:00:00+02:00"),
        ("m05", "2026-09-25T10:00:00+02:00"),
        ("m06", "2026-09-25T10:00:00+02:00"),
        ("m07", "2026-09-25T10:00:00+02:00"),
        ("m08", "2026-09-18T23:30:00-05:00"),
        ("m09", "2026-09-19T01:00:00+02:00"),
        ("m10", "2025-01-01T00:00:00Z"),
    ];
    let mut records: Vec<Record> = starts
        .iter()
        .map(|(name, start)| {
            record(&format!(
                "<http://e/{name}> a besluit:Vergaderactiviteit ;
                   besluit:geplandeStart \"{start}\"^^xsd:dateTime ."
            ))
        })
        .collect();
    records.push(record(
        "<http://e/m11> a besluit:Vergaderactiviteit ; dct:title \"Zonder datum\"@nl .",
    ));
    store.put_records(HOLDER, &records)?;
    index.rebuild(&store)?;

    let everything = store.select_with(MEETINGS_QUERY, &[], Default::default())?;
    let expected = column(&everything, "meeting");
    assert_eq!(expected.len(), starts.len());
    for page_size in [1, 2, 3, 4, 10, 20] {
        for page in 0..=expected.len().div_ceil(page_size) {
            let listing = index.list(&ListRequest {
                offset: page * page_size,
                limit: page_size,
                ..ListRequest::of(Kind::Meeting, ListOrder::NewestFirst)
            })?;
            assert_eq!(listing.total, expected.len());
            let shown: Vec<String> = expected
                .iter()
                .skip(page * page_size)
                .take(page_size)
                .cloned()
                .collect();
            assert_eq!(listed_iris(&listing), shown, "page {page} of {page_size}");
        }
    }
    // A page far past the end is empty, and says how many there are.
    let beyond = index.list(&ListRequest {
        offset: usize::MAX / 2,
        limit: usize::MAX / 2,
        ..ListRequest::of(Kind::Meeting, ListOrder::NewestFirst)
    })?;
    assert_eq!((beyond.total, beyond.entries.len()), (expected.len(), 0));
    let first = index.list(&ListRequest {
        limit: 1,
        ..ListRequest::of(Kind::Meeting, ListOrder::NewestFirst)
    })?;
    assert_eq!(
        first.entries[0].date.as_deref(),
        Some("2026-10-09T10:00:00+02:00")
    );

    // The date filters compare the date as written, as meetings.rq does.
    for (from, to) in [
        (Some("2026-09-19"), None),
        (None, Some("2026-09-18")),
        (Some("2026-09-18"), Some("2026-10-02")),
        (Some("2027-01-01"), None),
    ] {
        let mut parameters = Vec::new();
        for (name, value) in [("from", from), ("to", to)] {
            if let Some(value) = value {
                let date = oxigraph::model::Literal::new_typed_literal(
                    value,
                    oxigraph::model::vocab::xsd::DATE,
                );
                parameters.push((name, Term::from(date)));
            }
        }
        let rows = store.select_with(MEETINGS_QUERY, &parameters, Default::default())?;
        let listing = index.list(&ListRequest {
            from_day: from.and_then(day_number),
            to_day: to.and_then(day_number),
            limit: 100,
            ..ListRequest::of(Kind::Meeting, ListOrder::NewestFirst)
        })?;
        assert_eq!(
            listed_iris(&listing),
            column(&rows, "meeting"),
            "{from:?}..{to:?}"
        );
        assert_eq!(listing.total, rows.len());
    }
    Ok(())
}

#[test]
fn open_consultations_are_listed_soonest_closing_first() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    let consultation = |name: &str, opens: &str, closes: &str| {
        record(&format!(
            "<http://e/{name}> a participatie:Consultatie ; dct:title \"Consultatie {name}\"@nl ;
               participatie:openingstijd \"{opens}\"^^xsd:dateTime ;
               participatie:sluitingstijd \"{closes}\"^^xsd:dateTime ."
        ))
    };
    store.put_records(
        HOLDER,
        &[
            consultation("open-late", "2020-01-01T00:00:00Z", "2999-06-01T00:00:00Z"),
            consultation(
                "open-soon",
                "2020-01-01T00:00:00Z",
                "2999-01-01T00:00:00+01:00",
            ),
            consultation(
                "open-mid",
                "2020-01-01T00:00:00+02:00",
                "2999-03-01T12:00:00Z",
            ),
            consultation("closed", "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"),
            consultation("not-yet", "2998-01-01T00:00:00Z", "2999-12-01T00:00:00Z"),
        ],
    )?;
    index.rebuild(&store)?;
    let rows = store.select_with(OPEN_CONSULTATIONS_QUERY, &[], Default::default())?;
    let expected = column(&rows, "consultation");
    assert_eq!(
        expected,
        [
            "http://e/open-soon",
            "http://e/open-mid",
            "http://e/open-late"
        ]
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let listing = index.list(&ListRequest {
        open_at: Some(i64::try_from(now)?),
        limit: 20,
        ..ListRequest::of(Kind::Consultation, ListOrder::ClosingFirst)
    })?;
    assert_eq!(listed_iris(&listing), expected);
    assert_eq!(listing.total, 3);
    assert_eq!(
        listing.entries[0].closes.as_deref(),
        Some("2999-01-01T00:00:00+01:00")
    );
    assert_eq!(
        listing.entries[0].date.as_deref(),
        Some("2020-01-01T00:00:00Z")
    );
    Ok(())
}

#[test]
fn list_dates_are_read_as_instants_and_written_days() {
    assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some(0));
    assert_eq!(instant("1970-01-02"), Some(86_400));
    assert_eq!(instant("1970-01-01T00:00:10"), Some(10));
    assert_eq!(instant("1969-12-31T23:59:59.5Z"), Some(-1));
    assert_eq!(instant("not a date"), None);
    // The far past and future still have instants (a list sorts them without overflow).
    assert!(
        instant("-200000000000-01-01T00:00:00Z").is_some_and(|s| s < -6_000_000_000_000_000_000)
    );
    assert!(instant("200000000000-01-01T00:00:00Z").is_some_and(|s| s > 6_000_000_000_000_000_000));
    // Beyond what seconds in an i64 hold: no instant, so the resource is left out of the lists.
    assert_eq!(instant("900000000000-01-01T00:00:00Z"), None);
    assert_eq!(day_number("2026-10-02T10:00:00+02:00"), Some(20_261_002));
    assert_eq!(day_number("2026-10-0"), None);
    assert_eq!(day_number("26-10-02T1"), None);
}

#[test]
fn proposals_are_listed_as_proposals_rq_lists_them() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    let proposal = |name: &str, submitted: &str, status: bool| {
        let status = if status {
            "; <http://www.w3.org/ns/adms#status> <http://e/status/ingediend>"
        } else {
            ""
        };
        record(&format!(
            "<http://e/{name}> a participatie:Burgervoorstel ; dct:title \"Voorstel {name}\"@nl ;
               dct:dateSubmitted \"{submitted}\"^^xsd:date {status} ."
        ))
    };
    store.put_records(
        HOLDER,
        &[
            proposal("p1", "2026-05-01", true),
            proposal("p2", "2026-06-01", true),
            proposal("p3", "2026-05-01", true),
            proposal("p4", "2026-07-01", false),
            proposal("p0", "2026-05-01", true),
        ],
    )?;
    index.rebuild(&store)?;
    let rows = store.select_with(
        include_str!("../../queries/proposals.rq"),
        &[],
        Default::default(),
    )?;
    let expected = column(&rows, "proposal");
    assert_eq!(
        expected,
        ["http://e/p2", "http://e/p0", "http://e/p1", "http://e/p3"]
    );
    for (offset, limit) in [(0, 10), (1, 2), (3, 1)] {
        let listing = index.list(&ListRequest {
            offset,
            limit,
            ..ListRequest::of(Kind::Proposal, ListOrder::NewestFirst)
        })?;
        let shown: Vec<String> = expected.iter().skip(offset).take(limit).cloned().collect();
        assert_eq!(listed_iris(&listing), shown);
        assert_eq!(listing.total, 4);
    }
    Ok(())
}

#[test]
fn consultations_are_filtered_as_consultations_rq_filters_them() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    let consultation = |name: &str, opens: &str, closes: &str, values: &[(&str, &str)]| {
        let values: String = values
            .iter()
            .map(|(property, value)| format!("; {property} <http://e/{value}> "))
            .collect();
        record(&format!(
            "<http://e/{name}> a participatie:Consultatie ; dct:title \"Consultatie {name}\"@nl ;
               participatie:openingstijd \"{opens}\"^^xsd:dateTime ;
               participatie:sluitingstijd \"{closes}\"^^xsd:dateTime {values} ."
        ))
    };
    let status = "<http://www.w3.org/ns/adms#status>";
    let level = "participatie:participatieniveau";
    let organiser = "participatie:organisator";
    let theme = "dct:subject";
    store.put_records(
        HOLDER,
        &[
            consultation(
                "c1",
                "2026-01-10T09:00:00+01:00",
                "2026-02-10T17:00:00+01:00",
                &[
                    (status, "open"),
                    (level, "advies"),
                    (organiser, "o1"),
                    (theme, "klimaat"),
                ],
            ),
            consultation(
                "c2",
                "2026-03-01T09:00:00+01:00",
                "2026-03-31T17:00:00+02:00",
                &[
                    (status, "gesloten"),
                    (level, "advies"),
                    (organiser, "o2"),
                    (theme, "klimaat"),
                    (theme, "mobiliteit"),
                ],
            ),
            consultation(
                "c3",
                "2026-03-01T09:00:00+01:00",
                "2026-06-30T17:00:00+02:00",
                &[(status, "open"), (level, "cocreatie"), (organiser, "o1")],
            ),
            // No level: consultations.rq leaves it out, its values are still choices.
            consultation(
                "c4",
                "2026-05-01T09:00:00+02:00",
                "2026-05-31T17:00:00+02:00",
                &[(status, "open"), (organiser, "o3")],
            ),
        ],
    )?;
    index.rebuild(&store)?;
    let iri = |value: &str| Term::from(NamedNode::new_unchecked(format!("http://e/{value}")));
    let date = |value: &str| {
        Term::from(oxigraph::model::Literal::new_typed_literal(
            value,
            oxigraph::model::vocab::xsd::DATE,
        ))
    };
    let cases: Vec<Vec<(&str, Term)>> = vec![
        vec![],
        vec![("status", iri("open"))],
        vec![("theme", iri("klimaat"))],
        vec![("theme", iri("mobiliteit")), ("level", iri("advies"))],
        vec![("organiser", iri("o1")), ("status", iri("open"))],
        vec![("from", date("2026-03-31"))],
        vec![("to", date("2026-03-01"))],
        vec![("from", date("2026-02-11")), ("to", date("2026-02-28"))],
        vec![("from", date("2026-02-10")), ("to", date("2026-03-01"))],
    ];
    for parameters in cases {
        let rows = store.select_with(
            include_str!("../../queries/consultations.rq"),
            &parameters,
            Default::default(),
        )?;
        let mut request = ListRequest {
            complete: true,
            limit: 100,
            ..ListRequest::of(Kind::Consultation, ListOrder::NewestFirst)
        };
        for (name, value) in &parameters {
            let text = match value {
                Term::NamedNode(node) => node.as_str().to_owned(),
                Term::Literal(literal) => literal.value().to_owned(),
                _ => unreachable!(),
            };
            match *name {
                "from" => request.from_day = day_number(&text),
                "to" => request.to_day = day_number(&text),
                facet => request
                    .facets
                    .push((Facet::from_code(facet).ok_or("a facet")?, text)),
            }
        }
        let listing = index.list(&request)?;
        let names: Vec<&str> = parameters.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            listed_iris(&listing),
            column(&rows, "consultation"),
            "{names:?}"
        );
        assert_eq!(listing.total, rows.len());
    }

    // The filters' choices: what consultation-filters.rq lists.
    let rows = store.select_with(
        include_str!("../../queries/consultation-filters.rq"),
        &[],
        Default::default(),
    )?;
    for facet in Facet::ALL {
        let mut expected: Vec<String> = rows
            .iter()
            .filter(|row| row.str("facet") == Some(facet.code()))
            .filter_map(|row| row.str("value").map(str::to_owned))
            .collect();
        expected.sort();
        assert_eq!(
            index.facet_values(Kind::Consultation, facet)?,
            expected,
            "{facet:?}"
        );
    }
    // A value no consultation has any more is no choice, though still in the dictionary.
    store.put_records(
        HOLDER,
        &[consultation(
            "c2",
            "2026-03-01T09:00:00+01:00",
            "2026-03-31T17:00:00+02:00",
            &[(status, "gesloten"), (level, "advies"), (organiser, "o2")],
        )],
    )?;
    index.refresh_records(&store, &[id("http://e/c2")])?;
    assert_eq!(
        index.facet_values(Kind::Consultation, Facet::Theme)?,
        ["http://e/klimaat"]
    );
    Ok(())
}

/// `yyyy-mm-dd` of a day number (days since 1970-01-01), by the civil calendar.
fn date_of_day(day: i64) -> String {
    let shifted = day + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day_of_month = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day_of_month:02}")
}

#[test]
fn day_numbers_and_dates_agree() {
    for date in [
        "1970-01-01",
        "2020-02-29",
        "2021-02-04",
        "2026-12-06",
        "1969-12-31",
    ] {
        let day = epoch_day(date).expect("a date");
        assert_eq!(date_of_day(day), date);
    }
    assert_eq!(
        epoch_day("2026-10-02T10:00:00+02:00"),
        epoch_day("2026-10-02")
    );
    assert_eq!(epoch_day("2026-13-02"), None);
}

#[test]
fn late_proposals_are_listed_as_late_proposals_rq_lists_them() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    let today = || now() / 86_400;
    let (day, before) = loop {
        // The query reads today from NOW(): retry if midnight passes in between.
        let day = today();
        let proposal = |name: &str, due: &str, answers: &[&str]| {
            let links: String = (0..answers.len())
                .map(|n| format!("; participatie:heeftTerugkoppeling <http://e/{name}-f{n}> "))
                .collect();
            let feedback: String = answers
                .iter()
                .enumerate()
                .map(|(n, answered)| {
                    format!(
                        "<http://e/{name}-f{n}> a participatie:Terugkoppeling ;
                           dct:issued \"{answered}\"^^xsd:date . "
                    )
                })
                .collect();
            record(&format!(
                "<http://e/{name}> a participatie:Burgervoorstel ; dct:title \"Voorstel {name}\"@nl ;
                   dct:dateSubmitted \"2019-01-01\"^^xsd:date ;
                   participatie:antwoordTermijn \"{due}\"^^xsd:date {links} . {feedback}"
            ))
        };
        let ago = |days: i64| date_of_day(day - days);
        let records = [
            // answered 400 days late (2020 is a leap year), on the day, early
            proposal("a", "2020-01-01", &["2021-02-04"]),
            proposal("b", "2020-01-01", &["2020-01-01"]),
            proposal("c", "2020-01-01", &["2019-12-01"]),
            // unanswered: 400 days late (a tie with a and j), due today, due yesterday
            proposal("d", &ago(400), &[]),
            proposal("e", &ago(0), &[]),
            proposal("f", &ago(1), &[]),
            // two answers: the first decides
            proposal("g", "2020-01-01", &["2020-02-01", "2019-12-31"]),
            proposal("h", "2020-01-01", &["2020-03-01", "2020-01-11"]),
            // due in the future
            proposal("i", "2999-01-01", &[]),
            proposal("j", "2021-01-01", &["2022-02-05"]),
            proposal("k", &ago(2000), &[]),
            // answered one day late: a tie with f
            proposal("l", "2020-05-01", &["2020-05-02"]),
        ];
        store.put_records(HOLDER, &records)?;
        index.rebuild(&store)?;
        let rows = store.select_with(
            include_str!("../../queries/late-proposals.rq"),
            &[],
            Default::default(),
        )?;
        if today() == day {
            break (day, rows);
        }
    };
    let expected: Vec<(String, String, Option<String>, i64)> = before
        .iter()
        .map(|row| {
            (
                row.str("proposal").unwrap_or_default().to_owned(),
                row.str("due").unwrap_or_default().to_owned(),
                row.str("answered").map(str::to_owned),
                row.str("daysLate")
                    .and_then(|days| days.parse().ok())
                    .unwrap_or(-1),
            )
        })
        .collect();
    let names: Vec<&str> = expected
        .iter()
        .map(|(iri, ..)| iri.trim_start_matches("http://e/"))
        .collect();
    assert_eq!(names, ["k", "a", "d", "j", "h", "f", "l"]);
    let request = ListRequest::of(
        Kind::Proposal,
        ListOrder::MostOverdueFirst { now: day * 86_400 },
    );
    for page_size in [1, 2, 3, 4, 7, 20] {
        for page in 0..=expected.len().div_ceil(page_size) {
            let listing = index.list(&ListRequest {
                offset: page * page_size,
                limit: page_size,
                ..request.clone()
            })?;
            assert_eq!(listing.total, expected.len());
            let shown: Vec<(String, String, Option<String>, i64)> = listing
                .entries
                .into_iter()
                .map(|entry| {
                    (
                        entry.iri,
                        entry.date.unwrap_or_default(),
                        entry.answered,
                        entry.days_late.unwrap_or(-1),
                    )
                })
                .collect();
            let wanted: Vec<_> = expected
                .iter()
                .skip(page * page_size)
                .take(page_size)
                .cloned()
                .collect();
            assert_eq!(shown, wanted, "page {page} of {page_size}");
        }
    }
    // Tomorrow the unanswered ones are a day later, the answered ones are not.
    let tomorrow = index.list(&ListRequest {
        limit: 20,
        ..ListRequest::of(
            Kind::Proposal,
            ListOrder::MostOverdueFirst {
                now: (day + 1) * 86_400 + 5,
            },
        )
    })?;
    let days: Vec<(String, i64)> = tomorrow
        .entries
        .into_iter()
        .map(|entry| {
            (
                entry.iri.replace("http://e/", ""),
                entry.days_late.unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("k".to_owned(), 2001),
            ("d".to_owned(), 401),
            ("a".to_owned(), 400),
            ("j".to_owned(), 400),
            ("h".to_owned(), 10),
            ("f".to_owned(), 2),
            ("e".to_owned(), 1),
            ("l".to_owned(), 1),
        ]
    );
    Ok(())
}

/// Seconds since the epoch now.
fn now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(now.map_or(0, |elapsed| elapsed.as_secs())).unwrap_or(0)
}

/// `xsd:dateTime` of an instant (seconds since the epoch), in UTC.
fn date_time_of(seconds: i64) -> String {
    let time = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of_day(seconds.div_euclid(86_400)),
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

#[test]
fn overdue_reports_are_listed_as_late_reports_rq_lists_them_and_follow_the_reports() -> TestResult {
    let store = store();
    let index = SearchIndex::in_memory()?;
    let consultation = |name: &str, closes: &str, due: &str| {
        record(&format!(
            "<http://e/{name}> a participatie:Consultatie ; dct:title \"Consultatie {name}\"@nl ;
               participatie:openingstijd \"2019-01-01T09:00:00+01:00\"^^xsd:dateTime ;
               participatie:sluitingstijd \"{closes}\"^^xsd:dateTime ;
               participatie:verslagVerwachtTegen \"{due}\"^^xsd:date ."
        ))
    };
    let report = |name: &str, about: &str| {
        record(&format!(
            "<http://e/{name}> a participatie:Consultatieverslag ; dct:title \"Verslag {name}\"@nl ;
               participatie:rapporteertOver <http://e/{about}> ;
               dct:issued \"2020-06-01\"^^xsd:date ."
        ))
    };
    // name, due date as written, days late
    type Late = (String, String, i64);
    let late_reports = || -> Result<Vec<Late>, Box<dyn std::error::Error>> {
        let rows = store.select_with(
            include_str!("../../queries/late-reports.rq"),
            &[],
            Default::default(),
        )?;
        Ok(rows
            .iter()
            .map(|row| {
                (
                    row.str("consultation")
                        .unwrap_or_default()
                        .replace("http://e/", ""),
                    row.str("due").unwrap_or_default().to_owned(),
                    row.str("daysLate")
                        .and_then(|days| days.parse().ok())
                        .unwrap_or(-1),
                )
            })
            .collect())
    };
    let listed = |now: i64, offset: usize, limit: usize| -> Result<Listing, SearchError> {
        index.list(&ListRequest {
            offset,
            limit,
            ..ListRequest::of(Kind::Consultation, ListOrder::MostOverdueFirst { now })
        })
    };
    let entries = |listing: Listing| -> Vec<Late> {
        listing
            .entries
            .into_iter()
            .map(|entry| {
                (
                    entry.iri.replace("http://e/", ""),
                    entry.date.unwrap_or_default(),
                    entry.days_late.unwrap_or(-1),
                )
            })
            .collect()
    };
    let (at, expected) = loop {
        // The query reads now from NOW(): retry if midnight passes in between.
        let at = now();
        let day = at / 86_400;
        let ago = |days: i64| date_of_day(day - days);
        store.put_records(
            HOLDER,
            &[
                // closed long ago, report overdue: by 2,000 days, 30 (twice: ties by IRI), 1
                consultation("c1", "2019-02-01T12:00:00Z", &ago(2000)),
                consultation("c3", "2019-02-01T12:00:00Z", &ago(30)),
                consultation("c2", "2019-02-01T12:00:00+02:00", &ago(30)),
                consultation("c4", "2019-02-01T12:00:00Z", &ago(1)),
                // report due today: not late yet
                consultation("c5", "2019-02-01T12:00:00Z", &ago(0)),
                // still open (closes tomorrow), report due date already past: not late
                consultation("c6", &date_time_of(at + 86_400), &ago(10)),
                // overdue but reported
                consultation("c7", "2019-02-01T12:00:00Z", &ago(100)),
                report("r7", "c7"),
            ],
        )?;
        index.rebuild(&store)?;
        let expected = late_reports()?;
        if now() / 86_400 == day {
            break (at, expected);
        }
    };
    let names: Vec<&str> = expected.iter().map(|(name, ..)| name.as_str()).collect();
    assert_eq!(names, ["c1", "c2", "c3", "c4"]);
    for limit in 1..=5 {
        for offset in 0..=expected.len() {
            let listing = listed(at, offset, limit)?;
            assert_eq!(listing.total, expected.len());
            let wanted: Vec<_> = expected.iter().skip(offset).take(limit).cloned().collect();
            assert_eq!(entries(listing), wanted, "{offset} + {limit}");
        }
    }

    // A report pushed about c2 takes it off the list once its record is refreshed (the
    // consultation's document is refreshed with it); withdrawn, c2 is back.
    store.put_records(HOLDER, &[report("r2", "c2")])?;
    index.refresh_records(&store, &[id("http://e/r2")])?;
    let names = |listing: Listing| -> Vec<String> {
        entries(listing)
            .into_iter()
            .map(|(name, ..)| name)
            .collect()
    };
    assert_eq!(names(listed(at, 0, 10)?), ["c1", "c3", "c4"]);
    // A new version of the report about c3 instead moves it from c2 to c3.
    store.put_records(HOLDER, &[report("r2", "c3")])?;
    index.refresh_records(&store, &[id("http://e/r2")])?;
    assert_eq!(names(listed(at, 0, 10)?), ["c1", "c2", "c4"]);
    store.withdraw(HOLDER, NamedNode::new("http://e/r2")?.as_ref(), "test")?;
    index.refresh_records(&store, &[id("http://e/r2")])?;
    assert_eq!(names(listed(at, 0, 10)?), ["c1", "c2", "c3", "c4"]);
    assert_eq!(
        entries(listed(at, 0, 10)?),
        late_reports()?,
        "the index and the query agree after the changes"
    );
    // c6 is late once it has closed.
    assert_eq!(
        names(listed(at + 2 * 86_400, 0, 10)?),
        ["c1", "c2", "c3", "c6", "c4", "c5"]
    );
    Ok(())
}
