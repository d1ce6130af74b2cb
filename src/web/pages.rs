//! Pages for people: the home page and a generic page for any resource, which also serves the
//! resource's RDF by content negotiation (so that every `{base}/id/...` URI dereferences).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::model::{Literal, NamedNode, Term};
use serde::Serialize;

use crate::model::vocab;
use crate::search::{Kind, ListOrder, ListRequest, Listing, SearchIndex};
use crate::sparql::GRAPH_OFFERS;
use crate::store::{parse_query, QueryError, QueryOptions, ResultFormat, Rows, Store};
use crate::web::deadline::Deadline;
use crate::web::error::ApiError;
use crate::web::i18n::text;
use crate::web::lang::{Lang, LanguageSwitch};
use crate::web::page_data::{PageData, LABELS};
use crate::web::{negotiate, record_pages, AppState};
use oxigraph::sparql::CancellationToken;

/// The consultations open now, for the home page when the search index cannot answer.
const HOME_OPEN_CONSULTATIONS: &str = include_str!("../../queries/open-consultations.rq");
/// How many of the latest meetings the home page shows.
const LATEST_MEETINGS: usize = 10;
/// How many of the open consultations the home page shows (the query's `LIMIT`).
const OPEN_CONSULTATIONS: usize = 20;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/id/{*path}", get(local_resource))
        .route("/resource", get(any_resource))
        .route("/shapes/{name}", get(shapes_file))
}

#[derive(Serialize)]
struct ConsultationCard {
    href: String,
    title: String,
    closes: String,
    closes_display: String,
    organiser: Option<String>,
    level: Option<String>,
}

#[derive(Serialize)]
struct MeetingCard {
    href: String,
    title: String,
    start: String,
    start_display: String,
    kind: Option<String>,
    items: String,
}

#[tracing::instrument(skip_all)]
async fn home(
    State(state): State<AppState>,
    switch: LanguageSwitch,
) -> Result<Html<String>, ApiError> {
    let lang = switch.lang();
    let latest = ListQuery {
        keys: Keys {
            request: ListRequest::of(Kind::Meeting, ListOrder::NewestFirst),
            date: "start",
            fallback: PageQuery::new(crate::web::lists::MEETINGS, Vec::new()),
        },
        key: "meeting",
        row: PageQuery::new(crate::web::lists::MEETING_ROW, vec![lang.parameter()]),
        page: None,
        page_size: LATEST_MEETINGS,
    };
    let open = ListQuery {
        keys: Keys {
            request: ListRequest {
                open_at: Some(now_seconds()),
                ..ListRequest::of(Kind::Consultation, ListOrder::ClosingFirst)
            },
            date: "opens",
            fallback: PageQuery::new(HOME_OPEN_CONSULTATIONS, Vec::new()),
        },
        key: "consultation",
        row: PageQuery::new(crate::web::lists::CONSULTATION_ROW, vec![lang.parameter()]),
        page: None,
        page_size: OPEN_CONSULTATIONS,
    };
    let (mut lists, _) = run_list_queries(&state, vec![latest, open], Vec::new()).await?;
    let consultations = lists.pop().unwrap_or_default().rows;
    let meetings = lists.pop().unwrap_or_default().rows;
    let base = state.config.base_iri.as_str();
    let consultations: Vec<ConsultationCard> = consultations
        .iter()
        .map(|row| ConsultationCard {
            href: href(base, row.str("consultation").unwrap_or_default()),
            title: row
                .str("title")
                .unwrap_or(text(lang, "(zonder titel)"))
                .to_owned(),
            closes: row.str("closes").unwrap_or_default().to_owned(),
            closes_display: local_date(row.str("closes").unwrap_or_default(), lang),
            organiser: row.str("organiserLabel").map(str::to_owned),
            level: row.str("levelLabel").map(str::to_owned),
        })
        .collect();
    let meetings: Vec<MeetingCard> = meetings
        .iter()
        .map(|row| {
            let start = row.str("start").unwrap_or_default();
            MeetingCard {
                href: href(base, row.str("meeting").unwrap_or_default()),
                title: row
                    .str("title")
                    .map(str::to_owned)
                    .unwrap_or_else(|| local_date(start, lang)),
                start: start.to_owned(),
                start_display: local_date(start, lang),
                kind: row.str("kind").map(str::to_owned),
                items: row.str("items").unwrap_or("0").to_owned(),
            }
        })
        .collect();
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    context.insert("consultations", &consultations);
    context.insert("meetings", &meetings);
    render(&state, "home.html", &context)
}

