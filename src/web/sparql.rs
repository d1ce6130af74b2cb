//! `/sparql`: the read-only SPARQL 1.1 Protocol endpoint.
//!
//! A query is parsed and its result format negotiated before anything runs, so those mistakes
//! get a clean 400 or 406. Evaluation then runs on the blocking pool under a time limit and a
//! bound on concurrent queries, writing chunks into a channel that is the response body: a large
//! result streams out instead of piling up in memory, and a client that goes away stops the
//! evaluation (the next chunk cannot be sent). A point lookup (`DESCRIBE <iri>`,
//! `SELECT * { <iri> ?p ?o }`) is cheaper than those two thread hand-offs, so it is evaluated on
//! the connection's own thread and sent whole (`evaluate_here`).

use std::io::{self, Write};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::sparql::CancellationToken;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::metrics::Counter;
use crate::sparql::{offers, ProtocolRequest, GRAPH_OFFERS, RESULT_OFFERS};
use crate::store::{QueryError, QueryOptions, ResultFormat};
use crate::web::deadline::Deadline;
use crate::web::error::ApiError;
use crate::web::limits::{ClientIp, ClientQuerySlot};
use crate::web::{negotiate, AppState};

/// Size of the chunks the response body is sent in.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks buffered between the evaluating thread and the socket: bounds memory per query.
const CHUNKS_IN_FLIGHT: usize = 4;
/// How long a query waits for an evaluation slot before the endpoint answers 503.
pub(crate) const SLOT_WAIT: Duration = Duration::from_secs(2);

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/sparql", get(query).post(query))
}

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

async fn query(
    State(state): State<AppState>,
    method: Method,
    client: ClientIp,
    RawQuery(raw_query): RawQuery,
    switch: crate::web::lang::LanguageSwitch,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let mut parameters: Vec<(String, String)> =
        form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut query_body = None;
    if method == Method::POST {
        let content_type = media_type(&headers);
        let body = read_body(body, state.config.max_body_bytes).await?;
        match content_type.as_str() {
            FORM => parameters.extend(form_urlencoded::parse(&body).into_owned()),
            SPARQL_QUERY => query_body = Some(utf8(body)?),
            SPARQL_UPDATE => return Err(crate::sparql::ProtocolError::UpdateRefused.into()),
            _ => {
                return Err(ApiError::UnsupportedMediaType {
                    given: content_type,
                    accepted: "application/sparql-query, application/x-www-form-urlencoded",
                })
            }
        }
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if method == Method::GET && negotiate::prefers_html(accept) {
        return crate::web::query_page::page(&state, client, &parameters, &headers, switch).await;
    }
    if method == Method::GET
        && !parameters
            .iter()
            .any(|(key, _)| key == "query" || key == "update")
    {
        return service_description(&headers, accept);
    }
    let request = ProtocolRequest::from_parameters(&parameters, query_body)?;
    let parsed = request
        .parse(&state.query_parser)
        .map_err(QueryError::from)?;
    crate::sparql::check_joins(&parsed)?;
    let available = offers(&parsed);
    let offer = negotiate::choose_offer(accept, available)?;

    let has_dataset = !request.default_graphs.is_empty() || !request.named_graphs.is_empty();
    // On a remote store even a point lookup waits for the network: never on this thread.
    if !has_dataset && !state.store.is_remote() && crate::sparql::is_point_lookup(&parsed) {
        // No evaluation slot: the lookup holds this connection's thread for the moment it
        // takes, so the HTTP workers bound how many run at once, and a lookup is not made to
        // wait behind heavy queries that hold the slots.
        if let Some(bytes) = evaluate_here(&state, &parsed, offer.format)? {
            return answer(Body::from(bytes), offer.media_type);
        }
        // A lookup with a large answer: streamed from the blocking pool like any other query.
    }
    let permit = query_slot(&state, client).await?;
    let deadline = Deadline::start(state.config.query_timeout);
    let options = QueryOptions {
        default_graphs: has_dataset.then(|| request.default_graphs.clone()),
        named_graphs: has_dataset.then(|| request.named_graphs.clone()),
        cancellation: deadline.token(),
    };
    let (sender, mut receiver) = mpsc::channel::<Message>(CHUNKS_IN_FLIGHT);
    let store = state.store.clone();
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _in_span = span.enter();
        let writer = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK_BYTES),
            sender: sender.clone(),
        };
        let outcome = store.evaluate(parsed, options, offer.format, writer);
        // The evaluation is over: its slot goes back before the last bytes are sent, so that a
        // client which sends its next query as soon as it has this answer finds its slot free.
        drop(permit);
        match outcome {
            Ok(writer) => {
                let _receiver_gone = writer.finish();
            }
            // Cancelled and nobody waits: the client went away, or the handler answered "time
            // limit" already (and counted it).
            Err(QueryError::Cancelled) if sender.is_closed() => {
                tracing::debug!("query cancelled: nobody waits for its answer any more");
            }
            Err(error) => {
                let _receiver_gone = sender.blocking_send(Message::Failed(error));
            }
        }
    });

    // Wait for the first chunk: an error before any byte is sent still gets its own status, and
    // a result that fits in one chunk is sent whole, with a Content-Length.
    let Some(first) = deadline.watch(receiver.recv()).await else {
        tracing::warn!("query still running past its time limit: answered without it");
        timed_out(&state, &deadline, &QueryError::Cancelled);
        return Err(QueryError::Cancelled.into());
    };
    let body = match first {
        Some(Message::Last(bytes)) => Body::from(bytes),
        Some(Message::Chunk(first)) => {
            // The deadline goes with the stream: it keeps the time limit while the answer is
            // sent, and dropping the stream (the client went away) cancels the evaluation.
            let rest = futures_util::stream::unfold(
                Some((receiver, deadline, state)),
                |sending| async move {
                    let (mut receiver, deadline, state) = sending?;
                    let message = deadline.watch(receiver.recv()).await;
                    let error = match message {
                        None => QueryError::Cancelled,
                        Some(None) => return None,
                        Some(Some(Message::Chunk(bytes) | Message::Last(bytes))) => {
                            return Some((Ok(bytes), Some((receiver, deadline, state))))
                        }
                        Some(Some(Message::Failed(error))) => error,
                    };
                    timed_out(&state, &deadline, &error);
                    tracing::warn!(error = %error, "query failed after its response started");
                    let error = io::Error::other(error.to_string());
                    Some((Err(error), None))
                },
            );
            Body::from_stream(futures_util::StreamExt::chain(
                futures_util::stream::once(async move { Ok::<_, io::Error>(first) }),
                rest,
            ))
        }
        Some(Message::Failed(error)) => {
            timed_out(&state, &deadline, &error);
            return Err(error.into());
        }
        None => Body::empty(),
    };
    answer(body, offer.media_type)
}

