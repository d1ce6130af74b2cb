//! Pre-binding of SHACL-SPARQL variables (section 5.2.1 of the SHACL spec), on Oxigraph's
//! SPARQL algebra: which variables a query mentions, the restrictions a query with pre-bound
//! variables must respect, and the substitution of the pre-bound values into the algebra.
//!
//! Substitution replaces each occurrence of a pre-bound variable by its value, in triple
//! patterns, paths, `GRAPH`, expressions and `EXISTS`, inner groups and sub-queries included,
//! which is what the spec means (Oxigraph's own initial bindings only apply to the outermost
//! projection). SPARQL has no syntax for a blank node constant, so blank nodes are replaced by
//! skolem IRIs (see [`skolemize`]) in the dataset and in the bindings alike.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{BlankNode, Literal, NamedNode, Term};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern};

/// The prefix of the skolem IRIs that stand for blank nodes during SPARQL evaluation.
const SKOLEM_PREFIX: &str = "urn:x-agora:bnode:";

/// A blank node as its skolem IRI; other terms unchanged.
pub(super) fn skolemize(term: &Term) -> Term {
    match term {
        Term::BlankNode(node) => {
            NamedNode::new_unchecked(format!("{SKOLEM_PREFIX}{}", node.as_str())).into()
        }
        other => other.clone(),
    }
}

/// A skolem IRI back to its blank node; other terms unchanged.
pub(super) fn unskolemize(term: &Term) -> Term {
    match term {
        Term::NamedNode(iri) => match iri.as_str().strip_prefix(SKOLEM_PREFIX) {
            Some(id) => BlankNode::new_unchecked(id).into(),
            None => term.clone(),
        },
        other => other.clone(),
    }
}

fn children(pattern: &GraphPattern) -> Vec<&GraphPattern> {
    match pattern {
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => vec![left, right],
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => vec![inner],
        _ => Vec::new(),
    }
}

