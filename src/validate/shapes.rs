//! The compiled shapes graph: shapes, their targets and constraints, with every constant term
//! interned so that a validation run resolves each one once.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef, Term};
use regex::Regex;

use super::path::{Path, PathExpr};
use super::sparql::{ComponentConstraint, SparqlConstraint};
use super::vocab::sh;

/// A constant term of the shapes graph, by number (see [`Consts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Const(u32);

impl Const {
    pub(super) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The constant terms that shapes mention (predicates, classes, `sh:in` members, ...).
#[derive(Debug, Default)]
pub(super) struct Consts {
    terms: Vec<Term>,
    index: HashMap<Term, Const>,
}

impl Consts {
    pub(super) fn intern(&mut self, term: Term) -> Const {
        if let Some(c) = self.index.get(&term) {
            return *c;
        }
        let c =
            Const(u32::try_from(self.terms.len()).expect("fewer than 2^32 constants in shapes"));
        self.terms.push(term.clone());
        self.index.insert(term, c);
        c
    }

    pub(super) fn terms(&self) -> &[Term] {
        &self.terms
    }
}

/// A shape's number in [`super::Shapes`].
pub(super) type ShapeId = usize;

/// One shape (node shape when `path` is `None`, property shape otherwise).
#[derive(Debug)]
pub(super) struct Shape {
    pub(super) node: Term,
    pub(super) path: Option<(Path, PathExpr)>,
    pub(super) targets: Vec<Target>,
    pub(super) constraints: Vec<Constraint>,
    pub(super) severity: NamedNode,
    pub(super) messages: Vec<Term>,
    pub(super) deactivated: bool,
}

impl Shape {
    pub(super) fn new(node: Term) -> Self {
        Self {
            node,
            path: None,
            targets: Vec::new(),
            constraints: Vec::new(),
            severity: sh::VIOLATION.into_owned(),
            messages: Vec::new(),
            deactivated: false,
        }
    }
}

/// How a shape selects its focus nodes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// `sh:targetNode`.
    Node(Const),
    /// `sh:targetClass`, or the shape being a class itself.
    Class(Const),
    /// `sh:targetSubjectsOf`.
    SubjectsOf(Const),
    /// `sh:targetObjectsOf`.
    ObjectsOf(Const),
}

/// `sh:nodeKind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NodeKind {
    Iri,
    BlankNode,
    Literal,
    BlankNodeOrIri,
    BlankNodeOrLiteral,
    IriOrLiteral,
}

impl NodeKind {
    pub(super) fn from_iri(iri: NamedNodeRef<'_>) -> Option<Self> {
        Some(match iri {
            i if i == sh::IRI => Self::Iri,
            i if i == sh::BLANK_NODE => Self::BlankNode,
            i if i == sh::LITERAL => Self::Literal,
            i if i == sh::BLANK_NODE_OR_IRI => Self::BlankNodeOrIri,
            i if i == sh::BLANK_NODE_OR_LITERAL => Self::BlankNodeOrLiteral,
            i if i == sh::IRI_OR_LITERAL => Self::IriOrLiteral,
            _ => return None,
        })
    }

    pub(super) fn matches(self, term: &Term) -> bool {
        matches!(
            (self, term),
            (
                Self::Iri | Self::BlankNodeOrIri | Self::IriOrLiteral,
                Term::NamedNode(_)
            ) | (
                Self::BlankNode | Self::BlankNodeOrIri | Self::BlankNodeOrLiteral,
                Term::BlankNode(_)
            ) | (
                Self::Literal | Self::BlankNodeOrLiteral | Self::IriOrLiteral,
                Term::Literal(_)
            )
        )
    }
}

/// The four range components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Range {
    MinExclusive,
    MinInclusive,
    MaxExclusive,
    MaxInclusive,
}

/// The two property-pair order components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    LessThan,
    LessThanOrEquals,
}

/// One constraint: a component with its parameter values.
#[derive(Debug)]
pub(super) enum Constraint {
    Class(Const),
    Datatype(NamedNode),
    NodeKind(NodeKind),
    MinCount(u64),
    MaxCount(u64),
    Range(Range, Term),
    MinLength(u64),
    MaxLength(u64),
    Pattern(Regex),
    LanguageIn(Vec<String>),
    UniqueLang,
    Equals(Const),
    Disjoint(Const),
    Order(Order, Const),
    Not(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Node(ShapeId),
    Property(ShapeId),
    Qualified {
        shape: ShapeId,
        min: Option<u64>,
        max: Option<u64>,
        /// The sibling qualified value shapes a value must not conform to (empty unless
        /// `sh:qualifiedValueShapesDisjoint true`).
        siblings: Vec<ShapeId>,
    },
    Closed(Vec<Const>),
    HasValue(Const),
    In(Vec<Const>),
    Sparql(Box<SparqlConstraint>),
    Component(Box<ComponentConstraint>),
}

impl Constraint {
    /// The `sh:sourceConstraintComponent` of this constraint's results (for the qualified
    /// components it depends on which bound fails, and the engine says so itself).
    pub(super) fn component(&self) -> NamedNodeRef<'_> {
        match self {
            Self::Class(_) => sh::CLASS_COMPONENT,
            Self::Datatype(_) => sh::DATATYPE_COMPONENT,
            Self::NodeKind(_) => sh::NODE_KIND_COMPONENT,
            Self::MinCount(_) => sh::MIN_COUNT_COMPONENT,
            Self::MaxCount(_) => sh::MAX_COUNT_COMPONENT,
            Self::Range(Range::MinExclusive, _) => sh::MIN_EXCLUSIVE_COMPONENT,
            Self::Range(Range::MinInclusive, _) => sh::MIN_INCLUSIVE_COMPONENT,
            Self::Range(Range::MaxExclusive, _) => sh::MAX_EXCLUSIVE_COMPONENT,
            Self::Range(Range::MaxInclusive, _) => sh::MAX_INCLUSIVE_COMPONENT,
            Self::MinLength(_) => sh::MIN_LENGTH_COMPONENT,
            Self::MaxLength(_) => sh::MAX_LENGTH_COMPONENT,
            Self::Pattern(_) => sh::PATTERN_COMPONENT,
            Self::LanguageIn(_) => sh::LANGUAGE_IN_COMPONENT,
            Self::UniqueLang => sh::UNIQUE_LANG_COMPONENT,
            Self::Equals(_) => sh::EQUALS_COMPONENT,
            Self::Disjoint(_) => sh::DISJOINT_COMPONENT,
            Self::Order(Order::LessThan, _) => sh::LESS_THAN_COMPONENT,
            Self::Order(Order::LessThanOrEquals, _) => sh::LESS_THAN_OR_EQUALS_COMPONENT,
            Self::Not(_) => sh::NOT_COMPONENT,
            Self::And(_) => sh::AND_COMPONENT,
            Self::Or(_) => sh::OR_COMPONENT,
            Self::Xone(_) => sh::XONE_COMPONENT,
            Self::Node(_) => sh::NODE_COMPONENT,
            Self::Property(_) => sh::PROPERTY_COMPONENT,
            Self::Qualified { .. } => sh::QUALIFIED_MIN_COUNT_COMPONENT,
            Self::Closed(_) => sh::CLOSED_COMPONENT,
            Self::HasValue(_) => sh::HAS_VALUE_COMPONENT,
            Self::In(_) => sh::IN_COMPONENT,
            Self::Sparql(_) => sh::SPARQL_COMPONENT,
            Self::Component(c) => c.component.as_ref(),
        }
    }
}
