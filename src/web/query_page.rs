//! The query page for people at `/sparql` (a browser's `Accept`): an editor, the named examples
//! of `queries/`, and the results of a query as a table with links, with the same query as a
//! copyable URL.
//!
//! The form uses GET so that the page of a query is its own shareable URL. The query runs exactly
//! as on the endpoint: the same public view, the same time limit and the same bound on queries
//! evaluated at once; only the number of rows shown is capped.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::Term;
use serde::Serialize;

use crate::sparql::examples::{Example, EXAMPLES};
use crate::sparql::ProtocolRequest;
use crate::store::{QueryError, QueryOptions, Table};
use crate::web::deadline::Deadline;
use crate::web::error::ApiError;
use crate::web::lang::LanguageSwitch;
use crate::web::pages::{href, render};
use crate::web::AppState;

/// Rows shown on the page; the endpoint itself streams any number.
const MAX_ROWS: usize = 1_000;

#[derive(Serialize)]
struct ExampleLink {
    name: &'static str,
    description: String,
    selected: bool,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    href: Option<String>,
    note: Option<String>,
}

#[derive(Serialize, Default)]
struct Results {
    variables: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// Whether this is an ASK query's answer, in `boolean`.
    is_boolean: bool,
    boolean: bool,
    truncated: bool,
}

/// Renders the page: the editor alone, or with the results of the `query` parameter.
pub async fn page(
    state: &AppState,
    client: crate::web::limits::ClientIp,
    parameters: &[(String, String)],
    headers: &HeaderMap,
    switch: LanguageSwitch,
) -> Result<Response, ApiError> {
    let parameter = |name: &str| {
        parameters
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let example = parameter("example").and_then(Example::named);
    let query_text = parameter("query")
        .map(str::to_owned)
        .or_else(|| example.map(|example| example.text.to_owned()))
        .unwrap_or_else(|| EXAMPLES[0].text.to_owned());

    let mut context = tera::Context::new();
    switch.insert_into(&mut context);
    context.insert("query", &query_text);
    context.insert("timeout_seconds", &state.config.query_timeout.as_secs_f64());
    context.insert(
        "examples",
        &EXAMPLES
            .iter()
            .map(|candidate| ExampleLink {
                name: candidate.name,
                description: candidate.description(),
                selected: example.is_some_and(|e| e.name == candidate.name),
            })
            .collect::<Vec<_>>(),
    );
    if parameter("example").is_some() && example.is_none() {
        context.insert(
            "error",
            "Dit voorbeeld bestaat niet; kies er een uit de lijst.",
        );
    }

    let mut status = StatusCode::OK;
    if parameter("query").is_some() {
        let url = shareable_url(headers, parameters);
        context.insert("share_url", &url);
        match run(state, client, parameters).await {
            Ok(results) => context.insert("results", &results),
            Err(error) => {
                status = error.status();
                context.insert("error", &error.to_string());
            }
        }
    }
    let html = render(state, "sparql.html", &context)?;
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(response)
}

/// Evaluates the query of `parameters` like the endpoint does and collects a table.
async fn run(
    state: &AppState,
    client: crate::web::limits::ClientIp,
    parameters: &[(String, String)],
) -> Result<Results, ApiError> {
    let request = ProtocolRequest::from_parameters(parameters, None)?;
    let parsed = request
        .parse(&state.query_parser)
        .map_err(QueryError::from)?;
    crate::sparql::check_joins(&parsed)?;
    let permit = crate::web::sparql::query_slot(state, client).await?;
    let deadline = Deadline::start(state.config.query_timeout);
    let any_dataset = !request.default_graphs.is_empty() || !request.named_graphs.is_empty();
    let options = QueryOptions {
        default_graphs: any_dataset.then(|| request.default_graphs.clone()),
        named_graphs: any_dataset.then(|| request.named_graphs.clone()),
        cancellation: deadline.token(),
    };
    let store = state.store.clone();
    let evaluation = tokio::task::spawn_blocking(move || {
        let table = store.evaluate_table(parsed, options, MAX_ROWS);
        drop(permit);
        table
    });
    let table = deadline
        .watch(evaluation)
        .await
        .ok_or(QueryError::Cancelled)?
        .map_err(|error| ApiError::Internal(error.into()))??;
    drop(deadline);
    Ok(present(state.config.base_iri.as_str(), table))
}

fn present(base: &str, table: Table) -> Results {
    match table {
        Table::Boolean(value) => Results {
            is_boolean: true,
            boolean: value,
            ..Results::default()
        },
        Table::Rows { rows, truncated } => Results {
            variables: rows.variables().to_vec(),
            rows: rows
                .iter()
                .map(|row| {
                    rows.variables()
                        .iter()
                        .map(|variable| cell(base, row.get(variable)))
                        .collect()
                })
                .collect(),
            is_boolean: false,
            boolean: false,
            truncated,
        },
    }
}

fn cell(base: &str, term: Option<&Term>) -> Cell {
    match term {
        Some(Term::NamedNode(node)) => Cell {
            text: node.as_str().to_owned(),
            href: Some(href(base, node.as_str())),
            note: None,
        },
        Some(Term::Literal(literal)) => Cell {
            text: literal.value().to_owned(),
            href: None,
            note: literal.language().map(str::to_owned),
        },
        Some(other) => Cell {
            text: other.to_string(),
            href: None,
            note: None,
        },
        None => Cell {
            text: String::new(),
            href: None,
            note: None,
        },
    }
}

/// The absolute URL of this query's page, to copy: it gives the results table in a browser and
/// the results in any negotiated format to a program.
fn shareable_url(headers: &HeaderMap, parameters: &[(String, String)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(parameters.iter().filter(|(key, _)| {
            matches!(
                key.as_str(),
                "query" | "default-graph-uri" | "named-graph-uri"
            )
        }))
        .finish();
    format!("{}/sparql?{query}", crate::web::request_origin(headers))
}
