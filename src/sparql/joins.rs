//! Cross products that the endpoint refuses before evaluation.
//!
//! Oxigraph's evaluator (spareval) checks a query's cancellation only when it reads the next row
//! from the store. A join of parts that share no variable pairs every row read with every row of
//! the other side, held in memory; with three such parts, a single row read of the outer one is
//! paired with the whole product of the two others. On the 1 M benchmark store
//! `SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` got its 503 at the time limit and
//! then kept a core and its evaluation slot until the server was stopped three minutes later:
//! between two reads there was a million-row pairing to finish. With at most two unconnected
//! parts in a group, each row read is paired with one side only (the rows of one pattern), so
//! cancellation comes within that many pairings. That is what `sparql::check_joins` enforces.
//!
//! A *group* is what the evaluator joins together: the triple patterns and paths of a `{ … }`
//! block with its `FILTER`s, `BIND`s, `VALUES`, `OPTIONAL`s and nested blocks. Parts are
//! connected when they share a variable (a `BIND` connects the variables of its expression with
//! the one it binds). A set of connected parts counts unless it starts from a property of one
//! resource (a pattern with a constant subject and predicate, `<x> rdfs:label ?label`: a few rows
//! at most; the BSBM product query asks for a dozen of them) or has no variable at all.
//! `<x> ?p ?o` (every triple of a resource) counts: nine of them on a resource of six triples are
//! ten million rows. Unions, subqueries, `OPTIONAL`s, `MINUS`, `GRAPH` and `EXISTS` blocks are
//! groups of their own, each checked too (an `OPTIONAL` or a union is one part of its outer
//! group, with the variables it binds).
//!
//! Measured on the same store, a product of two parts and a join of three patterns on one
//! unselective variable (`?a ?p ?b . ?c ?p ?d . ?e ?p ?f`) both stopped at their time limit. Any
//! other join that spends long combining rows already read would run past its limit too; none is
//! known (README, "SPARQL endpoint").

use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, Variable};

/// The most parts sharing no variable that one group may join.
pub const MAX_UNCONNECTED_PARTS: usize = 2;

/// The largest number of parts sharing no variable that one group of `query` joins.
pub fn unconnected_parts(query: &spargebra::Query) -> usize {
    let mut most = 0;
    let mut groups = vec![(super::where_clause(query), None)];
    while let Some((pattern, graph)) = groups.pop() {
        match pattern {
            // Solution modifiers around a group (the query's or a subquery's): look inside.
            GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => groups.push((inner, graph)),
            GraphPattern::OrderBy { inner, expression } => {
                for order in expression {
                    let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                    exists_patterns(e, &mut groups);
                }
                groups.push((inner, graph));
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        exists_patterns(expr, &mut groups);
                    }
                }
                groups.push((inner, graph));
            }
            group => {
                let mut parts = Vec::new();
                collect_parts(group, graph, &mut parts, &mut groups);
                if let Some(graph) = graph {
                    // Inside `GRAPH ?g { … }` every part also binds ?g: they are joined on it.
                    for part in &mut parts {
                        part.variables.push(graph.into());
                    }
                }
                most = most.max(count_components(&parts));
            }
        }
    }
    most
}

/// One thing a group joins: the variables it binds, whether it is rows of its own (a `BIND`
/// only connects), and whether it is one property of one resource (a constant subject and
/// predicate: `<x> rdfs:label ?label`, a handful of rows at most).
struct Part<'a> {
    variables: Vec<Name<'a>>,
    rows: bool,
    property: bool,
}

/// A variable, or a blank node of a pattern (which joins like one: the parser writes the steps of
/// a path `?a :p/:q ?b` as two patterns joined on a blank node).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Name<'a> {
    Variable(&'a str),
    Blank(&'a str),
}

impl<'a> From<&'a Variable> for Name<'a> {
    fn from(variable: &'a Variable) -> Self {
        Name::Variable(variable.as_str())
    }
}

