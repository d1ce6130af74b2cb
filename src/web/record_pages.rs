//! Pages for the main record types, in place of the generic resource page: a consultation (with
//! its report's answers per theme and the decisions it informed), a meeting (its agenda in order,
//! each item's decision and news item) and a decision.
//!
//! `pages::resource` calls [`render`] with the resource's types; a type without a page of its own
//! falls back to the generic page, so every URI still has one.

use oxigraph::model::{NamedNode, Term};
use serde::Serialize;

use crate::store::Rows;
use crate::web::error::ApiError;
use crate::web::i18n::text;
use crate::web::lang::Lang;
use crate::web::lists::{link, Link};
use crate::web::pages::{local_date, run_page_queries, PageQuery};
use crate::web::AppState;

const CONSULTATION: &str = include_str!("../../queries/consultation.rq");
const LINKED_LABELS: &str = include_str!("../../queries/linked-labels.rq");
const LINKING_LABELS: &str = include_str!("../../queries/linking-labels.rq");
const REPORT_ANSWERS: &str = include_str!("../../queries/report-answers-by-effect.rq");
const INFORMED_DECISIONS: &str =
    include_str!("../../queries/decisions-informed-by-consultations.rq");
const MEETING: &str = include_str!("../../queries/meeting.rq");
const MEETING_DECISIONS: &str = include_str!("../../queries/decisions-of-a-meeting.rq");
const DECISION: &str = include_str!("../../queries/decision.rq");

const PARTICIPATIE: &str = "https://agora.vlaanderen.be/ns/participatie#";

/// Which page template to use for a resource of these types, with its context; `None` when the
/// generic page serves it.
pub async fn render(
    state: &AppState,
    node: &NamedNode,
    types: &[&str],
    lang: Lang,
    context: &mut tera::Context,
) -> Result<Option<&'static str>, ApiError> {
    let is = |class: &str| types.contains(&class);
    if is(&format!("{PARTICIPATIE}Consultatie")) {
        consultation(state, node, lang, context).await?;
        Ok(Some("consultation.html"))
    } else if is("http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit") {
        meeting(state, node, lang, context).await?;
        Ok(Some("meeting.html"))
    } else if is("https://data.vlaanderen.be/ns/besluitvorming#Beslissingsactiviteit") {
        decision(state, node, lang, context).await?;
        Ok(Some("decision.html"))
    } else {
        Ok(None)
    }
}

fn first_str(rows: &Rows, variable: &str) -> Option<String> {
    rows.iter()
        .next()
        .and_then(|row| row.str(variable).map(str::to_owned))
}

fn labels(state: &AppState, rows: &Rows) -> Vec<Link> {
    let base = state.config.base_iri.as_str();
    rows.iter()
        .filter_map(|row| link(base, &row, "value", "label"))
        .collect()
}

#[derive(Serialize)]
struct ThemeAnswer {
    theme: String,
    effect: Option<String>,
    reactions: Option<String>,
    answer: Option<String>,
}

#[derive(Serialize)]
struct InformedDecision {
    decision: Option<Link>,
    result: Option<String>,
    item: Option<Link>,
    meeting: Option<Link>,
    date: Option<String>,
}

