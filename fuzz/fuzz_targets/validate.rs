//! Fuzz target: the validator on a parsed graph, as a push runs it: a Turtle (or, by the first
//! byte, TriG: a batch) body parsed into records and each validated in context (the built-in
//! shapes, the code lists, the rest of the batch and the demo data in an in-memory store).

#![no_main]

use std::sync::OnceLock;

use agora::model::BaseIri;
use agora::push::Pusher;
use agora::store::Store;
use libfuzzer_sys::fuzz_target;
use oxigraph::io::RdfFormat;

fn pusher() -> &'static Pusher {
    static PUSHER: OnceLock<Pusher> = OnceLock::new();
    PUSHER.get_or_init(|| {
        let base = BaseIri::parse("https://agora.vlaanderen.be").expect("a valid base");
        let store = Store::in_memory(&base).expect("an in-memory store");
        agora::demo::load(&store, true).expect("the demo data loads");
        let shapes = agora::demo::shapes_in_context().expect("the shapes load");
        let reference = agora::demo::reference_triples().expect("the reference data loads");
        Pusher::new(store, shapes, reference)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let format = if selector % 2 == 0 {
        RdfFormat::Turtle
    } else {
        RdfFormat::TriG
    };
    let pusher = pusher();
    let Ok(records) = pusher.parse(body, format) else {
        return;
    };
    if let Ok(reports) = pusher.validate(&records) {
        for report in reports {
            let _ = report.report.to_triples();
        }
    }
});