/// Groups still to check, each with the variable that all its parts also bind (the graph
/// variable of `GRAPH ?g { … }`), if any.
type Groups<'a> = Vec<(&'a GraphPattern, Option<&'a Variable>)>;

/// Adds the parts of the group `pattern` to `parts`, and the groups nested in it to `groups`.
/// `graph` is the variable that every part also binds (inside `GRAPH ?g`), passed on to the
/// nested groups.
fn collect_parts<'a>(
    pattern: &'a GraphPattern,
    graph: Option<&'a Variable>,
    parts: &mut Vec<Part<'a>>,
    groups: &mut Groups<'a>,
) {
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for triple in patterns {
                let mut variables = Vec::new();
                term_variable(&triple.subject, &mut variables);
                if let NamedNodePattern::Variable(variable) = &triple.predicate {
                    variables.push(variable.into());
                }
                term_variable(&triple.object, &mut variables);
                let property = matches!(
                    triple.subject,
                    TermPattern::NamedNode(_) | TermPattern::Literal(_)
                ) && matches!(triple.predicate, NamedNodePattern::NamedNode(_));
                parts.push(Part {
                    rows: !variables.is_empty(),
                    property,
                    variables,
                });
            }
        }
        GraphPattern::Path {
            subject, object, ..
        } => {
            let mut variables = Vec::new();
            term_variable(subject, &mut variables);
            term_variable(object, &mut variables);
            parts.push(Part {
                rows: !variables.is_empty(),
                property: false,
                variables,
            });
        }
        GraphPattern::Join { left, right } => {
            collect_parts(left, graph, parts, groups);
            collect_parts(right, graph, parts, groups);
        }
        GraphPattern::Filter { expr, inner } => {
            exists_patterns(expr, groups);
            collect_parts(inner, graph, parts, groups);
        }
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => {
            collect_parts(inner, graph, parts, groups);
            let mut variables = vec![variable.into()];
            expression_variables(expression, &mut variables);
            parts.push(Part {
                variables,
                rows: false,
                property: false,
            });
            exists_patterns(expression, groups);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            collect_parts(left, graph, parts, groups);
            // `OPTIONAL { <x> :p ?v }` is a property of one resource too.
            let mut part = whole(right);
            part.property = starts_from_a_property(right, graph);
            parts.push(part);
            groups.push((right, graph));
            if let Some(expression) = expression {
                exists_patterns(expression, groups);
            }
        }
        GraphPattern::Minus { left, right } => {
            // Rows of the right side only remove rows of the left: no product.
            collect_parts(left, graph, parts, groups);
            groups.push((right, graph));
        }
        GraphPattern::Values { variables, .. } => parts.push(Part {
            variables: variables.iter().map(Name::from).collect(),
            rows: true,
            property: false,
        }),
        GraphPattern::Union { left, right } => {
            parts.push(whole(pattern));
            groups.push((left, graph));
            groups.push((right, graph));
        }
        GraphPattern::Graph { name, inner } => {
            parts.push(whole(pattern));
            let inner_graph = match name {
                NamedNodePattern::Variable(variable) => Some(variable),
                NamedNodePattern::NamedNode(_) => graph,
            };
            groups.push((inner, inner_graph));
        }
        // A subquery (its solution modifiers first): one part, checked as a group of its own.
        GraphPattern::Project { .. }
        | GraphPattern::Distinct { .. }
        | GraphPattern::Reduced { .. }
        | GraphPattern::Slice { .. }
        | GraphPattern::OrderBy { .. }
        | GraphPattern::Group { .. } => {
            parts.push(whole(pattern));
            groups.push((pattern, None));
        }
        // A service call (refused at evaluation anyway), or a pattern this walk does not know:
        // one part.
        #[allow(unreachable_patterns)]
        other => parts.push(whole(other)),
    }
}

