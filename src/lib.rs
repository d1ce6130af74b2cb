//! Agora: a linked-data registry of government decisions and public participation.
//!
//! Records (meetings, consultations, reports, proposals, ...) are RDF under the Flemish
//! besluitvorming model plus Agora's participation extension. Each record lives in its own
//! named graph of an Oxigraph store; a materialised default graph holds the published data.
//!
//! Modules, in reading order:
//!
//! - [`model`]: vocabulary constants and the record boundary (which triples form one record). No IO.
//! - [`ingest`]: parses RDF files and bodies into [`model::Record`]s, normalising namespaces.
//! - [`store`]: the only module that touches Oxigraph's store; record graphs, the public default
//!   graph, reference data, query evaluation.
//! - [`sparql`]: the SPARQL protocol without HTTP: request parameters, result formats, negotiation.
//! - [`validate`]: the SHACL engine (Core and SPARQL): shapes in, validation reports out. No IO.
//! - [`search`]: the full-text index (tantivy) of the published data, derived from the store.
//! - [`push`]: a write as the push API sees it: parse, validate in context, write. No HTTP.
//! - [`kaleidos`]: consumes the Kaleidos publication producer (delta files) through `push`.
//! - [`auth`]: write tokens, kept hashed, each naming its holder; the keyring a server reloads.
//! - [`metrics`]: the Prometheus counters and histogram, rendered as text. No IO.
//! - [`backup`]: backups of a live store (checkpoint, token file, manifest) and restores.
//! - [`check`]: the integrity check of a data folder (`agora check`).
//! - [`demo`]: the demo data and reference code lists embedded in the binary.
//! - [`generate`]: deterministic synthetic data sets for benchmarks and tests.
//! - [`web`]: the HTTP surface (axum): router, handlers, errors, templates.
//! - [`app`]: binds the listener and runs the server until shutdown.
//! - [`config`], [`cli`], [`telemetry`]: the edges: command line, subcommands, logging.

pub mod app;
pub mod auth;
pub mod backup;
pub mod check;
pub mod cli;
pub mod config;
pub mod demo;
pub mod feed;
pub mod generate;
pub mod harvest;
pub mod ingest;
pub mod kaleidos;
pub mod metrics;
pub mod model;
pub mod push;
pub mod search;
pub mod sparql;
pub mod store;
pub mod telemetry;
pub mod validate;
pub mod web;
