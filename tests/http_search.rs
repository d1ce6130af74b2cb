//! Search over real HTTP: the demo data is found and ranked, the kind filter works, and the index
//! follows pushes, withdrawals and embargoes; markup in data is shown as text.

use crate::helpers::{spawn_app, TestApp, KALEIDOS_TOKEN};

pub(crate) const PROPOSAL: &str =
    "https://agora.vlaanderen.be/id/burgervoorstel/7e570000-0010-4000-8000-000000000031";

pub(crate) fn proposal_turtle() -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/valid/burgervoorstel-beantwoord.ttl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the fixture exists")
}

fn proposal_id() -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, PROPOSAL.as_bytes()).to_string()
}

/// The JSON answer of `/zoeken` for this query string.
pub(crate) async fn search(app: &TestApp, query: &str) -> serde_json::Value {
    let response = app
        .get(&format!("/zoeken?{query}"), "application/json")
        .await;
    assert_eq!(response.status(), 200, "/zoeken?{query}");
    response.json().await.expect("a JSON body")
}

pub(crate) fn iris(results: &serde_json::Value) -> Vec<String> {
    results["results"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|hit| hit["iri"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn push(app: &TestApp, turtle: &str) {
    let pushed = app.push(KALEIDOS_TOKEN, turtle).await;
    let status = pushed.status();
    assert!(
        status.is_success(),
        "{status}: {}",
        pushed.text().await.unwrap_or_default()
    );
}

#[tokio::test]
async fn searching_the_demo_data_finds_the_consultation_first() {
    let app = spawn_app().await;
    let results = search(&app, "q=klimaat+energieplan").await;
    let found = iris(&results);
    assert_eq!(
        found.first().map(String::as_str),
        Some("https://agora.vlaanderen.be/id/consultatie/27ee4f0b-c979-4800-b118-48e0eb0f1e66"),
        "{results:#}"
    );
    // its report and subject document are found too, below it
    assert!(
        found.iter().any(|iri| iri.contains("/consultatieverslag/")),
        "{results:#}"
    );
    // the same on the page, as a linked result with its kind and a marked snippet
    let page = app.get("/zoeken?q=klimaat+energieplan", "text/html").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("a page");
    assert!(html.contains("href=\"/id/consultatie/27ee4f0b-c979-4800-b118-48e0eb0f1e66\""));
    assert!(html.contains("<mark>"), "{html}");
    assert!(html.contains("<h1>Zoeken</h1>"));
    app.stop().await;
}

#[tokio::test]
async fn news_items_are_found_by_their_text_in_any_inflection() {
    let app = spawn_app().await;
    // "fietspad" appears only as "fietspaden", in the text of a news item
    let results = search(&app, "q=fietspad&soort=nieuwsbericht").await;
    let hits = results["results"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty(), "{results:#}");
    assert!(hits.iter().all(|hit| hit["soort"] == "nieuwsbericht"));
    assert!(
        hits[0]["snippet"]
            .as_str()
            .is_some_and(|text| !text.contains('<')),
        "the news text is indexed without its markup: {results:#}"
    );
    // without the filter, other kinds come along and are counted per kind
    let all = search(&app, "q=fietspad").await;
    assert!(all["total"].as_u64() > results["total"].as_u64(), "{all:#}");
    assert_eq!(all["perKind"]["nieuwsbericht"], results["total"]);
    // an unknown kind is refused
    let refused = app.get("/zoeken?q=fiets&soort=boek", "text/html").await;
    assert_eq!(refused.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn a_pushed_record_is_found_at_once_and_gone_once_withdrawn() {
    let app = spawn_app().await;
    assert_eq!(search(&app, "q=testhaltes").await["total"], 0);
    push(&app, &proposal_turtle()).await;
    let results = search(&app, "q=testhalte").await;
    assert_eq!(iris(&results), vec![PROPOSAL.to_owned()], "{results:#}");
    assert_eq!(results["results"][0]["soort"], "burgervoorstel");

    let withdrawn = app
        .client
        .delete(format!(
            "{}/api/records/{}?reason=test",
            app.address,
            proposal_id()
        ))
        .bearer_auth(KALEIDOS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(withdrawn.status(), 200);
    assert_eq!(search(&app, "q=testhalte").await["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn an_embargoed_record_is_found_only_once_released() {
    let app = spawn_app().await;
    let release = oxsdatatypes::DateTime::now()
        .checked_add_duration(
            oxsdatatypes::Duration::new(0, oxsdatatypes::Decimal::from(3)).expect("duration"),
        )
        .expect("a time");
    let turtle = proposal_turtle().replace(
        "dct:dateSubmitted",
        &format!("dct:available \"{release}\"^^xsd:dateTime ;\n    dct:dateSubmitted"),
    );
    push(&app, &turtle).await;
    assert_eq!(search(&app, "q=testhalte").await["total"], 0);
    let started = std::time::Instant::now();
    while search(&app, "q=testhalte").await["total"] == 0 {
        assert!(
            started.elapsed().as_secs() < 15,
            "the released record did not reach the index"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn markup_in_data_is_shown_as_text() {
    let app = spawn_app().await;
    let turtle = proposal_turtle()
        .replace(
            "Meer fietsenstallingen aan testhaltes",
            "Meer <script>alert(1)</script> testhaltes",
        )
        .replace(
            "Voorstel om aan elke testhalte",
            "Voorstel <img src=x onerror=alert(2)> om aan elke testhalte",
        );
    push(&app, &turtle).await;
    let page = app.get("/zoeken?q=testhalte", "text/html").await;
    let html = page.text().await.expect("a page");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src"), "{html}");
    // the query itself is echoed escaped
    let echoed = app
        .get("/zoeken?q=%3Cscript%3Ex%3C%2Fscript%3E", "text/html")
        .await
        .text()
        .await
        .expect("a page");
    assert!(!echoed.contains("<script>x"), "{echoed}");
    app.stop().await;
}

#[tokio::test]
async fn every_page_has_a_labelled_search_form() {
    let app = spawn_app().await;
    let home = app
        .get("/", "text/html")
        .await
        .text()
        .await
        .expect("a page");
    assert!(home.contains("action=\"/zoeken\""), "{home}");
    assert!(home.contains("<label for=\"site-q\">"), "{home}");
    let empty = app.get("/zoeken", "text/html").await;
    assert_eq!(empty.status(), 200);
    app.stop().await;
}
