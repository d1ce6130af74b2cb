//! Consultations (`participatie:Consultatie`) with their subject documents.
//!
//! A consultation's status always agrees with its dates as seen on [`TODAY`]: planned before it
//! opens, open until it closes, then closed, or "report published" when its report (written as
//! the next record) was issued by today; a few are cancelled.

use crate::generate::date::{Day, LocalTime};
use crate::generate::document::write_file;
use crate::generate::report::ReportPlan;
use crate::generate::rng::Rng;
use crate::generate::terms::*;
use crate::generate::text::{
    capitalise, fill, slug, ConsultationDocument, CONSULTATION_DESCRIPTION, CONSULTATION_TITLES,
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
/// Percentage of consultations whose report is published before it is due.
const EARLY_PERCENT: u64 = 40;
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

/// Opening and closing days relative to the meeting day `day`, consistent with `forced`.
fn dates(rng: &mut Rng, day: Day, forced: Option<Status>) -> (Day, Day) {
    match forced {
        Some(Status::Published) => {
            let closes = day.plus(-rng.range(50, 120));
            (closes.plus(-rng.range(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
        Some(Status::Open) => {
            let closes = TODAY.plus(rng.range(7, 60));
            let opens = closes
                .plus(-rng.range(OPEN_DAYS.0, OPEN_DAYS.1))
                .min(TODAY.plus(-1));
            (opens, closes)
        }
        Some(Status::Closed) => {
            let closes = day.plus(-rng.range(5, 30));
            (closes.plus(-rng.range(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
        Some(Status::Planned) => {
            let opens = TODAY.plus(rng.range(7, 60));
            (opens, opens.plus(rng.range(OPEN_DAYS.0, OPEN_DAYS.1)))
        }
        // Closing up to ten weeks before or six weeks after the meeting, so that decisions of
        // this and the next (older) meetings can draw on it.
        Some(Status::Cancelled) | None => {
            let closes = day.plus(rng.range(-70, 42));
            (closes.plus(-rng.range(OPEN_DAYS.0, OPEN_DAYS.1)), closes)
        }
    }
}

/// Dates and status of a consultation of the week of `day`.
fn plan(rng: &mut Rng, day: Day, forced: Option<Status>) -> Plan {
    let (opens, closes) = dates(rng, day, forced);
    let due = closes.plus(rng.range(REPORT_DUE_DAYS.0, REPORT_DUE_DAYS.1));
    // Reports come three weeks after closing at the earliest, some a little after they were due.
    let report_day = closes
        .plus(rng.range(21, due.since(closes) + 21))
        .min(TODAY.plus(-1));
    let status = match forced {
        Some(status) => status,
        None if rng.percent(CANCELLED_PERCENT) => Status::Cancelled,
        None if opens > TODAY => Status::Planned,
        None if closes >= TODAY => Status::Open,
        None => {
            let reported = rng.percent(if due < TODAY {
                REPORTED_PERCENT
            } else {
                EARLY_PERCENT
            });
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
    // The number keeps pages and file names unique when titles repeat.
    let slug = format!("{}-{number}", slug(&texts.title.0));
    let page = format!("https://www.vlaanderen.be/participatie/consultaties/{slug}");
    let iri = context.writer.mint(&mut context.rng, "consultatie");
    context.writer.begin(&iri);
    consultation_triples(context, &iri, &plan, &texts, &page);
    if let Some((case, _)) = &case {
        context.writer.iri(&iri, VOEDT, case);
    }
    let organisation = THEMES[theme].organisation;
    context
        .writer
        .iri(&iri, ORGANISATOR, &context.organisations[organisation]);
    if let Some(area) = ORGANISATIONS[organisation].spatial {
        context.writer.iri(&iri, SPATIAL, area);
    }
    classify(context, &iri, theme);
    subject_document(context, &iri, &texts.document, kind, plan.opens, &slug);
    // Only closed consultations have a final count of responses; a few hundred is typical.
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

/// Title, description, dates, status, page and report due date.
fn consultation_triples(context: &mut Context, iri: &str, plan: &Plan, texts: &Texts, page: &str) {
    let status = &context.codes.consultation_status[plan.status as usize];
    let w = &mut context.writer;
    w.typed(iri, CONSULTATIE);
    w.nl_en(iri, TITLE, &texts.title.0, &texts.title.1);
    w.nl_en(iri, DESCRIPTION, &texts.description.0, &texts.description.1);
    w.date_time(iri, OPENINGSTIJD, LocalTime::at(plan.opens, 9, 0));
    w.date_time(iri, SLUITINGSTIJD, LocalTime::end_of(plan.closes));
    w.iri(iri, STATUS, status);
    w.iri(iri, PAGE, page);
    w.date(iri, VERSLAG_VERWACHT, plan.due);
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
    let picked = rng.distinct(subjects.len(), 3);
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
    for index in rng.distinct(others, count) {
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