async fn consultation(
    state: &AppState,
    node: &NamedNode,
    lang: Lang,
    context: &mut tera::Context,
) -> Result<(), ApiError> {
    let this = || ("consultation", Term::from(node.clone()));
    let linked = |property: &str| linked_labels(node, property, false, lang);
    let mut results = run_page_queries(
        state,
        vec![
            PageQuery::new(CONSULTATION, vec![this(), lang.parameter()]),
            linked(&format!("{PARTICIPATIE}onderwerpstuk")),
            linked("http://purl.org/dc/terms/subject"),
            linked(&format!("{PARTICIPATIE}doelgroep")),
            PageQuery::new(REPORT_ANSWERS, vec![this()]),
            PageQuery::new(INFORMED_DECISIONS, vec![this()]),
        ],
    )
    .await?
    .into_iter();
    let detail = results.next().unwrap_or_default();
    let documents = results.next().unwrap_or_default();
    let themes = results.next().unwrap_or_default();
    let groups = results.next().unwrap_or_default();
    let answers = results.next().unwrap_or_default();
    let decisions = results.next().unwrap_or_default();
    let base = state.config.base_iri.as_str();
    let row = detail.iter().next();
    let get = |variable: &str| row.and_then(|row| row.str(variable)).map(str::to_owned);
    if let Some(title) = get("title") {
        context.insert("label", &title);
    }
    context.insert("description", &get("description"));
    context.insert(
        "opens",
        &get("opens").as_deref().map(|date| local_date(date, lang)),
    );
    context.insert(
        "closes",
        &get("closes").as_deref().map(|date| local_date(date, lang)),
    );
    context.insert("status", &get("statusLabel"));
    context.insert("level", &get("levelLabel"));
    context.insert(
        "organiser",
        &row.and_then(|row| link(base, &row, "organiser", "organiserLabel")),
    );
    context.insert("respond_at", &get("respondAt"));
    context.insert("reactions", &get("reactions"));
    context.insert(
        "report_due",
        &get("reportDue")
            .as_deref()
            .map(|date| local_date(date, lang)),
    );
    context.insert("documents", &labels(state, &documents));
    context.insert("themes", &labels(state, &themes));
    context.insert("groups", &labels(state, &groups));
    let report = answers
        .iter()
        .next()
        .and_then(|row| row.str("report"))
        .map(|report| Link {
            href: crate::web::pages::href(base, report),
            text: report.to_owned(),
        });
    context.insert("report", &report);
    let answers: Vec<ThemeAnswer> = answers
        .iter()
        .map(|row| ThemeAnswer {
            theme: row.str("theme").unwrap_or_default().to_owned(),
            effect: row.str("effect").map(str::to_owned),
            reactions: row.str("reactions").map(str::to_owned),
            answer: row.str("answer").map(str::to_owned),
        })
        .collect();
    context.insert("answers", &answers);
    let decisions: Vec<InformedDecision> = decisions
        .iter()
        .map(|row| InformedDecision {
            decision: link(base, &row, "decision", "itemTitle"),
            result: row.str("result").map(str::to_owned),
            item: link(base, &row, "item", "itemTitle"),
            meeting: link(base, &row, "meeting", "meetingTitle"),
            date: row.str("date").map(|date| local_date(date, lang)),
        })
        .collect();
    context.insert("decisions", &decisions);
    Ok(())
}

#[derive(Serialize)]
struct AgendaItem {
    position: String,
    item: Option<Link>,
    decision: Option<Link>,
    result: Option<String>,
    news: Option<Link>,
}

#[derive(Serialize)]
struct AgendaSection {
    kind: String,
    items: Vec<AgendaItem>,
}

