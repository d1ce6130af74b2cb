//! The fixed records written before the first week: the Flemish Government (a
//! `besluit:Bestuursorgaan` with its ministers and their persons) and the organisations.

use crate::generate::date::{Day, LocalTime};
use crate::generate::terms::*;
use crate::generate::world::{MINISTERS, ORGANISATIONS};
use crate::generate::Context;

/// When the ministers' mandates started: the start of the 2024-2029 government, as in the demo.
const MANDATE_START: Day = Day::from_civil(2024, 10, 1);

/// The governing body record; remembers its IRI and its mandatees' IRIs in `context`.
pub(super) fn governing_body(context: &mut Context) {
    let body = context.writer.mint(&mut context.rng, "bestuursorgaan");
    let w = &mut context.writer;
    w.begin(&body);
    w.typed(&body, BESTUURSORGAAN);
    w.nl_en(&body, PREF_LABEL, "Vlaamse Regering", "Flemish Government");
    w.nl_en(
        &body,
        DESCRIPTION,
        "De regering van Vlaanderen; zij vergadert wekelijks als ministerraad.",
        "The government of Flanders; it meets weekly as the council of ministers.",
    );
    let mut mandatees = Vec::with_capacity(MINISTERS.len());
    for (index, minister) in MINISTERS.iter().enumerate() {
        let mandatee = context.writer.mint(&mut context.rng, "mandataris");
        let person = context.writer.mint(&mut context.rng, "persoon");
        let w = &mut context.writer;
        w.typed(&mandatee, MANDATARIS);
        w.iri(&mandatee, ALIAS_VAN, &person);
        w.nl_en(&mandatee, TITLE, minister.title_nl, minister.title_en);
        w.date_time(
            &mandatee,
            MANDAAT_START,
            LocalTime::at(MANDATE_START, 10, 0),
        );
        w.integer(&mandatee, POSITION, index as u64 + 1);
        w.typed(&person, PERSON);
        w.plain(&person, VOORNAAM, minister.first_name);
        w.plain(&person, FAMILY_NAME, minister.family_name);
        mandatees.push(mandatee);
    }
    context.governing_body = body;
    context.mandatees = mandatees;
}

/// The record of organisation `index` of [`ORGANISATIONS`]; remembers its IRI in `context`.
pub(super) fn organisation(context: &mut Context, index: usize) {
    let organisation = &ORGANISATIONS[index];
    let iri = context.writer.mint(&mut context.rng, "organisatie");
    let w = &mut context.writer;
    w.begin(&iri);
    w.typed(&iri, ORGANIZATION);
    w.nl_en(&iri, PREF_LABEL, organisation.label.0, organisation.label.1);
    w.plain(&iri, ALT_LABEL, organisation.short);
    let (nl, en) = organisation.description;
    w.nl_en(&iri, DESCRIPTION, nl, en);
    w.iri(&iri, HOMEPAGE, organisation.homepage);
    if let Some(area) = organisation.spatial {
        w.iri(&iri, SPATIAL, area);
    }
    context.organisations.push(iri);
}
