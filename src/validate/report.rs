//! The validation report: what a run found, and its standard `sh:ValidationReport` RDF form.

use oxigraph::model::{BlankNode, Literal, NamedNode, Term, Triple};

use super::path::Path;
use super::vocab::{rdf, sh};

/// The outcome of validating a data graph against shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationReport {
    /// True when there is no result at all (of any severity), as SHACL defines it.
    pub conforms: bool,
    /// One entry per violated constraint and value.
    pub results: Vec<ValidationResult>,
}

/// A term as a reader wants it: an IRI without brackets, a literal's lexical form.
pub fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => node.as_str().to_owned(),
        Term::Literal(literal) => literal.value().to_owned(),
        other => other.to_string(),
    }
}

impl ValidationResult {
    /// The messages as (language, text), English first, then Dutch, then untagged.
    pub fn messages_by_language(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .messages
            .iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some((
                    literal.language().unwrap_or("").to_owned(),
                    literal.value().to_owned(),
                )),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(language, _)| match language.as_str() {
            "en" => 0,
            "nl" => 1,
            _ => 2,
        });
        out
    }
}

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationResult {
    /// `sh:focusNode`: the node that was validated.
    pub focus_node: Term,
    /// `sh:resultPath`: the path of the property shape (or the predicate of a closed-shape
    /// violation, or the `?path` a SPARQL constraint returned).
    pub result_path: Option<Path>,
    /// `sh:value`: the offending value, when the component names one.
    pub value: Option<Term>,
    /// `sh:sourceConstraintComponent`, such as `sh:MinCountConstraintComponent`.
    pub source_constraint_component: NamedNode,
    /// `sh:sourceShape`: the shape whose constraint failed (an IRI or a blank node of the
    /// shapes graph).
    pub source_shape: Term,
    /// `sh:resultSeverity`: `sh:Violation` unless the shape says otherwise.
    pub severity: NamedNode,
    /// `sh:resultMessage`: the shape's `sh:message` values or the SPARQL constraint's messages.
    pub messages: Vec<Term>,
    /// `sh:sourceConstraint`: the `sh:sparql` constraint node, for SHACL-SPARQL results.
    pub source_constraint: Option<Term>,
}

impl ValidationReport {
    /// The readable JSON form: per result the severity, focus node, path, offending value,
    /// constraint component, shape, and the rule in words (English and Dutch messages first).
    ///
    /// `conforms` is true when there is no violation (warnings and infos allowed), which is
    /// what decides whether Agora accepts a record.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "conforms": self.violation_count() == 0,
            "results": self.results.iter().map(|result| serde_json::json!({
                "severity": result.severity.as_str(),
                "focusNode": term_text(&result.focus_node),
                "path": result.result_path.as_ref().and_then(Path::as_predicate).map(|p| p.as_str().to_owned()),
                "value": result.value.as_ref().map(term_text),
                "constraintComponent": result.source_constraint_component.as_str(),
                "sourceShape": term_text(&result.source_shape),
                "messages": result.messages_by_language()
                    .into_iter()
                    .map(|(language, text)| serde_json::json!({"language": language, "text": text}))
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// The number of results with severity `sh:Violation`.
    pub fn violation_count(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.severity.as_ref() == sh::VIOLATION)
            .count()
    }

    /// The report as a standard `sh:ValidationReport` graph (the report node and result nodes
    /// are fresh blank nodes).
    pub fn to_triples(&self) -> Vec<Triple> {
        let mut out = Vec::new();
        let report = BlankNode::default();
        out.push(Triple::new(
            report.clone(),
            rdf::TYPE,
            sh::VALIDATION_REPORT,
        ));
        out.push(Triple::new(
            report.clone(),
            sh::CONFORMS,
            Literal::from(self.conforms),
        ));
        for result in &self.results {
            let node = BlankNode::default();
            out.push(Triple::new(report.clone(), sh::RESULT, node.clone()));
            result.write_triples(&node, &mut out);
        }
        out
    }
}

impl ValidationResult {
    fn write_triples(&self, node: &BlankNode, out: &mut Vec<Triple>) {
        out.push(Triple::new(node.clone(), rdf::TYPE, sh::VALIDATION_RESULT));
        out.push(Triple::new(
            node.clone(),
            sh::FOCUS_NODE,
            self.focus_node.clone(),
        ));
        if let Some(path) = &self.result_path {
            let path_node = path.write_triples(out);
            out.push(Triple::new(node.clone(), sh::RESULT_PATH, path_node));
        }
        if let Some(value) = &self.value {
            out.push(Triple::new(node.clone(), sh::VALUE, value.clone()));
        }
        out.push(Triple::new(
            node.clone(),
            sh::SOURCE_CONSTRAINT_COMPONENT,
            self.source_constraint_component.clone(),
        ));
        out.push(Triple::new(
            node.clone(),
            sh::SOURCE_SHAPE,
            self.source_shape.clone(),
        ));
        out.push(Triple::new(
            node.clone(),
            sh::RESULT_SEVERITY,
            self.severity.clone(),
        ));
        for message in &self.messages {
            out.push(Triple::new(
                node.clone(),
                sh::RESULT_MESSAGE,
                message.clone(),
            ));
        }
        if let Some(constraint) = &self.source_constraint {
            out.push(Triple::new(
                node.clone(),
                sh::SOURCE_CONSTRAINT,
                constraint.clone(),
            ));
        }
    }
}
