//! Decision-making cases (`besluitvorming:Besluitvormingsaangelegenheid`) with their dossier and
//! procedure steps, which later consultations feed (`participatie:voedt`).

use crate::generate::date::Day;
use crate::generate::terms::*;
use crate::generate::text::{fill, CASE_TITLES, PROCEDURE_STEPS};
use crate::generate::world::THEMES;
use crate::generate::{CaseRef, Context, TODAY};

/// How long before its week a case was opened, in days: 10 to 40 weeks, so that the
/// consultations of the following weeks can feed it.
const OPENED_BEFORE: (i64, i64) = (70, 280);
/// How long a procedure step lasts, in days.
const STEP_DAYS: (i64, i64) = (14, 90);

/// Writes one case record for the week of `day` and remembers it for consultations.
pub(super) fn write(context: &mut Context, day: Day) {
    let rng = &mut context.rng;
    let theme = rng.index(THEMES.len());
    let (subject_nl, subject_en) = *rng.pick(THEMES[theme].subjects);
    let opened = day.plus(-rng.range(OPENED_BEFORE.0, OPENED_BEFORE.1));
    let until = (opened.year() + rng.range(3, 6)).to_string();
    let (nl, en) = *rng.pick(&CASE_TITLES);
    let title_nl = fill(nl, &[("s", subject_nl), ("y", &until)]);
    let title_en = fill(en, &[("s", subject_en), ("y", &until)]);

    let case = context
        .writer
        .mint(&mut context.rng, "besluitvormingsaangelegenheid");
    let dossier = context.writer.mint(&mut context.rng, "dossier");
    let w = &mut context.writer;
    w.begin(&case);
    w.typed(&case, AANGELEGENHEID);
    w.nl_en(&case, TITLE, &title_nl, &title_en);
    w.date(&case, OPENINGSDATUM, opened);
    w.iri(&case, BELEIDSVELD, &context.codes.themes[theme].domain);
    w.typed(&dossier, DOSSIER);
    w.nl(&dossier, TITLE, &format!("Dossier {title_nl}"));
    w.iri(&dossier, IS_NEERSLAG_VAN, &case);
    steps(context, &case, opened);
    context.remember_case(CaseRef {
        iri: case,
        theme,
        opened,
    });
}

/// One to five consecutive procedure steps from `opened` on; a step still running on
/// [`TODAY`] has no end date, and no step starts after today.
fn steps(context: &mut Context, case: &str, opened: Day) {
    let count = context.rng.range(1, PROCEDURE_STEPS.len() as i64) as usize;
    let mut start = opened.plus(context.rng.range(0, 30));
    for title in PROCEDURE_STEPS.iter().take(count) {
        if start > TODAY {
            break;
        }
        let end = start.plus(context.rng.range(STEP_DAYS.0, STEP_DAYS.1));
        let step = context.writer.mint(&mut context.rng, "procedurestap");
        let w = &mut context.writer;
        w.iri(case, DOORLOOPT, &step);
        w.typed(&step, PROCEDURESTAP);
        w.nl(&step, TITLE, title);
        w.date(&step, STAP_START, start);
        if end > TODAY {
            w.boolean(&step, GEPLAND_OPENBAAR, true);
            break;
        }
        w.date(&step, STAP_EINDE, end);
        w.boolean(&step, GEPLAND_OPENBAAR, true);
        start = end.plus(1);
    }
}
