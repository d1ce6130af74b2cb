//! SPARQL evaluation over the store, serialised inside the same (blocking) call.
//!
//! Oxigraph's result iterators are not `Send`, so a query is evaluated and written out in one
//! synchronous call on a blocking thread; callers hand in a `Write` (for the HTTP endpoint, one
//! that forwards chunks to the response body) and get it back when the results are complete.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator,
};
use spargebra::SparqlSyntaxError;

use crate::model::vocab;
use crate::store::{Backend, Store};

/// How a query is evaluated.
#[derive(Clone, Default)]
pub struct QueryOptions {
    /// The protocol's `default-graph-uri` values. When this or `named_graphs` is set, the
    /// dataset is exactly what they name; otherwise it is the published default graph plus
    /// every named graph.
    pub default_graphs: Option<Vec<NamedNode>>,
    /// The protocol's `named-graph-uri` values.
    pub named_graphs: Option<Vec<NamedNode>>,
    /// Stops the evaluation when cancelled (time limit, client gone).
    pub cancellation: CancellationToken,
}

/// The serialisation of a query's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// For SELECT and ASK.
    Results(QueryResultsFormat),
    /// For CONSTRUCT and DESCRIBE.
    Graph(RdfFormat),
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query text does not parse.
    #[error(transparent)]
    Syntax(#[from] SparqlSyntaxError),
    /// The query ran out of time or was cancelled.
    #[error("the query was cancelled: it ran longer than the time limit")]
    Cancelled,
    /// The results could not be written (the client went away).
    #[error("writing the results failed: {0}")]
    Io(#[from] std::io::Error),
    /// The results format does not fit the query form.
    #[error("a {form} query cannot be serialised as {format}")]
    FormatMismatch {
        /// The query form.
        form: &'static str,
        /// The format asked for.
        format: String,
    },
    /// A page query's parameters do not fit it (a programming error).
    #[error(transparent)]
    Parameter(#[from] crate::sparql::parameters::ParameterError),
    /// Evaluation failed.
    #[error(transparent)]
    Evaluation(QueryEvaluationError),
    /// The remote store could not be reached (see [`StoreError::is_unavailable`]).
    #[error(transparent)]
    Unavailable(crate::store::StoreError),
}

impl From<QueryEvaluationError> for QueryError {
    fn from(error: QueryEvaluationError) -> Self {
        match error {
            QueryEvaluationError::Cancelled => Self::Cancelled,
            other => Self::Evaluation(other),
        }
    }
}

/// The solutions of a SELECT query, owned and `Send`.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    variables: Vec<String>,
    rows: Vec<Vec<Option<Term>>>,
}

impl Rows {
    /// Solutions built elsewhere than in a query (a list answered by the search index): one
    /// value or `None` per variable in each row.
    pub fn new(variables: Vec<String>, rows: Vec<Vec<Option<Term>>>) -> Self {
        debug_assert!(rows.iter().all(|row| row.len() == variables.len()));
        Self { variables, rows }
    }

    /// The projected variable names, without `?`.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Iterates over the solutions as `(variable, value)` lookups.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|values| Row {
            variables: &self.variables,
            values,
        })
    }

    /// How many solutions.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no solution.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The solutions `skip..skip + take` (fewer at the end).
    pub fn slice(&self, skip: usize, take: usize) -> Rows {
        Rows {
            variables: self.variables.clone(),
            rows: self.rows.iter().skip(skip).take(take).cloned().collect(),
        }
    }

    /// The values of `variable`, one per solution, skipping those where it is unbound.
    pub fn values_of(&self, variable: &str) -> Vec<Term> {
        let Some(index) = self.variables.iter().position(|v| v == variable) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter_map(|row| row[index].clone())
            .collect()
    }

    /// These solutions with the columns of `other` added, solution by solution (`other` has one
    /// solution for each of these; a column both have keeps this side's value).
    pub fn beside(mut self, other: Rows) -> Rows {
        let added: Vec<usize> = (0..other.variables.len())
            .filter(|&index| !self.variables.contains(&other.variables[index]))
            .collect();
        self.variables
            .extend(added.iter().map(|&index| other.variables[index].clone()));
        let mut others = other.rows.into_iter();
        for row in &mut self.rows {
            let values = others.next().unwrap_or_default();
            row.extend(
                added
                    .iter()
                    .map(|&index| values.get(index).cloned().flatten()),
            );
        }
        self
    }
}

