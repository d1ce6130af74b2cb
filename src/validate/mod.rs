//! SHACL validation: SHACL Core and SHACL-SPARQL, over an in-memory data graph. No IO.
//!
//! ```
//! use agora::validate::{DataGraph, Shapes};
//! use oxigraph::io::{RdfFormat, RdfParser};
//! use oxigraph::model::Triple;
//!
//! let shapes = Shapes::parse(
//!     br#"@prefix sh: <http://www.w3.org/ns/shacl#> .
//!         @prefix ex: <http://example.com/> .
//!         ex:S a sh:NodeShape ; sh:targetClass ex:Meeting ;
//!             sh:property [ sh:path ex:date ; sh:minCount 1 ] ."#,
//!     RdfFormat::Turtle,
//!     "shapes.ttl",
//! )?;
//! let record = RdfParser::from_format(RdfFormat::NTriples)
//!     .for_slice(b"<http://example.com/m1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/Meeting> .")
//!     .map(|quad| quad.map(Triple::from))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let report = shapes.validate(&DataGraph::from_triples(&record))?;
//! assert!(!report.conforms);
//! let graph = report.to_triples(); // a standard sh:ValidationReport
//! # assert!(!graph.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The API:
//!
//! - [`Shapes::parse`] (bytes in any RDF format) or [`Shapes::from_triples`] compile a shapes
//!   graph once. Every shape is read eagerly, so a malformed shape or a feature the engine does
//!   not implement (SHACL-AF rules and custom targets, SHACL-JS, `sh:entailment`, SPARQL that
//!   breaks the pre-binding rules) is refused with a [`ShapesError`] at load time, never ignored.
//! - [`DataGraph`] holds the data: the record's triples ([`DataGraph::extend`]) and, for
//!   validation in context, triples the record refers to ([`DataGraph::add_context`]) that
//!   constraints see but targets do not select. Context that many records share is interned
//!   once as a [`ContextGraph`]; [`DataGraph::with_context`] starts a record's graph over it.
//! - [`Shapes::validate`] returns a [`ValidationReport`]; [`ValidationReport::to_triples`] is the
//!   standard `sh:ValidationReport` graph.
//!
//! What is implemented: every SHACL Core constraint component, all property path forms, all
//! target types (including implicit class targets and `rdfs:subClassOf*` in the data graph),
//! `sh:deactivated`, `sh:severity`, `sh:message`; SHACL-SPARQL `sh:sparql` constraints with
//! `sh:prefixes`/`sh:declare`, `$this`, `$value`, `$PATH`, `$currentShape`, `$shapesGraph`, and
//! SPARQL-based constraint components (`sh:parameter`, `sh:validator`, `sh:nodeValidator`,
//! `sh:propertyValidator`). The design: the shapes graph is compiled into structs ([`Shapes`])
//! with constants interned; the data graph is interned and indexed ([`DataGraph`]); a run
//! resolves constants once, then works on integers. SPARQL runs on Oxigraph's evaluator over an
//! in-memory dataset built only when a shape uses SPARQL.

mod dataset;
mod engine;
mod graph;
mod literal;
mod load;
mod path;
mod prebind;
mod reader;
mod report;
mod shapes;
mod sparql;
mod vocab;

#[cfg(test)]
mod tests;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;

use crate::ingest::normalise_quad;

pub use graph::{ContextGraph, DataGraph};
pub use path::Path;
pub use report::{term_text, ValidationReport, ValidationResult};

/// Why a shapes graph could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ShapesError {
    /// The shapes file does not parse.
    #[error("{source_name}:{location}: {message}")]
    Syntax {
        /// The file that was read.
        source_name: String,
        /// `line:column` (1-based) where the error was found, or `?` when the parser gave none.
        location: String,
        /// The parser's message.
        message: String,
    },
    /// A shape, path or list is not well-formed SHACL.
    #[error("malformed shape {node}: {message}")]
    Malformed {
        /// The node where the problem was found.
        node: String,
        /// What is wrong.
        message: String,
    },
    /// A shape uses a feature the engine does not implement.
    #[error("unsupported feature at {node}: {feature}")]
    Unsupported {
        /// The node that uses it.
        node: String,
        /// The feature.
        feature: String,
    },
    /// A SHACL-SPARQL query is invalid or breaks the rules for pre-bound variables.
    #[error("invalid SPARQL in {node}: {message}")]
    Sparql {
        /// The constraint or validator node.
        node: String,
        /// What is wrong.
        message: String,
    },
}

/// Why a validation run could not finish (a failed validation is a report, not an error).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// A SHACL-SPARQL query failed during evaluation.
    #[error("sparql constraint {constraint} failed: {message}")]
    Sparql {
        /// The constraint node or component.
        constraint: String,
        /// The evaluator's message.
        message: String,
    },
    /// A SHACL-SPARQL query reported a failure (`?failure true`).
    #[error("sparql constraint {constraint} reported a failure")]
    Failure {
        /// The constraint node.
        constraint: String,
    },
}

/// A compiled shapes graph, ready to validate any number of data graphs.
#[derive(Debug)]
pub struct Shapes {
    shapes: Vec<shapes::Shape>,
    consts: shapes::Consts,
    /// The shapes graph itself, kept only when a query uses `$shapesGraph`.
    shapes_graph: Option<Vec<Triple>>,
}

impl Shapes {
    /// Compiles the shapes of a shapes graph.
    pub fn from_triples(triples: &[Triple]) -> Result<Self, ShapesError> {
        let loaded = load::load(triples)?;
        Ok(Self {
            shapes: loaded.shapes,
            consts: loaded.consts,
            shapes_graph: loaded.uses_shapes_graph.then(|| triples.to_vec()),
        })
    }

    /// Parses a shapes file (any triple format; the triples of every graph of a dataset are
    /// merged) and compiles it. Errors name `source_name`, line and column.
    pub fn parse(data: &[u8], format: RdfFormat, source_name: &str) -> Result<Self, ShapesError> {
        let triples = RdfParser::from_format(format)
            .for_slice(data)
            .map(|quad| {
                quad.map(|q| Triple::from(normalise_quad(q)))
                    .map_err(|error| ShapesError::Syntax {
                        source_name: source_name.to_owned(),
                        location: error.location().map_or_else(
                            || "?".to_owned(),
                            |range| format!("{}:{}", range.start.line + 1, range.start.column + 1),
                        ),
                        message: error.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_triples(&triples)
    }

    /// The number of shapes (targeted or referenced).
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether the shapes graph holds no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Validates a data graph.
    pub fn validate(&self, data: &DataGraph) -> Result<ValidationReport, ValidateError> {
        engine::Run::new(self, data).validate()
    }

    /// Validates a slice of triples (a convenience for [`Shapes::validate`]).
    pub fn validate_triples(&self, triples: &[Triple]) -> Result<ValidationReport, ValidateError> {
        self.validate(&DataGraph::from_triples(triples))
    }
}
