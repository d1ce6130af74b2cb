//! Record writes with holders, versions, embargo and withdrawal.
//!
//! What the system graph says about a record graph `G` (see [`RecordState`]): its root, kind,
//! holder, the number and hash of its latest version, the version the public sees, the version
//! waiting for its publication time, and whether it was withdrawn. Per version `V`
//! (`{base}/id/versie/{id}/{n}`) it keeps the hash, the time, the holder and the planned
//! publication time; each write adds a `prov:Activity` (who, when, which record, the hash, the
//! outcome): the write log.
//!
//! What the public sees:
//!
//! - the record graph holds the released version, and so does the default graph;
//! - the history graph (public, so also in the default graph) describes every released version
//!   as a `prov:Entity` and a withdrawn root as an `as:Tombstone`;
//! - superseded and pending versions live in private version graphs.
//!
//! Every function here runs inside the caller's transaction, under `Store::write_lock`.

use std::collections::{BTreeSet, HashSet};

use super::backend::{Read, Tx};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};
use oxsdatatypes::DateTime;
use uuid::Uuid;

use super::events::{self, EventKind};
use super::{replace_graph, PutOutcome, StoreError};
use crate::model::{canonical_hash, vocab, CanonicalError, GraphNames, Record};

/// A record ready to be written: its canonical hash and planned publication time computed.
#[derive(Debug, Clone)]
pub struct RecordWrite {
    record: Record,
    hash: String,
    publish_at: Option<DateTime>,
}

/// Why a record cannot be prepared for writing.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// RDFC-1.0 gave up.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// The root's `dct:available` is not a usable time.
    #[error(
        "the planned publication time of <{root}> (dct:available {value}) {reason}; \
         write it as an xsd:dateTime with a time zone, such as \
         \"2026-11-24T14:00:00+01:00\"^^xsd:dateTime"
    )]
    PublicationTime {
        /// The record root.
        root: String,
        /// The value found.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl RecordWrite {
    /// Hashes the record and reads its planned publication time (`dct:available` on the root).
    pub fn prepare(record: Record) -> Result<Self, PrepareError> {
        let hash = canonical_hash(record.triples())?;
        // After the hash (which does not depend on the labels): stored records never share one.
        let record = record.with_fresh_blank_nodes();
        let mut publish_at = None;
        for triple in record.triples() {
            let on_root = matches!(&triple.subject, NamedOrBlankNode::NamedNode(node) if node.as_ref() == record.root());
            if !on_root || triple.predicate != vocab::DCT_AVAILABLE {
                continue;
            }
            let error = |reason| PrepareError::PublicationTime {
                root: record.root().as_str().to_owned(),
                value: triple.object.to_string(),
                reason,
            };
            let Term::Literal(literal) = &triple.object else {
                return Err(error("is not a literal"));
            };
            if literal.datatype() != oxigraph::model::vocab::xsd::DATE_TIME {
                return Err(error("is not an xsd:dateTime"));
            }
            let time: DateTime = literal
                .value()
                .parse()
                .map_err(|_| error("is not a valid xsd:dateTime"))?;
            if time.timezone_offset().is_none() {
                return Err(error("has no time zone"));
            }
            if publish_at.replace(time).is_some() {
                return Err(error("is given more than once"));
            }
        }
        Ok(Self {
            record,
            hash,
            publish_at,
        })
    }

    /// The record.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The lowercase hex SHA-256 of the record's RDFC-1.0 canonical form.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The planned publication time, if the record has one.
    pub fn publish_at(&self) -> Option<DateTime> {
        self.publish_at
    }
}

/// A condition on the current version of the record a single write targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precondition {
    /// No condition.
    #[default]
    None,
    /// `If-Match`: the latest version must be this one.
    LatestVersion(u64),
    /// `If-None-Match: *`: the record must not exist (or be withdrawn).
    Absent,
}

/// What a write did to one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteReceipt {
    /// The record's root.
    pub root: NamedNode,
    /// The record's identifier.
    pub id: Uuid,
    /// Created, replaced or unchanged.
    pub outcome: PutOutcome,
    /// The latest version after the write.
    pub version: u64,
    /// The canonical hash of that version.
    pub hash: String,
    /// When the version becomes public, if that is in the future (embargo).
    pub publish_at: Option<DateTime>,
}