/// The results of a query collected for a page: see [`Store::evaluate_table`].
#[derive(Debug, Clone)]
pub enum Table {
    /// An ASK query's answer.
    Boolean(bool),
    /// A SELECT query's solutions, or a CONSTRUCT or DESCRIBE query's triples as rows of
    /// `subject`, `predicate`, `object`.
    Rows {
        /// The rows kept.
        rows: Rows,
        /// Whether there were more rows than were kept.
        truncated: bool,
    },
}

/// One solution of [`Rows`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    variables: &'a [String],
    values: &'a [Option<Term>],
}

impl<'a> Row<'a> {
    /// The value bound to `variable`, if any.
    pub fn get(&self, variable: &str) -> Option<&'a Term> {
        let index = self.variables.iter().position(|v| v == variable)?;
        self.values.get(index)?.as_ref()
    }

    /// The lexical value bound to `variable` (IRI or literal value), if any.
    pub fn str(&self, variable: &str) -> Option<&'a str> {
        match self.get(variable)? {
            Term::NamedNode(node) => Some(node.as_str()),
            Term::Literal(literal) => Some(literal.value()),
            Term::BlankNode(node) => Some(node.as_str()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// Parses a SPARQL query (used by the protocol layer to pick a format before evaluating).
pub fn parse_query(query: &str) -> Result<spargebra::Query, SparqlSyntaxError> {
    spargebra::SparqlParser::new().parse_query(query)
}

impl Store {
    /// Evaluates `query` and writes its results to `writer` in `format`.
    pub fn evaluate<W: Write>(
        &self,
        query: spargebra::Query,
        options: QueryOptions,
        format: ResultFormat,
        writer: W,
    ) -> Result<W, QueryError> {
        let form = query_form(&query);
        let results = self.execute_public(query, options)?;
        let mismatch = |format: String| QueryError::FormatMismatch { form, format };
        match (results, format) {
            (QueryResults::Solutions(solutions), ResultFormat::Results(format)) => {
                let mut serializer = QueryResultsSerializer::from_format(format)
                    .serialize_solutions_to_writer(writer, solutions.variables().to_vec())?;
                for solution in solutions {
                    serializer.serialize(&solution?)?;
                }
                Ok(serializer.finish()?)
            }
            (QueryResults::Boolean(value), ResultFormat::Results(format)) => {
                Ok(QueryResultsSerializer::from_format(format)
                    .serialize_boolean_to_writer(writer, value)?)
            }
            (QueryResults::Graph(triples), ResultFormat::Graph(format)) => {
                let mut serializer = RdfSerializer::from_format(format);
                // Each prefix is an IRI to check: only for the formats that write them.
                let writes_prefixes = !matches!(format, RdfFormat::NTriples | RdfFormat::NQuads);
                for (prefix, namespace) in vocab::ns::PREFIXES.iter().filter(|_| writes_prefixes) {
                    serializer = serializer
                        .with_prefix(*prefix, *namespace)
                        .expect("the built-in prefixes are valid IRIs");
                }
                let mut serializer = serializer.for_writer(writer);
                for triple in triples {
                    serializer.serialize_triple(&triple?)?;
                }
                Ok(serializer.finish()?)
            }
            (_, ResultFormat::Results(format)) => Err(mismatch(format.name().to_owned())),
            (_, ResultFormat::Graph(format)) => Err(mismatch(format.name().to_owned())),
        }
    }

    /// Evaluates `query` like [`Store::evaluate`] (same public view) and collects at most
    /// `max_rows` solutions or triples, for a results table on a page.
    pub fn evaluate_table(
        &self,
        query: spargebra::Query,
        options: QueryOptions,
        max_rows: usize,
    ) -> Result<Table, QueryError> {
        match self.execute_public(query, options)? {
            QueryResults::Boolean(value) => Ok(Table::Boolean(value)),
            QueryResults::Solutions(solutions) => {
                let (rows, truncated) = collect_solutions(solutions, Some(max_rows))?;
                Ok(Table::Rows { rows, truncated })
            }
            QueryResults::Graph(triples) => {
                let variables = vec![
                    "subject".to_owned(),
                    "predicate".to_owned(),
                    "object".to_owned(),
                ];
                let mut rows = Vec::new();
                let mut truncated = false;
                for triple in triples {
                    if rows.len() == max_rows {
                        truncated = true;
                        break;
                    }
                    let triple = triple?;
                    rows.push(vec![
                        Some(Term::from(triple.subject)),
                        Some(Term::from(triple.predicate)),
                        Some(triple.object),
                    ]);
                }
                Ok(Table::Rows {
                    rows: Rows { variables, rows },
                    truncated,
                })
            }
        }
    }

    /// Runs `query` on the public view of the store: private graphs (system, versions:
    /// embargoed and withdrawn content) are never part of its dataset, whether named by FROM, by
    /// the protocol's parameters or reached by GRAPH ?g.
    fn execute_public(
        &self,
        query: spargebra::Query,
        options: QueryOptions,
    ) -> Result<QueryResults<'static>, QueryError> {
        let db = match &self.backend {
            Backend::Embedded(embedded) => embedded.db(),
            Backend::Remote(remote) => {
                let text = self.remote_public_query(query, options)?;
                return remote::results(remote, &text);
            }
        };
        let mentions_graph = crate::sparql::uses_named_graphs(&query);
        // Oxigraph is built without its `http-client` feature, so SERVICE has no handler and
        // fails: the public endpoint never makes outgoing requests.
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(options.cancellation)
            .for_query(query);
        let dataset = prepared.dataset_mut();
        if options.default_graphs.is_some() || options.named_graphs.is_some() {
            dataset.set_default_graph(
                options
                    .default_graphs
                    .unwrap_or_default()
                    .into_iter()
                    .map(GraphName::from)
                    .collect(),
            );
            dataset.set_available_named_graphs(
                options
                    .named_graphs
                    .unwrap_or_default()
                    .into_iter()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        }
        let private = |name: &str| self.names.is_private(name);
        if let Some(defaults) = dataset.default_graph_graphs() {
            let kept: Vec<GraphName> = defaults
                .iter()
                .filter(
                    |graph| !matches!(graph, GraphName::NamedNode(node) if private(node.as_str())),
                )
                .cloned()
                .collect();
            dataset.set_default_graph(kept);
        }
        match dataset.available_named_graphs() {
            Some(named) => {
                let kept: Vec<NamedOrBlankNode> = named
                    .iter()
                    .filter(|graph| !matches!(graph, NamedOrBlankNode::NamedNode(node) if private(node.as_str())))
                    .cloned()
                    .collect();
                dataset.set_available_named_graphs(kept);
            }
            // Only a query with a GRAPH pattern can reach named graphs by default; listing the
            // public ones costs a scan of the graph names, so only such queries pay it.
            None if mentions_graph => {
                let mut public = Vec::new();
                for graph in db.named_graphs() {
                    let graph =
                        graph.map_err(|error| QueryError::Io(std::io::Error::other(error)))?;
                    if !matches!(&graph, NamedOrBlankNode::NamedNode(node) if private(node.as_str()))
                    {
                        public.push(graph);
                    }
                }
                dataset.set_available_named_graphs(public);
            }
            None => {}
        }
        Ok(prepared.on_store(&db).execute()?)
    }

    /// The text of `query` for a remote store, restricted to the public view: the dataset of
    /// `options` or of the query (FROM, FROM NAMED) without private graphs, and every GRAPH
    /// pattern kept away from them (see `sparql::restrict`).
    fn remote_public_query(
        &self,
        mut query: spargebra::Query,
        options: QueryOptions,
    ) -> Result<String, QueryError> {
        let private = crate::sparql::restrict::PrivateGraphs {
            exact: vec![
                self.names.system().into_owned(),
                self.names.events().into_owned(),
            ],
            prefixes: vec![self.names.version_prefix().to_owned()],
        };
        let dataset = match &mut query {
            spargebra::Query::Select { dataset, .. }
            | spargebra::Query::Construct { dataset, .. }
            | spargebra::Query::Describe { dataset, .. }
            | spargebra::Query::Ask { dataset, .. } => dataset,
        };
        let given = if options.default_graphs.is_some() || options.named_graphs.is_some() {
            Some((
                options.default_graphs.unwrap_or_default(),
                Some(options.named_graphs.unwrap_or_default()),
            ))
        } else {
            dataset
                .take()
                .map(|dataset| (dataset.default, dataset.named))
        };
        if let Some((default, named)) = given {
            // An empty list would mean "the whole store" once written as no FROM at all; a graph
            // that holds nothing keeps it empty.
            let nothing = || {
                vec![NamedNode::new_unchecked(format!(
                    "{}/graph/none",
                    self.names.base()
                ))]
            };
            let keep = |graphs: Vec<NamedNode>| -> Vec<NamedNode> {
                let kept: Vec<NamedNode> = graphs
                    .into_iter()
                    .filter(|graph| !private.contains(graph.as_str()))
                    .collect();
                if kept.is_empty() {
                    nothing()
                } else {
                    kept
                }
            };
            *dataset = Some(spargebra::algebra::QueryDataset {
                default: keep(default),
                named: named.map(keep),
            });
        }
        crate::sparql::restrict::restrict_graph_patterns(&mut query, &private).map_err(
            |error| match error {
                crate::sparql::restrict::RestrictError::Service(_) => {
                    QueryError::Evaluation(QueryEvaluationError::UnboundService)
                }
                other => QueryError::Evaluation(QueryEvaluationError::Dataset(Box::new(other))),
            },
        )?;
        Ok(query.to_string())
    }

    /// Runs a SELECT query for Agora's own use (pages) and collects the solutions.
    pub fn select(&self, query: &str, cancellation: CancellationToken) -> Result<Rows, QueryError> {
        self.select_with(query, &[], cancellation)
    }

    /// Runs a SELECT query for Agora's own use with its declared parameters bound (see
    /// [`crate::sparql::parameters`]) and collects the solutions.
    pub fn select_with(
        &self,
        query: &str,
        parameters: &[(&str, Term)],
        cancellation: CancellationToken,
    ) -> Result<Rows, QueryError> {
        self.select_parsed(parse_query(query)?, parameters, cancellation)
    }

    /// [`Store::select_with`] for a query already parsed.
    fn select_parsed(
        &self,
        mut query: spargebra::Query,
        parameters: &[(&str, Term)],
        cancellation: CancellationToken,
    ) -> Result<Rows, QueryError> {
        crate::sparql::parameters::bind(&mut query, parameters)?;
        if let Backend::Remote(remote) = &self.backend {
            // Agora's own queries: sent as they are (they read the published default graph).
            let (variables, rows) = remote.select(&query.to_string()).map_err(remote::error)?;
            return Ok(Rows {
                variables: variables.iter().map(|v| v.as_str().to_owned()).collect(),
                rows,
            });
        }
        let db = match &self.backend {
            Backend::Embedded(embedded) => embedded.db(),
            Backend::Remote(_) => unreachable!("answered above"),
        };
        // The VALUES block fixes what the query means; Oxigraph's optimiser does not push its
        // values into the patterns, though, so `?decision a …` would first be evaluated for every
        // decision and joined with the one asked for at the end (seconds on a few million
        // triples). Substituting the same IRI makes evaluation start from it: every pattern that
        // mentions the variable becomes an index lookup. The answers are the same, since the
        // substituted value is the one the VALUES row holds.
        let pinned: Vec<(oxigraph::model::Variable, NamedNode)> = parameters
            .iter()
            .filter_map(|(name, value)| match value {
                Term::NamedNode(node) if crate::sparql::parameters::project(&mut query, name) => {
                    Some((
                        oxigraph::model::Variable::new_unchecked(*name),
                        node.clone(),
                    ))
                }
                _ => None,
            })
            .collect();
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(cancellation)
            .for_query(query);
        for (variable, node) in pinned {
            prepared = prepared.substitute_variable(variable, node);
        }
        let results = prepared.on_store(&db).execute()?;
        let QueryResults::Solutions(solutions) = results else {
            return Err(QueryError::FormatMismatch {
                form: "non-SELECT",
                format: "rows".to_owned(),
            });
        };
        Ok(collect_solutions(solutions, None)?.0)
    }

    /// Evaluates `query` (see [`Store::select_with`]) once for each of `values`, with
    /// `parameters` and `key` bound to that value, and lists the first solution of each, in the
    /// order of `values` (unbound values where a query has no solution).
    ///
    /// This is how a list page fetches the labels of the entries it shows: a few lookups from
    /// known IRIs, where one query joining labels to every entry would scan every label in the
    /// store (Oxigraph evaluates an `OPTIONAL` as a hash join, see ARCHITECTURE.md).
    pub fn select_each(
        &self,
        query: &str,
        parameters: &[(&str, Term)],
        key: &str,
        values: &[Term],
        cancellation: CancellationToken,
    ) -> Result<Rows, QueryError> {
        let parsed = parse_query(query)?;
        let mut all = Rows::default();
        for value in values {
            let mut bound = parameters.to_vec();
            bound.push((key, value.clone()));
            let mut rows = self.select_parsed(parsed.clone(), &bound, cancellation.clone())?;
            if all.variables.is_empty() {
                all.variables = std::mem::take(&mut rows.variables);
            }
            let width = all.variables.len();
            all.rows.push(
                rows.rows
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| vec![None; width]),
            );
        }
        Ok(all)
    }
}

/// Collects the solutions as owned rows, at most `limit` of them; whether some were left out.
fn collect_solutions(
    solutions: QuerySolutionIter<'_>,
    limit: Option<usize>,
) -> Result<(Rows, bool), QueryError> {
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let mut rows = Vec::new();
    for solution in solutions {
        if limit == Some(rows.len()) {
            return Ok((Rows { variables, rows }, true));
        }
        let solution = solution?;
        rows.push(
            variables
                .iter()
                .map(|v| solution.get(v.as_str()).cloned())
                .collect(),
        );
    }
    Ok((Rows { variables, rows }, false))
}

/// The name of a query's form, for messages.
pub fn query_form(query: &spargebra::Query) -> &'static str {
    match query {
        spargebra::Query::Select { .. } => "SELECT",
        spargebra::Query::Construct { .. } => "CONSTRUCT",
        spargebra::Query::Describe { .. } => "DESCRIBE",
        spargebra::Query::Ask { .. } => "ASK",
    }
}