/// `?format=` on a resource URI, for links that cannot set `Accept`.
#[derive(serde::Deserialize)]
struct ResourceParams {
    uri: Option<String>,
    format: Option<String>,
    /// `alles`: the generic page with every property, even for a type with a page of its own.
    weergave: Option<String>,
}

#[tracing::instrument(skip_all, fields(path = %path))]
async fn local_resource(
    State(state): State<AppState>,
    Path(path): Path<String>,
    Query(params): Query<ResourceParams>,
    switch: LanguageSwitch,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let iri = format!("{}/id/{path}", state.config.base_iri.as_str());
    let generic = params.weergave.as_deref() == Some("alles");
    resource(
        state,
        &iri,
        params.format.as_deref(),
        generic,
        switch,
        &headers,
    )
    .await
}

#[tracing::instrument(skip_all)]
async fn any_resource(
    State(state): State<AppState>,
    Query(params): Query<ResourceParams>,
    switch: LanguageSwitch,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(iri) = params.uri.as_deref() else {
        return Err(ApiError::BadRequest(
            "give the resource as ?uri=<absolute IRI>".to_owned(),
        ));
    };
    let generic = params.weergave.as_deref() == Some("alles");
    resource(
        state,
        iri,
        params.format.as_deref(),
        generic,
        switch,
        &headers,
    )
    .await
}

/// The published shapes, so that senders can validate before pushing.
#[tracing::instrument]
async fn shapes_file(Path(name): Path<String>) -> Result<Response, ApiError> {
    let Some(turtle) = crate::demo::shapes_file(&name) else {
        return Err(ApiError::NotFound(format!(
            "no shapes file {name:?}; the shapes are besluitvorming, documenten, organisaties, participatie and privacy"
        )));
    };
    let mut response = (StatusCode::OK, turtle).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/turtle; charset=utf-8"),
    );
    Ok(response)
}

#[derive(Serialize)]
struct PropertyRow {
    property: String,
    property_short: String,
    display: String,
    href: Option<String>,
}

