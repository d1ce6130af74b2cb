//! Meetings (`besluit:Vergaderactiviteit`): one Ministerraad a week, with its agenda (sometimes
//! revised: agenda B `prov:wasRevisionOf` agenda A), agenda items, their treatments and decision
//! activities, news items and documents, all in one record as in the demo.

use crate::generate::codes::{self, ITEM_MEDEDELING, ITEM_NOTA};
use crate::generate::date::{Day, LocalTime};
use crate::generate::document::{self, AgendaDocument};
use crate::generate::rng::Rng;
use crate::generate::terms::*;
use crate::generate::text::{capitalise, fill, MainDocument, Pair, MEDEDELING_TITLES, NOTA_TITLES};
use crate::generate::world::{MINISTERS, PLACES, THEMES};
use crate::generate::{ConsultationRef, Context};

/// Agenda items per meeting (the Flemish Government's weekly agendas are of this order).
const ITEMS: (i64, i64) = (15, 45);
/// About 70% of items are notes (Nota), the rest communications (Mededeling).
const NOTA_PERCENT: u64 = 70;
/// Percentage of meetings whose agenda was revised once (agenda B adds one item).
const REVISION_PERCENT: u64 = 15;
/// Percentage of approved or noted items that get a news item; since postponed and withdrawn
/// items get none, about 60% of all items have one.
const NEWS_PERCENT: u64 = 65;
/// Percentage of items brought by two ministers.
const CO_SPONSOR_PERCENT: u64 = 15;
/// Chance, per remembered closed consultation, that a decision of this meeting draws on it.
const INFORMED_PERCENT: u64 = 40;
/// At most this many decisions of one meeting are informed by a consultation.
const MAX_INFORMED: usize = 3;
/// Triples a meeting brings per agenda item, on average (item, treatment, decision, news, two
/// documents with files, and a share of the meeting and agenda): measured as 56.6 on a million
/// triples. Used only to shrink the last meeting so that the data set ends near its target.
const TRIPLES_PER_ITEM: u64 = 56;
/// Nota results: Goedgekeurd, Uitgesteld, Ingetrokken; most notes are approved.
const RESULT_WEIGHTS: [u64; 3] = [88, 8, 4];

/// One agenda item of the final agenda, planned before anything is written.
struct Item {
    iri: String,
    /// The same item on agenda A, when the agenda was revised and the item was already on it.
    earlier: Option<String>,
    theme: usize,
    subject: usize,
    main: MainDocument,
    title: (String, String),
    short: String,
    place: usize,
    result: &'static str,
    ministers: (usize, Option<usize>),
    informed_by: Option<ConsultationRef>,
    news: bool,
    documents: Vec<AgendaDocument>,
}

/// Writes the meeting record of `day`. `remaining` is how many triples the data set still
/// needs: the last meeting gets fewer items so that the output ends close to its target.
pub(super) fn write(context: &mut Context, day: Day, remaining: u64) {
    let most = (remaining / TRIPLES_PER_ITEM + 1) as i64;
    let count = context.rng.range(ITEMS.0, ITEMS.1).min(most).max(1) as usize;
    let informed = take_informed(context, day);
    let slots = context.rng.distinct(count, informed.len());
    let mut informed = informed.into_iter();
    let items: Vec<Item> = (0..count)
        .map(|index| {
            let consultation = slots.contains(&index).then(|| informed.next()).flatten();
            plan_item(context, day, consultation)
        })
        .collect();
    let added =
        (count >= 2 && context.rng.percent(REVISION_PERCENT)).then(|| context.rng.index(count));
    let items = with_earlier(context, items, added);

    let meeting = context.writer.mint(&mut context.rng, "vergaderactiviteit");
    context.writer.begin(&meeting);
    let start = LocalTime::at(day, 10, 0);
    meeting_triples(context, &meeting, day, start);
    agendas(context, &meeting, day, &items, added);
    for item in &items {
        treatment(context, item, start);
        document::agenda_documents(context, &item.documents, day);
        if item.news {
            document::news(context, &item.iri, &news_plan(item), day);
        }
    }
}

/// Closed consultations that decisions of this meeting draw on; each is used once. Going back
/// in time, a consultation that closes after this meeting can inform no later-written meeting.
fn take_informed(context: &mut Context, day: Day) -> Vec<ConsultationRef> {
    context.consultations.retain(|c| c.closed < day);
    let mut chosen = Vec::new();
    let mut index = 0;
    while index < context.consultations.len() && chosen.len() < MAX_INFORMED {
        if context.rng.percent(INFORMED_PERCENT) {
            chosen.push(context.consultations.remove(index));
        } else {
            index += 1;
        }
    }
    chosen
}