/// Queries answered by a remote store.
mod remote {
    use std::sync::Arc;

    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedOrBlankNode, Term, Triple};
    use oxigraph::sparql::results::{
        QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
    };
    use oxigraph::sparql::{
        QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter,
    };

    use super::QueryError;
    use crate::store::remote::RemoteStore;
    use crate::store::StoreError;

    /// A failure of the remote store as a query error: its time limit as a cancellation.
    pub(super) fn error(error: StoreError) -> QueryError {
        match error {
            StoreError::RemoteTimeout => QueryError::Cancelled,
            other if other.is_unavailable() => QueryError::Unavailable(other),
            other => QueryError::Evaluation(QueryEvaluationError::Dataset(Box::new(other))),
        }
    }

    fn parse_error(error: impl std::error::Error + Send + Sync + 'static) -> QueryEvaluationError {
        QueryEvaluationError::Dataset(Box::new(error))
    }

    /// Sends `query` (already restricted to the public view) and streams its results back,
    /// skolem IRIs turned back into blank nodes.
    pub(super) fn results(
        remote: &Arc<RemoteStore>,
        query: &str,
    ) -> Result<QueryResults<'static>, QueryError> {
        let parsed = super::parse_query(query)?;
        let graph = matches!(
            parsed,
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
        );
        if graph {
            let response = remote
                .query_response(query, "application/n-triples")
                .map_err(error)?;
            let remote = Arc::clone(remote);
            let triples = RdfParser::from_format(RdfFormat::NTriples)
                .for_reader(response)
                .map(move |quad| {
                    let quad = quad.map_err(parse_error)?;
                    let subject = match remote.local_term(quad.subject.into()) {
                        Term::NamedNode(node) => NamedOrBlankNode::from(node),
                        Term::BlankNode(node) => node.into(),
                        other => {
                            return Err(parse_error(std::io::Error::other(format!(
                                "{other} as a subject"
                            ))))
                        }
                    };
                    Ok(Triple::new(
                        subject,
                        quad.predicate,
                        remote.local_term(quad.object),
                    ))
                });
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
        }
        let response = remote
            .query_response(query, "application/sparql-results+json")
            .map_err(error)?;
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(response)
            .map_err(|e| QueryError::Evaluation(parse_error(e)))?;
        match parsed {
            ReaderQueryResultsParserOutput::Boolean(value) => Ok(QueryResults::Boolean(value)),
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[oxigraph::sparql::Variable]> = solutions.variables().into();
                let remote = Arc::clone(remote);
                let names = Arc::clone(&variables);
                let rows = solutions.map(move |solution| {
                    let solution = solution.map_err(parse_error)?;
                    Ok(names
                        .iter()
                        .map(|variable| {
                            solution
                                .get(variable)
                                .cloned()
                                .map(|t| remote.local_term(t))
                        })
                        .collect())
                });
                Ok(QueryResults::Solutions(QuerySolutionIter::from_tuples(
                    variables, rows,
                )))
            }
        }
    }
}