/// Why a write or withdrawal was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The record belongs to another holder.
    #[error("the record <{root}> belongs to {holder}; only its holder can change or withdraw it")]
    NotOwner {
        /// The record root.
        root: String,
        /// Its holder.
        holder: String,
    },
    /// The record describes a resource that another holder's record (or the reference data)
    /// describes.
    #[error(
        "the record <{root}> makes statements about <{subject}>, which {owner}; a record may only \
         describe its own resources (refer to others by IRI without describing them)"
    )]
    Claimed {
        /// The record being written.
        root: String,
        /// The subject it may not describe.
        subject: String,
        /// Who owns the subject, in words.
        owner: String,
    },
    /// `If-Match` or `If-None-Match` did not hold.
    #[error("precondition failed for <{root}>: {message}")]
    Precondition {
        /// The record root.
        root: String,
        /// What the condition was and what the record is.
        message: String,
        /// The latest version, when there is one.
        current: Option<u64>,
    },
    /// No such record (withdrawal).
    #[error("no record <{root}> is stored")]
    NotFound {
        /// The record root.
        root: String,
    },
    /// The record was already withdrawn (withdrawal).
    #[error("the record <{root}> was already withdrawn")]
    AlreadyWithdrawn {
        /// The record root.
        root: String,
    },
    /// A batch names the same record twice.
    #[error("the batch holds the record <{root}> twice; send each record once")]
    Duplicate {
        /// The record root.
        root: String,
    },
    /// The record cannot be hashed or has a bad publication time.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<oxigraph::store::StorageError> for WriteError {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Self::Store(error.into())
    }
}

/// What the system graph knows about one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordState {
    /// The root resource.
    pub root: NamedNode,
    /// The record's identifier.
    pub id: Uuid,
    /// The class of the root.
    pub class: NamedNode,
    /// The holder that created the record (`None` for records from before holders existed).
    pub holder: Option<String>,
    /// The latest accepted version (released or pending).
    pub latest: u64,
    /// The canonical hash of the latest version.
    pub latest_hash: Option<String>,
    /// The version the public sees, if any.
    pub released: Option<u64>,
    /// The version waiting for its publication time, if any.
    pub pending: Option<u64>,
    /// When the pending version is released.
    pub publish_at: Option<DateTime>,
    /// When the record was withdrawn, if it was.
    pub withdrawn: Option<DateTime>,
}

/// One version of a record, as the system graph records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The version number, from 1.
    pub number: u64,
    /// The version's IRI.
    pub iri: NamedNode,
    /// The canonical hash.
    pub hash: String,
    /// When it was accepted.
    pub accepted: DateTime,
    /// Who pushed it.
    pub holder: String,
    /// Its planned publication time, if it had one.
    pub publish_at: Option<DateTime>,
    /// Whether it was ever public (a version superseded while embargoed never was).
    pub released: bool,
}

fn integer(value: u64) -> Literal {
    Literal::from(i64::try_from(value).unwrap_or(i64::MAX))
}

fn as_u64(term: &Term) -> Option<u64> {
    match term {
        Term::Literal(literal) => literal.value().parse().ok(),
        _ => None,
    }
}

fn as_time(term: &Term) -> Option<DateTime> {
    match term {
        Term::Literal(literal) => literal.value().parse().ok(),
        _ => None,
    }
}

fn as_text(term: &Term) -> Option<String> {
    match term {
        Term::Literal(literal) => Some(literal.value().to_owned()),
        _ => None,
    }
}

