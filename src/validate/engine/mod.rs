//! One validation run: resolves the shapes' constants against the data graph, selects focus
//! nodes, evaluates constraints and collects results. The core components are checked in
//! `components`, the SHACL-SPARQL ones in `sparql`.

mod components;
mod sparql;

use std::collections::{HashMap, HashSet};

use oxigraph::model::{NamedNodeRef, Term};

use super::graph::{DataGraph, Id};
use super::path::{NodeSet, Path};
use super::report::{ValidationReport, ValidationResult};
use super::shapes::{ShapeId, Target};
use super::vocab::{rdf, rdfs};
use super::{Shapes, ValidateError};

/// Where a result's `sh:resultPath` comes from.
#[derive(Debug, Clone)]
enum ResultPath {
    None,
    /// The source shape's own path.
    Shape,
    /// A single predicate (closed shapes).
    Predicate(Id),
    /// A path a SPARQL query bound to `?path`.
    Explicit(Path),
}

/// A result before its ids are turned back into terms.
#[derive(Debug, Clone)]
struct RawResult<'s> {
    focus: Id,
    shape: ShapeId,
    component: NamedNodeRef<'s>,
    value: Option<Id>,
    path: ResultPath,
    /// Messages computed by SPARQL; `None` means "the shape's `sh:message`".
    messages: Option<Vec<Term>>,
    source_constraint: Option<&'s Term>,
}

/// The state of one validation run.
pub(super) struct Run<'s, 'd> {
    shapes: &'s Shapes,
    data: &'d DataGraph,
    /// The data id of every shapes constant (an extra id when the data lacks it).
    ids: Vec<Id>,
    extra: Vec<Term>,
    extra_ids: HashMap<Term, Id>,
    rdf_type: Id,
    sub_class_of: Id,
    conforms: HashMap<(ShapeId, Id), bool>,
    active: HashSet<(ShapeId, Id)>,
}

impl<'s, 'd> Run<'s, 'd> {
    pub(super) fn new(shapes: &'s Shapes, data: &'d DataGraph) -> Self {
        let mut run = Self {
            shapes,
            data,
            ids: Vec::with_capacity(shapes.consts.terms().len()),
            extra: Vec::new(),
            extra_ids: HashMap::new(),
            rdf_type: 0,
            sub_class_of: 0,
            conforms: HashMap::new(),
            active: HashSet::new(),
        };
        for term in shapes.consts.terms() {
            let id = run.intern(term);
            run.ids.push(id);
        }
        run.rdf_type = run.intern(&rdf::TYPE.into_owned().into());
        run.sub_class_of = run.intern(&rdfs::SUB_CLASS_OF.into_owned().into());
        run
    }

    fn intern(&mut self, term: &Term) -> Id {
        if let Some(id) = self.data.id(term) {
            return id;
        }
        if let Some(id) = self.extra_ids.get(term) {
            return *id;
        }
        let id = Id::try_from(self.data.term_count() + self.extra.len())
            .expect("fewer than 2^32 terms in one validation run");
        self.extra.push(term.clone());
        self.extra_ids.insert(term.clone(), id);
        id
    }

    fn term(&self, id: Id) -> &Term {
        match self.data.term(id) {
            Some(term) => term,
            None => &self.extra[id as usize - self.data.term_count()],
        }
    }

    /// Validates every targeted shape and builds the report.
    pub(super) fn validate(mut self) -> Result<ValidationReport, ValidateError> {
        let mut raw = Vec::new();
        for (shape_id, shape) in self.shapes.shapes.iter().enumerate() {
            if shape.deactivated || shape.targets.is_empty() {
                continue;
            }
            let mut focus = NodeSet::default();
            for target in &shape.targets {
                self.target_nodes(*target, &mut focus);
            }
            for &node in focus.as_slice() {
                self.validate_shape(shape_id, node, &mut raw, false)?;
            }
        }
        let results: Vec<ValidationResult> = raw.into_iter().map(|r| self.finish(r)).collect();
        Ok(ValidationReport {
            conforms: results.is_empty(),
            results,
        })
    }

