//! The code-list concepts the generator refers to.
//!
//! Agora's own concepts are looked up in the reference data (`crate::demo::reference_triples`) by
//! their scheme's and their own `skos:notation`, and the Themis themes and policy domains by
//! their `skos:prefLabel` (skipping deprecated ones), so the generated data cannot drift from the
//! code lists the store serves. Single fixed Themis concepts are constants, with their label.

use std::io;

use oxigraph::model::{Term, Triple};

use crate::generate::world::THEMES;

/// Themis meeting type "Ministerraad".
pub(super) const MINISTERRAAD: &str =
    "http://themis.vlaanderen.be/id/concept/vergaderactiviteit-type/ef51c9d5-8b45-4501-9dcd-3e00ccff524f";
/// Themis agenda status "Publiek".
pub(super) const AGENDA_PUBLIEK: &str =
    "http://themis.vlaanderen.be/id/concept/agenda-status/de6fc320-cfb9-47a6-af25-e063b80992f7";
/// Themis access level "Publiek": everything Agora publishes is public.
pub(super) const TOEGANG_PUBLIEK: &str =
    "http://themis.vlaanderen.be/id/concept/toegangsniveau/c3de9c70-391e-4031-a85e-4b03433d6266";
/// Themis agenda item type "Nota".
pub(super) const ITEM_NOTA: &str =
    "http://themis.vlaanderen.be/id/concept/agendapunt-type/dd47a8f8-3ad2-4d5a-8318-66fc02fe80fd";
/// Themis agenda item type "Mededeling".
pub(super) const ITEM_MEDEDELING: &str =
    "http://themis.vlaanderen.be/id/concept/agendapunt-type/8f8adcf0-58ef-4edc-9e36-0c9095fd76b0";
/// Themis decision result "Goedgekeurd".
pub(super) const GOEDGEKEURD: &str =
    "http://themis.vlaanderen.be/id/concept/beslissing-resultaatcodes/56312c4b-9d2a-4735-b0b1-2ff14bb524fd";
/// Themis decision result "Uitgesteld".
pub(super) const UITGESTELD: &str =
    "http://themis.vlaanderen.be/id/concept/beslissing-resultaatcodes/a29b3ffd-0839-45cb-b8f4-e1760f7aacaa";
/// Themis decision result "Ingetrokken".
pub(super) const INGETROKKEN: &str =
    "http://themis.vlaanderen.be/id/concept/beslissing-resultaatcodes/453a36e8-6fbd-45d3-b800-ec96e59f273b";
/// Themis decision result "Akte genomen", the result of every Mededeling.
pub(super) const AKTE_GENOMEN: &str =
    "http://themis.vlaanderen.be/id/concept/beslissing-resultaatcodes/9f342a88-9485-4a83-87d9-245ed4b504bf";

/// Themis document types, by their `skos:prefLabel`.
pub(super) mod document {
    /// "Nota".
    pub(in crate::generate) const NOTA: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/f2b0f655-8ed7-4f61-8f2b-ca813de7a6ed";
    /// "Mededeling".
    pub(in crate::generate) const MEDEDELING: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/72dd647f-7afa-4d2a-9c7f-de73a8bd85a1";
    /// "OD" (ontwerp van decreet).
    pub(in crate::generate) const ONTWERPDECREET: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/8a1e048a-4b55-4a19-b1c0-c85dba09a15c";
    /// "Concept" (conceptnota).
    pub(in crate::generate) const CONCEPT: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/7ef77ae1-816b-4eba-bae8-1f7d73cd7cba";
    /// "Visienota".
    pub(in crate::generate) const VISIENOTA: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/8ae796bd-690a-4ed6-855c-c4572e883066";
    /// "Groenboek".
    pub(in crate::generate) const GROENBOEK: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/126f7ca5-c1e8-458a-80c2-38828a6010cc";
    /// "Witboek".
    pub(in crate::generate) const WITBOEK: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/361f3132-d763-412d-8d16-609ad664055c";
    /// "Bijlage".
    pub(in crate::generate) const BIJLAGE: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/b3e150d3-eac6-44cf-9e70-dd4d13423631";
    /// "Advies".
    pub(in crate::generate) const ADVIES: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/fb931eff-38f2-4743-802b-4240c35b8b0c";
    /// "MvT" (memorie van toelichting).
    pub(in crate::generate) const MEMORIE: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/f036e016-268e-4611-8fee-77d2047b51d8";
    /// "Verslag": the type of every consultation report.
    pub(in crate::generate) const VERSLAG: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/59b81be7-26c9-4a08-9a51-ce23ce83a133";
    /// "Nieuwsbericht": the type of news items ("beslissing in kort bestek").
    pub(in crate::generate) const NIEUWSBERICHT: &str =
        "http://themis.vlaanderen.be/id/concept/document-type/63d628cb-a594-4166-8b4e-880b4214fc5b";
}

