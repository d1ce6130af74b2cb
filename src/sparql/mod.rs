//! The SPARQL 1.1 Protocol, without HTTP: which operation a request carries, which dataset it
//! names, and which result formats each query form can be sent in.
//!
//! `web` turns an HTTP request into a [`ProtocolRequest`], parses its query against the endpoint's
//! base IRI ([`ProtocolRequest::parse`]), negotiates one of [`offers`], and hands the parsed query
//! to `store::Store::evaluate`.

pub mod examples;
pub mod joins;
pub mod parameters;
pub mod restrict;

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsFormat;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::SparqlSyntaxError;

use crate::model::BaseIri;
use crate::store::ResultFormat;

/// A query operation as the protocol received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolRequest {
    /// The query text.
    pub query: String,
    /// `default-graph-uri` values.
    pub default_graphs: Vec<NamedNode>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<NamedNode>,
}

/// Why a request is not a valid query operation.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    /// No `query` parameter or body.
    #[error("no query: send it as the `query` parameter (GET or form POST) or as an application/sparql-query body")]
    MissingQuery,
    /// More than one `query` parameter.
    #[error("the `query` parameter is given {0} times; give it once")]
    SeveralQueries(usize),
    /// An update was sent to the read-only endpoint.
    #[error("this SPARQL endpoint is read-only: updates are refused; records are written through Agora's push API")]
    UpdateRefused,
    /// A group of the query joins too many parts that share no variable (see [`joins`]).
    #[error(
        "the query joins {parts} groups of patterns that share no variable in one block (a cross \
         product: each row of one paired with every row of the others); Agora evaluates at most \
         {limit}, because such a product cannot be stopped at the time limit. Connect the parts \
         through shared variables, or send them as separate queries"
    )]
    CrossProduct {
        /// How many unconnected parts the query joins.
        parts: usize,
        /// The most allowed.
        limit: usize,
    },
    /// The query nests deeper than the parser can safely follow.
    #[error(
        "the query nests groups, brackets or unary operators more than {limit} levels deep; \
         Agora refuses deeper queries"
    )]
    TooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// The query nests negated brackets (`!(`) deeper than the parser can take in good time.
    #[error(
        "the query nests negations of brackets (`!(`) more than {limit} levels deep; \
         Agora refuses deeper ones"
    )]
    TooManyNegations {
        /// The deepest nesting of `!(` allowed.
        limit: usize,
    },
    /// A graph IRI is not an IRI.
    #[error("`{parameter}` value {value:?} is not an absolute IRI")]
    BadGraphIri {
        /// `default-graph-uri` or `named-graph-uri`.
        parameter: &'static str,
        /// The value given.
        value: String,
    },
}

impl ProtocolRequest {
    /// Reads a query operation from `parameters` (the URL query string, plus the form fields of a
    /// form POST) and, for an `application/sparql-query` POST, the `body`.
    pub fn from_parameters(
        parameters: &[(String, String)],
        body: Option<String>,
    ) -> Result<Self, ProtocolError> {
        let values = |name: &str| -> Vec<&str> {
            parameters
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
                .collect()
        };
        if !values("update").is_empty() {
            return Err(ProtocolError::UpdateRefused);
        }
        let queries = values("query");
        let query = match (body, queries.as_slice()) {
            (Some(body), []) => body,
            (Some(_), several) => return Err(ProtocolError::SeveralQueries(several.len() + 1)),
            (None, [query]) => (*query).to_owned(),
            (None, []) => return Err(ProtocolError::MissingQuery),
            (None, several) => return Err(ProtocolError::SeveralQueries(several.len())),
        };
        let nesting = nesting(&query);
        if nesting.depth > MAX_QUERY_DEPTH {
            return Err(ProtocolError::TooDeep {
                limit: MAX_QUERY_DEPTH,
            });
        }
        if nesting.negated > MAX_NEGATED_DEPTH {
            return Err(ProtocolError::TooManyNegations {
                limit: MAX_NEGATED_DEPTH,
            });
        }
        let iris = |parameter: &'static str| -> Result<Vec<NamedNode>, ProtocolError> {
            values(parameter)
                .into_iter()
                .map(|value| {
                    NamedNode::new(value).map_err(|_| ProtocolError::BadGraphIri {
                        parameter,
                        value: value.to_owned(),
                    })
                })
                .collect()
        };
        Ok(Self {
            query,
            default_graphs: iris("default-graph-uri")?,
            named_graphs: iris("named-graph-uri")?,
        })
    }

    /// Parses the query with `parser` (see [`endpoint_parser`]).
    pub fn parse(
        &self,
        parser: &spargebra::SparqlParser,
    ) -> Result<spargebra::Query, SparqlSyntaxError> {
        parser.clone().parse_query(&self.query)
    }
}