/// Reads the state of record graph `graph`, if it is known.
pub(super) fn read_state(
    transaction: &impl Read,
    names: &GraphNames,
    graph: NamedNodeRef<'_>,
) -> Result<Option<RecordState>, StoreError> {
    let mut root = None;
    let mut class = None;
    let mut holder = None;
    let mut latest = None;
    let mut latest_hash = None;
    let mut released = None;
    let mut pending = None;
    let mut publish_at = None;
    let mut withdrawn = None;
    for quad in
        transaction.quads_for_pattern(Some(graph.into()), None, None, Some(names.system().into()))
    {
        let quad = quad?;
        let predicate = quad.predicate.as_ref();
        let object = &quad.object;
        if predicate == vocab::FOAF_PRIMARY_TOPIC {
            if let Term::NamedNode(node) = object {
                root = Some(node.clone());
            }
        } else if predicate == vocab::DCT_TYPE {
            if let Term::NamedNode(node) = object {
                class = Some(node.clone());
            }
        } else if predicate == vocab::AGORA_HOLDER {
            holder = as_text(object);
        } else if predicate == vocab::AGORA_LATEST_VERSION {
            latest = as_u64(object);
        } else if predicate == vocab::AGORA_CANONICAL_HASH {
            latest_hash = as_text(object);
        } else if predicate == vocab::AGORA_RELEASED_VERSION {
            released = as_u64(object);
        } else if predicate == vocab::AGORA_PENDING_VERSION {
            pending = as_u64(object);
        } else if predicate == vocab::AGORA_PUBLISH_AT {
            publish_at = as_time(object);
        } else if predicate == vocab::AGORA_WITHDRAWN {
            withdrawn = as_time(object);
        }
    }
    let (Some(root), Some(class)) = (root, class) else {
        return Ok(None);
    };
    let id = GraphNames::record_id(root.as_ref());
    Ok(Some(RecordState {
        // Records loaded before versions existed have version 1, released.
        latest: latest.unwrap_or(1),
        released: if latest.is_none() { Some(1) } else { released },
        root,
        id,
        class,
        holder,
        latest_hash,
        pending,
        publish_at,
        withdrawn,
    }))
}

/// Replaces what the system graph says about record graph `graph` with `state`.
pub(super) fn write_state(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    graph: NamedNodeRef<'_>,
    state: &RecordState,
    now: &Literal,
) -> Result<(), StoreError> {
    let system = names.system();
    let old: Vec<Quad> = transaction
        .quads_for_pattern(Some(graph.into()), None, None, Some(system.into()))
        .collect::<Result<_, _>>()?;
    for quad in &old {
        transaction.remove(quad);
    }
    let mut insert = |predicate: NamedNodeRef<'_>, object: Term| {
        transaction.insert(oxigraph::model::QuadRef::new(
            graph,
            predicate,
            object.as_ref(),
            system,
        ));
    };
    insert(vocab::FOAF_PRIMARY_TOPIC, state.root.clone().into());
    insert(vocab::DCT_TYPE, state.class.clone().into());
    insert(vocab::DCT_MODIFIED, now.clone().into());
    insert(vocab::AGORA_LATEST_VERSION, integer(state.latest).into());
    if let Some(holder) = &state.holder {
        insert(
            vocab::AGORA_HOLDER,
            Literal::new_simple_literal(holder).into(),
        );
    }
    if let Some(hash) = &state.latest_hash {
        insert(
            vocab::AGORA_CANONICAL_HASH,
            Literal::new_simple_literal(hash).into(),
        );
    }
    if let Some(released) = state.released {
        insert(vocab::AGORA_RELEASED_VERSION, integer(released).into());
    }
    if let Some(pending) = state.pending {
        insert(vocab::AGORA_PENDING_VERSION, integer(pending).into());
    }
    if let Some(time) = state.publish_at {
        insert(vocab::AGORA_PUBLISH_AT, Literal::from(time).into());
    }
    if let Some(time) = state.withdrawn {
        insert(vocab::AGORA_WITHDRAWN, Literal::from(time).into());
    }
    Ok(())
}