/// Themis concept scheme of the themes (`dct:subject`).
const THEMES_SCHEME: &str =
    "http://themis.vlaanderen.be/id/concept-scheme/459cbdb0-86ff-4106-879c-6aecda7d3dcc";
/// Themis concept scheme of the policy domains (`besluitvorming:beleidsveld`).
const DOMAINS_SCHEME: &str =
    "http://themis.vlaanderen.be/id/concept-scheme/f4981a92-8639-4da4-b1e3-0e1371feaa81";
/// Where Agora's concept schemes live (see `ontology/README.md`).
const AGORA_SCHEMES: &str = "https://agora.vlaanderen.be/id/concept-scheme/";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const CONCEPT_SCHEME: &str = "http://www.w3.org/2004/02/skos/core#ConceptScheme";
const NOTATION: &str = "http://www.w3.org/2004/02/skos/core#notation";
const IN_SCHEME: &str = "http://www.w3.org/2004/02/skos/core#inScheme";
const PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const DEPRECATED: &str = "http://www.w3.org/2002/07/owl#deprecated";

/// The Themis concepts of one [`crate::generate::world::Theme`].
#[derive(Debug, Clone)]
pub(super) struct ThemeCodes {
    /// Its Themis themes, the main one first.
    pub(super) themes: [String; 2],
    /// Its Themis policy domain.
    pub(super) domain: String,
}

/// Every code-list concept the generator uses, resolved once per run.
#[derive(Debug, Clone)]
pub(super) struct Codes {
    /// Consultation status: planned, open, closed, report published, cancelled.
    pub(super) consultation_status: Vec<String>,
    /// Participation ladder rungs 2a, 2b, 3 and 4 (the rungs a consultation can be on).
    pub(super) participation_levels: Vec<String>,
    /// Effects: taken over, partly, not taken over, out of scope.
    pub(super) effects: Vec<String>,
    /// Submitter types: citizen, organisation, company.
    pub(super) submitter_types: Vec<String>,
    /// Target groups; the first is "burgers", which every consultation addresses.
    pub(super) target_groups: Vec<String>,
    /// Proposal status: submitted, under consideration, answered, not admissible.
    pub(super) proposal_status: Vec<String>,
    /// Themis concepts per theme, parallel to [`THEMES`].
    pub(super) themes: Vec<ThemeCodes>,
}

/// Notations of the consultation statuses, in the order the generator indexes them.
const CONSULTATION_STATUS: [&str; 5] = [
    "gepland",
    "open",
    "gesloten",
    "verslag-gepubliceerd",
    "geannuleerd",
];
/// Rungs of the participation ladder that consultations are on.
const PARTICIPATION_LEVELS: [&str; 4] = ["2a", "2b", "3", "4"];
/// Effects of participation.
const EFFECTS: [&str; 4] = [
    "overgenomen",
    "deels-overgenomen",
    "niet-overgenomen",
    "buiten-scope",
];
/// Submitter types.
const SUBMITTER_TYPES: [&str; 3] = ["burger", "organisatie", "bedrijf"];
/// Target groups, "burgers" first.
const TARGET_GROUPS: [&str; 8] = [
    "burgers",
    "jongeren",
    "ouderen",
    "middenveld",
    "bedrijven",
    "lokale-besturen",
    "experts",
    "professionals-zorg-onderwijs",
];
/// Proposal statuses.
const PROPOSAL_STATUS: [&str; 4] = [
    "ingediend",
    "in-behandeling",
    "beantwoord",
    "niet-ontvankelijk",
];

