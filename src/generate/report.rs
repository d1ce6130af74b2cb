//! Consultation reports (`participatie:Consultatieverslag`) with their theme answers
//! (`participatie:Themaantwoord`) and their file: what participants said per theme, what the
//! government did with it, and the effect of participation.

use crate::generate::date::{Day, LocalTime};
use crate::generate::document::write_file;
use crate::generate::terms::*;
use crate::generate::text::{capitalise, fill, GROUPS, RESPONSES, SUMMARIES};
use crate::generate::world::THEMES;
use crate::generate::{codes, Context};

/// Effects taken over, partly, not taken over, out of scope: most input has some effect.
const EFFECT_WEIGHTS: [u64; 4] = [35, 30, 25, 10];

/// What the report record needs to know about its consultation.
pub(super) struct ReportPlan {
    /// The consultation reported on.
    pub(super) consultation: String,
    /// Its theme.
    pub(super) theme: usize,
    /// The report's title (Dutch, English).
    pub(super) title: (String, String),
    /// The consultation's slug, for the file name.
    pub(super) slug: String,
    /// Number of responses to the consultation.
    pub(super) reactions: u64,
    /// When the report was published.
    pub(super) issued: Day,
}

/// Writes the report record of a consultation, with two to five theme answers and its file.
pub(super) fn write(context: &mut Context, report: &ReportPlan) {
    let iri = context.writer.mint(&mut context.rng, "consultatieverslag");
    context.writer.begin(&iri);
    let w = &mut context.writer;
    w.typed(&iri, CONSULTATIEVERSLAG);
    w.nl_en(&iri, TITLE, &report.title.0, &report.title.1);
    w.iri(&iri, RAPPORTEERT_OVER, &report.consultation);
    w.date(&iri, ISSUED, report.issued);
    w.iri(&iri, DCT_TYPE, codes::document::VERSLAG);
    w.iri(&iri, VERTROUWELIJKHEID, codes::TOEGANG_PUBLIEK);
    w.integer(&iri, AANTAL_REACTIES, report.reactions);
    let subjects = THEMES[report.theme].subjects;
    let count = context.rng.range(2, 5) as usize;
    for subject in context.rng.distinct(subjects.len(), count) {
        answer(context, &iri, report, subjects[subject]);
    }
    let file_name = format!("consultatieverslag-{}.pdf", report.slug);
    let created = LocalTime::at(report.issued, 10, 0);
    write_file(context, &iri, &file_name, created);
}

/// One theme answer of a report.
fn answer(context: &mut Context, report_iri: &str, report: &ReportPlan, subject: (&str, &str)) {
    let rng = &mut context.rng;
    let group = *rng.pick(&GROUPS);
    let summary = *rng.pick(&SUMMARIES);
    let effect = rng.weighted(&EFFECT_WEIGHTS);
    let amount = rng.range(2, 60).to_string();
    let year = (report.issued.year() + rng.range(1, 4)).to_string();
    let share = report.reactions * rng.range(10, 60) as u64 / 100;
    let second_theme = rng.percent(25);
    let summary = (
        fill(summary.0, &[("s", subject.0), ("g", group.0)]),
        fill(summary.1, &[("s", subject.1), ("g", group.1)]),
    );
    let values = |s| [("s", s), ("n", amount.as_str()), ("y", year.as_str())];
    let response = (
        fill(RESPONSES[effect].0, &values(subject.0)),
        fill(RESPONSES[effect].1, &values(subject.1)),
    );
    let iri = context.writer.mint(&mut context.rng, "themaantwoord");
    let codes = &context.codes;
    let w = &mut context.writer;
    w.iri(report_iri, HEEFT_ANTWOORD, &iri);
    w.typed(&iri, THEMAANTWOORD);
    w.nl_en(&iri, THEMA, &capitalise(subject.0), &capitalise(subject.1));
    w.iri(
        &iri,
        SUBJECT,
        &codes.themes[report.theme].themes[usize::from(second_theme)],
    );
    w.nl_en(&iri, SAMENVATTING, &summary.0, &summary.1);
    w.nl_en(&iri, REACTIE_OVERHEID, &response.0, &response.1);
    w.iri(&iri, EFFECT, &codes.effects[effect]);
    w.integer(&iri, AANTAL_REACTIES, share);
}
