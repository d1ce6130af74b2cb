//! Fuzz target: an RDF body as the push path parses it (`ingest::parse_records`, then the
//! canonical hash every stored record gets). The first byte picks the format the way a
//! `Content-Type` would; the rest is the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};

const FORMATS: [RdfFormat; 7] = [
    RdfFormat::Turtle,
    RdfFormat::TriG,
    RdfFormat::NTriples,
    RdfFormat::NQuads,
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    },
    RdfFormat::RdfXml,
    RdfFormat::N3,
];

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(*selector) % FORMATS.len()];
    let Ok(records) = agora::ingest::parse_records(body, format, "fuzz") else {
        return;
    };
    for record in &records {
        let _ = agora::model::canonical_hash(record.triples());
    }
});