/// Whether every set of connected parts of the group `pattern` starts from a property of one
/// resource (see [`count_components`]).
fn starts_from_a_property<'a>(pattern: &'a GraphPattern, graph: Option<&'a Variable>) -> bool {
    let mut parts = Vec::new();
    collect_parts(pattern, graph, &mut parts, &mut Vec::new());
    parts.iter().any(|part| part.property) && count_components(&parts) == 0
}

/// `pattern` as one part of its outer group, with the variables it binds.
fn whole(pattern: &GraphPattern) -> Part<'_> {
    let mut variables = Vec::new();
    pattern.on_in_scope_variable(|variable| variables.push(variable.into()));
    Part {
        variables,
        rows: true,
        property: false,
    }
}

fn term_variable<'a>(term: &'a TermPattern, variables: &mut Vec<Name<'a>>) {
    match term {
        TermPattern::Variable(variable) => variables.push(variable.into()),
        TermPattern::BlankNode(node) => variables.push(Name::Blank(node.as_str())),
        _ => {}
    }
}

/// How many sets of connected parts (sharing variables, directly or through other parts) can
/// be large: they hold rows of their own and do not start from a property of one resource (the
/// BSBM product page asks for a dozen properties of one product, each its own part, one row each).
fn count_components(parts: &[Part<'_>]) -> usize {
    // Union-find over the parts; two parts are joined when they share a variable.
    let mut parent: Vec<usize> = (0..parts.len()).collect();
    fn root(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    let mut first_with: std::collections::HashMap<Name<'_>, usize> =
        std::collections::HashMap::new();
    for (index, part) in parts.iter().enumerate() {
        for variable in &part.variables {
            match first_with.get(variable) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, index), root(&mut parent, other));
                    parent[a] = b;
                }
                None => {
                    first_with.insert(*variable, index);
                }
            }
        }
    }
    let mut anchored = std::collections::HashSet::new();
    for (index, part) in parts.iter().enumerate() {
        if part.property {
            anchored.insert(root(&mut parent, index));
        }
    }
    let mut roots: Vec<usize> = (0..parts.len())
        .filter(|&index| parts[index].rows)
        .map(|index| root(&mut parent, index))
        .filter(|root| !anchored.contains(root))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    roots.len()
}

/// The variables an expression reads (not those inside its `EXISTS` blocks).
fn expression_variables<'a>(expression: &'a Expression, variables: &mut Vec<Name<'a>>) {
    each_subexpression(expression, &mut |expression| {
        if let Expression::Variable(variable) | Expression::Bound(variable) = expression {
            variables.push(variable.into());
        }
    });
}

/// Adds the patterns of the `EXISTS` blocks of an expression to `groups`.
fn exists_patterns<'a>(expression: &'a Expression, groups: &mut Groups<'a>) {
    each_subexpression(expression, &mut |expression| {
        if let Expression::Exists(pattern) = expression {
            groups.push((pattern, None));
        }
    });
}

