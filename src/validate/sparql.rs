//! SHACL-SPARQL: `sh:sparql` constraints and SPARQL-based constraint components
//! (`sh:validator`, `sh:nodeValidator`, `sh:propertyValidator` with `sh:parameter`).
//!
//! Queries are prepared once at load time: prefixes from `sh:prefixes` (following `owl:imports`)
//! are prepended, `$PATH` is replaced by the property shape's path in SPARQL syntax, the text is
//! parsed, and the restrictions of the spec on pre-bound variables are checked (no `MINUS`,
//! `VALUES`, `SERVICE`, no `BIND` to a pre-bound variable, every sub-query projects the pre-bound
//! variables the query uses). At validation time the pre-bound variables (`$this`,
//! `$currentShape`, `$shapesGraph`, `$value`, parameters) are substituted as initial bindings.

use std::collections::HashSet;

use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use spargebra::{Query, SparqlParser};

use super::dataset::SparqlView;
use super::literal::str_of;
use super::path::Path;
use super::prebind::{self, skolemize, unskolemize, Bindings};
use super::reader::ShapesGraph;
use super::vocab::{owl, sh};
use super::ShapesError;

/// The IRI under which the shapes graph is visible to queries as `$shapesGraph`.
pub(super) const SHAPES_GRAPH: &str = "urn:x-agora:shapes-graph";

/// A query ready to run: parsed, checked, with the variables it mentions.
#[derive(Debug, Clone)]
pub(super) struct PreparedQuery {
    query: Query,
    variables: HashSet<String>,
}

/// `sh:sparql` on a shape.
#[derive(Debug)]
pub(super) struct SparqlConstraint {
    /// The constraint node (`sh:sourceConstraint`).
    pub(super) node: Term,
    pub(super) query: PreparedQuery,
    pub(super) messages: Vec<Term>,
}

/// Whether a validator is an ASK query (one run per value node) or a SELECT (one run per focus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValidatorKind {
    Ask,
    Select,
}

/// A SPARQL-based constraint component instantiated by one shape.
#[derive(Debug)]
pub(super) struct ComponentConstraint {
    /// The component (`sh:sourceConstraintComponent`).
    pub(super) component: NamedNode,
    pub(super) kind: ValidatorKind,
    pub(super) query: PreparedQuery,
    /// Parameter values, bound as variables named after the parameters' local names.
    pub(super) bindings: Vec<(String, Term)>,
    pub(super) messages: Vec<Term>,
}

/// A parameter of a declared component.
#[derive(Debug, Clone)]
struct Parameter {
    path: NamedNode,
    name: String,
    optional: bool,
}

/// A validator of a declared component.
#[derive(Debug, Clone)]
struct Validator {
    node: Term,
    kind: ValidatorKind,
    text: String,
    prefixes: String,
    messages: Vec<Term>,
}

/// A SPARQL-based constraint component declared in the shapes graph.
#[derive(Debug, Clone)]
pub(super) struct ComponentDecl {
    iri: NamedNode,
    parameters: Vec<Parameter>,
    validator: Option<Validator>,
    node_validator: Option<Validator>,
    property_validator: Option<Validator>,
}

fn sparql_error(node: &Term, message: impl Into<String>) -> ShapesError {
    ShapesError::Sparql {
        node: node.to_string(),
        message: message.into(),
    }
}

fn string_value<'a>(node: &Term, value: &'a Term, what: &str) -> Result<&'a str, ShapesError> {
    match value {
        Term::Literal(literal) => Ok(literal.value()),
        _ => Err(ShapesError::Malformed {
            node: node.to_string(),
            message: format!("{what} must be a literal"),
        }),
    }
}

