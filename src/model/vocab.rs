//! IRIs of the vocabularies Agora reads and writes, as constants.
//!
//! Only the terms the code itself needs are here; the full ontology is `ontology/participatie.ttl`.

use oxigraph::model::NamedNodeRef;

/// Namespace IRIs, for SPARQL prefixes and serialisers.
pub mod ns {
    /// Agora's participation extension.
    pub const PARTICIPATIE: &str = "https://agora.vlaanderen.be/ns/participatie#";
    /// OSLO Besluit (http, as published).
    pub const BESLUIT: &str = "http://data.vlaanderen.be/ns/besluit#";
    /// OSLO Besluitvorming (https, as published).
    pub const BESLUITVORMING: &str = "https://data.vlaanderen.be/ns/besluitvorming#";
    /// The older Besluitvorming namespace that Kaleidos data still uses; normalised on input.
    pub const BESLUITVORMING_LEGACY: &str = "http://data.vlaanderen.be/ns/besluitvorming#";
    /// OSLO Dossier.
    pub const DOSSIER: &str = "https://data.vlaanderen.be/ns/dossier#";
    /// OSLO Generiek.
    pub const GENERIEK: &str = "https://data.vlaanderen.be/ns/generiek#";
    /// OSLO Mandaat.
    pub const MANDAAT: &str = "http://data.vlaanderen.be/ns/mandaat#";
    /// OSLO Persoon.
    pub const PERSOON: &str = "https://data.vlaanderen.be/ns/persoon#";
    /// W3C Person.
    pub const PERSON: &str = "http://www.w3.org/ns/person#";
    /// W3C PROV-O.
    pub const PROV: &str = "http://www.w3.org/ns/prov#";
    /// DCMI terms.
    pub const DCT: &str = "http://purl.org/dc/terms/";
    /// SKOS.
    pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
    /// ADMS.
    pub const ADMS: &str = "http://www.w3.org/ns/adms#";
    /// DCAT.
    pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
    /// schema.org (http, as Kaleidos uses it).
    pub const SCHEMA: &str = "http://schema.org/";
    /// FOAF.
    pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
    /// W3C Organization.
    pub const ORG: &str = "http://www.w3.org/ns/org#";
    /// NEPOMUK file ontology.
    pub const NFO: &str = "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#";
    /// NEPOMUK information element.
    pub const NIE: &str = "http://www.semanticdesktop.org/ontologies/2007/01/19/nie#";
    /// mu-semtech core (Kaleidos and Themis carry `mu:uuid`).
    pub const MU: &str = "http://mu.semte.ch/vocabularies/core/";
    /// RDF.
    pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    /// RDFS.
    pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
    /// XSD.
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
    /// OWL.
    pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
    /// Agora's own terms for record bookkeeping (holders, versions, embargo).
    pub const AGORA: &str = "https://agora.vlaanderen.be/ns/agora#";
    /// ActivityStreams 2.0 (tombstones).
    pub const AS: &str = "https://www.w3.org/ns/activitystreams#";

    /// The prefixes Agora writes in Turtle output and offers to SPARQL users, in display order.
    pub const PREFIXES: &[(&str, &str)] = &[
        ("participatie", PARTICIPATIE),
        ("besluit", BESLUIT),
        ("besluitvorming", BESLUITVORMING),
        ("dossier", DOSSIER),
        ("generiek", GENERIEK),
        ("mandaat", MANDAAT),
        ("persoon", PERSOON),
        ("person", PERSON),
        ("prov", PROV),
        ("dct", DCT),
        ("skos", SKOS),
        ("adms", ADMS),
        ("dcat", DCAT),
        ("schema", SCHEMA),
        ("foaf", FOAF),
        ("org", ORG),
        ("nfo", NFO),
        ("nie", NIE),
        ("mu", MU),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("owl", OWL),
        ("agora", AGORA),
        ("as", AS),
    ];
}

/// `rdf:type`.
pub const RDF_TYPE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
/// `foaf:primaryTopic`: links a record graph to its root resource in the system graph.
pub const FOAF_PRIMARY_TOPIC: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/primaryTopic");
/// `dct:modified`.
pub const DCT_MODIFIED: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/modified");
/// `dct:type`.
pub const DCT_TYPE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/type");

/// `besluit:Vergaderactiviteit`: a meeting.
pub const VERGADERACTIVITEIT: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit");
/// `participatie:Consultatieverslag`: a consultation report.
pub const CONSULTATIEVERSLAG: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/participatie#Consultatieverslag");
/// `participatie:Consultatie`: a consultation.
pub const CONSULTATIE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/participatie#Consultatie");
/// `participatie:Burgervoorstel`: a citizen's proposal.
pub const BURGERVOORSTEL: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://agora.vlaanderen.be/ns/participatie#Burgervoorstel");
/// `besluitvorming:Besluitvormingsaangelegenheid`: a decision-making case.
pub const BESLUITVORMINGSAANGELEGENHEID: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
    "https://data.vlaanderen.be/ns/besluitvorming#Besluitvormingsaangelegenheid",
);
/// `dossier:Dossier`.
pub const DOSSIER: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://data.vlaanderen.be/ns/dossier#Dossier");
/// `besluit:Bestuursorgaan`: a governing body (the Flemish Government, with its ministers).
pub const BESTUURSORGAAN: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://data.vlaanderen.be/ns/besluit#Bestuursorgaan");
/// `besluit:Bestuurseenheid`: an administrative unit.
pub const BESTUURSEENHEID: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://data.vlaanderen.be/ns/besluit#Bestuurseenheid");
/// `org:Organization`.
pub const ORGANIZATION: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/org#Organization");

