//! The write API: `/api/records` (push, replace, read, withdraw, history) and `/api/validate`.
//!
//! The record boundary and URL scheme (see README "Push API"): a record is one root resource
//! with what it owns; its identifier is the UUID v5 of the root IRI (URL namespace), and it lives
//! at `/api/records/{id}`. `POST /api/records` takes one record (Turtle, N-Triples, JSON-LD,
//! RDF/XML) or a batch (TriG or N-Quads, one named graph per record), all or nothing.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, Triple};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::ingest::IngestError;
use crate::model::vocab;
use crate::push::{PushError, RecordReport};
use crate::sparql::GRAPH_OFFERS;
use crate::store::ResultFormat;
use crate::store::{Precondition, PutOutcome, RecordState, WriteError, WriteReceipt};
use crate::web::negotiate::choose_offer;
use crate::web::{ApiError, AppState};

/// The OpenAPI description of this API, served at `/api/openapi.json`.
const OPENAPI: &str = include_str!("openapi.json");

/// The media types a push may use.
const ACCEPTED: &str = "text/turtle, application/n-triples, application/ld+json, \
                        application/rdf+xml (one record); application/trig, application/n-quads \
                        (a batch: one named graph per record)";

/// The routes of the write API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/records", post(push))
        .route("/api/records/{id}", get(read).put(replace).delete(withdraw))
        .route("/api/records/{id}/versions", get(versions))
        .route("/api/records/{id}/versions/{number}", get(version))
        .route("/api/validate", post(validate))
        .route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/vnd.oai.openapi+json")],
        OPENAPI,
    )
        .into_response()
}

/// The holder named by the request's bearer token: 401 without one, 403 with a wrong one.
pub(super) fn holder(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if state.config.tokens.is_empty() {
        return Err(ApiError::Forbidden(
            "this Agora accepts no writes: it was started without write tokens (--token or \
             --token-file)"
                .to_owned(),
        ));
    }
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized(
            "writes need a token: send `Authorization: Bearer <token>`".to_owned(),
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".to_owned())
        })?;
    state
        .config
        .tokens
        .holder_of(token)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Forbidden("this token is not valid here".to_owned()))
}

fn body_format(headers: &HeaderMap) -> Result<RdfFormat, ApiError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = given.split(';').next().unwrap_or("").trim();
    RdfFormat::from_media_type(media_type).ok_or(ApiError::UnsupportedMediaType {
        given: given.to_owned(),
        accepted: ACCEPTED,
    })
}

fn precondition(headers: &HeaderMap) -> Result<Precondition, ApiError> {
    if let Some(value) = headers.get(header::IF_MATCH) {
        let text = value.to_str().unwrap_or("");
        let number = text
            .trim()
            .trim_start_matches("W/")
            .trim_matches('"')
            .parse::<u64>()
            .map_err(|_| {
                ApiError::BadRequest(format!(
                    "If-Match must be a version number in quotes, such as \"3\" (the ETag \
                     Agora sent), not {text:?}"
                ))
            })?;
        return Ok(Precondition::LatestVersion(number));
    }
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        if value.to_str().map(str::trim).ok() == Some("*") {
            return Ok(Precondition::Absent);
        }
        return Err(ApiError::BadRequest(
            "If-None-Match on a write may only be `*` (create, do not replace)".to_owned(),
        ));
    }
    Ok(Precondition::None)
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    write(state, headers, body, None).await
}

async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let id = record_id(&id)?;
    write(state, headers, body, Some(id)).await
}

async fn write(
    state: AppState,
    headers: HeaderMap,
    body: Body,
    expected: Option<Uuid>,
) -> Result<Response, ApiError> {
    let holder = holder(&state, &headers)?;
    let format = body_format(&headers)?;
    let precondition = precondition(&headers)?;
    let body = crate::web::sparql::read_body(body, state.config.max_push_bytes).await?;
    let accept = accept(&headers);
    let pusher = state.pusher.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let records = pusher.parse(&body, format)?;
        if let Some(expected) = expected {
            let roots: Vec<_> = records.iter().map(|record| record.root()).collect();
            if roots.len() != 1 || crate::model::GraphNames::record_id(roots[0]) != expected {
                return Ok(Err(ApiError::BadRequest(format!(
                    "PUT /api/records/{expected} takes exactly the record whose id this is \
                     (the UUID v5 of its root IRI); the body holds {}",
                    roots
                        .iter()
                        .map(|root| format!("<{}>", root.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))));
            }
        }
        if records.len() > 1 && precondition != Precondition::None {
            return Ok(Err(ApiError::BadRequest(
                "If-Match and If-None-Match apply to a single record, not to a batch".to_owned(),
            )));
        }
        pusher.push(&holder, records, precondition).map(Ok)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?;
    match outcome {
        Ok(Ok(receipts)) => Ok(receipts_response(&receipts)),
        Ok(Err(error)) => Err(error),
        Err(PushError::Invalid(reports)) => report_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            accept.as_deref(),
            &reports,
        ),
        Err(error) => Err(error.into()),
    }
}

fn accept(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn record_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| {
        ApiError::NotFound(format!(
            "{text:?} is not a record id; a record id is the UUID v5 of the root IRI"
        ))
    })
}