/// The `PREFIX` lines declared by the values of `sh:prefixes` on `node` (following
/// `owl:imports` transitively, as the spec's examples rely on).
pub(super) fn prefixes(graph: &ShapesGraph<'_>, node: &Term) -> Result<String, ShapesError> {
    let mut text = String::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<&Term> = graph.objects(node, sh::PREFIXES).collect();
    while let Some(ontology) = stack.pop() {
        if !seen.insert(ontology.clone()) {
            continue;
        }
        stack.extend(graph.objects(ontology, owl::IMPORTS));
        for declaration in graph.objects(ontology, sh::DECLARE) {
            let missing = |what: &str| ShapesError::Malformed {
                node: declaration.to_string(),
                message: format!("a prefix declaration needs exactly one {what}"),
            };
            let prefix = graph
                .object(declaration, sh::PREFIX)?
                .ok_or_else(|| missing("sh:prefix"))?;
            let namespace = graph
                .object(declaration, sh::NAMESPACE)?
                .ok_or_else(|| missing("sh:namespace"))?;
            let prefix = string_value(declaration, prefix, "sh:prefix")?;
            let namespace = string_value(declaration, namespace, "sh:namespace")?;
            text.push_str(&format!("PREFIX {prefix}: <{namespace}>\n"));
        }
    }
    Ok(text)
}

impl PreparedQuery {
    /// Prepares a query: prefixes, `$PATH`, parsing, and the pre-binding restrictions.
    pub(super) fn prepare(
        node: &Term,
        prefixes: &str,
        text: &str,
        path: Option<&Path>,
        pre_bound: &[&str],
        kind: ValidatorKind,
    ) -> Result<Self, ShapesError> {
        let text = match path {
            Some(path) => text.replace("$PATH", &path.to_string()),
            None if text.contains("$PATH") => {
                return Err(sparql_error(
                    node,
                    "$PATH is only allowed in property shapes",
                ));
            }
            None => text.to_owned(),
        };
        let query = SparqlParser::new()
            .parse_query(&format!("{prefixes}{text}"))
            .map_err(|error| sparql_error(node, error.to_string()))?;
        let pattern = match (&query, kind) {
            (Query::Select { pattern, .. }, ValidatorKind::Select) => pattern,
            (Query::Ask { pattern, .. }, ValidatorKind::Ask) => pattern,
            (_, ValidatorKind::Select) => {
                return Err(sparql_error(node, "expected a SELECT query"))
            }
            (_, ValidatorKind::Ask) => return Err(sparql_error(node, "expected an ASK query")),
        };
        let mut variables = HashSet::new();
        prebind::variables(pattern, &mut variables);
        let used: Vec<&str> = pre_bound
            .iter()
            .copied()
            .filter(|name| variables.contains(*name))
            .collect();
        prebind::check(pattern, &used, pre_bound, false)
            .map_err(|message| sparql_error(node, message))?;
        Ok(Self { query, variables })
    }

    /// Whether the query mentions `?name` (or `$name`).
    pub(super) fn uses(&self, name: &str) -> bool {
        self.variables.contains(name)
    }

    /// The query with the pre-bound variables it uses replaced by their (skolemized) values.
    fn bound(&self, bindings: &[(&str, Term)]) -> Query {
        let bindings: Bindings<'_> = bindings
            .iter()
            .filter(|(name, _)| self.uses(name))
            .map(|(name, term)| (*name, skolemize(term)))
            .collect();
        let mut query = self.query.clone();
        if let Query::Select { pattern, .. } | Query::Ask { pattern, .. } = &mut query {
            prebind::substitute(pattern, &bindings);
        }
        query
    }

    /// Runs a SELECT query over the data graph (blank nodes skolemized) and returns its solutions.
    pub(super) fn select(
        &self,
        dataset: SparqlView<'_>,
        bindings: &[(&str, Term)],
    ) -> Result<Vec<Solution>, String> {
        let results = SparqlEvaluator::new()
            .for_query(self.bound(bindings))
            .on_queryable_dataset(dataset)
            .execute()
            .map_err(|e| e.to_string())?;
        let QueryResults::Solutions(solutions) = results else {
            return Err("the query did not return solutions".to_owned());
        };
        let mut out = Vec::new();
        for solution in solutions {
            let solution = solution.map_err(|e| e.to_string())?;
            out.push(Solution(
                solution
                    .iter()
                    .map(|(variable, term)| (variable.as_str().to_owned(), unskolemize(term)))
                    .collect(),
            ));
        }
        Ok(out)
    }

