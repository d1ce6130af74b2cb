//! Compiles a shapes graph into [`Shape`]s: finds the shapes, reads their targets, paths and
//! constraints, and refuses anything it does not implement.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{NamedNodeRef, Term, Triple};
use regex::{Regex, RegexBuilder};

use super::path::Path;
use super::reader::ShapesGraph;
use super::shapes::{Constraint, Consts, NodeKind, Order, Range, Shape, ShapeId, Target};
use super::sparql::{self, ComponentDecl};
use super::vocab::{rdf, rdfs, sh, xsd, SH};
use super::ShapesError;

/// What loading produces.
pub(super) struct Loaded {
    pub(super) shapes: Vec<Shape>,
    pub(super) consts: Consts,
    pub(super) uses_shapes_graph: bool,
}

/// Whether `node` has `predicate` `true` (the only value that activates a boolean parameter; the
/// W3C test uniqueLang-002 checks that `"1"^^xsd:boolean` does not).
pub(super) fn is_true(
    graph: &ShapesGraph<'_>,
    node: &Term,
    predicate: NamedNodeRef<'_>,
) -> Result<bool, ShapesError> {
    match graph.object(node, predicate)? {
        None => Ok(false),
        Some(Term::Literal(literal)) if literal.datatype() == xsd::BOOLEAN => {
            Ok(literal.value() == "true")
        }
        Some(_) => Err(malformed(
            node,
            &format!("{predicate} must be an xsd:boolean"),
        )),
    }
}

fn malformed(node: &Term, message: &str) -> ShapesError {
    ShapesError::Malformed {
        node: node.to_string(),
        message: message.to_owned(),
    }
}

fn unsupported(node: &Term, feature: &str) -> ShapesError {
    ShapesError::Unsupported {
        node: node.to_string(),
        feature: feature.to_owned(),
    }
}

/// A non-negative integer parameter.
fn count(node: &Term, predicate: &str, value: &Term) -> Result<u64, ShapesError> {
    match value {
        Term::Literal(literal) => literal.value().parse::<u64>().map_err(|_| {
            malformed(
                node,
                &format!("sh:{predicate} must be a non-negative integer"),
            )
        }),
        _ => Err(malformed(
            node,
            &format!("sh:{predicate} must be a literal"),
        )),
    }
}

/// Translates XPath regular expression flags (`sh:flags`) into the regex crate's options.
fn compile_pattern(node: &Term, pattern: &str, flags: &str) -> Result<Regex, ShapesError> {
    let mut builder_pattern = pattern.to_owned();
    if flags.contains('q') {
        builder_pattern = regex::escape(pattern);
    }
    let mut builder = RegexBuilder::new(&builder_pattern);
    for flag in flags.chars() {
        match flag {
            's' => builder.dot_matches_new_line(true),
            'm' => builder.multi_line(true),
            'i' => builder.case_insensitive(true),
            'x' => builder.ignore_whitespace(true),
            'q' => &mut builder,
            other => {
                return Err(malformed(
                    node,
                    &format!("unknown sh:flags letter {other:?}"),
                ))
            }
        };
    }
    builder
        .build()
        .map_err(|error| malformed(node, &format!("sh:pattern does not compile: {error}")))
}

struct Loader<'g, 't> {
    graph: &'g ShapesGraph<'t>,
    shapes: Vec<Shape>,
    ids: HashMap<Term, ShapeId>,
    pending: Vec<ShapeId>,
    consts: Consts,
    components: Vec<ComponentDecl>,
    uses_shapes_graph: bool,
}

/// Loads the shapes of a shapes graph.
pub(super) fn load(triples: &[Triple]) -> Result<Loaded, ShapesError> {
    let graph = ShapesGraph::new(triples);
    refuse_unsupported(triples)?;
    let mut loader = Loader {
        graph: &graph,
        shapes: Vec::new(),
        ids: HashMap::new(),
        pending: Vec::new(),
        consts: Consts::default(),
        components: sparql::read_components(&graph)?,
        uses_shapes_graph: false,
    };
    for root in roots(&graph) {
        loader.shape_id(&root);
    }
    while let Some(id) = loader.pending.pop() {
        loader.read_shape(id)?;
    }
    Ok(Loaded {
        shapes: loader.shapes,
        consts: loader.consts,
        uses_shapes_graph: loader.uses_shapes_graph,
    })
}