/// Writes one prepared record for `holder`. The caller holds the write lock and commits.
pub(super) fn write_record(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    holder: &str,
    write: &RecordWrite,
    precondition: Precondition,
    now: DateTime,
) -> Result<WriteReceipt, WriteError> {
    let record = &write.record;
    let root = record.root();
    let id = GraphNames::record_id(root);
    let graph = names.record_graph_of(id);
    let state = read_state(transaction, names, graph.as_ref())?;
    if let Some(state) = &state {
        if let Some(owner) = &state.holder {
            if owner != holder {
                return Err(WriteError::NotOwner {
                    root: root.as_str().to_owned(),
                    holder: owner.clone(),
                });
            }
        }
    }
    let live = state.as_ref().filter(|state| state.withdrawn.is_none());
    match precondition {
        Precondition::None => {}
        Precondition::LatestVersion(expected) => {
            if live.map(|state| state.latest) != Some(expected) {
                return Err(WriteError::Precondition {
                    root: root.as_str().to_owned(),
                    message: match live {
                        Some(state) => format!(
                            "If-Match names version {expected}, but the latest version is {}; \
                             fetch it, apply your change again and resend",
                            state.latest
                        ),
                        None => format!(
                            "If-Match names version {expected}, but the record does not exist"
                        ),
                    },
                    current: live.map(|state| state.latest),
                });
            }
        }
        Precondition::Absent => {
            if let Some(state) = live {
                return Err(WriteError::Precondition {
                    root: root.as_str().to_owned(),
                    message: format!(
                        "If-None-Match: * asks to create the record, but it exists (version {})",
                        state.latest
                    ),
                    current: Some(state.latest),
                });
            }
        }
    }
    check_claims(transaction, names, holder, write, graph.as_ref())?;
    let agent = names.agent_iri(holder);
    let now_literal = Literal::from(now);
    if let Some(state) = live {
        if state.latest_hash.as_deref() == Some(write.hash()) {
            log_write(
                transaction,
                names,
                &agent,
                root,
                None,
                write.hash(),
                "unchanged",
                &now_literal,
            );
            return Ok(WriteReceipt {
                root: root.into_owned(),
                id,
                outcome: PutOutcome::Unchanged,
                version: state.latest,
                hash: write.hash().to_owned(),
                publish_at: state.pending.and(state.publish_at),
            });
        }
    }
    let mut state = state.unwrap_or_else(|| RecordState {
        root: root.into_owned(),
        id,
        class: record.kind().class().into_owned(),
        holder: Some(holder.to_owned()),
        latest: 0,
        latest_hash: None,
        released: None,
        pending: None,
        publish_at: None,
        withdrawn: None,
    });
    let outcome =
        if state.released.is_some() && state.withdrawn.is_none() || state.pending.is_some() {
            PutOutcome::Replaced
        } else {
            PutOutcome::Created
        };
    let number = state.latest + 1;
    let version = names.version_iri(id, number);
    // The private description of every version.
    let system = names.system();
    for (predicate, object) in [
        (vocab::PROV_SPECIALIZATION_OF, Term::from(root.into_owned())),
        (vocab::OWL_VERSION_INFO, integer(number).into()),
        (
            vocab::AGORA_CANONICAL_HASH,
            Literal::new_simple_literal(write.hash()).into(),
        ),
        (vocab::PROV_GENERATED_AT_TIME, now_literal.clone().into()),
        (vocab::PROV_WAS_ATTRIBUTED_TO, agent.clone().into()),
    ] {
        transaction.insert(oxigraph::model::QuadRef::new(
            &version,
            predicate,
            object.as_ref(),
            system,
        ));
    }
    // The class decides the collection of the event a release logs.
    state.class = record.kind().class().into_owned();
    let embargoed = write.publish_at.filter(|time| *time > now);
    if let Some(time) = embargoed {
        transaction.insert(oxigraph::model::QuadRef::new(
            &version,
            vocab::AGORA_PUBLISH_AT,
            Literal::from(time).as_ref(),
            system,
        ));
        let pending_graph = names.version_graph(id, number);
        for triple in record.triples() {
            transaction.insert(triple.as_ref().in_graph(&pending_graph));
        }
        state.pending = Some(number);
        state.publish_at = Some(time);
    } else {
        release(
            transaction,
            names,
            &mut state,
            number,
            record.triples(),
            now,
        )?;
    }
    state.latest = number;
    state.latest_hash = Some(write.hash().to_owned());
    if state.holder.is_none() {
        state.holder = Some(holder.to_owned());
    }
    write_state(transaction, names, graph.as_ref(), &state, &now_literal)?;
    log_write(
        transaction,
        names,
        &agent,
        root,
        Some(&version),
        write.hash(),
        match outcome {
            PutOutcome::Created => "created",
            _ => "replaced",
        },
        &now_literal,
    );
    Ok(WriteReceipt {
        root: root.into_owned(),
        id,
        outcome,
        version: number,
        hash: write.hash().to_owned(),
        publish_at: embargoed,
    })
}