/// Refuses a query whose evaluation could not be stopped at the time limit: one that joins
/// more than [`joins::MAX_UNCONNECTED_PARTS`] parts sharing no variable.
pub fn check_joins(query: &spargebra::Query) -> Result<(), ProtocolError> {
    let parts = joins::unconnected_parts(query);
    if parts > joins::MAX_UNCONNECTED_PARTS {
        return Err(ProtocolError::CrossProduct {
            parts,
            limit: joins::MAX_UNCONNECTED_PARTS,
        });
    }
    Ok(())
}

/// The endpoint's query parser, made once: relative IRIs resolve against the endpoint's own IRI,
/// `{base}/sparql`. The protocol lets the service define the base IRI ("which MAY be the
/// service endpoint"), and without one `CONSTRUCT { <s> <p> 1 } WHERE {}` would not parse.
pub fn endpoint_parser(base: &BaseIri) -> spargebra::SparqlParser {
    let parser = spargebra::SparqlParser::new();
    // `BaseIri` guarantees an absolute IRI; were it refused, relative IRIs would not parse.
    parser
        .clone()
        .with_base_iri(endpoint_iri(base))
        .unwrap_or(parser)
}

/// How deeply a query may nest. spargebra's parser (and the algebra walks after it) recurse once
/// or more per level of `{`, `(`, `[` and per unary operator (`!`, `-`, `+`, `^`), so about a
/// thousand levels (two kilobytes of `{`) overflow a 2 MiB thread stack and abort the whole
/// server. Real queries nest a dozen levels; 64 stays far below what overflows in a debug build.
pub const MAX_QUERY_DEPTH: usize = 64;

/// How deeply brackets opened right after `!` may nest. spargebra's parser backtracks through
/// every way of reading `!(` when the query turns out not to parse, so its time doubles with each
/// level: 14 unclosed `!(` took 4 s in a release build, and parsing is not under the query time
/// limit (found by fuzzing). Real queries negate a bracket inside a negated bracket rarely; 6
/// levels take a few milliseconds.
pub const MAX_NEGATED_DEPTH: usize = 6;

/// How a query nests, as [`nesting`] estimates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    /// Brackets of every kind plus the longest run of unary operators.
    pub depth: usize,
    /// Brackets opened right after `!`, one inside the other.
    pub negated: usize,
}

/// An upper bound of how deeply `query` nests: brackets of every kind plus the longest run of
/// unary operators, outside strings and comments. `<` starts no IRI here (it may be a
/// comparison), so brackets inside IRIs count: that can only overestimate.
pub fn nesting_depth(query: &str) -> usize {
    nesting(query).depth
}

