//! The Themis-compatible JSON:API over HTTP (`/datasets`, `/distributions`) and the operators'
//! view of the Kaleidos quarantine (`/admin/kaleidos/quarantaine`).
//!
//! What the answers hold is built by `feed::themis` and `kaleidos::consumer`; this module reads
//! the query string, negotiates (JSON:API, or the dataset's DCAT as RDF) and maps errors.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::io::RdfSerializer;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::config::Storage;
use crate::feed::themis::{self, Dataset, DatasetQuery};
use crate::sparql::GRAPH_OFFERS;
use crate::store::ResultFormat;
use crate::web::error::ApiError;
use crate::web::negotiate::{choose, choose_offer};
use crate::web::{request_origin, AppState};

/// The media type of JSON:API.
const JSON_API: &str = "application/vnd.api+json";

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/datasets", get(datasets))
        .route("/datasets/{id}", get(dataset))
        .route("/datasets/{id}/distributions", get(distributions))
        .route("/datasets/{id}/previous-version", get(previous_version))
        .route("/distributions/{id}", get(distribution))
        .route("/admin/kaleidos/quarantaine", get(quarantine))
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(ApiError::from)
}

fn json_api(body: Value) -> Response {
    ([(header::CONTENT_TYPE, JSON_API)], body.to_string()).into_response()
}

fn parse_query(raw: Option<&str>) -> Result<(DatasetQuery, String), ApiError> {
    let mut query = DatasetQuery {
        size: themis::DEFAULT_PAGE_SIZE,
        ..DatasetQuery::default()
    };
    let mut others = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let number = |value: &str| {
            value.parse::<usize>().map_err(|_| {
                ApiError::BadRequest(format!("{key} must be a whole number, not {value:?}"))
            })
        };
        match key.as_ref() {
            "page[number]" => {
                query.page = number(&value)?;
                continue;
            }
            "page[size]" => query.size = number(&value)?.clamp(1, themis::MAX_PAGE_SIZE),
            "filter[type]" => query.dataset_type = Some(value.to_string()),
            "filter[:gt:release-date]" => {
                query.released_after = Some(value.parse().map_err(|_| {
                    ApiError::BadRequest(format!(
                        "filter[:gt:release-date] must be an ISO date and time with a time zone, not {value:?}"
                    ))
                })?)
            }
            "filter[distributions][format]" => query.format = Some(value.to_string()),
            "sort" => match value.as_ref() {
                "release-date" => query.newest_first = false,
                "-release-date" => query.newest_first = true,
                other => {
                    return Err(ApiError::BadRequest(format!(
                        "sort {other:?} is not supported: release-date or -release-date"
                    )))
                }
            },
            other if other.starts_with("filter") || other.starts_with("page") => {
                return Err(ApiError::BadRequest(format!(
                    "{other} is not supported; the filters are filter[type], filter[:gt:release-date] and filter[distributions][format]"
                )))
            }
            _ => {}
        }
        if key != "page[size]" {
            others.append_pair(&key, &value);
        }
    }
    Ok((query, others.finish()))
}

async fn datasets(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (query, others) = parse_query(raw.as_deref())?;
    let store = state.store.clone();
    let selected = query.clone();
    let (page, count, titles) = blocking(move || {
        let (page, count) = themis::select(&store, &selected)?;
        let titles = page
            .iter()
            .map(|dataset| themis::title(&store, dataset))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((page, count, titles))
    })
    .await?;
    let data = page
        .iter()
        .zip(&titles)
        .map(|(dataset, title)| themis::dataset_json(dataset, title))
        .collect();
    Ok(json_api(themis::list_json(
        data,
        count,
        &query,
        "/datasets",
        &others,
    )))
}

fn id_of(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text)
        .map_err(|_| ApiError::NotFound(format!("no dataset or distribution {text:?}")))
}

async fn found(state: &AppState, id: &str) -> Result<(Dataset, String), ApiError> {
    let id = id_of(id)?;
    let store = state.store.clone();
    blocking(move || {
        let Some(dataset) = themis::find(&store, id)? else {
            return Ok(None);
        };
        let title = themis::title(&store, &dataset)?;
        Ok(Some((dataset, title)))
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no dataset {id}")))
}

async fn dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, title) = found(&state, &id).await?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let offers: [&[&str]; 2] = [
        &[JSON_API, "application/json"],
        &[
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
        ],
    ];
    let wants_rdf = choose(accept.as_deref(), &offers) == Some(1);
    let origin = request_origin(&headers);
    if !wants_rdf {
        return Ok(json_api(
            json!({"data": themis::dataset_json(&dataset, &title)}),
        ));
    }
    let offer = choose_offer(accept.as_deref(), GRAPH_OFFERS)?;
    let ResultFormat::Graph(format) = offer.format else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a graph offer is not a graph format"
        )));
    };
    let previous = match dataset.previous {
        Some(previous) => found(&state, &previous.to_string())
            .await
            .ok()
            .map(|(d, _)| d.iri),
        None => None,
    };
    let triples = themis::dataset_triples(&dataset, previous.as_ref(), &title, &origin);
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, namespace) in [
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("prov", "http://www.w3.org/ns/prov#"),
        ("mu", "http://mu.semte.ch/vocabularies/core/"),
    ] {
        serializer = serializer
            .with_prefix(prefix, namespace)
            .map_err(|error| ApiError::Internal(error.into()))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in &triples {
        writer
            .serialize_triple(triple)
            .map_err(|error| ApiError::Internal(error.into()))?;
    }
    let body = writer
        .finish()
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, offer.media_type.to_owned()),
            (header::VARY, "Accept".to_owned()),
        ],
        body,
    )
        .into_response())
}

async fn distributions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, title) = found(&state, &id).await?;
    let data = themis::distributions_json(&dataset, &title, &request_origin(&headers));
    let count = data.len();
    Ok(json_api(json!({"data": data, "meta": {"count": count}})))
}

async fn previous_version(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (dataset, _) = found(&state, &id).await?;
    let data = match dataset.previous {
        Some(previous) => {
            let (previous, title) = found(&state, &previous.to_string()).await?;
            themis::dataset_json(&previous, &title)
        }
        None => Value::Null,
    };
    Ok(json_api(json!({"data": data})))
}

async fn distribution(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let store = state.store.clone();
    let (dataset, title) = blocking(move || {
        let Some(dataset) = themis::find_by_distribution(&store, id)? else {
            return Ok(None);
        };
        let title = themis::title(&store, &dataset)?;
        Ok(Some((dataset, title)))
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no distribution {id}")))?;
    let data = themis::distributions_json(&dataset, &title, &request_origin(&headers))
        .into_iter()
        .next()
        .unwrap_or(Value::Null);
    Ok(json_api(json!({"data": data})))
}

/// The quarantined Kaleidos files with their reports. The reports quote refused data (which
/// may be data that must not be public), so the listing needs a write token.
async fn quarantine(
    State(state): State<AppState>,
    client: crate::web::limits::ClientIp,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    super::push::authenticate(&state, client, &headers)?;
    let entries = match &state.config.storage {
        Storage::Memory | Storage::Remote(_) => Vec::new(),
        Storage::Disk(data) => {
            let folder = data.join(crate::kaleidos::FOLDER);
            tokio::task::spawn_blocking(move || crate::kaleidos::consumer::list_quarantine(&folder))
                .await
                .map_err(|error| ApiError::Internal(error.into()))?
                .map_err(|error| ApiError::Internal(error.into()))?
        }
    };
    Ok(Json(json!({"count": entries.len(), "quarantined": entries})).into_response())
}