    /// Runs an ASK query over the data graph (blank nodes skolemized).
    pub(super) fn ask(
        &self,
        dataset: SparqlView<'_>,
        bindings: &[(&str, Term)],
    ) -> Result<bool, String> {
        match SparqlEvaluator::new()
            .for_query(self.bound(bindings))
            .on_queryable_dataset(dataset)
            .execute()
        {
            Ok(QueryResults::Boolean(value)) => Ok(value),
            Ok(_) => Err("the query did not return a boolean".to_owned()),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// One solution of a SELECT query, blank nodes restored.
#[derive(Debug)]
pub(super) struct Solution(Vec<(String, Term)>);

impl Solution {
    /// The value bound to `?name`.
    pub(super) fn get(&self, name: &str) -> Option<&Term> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

/// The pre-bound variables of every SHACL-SPARQL query.
pub(super) const PRE_BOUND: &[&str] = &["this", "currentShape", "shapesGraph"];

/// Reads `sh:sparql` constraint `node` for a shape with this path.
pub(super) fn read_constraint(
    graph: &ShapesGraph<'_>,
    node: &Term,
    path: Option<&Path>,
) -> Result<Option<SparqlConstraint>, ShapesError> {
    if super::load::is_true(graph, node, sh::DEACTIVATED)? {
        return Ok(None);
    }
    if graph.object(node, sh::ASK)?.is_some() {
        return Err(ShapesError::Unsupported {
            node: node.to_string(),
            feature: "sh:ask in an sh:sparql constraint (only sh:select is defined there)"
                .to_owned(),
        });
    }
    let select = graph
        .object(node, sh::SELECT)?
        .ok_or_else(|| sparql_error(node, "an sh:sparql constraint needs one sh:select"))?;
    let text = string_value(node, select, "sh:select")?;
    let prefixes = prefixes(graph, node)?;
    let query = PreparedQuery::prepare(
        node,
        &prefixes,
        text,
        path,
        PRE_BOUND,
        ValidatorKind::Select,
    )?;
    Ok(Some(SparqlConstraint {
        node: node.clone(),
        query,
        messages: graph.objects(node, sh::MESSAGE).cloned().collect(),
    }))
}

fn read_validator(
    graph: &ShapesGraph<'_>,
    component: &Term,
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Result<Option<Validator>, ShapesError> {
    let Some(node) = graph.object(component, predicate)? else {
        return Ok(None);
    };
    let (kind, text) = match (
        graph.object(node, sh::ASK)?,
        graph.object(node, sh::SELECT)?,
    ) {
        (Some(ask), None) => (ValidatorKind::Ask, string_value(node, ask, "sh:ask")?),
        (None, Some(select)) => (
            ValidatorKind::Select,
            string_value(node, select, "sh:select")?,
        ),
        _ => {
            return Err(ShapesError::Unsupported {
                node: node.to_string(),
                feature: "a validator that is not exactly one SPARQL ASK or SELECT query"
                    .to_owned(),
            })
        }
    };
    if predicate == sh::VALIDATOR && kind != ValidatorKind::Ask {
        return Err(sparql_error(node, "sh:validator must be an ASK validator"));
    }
    Ok(Some(Validator {
        node: node.clone(),
        kind,
        text: text.to_owned(),
        prefixes: prefixes(graph, node)?,
        messages: graph.objects(node, sh::MESSAGE).cloned().collect(),
    }))
}

/// Reads every SPARQL-based constraint component declared in the shapes graph (subjects of
/// `sh:parameter` outside the SHACL namespace, whose own components the engine implements).
pub(super) fn read_components(graph: &ShapesGraph<'_>) -> Result<Vec<ComponentDecl>, ShapesError> {
    let mut seen = HashSet::new();
    let mut components = Vec::new();
    for triple in graph.with_predicate(sh::PARAMETER) {
        let node: Term = triple.subject.clone().into();
        if !seen.insert(node.clone()) {
            continue;
        }
        let Term::NamedNode(iri) = &node else {
            return Err(ShapesError::Malformed {
                node: node.to_string(),
                message: "a constraint component must be an IRI".to_owned(),
            });
        };
        if iri.as_str().starts_with(super::vocab::SH) {
            continue;
        }
        let mut parameters = Vec::new();
        for parameter in graph.objects(&node, sh::PARAMETER) {
            let Some(Term::NamedNode(path)) = graph.object(parameter, sh::PATH)? else {
                return Err(ShapesError::Malformed {
                    node: parameter.to_string(),
                    message: "a parameter needs one sh:path that is an IRI".to_owned(),
                });
            };
            let name = local_name(path.as_str());
            if name.is_empty() || Variable::new(name).is_err() {
                return Err(ShapesError::Malformed {
                    node: parameter.to_string(),
                    message: format!("the local name of {path} is not a SPARQL variable name"),
                });
            }
            parameters.push(Parameter {
                path: path.clone(),
                name: name.to_owned(),
                optional: super::load::is_true(graph, parameter, sh::OPTIONAL)?,
            });
        }
        components.push(ComponentDecl {
            iri: iri.clone(),
            parameters,
            validator: read_validator(graph, &node, sh::VALIDATOR)?,
            node_validator: read_validator(graph, &node, sh::NODE_VALIDATOR)?,
            property_validator: read_validator(graph, &node, sh::PROPERTY_VALIDATOR)?,
        });
    }
    Ok(components)
}

/// The part of an IRI after its last `#` or `/`.
fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

impl ComponentDecl {
    /// The constraints this component contributes to `shape` (one per combination of parameter
    /// values; none when a mandatory parameter has no value).
    pub(super) fn instantiate(
        &self,
        graph: &ShapesGraph<'_>,
        shape: &Term,
        path: Option<&Path>,
        shape_messages: &[Term],
    ) -> Result<Vec<ComponentConstraint>, ShapesError> {
        let mut combinations: Vec<Vec<(String, Term)>> = vec![Vec::new()];
        for parameter in &self.parameters {
            let values: Vec<&Term> = graph.objects(shape, parameter.path.as_ref()).collect();
            if values.is_empty() {
                if parameter.optional {
                    continue;
                }
                return Ok(Vec::new());
            }
            combinations = combinations
                .into_iter()
                .flat_map(|combination| {
                    values.iter().map(move |value| {
                        let mut next = combination.clone();
                        next.push((parameter.name.clone(), (*value).clone()));
                        next
                    })
                })
                .collect();
        }
        let validator = match path {
            Some(_) => self.property_validator.as_ref().or(self.validator.as_ref()),
            None => self.node_validator.as_ref().or(self.validator.as_ref()),
        };
        let Some(validator) = validator else {
            return Err(ShapesError::Unsupported {
                node: shape.to_string(),
                feature: format!(
                    "constraint component {} has no SPARQL validator for {} shapes",
                    self.iri,
                    if path.is_some() { "property" } else { "node" }
                ),
            });
        };
        let mut pre_bound: Vec<&str> = PRE_BOUND.to_vec();
        if validator.kind == ValidatorKind::Ask {
            pre_bound.push("value");
        }
        pre_bound.extend(self.parameters.iter().map(|p| p.name.as_str()));
        let query = PreparedQuery::prepare(
            &validator.node,
            &validator.prefixes,
            &validator.text,
            path,
            &pre_bound,
            validator.kind,
        )?;
        let messages = if shape_messages.is_empty() {
            validator.messages.clone()
        } else {
            Vec::new()
        };
        Ok(combinations
            .into_iter()
            .map(|bindings| ComponentConstraint {
                component: self.iri.clone(),
                kind: validator.kind,
                query: query.clone(),
                bindings,
                messages: messages.clone(),
            })
            .collect())
    }
}

/// Fills `{?name}` and `{$name}` in a message template from the bindings.
pub(super) fn fill_template(message: &Term, lookup: impl Fn(&str) -> Option<Term>) -> Term {
    let Term::Literal(literal) = message else {
        return message.clone();
    };
    let text = literal.value();
    if !text.contains('{') {
        return message.clone();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find('}');
        let name = end.and_then(|end| after[1..end].strip_prefix(['?', '$']));
        match (end, name.and_then(&lookup)) {
            (Some(end), Some(value)) => {
                out.push_str(str_of(&value).unwrap_or("_:"));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    match literal.language() {
        Some(language) => Literal::new_language_tagged_literal_unchecked(out, language).into(),
        None => Literal::new_typed_literal(out, literal.datatype()).into(),
    }
}
