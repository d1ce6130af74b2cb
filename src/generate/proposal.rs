//! Citizens' proposals (`participatie:Burgervoorstel`) with their feedback
//! (`participatie:Terugkoppeling`).
//!
//! A proposal records only its submitter's type (citizen, organisation, company), never a name,
//! an e-mail address or any other personal data. Most are answered in time; some late, some
//! not at all (overdue), some are not admissible; the newest are still submitted or under
//! consideration, as seen on [`TODAY`].

use crate::generate::date::Day;
use crate::generate::terms::*;
use crate::generate::text::{
    fill, FEEDBACK_ANSWERED, FEEDBACK_LATE, FEEDBACK_NOT_ADMISSIBLE, PROPOSAL_DESCRIPTIONS,
    PROPOSAL_TITLES, SUBMITTERS,
};
use crate::generate::world::{PLACES, THEMES};
use crate::generate::{Context, TODAY};

/// The answer term: about two months after submission, as in the demo data.
const ANSWER_TERM_DAYS: i64 = 61;
/// Submitter types citizen, organisation, company: most proposals come from citizens.
const SUBMITTER_WEIGHTS: [u64; 3] = [70, 20, 10];
/// Outcomes: not admissible, never answered (overdue once the term passes), answered late,
/// answered in time.
const OUTCOME_WEIGHTS: [u64; 4] = [8, 4, 12, 76];
/// A proposal without feedback counts as just submitted for this many days.
const SUBMITTED_DAYS: i64 = 14;

/// Indices into `Codes::proposal_status`.
const INGEDIEND: usize = 0;
const IN_BEHANDELING: usize = 1;
const BEANTWOORD: usize = 2;
const NIET_ONTVANKELIJK: usize = 3;

/// Writes one proposal record submitted in the week before the meeting of `day`.
pub(super) fn write(context: &mut Context, day: Day) {
    let rng = &mut context.rng;
    let submitted = day.plus(-rng.range(0, 6));
    let term = submitted.plus(ANSWER_TERM_DAYS);
    let theme = rng.index(THEMES.len());
    let subject = *rng.pick(THEMES[theme].subjects);
    let place = *rng.pick(&PLACES);
    let submitter = rng.weighted(&SUBMITTER_WEIGHTS);
    let outcome = rng.weighted(&OUTCOME_WEIGHTS);
    let answered_on = match outcome {
        0 => Some(submitted.plus(rng.range(5, 20))),
        1 => None,
        2 => Some(term.plus(rng.range(1, 60))),
        _ => Some(submitted.plus(rng.range(10, ANSWER_TERM_DAYS))),
    }
    .filter(|answered| *answered <= TODAY);
    let status = match (answered_on, outcome) {
        (Some(_), 0) => NIET_ONTVANKELIJK,
        (Some(_), _) => BEANTWOORD,
        (None, _) if TODAY.since(submitted) <= SUBMITTED_DAYS => INGEDIEND,
        (None, _) => IN_BEHANDELING,
    };
    let title_pair = *rng.pick(&PROPOSAL_TITLES);
    let description_pair = *rng.pick(&PROPOSAL_DESCRIPTIONS);
    let feedback_pair = *rng.pick(&FEEDBACK_ANSWERED);
    let year = (submitted.year() + 1).to_string();
    let values = |s, p, who| [("s", s), ("p", p), ("who", who), ("y", year.as_str())];
    let nl = values(subject.0, place.0, SUBMITTERS[submitter].0);
    let en = values(subject.1, place.1, SUBMITTERS[submitter].1);

    let iri = context.writer.mint(&mut context.rng, "burgervoorstel");
    let organisation = &context.organisations[THEMES[theme].organisation];
    let codes = &context.codes;
    let w = &mut context.writer;
    w.begin(&iri);
    w.typed(&iri, BURGERVOORSTEL);
    w.nl_en(
        &iri,
        TITLE,
        &fill(title_pair.0, &nl),
        &fill(title_pair.1, &en),
    );
    let description = (fill(description_pair.0, &nl), fill(description_pair.1, &en));
    w.nl_en(&iri, DESCRIPTION, &description.0, &description.1);
    w.date(&iri, DATE_SUBMITTED, submitted);
    w.iri(&iri, INDIENER_TYPE, &codes.submitter_types[submitter]);
    w.iri(&iri, STATUS, &codes.proposal_status[status]);
    w.date(&iri, ANTWOORD_TERMIJN, term);
    w.iri(&iri, GERICHT_AAN, organisation);
    w.iri(&iri, SUBJECT, &codes.themes[theme].themes[0]);
    let Some(answered_on) = answered_on else {
        return;
    };
    let (mut text_nl, mut text_en) = if outcome == 0 {
        (
            FEEDBACK_NOT_ADMISSIBLE.0.to_owned(),
            FEEDBACK_NOT_ADMISSIBLE.1.to_owned(),
        )
    } else {
        (fill(feedback_pair.0, &nl), fill(feedback_pair.1, &en))
    };
    if answered_on > term {
        text_nl.push_str(FEEDBACK_LATE.0);
        text_en.push_str(FEEDBACK_LATE.1);
    }
    let feedback = context.writer.mint(&mut context.rng, "terugkoppeling");
    let w = &mut context.writer;
    w.iri(&iri, HEEFT_TERUGKOPPELING, &feedback);
    w.typed(&feedback, TERUGKOPPELING);
    w.nl_en(&feedback, DESCRIPTION, &text_nl, &text_en);
    w.date(&feedback, ISSUED, answered_on);
    w.iri(
        &feedback,
        GEGEVEN_DOOR,
        &context.organisations[THEMES[theme].organisation],
    );
}
