//! Harvest feeds: what Agora publishes for other systems to copy and follow.
//!
//! - [`ldes`]: one Linked Data Event Stream (LDES 1.0, TREE) per [`Collection`], built from the
//!   store's event log; pages hold a fixed number of events, so full pages never change.
//! - [`atom`]: Atom feeds of consultations and decisions for simple sites.
//! - [`catalog`]: the DCAT-AP catalogue of datasets, distributions and the SPARQL service.
//! - [`dump`]: gzip-compressed dumps of the published data with size, date and SHA-256.
//! - [`themis`]: a DCAT dataset per meeting publication and the JSON:API Themis harvesters read.
//!
//! The feeds are built as RDF quads here; `web` serialises them and sets the caching headers.
//! Nothing here knows HTTP.
//!
//! [`Collection`]: crate::model::Collection

pub mod atom;
pub mod catalog;
pub mod dump;
pub mod ldes;
pub mod themis;
pub mod vocab;
