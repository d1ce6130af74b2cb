//! Pages and dereferenceable URIs over real HTTP.

use crate::helpers::{spawn_app, spawn_app_with, temp_data_dir, test_config, wait_for_release};
use agora::config::Storage;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/// The open demo consultation (co-creation on housing policy).
const OPEN_CONSULTATION_TITLE: &str = "pandenbeleid voor betaalbaar wonen";

#[tokio::test]
async fn the_home_page_lists_open_consultations_and_latest_meetings() {
    let app = spawn_app().await;
    let response = app.get("/", BROWSER).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let page = response.text().await.expect("a page");
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("<main id=\"inhoud\">"));
    assert!(page.contains("Lopende consultaties"));
    assert!(
        page.contains(OPEN_CONSULTATION_TITLE),
        "the open consultation is listed: {page}"
    );
    // Closed and planned consultations are not.
    assert!(!page.contains("Groenboek Vlaams Klimaat"), "{page}");
    // Meetings link to their URIs: Agora's own locally, Themis ones through /resource.
    assert!(page.contains("href=\"/id/vergaderactiviteit/"), "{page}");
    assert!(
        page.contains("href=\"/resource?uri=http%3A%2F%2Fthemis.vlaanderen.be"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_resource_uri_serves_html_turtle_and_json_ld() {
    let app = spawn_app().await;
    let results = app
        .sparql_select(
            "SELECT ?c WHERE { ?c a <https://agora.vlaanderen.be/ns/participatie#Consultatie> } ORDER BY ?c LIMIT 1",
        )
        .await;
    let iri = results["results"]["bindings"][0]["c"]["value"]
        .as_str()
        .expect("a consultation")
        .to_owned();
    let path = iri
        .strip_prefix("https://agora.vlaanderen.be")
        .expect("a local URI");

    let html = app.get(path, BROWSER).await;
    assert_eq!(html.status(), 200);
    assert_eq!(html.headers()["vary"], "Accept");
    let page = html.text().await.expect("a page");
    assert_eq!(page.matches("<h1>").count(), 1, "{page}");
    // The generic view of the same resource lists every property.
    let all = app.get(&format!("{path}?weergave=alles"), BROWSER).await;
    let all = all.text().await.expect("a page");
    assert!(all.contains("dct:title"), "{all}");

    let turtle = app.get(path, "text/turtle").await;
    assert_eq!(turtle.status(), 200);
    assert_eq!(turtle.headers()["content-type"], "text/turtle");
    assert!(turtle
        .text()
        .await
        .expect("turtle")
        .contains("participatie:Consultatie"));

    let json_ld = app.get(&format!("{path}?format=jsonld"), BROWSER).await;
    assert_eq!(json_ld.status(), 200);
    assert_eq!(json_ld.headers()["content-type"], "application/ld+json");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_uri_is_404() {
    let app = spawn_app().await;
    let response = app
        .get(
            "/id/consultatie/00000000-0000-0000-0000-000000000000",
            BROWSER,
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = app.get("/no/such/page", BROWSER).await;
    assert_eq!(response.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn templates_escape_what_the_data_says() {
    let app = spawn_app().await;
    let hostile = r#"<https://agora.vlaanderen.be/id/organisatie/x> a <http://www.w3.org/ns/org#Organization> ;
        <http://www.w3.org/2004/02/skos/core#prefLabel> "<script>alert('x')</script>" ."#;
    let records = agora::ingest::parse_records(
        hostile.as_bytes(),
        oxigraph::io::RdfFormat::Turtle,
        "hostile",
    )
    .expect("parses");
    app.store.put_records("tester", &records).expect("stored");
    let response = app.get("/id/organisatie/x", BROWSER).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("a body");
    assert!(!body.contains("<script>"), "{body}");
    assert!(body.contains("&lt;script&gt;"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn the_on_disk_store_keeps_its_data_and_loads_the_demo_only_once() {
    let (_dir, data) = temp_data_dir();
    let mut config = test_config();
    config.storage = Storage::Disk(data.clone());
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

    let first = spawn_app_with(config.clone()).await;
    let before = first.sparql_select(count).await;
    first.stop().await;
    wait_for_release(&data).await;

    let second = spawn_app_with(config).await;
    let after = second.sparql_select(count).await;
    assert_eq!(before, after, "reopening neither loses nor duplicates data");
    let n: u64 = after["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("a count")
        .parse()
        .expect("a number");
    assert!(n > 1000, "the demo data is there: {n}");
    second.stop().await;
}

#[tokio::test]
async fn the_shapes_are_published_where_their_iris_point() {
    let app = spawn_app().await;
    let response = app.get("/shapes/participatie", "text/turtle").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/turtle; charset=utf-8"
    );
    let turtle = response.text().await.expect("a body");
    assert!(turtle.contains("sh:NodeShape"), "{turtle}");
    assert_eq!(
        app.get("/shapes/nothing", "text/turtle").await.status(),
        404
    );
    app.stop().await;
}

/// The Dutch title of the demo consultation on the climate plan, closed, with a report.
const CLIMATE_CONSULTATION: &str = "/id/consultatie/27ee4f0b-c979-4800-b118-48e0eb0f1e66";
/// The demo meeting of 9 October 2026 (two agenda versions; the latest has four items).
const OCTOBER_MEETING: &str = "/id/vergaderactiviteit/68bfe8be-1643-4d8d-8978-4009d3d2d17f";

#[tokio::test]
async fn every_list_page_answers_with_the_demo_data() {
    let app = spawn_app().await;
    for (path, expected) in [
        ("/consultaties", "6 consultaties"),
        ("/vergaderingen", "Ministerraad van 9 oktober 2026"),
        (
            "/voorstellen",
            "Verplichte groendaken op nieuwe bedrijfsgebouwen",
        ),
        ("/verantwoording", "leerlingenbegeleiding"),
    ] {
        let response = app.get(path, BROWSER).await;
        assert_eq!(response.status(), 200, "{path}");
        let page = response.text().await.expect("a page");
        assert!(page.contains(expected), "{path}: {page}");
        assert_eq!(page.matches("<h1>").count(), 1, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn consultations_filter_by_status_and_period_and_refuse_bad_values() {
    let app = spawn_app().await;
    let page = html_page(&app, "/consultaties").await;
    // The status filter offers the statuses in use; pick "open".
    let open = "https://agora.vlaanderen.be/id/concept/consultatiestatus/";
    assert!(page.contains(open), "{page}");
    let open_status = page
        .split("<option value=\"")
        .filter_map(|option| option.split_once("\">"))
        .find(|(_, label)| label.starts_with("open<"))
        .map(|(value, _)| value.to_owned())
        .expect("an option labelled open");
    let filtered = app
        .get(
            &format!(
                "/consultaties?status={}",
                form_urlencoded::byte_serialize(open_status.as_bytes()).collect::<String>()
            ),
            BROWSER,
        )
        .await
        .text()
        .await
        .expect("a page");
    assert!(filtered.contains(OPEN_CONSULTATION_TITLE), "{filtered}");
    assert!(!filtered.contains("Groenboek Vlaams Klimaat"), "{filtered}");
    assert!(filtered.contains("1 consultatie."), "{filtered}");

    // Open at some time in spring 2026: the climate plan consultation (March to May).
    let spring = html_page(&app, "/consultaties?van=2026-04-01&tot=2026-04-30").await;
    assert!(spring.contains("Groenboek Vlaams Klimaat"), "{spring}");
    assert!(!spring.contains(OPEN_CONSULTATION_TITLE), "{spring}");

    for bad in [
        "/consultaties?van=1-4-2026",
        "/consultaties?status=not%20an%20iri",
        "/consultaties?thema=%3E%20%7D%20%3Fx",
    ] {
        let response = app.get(bad, BROWSER).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_consultation_page_shows_its_report_and_the_decisions_it_informed() {
    let app = spawn_app().await;
    let response = app.get(CLIMATE_CONSULTATION, BROWSER).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["vary"], "Accept");
    let page = response.text().await.expect("a page");
    for expected in [
        "<h1>Groenboek Vlaams Klimaat- en Energieplan 2030-2035</h1>",
        "Departement Omgeving",
        "Renovatie van woningen",
        "overgenomen",
        "/id/consultatieverslag/",
        "Beslissingen die deze consultatie voedde",
        "Goedgekeurd",
        "type=\"application/ld+json\"",
        "?format=turtle",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    // The embedded JSON-LD is valid JSON describing this resource.
    let json = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("embedded JSON-LD");
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert!(value
        .to_string()
        .contains("27ee4f0b-c979-4800-b118-48e0eb0f1e66"));
    app.stop().await;
}

#[tokio::test]
async fn from_the_home_page_to_a_meeting_to_a_decision_and_its_consultation() {
    let app = spawn_app().await;
    let home = html_page(&app, "/").await;
    assert!(
        home.contains(&format!("href=\"{OCTOBER_MEETING}\"")),
        "{home}"
    );
    let meeting = app.get(OCTOBER_MEETING, BROWSER).await;
    assert_eq!(meeting.status(), 200);
    let meeting = meeting.text().await.expect("a page");
    // The latest agenda, notes before announcements, each item in order with its decision.
    let notes = meeting.find("<h3>Nota</h3>").expect("a notes section");
    let announcements = meeting.find("<h3>Mededeling</h3>").expect("announcements");
    assert!(notes < announcements);
    let first = meeting
        .find("Mobiliteitsplan Vlaanderen 2040")
        .expect("item 1");
    let third = meeting.find("Visienota betaalbaar wonen").expect("item 3");
    assert!(first < third);
    assert!(meeting.contains("Vlaamse Regering stelt Mobiliteitsplan Vlaanderen 2040 vast"));
    let decision = meeting
        .split("Beslissing: <a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a decision link")
        .to_owned();
    let decision_page = app.get(&decision, BROWSER).await;
    assert_eq!(decision_page.status(), 200, "{decision}");
    let decision_page = decision_page.text().await.expect("a page");
    assert!(
        decision_page.contains("<h1>Beslissing: Mobiliteitsplan Vlaanderen 2040"),
        "{decision_page}"
    );
    assert!(decision_page.contains(&format!("href=\"{OCTOBER_MEETING}\"")));
    assert!(
        decision_page.contains("Witboek Mobiliteitsplan Vlaanderen 2040"),
        "{decision_page}"
    );
    // Every record page still offers all its properties on the generic view.
    let all = html_page(&app, &format!("{decision}?weergave=alles")).await;
    assert!(all.contains("Eigenschappen"), "{all}");
    app.stop().await;
}

#[tokio::test]
async fn english_is_switchable_and_remembered() {
    let app = spawn_app().await;
    let response = app
        .get(&format!("{CLIMATE_CONSULTATION}?lang=en"), BROWSER)
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("agora_lang=en;"), "{cookie}");
    let page = response.text().await.expect("a page");
    assert!(page.contains("<h1>Green paper on the Flemish Climate and Energy Plan 2030-2035</h1>"));
    assert!(
        page.contains("report published"),
        "status label in English: {page}"
    );
    assert!(
        page.contains(&format!("href=\"{CLIMATE_CONSULTATION}?lang=nl\"")),
        "a way back to Dutch"
    );
    // The cookie alone keeps English; Dutch data is the fallback where English is missing.
    let again = app
        .client
        .get(format!("{}{OCTOBER_MEETING}", app.address))
        .header("accept", BROWSER)
        .header("cookie", "agora_lang=en")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("a page");
    assert!(
        again.contains("Meeting of the Flemish Government of 9 October 2026"),
        "{again}"
    );
    assert!(
        again.contains("Progress of the Oosterweel link, third quarter of 2026"),
        "English where present: {again}"
    );
    // Labels without an English form keep their Dutch one (Themis code lists are Dutch only).
    assert!(again.contains("<dd>Ministerraad</dd>"), "{again}");
    assert!(again.contains(">Goedgekeurd</a>"), "{again}");
    app.stop().await;
}

/// The accountability page's lists come from `late-reports.rq` and `late-proposals.rq` (no
/// labels, so they stay fast); they must select exactly what the example queries
/// `overdue-reports.rq` and `proposals-past-term.rq` select, and the page must show each entry
/// with the title the example gives it.
#[tokio::test]
async fn the_accountability_page_lists_what_the_example_queries_select() {
    let app = spawn_app().await;
    let entries = |results: &serde_json::Value, variable: &str| -> Vec<(String, String)> {
        let mut entries: Vec<(String, String)> = results["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .map(|row| {
                (
                    row[variable]["value"].as_str().expect("an IRI").to_owned(),
                    row["title"]["value"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        entries.sort();
        entries.dedup();
        entries
    };
    let page = html_page(&app, "/verantwoording").await;
    for (example, keys, variable) in [
        ("overdue-reports", "late-reports", "consultation"),
        ("proposals-past-term", "late-proposals", "proposal"),
    ] {
        let expected = entries(&app.sparql_select(&query_file(example)).await, variable);
        assert!(!expected.is_empty(), "the demo data has some {example}");
        let listed: Vec<String> = entries(&app.sparql_select(&query_file(keys)).await, variable)
            .into_iter()
            .map(|(iri, _)| iri)
            .collect();
        let selected: Vec<String> = expected.iter().map(|(iri, _)| iri.clone()).collect();
        assert_eq!(listed, selected, "{keys}.rq and {example}.rq disagree");
        for (iri, title) in &expected {
            let path = iri
                .strip_prefix("https://agora.vlaanderen.be")
                .unwrap_or(iri);
            assert!(
                page.contains(&format!("<a href=\"{path}\">{title}</a>")),
                "{iri} ({title}) is not on the page: {page}"
            );
        }
    }

    // A proposal pushed with an answer 1,461 days after its term heads the late proposals at
    // once (the list comes from the search index); answered in time, it leaves the list.
    let fixture = valid_fixture("burgervoorstel-beantwoord");
    let path = "/id/burgervoorstel/7e570000-0010-4000-8000-000000000031";
    for (answered, first) in [("2030-11-30", true), ("2026-11-12", false)] {
        let turtle = fixture.replace(
            "\"2026-11-12\"^^xsd:date",
            &format!("\"{answered}\"^^xsd:date"),
        );
        let pushed = app.push(crate::helpers::GENT_TOKEN, &turtle).await;
        assert!(
            pushed.status().is_success(),
            "{}",
            pushed.text().await.unwrap_or_default()
        );
        let rows: Vec<String> = accountability_section(&app, "voorstellen-titel")
            .await
            .split("<tr><th scope=\"row\">")
            .skip(1)
            .map(|row| row.split("</tr>").next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            rows.first().is_some_and(|row| row.contains(path)
                && row.contains("1461 dagen")
                && row.contains("30 november 2030")),
            first,
            "{rows:?}"
        );
        assert_eq!(rows.iter().any(|row| row.contains(path)), first, "{rows:?}");
    }

    // A report pushed about the consultation whose report is overdue takes it off the list at
    // once (the consultation's index document follows its reports); withdrawn, it is back.
    let overdue = "/id/consultatie/aab57b72-2f15-424b-923f-64037669270e";
    let late_reports = || accountability_section(&app, "verslagen-titel");
    assert!(late_reports().await.contains(overdue));
    let report = valid_fixture("consultatieverslag-alleen").replace(
        "/id/consultatie/7e570000-0009-4000-8000-000000000024",
        overdue,
    );
    let pushed = app.push(crate::helpers::GENT_TOKEN, &report).await;
    assert!(
        pushed.status().is_success(),
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    assert!(!late_reports().await.contains(overdue));
    let report_iri =
        "https://agora.vlaanderen.be/id/consultatieverslag/7e570000-0009-4000-8000-000000000021";
    let withdrawn = app
        .client
        .delete(format!(
            "{}/api/records/{}?reason=test",
            app.address,
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, report_iri.as_bytes())
        ))
        .bearer_auth(crate::helpers::GENT_TOKEN)
        .send()
        .await
        .expect("sent");
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    assert!(late_reports().await.contains(overdue));
    app.stop().await;
}

/// The `href`s of the cards in the home page's section `id`, in order.
fn card_links(page: &str, id: &str) -> Vec<String> {
    let section = page
        .split(&format!("<section aria-labelledby=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default();
    section
        .split("<h3><a href=\"")
        .skip(1)
        .filter_map(|card| card.split('"').next())
        .map(|href| href.replace("&#x2F;", "/").replace("&amp;", "&"))
        .collect()
}

/// The text of `fixtures/valid/{name}.ttl`.
fn valid_fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/valid/{name}.ttl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the fixture exists")
}

/// The HTML page at `path`, as a browser asks for it.
async fn html_page(app: &crate::helpers::TestApp, path: &str) -> String {
    app.get(path, BROWSER).await.text().await.expect("a page")
}

/// The accountability page's section headed by the element `id`.
async fn accountability_section(app: &crate::helpers::TestApp, id: &str) -> String {
    let page = html_page(app, "/verantwoording").await;
    page.split(&format!("<section aria-labelledby=\"{id}\">"))
        .nth(1)
        .and_then(|section| section.split("</section>").next())
        .unwrap_or_default()
        .to_owned()
}

/// The text of `queries/{name}.rq`.
fn query_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/queries/{name}.rq", env!("CARGO_MANIFEST_DIR")))
        .expect("the query file exists")
}

/// The links of the page at `path` that start with `prefix`, in order, and the page.
async fn links_on(
    app: &crate::helpers::TestApp,
    path: &str,
    prefix: &str,
) -> (Vec<String>, String) {
    let page = html_page(app, path).await;
    let links = page
        .split("href=\"")
        .skip(1)
        .filter_map(|link| link.split('"').next())
        .map(|href| href.replace("&#x2F;", "/"))
        .filter(|href| href.starts_with(prefix))
        .collect();
    (links, page)
}

/// The path a page links to for `iri` (Agora's own IRIs locally, others through `/resource`).
fn page_href(iri: &str) -> String {
    match iri.strip_prefix("https://agora.vlaanderen.be") {
        Some(path) if path.starts_with("/id/") => path.to_owned(),
        _ => format!(
            "/resource?uri={}",
            form_urlencoded::byte_serialize(iri.as_bytes()).collect::<String>()
        ),
    }
}

/// The home page's lists and the meetings, proposals and consultations pages come from the
/// search index, not from a scan of the store; they must list what `meetings.rq`,
/// `open-consultations.rq`, `proposals.rq`, `consultations.rq` and `consultation-filters.rq`
/// select, in the same order, and a pushed meeting must be on them at once.
#[tokio::test]
async fn the_lists_by_date_show_what_their_queries_select_and_follow_a_push() {
    let app = spawn_app().await;
    let selected = |results: serde_json::Value, variable: &str| -> Vec<String> {
        results["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .filter_map(|row| row[variable]["value"].as_str().map(page_href))
            .collect()
    };
    let home = || async {
        let page = html_page(&app, "/").await;
        (
            card_links(&page, "open-consultaties"),
            card_links(&page, "recente-vergaderingen"),
        )
    };

    let meetings = selected(app.sparql_select(&query_file("meetings")).await, "meeting");
    let open = selected(
        app.sparql_select(&query_file("open-consultations")).await,
        "consultation",
    );
    assert!(
        meetings.len() >= 4 && !open.is_empty(),
        "{meetings:?} {open:?}"
    );
    let (shown_open, shown_meetings) = home().await;
    assert_eq!(shown_open, open);
    assert_eq!(
        shown_meetings,
        meetings.iter().take(10).cloned().collect::<Vec<_>>()
    );

    // The meetings page, filtered by period, lists what meetings.rq selects with the same
    // parameters.
    let period = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n";
    let filtered = query_file("meetings").replace(
        "VALUES (?from ?to) { (UNDEF UNDEF) }",
        "VALUES (?from ?to) { (\"2026-10-01\"^^xsd:date \"2026-10-31\"^^xsd:date) }",
    );
    let expected = selected(
        app.sparql_select(&format!("{period}{filtered}")).await,
        "meeting",
    );
    assert!(!expected.is_empty());
    let page = html_page(&app, "/vergaderingen?van=2026-10-01&tot=2026-10-31").await;
    let listed: Vec<String> = meetings
        .iter()
        .filter(|href| {
            page.contains(&format!("href=\"{}\"", href.replace('/', "&#x2F;")))
                || page.contains(&format!("href=\"{href}\""))
        })
        .cloned()
        .collect();
    assert_eq!(listed, expected, "{page}");

    // A page number past the end shows the last page.
    let last = app
        .get("/vergaderingen?pagina=4000000000000", BROWSER)
        .await;
    assert_eq!(last.status(), 200);
    assert!(last.text().await.expect("a page").contains(&meetings[0]));

    // So does the proposals page, with what proposals.rq selects.
    let proposals = selected(
        app.sparql_select(&query_file("proposals")).await,
        "proposal",
    );
    assert!(proposals.len() >= 3, "{proposals:?}");
    let (listed, page) = links_on(&app, "/voorstellen", "/id/burgervoorstel/").await;
    assert_eq!(listed, proposals, "{page}");

    // The consultations page: its filters offer what consultation-filters.rq lists, with the same
    // labels and order, and a filtered list shows what consultations.rq selects.
    let page = html_page(&app, "/consultaties").await;
    let filters = app.sparql_select(&query_file("consultation-filters")).await;
    for (facet, select) in [
        ("status", "status"),
        ("theme", "thema"),
        ("level", "niveau"),
        ("organiser", "organisator"),
    ] {
        let expected: Vec<(String, String)> = filters["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .filter(|row| row["facet"]["value"] == facet)
            .map(|row| {
                let text = |name: &str| row[name]["value"].as_str().unwrap_or_default().to_owned();
                (text("value"), text("label"))
            })
            .collect();
        assert!(!expected.is_empty(), "{facet}");
        let options = page
            .split(&format!("name=\"{select}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .unwrap_or_default();
        let shown: Vec<(String, String)> = options
            .split("<option value=\"")
            .skip(2)
            .filter_map(|option| {
                let (value, rest) = option.split_once('"')?;
                let label = rest.split_once('>')?.1.split("</option>").next()?;
                Some((value.replace("&#x2F;", "/"), label.to_owned()))
            })
            .collect();
        assert_eq!(shown, expected, "{facet}");
    }
    let filtered = query_file("consultations").replace(
        "VALUES (?status ?theme ?level ?organiser ?from ?to) { (UNDEF UNDEF UNDEF UNDEF UNDEF UNDEF) }",
        "VALUES (?status ?theme ?level ?organiser ?from ?to) { (UNDEF UNDEF UNDEF UNDEF \"2026-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> UNDEF) }",
    );
    let expected = selected(app.sparql_select(&filtered).await, "consultation");
    assert!(!expected.is_empty());
    let (listed, page) = links_on(&app, "/consultaties?van=2026-01-01", "/id/consultatie/").await;
    assert_eq!(listed, expected, "{page}");

    // A meeting pushed with the latest start is the first on the home page at once.
    let turtle = valid_fixture("vergaderactiviteit-volledig")
        .replace("2026-12-04T10:00:00+01:00", "2099-12-04T10:00:00+01:00")
        .replace("2026-12-04T12:00:00+01:00", "2099-12-04T12:00:00+01:00");
    let pushed = app.push(crate::helpers::KALEIDOS_TOKEN, &turtle).await;
    assert!(
        pushed.status().is_success(),
        "{}",
        pushed.text().await.unwrap_or_default()
    );
    let (_, shown_meetings) = home().await;
    assert_eq!(
        shown_meetings.first().map(String::as_str),
        Some("/id/vergaderactiviteit/7e570000-0001-4000-8000-000000000001")
    );
    let meetings = selected(app.sparql_select(&query_file("meetings")).await, "meeting");
    assert_eq!(
        shown_meetings,
        meetings.iter().take(10).cloned().collect::<Vec<_>>()
    );
    app.stop().await;
}