async fn resource(
    state: AppState,
    iri: &str,
    format: Option<&str>,
    generic: bool,
    switch: LanguageSwitch,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let lang = switch.lang();
    let node = NamedNode::new(iri)
        .map_err(|_| ApiError::BadRequest(format!("{iri:?} is not an absolute IRI")))?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let wants_html = match format {
        Some("html") => true,
        Some(_) => false,
        None => negotiate::prefers_html(accept),
    };
    let store = state.store.clone();
    let base = state.config.base_iri.as_str().to_owned();
    let looked_up = node.clone();
    let about =
        tokio::task::spawn_blocking(move || Described::look_up(&store, &looked_up, lang, &base))
            .await
            .map_err(|e| ApiError::Internal(e.into()))?
            .map_err(|e| ApiError::Internal(e.into()))?;
    if about.properties.is_empty() && about.incoming.is_empty() {
        return Err(ApiError::NotFound(format!(
            "no published resource has the URI {iri}"
        )));
    }
    // A withdrawn record's root keeps only its tombstone: answered, but as 410 Gone.
    let withdrawn = about
        .types
        .iter()
        .any(|t| t == vocab::AS_TOMBSTONE.as_str());
    let status = if withdrawn {
        StatusCode::GONE
    } else {
        StatusCode::OK
    };
    if !wants_html {
        let mut response = rdf_description(&state, &node, format, accept).await?;
        *response.status_mut() = status;
        return Ok(response);
    }
    let base = state.config.base_iri.as_str();
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    context.insert("iri", iri);
    context.insert("label", about.label.as_deref().unwrap_or(iri));
    let self_href = href(base, iri);
    let separator = if self_href.contains('?') { '&' } else { '?' };
    context.insert("format_href", &format!("{self_href}{separator}format="));
    context.insert("all_href", &format!("{self_href}{separator}weergave=alles"));
    context.insert("self_href", &self_href);
    context.insert("properties", &about.properties);
    context.insert("incoming", &about.incoming);
    context.insert("withdrawn", &withdrawn);
    context.insert("json_ld", &embedded_json_ld(&state, &node).await?);
    context.insert("history", &about.history);
    let types: Vec<&str> = about.types.iter().map(String::as_str).collect();
    let template = match withdrawn || generic {
        true => None,
        false => record_pages::render(&state, &node, &types, lang, &mut context).await?,
    };
    let mut response =
        render(&state, template.unwrap_or("resource.html"), &context)?.into_response();
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// How many incoming links the generic page lists.
const INCOMING_SHOWN: usize = 200;

/// What the page of a resource shows, found by index lookups in the published data.
struct Described {
    /// Its label in the reader's language (else a Dutch or untagged one, else any).
    label: Option<String>,
    /// Its `rdf:type`s.
    types: Vec<String>,
    /// What it says, sorted by property.
    properties: Vec<PropertyRow>,
    /// What points at it (at most [`INCOMING_SHOWN`]), sorted by property.
    incoming: Vec<PropertyRow>,
    /// Its public versions when it is a record's root, newest first.
    history: Vec<HistoryEntry>,
}

impl Described {
    fn look_up(
        store: &Store,
        node: &NamedNode,
        lang: Lang,
        base: &str,
    ) -> Result<Self, crate::store::StoreError> {
        let (label, types, properties, incoming) = store.read_published(|published| {
            let data = PageData::new(published, lang, base);
            let row =
                |property: &NamedNode, (display, href): (String, Option<String>)| PropertyRow {
                    property: property.as_str().to_owned(),
                    property_short: short_iri(property.as_str()),
                    display,
                    href,
                };
            let label_of = |term: &Term| match term {
                Term::NamedNode(value) => data.label(value.as_ref()),
                _ => None,
            };
            let about = data.about(node.as_ref());
            let properties = about
                .iter()
                .map(|(property, value)| {
                    let label = label_of(value);
                    row(property, display_term(base, Some(value), label.as_deref()))
                })
                .collect();
            let incoming = data
                .pointing_at(node.as_ref(), INCOMING_SHOWN)
                .into_iter()
                .map(|(subject, property)| {
                    let subject = Term::from(subject);
                    let label = label_of(&subject);
                    row(
                        &property,
                        display_term(base, Some(&subject), label.as_deref()),
                    )
                })
                .collect();
            let types = about
                .iter()
                .filter(|(property, _)| property.as_ref() == vocab::RDF_TYPE)
                .filter_map(|(_, value)| match value {
                    Term::NamedNode(class) => Some(class.as_str().to_owned()),
                    _ => None,
                })
                .collect();
            let label = data.label(node.as_ref()).or_else(|| {
                about.iter().find_map(|(property, value)| match value {
                    Term::Literal(text) if LABELS.contains(&property.as_ref()) => {
                        Some(text.value().to_owned())
                    }
                    _ => None,
                })
            });
            data.finish()?;
            Ok::<_, crate::store::StoreError>((label, types, properties, incoming))
        })??;
        let history = history(store, node, lang)?;
        Ok(Self {
            label,
            types,
            properties,
            incoming,
            history,
        })
    }
}

async fn rdf_description(
    state: &AppState,
    node: &NamedNode,
    format: Option<&str>,
    accept: Option<&str>,
) -> Result<Response, ApiError> {
    let offer = match format {
        Some("turtle" | "ttl") => GRAPH_OFFERS[0],
        Some("ntriples" | "nt") => GRAPH_OFFERS[1],
        Some("jsonld" | "json-ld") => GRAPH_OFFERS[2],
        Some("rdfxml" | "xml") => GRAPH_OFFERS[3],
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "unknown format {other:?}; use html, turtle, ntriples, jsonld or rdfxml"
            )))
        }
        None => negotiate::choose_offer(accept, GRAPH_OFFERS)?,
    };
    let bytes = describe(state, node, offer.format).await?;
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(offer.media_type),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// One public version of a record, for the history on its page.
#[derive(Serialize)]
struct HistoryEntry {
    number: u64,
    accepted: String,
    accepted_display: String,
    holder: String,
    href: String,
    current: bool,
}