/// Plans one item: its theme (the consultation's, when one informs it), titles and result.
fn plan_item(context: &mut Context, day: Day, consultation: Option<ConsultationRef>) -> Item {
    let rng = &mut context.rng;
    let (theme, subject) = match &consultation {
        Some(c) => (c.theme, c.subject),
        None => {
            let theme = rng.index(THEMES.len());
            (theme, rng.index(THEMES[theme].subjects.len()))
        }
    };
    let nota = consultation.is_some() || rng.percent(NOTA_PERCENT);
    let ((nl, en), main) = match (&consultation, nota) {
        // A decision informed by a consultation adopts the text that was consulted on.
        (Some(_), _) => NOTA_TITLES[2 * rng.index(2)],
        (None, true) => *rng.pick(&NOTA_TITLES),
        (None, false) => (*rng.pick(&MEDEDELING_TITLES), MainDocument::Mededeling),
    };
    let place = rng.index(PLACES.len());
    let (title, short) = item_texts(rng, (nl, en), THEMES[theme].subjects[subject], place, day);
    let result = if nota {
        [codes::GOEDGEKEURD, codes::UITGESTELD, codes::INGETROKKEN][rng.weighted(&RESULT_WEIGHTS)]
    } else {
        codes::AKTE_GENOMEN
    };
    let minister = THEMES[theme].minister;
    let co_sponsor = rng
        .percent(CO_SPONSOR_PERCENT)
        .then(|| rng.index(MINISTERS.len()))
        .filter(|m| *m != minister);
    let news =
        matches!(result, codes::GOEDGEKEURD | codes::AKTE_GENOMEN) && rng.percent(NEWS_PERCENT);
    let subject_nl = THEMES[theme].subjects[subject].0;
    let documents = document::plan_agenda_documents(context, main, &title.0, subject_nl);
    Item {
        iri: context.writer.mint(&mut context.rng, "agendapunt"),
        earlier: None,
        theme,
        subject,
        main,
        title,
        short,
        place,
        result,
        ministers: (minister, co_sponsor),
        informed_by: consultation,
        news,
        documents,
    }
}

/// The title (Dutch, English) and short title of an item from its template.
fn item_texts(
    rng: &mut Rng,
    (nl, en): Pair,
    (subject_nl, subject_en): Pair,
    place: usize,
    day: Day,
) -> ((String, String), String) {
    let year = day.year();
    let until = (year + rng.range(4, 10)).to_string();
    let range = format!("{}-{}", year + 1, year + 5);
    let (current, previous) = (year.to_string(), (year - 1).to_string());
    let values = |s, p| {
        [
            ("s", s),
            ("p", p),
            ("y", until.as_str()),
            ("r", range.as_str()),
            ("c", current.as_str()),
            ("v", previous.as_str()),
        ]
    };
    let title = (
        fill(nl, &values(subject_nl, PLACES[place].0)),
        fill(en, &values(subject_en, PLACES[place].1)),
    );
    let mut short = capitalise(subject_nl);
    if nl.contains("{p}") {
        short.push_str(" in ");
        short.push_str(PLACES[place].0);
    }
    (title, short)
}

/// Mints the agenda-A versions of the items that were already on agenda A.
fn with_earlier(context: &mut Context, mut items: Vec<Item>, added: Option<usize>) -> Vec<Item> {
    if let Some(added) = added {
        for (index, item) in items.iter_mut().enumerate() {
            if index != added {
                item.earlier = Some(context.writer.mint(&mut context.rng, "agendapunt"));
            }
        }
    }
    items
}

fn meeting_triples(context: &mut Context, meeting: &str, day: Day, start: LocalTime) {
    let delay = 5 * context.rng.range(0, 3) as u32;
    let length = 5 * context.rng.range(18, 48) as u32;
    let w = &mut context.writer;
    w.typed(meeting, VERGADERACTIVITEIT);
    w.iri(meeting, DCT_TYPE, codes::MINISTERRAAD);
    w.date_time(meeting, GEPLANDE_START, start);
    w.date_time(meeting, STARTED_AT, start.plus_minutes(delay));
    w.date_time(meeting, ENDED_AT, start.plus_minutes(delay + length));
    w.iri(meeting, IS_GEHOUDEN_DOOR, &context.governing_body);
    w.nl_en(
        meeting,
        TITLE,
        &format!("Ministerraad van {}", day.dutch()),
        &format!("Meeting of the Flemish Government of {}", day.english()),
    );
}

