//! SHACL-SPARQL constraints and SPARQL-based components, evaluated on a view of the data graph
//! (see `dataset`; blank nodes skolemized, see `prebind`).

use oxigraph::model::{NamedNode, Term};

use super::{RawResult, ResultPath, Run};
use crate::validate::dataset::SparqlView;
use crate::validate::graph::Id;
use crate::validate::path::Path;
use crate::validate::shapes::ShapeId;
use crate::validate::sparql::{
    fill_template, ComponentConstraint, SparqlConstraint, ValidatorKind, SHAPES_GRAPH,
};
use crate::validate::ValidateError;

impl<'s> Run<'s, '_> {
    /// The data graph (and, when a query asks for `$shapesGraph`, the shapes graph) as the
    /// dataset queries run on: a view, nothing is copied.
    fn dataset(&self) -> SparqlView<'_> {
        SparqlView::new(self.data, self.shapes.shapes_graph.as_deref())
    }

    fn pre_bound(&self, shape_id: ShapeId, focus: Id) -> Vec<(&'static str, Term)> {
        vec![
            ("this", self.term(focus).clone()),
            ("currentShape", self.shapes.shapes[shape_id].node.clone()),
            ("shapesGraph", NamedNode::new_unchecked(SHAPES_GRAPH).into()),
        ]
    }

    pub(super) fn check_sparql(
        &mut self,
        constraint: &'s SparqlConstraint,
        shape_id: ShapeId,
        focus: Id,
        out: &mut Vec<RawResult<'s>>,
        result: &dyn Fn(Option<Id>) -> RawResult<'s>,
    ) -> Result<(), ValidateError> {
        let bindings = self.pre_bound(shape_id, focus);
        let solutions = constraint
            .query
            .select(self.dataset(), &bindings)
            .map_err(|message| ValidateError::Sparql {
                constraint: constraint.node.to_string(),
                message,
            })?;
        let is_property = self.shapes.shapes[shape_id].path.is_some();
        for solution in solutions {
            if let Some(Term::Literal(failure)) = solution.get("failure") {
                if failure.value() == "true" {
                    return Err(ValidateError::Failure {
                        constraint: constraint.node.to_string(),
                    });
                }
            }
            let value = match solution.get("value") {
                Some(term) => Some(self.intern(term)),
                None if is_property => None,
                None => Some(focus),
            };
            let mut raw = result(value);
            if let Some(Term::NamedNode(path)) = solution.get("path") {
                raw.path = ResultPath::Explicit(Path::Predicate(path.clone()));
            }
            raw.source_constraint = Some(&constraint.node);
            raw.messages = Some(match solution.get("message") {
                Some(message) => vec![message.clone()],
                None if !constraint.messages.is_empty() => constraint
                    .messages
                    .iter()
                    .map(|m| {
                        fill_template(m, |name| {
                            solution
                                .get(name)
                                .cloned()
                                .or_else(|| bound(&bindings, name))
                        })
                    })
                    .collect(),
                None => self.shapes.shapes[shape_id].messages.clone(),
            });
            out.push(raw);
        }
        Ok(())
    }

    pub(super) fn check_component(
        &mut self,
        component: &'s ComponentConstraint,
        shape_id: ShapeId,
        focus: Id,
        values: &[Id],
        out: &mut Vec<RawResult<'s>>,
        result: &dyn Fn(Option<Id>) -> RawResult<'s>,
    ) -> Result<(), ValidateError> {
        let mut bindings = self.pre_bound(shape_id, focus);
        bindings.extend(
            component
                .bindings
                .iter()
                .map(|(name, term)| (name.as_str(), term.clone())),
        );
        let error = |message| ValidateError::Sparql {
            constraint: component.component.to_string(),
            message,
        };
        let messages = |lookup: &dyn Fn(&str) -> Option<Term>| -> Option<Vec<Term>> {
            if component.messages.is_empty() {
                return None;
            }
            Some(
                component
                    .messages
                    .iter()
                    .map(|m| fill_template(m, lookup))
                    .collect(),
            )
        };
        let parameter = |name: &str| bound(&bindings, name);
        match component.kind {
            ValidatorKind::Ask => {
                for &v in values {
                    let mut with_value = bindings.clone();
                    with_value.push(("value", self.term(v).clone()));
                    let ok = component
                        .query
                        .ask(self.dataset(), &with_value)
                        .map_err(error)?;
                    if !ok {
                        let mut raw = result(Some(v));
                        raw.messages = messages(&|name: &str| bound(&with_value, name));
                        out.push(raw);
                    }
                }
            }
            ValidatorKind::Select => {
                let solutions = component
                    .query
                    .select(self.dataset(), &bindings)
                    .map_err(error)?;
                let is_property = self.shapes.shapes[shape_id].path.is_some();
                for solution in solutions {
                    let value = match solution.get("value") {
                        Some(term) => Some(self.intern(term)),
                        None if is_property => None,
                        None => Some(focus),
                    };
                    let mut raw = result(value);
                    if let Some(Term::NamedNode(path)) = solution.get("path") {
                        raw.path = ResultPath::Explicit(Path::Predicate(path.clone()));
                    }
                    let lookup =
                        |name: &str| solution.get(name).cloned().or_else(|| parameter(name));
                    raw.messages = match solution.get("message") {
                        Some(message) => Some(vec![message.clone()]),
                        None => messages(&lookup),
                    };
                    out.push(raw);
                }
            }
        }
        Ok(())
    }
}

/// The value of a pre-bound variable or parameter, for message templates.
fn bound(bindings: &[(&str, Term)], name: &str) -> Option<Term> {
    bindings
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.clone())
}
