//! The SPARQL 1.1 Protocol, without HTTP: which operation a request carries, which dataset it
//! names, and which result formats each query form can be sent in.
//!
//! `web` turns an HTTP request into a [`ProtocolRequest`], parses its query against the endpoint's
//! base IRI ([`ProtocolRequest::parse`]), negotiates one of [`offers`], and hands the parsed query
//! to `store::Store::evaluate`.

pub mod examples;
pub mod parameters;

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsFormat;
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

    /// Parses the query. Relative IRIs resolve against the endpoint's own IRI,
    /// `{base}/sparql`: the protocol lets the service define the base IRI ("which MAY be the
    /// service endpoint"), and without one `CONSTRUCT { <s> <p> 1 } WHERE {}` would not parse.
    pub fn parse(&self, base: &BaseIri) -> Result<spargebra::Query, SparqlSyntaxError> {
        let parser = spargebra::SparqlParser::new();
        // `BaseIri` guarantees an absolute IRI; were it refused, relative IRIs would not parse.
        let parser = parser
            .clone()
            .with_base_iri(endpoint_iri(base))
            .unwrap_or(parser);
        parser.parse_query(&self.query)
    }
}

/// The IRI of the SPARQL endpoint of the instance at `base`.
pub fn endpoint_iri(base: &BaseIri) -> String {
    format!("{}/sparql", base.as_str())
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
        let query = request.parse(&BaseIri::parse("https://agora.vlaanderen.be")?)?;
        assert!(
            query
                .to_string()
                .contains("<https://agora.vlaanderen.be/s>"),
            "{query}"
        );
        Ok(())
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
