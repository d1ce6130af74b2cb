//! The search page, `/zoeken?q=...&soort=...&pagina=...`: full-text search over the published
//! data (see `search`), ranked by BM25, filterable by kind, paged. `Accept: application/json`
//! gets the same results as JSON.
//!
//! Everything shown is escaped: titles by the templates, snippets here (the text is escaped and
//! only the `<mark>` elements around the matches are ours).

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::search::{Hit, Kind, SearchRequest, SearchResults, Snippet, MAX_OFFSET};
use crate::web::error::ApiError;
use crate::web::i18n;
use crate::web::lang::{Lang, LanguageSwitch};
use crate::web::negotiate::choose;
use crate::web::pages::{href, local_date, render};
use crate::web::{escape_html, AppState};

/// Hits per page.
const PAGE_SIZE: usize = 20;

/// The longest query text taken, in characters: longer text is cut (a search box is not a
/// document, and every word costs a posting-list walk).
const MAX_QUERY_CHARS: usize = 200;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/zoeken", get(search))
}

#[derive(Deserialize, Default)]
struct SearchParams {
    q: Option<String>,
    soort: Option<String>,
    pagina: Option<usize>,
}

#[derive(Serialize)]
struct KindChoice {
    value: &'static str,
    label: &'static str,
    count: usize,
    selected: bool,
}

#[derive(Serialize)]
struct HitView {
    href: String,
    kind: &'static str,
    title: String,
    date: Option<String>,
    /// HTML: escaped text with `<mark>` around the matches.
    snippet: String,
}

#[tracing::instrument(skip_all)]
async fn search(
    State(state): State<AppState>,
    switch: LanguageSwitch,
    headers: HeaderMap,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let lang = switch.lang();
    let text: String = params
        .q
        .as_deref()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    let kind = match params
        .soort
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => Some(Kind::from_code(code).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "soort must be one of {}; {code:?} is not",
                Kind::ALL.map(Kind::code).join(", ")
            ))
        })?),
    };
    let page = params
        .pagina
        .unwrap_or(1)
        .clamp(1, MAX_OFFSET / PAGE_SIZE + 1);
    let index = state.search.clone();
    let query = text.clone();
    let results = tokio::task::spawn_blocking(move || {
        index.search(&SearchRequest {
            text: &query,
            kind,
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        })
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
    .map_err(|error| ApiError::Internal(error.into()))?;
    let base = state.config.base_iri.as_str();
    let pages = results.total.div_ceil(PAGE_SIZE).max(1);
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if choose(accept, &[&["text/html"], &["application/json"]]) == Some(1) {
        return Ok(json_response(base, &text, kind, page, pages, &results));
    }
    let hits: Vec<HitView> = results
        .hits
        .iter()
        .map(|hit| HitView {
            href: href(base, &hit.iri),
            kind: i18n::text(lang, hit.kind.label()),
            title: title_in(hit, lang).to_owned(),
            date: hit.date.as_deref().map(|date| local_date(date, lang)),
            snippet: marked(&hit.snippet),
        })
        .collect();
    let kinds: Vec<KindChoice> = Kind::ALL
        .into_iter()
        .map(|choice| KindChoice {
            value: choice.code(),
            label: i18n::text(lang, choice.label()),
            count: count_of(&results, choice),
            selected: kind == Some(choice),
        })
        .collect();
    let mut page_query = form_urlencoded::Serializer::new(String::new());
    page_query.append_pair("q", &text);
    if let Some(kind) = kind {
        page_query.append_pair("soort", kind.code());
    }
    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    context.insert("query", &text);
    context.insert("kinds", &kinds);
    context.insert("hits", &hits);
    context.insert("total", &results.total);
    context.insert("page", &page.min(pages));
    context.insert("pages", &pages);
    context.insert("page_query", &format!("{}&", page_query.finish()));
    Ok(render(&state, "search.html", &context)?.into_response())
}

fn count_of(results: &SearchResults, kind: Kind) -> usize {
    results
        .per_kind
        .iter()
        .find(|(of, _)| *of == kind)
        .map_or(0, |(_, count)| *count)
}

/// The title in the reader's language, Dutch when there is none.
fn title_in(hit: &Hit, lang: Lang) -> &str {
    match lang {
        Lang::En if !hit.title_en.is_empty() => &hit.title_en,
        _ => &hit.title_nl,
    }
}

/// The snippet as HTML: its text escaped, each match in `<mark>`. Ranges that do not fall on
/// character boundaries (they always should) are shown unmarked rather than trusted.
fn marked(snippet: &Snippet) -> String {
    let text = snippet.text.as_str();
    let mut html = String::with_capacity(text.len() + 16 * snippet.highlights.len());
    let mut shown = 0;
    for range in &snippet.highlights {
        let (Some(before), Some(matched)) = (text.get(shown..range.start), text.get(range.clone()))
        else {
            continue;
        };
        html.push_str(&escape_html(before));
        html.push_str("<mark>");
        html.push_str(&escape_html(matched));
        html.push_str("</mark>");
        shown = range.end;
    }
    html.push_str(&escape_html(text.get(shown..).unwrap_or_default()));
    html
}

fn json_response(
    base: &str,
    text: &str,
    kind: Option<Kind>,
    page: usize,
    pages: usize,
    results: &SearchResults,
) -> Response {
    let body = json!({
        "query": text,
        "soort": kind.map(Kind::code),
        "total": results.total,
        "page": page,
        "pages": pages,
        "perKind": results.per_kind.iter()
            .map(|(kind, count)| (kind.code().to_owned(), json!(count)))
            .collect::<serde_json::Map<_, _>>(),
        "results": results.hits.iter().map(|hit| json!({
            "iri": hit.iri,
            "href": href(base, &hit.iri),
            "soort": hit.kind.code(),
            "title": hit.title_nl,
            "titleEn": (!hit.title_en.is_empty()).then_some(&hit.title_en),
            "date": hit.date,
            "score": hit.score,
            "snippet": hit.snippet.text,
            "highlights": hit.snippet.highlights.iter()
                .map(|range| [range.start, range.end])
                .collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    ([(header::VARY, "Accept")], Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_only_matches_are_marked() {
        let snippet = Snippet {
            text: "<script>alert(1)</script> fietspaden & meer".to_owned(),
            highlights: vec![std::ops::Range { start: 26, end: 36 }],
        };
        assert_eq!(
            marked(&snippet),
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>fietspaden</mark> &amp; meer"
        );
    }

    #[test]
    fn ranges_off_character_boundaries_are_not_trusted() {
        let snippet = Snippet {
            text: "coöperatie".to_owned(),
            highlights: vec![std::ops::Range { start: 0, end: 3 }],
        };
        assert_eq!(marked(&snippet), "coöperatie");
    }
}
