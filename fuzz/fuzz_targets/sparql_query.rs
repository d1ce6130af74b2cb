//! Fuzz target: SPARQL query text as the endpoint reads it (protocol parameters, parse with the
//! endpoint's base IRI, the algebra walk that decides which graphs a query may see, the result
//! formats of its form).

#![no_main]

use std::sync::OnceLock;

use agora::model::BaseIri;
use agora::sparql::ProtocolRequest;
use libfuzzer_sys::fuzz_target;

/// The endpoint's parser, built once as `AppState` builds it.
fn parser() -> &'static spargebra::SparqlParser {
    static PARSER: OnceLock<spargebra::SparqlParser> = OnceLock::new();
    PARSER.get_or_init(|| {
        let base = BaseIri::parse("https://agora.vlaanderen.be").expect("a valid base");
        agora::sparql::endpoint_parser(&base)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As a `query` parameter and, split at the first newline, with a graph parameter.
    let (query, graph) = text.split_once('\n').unwrap_or((text, ""));
    let parameters = vec![
        ("query".to_owned(), query.to_owned()),
        ("named-graph-uri".to_owned(), graph.to_owned()),
    ];
    let _ = ProtocolRequest::from_parameters(&parameters, None);
    let Ok(request) = ProtocolRequest::from_parameters(&parameters[..1], None) else {
        return;
    };
    let Ok(mut parsed) = request.parse(parser()) else {
        return;
    };
    let _ = agora::sparql::uses_named_graphs(&parsed);
    let _ = agora::sparql::offers(&parsed);
    let value = oxigraph::model::NamedNode::new_unchecked("https://example.org/x");
    let _ = agora::sparql::parameters::bind(&mut parsed, &[("s", value.into())]);
    let _ = agora::sparql::parameters::project(&mut parsed, "s");
    let _ = parsed.to_string();
});