fn receipt_json(receipt: &WriteReceipt) -> serde_json::Value {
    json!({
        "root": receipt.root.as_str(),
        "id": receipt.id.to_string(),
        "url": format!("/api/records/{}", receipt.id),
        "outcome": match receipt.outcome {
            PutOutcome::Created => "created",
            PutOutcome::Replaced => "replaced",
            PutOutcome::Unchanged => "unchanged",
        },
        "version": receipt.version,
        "hash": receipt.hash,
        "publishAt": receipt.publish_at.map(|time| time.to_string()),
    })
}

fn receipts_response(receipts: &[WriteReceipt]) -> Response {
    let created = receipts
        .iter()
        .any(|receipt| receipt.outcome == PutOutcome::Created);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = json!({ "records": receipts.iter().map(receipt_json).collect::<Vec<_>>() });
    let mut response = (status, Json(body)).into_response();
    if let [receipt] = receipts {
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", receipt.version)) {
            headers.insert(header::ETAG, value);
        }
        if let Ok(value) = HeaderValue::from_str(&format!("/api/records/{}", receipt.id)) {
            headers.insert(header::LOCATION, value);
        }
    }
    response
}

/// A validation report: JSON (default), or the standard `sh:ValidationReport` graph in any RDF
/// format.
fn report_response(
    status: StatusCode,
    accept: Option<&str>,
    reports: &[RecordReport],
) -> Result<Response, ApiError> {
    let offers: Vec<crate::sparql::Offer> = std::iter::once(crate::sparql::Offer {
        media_type: "application/json",
        aliases: &[],
        format: ResultFormat::Graph(RdfFormat::NTriples),
    })
    .chain(GRAPH_OFFERS.iter().copied())
    .collect();
    let offer = choose_offer(accept, &offers)?;
    let conforms = reports
        .iter()
        .all(|report| report.report.violation_count() == 0);
    if offer.media_type == "application/json" {
        let body = json!({
            "conforms": conforms,
            "error": (!conforms).then_some(
                "the data violates the shapes; each result says what to fix (the shapes are published at /shapes/)"
            ),
            "records": reports.iter().map(|report| {
                let mut value = report.report.to_json();
                value["root"] = json!(report.root.as_str());
                value
            }).collect::<Vec<_>>(),
        });
        return Ok((status, Json(body)).into_response());
    }
    let ResultFormat::Graph(format) = offer.format else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a report offer is not a graph format"
        )));
    };
    let triples: Vec<Triple> = reports
        .iter()
        .flat_map(|report| report.report.to_triples())
        .collect();
    let body = serialise(&triples, format).map_err(|error| ApiError::Internal(error.into()))?;
    Ok((status, [(header::CONTENT_TYPE, offer.media_type)], body).into_response())
}

fn serialise(triples: &[Triple], format: RdfFormat) -> std::io::Result<Vec<u8>> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, namespace) in vocab::ns::PREFIXES
        .iter()
        .chain(&[("sh", "http://www.w3.org/ns/shacl#")])
    {
        serializer = serializer
            .with_prefix(*prefix, *namespace)
            .map_err(std::io::Error::other)?;
    }
    let mut serializer = serializer.for_writer(Vec::new());
    for triple in triples {
        serializer.serialize_triple(triple)?;
    }
    serializer.finish()
}

async fn validate(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let format = body_format(&headers)?;
    let body = crate::web::sparql::read_body(body, state.config.max_push_bytes).await?;
    let pusher = state.pusher.clone();
    let reports = tokio::task::spawn_blocking(move || {
        let records = pusher.parse(&body, format)?;
        pusher.validate(&records)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))??;
    report_response(StatusCode::OK, accept(&headers).as_deref(), &reports)
}

async fn known(state: &AppState, id: Uuid) -> Result<RecordState, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.record_state(id))
        .await
        .map_err(|error| ApiError::Internal(error.into()))??
        .ok_or_else(|| ApiError::NotFound(format!("no record has the id {id}")))
}

fn withdrawn(record: &RecordState) -> Result<(), ApiError> {
    match record.withdrawn {
        Some(time) => Err(ApiError::Gone(format!(
            "the record <{}> was withdrawn at {time}; its history stays at /api/records/{}/versions",
            record.root.as_str(),
            record.id
        ))),
        None => Ok(()),
    }
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let record = known(&state, record_id(&id)?).await?;
    withdrawn(&record)?;
    let Some(released) = record.released else {
        return Err(ApiError::NotFound(format!(
            "the record <{}> is not public yet",
            record.root.as_str()
        )));
    };
    content_response(&state, &headers, record, released).await
}