    fn finish(&self, raw: RawResult<'_>) -> ValidationResult {
        let shape = &self.shapes.shapes[raw.shape];
        ValidationResult {
            focus_node: self.term(raw.focus).clone(),
            result_path: match raw.path {
                ResultPath::None => None,
                ResultPath::Shape => shape.path.as_ref().map(|(path, _)| path.clone()),
                ResultPath::Predicate(id) => match self.term(id) {
                    Term::NamedNode(iri) => Some(Path::Predicate(iri.clone())),
                    _ => None,
                },
                ResultPath::Explicit(path) => Some(path),
            },
            value: raw.value.map(|id| self.term(id).clone()),
            source_constraint_component: raw.component.into_owned(),
            source_shape: shape.node.clone(),
            severity: shape.severity.clone(),
            messages: raw.messages.unwrap_or_else(|| shape.messages.clone()),
            source_constraint: raw.source_constraint.cloned(),
        }
    }

    /// The focus nodes a target selects (only the record's own nodes when the data graph has
    /// context; see [`DataGraph`]).
    fn target_nodes(&self, target: Target, out: &mut NodeSet) {
        let data = self.data;
        match target {
            Target::Node(c) => {
                let node = self.ids[c.index()];
                if data.may_target_node(node) {
                    out.insert(node);
                }
            }
            Target::Class(c) => {
                for class in self.subclasses(self.ids[c.index()]) {
                    for &node in data.subjects(self.rdf_type, class) {
                        if data.may_target_subject(node) {
                            out.insert(node);
                        }
                    }
                }
            }
            Target::SubjectsOf(c) => {
                for &(s, _) in data.with_predicate(self.ids[c.index()]) {
                    if data.may_target_subject(s) {
                        out.insert(s);
                    }
                }
            }
            Target::ObjectsOf(c) => {
                let p = self.ids[c.index()];
                for &(s, o) in data.with_predicate(p) {
                    if data.may_target_object([s, p, o]) {
                        out.insert(o);
                    }
                }
            }
        }
    }

    /// `class` and every class that is `rdfs:subClassOf*` it.
    fn subclasses(&self, class: Id) -> Vec<Id> {
        let mut found = NodeSet::default();
        found.insert(class);
        let mut i = 0;
        while i < found.as_slice().len() {
            let current = found.as_slice()[i];
            for &sub in self.data.subjects(self.sub_class_of, current) {
                found.insert(sub);
            }
            i += 1;
        }
        found.into_vec()
    }

    /// Whether `node` is a SHACL instance of `class` (`rdf:type/rdfs:subClassOf*`).
    fn is_instance(&self, node: Id, class: Id) -> bool {
        let mut seen = NodeSet::default();
        let mut stack: Vec<Id> = self.data.objects(node, self.rdf_type).to_vec();
        while let Some(current) = stack.pop() {
            if current == class {
                return true;
            }
            if seen.insert(current) {
                stack.extend_from_slice(self.data.objects(current, self.sub_class_of));
            }
        }
        false
    }

    /// Whether `node` conforms to `shape` (no result of any severity). A shape reached again
    /// while it is being checked for the same node is assumed to conform, so that recursive
    /// shapes terminate.
    fn conforms(&mut self, node: Id, shape: ShapeId) -> Result<bool, ValidateError> {
        if let Some(known) = self.conforms.get(&(shape, node)) {
            return Ok(*known);
        }
        if !self.active.insert((shape, node)) {
            return Ok(true);
        }
        let mut results = Vec::new();
        let outcome = self.validate_shape(shape, node, &mut results, true);
        self.active.remove(&(shape, node));
        outcome?;
        let conforms = results.is_empty();
        self.conforms.insert((shape, node), conforms);
        Ok(conforms)
    }

    /// Validates `focus` against `shape`, appending results. In `check` mode it stops at the
    /// first constraint that fails, since only conformance matters.
    fn validate_shape(
        &mut self,
        shape_id: ShapeId,
        focus: Id,
        out: &mut Vec<RawResult<'s>>,
        check: bool,
    ) -> Result<(), ValidateError> {
        let shapes = self.shapes;
        let shape = &shapes.shapes[shape_id];
        if shape.deactivated {
            return Ok(());
        }
        let values: Vec<Id> = match &shape.path {
            Some((_, expr)) => expr.eval(self.data, &self.ids, &[focus], false).into_vec(),
            None => vec![focus],
        };
        let path = if shape.path.is_some() {
            ResultPath::Shape
        } else {
            ResultPath::None
        };
        for constraint in &shape.constraints {
            let result = |value: Option<Id>| RawResult {
                focus,
                shape: shape_id,
                component: constraint.component(),
                value,
                path: path.clone(),
                messages: None,
                source_constraint: None,
            };
            self.check_constraint(constraint, shape_id, focus, &values, out, &result)?;
            if check && !out.is_empty() {
                return Ok(());
            }
        }
        Ok(())
    }
}