async fn meeting(
    state: &AppState,
    node: &NamedNode,
    lang: Lang,
    context: &mut tera::Context,
) -> Result<(), ApiError> {
    let this = || ("meeting", Term::from(node.clone()));
    let mut results = run_page_queries(
        state,
        vec![
            PageQuery::new(MEETING, vec![this(), lang.parameter()]),
            PageQuery::new(MEETING_DECISIONS, vec![this(), lang.parameter()]),
        ],
    )
    .await?
    .into_iter();
    let detail = results.next().unwrap_or_default();
    let items = results.next().unwrap_or_default();
    let base = state.config.base_iri.as_str();
    if let Some(title) = first_str(&detail, "title") {
        context.insert("label", &title);
    }
    context.insert("kind", &first_str(&detail, "kind"));
    context.insert(
        "start",
        &first_str(&detail, "start")
            .as_deref()
            .map(|date| local_date(date, lang)),
    );
    context.insert(
        "body",
        &detail
            .iter()
            .next()
            .and_then(|row| link(base, &row, "body", "bodyLabel")),
    );
    // Notes and announcements, each in agenda order, in the order their kinds first appear.
    let mut sections: Vec<AgendaSection> = Vec::new();
    for row in items.iter() {
        let kind = row
            .str("type")
            .unwrap_or(text(lang, "Agendapunten"))
            .to_owned();
        let item = AgendaItem {
            position: row.str("position").unwrap_or_default().to_owned(),
            item: link(base, &row, "item", "title"),
            decision: row.str("decision").map(|decision| Link {
                href: crate::web::pages::href(base, decision),
                text: row
                    .str("result")
                    .unwrap_or(text(lang, "beslissing"))
                    .to_owned(),
            }),
            result: row.str("result").map(str::to_owned),
            news: link(base, &row, "newsItem", "newsTitle"),
        };
        match sections.iter_mut().find(|section| section.kind == kind) {
            Some(section) => section.items.push(item),
            None => sections.push(AgendaSection {
                kind,
                items: vec![item],
            }),
        }
    }
    context.insert("sections", &sections);
    Ok(())
}

async fn decision(
    state: &AppState,
    node: &NamedNode,
    lang: Lang,
    context: &mut tera::Context,
) -> Result<(), ApiError> {
    let mut results = run_page_queries(
        state,
        vec![
            PageQuery::new(
                DECISION,
                vec![("decision", Term::from(node.clone())), lang.parameter()],
            ),
            linked_labels(node, "http://www.w3.org/ns/prov#wasInformedBy", false, lang),
        ],
    )
    .await?
    .into_iter();
    let detail = results.next().unwrap_or_default();
    let consultations = results.next().unwrap_or_default();
    let base = state.config.base_iri.as_str();
    let row = detail.iter().next();
    let item = row.and_then(|row| link(base, &row, "item", "itemTitle"));
    let result = row
        .and_then(|row| row.str("resultLabel"))
        .map(str::to_owned);
    let label = match (&result, &item) {
        (Some(result), Some(item)) => {
            format!("{} {} ({result})", text(lang, "Beslissing:"), item.text)
        }
        (None, Some(item)) => format!("{} {}", text(lang, "Beslissing:"), item.text),
        _ => text(lang, "Beslissing").to_owned(),
    };
    // The news items about the decision's agenda item.
    let news = match row.and_then(|row| row.str("item")) {
        Some(item) => {
            let item = NamedNode::new(item).map_err(|error| ApiError::Internal(error.into()))?;
            let rows = run_page_queries(
                state,
                vec![linked_labels(
                    &item,
                    "http://www.w3.org/ns/prov#wasDerivedFrom",
                    true,
                    lang,
                )],
            )
            .await?
            .pop()
            .unwrap_or_default();
            labels(state, &rows)
        }
        None => Vec::new(),
    };
    context.insert("label", &label);
    context.insert("result", &result);
    context.insert(
        "date",
        &row.and_then(|row| row.str("date"))
            .map(|date| local_date(date, lang)),
    );
    context.insert("item", &item);
    context.insert(
        "meeting",
        &row.and_then(|row| link(base, &row, "meeting", "meetingTitle")),
    );
    context.insert("news", &news);
    context.insert("consultations", &labels(state, &consultations));
    Ok(())
}

/// The resources `node` points at through `property` (or that point at it, when `incoming`).
fn linked_labels(node: &NamedNode, property: &str, incoming: bool, lang: Lang) -> PageQuery {
    PageQuery::new(
        if incoming {
            LINKING_LABELS
        } else {
            LINKED_LABELS
        },
        vec![
            ("resource", Term::from(node.clone())),
            (
                "property",
                Term::from(NamedNode::new_unchecked(property.to_owned())),
            ),
            lang.parameter(),
        ],
    )
}
