//! Consultations (`participatie:Consultatie`) with their subject documents, and consultation
//! reports (`participatie:Consultatieverslag`) with their theme answers.
//!
//! A consultation's status always agrees with its dates as seen on [`TODAY`]: planned before it
//! opens, open until it closes, then closed, or "report published" when its report (written as
//! the next record) was issued by today; a few are cancelled.

use crate::generate::date::{Day, LocalTime};
use crate::generate::document::write_file;
use crate::generate::rng::Rng;
use crate::generate::terms::*;
use crate::generate::text::{
    capitalise, fill, slug, ConsultationDocument, CONSULTATION_DESCRIPTION, CONSULTATION_TITLES,
    GROUPS, RESPONSES, SUMMARIES,
};
use crate::generate::world::{ORGANISATIONS, THEMES};
use crate::generate::{codes, ConsultationRef, Context, TODAY};

/// Statuses, in the order of `Codes::consultation_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Planned = 0,
    Open = 1,
    Closed = 2,
    Published = 3,
    Cancelled = 4,
}

/// The statuses of the first consultations, newest first: the first five cover every status, so
/// that even a small data set has one of each and a report; the rest make the present look like
/// the real register, with a few consultations open and planned at any time (about one starts
/// every two weeks and runs four to twelve weeks). Later statuses follow from their dates.
const FIRST_STATUSES: [Status; 9] = [
    Status::Published,
    Status::Open,
    Status::Closed,
    Status::Planned,
    Status::Cancelled,
    Status::Open,
    Status::Published,
    Status::Open,
    Status::Planned,
];
/// Percentage of later consultations that are cancelled.
const CANCELLED_PERCENT: u64 = 4;
/// How long a consultation is open, in days (four to twelve weeks).
const OPEN_DAYS: (i64, i64) = (28, 84);
/// How long after closing the report is due, in days (six to twelve weeks).
const REPORT_DUE_DAYS: (i64, i64) = (42, 84);
/// Percentage of consultations whose report is published once due (the rest are overdue).
const REPORTED_PERCENT: u64 = 88;
/// Percentage of consultations that feed an existing case when one fits.
const FEEDS_CASE_PERCENT: u64 = 60;
/// Participation ladder rungs 2a, 2b, 3, 4: consulting is most common, co-creation rarer.
const LEVEL_WEIGHTS: [u64; 4] = [50, 25, 15, 10];

/// Dates and status of one consultation.
struct Plan {
    status: Status,
    opens: Day,
    closes: Day,
    due: Day,
    report: Option<Day>,
}

/// What the report record needs to know about its consultation.
pub(super) struct ReportPlan {
    consultation: String,
    theme: usize,
    /// The report's own title (Dutch, English).
    title: (String, String),
    slug: String,
    reactions: u64,
    issued: Day,
}