fn refuse_unsupported(triples: &[Triple]) -> Result<(), ShapesError> {
    for triple in triples {
        let Some(local) = triple.predicate.as_str().strip_prefix(SH) else {
            continue;
        };
        if local == "entailment" {
            return Err(unsupported(
                &triple.subject.clone().into(),
                "sh:entailment (the engine validates the data graph as given)",
            ));
        }
        if sh::UNSUPPORTED.contains(&local) {
            return Err(unsupported(
                &triple.subject.clone().into(),
                &format!("sh:{local} (SHACL Advanced Features and SHACL-JS are not implemented)"),
            ));
        }
    }
    Ok(())
}

/// The shapes that validation starts from: instances of `sh:NodeShape`/`sh:PropertyShape`
/// (and their subclasses) and subjects of target predicates. Shapes they reference are found
/// while reading them.
fn roots(graph: &ShapesGraph<'_>) -> Vec<Term> {
    let mut roots = Vec::new();
    let mut seen = HashSet::new();
    for triple in graph.with_predicate(rdf::TYPE) {
        let node: Term = triple.subject.clone().into();
        if !seen.contains(&node)
            && (graph.is_instance(&node, sh::NODE_SHAPE)
                || graph.is_instance(&node, sh::PROPERTY_SHAPE))
        {
            seen.insert(node.clone());
            roots.push(node);
        }
    }
    for predicate in [
        sh::TARGET_NODE,
        sh::TARGET_CLASS,
        sh::TARGET_SUBJECTS_OF,
        sh::TARGET_OBJECTS_OF,
    ] {
        for triple in graph.with_predicate(predicate) {
            let node: Term = triple.subject.clone().into();
            if seen.insert(node.clone()) {
                roots.push(node);
            }
        }
    }
    roots
}

impl Loader<'_, '_> {
    fn shape_id(&mut self, node: &Term) -> ShapeId {
        if let Some(id) = self.ids.get(node) {
            return *id;
        }
        let id = self.shapes.len();
        self.shapes.push(Shape::new(node.clone()));
        self.ids.insert(node.clone(), id);
        self.pending.push(id);
        id
    }

    fn shape_list(&mut self, node: &Term, list: &Term) -> Result<Vec<ShapeId>, ShapesError> {
        let members = self
            .graph
            .list(list)
            .map_err(|_| malformed(node, "expected an RDF list of shapes"))?;
        Ok(members.into_iter().map(|m| self.shape_id(m)).collect())
    }

    fn iri_const(
        &mut self,
        node: &Term,
        predicate: &str,
        value: &Term,
    ) -> Result<super::shapes::Const, ShapesError> {
        match value {
            Term::NamedNode(_) => Ok(self.consts.intern(value.clone())),
            _ => Err(malformed(node, &format!("sh:{predicate} must be an IRI"))),
        }
    }

    fn read_shape(&mut self, id: ShapeId) -> Result<(), ShapesError> {
        let graph = self.graph;
        let node = self.shapes[id].node.clone();
        if let Term::Literal(_) = node {
            return Err(malformed(&node, "a shape cannot be a literal"));
        }
        let path = match graph.object(&node, sh::PATH)? {
            Some(path) => Some(Path::read(graph, path)?),
            None => None,
        };
        let deactivated = is_true(graph, &node, sh::DEACTIVATED)?;
        let severity = match graph.object(&node, sh::SEVERITY)? {
            None => sh::VIOLATION.into_owned(),
            Some(Term::NamedNode(iri)) => iri.clone(),
            Some(_) => return Err(malformed(&node, "sh:severity must be an IRI")),
        };
        let messages: Vec<Term> = graph.objects(&node, sh::MESSAGE).cloned().collect();
        let targets = self.targets(&node)?;
        let constraints = if deactivated {
            Vec::new()
        } else {
            self.constraints(&node, path.as_ref(), &messages)?
        };
        let compiled = path.map(|path| {
            let expr = path.compile(&mut self.consts);
            (path, expr)
        });
        let shape = &mut self.shapes[id];
        shape.path = compiled;
        shape.deactivated = deactivated;
        shape.severity = severity;
        shape.messages = messages;
        shape.targets = targets;
        shape.constraints = constraints;
        Ok(())
    }

