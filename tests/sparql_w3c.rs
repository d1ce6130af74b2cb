//! The W3C SPARQL 1.1 test suites replayed over HTTP against a real Agora, read from
//! `AGORA_CONFORMANCE_DIR` (default `../shared/conformance` next to the package), never copied
//! into the repository.
//!
//! - `protocol`: the 34 SPARQL 1.1 Protocol tests, request by request, as the manifest encodes
//!   them (method, path, headers, body; expected status class, result kind, boolean). The
//!   endpoint is read-only, so the update-side tests must get the refusal it is designed to give.
//! - `query`: the 225 query-evaluation tests of the SPARQL 1.1 query manifests, each test's data
//!   loaded as named graphs and the query sent with `default-graph-uri`/`named-graph-uri`, its
//!   answer fetched in every result format and compared structurally with the expected one.
//!
//! Each prints a `W3C ` line with its counts and every failure with its reason.

mod manifest;
mod protocol;
mod query;
mod results;