/// Dates relative to the meeting day `day`, consistent with `status` when one is forced.
fn plan(rng: &mut Rng, day: Day, forced: Option<Status>) -> Plan {
    let mut span = |low, high| rng.range(low, high);
    let (opens, closes) = match forced {
        Some(Status::Published) => {
            let closes = day.plus(-span(50, 120));
            (closes.plus(-span(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
        Some(Status::Open) => {
            let closes = TODAY.plus(span(7, 60));
            let opens = closes
                .plus(-span(OPEN_DAYS.0, OPEN_DAYS.1))
                .min(TODAY.plus(-1));
            (opens, closes)
        }
        Some(Status::Closed) => {
            let closes = day.plus(-span(5, 30));
            (closes.plus(-span(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
        Some(Status::Planned) => {
            let opens = TODAY.plus(span(7, 60));
            (opens, opens.plus(span(OPEN_DAYS.0, OPEN_DAYS.1)))
        }
        Some(Status::Cancelled) | None => {
            let closes = day.plus(span(-70, 42));
            (closes.plus(-span(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
    };
    let due = closes.plus(rng.range(REPORT_DUE_DAYS.0, REPORT_DUE_DAYS.1));
    let report_day = closes
        .plus(rng.range(21, due.since(closes) + 21))
        .min(TODAY.plus(-1));
    let status = match forced {
        Some(status) => status,
        None if rng.percent(CANCELLED_PERCENT) => Status::Cancelled,
        None if opens > TODAY => Status::Planned,
        None if closes >= TODAY => Status::Open,
        None => {
            let reported = if due < TODAY {
                rng.percent(REPORTED_PERCENT)
            } else {
                rng.percent(40)
            };
            if reported && report_day > closes {
                Status::Published
            } else {
                Status::Closed
            }
        }
    };
    let report = (status == Status::Published).then_some(report_day);
    Plan {
        status,
        opens,
        closes,
        due,
        report,
    }
}

/// Writes one consultation record for the week of `day`; returns its report's plan when it
/// has a published report, which the caller writes as the next record.
pub(super) fn write(context: &mut Context, day: Day) -> Option<ReportPlan> {
    let number = context.consultation_count;
    context.consultation_count += 1;
    let forced = FIRST_STATUSES.get(number as usize).copied();
    let plan = plan(&mut context.rng, day, forced);
    let case = choose_case(context, plan.opens, plan.status);
    let theme = match &case {
        Some(case) => case.1,
        None => context.rng.index(THEMES.len()),
    };
    let (texts, kind, subject) = texts(&mut context.rng, theme);
    let title = texts.title;
    let slug = format!("{}-{number}", slug(&title.0));
    let page = format!("https://www.vlaanderen.be/participatie/consultaties/{slug}");
    let iri = context.writer.mint(&mut context.rng, "consultatie");
    context.writer.begin(&iri);
    let w = &mut context.writer;
    w.typed(&iri, CONSULTATIE);
    w.nl_en(&iri, TITLE, &title.0, &title.1);
    w.nl_en(
        &iri,
        DESCRIPTION,
        &texts.description.0,
        &texts.description.1,
    );
    w.date_time(&iri, OPENINGSTIJD, LocalTime::at(plan.opens, 9, 0));
    w.date_time(&iri, SLUITINGSTIJD, LocalTime::end_of(plan.closes));
    w.iri(
        &iri,
        STATUS,
        &context.codes.consultation_status[plan.status as usize],
    );
    w.iri(&iri, PAGE, &page);
    w.date(&iri, VERSLAG_VERWACHT, plan.due);
    if let Some((case, _)) = &case {
        w.iri(&iri, VOEDT, case);
    }
    let organisation = THEMES[theme].organisation;
    w.iri(&iri, ORGANISATOR, &context.organisations[organisation]);
    if let Some(area) = ORGANISATIONS[organisation].spatial {
        w.iri(&iri, SPATIAL, area);
    }
    classify(context, &iri, theme);
    subject_document(context, &iri, &texts.document, kind, plan.opens, &slug);
    let reactions = matches!(plan.status, Status::Closed | Status::Published)
        .then(|| 20 + context.rng.below(400) * (1 + context.rng.below(8)));
    if let Some(reactions) = reactions {
        context.writer.integer(&iri, AANTAL_REACTIES, reactions);
        context.remember_consultation(ConsultationRef {
            iri: iri.clone(),
            theme,
            subject,
            closed: plan.closes,
            page,
        });
    }
    Some(ReportPlan {
        consultation: iri,
        theme,
        title: texts.report,
        slug,
        reactions: reactions?,
        issued: plan.report?,
    })
}

/// The texts of a consultation and of its report.
struct Texts {
    title: (String, String),
    description: (String, String),
    /// Title of the subject document (Dutch only, as in the demo).
    document: String,
    report: (String, String),
}

/// Texts about a main subject of `theme` (and two more subjects in the description); returns
/// them with the kind of subject document and the main subject's index.
fn texts(rng: &mut Rng, theme: usize) -> (Texts, ConsultationDocument, usize) {
    let subjects = THEMES[theme].subjects;
    let picked = distinct(rng, subjects.len(), 3);
    let (s, s2, s3) = (
        subjects[picked[0]],
        subjects[picked[1]],
        subjects[picked[2]],
    );
    let ((title_nl, title_en), (doc_nl, doc_en), kind) = *rng.pick(&CONSULTATION_TITLES);
    let (doc_nl_lower, doc_en_lower) = (doc_nl.to_lowercase(), doc_en.to_lowercase());
    // "het groenboek", "de conceptnota": Dutch needs the document's article.
    let article = match kind {
        ConsultationDocument::Concept | ConsultationDocument::Vision => "de",
        _ => "het",
    };
    let with_article = format!("{article} {doc_nl_lower}");
    let nl = [
        ("d", with_article.as_str()),
        ("s", s.0),
        ("s2", s2.0),
        ("s3", s3.0),
    ];
    let s2_en = capitalise(s2.1);
    let en = [
        ("d", doc_en_lower.as_str()),
        ("s", s.1),
        ("s2", s2_en.as_str()),
        ("s3", s3.1),
    ];
    let texts = Texts {
        title: (fill(title_nl, &nl), fill(title_en, &en)),
        description: (
            fill(CONSULTATION_DESCRIPTION.0, &nl),
            fill(CONSULTATION_DESCRIPTION.1, &en),
        ),
        document: fill("{d} over {s}", &[("d", doc_nl), ("s", s.0)]),
        report: (
            fill(
                "Consultatieverslag {d} over {s}",
                &[("d", &doc_nl_lower), ("s", s.0)],
            ),
            fill("Consultation report on the {d} on {s}", &en),
        ),
    };
    (texts, kind, picked[0])
}

/// A case (IRI, theme) for the consultation to feed: a remembered case opened at least two
/// weeks before the consultation opens, most of the time when there is one.
fn choose_case(context: &mut Context, opens: Day, status: Status) -> Option<(String, usize)> {
    if status == Status::Cancelled || !context.rng.percent(FEEDS_CASE_PERCENT) {
        return None;
    }
    let fitting: Vec<usize> = (0..context.cases.len())
        .filter(|&i| context.cases[i].opened <= opens.plus(-14))
        .collect();
    if fitting.is_empty() {
        return None;
    }
    let case = &context.cases[fitting[context.rng.index(fitting.len())]];
    Some((case.iri.clone(), case.theme))
}

/// Participation level, target groups and Themis themes.
fn classify(context: &mut Context, iri: &str, theme: usize) {
    let rng = &mut context.rng;
    let codes = &context.codes;
    let w = &mut context.writer;
    let level = rng.weighted(&LEVEL_WEIGHTS);
    w.iri(iri, PARTICIPATIENIVEAU, &codes.participation_levels[level]);
    // Every consultation addresses citizens ("burgers", the first group), plus one to four more.
    w.iri(iri, DOELGROEP, &codes.target_groups[0]);
    let others = codes.target_groups.len() - 1;
    let count = rng.range(1, 4) as usize;
    for index in distinct(rng, others, count) {
        w.iri(iri, DOELGROEP, &codes.target_groups[index + 1]);
    }
    w.iri(iri, SUBJECT, &codes.themes[theme].themes[0]);
    if rng.percent(50) {
        w.iri(iri, SUBJECT, &codes.themes[theme].themes[1]);
    }
}

/// The consultation's subject document and its file.
fn subject_document(
    context: &mut Context,
    consultation: &str,
    title: &str,
    kind: ConsultationDocument,
    opens: Day,
    slug: &str,
) {
    let document_type = match kind {
        ConsultationDocument::GreenPaper => codes::document::GROENBOEK,
        ConsultationDocument::WhitePaper => codes::document::WITBOEK,
        ConsultationDocument::Concept => codes::document::CONCEPT,
        ConsultationDocument::Vision => codes::document::VISIENOTA,
        ConsultationDocument::Decree => codes::document::ONTWERPDECREET,
    };
    let created = LocalTime::at(opens.plus(-context.rng.range(3, 14)), 10, 0);
    let document = context.writer.mint(&mut context.rng, "stuk");
    let w = &mut context.writer;
    w.iri(consultation, ONDERWERPSTUK, &document);
    w.typed(&document, STUK);
    w.nl(&document, TITLE, title);
    w.iri(&document, DCT_TYPE, document_type);
    w.date_time(&document, CREATED, created);
    w.iri(&document, VERTROUWELIJKHEID, codes::TOEGANG_PUBLIEK);
    write_file(context, &document, &format!("{slug}.pdf"), created);
}

/// Writes the report record of a consultation, with two to five theme answers and its file.
pub(super) fn write_report(context: &mut Context, report: &ReportPlan) {
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
    for subject in distinct(&mut context.rng, subjects.len(), count) {
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
    let effect = rng.weighted(&[35, 30, 25, 10]);
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

/// `count` distinct indices below `len` (all of them when `count` >= `len`), in random order.
pub(super) fn distinct(rng: &mut Rng, len: usize, count: usize) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    let count = count.min(len);
    for i in 0..count {
        let j = i + rng.index(len - i);
        indices.swap(i, j);
    }
    indices.truncate(count);
    indices
}