/// The public versions of the record whose root is `node`, newest first; empty for a resource
/// that is not a record's root.
fn history(
    store: &Store,
    node: &NamedNode,
    lang: Lang,
) -> Result<Vec<HistoryEntry>, crate::store::StoreError> {
    let id = crate::model::GraphNames::record_id(node.as_ref());
    let Some(record) = store.record_state(id)? else {
        return Ok(Vec::new());
    };
    let versions = store.versions(node.as_ref())?;
    let mut entries: Vec<HistoryEntry> = versions
        .iter()
        .filter(|version| version.released)
        .map(|version| {
            let accepted = version.accepted.to_string();
            HistoryEntry {
                number: version.number,
                accepted_display: local_date(&accepted, lang),
                accepted,
                holder: version.holder.clone(),
                href: format!("/api/records/{id}/versions/{}", version.number),
                current: record.withdrawn.is_none() && record.released == Some(version.number),
            }
        })
        .collect();
    entries.reverse();
    Ok(entries)
}

/// The resource's description (`DESCRIBE`) in `format`, under the query time limit.
async fn describe(
    state: &AppState,
    node: &NamedNode,
    format: ResultFormat,
) -> Result<Vec<u8>, ApiError> {
    let query = parse_query(&format!("DESCRIBE <{}>", node.as_str()))
        .map_err(|e| ApiError::Internal(e.into()))?;
    let store = state.store.clone();
    let deadline = Deadline::start(state.config.query_timeout);
    let cancellation = deadline.token();
    let evaluation = tokio::task::spawn_blocking(move || {
        store.evaluate(
            query,
            QueryOptions {
                cancellation,
                ..QueryOptions::default()
            },
            format,
            Vec::new(),
        )
    });
    let bytes = deadline
        .watch(evaluation)
        .await
        .ok_or(QueryError::Cancelled)?
        .map_err(|e| ApiError::Internal(e.into()))??;
    drop(deadline);
    Ok(bytes)
}