/// Makes version `number` (content `triples`) the one the public sees: the previously released
/// content moves to its version graph, the record graph and the default graph follow, and the
/// history graph gains the version's provenance, and the event log a create or update. A pending
/// version that was not released is dropped from the schedule (its content stays in its private
/// version graph).
fn release(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    state: &mut RecordState,
    number: u64,
    triples: &[Triple],
    at: DateTime,
) -> Result<(), StoreError> {
    let now = &Literal::from(at);
    let kind = if state.released.is_some() && state.withdrawn.is_none() {
        EventKind::Update
    } else {
        EventKind::Create
    };
    let graph = names.record_graph_of(state.id);
    if let Some(previous) = state.released.filter(|_| state.withdrawn.is_none()) {
        snapshot(
            transaction,
            &graph,
            &names.version_graph(state.id, previous),
        )?;
    }
    replace_graph(transaction, names, graph.as_ref(), triples)?;
    if state.withdrawn.take().is_some() {
        set_tombstone(transaction, names, state, None)?;
    }
    let version = names.version_iri(state.id, number);
    let system = names.system();
    let private: Vec<Quad> = transaction
        .quads_for_pattern(
            Some(version.as_ref().into()),
            None,
            None,
            Some(system.into()),
        )
        .collect::<Result<_, _>>()?;
    let history = names.history();
    let mut public = vec![
        Triple::new(version.clone(), vocab::RDF_TYPE, vocab::PROV_ENTITY),
        Triple::new(version.clone(), vocab::DCT_ISSUED, now.clone()),
    ];
    for quad in private {
        let predicate = quad.predicate.as_ref();
        if predicate == vocab::PROV_WAS_ATTRIBUTED_TO {
            if let Term::NamedNode(agent) = &quad.object {
                let label = agent.as_str().rsplit('/').next().unwrap_or_default();
                public.push(Triple::new(
                    agent.clone(),
                    vocab::RDF_TYPE,
                    vocab::PROV_AGENT,
                ));
                public.push(Triple::new(
                    agent.clone(),
                    vocab::RDFS_LABEL,
                    Literal::new_simple_literal(label),
                ));
            }
        }
        if predicate != vocab::AGORA_PUBLISH_AT {
            public.push(Triple::new(version.clone(), quad.predicate, quad.object));
        }
    }
    if let Some(previous) = state.released {
        public.push(Triple::new(
            version.clone(),
            vocab::PROV_WAS_REVISION_OF,
            names.version_iri(state.id, previous),
        ));
    }
    for triple in public {
        transaction.insert(triple.as_ref().in_graph(history));
        transaction.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
    }
    state.released = Some(number);
    state.pending = None;
    state.publish_at = None;
    events::append(transaction, names, state, kind, number, at, None)?;
    Ok(())
}

/// Copies the content of `from` into `to` (which must be empty: version graphs are written once).
fn snapshot(transaction: &mut Tx<'_>, from: &NamedNode, to: &NamedNode) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(None, None, None, Some(from.as_ref().into()))
        .collect::<Result<_, _>>()?;
    for quad in quads {
        transaction.insert(Triple::from(quad).as_ref().in_graph(to.as_ref()));
    }
    Ok(())
}