/// Counts and logs a query stopped at its time limit.
fn timed_out(state: &AppState, deadline: &Deadline, error: &QueryError) {
    if matches!(error, QueryError::Cancelled) && deadline.has_passed() {
        state.metrics.increment(Counter::QueryTimeout);
        tracing::warn!("query cancelled at the time limit");
    }
}

/// A 200 answer with `body` in `media_type`.
fn answer(body: Body, media_type: &str) -> Result<Response, ApiError> {
    let mut response = (StatusCode::OK, body).into_response();
    let content_type = match media_type {
        "text/csv" | "text/tab-separated-values" | "text/turtle" => {
            format!("{media_type}; charset=utf-8")
        }
        other => other.to_owned(),
    };
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).map_err(|error| ApiError::Internal(error.into()))?,
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// Evaluates a point lookup (see [`crate::sparql::is_point_lookup`]) on this thread, the one
/// that serves the connection, and returns its whole answer; `None` when the answer grows past
/// [`INLINE_BYTES`] (the caller then streams it from the blocking pool).
///
/// Every other query is handed to the blocking pool, and its answer comes back through a
/// channel: two thread wake-ups per query, which cost more than a lookup itself (about two thirds
/// of the endpoint's throughput on `ASK {}`). A lookup reads one bounded range of one index per
/// pattern, so it cannot hold this thread for long, and it needs no time limit.
fn evaluate_here(
    state: &AppState,
    query: &spargebra::Query,
    format: ResultFormat,
) -> Result<Option<Vec<u8>>, ApiError> {
    let full = std::cell::Cell::new(false);
    // The serializers write many small pieces: a `BufWriter` takes each with an inlined copy.
    let writer = io::BufWriter::with_capacity(
        8 * 1024,
        CappedBuffer {
            bytes: Vec::with_capacity(8 * 1024),
            full: &full,
        },
    );
    let options = QueryOptions {
        default_graphs: None,
        named_graphs: None,
        cancellation: CancellationToken::new(),
    };
    let evaluated = state.store.evaluate(query.clone(), options, format, writer);
    match evaluated {
        Ok(writer) => match writer.into_inner() {
            Ok(buffer) => Ok(Some(buffer.bytes)),
            Err(_) => Ok(None),
        },
        Err(_) if full.get() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The largest answer [`evaluate_here`] keeps.
const INLINE_BYTES: usize = 256 * 1024;

/// A buffer that refuses to grow past [`INLINE_BYTES`], and says so in `full`.
struct CappedBuffer<'a> {
    bytes: Vec<u8>,
    full: &'a std::cell::Cell<bool>,
}

impl Write for CappedBuffer<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + data.len() > INLINE_BYTES {
            self.full.set(true);
            return Err(io::Error::other(
                "the answer is too large to keep in memory",
            ));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The SPARQL 1.1 Service Description, sent for a GET without a query (SPARQL 1.1 Service
/// Description §2), in the negotiated RDF format.
fn service_description(headers: &HeaderMap, accept: Option<&str>) -> Result<Response, ApiError> {
    let endpoint = format!("{}/sparql", crate::web::request_origin(headers));
    let formats = RESULT_OFFERS
        .iter()
        .chain(GRAPH_OFFERS)
        .map(|offer| match offer.format {
            ResultFormat::Results(format) => format!("<{}>", format.iri()),
            ResultFormat::Graph(format) => format!("<{}>", format.iri()),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
    dct:title \"Agora SPARQL endpoint\"@en, \"Agora SPARQL-endpoint\"@nl ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {formats} ;
    sd:defaultDataset [ a sd:Dataset ;
        dct:description \"The default graph holds every published record and the reference data (ontology, code lists); each record is also a named graph.\"@en ;
        sd:defaultGraph [ a sd:Graph ] ] .
"
    );
    let offer = negotiate::choose_offer(accept, GRAPH_OFFERS)?;
    let ResultFormat::Graph(format) = offer.format else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "graph offers hold graph formats"
        )));
    };
    let bytes = crate::ingest::reserialise(turtle.as_bytes(), format)
        .map_err(|error| ApiError::Internal(error.into()))?;
    let mut response = (StatusCode::OK, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(offer.media_type),
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// The right to evaluate one query: one of the client's own slots and one of the server's.
/// Dropping it frees both.
pub(crate) struct QuerySlot {
    _client: ClientQuerySlot,
    _server: OwnedSemaphorePermit,
}

/// Takes one of `client`'s query slots, waiting at most [`SLOT_WAIT`] for one of its own queries
/// to finish (past that, 429 with `Retry-After`), then waits (at most [`SLOT_WAIT`] again) for
/// one of the evaluation slots that bound the queries running at once (past that, 503 with
/// `Retry-After`). A client over its share therefore waits for itself, never for the others.
pub(crate) async fn query_slot(state: &AppState, client: ClientIp) -> Result<QuerySlot, ApiError> {
    let Some(client_slot) = state.limits.query_slot(client.0, SLOT_WAIT).await else {
        state.metrics.increment(Counter::ClientQueryRefused);
        return Err(ApiError::TooManyRequests {
            message: format!(
                "this address already runs {} queries at once, the most one client may, and none \
                 finished within {} s; wait for one to finish",
                state.config.access.max_queries_per_client,
                SLOT_WAIT.as_secs()
            ),
            retry_after: SLOT_WAIT.as_secs(),
        });
    };
    let permit = tokio::time::timeout(SLOT_WAIT, state.query_slots.clone().acquire_owned())
        .await
        .map_err(|_| {
            state.metrics.increment(Counter::QueryRefused);
            ApiError::Unavailable("too many queries are running; retry in a moment".to_owned())
        })?
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok(QuerySlot {
        _client: client_slot,
        _server: permit,
    })
}

/// What the evaluating thread sends to the response body.
enum Message {
    /// A full chunk; more follow.
    Chunk(Bytes),
    /// The end of the results.
    Last(Bytes),
    /// Evaluation or serialisation failed.
    Failed(QueryError),
}

/// A `Write` that forwards full chunks to the response body, blocking while the client is slow.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Message>,
}

impl ChannelWriter {
    fn send_buffer(&mut self) -> io::Result<()> {
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.send(Message::Chunk(chunk))
    }

    /// Sends what is left as the last chunk.
    fn finish(mut self) -> io::Result<()> {
        let last = Bytes::from(std::mem::take(&mut self.buffer));
        self.send(Message::Last(last))
    }

    fn send(&self, message: Message) -> io::Result<()> {
        self.sender
            .blocking_send(message)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Serialisers flush at the end; chunks are sent when full or at `finish`.
        Ok(())
    }
}

/// The media type of the request body, lower case, without parameters.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads a request body up to `limit` bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge { limit })
}

fn utf8(bytes: Bytes) -> Result<String, ApiError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|error| ApiError::BadRequest(format!("the query is not valid UTF-8: {error}")))
}