impl Codes {
    /// Resolves the concepts in `reference` (the ontology and code lists).
    pub(super) fn resolve(reference: &[Triple]) -> io::Result<Self> {
        let agora = |list, notations: &[&str]| -> io::Result<Vec<String>> {
            notations
                .iter()
                .map(|notation| agora_concept(reference, list, notation))
                .collect()
        };
        let themes = THEMES
            .iter()
            .map(|theme| {
                Ok(ThemeCodes {
                    themes: [
                        themis_concept(reference, THEMES_SCHEME, theme.themis[0])?,
                        themis_concept(reference, THEMES_SCHEME, theme.themis[1])?,
                    ],
                    domain: themis_concept(reference, DOMAINS_SCHEME, theme.domain)?,
                })
            })
            .collect::<io::Result<_>>()?;
        Ok(Self {
            consultation_status: agora("consultatiestatus", &CONSULTATION_STATUS)?,
            participation_levels: agora("participatieniveau", &PARTICIPATION_LEVELS)?,
            effects: agora("effect", &EFFECTS)?,
            submitter_types: agora("indienertype", &SUBMITTER_TYPES)?,
            target_groups: agora("doelgroep", &TARGET_GROUPS)?,
            proposal_status: agora("voorstelstatus", &PROPOSAL_STATUS)?,
            themes,
        })
    }
}

fn literal_is(term: &Term, value: &str) -> bool {
    matches!(term, Term::Literal(literal) if literal.value() == value)
}

fn node_is(term: &Term, iri: &str) -> bool {
    matches!(term, Term::NamedNode(node) if node.as_str() == iri)
}

/// Subjects of triples with predicate `predicate` and an object accepted by `object`.
fn subjects<'a>(
    triples: &'a [Triple],
    predicate: &'a str,
    object: impl Fn(&Term) -> bool + 'a,
) -> impl Iterator<Item = &'a str> + 'a {
    triples
        .iter()
        .filter(move |t| t.predicate.as_str() == predicate && object(&t.object))
        .filter_map(|t| match &t.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(node) => Some(node.as_str()),
            _ => None,
        })
}

fn has(triples: &[Triple], subject: &str, predicate: &str, object: impl Fn(&Term) -> bool) -> bool {
    triples.iter().any(|t| {
        t.predicate.as_str() == predicate
            && matches!(&t.subject, oxigraph::model::NamedOrBlankNode::NamedNode(n) if n.as_str() == subject)
            && object(&t.object)
    })
}

fn missing(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the reference data has no {what}; the generator needs it"),
    )
}

/// The concept with `skos:notation` `notation` in Agora's scheme with notation `list`.
fn agora_concept(triples: &[Triple], list: &str, notation: &str) -> io::Result<String> {
    let scheme = subjects(triples, NOTATION, |o| literal_is(o, list))
        .find(|s| {
            s.starts_with(AGORA_SCHEMES)
                && has(triples, s, RDF_TYPE, |o| node_is(o, CONCEPT_SCHEME))
        })
        .ok_or_else(|| missing(format!("concept scheme {list:?}")))?;
    subjects(triples, NOTATION, |o| literal_is(o, notation))
        .find(|s| has(triples, s, IN_SCHEME, |o| node_is(o, scheme)))
        .map(str::to_owned)
        .ok_or_else(|| missing(format!("concept {notation:?} in {list:?}")))
}

/// The non-deprecated concept of Themis scheme `scheme` labelled `label`.
fn themis_concept(triples: &[Triple], scheme: &str, label: &str) -> io::Result<String> {
    subjects(triples, PREF_LABEL, |o| literal_is(o, label))
        .find(|s| {
            has(triples, s, IN_SCHEME, |o| node_is(o, scheme))
                && !has(triples, s, DEPRECATED, |o| literal_is(o, "true"))
        })
        .map(str::to_owned)
        .ok_or_else(|| missing(format!("current concept {label:?} in {scheme}")))
}