/// Adds (`Some(reason)`) or removes (`None`) the public tombstone of a record's root.
fn set_tombstone(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    state: &RecordState,
    tombstone: Option<(&str, &Literal)>,
) -> Result<(), StoreError> {
    let history = names.history();
    let root = state.root.as_ref();
    let triples = match tombstone {
        Some((reason, time)) => vec![
            Triple::new(root, vocab::RDF_TYPE, vocab::AS_TOMBSTONE),
            Triple::new(root, vocab::AS_FORMER_TYPE, state.class.clone()),
            Triple::new(root, vocab::AS_DELETED, time.clone()),
            Triple::new(root, vocab::AS_SUMMARY, Literal::new_simple_literal(reason)),
        ],
        None => transaction
            .quads_for_pattern(Some(root.into()), None, None, Some(history.into()))
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<Vec<_>, _>>()?,
    };
    for triple in &triples {
        if tombstone.is_some() {
            transaction.insert(triple.as_ref().in_graph(history));
            transaction.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        } else {
            transaction.remove(triple.as_ref().in_graph(history));
            // A root is only described in its own record graph and in the history graph, and the
            // record graph is being rewritten, so the tombstone can leave the published graph.
            transaction.remove(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
    }
    Ok(())
}

/// Withdraws a record: it leaves the public data, its root gets a tombstone, its history stays.
pub(super) fn withdraw(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    holder: &str,
    root: NamedNodeRef<'_>,
    reason: &str,
    now: DateTime,
) -> Result<RecordState, WriteError> {
    let graph = names.record_graph(root);
    let Some(mut state) = read_state(transaction, names, graph.as_ref())? else {
        return Err(WriteError::NotFound {
            root: root.as_str().to_owned(),
        });
    };
    if let Some(owner) = &state.holder {
        if owner != holder {
            return Err(WriteError::NotOwner {
                root: root.as_str().to_owned(),
                holder: owner.clone(),
            });
        }
    }
    if state.withdrawn.is_some() {
        return Err(WriteError::AlreadyWithdrawn {
            root: root.as_str().to_owned(),
        });
    }
    let now_literal = Literal::from(now);
    if let Some(released) = state.released {
        events::append(
            transaction,
            names,
            &state,
            EventKind::Delete,
            released,
            now,
            Some(reason),
        )?;
        snapshot(
            transaction,
            &graph,
            &names.version_graph(state.id, released),
        )?;
        let version = names.version_iri(state.id, released);
        let invalidated = Triple::new(
            version,
            vocab::PROV_INVALIDATED_AT_TIME,
            now_literal.clone(),
        );
        transaction.insert(invalidated.as_ref().in_graph(names.history()));
        transaction.insert(invalidated.as_ref().in_graph(GraphNameRef::DefaultGraph));
    }
    replace_graph(transaction, names, graph.as_ref(), &[])?;
    set_tombstone(transaction, names, &state, Some((reason, &now_literal)))?;
    state.pending = None;
    state.publish_at = None;
    state.withdrawn = Some(now);
    write_state(transaction, names, graph.as_ref(), &state, &now_literal)?;
    let agent = names.agent_iri(holder);
    let hash = state.latest_hash.clone().unwrap_or_default();
    log_write(
        transaction,
        names,
        &agent,
        root,
        None,
        &hash,
        "withdrawn",
        &now_literal,
    );
    Ok(state)
}

/// Releases every pending version whose publication time is at or before `now`.
pub(super) fn release_due(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    now: DateTime,
) -> Result<Vec<NamedNode>, StoreError> {
    let mut released = Vec::new();
    for (graph, _) in scheduled(transaction, names)?
        .into_iter()
        .filter(|(_, time)| *time <= now)
    {
        let Some(mut state) = read_state(transaction, names, graph.as_ref())? else {
            continue;
        };
        let Some(pending) = state.pending else {
            continue;
        };
        let pending_graph = names.version_graph(state.id, pending);
        let triples: Vec<Triple> = transaction
            .quads_for_pattern(None, None, None, Some(pending_graph.as_ref().into()))
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<_, _>>()?;
        for triple in &triples {
            transaction.remove(triple.as_ref().in_graph(&pending_graph));
        }
        let now_literal = Literal::from(now);
        release(transaction, names, &mut state, pending, &triples, now)?;
        write_state(transaction, names, graph.as_ref(), &state, &now_literal)?;
        released.push(state.root);
    }
    Ok(released)
}

/// Every record graph with a pending version, and its publication time.
pub(super) fn scheduled(
    transaction: &impl Read,
    names: &GraphNames,
) -> Result<Vec<(NamedNode, DateTime)>, StoreError> {
    let mut out = Vec::new();
    for quad in transaction.quads_for_pattern(
        None,
        Some(vocab::AGORA_PUBLISH_AT),
        None,
        Some(names.system().into()),
    ) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(graph), Some(time)) =
            (&quad.subject, as_time(&quad.object))
        {
            if names.is_record_graph(graph.as_ref()) {
                out.push((graph.clone(), time));
            }
        }
    }
    Ok(out)
}