    fn targets(&mut self, node: &Term) -> Result<Vec<Target>, ShapesError> {
        let graph = self.graph;
        let mut targets = Vec::new();
        for value in graph.objects(node, sh::TARGET_NODE) {
            targets.push(Target::Node(self.consts.intern(value.clone())));
        }
        for (predicate, name) in [
            (sh::TARGET_CLASS, "targetClass"),
            (sh::TARGET_SUBJECTS_OF, "targetSubjectsOf"),
            (sh::TARGET_OBJECTS_OF, "targetObjectsOf"),
        ] {
            for value in graph.objects(node, predicate) {
                let c = self.iri_const(node, name, value)?;
                targets.push(match name {
                    "targetClass" => Target::Class(c),
                    "targetSubjectsOf" => Target::SubjectsOf(c),
                    _ => Target::ObjectsOf(c),
                });
            }
        }
        // A shape that is also a class targets its own instances (implicit class target).
        if let Term::NamedNode(_) = node {
            if graph.is_instance(node, rdfs::CLASS) {
                targets.push(Target::Class(self.consts.intern(node.clone())));
            }
        }
        Ok(targets)
    }

    fn constraints(
        &mut self,
        node: &Term,
        path: Option<&Path>,
        messages: &[Term],
    ) -> Result<Vec<Constraint>, ShapesError> {
        let graph = self.graph;
        let mut constraints = Vec::new();
        for triple in graph.outgoing(node) {
            let Some(local) = triple.predicate.as_str().strip_prefix(SH) else {
                continue;
            };
            let value = &triple.object;
            let constraint = match local {
                "class" => match value {
                    Term::Literal(_) => return Err(malformed(node, "sh:class must be an IRI")),
                    _ => Constraint::Class(self.consts.intern(value.clone())),
                },
                "datatype" => match value {
                    Term::NamedNode(iri) => Constraint::Datatype(iri.clone()),
                    _ => return Err(malformed(node, "sh:datatype must be an IRI")),
                },
                "nodeKind" => match value {
                    Term::NamedNode(iri) => Constraint::NodeKind(
                        NodeKind::from_iri(iri.as_ref())
                            .ok_or_else(|| malformed(node, "unknown sh:nodeKind"))?,
                    ),
                    _ => return Err(malformed(node, "sh:nodeKind must be an IRI")),
                },
                "minCount" => Constraint::MinCount(count(node, local, value)?),
                "maxCount" => Constraint::MaxCount(count(node, local, value)?),
                "minLength" => Constraint::MinLength(count(node, local, value)?),
                "maxLength" => Constraint::MaxLength(count(node, local, value)?),
                "minExclusive" => Constraint::Range(Range::MinExclusive, value.clone()),
                "minInclusive" => Constraint::Range(Range::MinInclusive, value.clone()),
                "maxExclusive" => Constraint::Range(Range::MaxExclusive, value.clone()),
                "maxInclusive" => Constraint::Range(Range::MaxInclusive, value.clone()),
                "pattern" => {
                    let Term::Literal(pattern) = value else {
                        return Err(malformed(node, "sh:pattern must be a literal"));
                    };
                    let flags = match graph.object(node, sh::FLAGS)? {
                        Some(Term::Literal(flags)) => flags.value(),
                        Some(_) => return Err(malformed(node, "sh:flags must be a literal")),
                        None => "",
                    };
                    Constraint::Pattern(compile_pattern(node, pattern.value(), flags)?)
                }
                "languageIn" => {
                    let ranges = graph
                        .list(value)?
                        .into_iter()
                        .map(|member| match member {
                            Term::Literal(literal) => Ok(literal.value().to_owned()),
                            _ => Err(malformed(node, "sh:languageIn members must be literals")),
                        })
                        .collect::<Result<_, _>>()?;
                    Constraint::LanguageIn(ranges)
                }
                "uniqueLang" if is_true(graph, node, sh::UNIQUE_LANG)? => Constraint::UniqueLang,
                "equals" => Constraint::Equals(self.iri_const(node, local, value)?),
                "disjoint" => Constraint::Disjoint(self.iri_const(node, local, value)?),
                "lessThan" => {
                    Constraint::Order(Order::LessThan, self.iri_const(node, local, value)?)
                }
                "lessThanOrEquals" => {
                    Constraint::Order(Order::LessThanOrEquals, self.iri_const(node, local, value)?)
                }
                "not" => Constraint::Not(self.shape_id(value)),
                "and" => Constraint::And(self.shape_list(node, value)?),
                "or" => Constraint::Or(self.shape_list(node, value)?),
                "xone" => Constraint::Xone(self.shape_list(node, value)?),
                "node" => Constraint::Node(self.shape_id(value)),
                "property" => {
                    if graph.object(value, sh::PATH)?.is_none() {
                        return Err(malformed(
                            value,
                            "a property shape (value of sh:property) needs sh:path",
                        ));
                    }
                    Constraint::Property(self.shape_id(value))
                }
                "qualifiedValueShape" => match self.qualified(node, value)? {
                    Some(constraint) => constraint,
                    None => continue,
                },
                "closed" if is_true(graph, node, sh::CLOSED)? => {
                    Constraint::Closed(self.closed(node)?)
                }
                "hasValue" => Constraint::HasValue(self.consts.intern(value.clone())),
                "in" => {
                    let members = graph.list(value)?;
                    Constraint::In(
                        members
                            .into_iter()
                            .map(|m| self.consts.intern(m.clone()))
                            .collect(),
                    )
                }
                "sparql" => match sparql::read_constraint(graph, value, path)? {
                    Some(constraint) => {
                        self.uses_shapes_graph |= constraint.query.uses("shapesGraph");
                        Constraint::Sparql(Box::new(constraint))
                    }
                    None => continue,
                },
                _ => continue,
            };
            constraints.push(constraint);
        }
        for component in self.components.clone() {
            for constraint in component.instantiate(graph, node, path, messages)? {
                self.uses_shapes_graph |= constraint.query.uses("shapesGraph");
                constraints.push(Constraint::Component(Box::new(constraint)));
            }
        }
        Ok(constraints)
    }

