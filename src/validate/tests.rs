//! Unit tests of the SHACL engine; the W3C suite runs in `tests/shacl_w3c.rs`.

use std::error::Error;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Term, Triple};

use super::vocab::sh;
use super::{ContextGraph, DataGraph, Path, Shapes, ShapesError, ValidationReport};

type TestResult = Result<(), Box<dyn Error>>;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.com/> .
";

fn turtle(text: &str) -> Result<Vec<Triple>, Box<dyn Error>> {
    let text = format!("{PREFIXES}{text}");
    Ok(RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(text.as_bytes())
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()?)
}

fn shapes(text: &str) -> Result<Shapes, Box<dyn Error>> {
    Ok(Shapes::from_triples(&turtle(text)?)?)
}

fn ex(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("http://example.com/{local}"))
}

#[test]
fn a_missing_property_is_reported_with_path_and_component() -> TestResult {
    let shapes = shapes(
        "ex:S a sh:NodeShape ; sh:targetClass ex:Meeting ;
        sh:property [ sh:path ex:date ; sh:minCount 1 ; sh:datatype xsd:date ] .",
    )?;
    let report = shapes.validate_triples(&turtle(
        "ex:m1 a ex:Meeting . ex:m2 a ex:Meeting ; ex:date \"2024-01-01\"^^xsd:date .",
    )?)?;
    assert!(!report.conforms);
    assert_eq!(report.results.len(), 1);
    let result = &report.results[0];
    assert_eq!(result.focus_node, Term::from(ex("m1")));
    assert_eq!(result.result_path, Some(Path::Predicate(ex("date"))));
    assert_eq!(
        result.source_constraint_component.as_ref(),
        sh::MIN_COUNT_COMPONENT
    );
    assert_eq!(result.value, None);
    Ok(())
}

#[test]
fn the_report_graph_has_one_node_per_result() -> TestResult {
    let shapes = shapes("ex:S sh:targetNode ex:a ; sh:class ex:C ; sh:message \"needs C\"@en .")?;
    let report = shapes.validate_triples(&[])?;
    let triples = report.to_triples();
    let results = triples
        .iter()
        .filter(|t| t.predicate.as_ref() == sh::RESULT)
        .count();
    let messages = triples
        .iter()
        .filter(|t| t.predicate.as_ref() == sh::RESULT_MESSAGE)
        .count();
    assert_eq!((results, messages), (1, 1));
    Ok(())
}

#[test]
fn context_triples_are_seen_but_not_targeted() -> TestResult {
    let shapes = shapes(
        "ex:Decision a sh:NodeShape ; sh:targetClass ex:Decision ;
          sh:property [ sh:path ex:meeting ; sh:class ex:Meeting ] .
        ex:MeetingShape a sh:NodeShape ; sh:targetClass ex:Meeting ;
          sh:property [ sh:path ex:date ; sh:minCount 1 ] .",
    )?;
    let record = turtle("ex:d1 a ex:Decision ; ex:meeting ex:m1 .")?;
    // Without context the meeting's type is unknown.
    assert!(!shapes.validate_triples(&record)?.conforms);
    // The stored meeting (itself lacking a date) is context: seen, not validated.
    let mut data = DataGraph::from_triples(&record);
    data.add_context(&turtle("ex:m1 a ex:Meeting .")?);
    let report = shapes.validate(&data)?;
    assert!(report.conforms, "{report:?}");
    Ok(())
}

/// The results of a report in a stable order (their order follows index order, which differs
/// between a shared and a copied context).
fn sorted_results(report: &ValidationReport) -> Vec<String> {
    let mut results: Vec<String> = report.results.iter().map(|r| format!("{r:?}")).collect();
    results.sort();
    results
}