async fn content_response(
    state: &AppState,
    headers: &HeaderMap,
    record: RecordState,
    number: u64,
) -> Result<Response, ApiError> {
    let offer = choose_offer(accept(headers).as_deref(), GRAPH_OFFERS)?;
    let ResultFormat::Graph(format) = offer.format else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a graph offer is not a graph format"
        )));
    };
    let store = state.store.clone();
    let triples = tokio::task::spawn_blocking(move || store.version_triples(&record, number))
        .await
        .map_err(|error| ApiError::Internal(error.into()))??
        .ok_or_else(|| ApiError::NotFound(format!("version {number} is not kept")))?;
    let body = serialise(&triples, format).map_err(|error| ApiError::Internal(error.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, offer.media_type.to_owned()),
            (header::ETAG, format!("\"{number}\"")),
            (header::VARY, "Accept".to_owned()),
        ],
        body,
    )
        .into_response())
}

async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = known(&state, record_id(&id)?).await?;
    let store = state.store.clone();
    let root = record.root.clone();
    let versions = tokio::task::spawn_blocking(move || store.versions(root.as_ref()))
        .await
        .map_err(|error| ApiError::Internal(error.into()))??;
    let body = json!({
        "root": record.root.as_str(),
        "id": record.id.to_string(),
        "holder": record.holder,
        "latestVersion": record.latest,
        "releasedVersion": record.released,
        "withdrawn": record.withdrawn.map(|time| time.to_string()),
        "versions": versions.iter().filter(|version| version.released).map(|version| json!({
            "version": version.number,
            "iri": version.iri.as_str(),
            "hash": version.hash,
            "accepted": version.accepted.to_string(),
            "holder": version.holder,
            "current": record.withdrawn.is_none() && record.released == Some(version.number),
        })).collect::<Vec<_>>(),
    });
    Ok(Json(body).into_response())
}

async fn version(
    State(state): State<AppState>,
    Path((id, number)): Path<(String, u64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let record = known(&state, record_id(&id)?).await?;
    withdrawn(&record)?;
    let store = state.store.clone();
    let root = record.root.clone();
    let versions = tokio::task::spawn_blocking(move || store.versions(root.as_ref()))
        .await
        .map_err(|error| ApiError::Internal(error.into()))??;
    if !versions
        .iter()
        .any(|version| version.number == number && version.released)
    {
        return Err(ApiError::NotFound(format!(
            "the record <{}> has no public version {number}",
            record.root.as_str()
        )));
    }
    content_response(&state, &headers, record, number).await
}

#[derive(Deserialize)]
struct WithdrawParams {
    reason: Option<String>,
}

async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<WithdrawParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let holder = holder(&state, &headers)?;
    let reason = params
        .reason
        .map(|reason| reason.trim().to_owned())
        .filter(|reason| !reason.is_empty())
        .ok_or_else(|| {
            ApiError::BadRequest(
                "a withdrawal needs a reason: DELETE /api/records/{id}?reason=...".to_owned(),
            )
        })?;
    if reason.chars().count() > 1000 {
        return Err(ApiError::BadRequest(
            "the reason is longer than 1000 characters".to_owned(),
        ));
    }
    let record = known(&state, record_id(&id)?).await?;
    let pusher = state.pusher.clone();
    let root: NamedNode = record.root.clone();
    let outcome =
        tokio::task::spawn_blocking(move || pusher.withdraw(&holder, root.as_ref(), &reason))
            .await
            .map_err(|error| ApiError::Internal(error.into()))??;
    Ok(Json(json!({
        "root": outcome.root.as_str(),
        "id": outcome.id.to_string(),
        "withdrawn": outcome.withdrawn.map(|time| time.to_string()),
        "versions": format!("/api/records/{}/versions", outcome.id),
    }))
    .into_response())
}

impl From<PushError> for ApiError {
    fn from(error: PushError) -> Self {
        match error {
            PushError::Ingest(IngestError::UnknownFormat { .. }) => Self::UnsupportedMediaType {
                given: error.to_string(),
                accepted: ACCEPTED,
            },
            PushError::Ingest(IngestError::Io { .. }) => Self::Internal(error.into()),
            PushError::Ingest(_) | PushError::Empty => Self::BadRequest(error.to_string()),
            PushError::Invalid(_) | PushError::Prepare(_) => Self::Unprocessable(error.to_string()),
            PushError::Write(error) => error.into(),
            PushError::Validate(_) => Self::Internal(error.into()),
            PushError::Store(error) => error.into(),
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::NotOwner { .. } | WriteError::Claimed { .. } => {
                Self::Forbidden(error.to_string())
            }
            WriteError::Precondition { .. } => Self::PreconditionFailed(error.to_string()),
            WriteError::NotFound { .. } => Self::NotFound(error.to_string()),
            WriteError::AlreadyWithdrawn { .. } => Self::Gone(error.to_string()),
            WriteError::Duplicate { .. } => Self::BadRequest(error.to_string()),
            WriteError::Prepare(_) => Self::Unprocessable(error.to_string()),
            WriteError::Store(error) => error.into(),
        }
    }
}