/// Refuses a record that describes a resource another holder's record or the reference data
/// describes.
fn check_claims(
    transaction: &impl Read,
    names: &GraphNames,
    holder: &str,
    write: &RecordWrite,
    own: NamedNodeRef<'_>,
) -> Result<(), WriteError> {
    let root = write.record.root();
    let subjects: BTreeSet<&NamedNode> = write
        .record
        .triples()
        .iter()
        .filter_map(|triple| match &triple.subject {
            NamedOrBlankNode::NamedNode(node) => Some(node),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    let mut checked_graphs = HashSet::new();
    for subject in subjects {
        let claimed = |owner: String| WriteError::Claimed {
            root: root.as_str().to_owned(),
            subject: subject.as_str().to_owned(),
            owner,
        };
        for quad in transaction.quads_for_pattern(Some(subject.as_ref().into()), None, None, None) {
            let quad = quad?;
            let oxigraph::model::GraphName::NamedNode(graph) = &quad.graph_name else {
                continue;
            };
            if graph.as_ref() == own || !checked_graphs.insert((subject.clone(), graph.clone())) {
                continue;
            }
            if graph.as_ref() == names.reference() {
                return Err(claimed("belongs to Agora's reference data".to_owned()));
            }
            if graph.as_ref() == names.history() && subject.as_ref() != root {
                return Err(claimed("belongs to Agora's version history".to_owned()));
            }
            if names.is_record_graph(graph.as_ref()) {
                if let Some(other) = read_state(transaction, names, graph.as_ref())? {
                    if other.holder.as_deref().is_some_and(|other| other != holder) {
                        return Err(claimed(format!(
                            "the record <{}> of another holder describes",
                            other.root.as_str()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Adds one entry to the write log (system graph).
#[allow(clippy::too_many_arguments)]
fn log_write(
    transaction: &mut Tx<'_>,
    names: &GraphNames,
    agent: &NamedNode,
    root: NamedNodeRef<'_>,
    version: Option<&NamedNode>,
    hash: &str,
    outcome: &str,
    now: &Literal,
) {
    let activity = NamedNode::new_unchecked(format!("urn:uuid:{}", Uuid::new_v4()));
    let system = names.system();
    let mut triples = vec![
        Triple::new(activity.clone(), vocab::RDF_TYPE, vocab::PROV_ACTIVITY),
        Triple::new(
            activity.clone(),
            vocab::PROV_WAS_ASSOCIATED_WITH,
            agent.clone(),
        ),
        Triple::new(activity.clone(), vocab::PROV_STARTED_AT_TIME, now.clone()),
        Triple::new(activity.clone(), vocab::PROV_USED, root),
        Triple::new(
            activity.clone(),
            vocab::AGORA_CANONICAL_HASH,
            Literal::new_simple_literal(hash),
        ),
        Triple::new(
            activity.clone(),
            vocab::AGORA_OUTCOME,
            Literal::new_simple_literal(outcome),
        ),
    ];
    if let Some(version) = version {
        triples.push(Triple::new(
            activity,
            vocab::PROV_GENERATED,
            version.clone(),
        ));
    }
    for triple in triples {
        transaction.insert(triple.as_ref().in_graph(system));
    }
}

/// Every version of a record, oldest first, from the system graph.
pub(super) fn versions(
    store: &impl Read,
    names: &GraphNames,
    root: NamedNodeRef<'_>,
) -> Result<Vec<VersionInfo>, StoreError> {
    let system = names.system();
    let mut out = Vec::new();
    for quad in store.quads_for_pattern(
        None,
        Some(vocab::PROV_SPECIALIZATION_OF),
        Some(root.into()),
        Some(system.into()),
    ) {
        let NamedOrBlankNode::NamedNode(iri) = quad?.subject else {
            continue;
        };
        let mut number = None;
        let mut hash = None;
        let mut accepted = None;
        let mut holder = None;
        let mut publish_at = None;
        for quad in
            store.quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(system.into()))
        {
            let quad = quad?;
            let predicate = quad.predicate.as_ref();
            if predicate == vocab::OWL_VERSION_INFO {
                number = as_u64(&quad.object);
            } else if predicate == vocab::AGORA_CANONICAL_HASH {
                hash = as_text(&quad.object);
            } else if predicate == vocab::PROV_GENERATED_AT_TIME {
                accepted = as_time(&quad.object);
            } else if predicate == vocab::PROV_WAS_ATTRIBUTED_TO {
                if let Term::NamedNode(agent) = &quad.object {
                    holder = agent.as_str().rsplit('/').next().map(str::to_owned);
                }
            } else if predicate == vocab::AGORA_PUBLISH_AT {
                publish_at = as_time(&quad.object);
            }
        }
        let released = store.contains(oxigraph::model::QuadRef::new(
            &iri,
            vocab::RDF_TYPE,
            vocab::PROV_ENTITY,
            names.history(),
        ))?;
        if let (Some(number), Some(hash), Some(accepted), Some(holder)) =
            (number, hash, accepted, holder)
        {
            out.push(VersionInfo {
                number,
                iri,
                hash,
                accepted,
                holder,
                publish_at,
                released,
            });
        }
    }
    out.sort_by_key(|version| version.number);
    Ok(out)
}

/// The quads a bulk load writes for a record that is new: the record graph, the published copy,
/// and the bookkeeping of version 1 (system graph, history graph), as [`write_record`] would.
pub(super) fn initial_quads(
    names: &GraphNames,
    holder: &str,
    write: &RecordWrite,
    now: DateTime,
) -> Vec<Quad> {
    let root = write.record.root();
    let id = GraphNames::record_id(root);
    let graph = names.record_graph_of(id);
    let version = names.version_iri(id, 1);
    let agent = names.agent_iri(holder);
    let now = Literal::from(now);
    let hash = Literal::new_simple_literal(write.hash());
    let system: oxigraph::model::GraphName = names.system().into_owned().into();
    let history: oxigraph::model::GraphName = names.history().into_owned().into();
    let mut quads = Vec::with_capacity(write.record.triples().len() * 2 + 32);
    for triple in write.record.triples() {
        quads.push(triple.clone().in_graph(graph.clone()));
        quads.push(
            triple
                .clone()
                .in_graph(GraphNameRef::DefaultGraph.into_owned()),
        );
    }
    let state = [
        (vocab::FOAF_PRIMARY_TOPIC, Term::from(root.into_owned())),
        (
            vocab::DCT_TYPE,
            write.record.kind().class().into_owned().into(),
        ),
        (vocab::DCT_MODIFIED, now.clone().into()),
        (vocab::AGORA_LATEST_VERSION, integer(1).into()),
        (vocab::AGORA_RELEASED_VERSION, integer(1).into()),
        (
            vocab::AGORA_HOLDER,
            Literal::new_simple_literal(holder).into(),
        ),
        (vocab::AGORA_CANONICAL_HASH, hash.clone().into()),
    ];
    for (predicate, object) in state {
        quads.push(Quad::new(graph.clone(), predicate, object, system.clone()));
    }
    let described = [
        (vocab::PROV_SPECIALIZATION_OF, Term::from(root.into_owned())),
        (vocab::OWL_VERSION_INFO, integer(1).into()),
        (vocab::AGORA_CANONICAL_HASH, hash.into()),
        (vocab::PROV_GENERATED_AT_TIME, now.clone().into()),
        (vocab::PROV_WAS_ATTRIBUTED_TO, agent.clone().into()),
    ];
    for (predicate, object) in described.iter().cloned() {
        quads.push(Quad::new(
            version.clone(),
            predicate,
            object,
            system.clone(),
        ));
    }
    let label = Literal::new_simple_literal(holder);
    let public = described.into_iter().chain([
        (vocab::RDF_TYPE, vocab::PROV_ENTITY.into_owned().into()),
        (vocab::DCT_ISSUED, now.into()),
    ]);
    for (predicate, object) in public {
        let triple = Triple::new(version.clone(), predicate, object);
        quads.push(triple.clone().in_graph(history.clone()));
        quads.push(triple.in_graph(GraphNameRef::DefaultGraph.into_owned()));
    }
    for triple in [
        Triple::new(agent.clone(), vocab::RDF_TYPE, vocab::PROV_AGENT),
        Triple::new(agent, vocab::RDFS_LABEL, label),
    ] {
        quads.push(triple.clone().in_graph(history.clone()));
        quads.push(triple.in_graph(GraphNameRef::DefaultGraph.into_owned()));
    }
    quads
}
