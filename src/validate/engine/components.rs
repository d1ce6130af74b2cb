//! The SHACL Core constraint components, checked on a focus node's value nodes.

use oxigraph::model::Term;

use super::{RawResult, ResultPath, Run};
use crate::validate::graph::Id;
use crate::validate::literal::{compare, is_well_formed, lang_matches, str_of};
use crate::validate::shapes::{Constraint, Order, Range, ShapeId};
use crate::validate::vocab::sh;
use crate::validate::ValidateError;

impl<'s> Run<'s, '_> {
    /// Checks one constraint of shape `shape_id` on `focus` and its value nodes, appending a
    /// result (built by `result` from the value) for each violation.
    #[allow(clippy::too_many_lines)]
    pub(super) fn check_constraint(
        &mut self,
        constraint: &'s Constraint,
        shape_id: ShapeId,
        focus: Id,
        values: &[Id],
        out: &mut Vec<RawResult<'s>>,
        result: &dyn Fn(Option<Id>) -> RawResult<'s>,
    ) -> Result<(), ValidateError> {
        match constraint {
            Constraint::Class(c) => {
                let class = self.ids[c.index()];
                for &v in values {
                    if !self.is_instance(v, class) {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Datatype(datatype) => {
                for &v in values {
                    let ok = match self.term(v) {
                        Term::Literal(literal) => {
                            literal.datatype() == datatype.as_ref() && is_well_formed(literal)
                        }
                        _ => false,
                    };
                    if !ok {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::NodeKind(kind) => {
                for &v in values {
                    if !kind.matches(self.term(v)) {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::MinCount(min) => {
                if (values.len() as u64) < *min {
                    out.push(result(None));
                }
            }
            Constraint::MaxCount(max) => {
                if (values.len() as u64) > *max {
                    out.push(result(None));
                }
            }
            Constraint::Range(range, bound) => {
                for &v in values {
                    let ordering = compare(self.term(v), bound);
                    let ok = match range {
                        Range::MinExclusive => ordering.is_some_and(|o| o.is_gt()),
                        Range::MinInclusive => ordering.is_some_and(|o| o.is_ge()),
                        Range::MaxExclusive => ordering.is_some_and(|o| o.is_lt()),
                        Range::MaxInclusive => ordering.is_some_and(|o| o.is_le()),
                    };
                    if !ok {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::MinLength(min) => {
                for &v in values {
                    let long_enough =
                        str_of(self.term(v)).is_some_and(|s| s.chars().count() as u64 >= *min);
                    if !long_enough {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::MaxLength(max) => {
                for &v in values {
                    let short_enough =
                        str_of(self.term(v)).is_some_and(|s| s.chars().count() as u64 <= *max);
                    if !short_enough {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Pattern(regex) => {
                for &v in values {
                    if !str_of(self.term(v)).is_some_and(|s| regex.is_match(s)) {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::LanguageIn(ranges) => {
                for &v in values {
                    let ok = match self.term(v) {
                        Term::Literal(literal) => literal
                            .language()
                            .is_some_and(|tag| ranges.iter().any(|range| lang_matches(tag, range))),
                        _ => false,
                    };
                    if !ok {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::UniqueLang => {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for &v in values {
                    if let Term::Literal(literal) = self.term(v) {
                        if let Some(tag) = literal.language() {
                            let tag = tag.to_ascii_lowercase();
                            match counts.iter_mut().find(|(t, _)| *t == tag) {
                                Some((_, n)) => *n += 1,
                                None => counts.push((tag, 1)),
                            }
                        }
                    }
                }
                for _ in counts.iter().filter(|(_, n)| *n > 1) {
                    out.push(result(None));
                }
            }
            Constraint::Equals(p) => {
                let others = self.data.objects(focus, self.ids[p.index()]);
                for &v in values {
                    if !others.contains(&v) {
                        out.push(result(Some(v)));
                    }
                }
                for &o in others {
                    if !values.contains(&o) {
                        out.push(result(Some(o)));
                    }
                }
            }
            Constraint::Disjoint(p) => {
                let others = self.data.objects(focus, self.ids[p.index()]);
                for &v in values {
                    if others.contains(&v) {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Order(order, p) => {
                let others = self.data.objects(focus, self.ids[p.index()]);
                for &v in values {
                    for &o in others {
                        let ordering = compare(self.term(v), self.term(o));
                        let ok = match order {
                            Order::LessThan => ordering.is_some_and(|o| o.is_lt()),
                            Order::LessThanOrEquals => ordering.is_some_and(|o| o.is_le()),
                        };
                        if !ok {
                            out.push(result(Some(v)));
                        }
                    }
                }
            }
            Constraint::Not(shape) => {
                for &v in values {
                    if self.conforms(v, *shape)? {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::And(shapes) => {
                for &v in values {
                    let mut all = true;
                    for &shape in shapes {
                        if !self.conforms(v, shape)? {
                            all = false;
                            break;
                        }
                    }
                    if !all {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Or(shapes) => {
                for &v in values {
                    let mut any = false;
                    for &shape in shapes {
                        if self.conforms(v, shape)? {
                            any = true;
                            break;
                        }
                    }
                    if !any {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Xone(shapes) => {
                for &v in values {
                    let mut count = 0;
                    for &shape in shapes {
                        if self.conforms(v, shape)? {
                            count += 1;
                        }
                    }
                    if count != 1 {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Node(shape) => {
                for &v in values {
                    if !self.conforms(v, *shape)? {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Property(shape) => {
                for &v in values {
                    self.validate_shape(*shape, v, out, false)?;
                }
            }
            Constraint::Qualified {
                shape,
                min,
                max,
                siblings,
            } => {
                let mut count = 0u64;
                for &v in values {
                    if !self.conforms(v, *shape)? {
                        continue;
                    }
                    let mut in_sibling = false;
                    for &sibling in siblings {
                        if self.conforms(v, sibling)? {
                            in_sibling = true;
                            break;
                        }
                    }
                    if !in_sibling {
                        count += 1;
                    }
                }
                if min.is_some_and(|min| count < min) {
                    out.push(result(None));
                }
                if max.is_some_and(|max| count > max) {
                    let mut raw = result(None);
                    raw.component = sh::QUALIFIED_MAX_COUNT_COMPONENT;
                    out.push(raw);
                }
            }
            Constraint::Closed(allowed) => {
                for &v in values {
                    for &(p, o) in self.data.outgoing(v) {
                        if !allowed.iter().any(|c| self.ids[c.index()] == p) {
                            let mut raw = result(Some(o));
                            raw.path = ResultPath::Predicate(p);
                            out.push(raw);
                        }
                    }
                }
            }
            Constraint::HasValue(c) => {
                if !values.contains(&self.ids[c.index()]) {
                    out.push(result(None));
                }
            }
            Constraint::In(members) => {
                for &v in values {
                    if !members.iter().any(|c| self.ids[c.index()] == v) {
                        out.push(result(Some(v)));
                    }
                }
            }
            Constraint::Sparql(sparql) => {
                self.check_sparql(sparql, shape_id, focus, out, result)?
            }
            Constraint::Component(component) => {
                self.check_component(component, shape_id, focus, values, out, result)?;
            }
        }
        Ok(())
    }
}
