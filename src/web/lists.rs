//! The list pages: consultations (filtered, paged), meetings by date, proposals, and the
//! accountability page (overdue reports, proposals not answered in time).
//!
//! Every filter value from the request is checked (an IRI, a date) and reaches the query as a
//! bound parameter, never as query text.

use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, Term};
use serde::{Deserialize, Serialize};

use crate::search::{day_number, Facet, Kind, ListOrder, ListRequest};
use crate::store::Row;
use crate::web::error::ApiError;
use crate::web::lang::{Lang, LanguageSwitch};
use crate::web::page_data::PageData;
use crate::web::pages::{
    href, local_date, now_seconds, render, run_list_queries, run_list_query, Keys, ListPage,
    ListQuery, PageQuery,
};
use crate::web::AppState;

/// The consultations, filtered, newest opening first.
pub const CONSULTATIONS: &str = include_str!("../../queries/consultations.rq");
/// One consultation's line in a list (also the home page's open consultations).
pub const CONSULTATION_ROW: &str = include_str!("../../queries/consultation-row.rq");
const CONSULTATION_FILTERS: &str = include_str!("../../queries/consultation-filters.rq");
/// The meetings by date, newest first (also the home page's latest meetings).
pub const MEETINGS: &str = include_str!("../../queries/meetings.rq");
/// One meeting's line in a list.
pub const MEETING_ROW: &str = include_str!("../../queries/meeting-row.rq");
/// The proposals, newest first.
pub const PROPOSALS: &str = include_str!("../../queries/proposals.rq");
/// One proposal's line in a list.
pub const PROPOSAL_ROW: &str = include_str!("../../queries/proposal-row.rq");
/// The consultations whose report is overdue, most days late first.
pub const LATE_REPORTS: &str = include_str!("../../queries/late-reports.rq");
/// The proposals not answered within their term, most days late first.
pub const LATE_PROPOSALS: &str = include_str!("../../queries/late-proposals.rq");

/// Items per page of a list.
pub const PAGE_SIZE: usize = 20;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consultaties", get(consultations))
        .route("/vergaderingen", get(meetings))
        .route("/voorstellen", get(proposals))
        .route("/verantwoording", get(accountability))
}

/// A link to a resource with its label.
#[derive(Serialize)]
pub struct Link {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub text: String,
}

/// A link for the IRI bound to `iri` labelled by `label` (the IRI when unlabelled).
pub fn link(base: &str, row: &Row<'_>, iri: &str, label: &str) -> Option<Link> {
    let target = row.str(iri)?;
    Some(Link {
        href: href(base, target),
        text: row.str(label).unwrap_or(target).to_owned(),
    })
}

