//! SHACL property paths: read from the shapes graph, evaluated over a [`DataGraph`], written back
//! as RDF (for `sh:resultPath`) and as SPARQL (for `$PATH`).

use std::collections::HashSet;
use std::fmt;

use oxigraph::model::{BlankNode, NamedNode, Term, Triple};

use super::graph::{DataGraph, Id};
use super::reader::ShapesGraph;
use super::shapes::{Const, Consts};
use super::vocab::{rdf, sh};
use super::ShapesError;

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Path {
    /// An IRI: the values of one predicate.
    Predicate(NamedNode),
    /// `sh:inversePath`.
    Inverse(Box<Path>),
    /// An RDF list of at least two paths, followed one after the other.
    Sequence(Vec<Path>),
    /// `sh:alternativePath`: the union of at least two paths.
    Alternative(Vec<Path>),
    /// `sh:zeroOrMorePath`.
    ZeroOrMore(Box<Path>),
    /// `sh:oneOrMorePath`.
    OneOrMore(Box<Path>),
    /// `sh:zeroOrOnePath`.
    ZeroOrOne(Box<Path>),
}

/// How deep a path may nest; deeper structures are cycles or mistakes, not paths.
const MAX_PATH_DEPTH: usize = 64;

impl Path {
    /// Reads the path whose node is `node` in the shapes graph.
    pub(super) fn read(graph: &ShapesGraph<'_>, node: &Term) -> Result<Self, ShapesError> {
        Self::read_at(graph, node, 0)
    }

    fn read_at(graph: &ShapesGraph<'_>, node: &Term, depth: usize) -> Result<Self, ShapesError> {
        let malformed = |message: &str| ShapesError::Malformed {
            node: node.to_string(),
            message: message.to_owned(),
        };
        if depth > MAX_PATH_DEPTH {
            return Err(malformed(
                "the property path nests too deeply (is it cyclic?)",
            ));
        }
        let node_iri = match node {
            Term::NamedNode(iri) if iri.as_ref() != rdf::NIL => {
                return Ok(Self::Predicate(iri.clone()))
            }
            Term::Literal(_) => return Err(malformed("a property path cannot be a literal")),
            _ => node,
        };
        let nested = |value: &Term| Self::read_at(graph, value, depth + 1);
        // An RDF list is a sequence path, whatever else the node says (W3C test path-strange-001).
        if graph.object(node_iri, rdf::FIRST)?.is_some() {
            let members = graph.list(node_iri)?;
            if members.len() < 2 {
                return Err(malformed("a sequence path needs at least two members"));
            }
            return Ok(Self::Sequence(
                members.into_iter().map(nested).collect::<Result<_, _>>()?,
            ));
        }
        let kinds = [
            sh::INVERSE_PATH,
            sh::ALTERNATIVE_PATH,
            sh::ZERO_OR_MORE_PATH,
            sh::ONE_OR_MORE_PATH,
            sh::ZERO_OR_ONE_PATH,
        ];
        let mut found = None;
        for kind in kinds {
            if let Some(value) = graph.object(node_iri, kind)? {
                if found.is_some() {
                    return Err(malformed("a path node has more than one path predicate"));
                }
                found = Some((kind, value));
            }
        }
        let Some((kind, value)) = found else {
            return Err(malformed("not a SHACL property path"));
        };
        Ok(if kind == sh::INVERSE_PATH {
            Self::Inverse(Box::new(nested(value)?))
        } else if kind == sh::ALTERNATIVE_PATH {
            let members = graph.list(value)?;
            if members.len() < 2 {
                return Err(malformed("an alternative path needs at least two members"));
            }
            Self::Alternative(members.into_iter().map(nested).collect::<Result<_, _>>()?)
        } else if kind == sh::ZERO_OR_MORE_PATH {
            Self::ZeroOrMore(Box::new(nested(value)?))
        } else if kind == sh::ONE_OR_MORE_PATH {
            Self::OneOrMore(Box::new(nested(value)?))
        } else {
            Self::ZeroOrOne(Box::new(nested(value)?))
        })
    }

    /// The predicate, if the path is a plain IRI.
    pub fn as_predicate(&self) -> Option<&NamedNode> {
        match self {
            Self::Predicate(iri) => Some(iri),
            _ => None,
        }
    }

    /// Writes the path as RDF into `out` and returns its node (the IRI, or a fresh blank node).
    pub fn write_triples(&self, out: &mut Vec<Triple>) -> Term {
        let unary = |out: &mut Vec<Triple>, predicate, inner: &Self| {
            let node = BlankNode::default();
            let value = inner.write_triples(out);
            out.push(Triple::new(node.clone(), predicate, value));
            node.into()
        };
        match self {
            Self::Predicate(iri) => iri.clone().into(),
            Self::Inverse(inner) => unary(out, sh::INVERSE_PATH.into_owned(), inner),
            Self::ZeroOrMore(inner) => unary(out, sh::ZERO_OR_MORE_PATH.into_owned(), inner),
            Self::OneOrMore(inner) => unary(out, sh::ONE_OR_MORE_PATH.into_owned(), inner),
            Self::ZeroOrOne(inner) => unary(out, sh::ZERO_OR_ONE_PATH.into_owned(), inner),
            Self::Sequence(members) => write_list(members, out),
            Self::Alternative(members) => {
                let node = BlankNode::default();
                let list = write_list(members, out);
                out.push(Triple::new(node.clone(), sh::ALTERNATIVE_PATH, list));
                node.into()
            }
        }
    }

