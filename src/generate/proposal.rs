//! Citizens' proposals (`participatie:Burgervoorstel`) with their feedback
//! (`participatie:Terugkoppeling`).
//!
//! A proposal records only its submitter's type (citizen, organisation, company), never a name,
//! an e-mail address or any other personal data. Most are answered in time; some late, some
//! not at all (overdue), some are not admissible; the newest are still submitted or under
//! consideration, as seen on [`TODAY`].

use crate::generate::date::Day;
use crate::generate::rng::Rng;
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
/// How a proposal fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    NotAdmissible,
    Unanswered,
    Late,
    InTime,
}
/// Every outcome, in the order of [`OUTCOME_WEIGHTS`].
const OUTCOMES: [Outcome; 4] = [
    Outcome::NotAdmissible,
    Outcome::Unanswered,
    Outcome::Late,
    Outcome::InTime,
];
/// Most proposals are answered in time; some are not admissible, some answered late, and a few
/// never (overdue once their term passes), as the demo data shows each case.
const OUTCOME_WEIGHTS: [u64; 4] = [8, 4, 12, 76];
/// A proposal without feedback counts as just submitted for this many days.
const SUBMITTED_DAYS: i64 = 14;

/// Indices into `Codes::proposal_status`.
const INGEDIEND: usize = 0;
const IN_BEHANDELING: usize = 1;
const BEANTWOORD: usize = 2;
const NIET_ONTVANKELIJK: usize = 3;

/// The day feedback was given (none when not yet by [`TODAY`]) and the resulting status.
fn fate(rng: &mut Rng, outcome: Outcome, submitted: Day, term: Day) -> (Option<Day>, usize) {
    let answered_on = match outcome {
        Outcome::NotAdmissible => Some(submitted.plus(rng.range(5, 20))),
        Outcome::Unanswered => None,
        Outcome::Late => Some(term.plus(rng.range(1, 60))),
        Outcome::InTime => Some(submitted.plus(rng.range(10, ANSWER_TERM_DAYS))),
    }
    .filter(|answered| *answered <= TODAY);
    let status = match (answered_on, outcome) {
        (Some(_), Outcome::NotAdmissible) => NIET_ONTVANKELIJK,
        (Some(_), _) => BEANTWOORD,
        (None, _) if TODAY.since(submitted) <= SUBMITTED_DAYS => INGEDIEND,
        (None, _) => IN_BEHANDELING,
    };
    (answered_on, status)
}

/// Writes one proposal record submitted in the week before the meeting of `day`.
pub(super) fn write(context: &mut Context, day: Day) {
    let rng = &mut context.rng;
    let submitted = day.plus(-rng.range(0, 6));
    let term = submitted.plus(ANSWER_TERM_DAYS);
    let theme = rng.index(THEMES.len());
    let subject = *rng.pick(THEMES[theme].subjects);
    let place = *rng.pick(&PLACES);
    let submitter = rng.weighted(&SUBMITTER_WEIGHTS);
    let outcome = OUTCOMES[rng.weighted(&OUTCOME_WEIGHTS)];
    let (answered_on, status) = fate(rng, outcome, submitted, term);
    let title = *rng.pick(&PROPOSAL_TITLES);
    let description = *rng.pick(&PROPOSAL_DESCRIPTIONS);
    let answer = match outcome {
        Outcome::NotAdmissible => FEEDBACK_NOT_ADMISSIBLE,
        _ => *rng.pick(&FEEDBACK_ANSWERED),
    };
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
    w.nl_en(&iri, TITLE, &fill(title.0, &nl), &fill(title.1, &en));
    w.nl_en(
        &iri,
        DESCRIPTION,
        &fill(description.0, &nl),
        &fill(description.1, &en),
    );
    w.date(&iri, DATE_SUBMITTED, submitted);
    w.iri(&iri, INDIENER_TYPE, &codes.submitter_types[submitter]);
    w.iri(&iri, STATUS, &codes.proposal_status[status]);
    w.date(&iri, ANTWOORD_TERMIJN, term);
    w.iri(&iri, GERICHT_AAN, organisation);
    w.iri(&iri, SUBJECT, &codes.themes[theme].themes[0]);
    if let Some(answered_on) = answered_on {
        let mut text = (fill(answer.0, &nl), fill(answer.1, &en));
        if answered_on > term {
            text.0.push_str(FEEDBACK_LATE.0);
            text.1.push_str(FEEDBACK_LATE.1);
        }
        feedback(context, &iri, theme, &text, answered_on);
    }
}

/// The feedback on a proposal, given by the organisation it was addressed to.
fn feedback(
    context: &mut Context,
    proposal: &str,
    theme: usize,
    text: &(String, String),
    day: Day,
) {
    let feedback = context.writer.mint(&mut context.rng, "terugkoppeling");
    let w = &mut context.writer;
    w.iri(proposal, HEEFT_TERUGKOPPELING, &feedback);
    w.typed(&feedback, TERUGKOPPELING);
    w.nl_en(&feedback, DESCRIPTION, &text.0, &text.1);
    w.date(&feedback, ISSUED, day);
    w.iri(
        &feedback,
        GEGEVEN_DOOR,
        &context.organisations[THEMES[theme].organisation],
    );
}