/// How `query` nests (see [`Nesting`]), outside strings and comments.
pub fn nesting(query: &str) -> Nesting {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut run) = (0usize, 0usize, 0usize);
    // For each open bracket, whether `!` came right before it.
    let mut open: Vec<bool> = Vec::new();
    let (mut negated, mut most_negated) = (0usize, 0usize);
    let mut after_bang = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match byte {
            b'#' => {
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let long = bytes[index..].starts_with(&[byte; 3]);
                index += if long { 3 } else { 1 };
                while index < bytes.len() {
                    if bytes[index] == b'\\' {
                        index += 2;
                    } else if long && bytes[index..].starts_with(&[byte; 3]) {
                        index += 3;
                        break;
                    } else if !long && bytes[index] == byte {
                        index += 1;
                        break;
                    } else {
                        index += 1;
                    }
                }
                run = 0;
                after_bang = false;
                continue;
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                run = 0;
                open.push(after_bang);
                if after_bang {
                    negated += 1;
                    most_negated = most_negated.max(negated);
                }
                after_bang = false;
            }
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                if open.pop() == Some(true) {
                    negated -= 1;
                }
                run = 0;
                after_bang = false;
            }
            b'!' | b'-' | b'+' | b'^' => {
                run += 1;
                after_bang = byte == b'!';
            }
            _ if byte.is_ascii_whitespace() => {}
            _ => {
                run = 0;
                after_bang = false;
            }
        }
        deepest = deepest.max(depth + run);
        index += 1;
    }
    Nesting {
        depth: deepest,
        negated: most_negated,
    }
}

/// The IRI of the SPARQL endpoint of the instance at `base`.
pub fn endpoint_iri(base: &BaseIri) -> String {
    format!("{}/sparql", base.as_str())
}

/// Whether a query is a point lookup: at most one triple pattern, with a constant subject (so
/// it reads one range of one index: the triples of one resource), with nothing but projection,
/// `LIMIT` and constant `BIND`s around it: `SELECT * { <iri> ?p ?o }`, `DESCRIBE <iri>`,
/// `CONSTRUCT WHERE { <iri> ?p ?o }`, `ASK {}`. No second pattern (two constant-subject patterns
/// are a cross product: 50 triples four times over are six million rows), no `DISTINCT` or
/// `OFFSET` (rows read without an answer to show for them), no path, `GRAPH`, `SERVICE`,
/// `OPTIONAL`, `FILTER`, `ORDER BY`, aggregate or subquery, and no dataset of its own.
///
/// Such a query reads about what one resource's page reads, and every row it reads adds to its
/// answer, whose size the endpoint caps: so the endpoint can evaluate it on the connection's own
/// thread, without a time limit, instead of handing it to another (see `web::sparql`).
pub fn is_point_lookup(query: &spargebra::Query) -> bool {
    let (pattern, dataset) = match query {
        spargebra::Query::Select {
            pattern, dataset, ..
        }
        | spargebra::Query::Construct {
            pattern, dataset, ..
        }
        | spargebra::Query::Describe {
            pattern, dataset, ..
        }
        | spargebra::Query::Ask {
            pattern, dataset, ..
        } => (pattern, dataset),
    };
    dataset.is_none() && bounded(pattern)
}

fn bounded(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Bgp { patterns } => match patterns.as_slice() {
            [] => true,
            [triple] => matches!(triple.subject, spargebra::term::TermPattern::NamedNode(_)),
            _ => false,
        },
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            matches!(
                expression,
                Expression::NamedNode(_) | Expression::Literal(_)
            ) && bounded(inner)
        }
        GraphPattern::Project { inner, .. } => bounded(inner),
        GraphPattern::Slice { inner, start, .. } => *start == 0 && bounded(inner),
        _ => false,
    }
}

/// Whether a query has a `GRAPH` pattern anywhere (in `EXISTS` filters and subqueries too): only
/// such a query can reach named graphs outside its dataset's default graph.
pub fn uses_named_graphs(query: &spargebra::Query) -> bool {
    pattern_uses_graph(where_clause(query))
}

/// The graph pattern of a query, whatever its form.
pub(crate) fn where_clause(query: &spargebra::Query) -> &GraphPattern {
    match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    }
}

