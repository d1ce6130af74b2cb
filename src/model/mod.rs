//! Agora's domain model: vocabulary constants, the record boundary and graph naming.
//!
//! Nothing here does IO. [`Record`] is the unit of storage: one root resource with the
//! resources it owns, kept in its own named graph (see `ontology/README.md`).

mod canonical;
mod collection;
mod graphs;
mod record;
pub mod vocab;

pub use canonical::{canonical_hash, hex, CanonicalError};
pub use collection::Collection;
pub use graphs::{is_valid_holder, BaseIri, BaseIriError, GraphNames, HOLDER_RULE};
pub use record::{rename_blank_nodes, Record, RecordError, RecordKind};

/// Dutch month names, January first, for dates in titles and pages ("9 oktober 2026").
pub const DUTCH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// English month names, for dates and titles in English.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