macro_rules! terms {
    ($($(#[$doc:meta])* $name:ident = $iri:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);
        )*
    };
}

terms! {
    /// `dct:available`: on a record's root, the planned publication time (embargo until then).
    DCT_AVAILABLE = "http://purl.org/dc/terms/available";
    /// `dct:issued`.
    DCT_ISSUED = "http://purl.org/dc/terms/issued";
    /// `rdfs:label`.
    RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
    /// `owl:versionInfo`: a version's number.
    OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo";
    /// `prov:Entity`: a version of a record.
    PROV_ENTITY = "http://www.w3.org/ns/prov#Entity";
    /// `prov:Agent`: a token holder.
    PROV_AGENT = "http://www.w3.org/ns/prov#Agent";
    /// `prov:Activity`: a write.
    PROV_ACTIVITY = "http://www.w3.org/ns/prov#Activity";
    /// `prov:specializationOf`: links a version to the record root it is a version of.
    PROV_SPECIALIZATION_OF = "http://www.w3.org/ns/prov#specializationOf";
    /// `prov:generatedAtTime`: when a version was accepted.
    PROV_GENERATED_AT_TIME = "http://www.w3.org/ns/prov#generatedAtTime";
    /// `prov:invalidatedAtTime`: when a version stopped being current by withdrawal.
    PROV_INVALIDATED_AT_TIME = "http://www.w3.org/ns/prov#invalidatedAtTime";
    /// `prov:wasAttributedTo`: the holder that pushed a version.
    PROV_WAS_ATTRIBUTED_TO = "http://www.w3.org/ns/prov#wasAttributedTo";
    /// `prov:wasRevisionOf`: the version a version replaced.
    PROV_WAS_REVISION_OF = "http://www.w3.org/ns/prov#wasRevisionOf";
    /// `prov:wasAssociatedWith`: the holder that made a write.
    PROV_WAS_ASSOCIATED_WITH = "http://www.w3.org/ns/prov#wasAssociatedWith";
    /// `prov:startedAtTime`: when a write happened.
    PROV_STARTED_AT_TIME = "http://www.w3.org/ns/prov#startedAtTime";
    /// `prov:used`: the record root a write was about.
    PROV_USED = "http://www.w3.org/ns/prov#used";
    /// `prov:generated`: the version a write made.
    PROV_GENERATED = "http://www.w3.org/ns/prov#generated";
    /// `as:Tombstone`: a withdrawn record's root.
    AS_TOMBSTONE = "https://www.w3.org/ns/activitystreams#Tombstone";
    /// `as:formerType`: the class a withdrawn root had.
    AS_FORMER_TYPE = "https://www.w3.org/ns/activitystreams#formerType";
    /// `as:deleted`: when a record was withdrawn.
    AS_DELETED = "https://www.w3.org/ns/activitystreams#deleted";
    /// `as:summary`: why a record was withdrawn.
    AS_SUMMARY = "https://www.w3.org/ns/activitystreams#summary";
    /// `agora:holder`: the token holder that owns a record (system graph).
    AGORA_HOLDER = "https://agora.vlaanderen.be/ns/agora#holder";
    /// `agora:latestVersion`: the number of a record's latest accepted version (system graph).
    AGORA_LATEST_VERSION = "https://agora.vlaanderen.be/ns/agora#latestVersion";
    /// `agora:releasedVersion`: the number of the version the public sees (system graph).
    AGORA_RELEASED_VERSION = "https://agora.vlaanderen.be/ns/agora#releasedVersion";
    /// `agora:pendingVersion`: the number of a version waiting for its publication time.
    AGORA_PENDING_VERSION = "https://agora.vlaanderen.be/ns/agora#pendingVersion";
    /// `agora:publishAt`: when the pending version is released.
    AGORA_PUBLISH_AT = "https://agora.vlaanderen.be/ns/agora#publishAt";
    /// `agora:withdrawn`: when a record was withdrawn (system graph).
    AGORA_WITHDRAWN = "https://agora.vlaanderen.be/ns/agora#withdrawn";
    /// `agora:canonicalHash`: SHA-256 of a version's RDFC-1.0 canonical N-Quads, hex.
    AGORA_CANONICAL_HASH = "https://agora.vlaanderen.be/ns/agora#canonicalHash";
    /// `agora:outcome`: what a write did (`created`, `replaced`, `unchanged`, `withdrawn`).
    AGORA_OUTCOME = "https://agora.vlaanderen.be/ns/agora#outcome";
}