fn pattern_uses_graph(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Graph { .. } => true,
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => false,
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            pattern_uses_graph(left) || pattern_uses_graph(right)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            pattern_uses_graph(left)
                || pattern_uses_graph(right)
                || expression.as_ref().is_some_and(expression_uses_graph)
        }
        GraphPattern::Filter { expr, inner } => {
            expression_uses_graph(expr) || pattern_uses_graph(inner)
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => expression_uses_graph(expression) || pattern_uses_graph(inner),
        GraphPattern::OrderBy { inner, expression } => {
            pattern_uses_graph(inner)
                || expression.iter().any(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => expression_uses_graph(e),
                })
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            pattern_uses_graph(inner)
                || aggregates.iter().any(|(_, aggregate)| match aggregate {
                    AggregateExpression::CountSolutions { .. } => false,
                    AggregateExpression::FunctionCall { expr, .. } => expression_uses_graph(expr),
                })
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Service { inner, .. } => pattern_uses_graph(inner),
        // A pattern this walk does not know: assume it may.
        #[allow(unreachable_patterns)]
        _ => true,
    }
}

fn expression_uses_graph(expression: &Expression) -> bool {
    let mut uses = false;
    joins::each_subexpression(expression, &mut |expression| {
        if let Expression::Exists(pattern) = expression {
            uses = uses || pattern_uses_graph(pattern);
        }
    });
    uses
}

/// A media type Agora can send, with the format behind it.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    /// The media type, as sent in `Content-Type`.
    pub media_type: &'static str,
    /// Other media types that select the same format.
    pub aliases: &'static [&'static str],
    /// The serialisation.
    pub format: ResultFormat,
}

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// Formats for SELECT and ASK results, the default first.
pub const RESULT_OFFERS: &[Offer] = &[
    Offer {
        media_type: "application/sparql-results+json",
        aliases: &["application/json"],
        format: ResultFormat::Results(QueryResultsFormat::Json),
    },
    Offer {
        media_type: "application/sparql-results+xml",
        aliases: &["application/xml", "text/xml"],
        format: ResultFormat::Results(QueryResultsFormat::Xml),
    },
    Offer {
        media_type: "text/csv",
        aliases: &[],
        format: ResultFormat::Results(QueryResultsFormat::Csv),
    },
    Offer {
        media_type: "text/tab-separated-values",
        aliases: &[],
        format: ResultFormat::Results(QueryResultsFormat::Tsv),
    },
];

/// Formats for CONSTRUCT and DESCRIBE results (and for RDF documents), the default first.
pub const GRAPH_OFFERS: &[Offer] = &[
    Offer {
        media_type: "text/turtle",
        aliases: &["application/x-turtle"],
        format: ResultFormat::Graph(RdfFormat::Turtle),
    },
    Offer {
        media_type: "application/n-triples",
        aliases: &["text/plain"],
        format: ResultFormat::Graph(RdfFormat::NTriples),
    },
    Offer {
        media_type: "application/ld+json",
        aliases: &[],
        format: ResultFormat::Graph(JSON_LD),
    },
    Offer {
        media_type: "application/rdf+xml",
        aliases: &[],
        format: ResultFormat::Graph(RdfFormat::RdfXml),
    },
];

