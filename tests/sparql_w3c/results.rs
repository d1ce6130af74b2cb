//! Query answers (expected and received) and their structural comparison: solutions as
//! multisets (sequences under `ORDER BY`) with blank nodes matched by one bijection across the
//! whole answer, graphs by isomorphism. Numeric and boolean literals are compared by value
//! (`"3.0E4"^^xsd:double` is `"30000"^^xsd:double`), as Oxigraph's own harness does: the
//! lexical form a serialiser picks is not what the tests are about.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNode, Graph as RdfGraph, Literal, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};

use super::manifest::{parse_rdf, Graph, TestResult, RS};

/// One solution: its bindings, sorted by variable name.
pub type Solution = Vec<(String, Term)>;

/// What a query answered.
#[derive(Debug)]
pub enum Answer {
    Boolean(bool),
    Solutions {
        variables: BTreeSet<String>,
        solutions: Vec<Solution>,
    },
    Graph(Vec<Triple>),
}

/// The format of a response or results file, by what its bytes are.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
}

pub const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

impl Answer {
    /// Reads the expected answer of a test from its results file.
    pub fn from_file(path: &Path) -> TestResult<Self> {
        let results = |format| -> TestResult<Self> {
            let data = std::fs::read(path)?;
            Self::parse(&data, Format::Results(format), None)
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("srx") => results(QueryResultsFormat::Xml),
            Some("srj") => results(QueryResultsFormat::Json),
            Some("tsv") => results(QueryResultsFormat::Tsv),
            _ => Ok(Self::from_triples(parse_rdf(path)?)),
        }
    }