/// The resource's description as JSON-LD, made safe to embed in a `<script>` element (no `<`
/// can close it).
async fn embedded_json_ld(state: &AppState, node: &NamedNode) -> Result<String, ApiError> {
    let bytes = describe(state, node, GRAPH_OFFERS[2].format).await?;
    Ok(String::from_utf8_lossy(&bytes)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e"))
}

/// One of Agora's own page queries (a file of `queries/`) with the values of its declared
/// parameters (see [`crate::sparql::parameters`]).
pub struct PageQuery {
    /// The query text.
    pub text: &'static str,
    /// Parameter name (without `?`) and value.
    pub parameters: Vec<(&'static str, Term)>,
}

impl PageQuery {
    /// A query with its parameters.
    pub fn new(text: &'static str, parameters: Vec<(&'static str, Term)>) -> Self {
        Self { text, parameters }
    }
}

/// A list on a page, in two steps: `keys` selects, filters and orders the entries (no labels),
/// then `row` is evaluated for each entry of the page shown, with the parameter `key` bound to the
/// entry (see [`Store::select_each`]).
pub struct ListQuery {
    /// The entries, in order.
    pub keys: Keys,
    /// The variable of `keys` that names an entry, and the parameter of `row` it binds.
    pub key: &'static str,
    /// One entry's columns.
    pub row: PageQuery,
    /// The page asked for (1-based; clamped to the pages there are).
    pub page: Option<usize>,
    /// Entries per page.
    pub page_size: usize,
}

/// Where the entries of a [`ListQuery`] and their order come from: the search index, which reads
/// only the page asked for. The entry's date is bound to `date`, a consultation's closing to
/// `closes` (a late proposal's first answer and days late to `answered` and `daysLate`). While
/// the index is stale (an update failed; the periodic check rebuilds it) `fallback` answers
/// instead: a query giving the same entries in the same order, whose cost grows with the
/// resources of the kind in the store.
pub struct Keys {
    /// The list, without its page (set from the [`ListQuery`]).
    pub request: ListRequest,
    /// The variable the entry's date is bound to.
    pub date: &'static str,
    /// The same list from the store.
    pub fallback: PageQuery,
}

/// One page of a [`ListQuery`].
#[derive(Default)]
pub struct ListPage {
    /// Entries in the whole list.
    pub total: usize,
    /// The page shown (1-based).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// The page's entries: the columns of `keys` and of `row`.
    pub rows: Rows,
}

/// Runs a list query and other page queries on the blocking pool, under one query time limit.
pub async fn run_list_query(
    state: &AppState,
    list: ListQuery,
    queries: Vec<PageQuery>,
) -> Result<(ListPage, Vec<Rows>), ApiError> {
    let (mut lists, others) = run_list_queries(state, vec![list], queries).await?;
    Ok((lists.pop().unwrap_or_default(), others))
}

/// Runs list queries and other page queries on the blocking pool, in order, under one query
/// time limit.
pub async fn run_list_queries(
    state: &AppState,
    lists: Vec<ListQuery>,
    queries: Vec<PageQuery>,
) -> Result<(Vec<ListPage>, Vec<Rows>), ApiError> {
    let store: Store = state.store.clone();
    let search = state.search.clone();
    let deadline = Deadline::start(state.config.query_timeout);
    let cancellation = deadline.token();
    let evaluation = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let listed = lists
            .iter()
            .map(|list| list_page(&store, &search, list, &cancellation))
            .collect::<Result<Vec<_>, _>>()?;
        let others = queries
            .iter()
            .map(|query| store.select_with(query.text, &query.parameters, cancellation.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((listed, others))
    });
    let results = deadline
        .watch(evaluation)
        .await
        .ok_or(QueryError::Cancelled)?
        .map_err(|e| ApiError::Internal(e.into()))??;
    drop(deadline);
    Ok(results)
}

fn list_page(
    store: &Store,
    search: &SearchIndex,
    list: &ListQuery,
    cancellation: &CancellationToken,
) -> Result<ListPage, ApiError> {
    let asked = list.page.unwrap_or(1).max(1);
    let Keys {
        request,
        date,
        fallback,
    } = &list.keys;
    let (total, page, shown) = if search.is_stale() {
        let keys = store.select_with(fallback.text, &fallback.parameters, cancellation.clone())?;
        let total = keys.len();
        let page = asked.min(total.div_ceil(list.page_size).max(1));
        (
            total,
            page,
            keys.slice((page - 1) * list.page_size, list.page_size),
        )
    } else {
        let read = |page: usize| {
            search
                .list(&ListRequest {
                    offset: (page - 1).saturating_mul(list.page_size),
                    limit: list.page_size,
                    ..request.clone()
                })
                .map_err(|error| ApiError::Internal(error.into()))
        };
        let mut listing = read(asked)?;
        let page = asked.min(listing.total.div_ceil(list.page_size).max(1));
        if page != asked {
            listing = read(page)?;
        }
        (
            listing.total,
            page,
            listing_rows(list.key, date, listing, request.order),
        )
    };
    let pages = total.div_ceil(list.page_size).max(1);
    let columns = store.select_each(
        list.row.text,
        &list.row.parameters,
        list.key,
        &shown.values_of(list.key),
        cancellation.clone(),
    )?;
    Ok(ListPage {
        total,
        page,
        pages,
        rows: shown.beside(columns),
    })
}

/// The entries of a listing as rows binding `key` (the IRI), `date` (its date as written) and
/// `closes` (a consultation's closing as written), and for the late proposals `answered` and
/// `daysLate`, as the lists' queries bind them (a column bound here hides the row query's).
fn listing_rows(key: &str, date: &str, listing: Listing, order: ListOrder) -> Rows {
    let late = matches!(order, ListOrder::MostOverdueFirst { .. });
    let literal = |text: String| Term::from(Literal::new_simple_literal(text));
    let rows = listing
        .entries
        .into_iter()
        .map(|entry| {
            let mut row = vec![
                NamedNode::new(entry.iri).ok().map(Term::from),
                entry.date.map(literal),
                entry.closes.map(literal),
            ];
            if late {
                row.push(entry.answered.map(literal));
                row.push(entry.days_late.map(|days| Term::from(Literal::from(days))));
            }
            row
        })
        .collect();
    let mut variables = vec![key.to_owned(), date.to_owned(), "closes".to_owned()];
    if late {
        variables.extend(["answered".to_owned(), "daysLate".to_owned()]);
    }
    Rows::new(variables, rows)
}

/// The time now in seconds since the epoch, as the list dates are indexed.
pub fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// Renders a template into a page.
pub fn render(
    state: &AppState,
    template: &str,
    context: &tera::Context,
) -> Result<Html<String>, ApiError> {
    let lang = match context.get("lang").and_then(|lang| lang.as_str()) {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    };
    state
        .templates
        .get(lang)
        .render(template, context)
        .map(Html)
        .map_err(|error| {
            ApiError::Internal(
                anyhow::Error::new(error).context(format!("while rendering {template}")),
            )
        })
}

/// Where a page links to for `iri`: a local path under this instance, or `/resource?uri=`.
pub fn href(base: &str, iri: &str) -> String {
    match iri.strip_prefix(base) {
        Some(path) if path.starts_with("/id/") => path.to_owned(),
        _ => format!(
            "/resource?uri={}",
            form_urlencoded::byte_serialize(iri.as_bytes()).collect::<String>()
        ),
    }
}

fn display_term(base: &str, term: Option<&Term>, label: Option<&str>) -> (String, Option<String>) {
    match term {
        Some(Term::NamedNode(node)) => (
            label.map_or_else(|| node.as_str().to_owned(), str::to_owned),
            Some(href(base, node.as_str())),
        ),
        Some(Term::Literal(literal)) => {
            let text = match literal.language() {
                Some(language) => format!("{} ({language})", literal.value()),
                None => literal.value().to_owned(),
            };
            (text, None)
        }
        Some(other) => (other.to_string(), None),
        None => (String::new(), None),
    }
}

/// `prefix:local` for the known namespaces, else the IRI.
fn short_iri(iri: &str) -> String {
    for (prefix, namespace) in crate::model::vocab::ns::PREFIXES {
        if let Some(local) = iri.strip_prefix(namespace) {
            return format!("{prefix}:{local}");
        }
    }
    iri.to_owned()
}

/// A date (or the date of a date-time) as the reader writes it: `2 oktober 2026` or
/// `2 October 2026`; anything else unchanged.
pub fn local_date(value: &str, lang: Lang) -> String {
    match lang {
        Lang::Nl => date_with(value, &crate::model::DUTCH_MONTHS),
        Lang::En => date_with(value, &crate::model::ENGLISH_MONTHS),
    }
}

fn date_with(value: &str, months: &[&str; 12]) -> String {
    let date = value.get(..10).unwrap_or(value);
    let mut parts = date.split('-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return value.to_owned();
    };
    match (month.parse::<usize>(), day.parse::<u32>()) {
        (Ok(month @ 1..=12), Ok(day)) => format!("{day} {} {year}", months[month - 1]),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_dutch() {
        assert_eq!(
            local_date("2026-10-02T10:00:00+02:00", Lang::Nl),
            "2 oktober 2026"
        );
        assert_eq!(local_date("2026-12-31", Lang::Nl), "31 december 2026");
        assert_eq!(local_date("soon", Lang::En), "soon");
        assert_eq!(local_date("2026-05-01", Lang::En), "1 May 2026");
    }

    #[test]
    fn local_uris_link_locally_and_foreign_ones_through_resource() {
        let base = "https://agora.vlaanderen.be";
        assert_eq!(href(base, "https://agora.vlaanderen.be/id/x/1"), "/id/x/1");
        assert_eq!(
            href(base, "http://themis.vlaanderen.be/id/x/1"),
            "/resource?uri=http%3A%2F%2Fthemis.vlaanderen.be%2Fid%2Fx%2F1"
        );
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;
    use crate::model::BaseIri;

    fn keys(page: &ListPage, key: &str) -> Vec<String> {
        page.rows
            .iter()
            .filter_map(|row| row.str(key).map(str::to_owned))
            .collect()
    }

    /// A list by date gives the same page from the index and, while the index is stale, from
    /// its fallback query.
    #[test]
    fn a_stale_index_leaves_the_lists_by_date_to_their_queries() -> anyhow::Result<()> {
        let store = Store::in_memory(&BaseIri::parse("https://agora.vlaanderen.be")?)?;
        crate::demo::load(&store, true)?;
        let search = SearchIndex::in_memory()?;
        search.rebuild(&store)?;
        let lists = [
            ListQuery {
                keys: Keys {
                    request: ListRequest::of(Kind::Meeting, ListOrder::NewestFirst),
                    date: "start",
                    fallback: PageQuery::new(crate::web::lists::MEETINGS, Vec::new()),
                },
                key: "meeting",
                row: PageQuery::new(crate::web::lists::MEETING_ROW, vec![Lang::Nl.parameter()]),
                page: Some(2),
                page_size: 2,
            },
            ListQuery {
                keys: Keys {
                    request: ListRequest {
                        complete: true,
                        ..ListRequest::of(Kind::Consultation, ListOrder::NewestFirst)
                    },
                    date: "opens",
                    fallback: PageQuery::new(crate::web::lists::CONSULTATIONS, Vec::new()),
                },
                key: "consultation",
                row: PageQuery::new(
                    crate::web::lists::CONSULTATION_ROW,
                    vec![Lang::Nl.parameter()],
                ),
                page: Some(2),
                page_size: 4,
            },
            ListQuery {
                keys: Keys {
                    request: ListRequest::of(Kind::Proposal, ListOrder::NewestFirst),
                    date: "submitted",
                    fallback: PageQuery::new(crate::web::lists::PROPOSALS, Vec::new()),
                },
                key: "proposal",
                row: PageQuery::new(crate::web::lists::PROPOSAL_ROW, vec![Lang::Nl.parameter()]),
                page: Some(2),
                page_size: 4,
            },
            ListQuery {
                keys: Keys {
                    request: ListRequest {
                        open_at: Some(now_seconds()),
                        ..ListRequest::of(Kind::Consultation, ListOrder::ClosingFirst)
                    },
                    date: "opens",
                    fallback: PageQuery::new(HOME_OPEN_CONSULTATIONS, Vec::new()),
                },
                key: "consultation",
                row: PageQuery::new(
                    crate::web::lists::CONSULTATION_ROW,
                    vec![Lang::Nl.parameter()],
                ),
                page: None,
                page_size: OPEN_CONSULTATIONS,
            },
            ListQuery {
                keys: Keys {
                    request: ListRequest::of(
                        Kind::Proposal,
                        ListOrder::MostOverdueFirst { now: now_seconds() },
                    ),
                    date: "due",
                    fallback: PageQuery::new(crate::web::lists::LATE_PROPOSALS, Vec::new()),
                },
                key: "proposal",
                row: PageQuery::new(crate::web::lists::PROPOSAL_ROW, vec![Lang::Nl.parameter()]),
                page: None,
                page_size: 20,
            },
            ListQuery {
                keys: Keys {
                    request: ListRequest::of(
                        Kind::Consultation,
                        ListOrder::MostOverdueFirst { now: now_seconds() },
                    ),
                    date: "due",
                    fallback: PageQuery::new(crate::web::lists::LATE_REPORTS, Vec::new()),
                },
                key: "consultation",
                row: PageQuery::new(
                    crate::web::lists::CONSULTATION_ROW,
                    vec![Lang::Nl.parameter()],
                ),
                page: None,
                page_size: 20,
            },
        ];
        for list in &lists {
            let indexed = list_page(&store, &search, list, &CancellationToken::new())?;
            search.mark_stale();
            let queried = list_page(&store, &search, list, &CancellationToken::new())?;
            search.rebuild(&store)?;
            assert!(!keys(&indexed, list.key).is_empty(), "{}", list.key);
            assert_eq!(keys(&indexed, list.key), keys(&queried, list.key));
            assert_eq!((indexed.total, indexed.page), (queried.total, queried.page));
            for column in [
                "title",
                "organiserLabel",
                "start",
                "opens",
                "closes",
                "submitted",
                "due",
                "answered",
                "daysLate",
            ] {
                // (the index may bind more: the opening of an open consultation, say)
                if !queried.rows.variables().iter().any(|name| name == column) {
                    continue;
                }
                let values = |page: &ListPage| -> Vec<Option<String>> {
                    page.rows
                        .iter()
                        .map(|row| row.str(column).map(str::to_owned))
                        .collect()
                };
                assert_eq!(values(&indexed), values(&queried), "{column}");
            }
        }
        Ok(())
    }
}