/// Agenda A and, when the agenda was revised, agenda B, with their items.
fn agendas(context: &mut Context, meeting: &str, day: Day, items: &[Item], added: Option<usize>) {
    let agenda_a = context.writer.mint(&mut context.rng, "agenda");
    agenda_triples(context, &agenda_a, meeting, day, "A");
    let Some(added) = added else {
        for (index, item) in items.iter().enumerate() {
            context.writer.iri(&agenda_a, HAS_PART, &item.iri);
            item_triples(context, &item.iri, index + 1, item, None);
        }
        return;
    };
    let earlier = items
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != added);
    for (position, (_, item)) in earlier.enumerate() {
        let earlier_iri = item.earlier.as_deref().unwrap_or(&item.iri);
        context.writer.iri(&agenda_a, HAS_PART, earlier_iri);
        item_triples(context, earlier_iri, position + 1, item, None);
    }
    let agenda_b = context.writer.mint(&mut context.rng, "agenda");
    agenda_triples(context, &agenda_b, meeting, day, "B");
    context.writer.iri(&agenda_b, WAS_REVISION_OF, &agenda_a);
    for (index, item) in items.iter().enumerate() {
        context.writer.iri(&agenda_b, HAS_PART, &item.iri);
        item_triples(context, &item.iri, index + 1, item, item.earlier.as_deref());
    }
}

fn agenda_triples(context: &mut Context, agenda: &str, meeting: &str, day: Day, version: &str) {
    let w = &mut context.writer;
    w.typed(agenda, AGENDA);
    w.iri(agenda, IS_AGENDA_VOOR, meeting);
    w.iri(agenda, AGENDA_STATUS, codes::AGENDA_PUBLIEK);
    w.nl_en(
        agenda,
        TITLE,
        &format!("Agenda {version} van de ministerraad van {}", day.dutch()),
        &format!(
            "Agenda {version} of the meeting of the Flemish Government of {}",
            day.english()
        ),
    );
    w.plain(agenda, VOLGNUMMER, version);
}

fn item_triples(
    context: &mut Context,
    iri: &str,
    position: usize,
    item: &Item,
    revises: Option<&str>,
) {
    let w = &mut context.writer;
    w.typed(iri, AGENDAPUNT);
    w.integer(iri, POSITION, position as u64);
    let kind = if item.main == MainDocument::Mededeling {
        ITEM_MEDEDELING
    } else {
        ITEM_NOTA
    };
    w.iri(iri, AGENDAPUNT_TYPE, kind);
    w.nl(iri, KORTE_TITEL, &item.short);
    w.nl_en(iri, TITLE, &item.title.0, &item.title.1);
    for document in &item.documents {
        w.iri(iri, GEAGENDEERD_STUK, &document.iri);
    }
    if let Some(earlier) = revises {
        w.iri(iri, WAS_REVISION_OF, earlier);
    }
}

/// The treatment of an item and its decision activity.
fn treatment(context: &mut Context, item: &Item, start: LocalTime) {
    let treatment = context
        .writer
        .mint(&mut context.rng, "behandeling-van-agendapunt");
    let decision = context
        .writer
        .mint(&mut context.rng, "beslissingsactiviteit");
    let w = &mut context.writer;
    w.typed(&treatment, BEHANDELING);
    w.iri(&treatment, SUBJECT, &item.iri);
    w.boolean(&treatment, OPENBAAR, true);
    w.iri(&treatment, HEEFT_BESLISSING, &decision);
    w.typed(&decision, BESLISSINGSACTIVITEIT);
    w.iri(&decision, RESULTAAT, item.result);
    w.date_time(&decision, STARTED_AT, start);
    w.iri(
        &decision,
        WAS_ASSOCIATED_WITH,
        &context.mandatees[item.ministers.0],
    );
    if let Some(second) = item.ministers.1 {
        w.iri(&decision, WAS_ASSOCIATED_WITH, &context.mandatees[second]);
    }
    if let Some(consultation) = &item.informed_by {
        w.iri(&decision, WAS_INFORMED_BY, &consultation.iri);
    }
}

fn news_plan(item: &Item) -> document::NewsPlan<'_> {
    document::NewsPlan {
        theme: item.theme,
        subject: THEMES[item.theme].subjects[item.subject],
        place: item.place,
        approved: item.main != MainDocument::Mededeling,
        consultation_page: item.informed_by.as_ref().map(|c| c.page.as_str()),
    }
}