#[test]
fn a_shared_context_validates_exactly_like_added_context() -> TestResult {
    let shapes = shapes(
        "ex:Decision a sh:NodeShape ; sh:targetClass ex:Decision ;
          sh:property [ sh:path ex:meeting ; sh:class ex:Meeting ; sh:minCount 1 ] ;
          sh:property [ sh:path ( ex:meeting ex:date ) ; sh:minCount 1 ] .
        ex:MeetingShape a sh:NodeShape ; sh:targetClass ex:Meeting ;
          sh:property [ sh:path ex:date ; sh:minCount 1 ] .
        ex:Cited a sh:NodeShape ; sh:targetObjectsOf ex:cites ; sh:nodeKind sh:IRI .
        ex:Listed a sh:NodeShape ; sh:targetNode ex:m2 ; sh:class ex:Listed .
        ex:NoSelfCites a sh:NodeShape ; sh:targetSubjectsOf ex:cites ; sh:sparql [
          sh:select \"SELECT $this ?value WHERE { $this <http://example.com/cites> ?value . ?value a <http://example.com/Meeting> . FILTER NOT EXISTS { ?value <http://example.com/date> ?d } }\" ] .",
    )?;
    // Context: a meeting with a date, one without, a citation, a class hierarchy.
    let context = turtle(
        "ex:m1 a ex:Meeting ; ex:date \"2024-01-01\"^^xsd:date .
        ex:m2 a ex:Meeting .
        ex:old ex:cites _:b0 .
        ex:Special <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:Meeting .",
    )?;
    let shared = ContextGraph::new(&context);
    let records = [
        "ex:d1 a ex:Decision ; ex:meeting ex:m1 .",
        "ex:d2 a ex:Decision ; ex:meeting ex:m2 ; ex:cites ex:m2 , _:x .",
        "ex:d3 a ex:Decision ; ex:meeting ex:nowhere .",
        // States a context triple again: ex:m2 becomes a focus node of the record.
        "ex:m2 a ex:Meeting . ex:s1 a ex:Special . ex:d4 a ex:Decision ; ex:meeting ex:s1 .",
        "ex:old ex:cites _:b0 . ex:m2 ex:cites ex:m1 .",
        "",
    ];
    let mut results = Vec::new();
    for text in records {
        let record = turtle(text)?;
        let mut copied = DataGraph::from_triples(&record);
        copied.add_context(&context);
        let mut layered = DataGraph::with_context(&shared);
        layered.extend(&record);
        assert_eq!(copied.len(), layered.len(), "{text}");
        let mut copied_triples: Vec<String> = copied.triples().map(|t| t.to_string()).collect();
        let mut layered_triples: Vec<String> = layered.triples().map(|t| t.to_string()).collect();
        copied_triples.sort();
        layered_triples.sort();
        assert_eq!(copied_triples, layered_triples, "{text}");
        let expected = shapes.validate(&copied)?;
        let actual = shapes.validate(&layered)?;
        assert_eq!(expected.conforms, actual.conforms, "{text}");
        assert_eq!(sorted_results(&expected), sorted_results(&actual), "{text}");
        results.push(actual.results.len());
    }
    // Class, path, targets and SPARQL all see the context (and only the record is targeted).
    assert_eq!(results, [0, 4, 2, 4, 3, 0]);
    Ok(())
}

#[test]
fn unsupported_features_are_refused_at_load_time() -> TestResult {
    let refused = [
        "ex:S sh:targetNode ex:a ; sh:rule [ sh:subject sh:this ] .",
        "ex:S sh:target [ a ex:CustomTarget ] ; sh:class ex:C .",
        "ex:S sh:targetNode ex:a ; sh:sparql [ sh:select \"SELECT $this WHERE { MINUS { $this ?p ?o } }\" ] .",
        "ex:S sh:targetNode ex:a ; sh:pattern \"(a)\\\\1\" .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath ex:p ; sh:zeroOrMorePath ex:q ] ] .",
    ];
    for text in refused {
        match shapes(text) {
            Err(error) if error.downcast_ref::<ShapesError>().is_some() => {}
            Err(error) => return Err(error),
            Ok(_) => panic!("accepted: {text}"),
        }
    }
    Ok(())
}

#[test]
fn a_syntax_error_names_file_line_and_column() -> TestResult {
    let error = match Shapes::parse(
        b"@prefix ex: <http://example.com/> .\nex:a ex:b",
        RdfFormat::Turtle,
        "bad.ttl",
    ) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("parsed"),
    };
    assert!(error.starts_with("bad.ttl:2:"), "{error}");
    Ok(())
}