    /// Parses an answer. `base` resolves relative IRIs in RDF.
    pub fn parse(data: &[u8], format: Format, base: Option<&str>) -> TestResult<Self> {
        match format {
            Format::Results(format) => {
                match QueryResultsParser::from_format(format).for_slice(data)? {
                    SliceQueryResultsParserOutput::Boolean(value) => Ok(Self::Boolean(value)),
                    SliceQueryResultsParserOutput::Solutions(parser) => {
                        let variables = parser
                            .variables()
                            .iter()
                            .map(|v| v.as_str().to_owned())
                            .collect();
                        let mut solutions = Vec::new();
                        for solution in parser {
                            let mut bindings: Solution = solution?
                                .iter()
                                .map(|(v, t)| (v.as_str().to_owned(), normalise(t.clone())))
                                .collect();
                            bindings.sort_by(|a, b| a.0.cmp(&b.0));
                            solutions.push(bindings);
                        }
                        Ok(Self::Solutions {
                            variables,
                            solutions,
                        })
                    }
                }
            }
            Format::Rdf(format) => {
                let mut parser = RdfParser::from_format(format);
                if let Some(base) = base {
                    parser = parser.with_base_iri(base)?;
                }
                let triples = parser
                    .for_slice(data)
                    .map(|quad| quad.map(|quad| normalise_triple(quad.into())))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::Graph(triples))
            }
        }
    }

    /// A graph, or the result set it encodes in the `rs:` vocabulary.
    fn from_triples(triples: Vec<Triple>) -> Self {
        let graph = Graph::new(triples.into_iter().map(normalise_triple).collect());
        let Some(set) = graph.subjects_of_type(&format!("{RS}ResultSet")).pop() else {
            return Self::Graph(graph.triples);
        };
        if let Some(Term::Literal(value)) = graph.object(&set, &format!("{RS}boolean")) {
            return Self::Boolean(value.value() == "true");
        }
        let variables = graph
            .objects(&set, &format!("{RS}resultVariable"))
            .filter_map(|v| match v {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        let mut indexed: Vec<(Option<i64>, Solution)> = graph
            .objects(&set, &format!("{RS}solution"))
            .map(|solution| {
                let index = graph
                    .literal(solution, &format!("{RS}index"))
                    .and_then(|i| i.parse().ok());
                let mut bindings: Solution = graph
                    .objects(solution, &format!("{RS}binding"))
                    .filter_map(|binding| {
                        let variable = graph.literal(binding, &format!("{RS}variable"))?;
                        let value = graph.object(binding, &format!("{RS}value"))?;
                        Some((variable.to_owned(), value.clone()))
                    })
                    .collect();
                bindings.sort_by(|a, b| a.0.cmp(&b.0));
                (index, bindings)
            })
            .collect();
        indexed.sort_by_key(|(index, _)| *index);
        Self::Solutions {
            variables,
            solutions: indexed.into_iter().map(|(_, s)| s).collect(),
        }
    }
}

/// A numeric or boolean literal in the lexical form of its value; any other term as it is.
fn normalise(term: Term) -> Term {
    let Term::Literal(literal) = &term else {
        return term;
    };
    let value = literal.value();
    let datatype = literal.datatype();
    let canonical = if datatype == xsd::INTEGER {
        value
            .parse::<oxsdatatypes::Integer>()
            .ok()
            .map(|v| v.to_string())
    } else if datatype == xsd::DECIMAL {
        value
            .parse::<oxsdatatypes::Decimal>()
            .ok()
            .map(|v| v.to_string())
    } else if datatype == xsd::DOUBLE {
        value
            .parse::<oxsdatatypes::Double>()
            .ok()
            .map(|v| v.to_string())
    } else if datatype == xsd::FLOAT {
        value
            .parse::<oxsdatatypes::Float>()
            .ok()
            .map(|v| v.to_string())
    } else if datatype == xsd::BOOLEAN {
        value
            .parse::<oxsdatatypes::Boolean>()
            .ok()
            .map(|v| v.to_string())
    } else {
        None
    };
    match canonical {
        Some(canonical) => Literal::new_typed_literal(canonical, datatype).into(),
        None => term,
    }
}

fn normalise_triple(triple: Triple) -> Triple {
    Triple {
        object: normalise(triple.object),
        ..triple
    }
}

/// Why `actual` is not `expected`, or `None` when they agree. Solutions are compared as
/// sequences when `ordered`, else as multisets.
pub fn difference(expected: &Answer, actual: &Answer, ordered: bool) -> Option<String> {
    match (expected, actual) {
        (Answer::Boolean(e), Answer::Boolean(a)) => (e != a).then(|| format!("{a}, expected {e}")),
        (
            Answer::Solutions {
                variables: ev,
                solutions: es,
            },
            Answer::Solutions {
                variables: av,
                solutions: as_,
            },
        ) => {
            if ev != av {
                return Some(format!("variables {av:?}, expected {ev:?}"));
            }
            if es.len() != as_.len() {
                return Some(format!(
                    "{} solutions, expected {}:\n        actual:   {}\n        expected: {}",
                    as_.len(),
                    es.len(),
                    show(as_),
                    show(es)
                ));
            }
            let matched = if ordered {
                match_in_order(es, as_)
            } else {
                match_multisets(es, as_)
            };
            (!matched).then(|| {
                let how = if ordered && match_multisets(es, as_) {
                    "the same solutions in another order"
                } else {
                    "other solutions"
                };
                format!(
                    "{how}:\n        actual:   {}\n        expected: {}",
                    show(as_),
                    show(es)
                )
            })
        }
        (Answer::Graph(e), Answer::Graph(a)) => {
            let canonical = |triples: &[Triple]| {
                let mut graph: RdfGraph = triples.iter().collect();
                graph.canonicalize(CanonicalizationAlgorithm::Unstable);
                graph
            };
            (canonical(e) != canonical(a)).then(|| {
                format!(
                    "graph not isomorphic:\n        actual:   {}\n        expected: {}",
                    show_triples(a),
                    show_triples(e)
                )
            })
        }
        _ => Some(format!("answer {actual:?}, expected {expected:?}")),
    }
}

fn show(solutions: &[Solution]) -> String {
    const SHOWN: usize = 8;
    let mut text: Vec<String> = solutions
        .iter()
        .take(SHOWN)
        .map(|s| {
            let bindings: Vec<String> = s.iter().map(|(v, t)| format!("?{v}={t}")).collect();
            format!("{{{}}}", bindings.join(" "))
        })
        .collect();
    if solutions.len() > SHOWN {
        text.push(format!("… {} more", solutions.len() - SHOWN));
    }
    text.join(" ")
}

fn show_triples(triples: &[Triple]) -> String {
    let mut text: Vec<String> = triples.iter().take(8).map(ToString::to_string).collect();
    if triples.len() > 8 {
        text.push(format!("… {} more", triples.len() - 8));
    }
    text.join(" . ")
}

/// A one-to-one mapping between the blank nodes of the expected and the actual answer.
#[derive(Clone, Default)]
struct Bijection {
    forward: HashMap<BlankNode, BlankNode>,
    backward: HashMap<BlankNode, BlankNode>,
}

impl Bijection {
    /// Extends the mapping so that `expected` matches `actual`; `None` if it cannot.
    fn extend(&self, expected: &Solution, actual: &Solution) -> Option<Self> {
        if expected.len() != actual.len() {
            return None;
        }
        let mut next = self.clone();
        for ((ev, et), (av, at)) in expected.iter().zip(actual) {
            if ev != av {
                return None;
            }
            match (et, at) {
                (Term::BlankNode(e), Term::BlankNode(a)) => {
                    match (next.forward.get(e), next.backward.get(a)) {
                        (None, None) => {
                            next.forward.insert(e.clone(), a.clone());
                            next.backward.insert(a.clone(), e.clone());
                        }
                        (Some(mapped), Some(_)) if mapped == a => {}
                        _ => return None,
                    }
                }
                (e, a) if e == a => {}
                _ => return None,
            }
        }
        Some(next)
    }
}

/// A solution with its blank nodes blanked out: equal keys are necessary for a match.
fn shape(solution: &Solution) -> String {
    solution
        .iter()
        .map(|(v, t)| match t {
            Term::BlankNode(_) => format!("?{v}=_"),
            t => format!("?{v}={t}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn match_in_order(expected: &[Solution], actual: &[Solution]) -> bool {
    let mut bijection = Bijection::default();
    for (e, a) in expected.iter().zip(actual) {
        match bijection.extend(e, a) {
            Some(next) => bijection = next,
            None => return false,
        }
    }
    true
}

fn match_multisets(expected: &[Solution], actual: &[Solution]) -> bool {
    let mut shapes_e: Vec<String> = expected.iter().map(shape).collect();
    let mut shapes_a: Vec<String> = actual.iter().map(shape).collect();
    shapes_e.sort();
    shapes_a.sort();
    if shapes_e != shapes_a {
        return false;
    }
    let has_blank = |s: &Solution| s.iter().any(|(_, t)| matches!(t, Term::BlankNode(_)));
    if !expected.iter().any(has_blank) {
        return true;
    }
    let mut used = vec![false; actual.len()];
    search(expected, actual, &mut used, &Bijection::default())
}

/// Backtracking search for a pairing of solutions under one blank-node bijection.
fn search(expected: &[Solution], actual: &[Solution], used: &mut [bool], map: &Bijection) -> bool {
    let Some((first, rest)) = expected.split_first() else {
        return true;
    };
    for index in 0..actual.len() {
        if used[index] {
            continue;
        }
        if let Some(next) = map.extend(first, &actual[index]) {
            used[index] = true;
            if search(rest, actual, used, &next) {
                return true;
            }
            used[index] = false;
        }
    }
    false
}
