//! Parameters of Agora's own queries, bound in the algebra, never pasted into query text.
//!
//! A page query declares its parameters with a one-row `VALUES` block of `UNDEF`s at the top of
//! its `WHERE` clause, for example `VALUES (?status ?lang) { (UNDEF "nl") }`. [`bind`] finds that
//! block in the parsed query and puts the caller's terms in it. A parameter left `UNDEF` leaves
//! its variable free, so the query text reads the same whether or not a filter is given. Values
//! from a request (an IRI from a filter form, a language) therefore reach the query as terms, with
//! no way to change its structure.

use oxigraph::model::Term;
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use spargebra::Query;

/// Why parameters could not be bound.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParameterError {
    /// The query has no `VALUES` block declaring this variable.
    #[error("the query declares no parameter ?{0} in a one-row VALUES block")]
    Undeclared(String),
    /// Blank nodes cannot be bound.
    #[error("?{0} cannot be bound to a blank node")]
    BlankNode(String),
}

/// Binds each `(name, value)` in the query's parameter block.
pub fn bind(query: &mut Query, values: &[(&str, Term)]) -> Result<(), ParameterError> {
    let Query::Select { pattern, .. } = query else {
        return match values.first() {
            Some((name, _)) => Err(ParameterError::Undeclared((*name).to_owned())),
            None => Ok(()),
        };
    };
    for (name, value) in values {
        let ground = match value {
            Term::NamedNode(node) => GroundTerm::NamedNode(node.clone()),
            Term::Literal(literal) => GroundTerm::Literal(literal.clone()),
            _ => return Err(ParameterError::BlankNode((*name).to_owned())),
        };
        if !set(pattern, name, &ground) {
            return Err(ParameterError::Undeclared((*name).to_owned()));
        }
    }
    Ok(())
}

/// Makes `name` a variable of the query's top-level projection (through the solution modifiers
/// around it), so that an evaluator can start from a value substituted for it; whether the query
/// has such a projection.
///
/// Oxigraph can substitute a value for a variable before evaluating (every pattern mentioning it
/// becomes an index lookup) but only for a projected variable; page queries often group by other
/// variables. The extra column holds the parameter's own value, which callers read by name and
/// may ignore. Evaluation then sees the value from the start, as a `VALUES` block at the head of
/// each group would give, which is how Agora's page queries are written (every `OPTIONAL`
/// starts from the parameter).
pub fn project(query: &mut Query, name: &str) -> bool {
    let Query::Select { pattern, .. } = query else {
        return false;
    };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Project { variables, .. } => {
                if !variables.iter().any(|v| v.as_str() == name) {
                    variables.push(spargebra::term::Variable::new_unchecked(name));
                }
                return true;
            }
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. } => pattern = inner,
            _ => return false,
        }
    }
}

/// Sets `name` in the first one-row `VALUES` block that declares it; whether one was found.
fn set(pattern: &mut GraphPattern, name: &str, value: &GroundTerm) -> bool {
    match pattern {
        GraphPattern::Values {
            variables,
            bindings,
        } if bindings.len() == 1 => match variables.iter().position(|v| v.as_str() == name) {
            Some(index) => {
                bindings[0][index] = Some(value.clone());
                true
            }
            None => false,
        },
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => set(left, name, value) || set(right, name, value),
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => set(inner, name, value),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{Literal, NamedNode};

    use super::*;

    const QUERY: &str = "SELECT ?c (SAMPLE(?t) AS ?title) WHERE {
        VALUES (?status ?lang) { (UNDEF \"nl\") }
        ?c <http://www.w3.org/ns/adms#status> ?status ; <http://purl.org/dc/terms/title> ?t .
        FILTER(LANGMATCHES(LANG(?t), ?lang))
    } GROUP BY ?c ORDER BY ?c LIMIT 5";

    #[test]
    fn values_land_in_the_declared_block() {
        let mut query = spargebra::SparqlParser::new()
            .parse_query(QUERY)
            .expect("parses");
        let status = NamedNode::new("https://example.org/status/open").expect("an IRI");
        bind(
            &mut query,
            &[
                ("status", status.clone().into()),
                ("lang", Literal::new_simple_literal("en").into()),
            ],
        )
        .expect("both are declared");
        let text = query.to_string();
        assert!(
            text.contains("<https://example.org/status/open> \"en\""),
            "{text}"
        );
    }

    #[test]
    fn hostile_text_stays_a_literal() {
        let mut query = spargebra::SparqlParser::new()
            .parse_query(QUERY)
            .expect("parses");
        let hostile = "nl\") } ?x ?y ?z . FILTER(true) #";
        bind(
            &mut query,
            &[("lang", Literal::new_simple_literal(hostile).into())],
        )
        .expect("declared");
        let reparsed = spargebra::SparqlParser::new()
            .parse_query(&query.to_string())
            .expect("still one query");
        // The text is one escaped literal, and no triple pattern ?x ?y ?z appeared.
        let text = reparsed.to_string();
        assert!(
            text.contains(r#""nl\") } ?x ?y ?z . FILTER(true) #""#),
            "{text}"
        );
        assert_eq!(text.matches("?x ?y ?z").count(), 1, "{text}");
    }

    #[test]
    fn a_parameter_joins_the_projection_once() {
        let mut query = spargebra::SparqlParser::new()
            .parse_query(QUERY)
            .expect("parses");
        assert!(project(&mut query, "status"));
        assert!(project(&mut query, "status"));
        let text = query.to_string();
        let projection = text.split(" WHERE").next().unwrap_or_default();
        assert!(projection.ends_with("?title) ?status"), "{text}");
        assert_eq!(text.matches("?status").count(), 3, "{text}");
    }

    #[test]
    fn an_undeclared_parameter_is_an_error() {
        let mut query = spargebra::SparqlParser::new()
            .parse_query(QUERY)
            .expect("parses");
        assert_eq!(
            bind(
                &mut query,
                &[("theme", Literal::new_simple_literal("x").into())]
            ),
            Err(ParameterError::Undeclared("theme".to_owned()))
        );
    }
}
