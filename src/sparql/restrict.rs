//! Keeps a query that is sent to a remote store away from private graphs, by rewriting it.
//!
//! On the embedded store Agora sets the query's dataset itself (`Store::evaluate`). A remote
//! store evaluates the query text it is sent, and SPARQL cannot say "the default graph plus these
//! named graphs" in a query, so the rewrite works on the patterns: every `GRAPH ?g { … }` gets a
//! filter that drops the private graphs, and every `GRAPH <private> { … }` becomes a pattern with
//! no solution. `SERVICE` is refused: the remote store might make the call.

use oxigraph::model::{Literal, NamedNode};
use spargebra::algebra::{
    AggregateExpression, Expression, Function, GraphPattern, OrderExpression,
};
use spargebra::term::NamedNodePattern;

/// The private graphs: named exactly, or by a prefix.
#[derive(Debug, Clone)]
pub struct PrivateGraphs {
    /// Graphs named exactly.
    pub exact: Vec<NamedNode>,
    /// Prefixes of graph names.
    pub prefixes: Vec<String>,
}

impl PrivateGraphs {
    /// Whether `graph` is private.
    pub fn contains(&self, graph: &str) -> bool {
        self.exact.iter().any(|exact| exact.as_str() == graph)
            || self.prefixes.iter().any(|prefix| graph.starts_with(prefix))
    }

    /// `?g` is not a private graph.
    fn public_filter(&self, variable: &spargebra::term::Variable) -> Expression {
        let g = || Expression::Variable(variable.clone());
        let mut private: Vec<Expression> = self
            .exact
            .iter()
            .map(|graph| Expression::SameTerm(Box::new(g()), Box::new(graph.clone().into())))
            .collect();
        for prefix in &self.prefixes {
            private.push(Expression::FunctionCall(
                Function::StrStarts,
                vec![
                    Expression::FunctionCall(Function::Str, vec![g()]),
                    Literal::new_simple_literal(prefix).into(),
                ],
            ));
        }
        let any = private
            .into_iter()
            .reduce(|a, b| Expression::Or(Box::new(a), Box::new(b)))
            .unwrap_or(Expression::Literal(Literal::from(false)));
        Expression::Not(Box::new(any))
    }
}

/// Why a query cannot be sent.
#[derive(Debug, thiserror::Error)]
pub enum RestrictError {
    /// The query calls another endpoint.
    #[error("SERVICE {0} is not allowed: the endpoint makes no calls to other endpoints")]
    Service(String),
    /// A pattern this rewrite does not know.
    #[error("the query uses a pattern that cannot be restricted to the public graphs")]
    Unknown,
}

/// Rewrites `query` so that no `GRAPH` pattern reaches a private graph.
pub fn restrict_graph_patterns(
    query: &mut spargebra::Query,
    private: &PrivateGraphs,
) -> Result<(), RestrictError> {
    let pattern = match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    };
    restrict_pattern(pattern, private)
}

fn no_solution() -> GraphPattern {
    GraphPattern::Values {
        variables: Vec::new(),
        bindings: Vec::new(),
    }
}

fn restrict_pattern(
    pattern: &mut GraphPattern,
    private: &PrivateGraphs,
) -> Result<(), RestrictError> {
    match pattern {
        GraphPattern::Graph { name, inner } => {
            restrict_pattern(inner, private)?;
            match name {
                NamedNodePattern::NamedNode(graph) => {
                    if private.contains(graph.as_str()) {
                        *pattern = no_solution();
                    }
                }
                NamedNodePattern::Variable(variable) => {
                    let expr = private.public_filter(variable);
                    let graph = std::mem::replace(pattern, no_solution());
                    *pattern = GraphPattern::Filter {
                        expr,
                        inner: Box::new(graph),
                    };
                }
            }
            Ok(())
        }
        GraphPattern::Service { name, .. } => Err(RestrictError::Service(name.to_string())),
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {
            Ok(())
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            restrict_pattern(left, private)?;
            restrict_pattern(right, private)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            restrict_pattern(left, private)?;
            restrict_pattern(right, private)?;
            match expression {
                Some(expression) => restrict_expression(expression, private),
                None => Ok(()),
            }
        }
        GraphPattern::Filter { expr, inner } => {
            restrict_expression(expr, private)?;
            restrict_pattern(inner, private)
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            restrict_expression(expression, private)?;
            restrict_pattern(inner, private)
        }
        GraphPattern::OrderBy { inner, expression } => {
            for order in expression {
                match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                        restrict_expression(e, private)?
                    }
                }
            }
            restrict_pattern(inner, private)
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                match aggregate {
                    AggregateExpression::CountSolutions { .. } => {}
                    AggregateExpression::FunctionCall { expr, .. } => {
                        restrict_expression(expr, private)?
                    }
                }
            }
            restrict_pattern(inner, private)
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => restrict_pattern(inner, private),
        #[allow(unreachable_patterns)]
        _ => Err(RestrictError::Unknown),
    }
}

fn restrict_expression(
    expression: &mut Expression,
    private: &PrivateGraphs,
) -> Result<(), RestrictError> {
    match expression {
        Expression::Exists(pattern) => restrict_pattern(pattern, private),
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => Ok(()),
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
            restrict_expression(a, private)?;
            restrict_expression(b, private)
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            restrict_expression(a, private)
        }
        Expression::In(a, list) => {
            restrict_expression(a, private)?;
            list.iter_mut()
                .try_for_each(|item| restrict_expression(item, private))
        }
        Expression::If(a, b, c) => {
            restrict_expression(a, private)?;
            restrict_expression(b, private)?;
            restrict_expression(c, private)
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list
            .iter_mut()
            .try_for_each(|item| restrict_expression(item, private)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private() -> PrivateGraphs {
        PrivateGraphs {
            exact: vec![NamedNode::new_unchecked("http://x/graph/system")],
            prefixes: vec!["http://x/graph/version/".to_owned()],
        }
    }

    fn rewrite(query: &str) -> Result<String, RestrictError> {
        let mut query = crate::store::parse_query(query).expect("the test query parses");
        restrict_graph_patterns(&mut query, &private())?;
        Ok(query.to_string())
    }

    #[test]
    fn graph_variables_get_a_filter_and_private_graph_names_no_solution(
    ) -> Result<(), RestrictError> {
        let text = rewrite("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")?;
        assert!(text.contains("FILTER"), "{text}");
        assert!(text.contains("http://x/graph/version/"), "{text}");
        let text = rewrite("SELECT * WHERE { GRAPH <http://x/graph/system> { ?s ?p ?o } }")?;
        assert!(!text.contains("http://x/graph/system"), "{text}");
        let text =
            rewrite("ASK { FILTER EXISTS { GRAPH <http://x/graph/version/1/1> { ?s ?p ?o } } }")?;
        assert!(!text.contains("version"), "{text}");
        Ok(())
    }

    #[test]
    fn service_is_refused() {
        assert!(matches!(
            rewrite("SELECT * WHERE { SERVICE <http://e/sparql> { ?s ?p ?o } }"),
            Err(RestrictError::Service(_))
        ));
    }
}