    /// Compiles the path for evaluation, interning its predicates.
    pub(super) fn compile(&self, consts: &mut Consts) -> PathExpr {
        let boxed = |inner: &Self, consts: &mut Consts| Box::new(inner.compile(consts));
        match self {
            Self::Predicate(iri) => PathExpr::Predicate(consts.intern(iri.clone().into())),
            Self::Inverse(inner) => PathExpr::Inverse(boxed(inner, consts)),
            Self::ZeroOrMore(inner) => PathExpr::ZeroOrMore(boxed(inner, consts)),
            Self::OneOrMore(inner) => PathExpr::OneOrMore(boxed(inner, consts)),
            Self::ZeroOrOne(inner) => PathExpr::ZeroOrOne(boxed(inner, consts)),
            Self::Sequence(members) => {
                PathExpr::Sequence(members.iter().map(|m| m.compile(consts)).collect())
            }
            Self::Alternative(members) => {
                PathExpr::Alternative(members.iter().map(|m| m.compile(consts)).collect())
            }
        }
    }
}

fn write_list(members: &[Path], out: &mut Vec<Triple>) -> Term {
    let mut head: Term = rdf::NIL.into_owned().into();
    for member in members.iter().rev() {
        let node = BlankNode::default();
        let value = member.write_triples(out);
        out.push(Triple::new(node.clone(), rdf::FIRST, value));
        out.push(Triple::new(node.clone(), rdf::REST, head));
        head = node.into();
    }
    head
}

/// SPARQL property path syntax, for `$PATH`.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, members: &[Self], separator: &str| {
            f.write_str("(")?;
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    f.write_str(separator)?;
                }
                write!(f, "{member}")?;
            }
            f.write_str(")")
        };
        match self {
            Self::Predicate(iri) => write!(f, "{iri}"),
            Self::Inverse(inner) => write!(f, "^({inner})"),
            Self::ZeroOrMore(inner) => write!(f, "({inner})*"),
            Self::OneOrMore(inner) => write!(f, "({inner})+"),
            Self::ZeroOrOne(inner) => write!(f, "({inner})?"),
            Self::Sequence(members) => join(f, members, " / "),
            Self::Alternative(members) => join(f, members, " | "),
        }
    }
}

/// A path with its predicates interned, ready to evaluate.
#[derive(Debug, Clone)]
pub(super) enum PathExpr {
    Predicate(Const),
    Inverse(Box<PathExpr>),
    Sequence(Vec<PathExpr>),
    Alternative(Vec<PathExpr>),
    ZeroOrMore(Box<PathExpr>),
    OneOrMore(Box<PathExpr>),
    ZeroOrOne(Box<PathExpr>),
}

/// A list of distinct node ids that keeps insertion order (value nodes are sets, but reports
/// read better in data order).
#[derive(Debug, Default, Clone)]
pub(super) struct NodeSet {
    nodes: Vec<Id>,
    seen: HashSet<Id>,
}

/// Below this size a linear scan beats hashing.
const LINEAR_SET_LIMIT: usize = 16;

impl NodeSet {
    pub(super) fn insert(&mut self, id: Id) -> bool {
        if self.nodes.len() < LINEAR_SET_LIMIT {
            if self.nodes.contains(&id) {
                return false;
            }
        } else {
            if self.seen.is_empty() {
                self.seen.extend(self.nodes.iter().copied());
            }
            if !self.seen.insert(id) {
                return false;
            }
        }
        self.nodes.push(id);
        true
    }

    pub(super) fn as_slice(&self) -> &[Id] {
        &self.nodes
    }

    pub(super) fn into_vec(self) -> Vec<Id> {
        self.nodes
    }
}

impl PathExpr {
    /// The nodes reached from `start` (a set), following the path forwards or, with `inverse`,
    /// backwards.
    pub(super) fn eval(
        &self,
        graph: &DataGraph,
        ids: &[Id],
        start: &[Id],
        inverse: bool,
    ) -> NodeSet {
        let mut out = NodeSet::default();
        match self {
            Self::Predicate(predicate) => {
                let predicate = ids[predicate.index()];
                for &node in start {
                    let next = if inverse {
                        graph.subjects(predicate, node)
                    } else {
                        graph.objects(node, predicate)
                    };
                    for &id in next {
                        out.insert(id);
                    }
                }
            }
            Self::Inverse(inner) => return inner.eval(graph, ids, start, !inverse),
            Self::Sequence(members) => {
                let mut current: Vec<Id> = start.to_vec();
                let ordered: Box<dyn Iterator<Item = &Self>> = if inverse {
                    Box::new(members.iter().rev())
                } else {
                    Box::new(members.iter())
                };
                for member in ordered {
                    current = member.eval(graph, ids, &current, inverse).into_vec();
                }
                for id in current {
                    out.insert(id);
                }
            }
            Self::Alternative(members) => {
                for member in members {
                    for &id in member.eval(graph, ids, start, inverse).as_slice() {
                        out.insert(id);
                    }
                }
            }
            Self::ZeroOrOne(inner) => {
                for &id in start {
                    out.insert(id);
                }
                for &id in inner.eval(graph, ids, start, inverse).as_slice() {
                    out.insert(id);
                }
            }
            Self::ZeroOrMore(inner) | Self::OneOrMore(inner) => {
                let mut frontier: Vec<Id> = if matches!(self, Self::ZeroOrMore(_)) {
                    start.iter().copied().filter(|&id| out.insert(id)).collect()
                } else {
                    start.to_vec()
                };
                let mut first = matches!(self, Self::OneOrMore(_));
                while !frontier.is_empty() || first {
                    first = false;
                    let next = inner.eval(graph, ids, &frontier, inverse);
                    frontier = next
                        .as_slice()
                        .iter()
                        .copied()
                        .filter(|&id| out.insert(id))
                        .collect();
                }
            }
        }
        out
    }
}