    fn qualified(&mut self, node: &Term, value: &Term) -> Result<Option<Constraint>, ShapesError> {
        let graph = self.graph;
        let bound = |predicate, name| -> Result<Option<u64>, ShapesError> {
            graph
                .object(node, predicate)?
                .map(|v| count(node, name, v))
                .transpose()
        };
        let min = bound(sh::QUALIFIED_MIN_COUNT, "qualifiedMinCount")?;
        let max = bound(sh::QUALIFIED_MAX_COUNT, "qualifiedMaxCount")?;
        if min.is_none() && max.is_none() {
            return Ok(None);
        }
        let shape = self.shape_id(value);
        let mut siblings = Vec::new();
        if is_true(graph, node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)? {
            // Siblings: the qualified value shapes of the other property shapes of every shape
            // that has this one as sh:property.
            for parent in graph.with_predicate(sh::PROPERTY) {
                if &parent.object != node {
                    continue;
                }
                let parent: Term = parent.subject.clone().into();
                for property in graph.objects(&parent, sh::PROPERTY) {
                    for sibling in graph.objects(property, sh::QUALIFIED_VALUE_SHAPE) {
                        if sibling != value {
                            let id = self.shape_id(sibling);
                            if !siblings.contains(&id) {
                                siblings.push(id);
                            }
                        }
                    }
                }
            }
        }
        Ok(Some(Constraint::Qualified {
            shape,
            min,
            max,
            siblings,
        }))
    }

    fn closed(&mut self, node: &Term) -> Result<Vec<super::shapes::Const>, ShapesError> {
        let graph = self.graph;
        let mut allowed = Vec::new();
        for property in graph.objects(node, sh::PROPERTY) {
            if let Some(path @ Term::NamedNode(_)) = graph.object(property, sh::PATH)? {
                allowed.push(self.consts.intern(path.clone()));
            }
        }
        for list in graph.objects(node, sh::IGNORED_PROPERTIES) {
            for member in graph.list(list)? {
                allowed.push(self.consts.intern(member.clone()));
            }
        }
        Ok(allowed)
    }
}