/// The consultations page's request: its filters and page number.
#[derive(Deserialize, Default)]
struct ConsultationFilters {
    status: Option<String>,
    thema: Option<String>,
    niveau: Option<String>,
    organisator: Option<String>,
    van: Option<String>,
    tot: Option<String>,
    pagina: Option<usize>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ConsultationItem {
    link: Option<Link>,
    opens: String,
    closes: String,
    status: Option<String>,
    level: Option<String>,
    organiser: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn consultations(
    State(state): State<AppState>,
    switch: LanguageSwitch,
    Query(filters): Query<ConsultationFilters>,
) -> Result<Html<String>, ApiError> {
    let lang = switch.lang();
    let mut parameters = Vec::new();
    let mut request = ListRequest {
        complete: true,
        ..ListRequest::of(Kind::Consultation, ListOrder::NewestFirst)
    };
    for (name, value, facet) in [
        ("status", &filters.status, Facet::Status),
        ("theme", &filters.thema, Facet::Theme),
        ("level", &filters.niveau, Facet::Level),
        ("organiser", &filters.organisator, Facet::Organiser),
    ] {
        if let Some(value) = non_empty(value) {
            parameters.push((name, iri_parameter(name, value)?));
            request.facets.push((facet, value.to_owned()));
        }
    }
    for (name, value, day) in [
        ("from", &filters.van, &mut request.from_day),
        ("to", &filters.tot, &mut request.to_day),
    ] {
        if let Some(value) = non_empty(value) {
            parameters.push((name, date_parameter(name, value)?));
            *day = day_number(value);
        }
    }
    let list = ListQuery {
        keys: Keys {
            request,
            date: "opens",
            fallback: PageQuery::new(CONSULTATIONS, parameters),
        },
        key: "consultation",
        row: PageQuery::new(CONSULTATION_ROW, vec![lang.parameter()]),
        page: filters.pagina,
        page_size: PAGE_SIZE,
    };
    // The filters' choices come from the index too, unless it is stale.
    let from_store = if state.search.is_stale() {
        vec![PageQuery::new(CONSULTATION_FILTERS, vec![lang.parameter()])]
    } else {
        Vec::new()
    };
    let (listed, facets) = run_list_query(&state, list, from_store).await?;
    let facets = match facets.into_iter().next() {
        Some(rows) => rows
            .iter()
            .map(|row| FacetChoice {
                facet: row.str("facet").unwrap_or_default().to_owned(),
                value: row.str("value").unwrap_or_default().to_owned(),
                label: row.str("label").unwrap_or_default().to_owned(),
            })
            .collect(),
        None => indexed_choices(&state, lang).await?,
    };
    let base = state.config.base_iri.as_str();
    let items: Vec<ConsultationItem> = listed
        .rows
        .iter()
        .map(|row| ConsultationItem {
            link: link(base, &row, "consultation", "title"),
            opens: local_date(row.str("opens").unwrap_or_default(), lang),
            closes: local_date(row.str("closes").unwrap_or_default(), lang),
            status: row.str("statusLabel").map(str::to_owned),
            level: row.str("levelLabel").map(str::to_owned),
            organiser: row.str("organiserLabel").map(str::to_owned),
        })
        .collect();
    let choices = |facet: Facet, selected: &Option<String>| -> Vec<Choice> {
        facets
            .iter()
            .filter(|choice| choice.facet == facet.code())
            .map(|choice| Choice {
                selected: selected.as_deref() == Some(choice.value.as_str()),
                label: choice.label.clone(),
                value: choice.value.clone(),
            })
            .collect()
    };
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    insert_paging(&mut context, &listed);
    context.insert("items", &items);
    context.insert("statuses", &choices(Facet::Status, &filters.status));
    context.insert("themes", &choices(Facet::Theme, &filters.thema));
    context.insert("levels", &choices(Facet::Level, &filters.niveau));
    context.insert(
        "organisers",
        &choices(Facet::Organiser, &filters.organisator),
    );
    context.insert("from", filters.van.as_deref().unwrap_or_default());
    context.insert("to", filters.tot.as_deref().unwrap_or_default());
    context.insert(
        "page_query",
        &filter_query(&[
            ("status", &filters.status),
            ("thema", &filters.thema),
            ("niveau", &filters.niveau),
            ("organisator", &filters.organisator),
            ("van", &filters.van),
            ("tot", &filters.tot),
        ]),
    );
    render(&state, "consultations.html", &context)
}

/// One choice of a consultations filter, as `consultation-filters.rq` gives it.
#[derive(Debug, PartialEq, Eq)]
pub struct FacetChoice {
    /// The facet's code (`status`, `theme`, `level`, `organiser`).
    pub facet: String,
    /// The value (an IRI).
    pub value: String,
    /// Its label in the reader's language, else Dutch, else the IRI.
    pub label: String,
}

/// The choices of the consultations filters from the search index, labelled from the store:
/// a few lookups per value instead of `consultation-filters.rq`'s scan of every consultation.
pub async fn indexed_choices(state: &AppState, lang: Lang) -> Result<Vec<FacetChoice>, ApiError> {
    let search = state.search.clone();
    let store = state.store.clone();
    let base = state.config.base_iri.as_str().to_owned();
    tokio::task::spawn_blocking(move || -> Result<Vec<FacetChoice>, ApiError> {
        let mut values = Vec::new();
        for facet in Facet::ALL {
            let found = search
                .facet_values(Kind::Consultation, facet)
                .map_err(|error| ApiError::Internal(error.into()))?;
            values.extend(found.into_iter().map(|value| (facet, value)));
        }
        let mut choices = store
            .read_published(|published| {
                let data = PageData::new(published, lang, &base);
                let choices: Vec<FacetChoice> = values
                    .into_iter()
                    .map(|(facet, value)| FacetChoice {
                        facet: facet.code().to_owned(),
                        label: NamedNode::new(value.as_str())
                            .ok()
                            .and_then(|node| data.preferred_label(node.as_ref()))
                            .unwrap_or_else(|| value.clone()),
                        value,
                    })
                    .collect();
                data.finish().map(|()| choices)
            })?
            .map_err(ApiError::from)?;
        choices.sort_by(|a, b| (&a.facet, &a.label).cmp(&(&b.facet, &b.label)));
        Ok(choices)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
}

#[derive(Deserialize, Default)]
struct Period {
    van: Option<String>,
    tot: Option<String>,
    pagina: Option<usize>,
}

#[derive(Serialize)]
struct MeetingItem {
    link: Option<Link>,
    date: String,
    start: String,
    kind: Option<String>,
    items: String,
    decisions: String,
}

#[tracing::instrument(skip_all)]
async fn meetings(
    State(state): State<AppState>,
    switch: LanguageSwitch,
    Query(period): Query<Period>,
) -> Result<Html<String>, ApiError> {
    let lang = switch.lang();
    let mut parameters = Vec::new();
    let mut request = ListRequest::of(Kind::Meeting, ListOrder::NewestFirst);
    for (name, value, day) in [
        ("from", &period.van, &mut request.from_day),
        ("to", &period.tot, &mut request.to_day),
    ] {
        if let Some(value) = non_empty(value) {
            parameters.push((name, date_parameter(name, value)?));
            *day = day_number(value);
        }
    }
    let list = ListQuery {
        keys: Keys {
            request,
            date: "start",
            fallback: PageQuery::new(MEETINGS, parameters),
        },
        key: "meeting",
        row: PageQuery::new(MEETING_ROW, vec![lang.parameter()]),
        page: period.pagina,
        page_size: PAGE_SIZE,
    };
    let (listed, _) = run_list_query(&state, list, Vec::new()).await?;
    let base = state.config.base_iri.as_str();
    let items: Vec<MeetingItem> = listed
        .rows
        .iter()
        .map(|row| {
            let start = row.str("start").unwrap_or_default();
            MeetingItem {
                link: link(base, &row, "meeting", "title"),
                date: local_date(start, lang),
                start: start.to_owned(),
                kind: row.str("kind").map(str::to_owned),
                items: row.str("items").unwrap_or("0").to_owned(),
                decisions: row.str("decisions").unwrap_or("0").to_owned(),
            }
        })
        .collect();
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    insert_paging(&mut context, &listed);
    context.insert("items", &items);
    context.insert("from", period.van.as_deref().unwrap_or_default());
    context.insert("to", period.tot.as_deref().unwrap_or_default());
    context.insert(
        "page_query",
        &filter_query(&[("van", &period.van), ("tot", &period.tot)]),
    );
    render(&state, "meetings.html", &context)
}

#[derive(Serialize)]
struct ProposalItem {
    link: Option<Link>,
    submitted: String,
    status: Option<String>,
    due: Option<String>,
    answered: Option<String>,
    addressed_to: Option<String>,
}

#[derive(Deserialize, Default)]
struct Paging {
    pagina: Option<usize>,
}

#[tracing::instrument(skip_all)]
async fn proposals(
    State(state): State<AppState>,
    switch: LanguageSwitch,
    Query(paging): Query<Paging>,
) -> Result<Html<String>, ApiError> {
    let lang = switch.lang();
    let list = ListQuery {
        keys: Keys {
            request: ListRequest::of(Kind::Proposal, ListOrder::NewestFirst),
            date: "submitted",
            fallback: PageQuery::new(PROPOSALS, Vec::new()),
        },
        key: "proposal",
        row: PageQuery::new(PROPOSAL_ROW, vec![lang.parameter()]),
        page: paging.pagina,
        page_size: PAGE_SIZE,
    };
    let (listed, _) = run_list_query(&state, list, Vec::new()).await?;
    let base = state.config.base_iri.as_str();
    let items: Vec<ProposalItem> = listed
        .rows
        .iter()
        .map(|row| ProposalItem {
            link: link(base, &row, "proposal", "title"),
            submitted: local_date(row.str("submitted").unwrap_or_default(), lang),
            status: row.str("statusLabel").map(str::to_owned),
            due: row.str("due").map(|date| local_date(date, lang)),
            answered: row.str("answered").map(|date| local_date(date, lang)),
            addressed_to: row.str("addressedTo").map(str::to_owned),
        })
        .collect();
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    insert_paging(&mut context, &listed);
    context.insert("items", &items);
    context.insert("page_query", "");
    render(&state, "proposals.html", &context)
}

#[derive(Serialize)]
struct LateItem {
    link: Option<Link>,
    due: String,
    days_late: String,
    answered: Option<String>,
    who: Option<String>,
}

/// The accountability page's request: the page of each of its two lists.
#[derive(Deserialize, Default)]
struct AccountabilityPages {
    verslagen: Option<usize>,
    voorstellen: Option<usize>,
}

#[tracing::instrument(skip_all)]
async fn accountability(
    State(state): State<AppState>,
    switch: LanguageSwitch,
    Query(pages): Query<AccountabilityPages>,
) -> Result<Html<String>, ApiError> {
    let lang = switch.lang();
    // Both lists count days late to the same instant.
    let now = now_seconds();
    let lists = vec![
        ListQuery {
            keys: Keys {
                request: ListRequest::of(Kind::Consultation, ListOrder::MostOverdueFirst { now }),
                date: "due",
                fallback: PageQuery::new(LATE_REPORTS, Vec::new()),
            },
            key: "consultation",
            row: PageQuery::new(CONSULTATION_ROW, vec![lang.parameter()]),
            page: pages.verslagen,
            page_size: PAGE_SIZE,
        },
        ListQuery {
            keys: Keys {
                request: ListRequest::of(Kind::Proposal, ListOrder::MostOverdueFirst { now }),
                date: "due",
                fallback: PageQuery::new(LATE_PROPOSALS, Vec::new()),
            },
            key: "proposal",
            row: PageQuery::new(PROPOSAL_ROW, vec![lang.parameter()]),
            page: pages.voorstellen,
            page_size: PAGE_SIZE,
        },
    ];
    let (mut listed, _) = run_list_queries(&state, lists, Vec::new()).await?;
    let proposals = listed.pop().unwrap_or_default();
    let reports = listed.pop().unwrap_or_default();
    let base = state.config.base_iri.as_str();
    let late = |listed: &ListPage, iri: &str, who: &str| -> Vec<LateItem> {
        listed
            .rows
            .iter()
            .map(|row| LateItem {
                link: link(base, &row, iri, "title"),
                due: local_date(row.str("due").unwrap_or_default(), lang),
                days_late: row.str("daysLate").unwrap_or("?").to_owned(),
                answered: row.str("answered").map(|date| local_date(date, lang)),
                who: row.str(who).map(str::to_owned),
            })
            .collect()
    };
    let paging = |listed: &ListPage| serde_json::json!({ "total": listed.total, "page": listed.page, "pages": listed.pages });
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    context.insert("reports", &late(&reports, "consultation", "organiserLabel"));
    context.insert("reports_paging", &paging(&reports));
    context.insert("proposals", &late(&proposals, "proposal", "addressedTo"));
    context.insert("proposals_paging", &paging(&proposals));
    // Each list's pager keeps the other list's page.
    context.insert("reports_page", &reports.page);
    context.insert("proposals_page", &proposals.page);
    render(&state, "accountability.html", &context)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A filter's IRI, checked.
fn iri_parameter(name: &str, value: &str) -> Result<Term, ApiError> {
    NamedNode::new(value).map(Term::from).map_err(|_| {
        ApiError::BadRequest(format!(
            "the {name} filter must be an absolute IRI from the list; {value:?} is not one"
        ))
    })
}

/// A filter's date (`YYYY-MM-DD`), checked.
fn date_parameter(name: &str, value: &str) -> Result<Term, ApiError> {
    let bytes = value.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    let month = value.get(5..7).and_then(|m| m.parse::<u8>().ok());
    let day = value.get(8..10).and_then(|d| d.parse::<u8>().ok());
    if shaped && matches!(month, Some(1..=12)) && matches!(day, Some(1..=31)) {
        Ok(Literal::new_typed_literal(value, xsd::DATE).into())
    } else {
        Err(ApiError::BadRequest(format!(
            "the {name} date must be written YYYY-MM-DD, for example 2026-10-01; {value:?} is not"
        )))
    }
}

/// The paging of a list for its template: `total`, `page` and `pages`.
fn insert_paging(context: &mut tera::Context, listed: &ListPage) {
    context.insert("total", &listed.total);
    context.insert("page", &listed.page);
    context.insert("pages", &listed.pages);
}

/// The current filters as a query string prefix for paging links (`status=...&`).
fn filter_query(filters: &[(&str, &Option<String>)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in filters {
        if let Some(value) = non_empty(value) {
            serializer.append_pair(name, value);
        }
    }
    let query = serializer.finish();
    if query.is_empty() {
        query
    } else {
        format!("{query}&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(date_parameter("van", "2026-10-01").is_ok());
        for bad in ["2026-13-01", "01-10-2026", "2026-10-1", "\" } ?x", ""] {
            assert!(date_parameter("van", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filter_iris_are_checked() {
        assert!(iri_parameter("status", "https://example.org/x").is_ok());
        assert!(iri_parameter("status", "> } ?x ?y ?z").is_err());
    }
}