/// Calls `visit` with `expression` and each expression inside it (not inside its `EXISTS`
/// patterns).
pub(crate) fn each_subexpression<'a>(
    expression: &'a Expression,
    visit: &mut impl FnMut(&'a Expression),
) {
    visit(expression);
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_)
        | Expression::Exists(_) => {}
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
            each_subexpression(a, visit);
            each_subexpression(b, visit);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            each_subexpression(a, visit)
        }
        Expression::If(a, b, c) => {
            each_subexpression(a, visit);
            each_subexpression(b, visit);
            each_subexpression(c, visit);
        }
        Expression::In(a, list) => {
            each_subexpression(a, visit);
            for item in list {
                each_subexpression(item, visit);
            }
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            for item in list {
                each_subexpression(item, visit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(query: &str) -> usize {
        let parsed = spargebra::SparqlParser::new()
            .parse_query(query)
            .unwrap_or_else(|error| panic!("{query}: {error}"));
        unconnected_parts(&parsed)
    }

    #[test]
    fn products_of_unconnected_parts_are_counted() {
        assert_eq!(parts("SELECT * { ?s ?p ?o }"), 1);
        assert_eq!(parts("SELECT * { ?a ?b ?c . ?d ?e ?f }"), 2);
        assert_eq!(
            parts("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
            3
        );
        // Patterns on one resource share a constant, not a variable.
        assert_eq!(
            parts(
                "SELECT * { <http://e/s> ?p1 ?o1 . <http://e/s> ?p2 ?o2 . <http://e/s> ?p3 ?o3 }"
            ),
            3
        );
        // A pattern without variables is at most one row.
        assert_eq!(
            parts("ASK { <http://e/s> <http://e/p> <http://e/o> . ?a ?b ?c }"),
            1
        );
        // Properties of one resource are a few rows each (BSBM's product query asks for a dozen,
        // some of them OPTIONAL).
        assert_eq!(
            parts(
                "SELECT * { <http://e/s> <http://e/a> ?a OPTIONAL { <http://e/s> <http://e/b> ?b } \
                 OPTIONAL { <http://e/s> <http://e/c> ?c } OPTIONAL { <http://e/s> <http://e/d> ?d } }"
            ),
            0
        );
        assert_eq!(
            parts(
                "SELECT * { <http://e/s> <http://e/a> ?a . <http://e/s> <http://e/b> ?b . \
                 <http://e/s> <http://e/c> ?c . <http://e/s> <http://e/d>/<http://e/e> ?d . ?x ?y ?z }"
            ),
            1
        );
    }

    #[test]
    fn shared_variables_binds_and_values_connect_parts() {
        assert_eq!(parts("SELECT * { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d }"), 1);
        // Path steps are joined on blank nodes.
        assert_eq!(
            parts(
                "SELECT * { ?a <http://e/p>/<http://e/q>/<http://e/r> ?b . _:x ?p ?b . _:x ?q ?c }"
            ),
            1
        );
        assert_eq!(
            parts("SELECT * { ?a ?b ?c . BIND(?c AS ?d) ?d ?e ?f . ?f ?g ?h }"),
            1
        );
        assert_eq!(
            parts(
                "SELECT * { VALUES (?a ?d) { (<http://e/1> <http://e/2>) } ?a ?b ?c . ?d ?e ?f }"
            ),
            1
        );
        // A constant BIND connects nothing.
        assert_eq!(parts("SELECT * { ?a ?b ?c . BIND(1 AS ?x) ?d ?e ?f }"), 2);
    }

    #[test]
    fn nested_groups_are_checked_on_their_own() {
        let in_optional = "SELECT * { ?s ?p ?o OPTIONAL { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }";
        assert_eq!(parts(in_optional), 3);
        let in_union = "SELECT * { { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } UNION { ?s ?p ?o } }";
        assert_eq!(parts(in_union), 3);
        let in_subquery = "SELECT * { { SELECT ?a { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }";
        assert_eq!(parts(in_subquery), 3);
        let in_exists = "ASK { ?s ?p ?o FILTER EXISTS { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }";
        assert_eq!(parts(in_exists), 3);
        let in_minus = "SELECT * { ?s ?p ?o MINUS { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }";
        assert_eq!(parts(in_minus), 3);
        // An OPTIONAL is one part of its outer group: here it makes the third.
        let optional_part = "SELECT * { ?a ?b ?c . ?d ?e ?f OPTIONAL { ?g ?h ?i } }";
        assert_eq!(parts(optional_part), 3);
        // GRAPH ?g joins its patterns on ?g.
        assert_eq!(
            parts("SELECT * { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?x ?y ?z } }"),
            1
        );
    }

    #[test]
    fn every_example_query_is_connected_enough() {
        for example in super::super::examples::EXAMPLES {
            let count = parts(example.text);
            assert!(
                count <= MAX_UNCONNECTED_PARTS,
                "{}: {count} unconnected parts",
                example.name
            );
        }
    }
}
