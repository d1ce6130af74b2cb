//! Kaleidos compatibility: consuming the publication chain that Kaleidos feeds today.
//!
//! Kaleidos writes one publication per meeting; the publication producer lists them as delta
//! files (`GET /publications?since=`, each downloaded at `/files/{id}/download`). Agora reads
//! them in order ([`consumer::Consumer`]), parses the delta format ([`delta`]), maps each
//! publication to a meeting record or an unpublish ([`mapping`], every rule documented there),
//! and writes through [`crate::push::Pusher`], so validation, versions, the event log and the
//! search index behave as for any push: a republication is the meeting's next version, an
//! unpublish withdraws it. A file that fails is quarantined, not fatal.
//!
//! The other half, serving Themis' harvesters a DCAT dataset per meeting publication, is
//! `feed::themis` (derived from the event log).

pub mod consumer;
pub mod delta;
pub mod mapping;

/// The folder, inside a data folder, that holds the consumer's state and quarantine.
pub const FOLDER: &str = "kaleidos";