/// The expressions a pattern node holds itself (not those of its children).
fn own_expressions(pattern: &GraphPattern) -> Vec<&Expression> {
    match pattern {
        GraphPattern::Filter { expr, .. }
        | GraphPattern::Extend {
            expression: expr, ..
        } => vec![expr],
        GraphPattern::LeftJoin {
            expression: Some(e),
            ..
        } => vec![e],
        GraphPattern::OrderBy { expression, .. } => expression
            .iter()
            .map(|o| match o {
                OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
            })
            .collect(),
        GraphPattern::Group { aggregates, .. } => aggregates
            .iter()
            .filter_map(|(_, a)| match a {
                AggregateExpression::FunctionCall { expr, .. } => Some(expr),
                AggregateExpression::CountSolutions { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn sub_expressions(expression: &Expression) -> Vec<&Expression> {
    match expression {
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => vec![a, b],
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => vec![a],
        Expression::In(a, list) => std::iter::once(&**a).chain(list).collect(),
        Expression::If(a, b, c) => vec![a, b, c],
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter().collect(),
        _ => Vec::new(),
    }
}

/// The patterns inside `EXISTS` of an expression tree.
fn exists_patterns(expression: &Expression, out: &mut Vec<GraphPattern>) {
    if let Expression::Exists(pattern) = expression {
        out.push((**pattern).clone());
    }
    for e in sub_expressions(expression) {
        exists_patterns(e, out);
    }
}

/// Every variable a pattern mentions, anywhere (sub-queries and `EXISTS` included).
pub(super) fn variables(pattern: &GraphPattern, out: &mut HashSet<String>) {
    let mut add = |v: &oxigraph::model::Variable| {
        out.insert(v.as_str().to_owned());
    };
    let term = |t: &TermPattern, add: &mut dyn FnMut(&oxigraph::model::Variable)| {
        if let TermPattern::Variable(v) = t {
            add(v);
        }
    };
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for t in patterns {
                term(&t.subject, &mut add);
                if let NamedNodePattern::Variable(v) = &t.predicate {
                    add(v);
                }
                term(&t.object, &mut add);
            }
        }
        GraphPattern::Path {
            subject, object, ..
        } => {
            term(subject, &mut add);
            term(object, &mut add);
        }
        GraphPattern::Graph {
            name: NamedNodePattern::Variable(v),
            ..
        }
        | GraphPattern::Service {
            name: NamedNodePattern::Variable(v),
            ..
        }
        | GraphPattern::Extend { variable: v, .. } => add(v),
        GraphPattern::Project { variables, .. }
        | GraphPattern::Values { variables, .. }
        | GraphPattern::Group { variables, .. } => variables.iter().for_each(&mut add),
        _ => {}
    }
    if let GraphPattern::Group { aggregates, .. } = pattern {
        aggregates.iter().for_each(|(v, _)| add(v));
    }
    for expression in own_expressions(pattern) {
        expression_variables(expression, out);
    }
    for child in children(pattern) {
        variables(child, out);
    }
}

fn expression_variables(expression: &Expression, out: &mut HashSet<String>) {
    match expression {
        Expression::Variable(v) | Expression::Bound(v) => {
            out.insert(v.as_str().to_owned());
        }
        Expression::Exists(pattern) => variables(pattern, out),
        _ => {}
    }
    for e in sub_expressions(expression) {
        expression_variables(e, out);
    }
}

/// Checks the restrictions on a query with pre-bound variables: no `MINUS`, `VALUES` or
/// `SERVICE`; no `BIND` (or `AS`) to a pre-bound variable; every sub-query projects each
/// pre-bound variable the query uses (`used`). `in_sub_query` is false for the outermost
/// pattern, whose first projection is the query's own.
pub(super) fn check(
    pattern: &GraphPattern,
    used: &[&str],
    pre_bound: &[&str],
    in_sub_query: bool,
) -> Result<(), String> {
    let mut nested_in_sub_query = in_sub_query;
    match pattern {
        GraphPattern::Minus { .. } => {
            return Err("MINUS is not allowed with pre-bound variables".to_owned())
        }
        GraphPattern::Values { .. } => {
            return Err("VALUES is not allowed with pre-bound variables".to_owned())
        }
        GraphPattern::Service { .. } => return Err("SERVICE is not allowed".to_owned()),
        GraphPattern::Extend { variable, .. } if pre_bound.contains(&variable.as_str()) => {
            return Err(format!(
                "the pre-bound variable ?{variable} may not be assigned"
            ));
        }
        GraphPattern::Project { variables, .. } => {
            if in_sub_query {
                if let Some(missing) = used
                    .iter()
                    .find(|name| !variables.iter().any(|v| v.as_str() == **name))
                {
                    return Err(format!(
                        "a sub-query must project the pre-bound variable ?{missing}"
                    ));
                }
            }
            nested_in_sub_query = true;
        }
        _ => {}
    }
    for expression in own_expressions(pattern) {
        let mut patterns = Vec::new();
        exists_patterns(expression, &mut patterns);
        for inner in &patterns {
            check(inner, used, pre_bound, true)?;
        }
    }
    for child in children(pattern) {
        check(child, used, pre_bound, nested_in_sub_query)?;
    }
    Ok(())
}

/// Values for pre-bound variables, already skolemized (named nodes and literals only).
pub(super) type Bindings<'a> = HashMap<&'a str, Term>;

fn term_pattern(term: &Term) -> TermPattern {
    match term {
        Term::NamedNode(iri) => TermPattern::NamedNode(iri.clone()),
        Term::Literal(literal) => TermPattern::Literal(literal.clone()),
        Term::BlankNode(node) => TermPattern::BlankNode(node.clone()),
    }
}

fn expression_of(term: &Term) -> Expression {
    match term {
        Term::NamedNode(iri) => Expression::NamedNode(iri.clone()),
        Term::Literal(literal) => Expression::Literal(literal.clone()),
        // Bindings are skolemized before substitution, so this arm is not reached; a literal
        // keeps the expression well-formed if it ever is.
        Term::BlankNode(node) => Expression::Literal(Literal::new_simple_literal(node.as_str())),
    }
}

fn substitute_term(term: &mut TermPattern, bindings: &Bindings<'_>) {
    if let TermPattern::Variable(v) = term {
        if let Some(value) = bindings.get(v.as_str()) {
            *term = term_pattern(value);
        }
    }
}

fn substitute_name(name: &mut NamedNodePattern, bindings: &Bindings<'_>) {
    if let NamedNodePattern::Variable(v) = name {
        if let Some(Term::NamedNode(iri)) = bindings.get(v.as_str()) {
            *name = NamedNodePattern::NamedNode(iri.clone());
        }
    }
}

/// Replaces the pre-bound variables of `pattern` by their values.
pub(super) fn substitute(pattern: &mut GraphPattern, bindings: &Bindings<'_>) {
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for t in patterns {
                substitute_term(&mut t.subject, bindings);
                substitute_name(&mut t.predicate, bindings);
                substitute_term(&mut t.object, bindings);
            }
        }
        GraphPattern::Path {
            subject, object, ..
        } => {
            substitute_term(subject, bindings);
            substitute_term(object, bindings);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            substitute(left, bindings);
            substitute(right, bindings);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            substitute(left, bindings);
            substitute(right, bindings);
            if let Some(expression) = expression {
                substitute_expression(expression, bindings);
            }
        }
        GraphPattern::Filter { expr, inner } => {
            substitute_expression(expr, bindings);
            substitute(inner, bindings);
        }
        GraphPattern::Graph { name, inner } | GraphPattern::Service { name, inner, .. } => {
            substitute_name(name, bindings);
            substitute(inner, bindings);
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            substitute_expression(expression, bindings);
            substitute(inner, bindings);
        }
        GraphPattern::OrderBy { inner, expression } => {
            for order in expression {
                match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                        substitute_expression(e, bindings)
                    }
                }
            }
            substitute(inner, bindings);
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                    substitute_expression(expr, bindings);
                }
            }
            substitute(inner, bindings);
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => substitute(inner, bindings),
        _ => {}
    }
}

fn substitute_expression(expression: &mut Expression, bindings: &Bindings<'_>) {
    match expression {
        Expression::Variable(v) => {
            if let Some(value) = bindings.get(v.as_str()) {
                *expression = expression_of(value);
            }
        }
        Expression::Bound(v) if bindings.contains_key(v.as_str()) => {
            *expression = Expression::Literal(Literal::from(true));
        }
        Expression::Exists(pattern) => substitute(pattern, bindings),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            substitute_expression(a, bindings);
            substitute_expression(b, bindings);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            substitute_expression(a, bindings);
        }
        Expression::In(a, list) => {
            substitute_expression(a, bindings);
            list.iter_mut()
                .for_each(|e| substitute_expression(e, bindings));
        }
        Expression::If(a, b, c) => {
            substitute_expression(a, bindings);
            substitute_expression(b, bindings);
            substitute_expression(c, bindings);
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter_mut()
                .for_each(|e| substitute_expression(e, bindings));
        }
        _ => {}
    }
}