#[test]
fn sparql_constraints_see_the_focus_node() -> TestResult {
    let shapes = shapes("ex:S sh:targetClass ex:Report ; sh:sparql [
          sh:message \"report {$this} has no author\" ;
          sh:select \"SELECT $this WHERE { FILTER NOT EXISTS { $this <http://example.com/author> ?a } }\" ] .")?;
    let report = shapes.validate_triples(&turtle(
        "ex:r1 a ex:Report . ex:r2 a ex:Report ; ex:author ex:x .",
    )?)?;
    assert_eq!(report.results.len(), 1);
    assert_eq!(report.results[0].focus_node, Term::from(ex("r1")));
    assert_eq!(
        report.results[0].messages,
        vec![Term::from(oxigraph::model::Literal::new_simple_literal(
            "report http://example.com/r1 has no author"
        ))]
    );
    Ok(())
}

/// About 20 shapes of the kinds Agora's own shapes use.
fn typical_shapes() -> String {
    let mut text = String::new();
    for i in 0..20 {
        text.push_str(&format!(
            "ex:Shape{i} a sh:NodeShape ; sh:targetClass ex:Class{i} ; sh:closed false ;
               sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:minLength 3 ] ;
               sh:property [ sh:path ex:status ; sh:in ( ex:open ex:closed ) ] ;
               sh:property [ sh:path ex:opens ; sh:datatype xsd:date ; sh:lessThanOrEquals ex:closes ] ;
               sh:property [ sh:path ex:part ; sh:node ex:PartShape ] ;
               sh:property [ sh:path ( ex:part ex:label ) ; sh:languageIn ( \"nl\" \"en\" ) ] ;
               sh:property [ sh:path ex:label ; sh:uniqueLang true ] .\n"
        ));
    }
    text.push_str("ex:PartShape a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:pattern \"^[A-Z]\" ] .\n");
    text
}

/// A record of about 120 triples: one root of class 0 with 20 parts.
fn typical_record() -> String {
    let mut text = String::from(
        "ex:root a ex:Class0 ; ex:title \"Consultation\" ; ex:status ex:open ;
           ex:opens \"2024-01-01\"^^xsd:date ; ex:closes \"2024-02-01\"^^xsd:date .\n",
    );
    for i in 0..20 {
        text.push_str(&format!(
            "ex:root ex:part ex:part{i} . ex:part{i} a ex:Class{} ; ex:title \"Part {i}\" ;
               ex:label \"Deel {i}\"@nl, \"Part {i}\"@en ; ex:status ex:closed .\n",
            i % 20
        ));
    }
    text
}

#[test]
fn a_typical_record_validates_in_well_under_a_millisecond() -> TestResult {
    let shapes = shapes(&typical_shapes())?;
    let record = turtle(&typical_record())?;
    assert!(record.len() >= 100, "{}", record.len());
    let rounds = 50;
    let start = Instant::now();
    for _ in 0..rounds {
        let report = shapes.validate(&DataGraph::from_triples(&record))?;
        assert!(report.conforms, "{:?}", report.results.first());
    }
    let per_record = start.elapsed() / rounds;
    // The budget is 1 ms in an optimised build; unoptimised test builds are several times
    // slower, so the test only guards against gross regressions.
    let budget = if cfg!(debug_assertions) {
        Duration::from_millis(20)
    } else {
        Duration::from_millis(1)
    };
    assert!(per_record < budget, "{per_record:?} per record");
    Ok(())
}