/// The formats a query can be answered in, the default first.
pub fn offers(query: &spargebra::Query) -> &'static [Offer] {
    match query {
        spargebra::Query::Select { .. } | spargebra::Query::Ask { .. } => RESULT_OFFERS,
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => GRAPH_OFFERS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Regression (found by fuzzing the query text): a thousand nested groups, brackets or `!`
    /// overflowed the stack in spargebra's parser and aborted the server. Run on a 2 MiB stack,
    /// as tokio's threads have.
    #[test]
    fn deeply_nested_queries_are_refused_before_parsing() {
        let base = BaseIri::parse("https://agora.vlaanderen.be").expect("a base");
        let deep = [
            format!("SELECT * WHERE {}{}", "{ ".repeat(2_000), "}".repeat(2_000)),
            format!(
                "SELECT * WHERE {{ FILTER({}1{}) }}",
                "(".repeat(5_000),
                ")".repeat(5_000)
            ),
            format!("SELECT * WHERE {{ FILTER({}true) }}", "! ".repeat(20_000)),
            format!("SELECT * WHERE {{ ?s {}<p> ?o }}", "^".repeat(20_000)),
            format!("ASK {{ FILTER({}1) }}", "- ".repeat(20_000)),
        ];
        let outcomes = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                deep.iter()
                    .map(|query| {
                        ProtocolRequest::from_parameters(&params(&[("query", query)]), None)
                    })
                    .collect::<Vec<_>>()
            })
            .expect("a thread")
            .join()
            .expect("no overflow");
        for outcome in outcomes {
            assert_eq!(
                outcome,
                Err(ProtocolError::TooDeep {
                    limit: MAX_QUERY_DEPTH
                })
            );
        }
        // Regression (fuzzing, sparql_query, a 142-byte query that took 16 s to fail to parse):
        // nested `!(` make spargebra backtrack exponentially.
        let negations = [
            format!("SELECT * WHERE {{ FILTER({} }}", "!(".repeat(14)),
            format!("SELECT * WHERE {{ FILTER({} }}", "! ( ".repeat(12)),
            format!("SELECT {} WHERE {{}}", "(!".repeat(12)),
        ];
        for query in &negations {
            let outcome = ProtocolRequest::from_parameters(&params(&[("query", query)]), None);
            assert_eq!(
                outcome,
                Err(ProtocolError::TooManyNegations {
                    limit: MAX_NEGATED_DEPTH
                }),
                "{query}"
            );
        }
        let artifact = "SELECT (((((((!(! ((((( !!!!!!!!!!!!(((((!(! ((((( !!!!!!!!!(((!(! ((((( !!!!!!!!!!!!(((((!(! ((((( !!!!!(!!(( !!!!!!!!!!!!\"}\"!!!!a!cNf{erence";
        assert!(matches!(
            ProtocolRequest::from_parameters(&params(&[("query", artifact)]), None),
            Err(ProtocolError::TooManyNegations { .. })
        ));
        let negated = "SELECT * WHERE { ?s ?p ?o FILTER(!(?o = 1 || !(?o = 2))) }";
        assert_eq!(nesting(negated).negated, 2);
        assert!(ProtocolRequest::from_parameters(&params(&[("query", negated)]), None).is_ok());
        // What real queries look like passes, brackets in strings and comments do not count.
        let query = format!(
            "SELECT * WHERE {{ ?s ?p \"{}\" # {}\n FILTER(!(?p != <http://e/a-b>)) }}",
            "{(".repeat(100),
            "((".repeat(100)
        );
        assert!(nesting_depth(&query) < 10, "{}", nesting_depth(&query));
        let request = ProtocolRequest::from_parameters(&params(&[("query", &query)]), None)
            .expect("accepted");
        assert!(request.parse(&endpoint_parser(&base)).is_ok());
        for (_, text) in crate::sparql::examples::EXAMPLES
            .iter()
            .map(|e| (e.name, e.text))
        {
            assert!(nesting_depth(text) < MAX_QUERY_DEPTH / 4, "{text}");
        }
    }

    #[test]
    fn a_query_with_graphs_is_read() -> Result<(), ProtocolError> {
        let request = ProtocolRequest::from_parameters(
            &params(&[
                ("query", "ASK {}"),
                ("default-graph-uri", "http://e/g1"),
                ("named-graph-uri", "http://e/g2"),
            ]),
            None,
        )?;
        assert_eq!(request.query, "ASK {}");
        assert_eq!(request.default_graphs.len(), 1);
        assert_eq!(request.named_graphs.len(), 1);
        Ok(())
    }

    #[test]
    fn relative_iris_resolve_against_the_endpoint() -> Result<(), Box<dyn std::error::Error>> {
        let request = ProtocolRequest::from_parameters(
            &params(&[("query", "CONSTRUCT { <s> <p> 1 } WHERE {}")]),
            None,
        )?;
        let query = request.parse(&endpoint_parser(&BaseIri::parse(
            "https://agora.vlaanderen.be",
        )?))?;
        assert!(
            query
                .to_string()
                .contains("<https://agora.vlaanderen.be/s>"),
            "{query}"
        );
        Ok(())
    }

    #[test]
    fn graph_patterns_are_found_wherever_they_are() {
        let uses = |text: &str| {
            uses_named_graphs(
                &spargebra::SparqlParser::new()
                    .parse_query(text)
                    .expect("a query"),
            )
        };
        assert!(!uses(
            "PREFIX graph: <http://e/graph/> SELECT * { ?s graph:p \"GRAPH\" }"
        ));
        assert!(uses("SELECT * { GRAPH ?g { ?s ?p ?o } }"));
        assert!(uses(
            "SELECT * { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        ));
        assert!(uses(
            "ASK { { SELECT ?s { OPTIONAL { GRAPH <http://e/g> { ?s ?p ?o } } } } }"
        ));
    }

    #[test]
    fn point_lookups_are_told_from_other_queries() {
        let lookup = |text: &str| {
            is_point_lookup(
                &spargebra::SparqlParser::new()
                    .parse_query(text)
                    .expect("a query"),
            )
        };
        for text in [
            "ASK {}",
            "SELECT * WHERE { <http://e/a> ?p ?o }",
            "SELECT ?l WHERE { <http://e/a> <http://e/p> ?l } LIMIT 5",
            "SELECT ?o (<http://e/x> AS ?x) WHERE { <http://e/a> ?p ?o }",
            "DESCRIBE <http://e/a>",
            "CONSTRUCT WHERE { <http://e/a> ?p ?o }",
        ] {
            assert!(lookup(text), "{text}");
        }
        for text in [
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT * WHERE { <http://e/a> ?p ?o . ?o ?q ?r }",
            "SELECT * WHERE { <http://e/a> <http://e/p>+ ?o }",
            "SELECT * WHERE { <http://e/a> ?p ?o } ORDER BY ?o",
            "SELECT (COUNT(*) AS ?n) WHERE { <http://e/a> ?p ?o }",
            "SELECT * WHERE { <http://e/a> ?p ?o FILTER(?o != 1) }",
            "SELECT * WHERE { GRAPH ?g { <http://e/a> ?p ?o } }",
            "SELECT * FROM <http://e/g> WHERE { <http://e/a> ?p ?o }",
            "DESCRIBE ?s WHERE { ?s ?p ?o }",
            // A cross product: it may read far more rows than it answers.
            "CONSTRUCT WHERE { <http://e/a> ?p ?o . <http://e/b> ?q ?o }",
            "SELECT ?a WHERE { <http://e/a> ?a ?b . <http://e/a> ?c ?d . <http://e/a> ?e ?f }",
            // Rows read and dropped without an answer.
            "SELECT DISTINCT ?p WHERE { <http://e/a> ?p ?o }",
            "SELECT * WHERE { <http://e/a> ?p ?o } OFFSET 100000",
        ] {
            assert!(!lookup(text), "{text}");
        }
    }

    #[test]
    fn updates_and_ambiguities_are_refused() {
        assert_eq!(
            ProtocolRequest::from_parameters(&params(&[("update", "CLEAR ALL")]), None),
            Err(ProtocolError::UpdateRefused)
        );
        assert_eq!(
            ProtocolRequest::from_parameters(&params(&[("query", "a"), ("query", "b")]), None),
            Err(ProtocolError::SeveralQueries(2))
        );
        assert_eq!(
            ProtocolRequest::from_parameters(&[], None),
            Err(ProtocolError::MissingQuery)
        );
        assert!(matches!(
            ProtocolRequest::from_parameters(
                &params(&[("query", "ASK {}"), ("named-graph-uri", "not an iri")]),
                None
            ),
            Err(ProtocolError::BadGraphIri { .. })
        ));
    }
}
