//! Fuzz target: a Kaleidos delta file (JSON change sets) as the consumer parses it.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(triples) = agora::kaleidos::delta::parse(data) {
        let _ = agora::kaleidos::delta::to_delta(&triples);
    }
});
