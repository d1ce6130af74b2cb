//! What one search document holds, and how the rows of `queries/search-documents.rq` become
//! documents: one per searchable resource, its kind decided by its classes.

use std::collections::BTreeMap;

use std::str::FromStr;

use oxigraph::model::Term;
use oxsdatatypes::{Date, DateTime, Integer, TimezoneOffset};
use serde::Serialize;
use uuid::Uuid;

use crate::model::GraphNames;
use crate::store::Rows;

const PARTICIPATIE: &str = "https://agora.vlaanderen.be/ns/participatie#";
const BESLUIT: &str = "http://data.vlaanderen.be/ns/besluit#";
const STUK: &str = "https://data.vlaanderen.be/ns/dossier#Stuk";

/// The kinds of searchable resources, the values of the type filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    /// `participatie:Consultatie`.
    Consultation,
    /// `participatie:Consultatieverslag`.
    Report,
    /// `participatie:Burgervoorstel`.
    Proposal,
    /// `besluit:Vergaderactiviteit`.
    Meeting,
    /// `besluit:Agendapunt` (an agenda item, where its decision is shown).
    AgendaItem,
    /// A `dossier:Stuk` with `nie:htmlContent`: a news item ("beslissing in kort bestek").
    NewsItem,
    /// Any other `dossier:Stuk` with a title.
    Document,
}

impl Kind {
    /// Every kind, in the order a filter lists them.
    pub const ALL: [Kind; 7] = [
        Kind::Consultation,
        Kind::Report,
        Kind::Proposal,
        Kind::Meeting,
        Kind::AgendaItem,
        Kind::NewsItem,
        Kind::Document,
    ];

    /// The kind's code in URLs and in the index (`soort=nieuwsbericht`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Consultation => "consultatie",
            Kind::Report => "consultatieverslag",
            Kind::Proposal => "burgervoorstel",
            Kind::Meeting => "vergadering",
            Kind::AgendaItem => "agendapunt",
            Kind::NewsItem => "nieuwsbericht",
            Kind::Document => "document",
        }
    }

    /// The kind's name in Dutch, for people.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Consultation => "Consultatie",
            Kind::Report => "Consultatieverslag",
            Kind::Proposal => "Burgervoorstel",
            Kind::Meeting => "Vergadering",
            Kind::AgendaItem => "Agendapunt",
            Kind::NewsItem => "Nieuwsbericht",
            Kind::Document => "Document",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// One searchable resource as the index stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDocument {
    /// The resource's IRI.
    pub iri: String,
    /// The record it belongs to (documents are replaced record by record).
    pub record: Uuid,
    /// What it is.
    pub kind: Kind,
    /// Its Dutch title (or its title without a language).
    pub title_nl: String,
    /// Its English title, if any.
    pub title_en: String,
    /// Its Dutch text: description, news text without markup, a report's answers.
    pub text_nl: String,
    /// Its English text, if any (searched, not shown).
    pub text_en: String,
    /// Its date (opening, submission, issue, meeting start or creation), as written.
    pub date: Option<String>,
    /// Where it stands in the date-ordered lists, for the kinds listed by date.
    pub listed: Option<Listed>,
    /// A citizens' proposal's answer term and first answer, for the late proposals.
    pub answering: Option<Answering>,
    /// A consultation's closing, report due date and whether a report about it is published,
    /// for the overdue reports.
    pub reporting: Option<Reporting>,
    /// What a consultation report reports on (consultation IRIs): whose documents to refresh
    /// when the report changes.
    pub about: Vec<String>,
}

/// When a consultation's report is due and whether one is published, as the accountability page
/// lists the overdue ones (see `queries/late-reports.rq`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporting {
    /// Its closing instant (seconds since the epoch): a report is overdue only once it closed.
    pub closes: i64,
    /// Its report due date (`participatie:verslagVerwachtTegen`) as written, and as a day
    /// number.
    pub due: (String, i64),
    /// Whether a published report reports on it (`participatie:rapporteertOver`, in another
    /// record).
    pub reported: bool,
}

/// When a citizens' proposal was to be answered and when it was, as the accountability page
/// lists the late ones (see `queries/late-proposals.rq`). Dates are compared as written: the
/// day of their first ten characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answering {
    /// Its answer term (`participatie:antwoordTermijn`) as written, and as a day number (days
    /// since 1970-01-01).
    pub due: (String, i64),
    /// The date of its first feedback (`participatie:heeftTerugkoppeling/dct:issued`) as
    /// written, and as a day number; `None` while it is unanswered.
    pub answered: Option<(String, i64)>,
}

impl Answering {
    /// How many days after its term it was answered, if it was answered late.
    pub fn answered_late(&self) -> Option<i64> {
        let (_, answered) = self.answered.as_ref()?;
        let late = answered.saturating_sub(self.due.1);
        (late > 0).then_some(late)
    }

    /// Its term's day number while it is unanswered.
    pub fn unanswered_due(&self) -> Option<i64> {
        self.answered.is_none().then_some(self.due.1)
    }
}

/// The dates by which a list page orders and filters a resource (see
/// [`SearchIndex::list`](super::SearchIndex::list)): a meeting's planned start, a consultation's
/// opening and closing, a proposal's submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The instant it is ordered by (a meeting's start, a consultation's opening, a proposal's
    /// submission), in seconds
    /// since 1970-01-01T00:00:00Z; a value without a time zone is read as UTC.
    pub when: i64,
    /// The calendar date of that value as written (its first ten characters) as `yyyymmdd`, for
    /// the date filters, which compare dates as written.
    pub day: i64,
    /// The last calendar date it covers, as `yyyymmdd`: a consultation's closing date as
    /// written, else [`Listed::day`]. A period filter keeps what overlaps it.
    pub until_day: i64,
    /// A consultation's closing: its instant in seconds since the epoch, and its value as
    /// written.
    pub closes: Option<(i64, String)>,
    /// A consultation's filter values (IRIs), as the consultations page filters them.
    pub facets: Vec<(Facet, String)>,
    /// Whether a consultation has a status, a participation level and an organiser, which
    /// `consultations.rq` requires of the consultations it lists.
    pub complete: bool,
}

/// The filters of the consultations page, each a property whose values are IRIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// `adms:status`.
    Status,
    /// `dct:subject`.
    Theme,
    /// `participatie:participatieniveau`.
    Level,
    /// `participatie:organisator`.
    Organiser,
}

impl Facet {
    /// Every facet.
    pub const ALL: [Facet; 4] = [Facet::Status, Facet::Theme, Facet::Level, Facet::Organiser];

    /// Its name in `search-documents.rq`, in the index and in `consultation-filters.rq`.
    pub fn code(self) -> &'static str {
        match self {
            Facet::Status => "status",
            Facet::Theme => "theme",
            Facet::Level => "level",
            Facet::Organiser => "organiser",
        }
    }

    /// The facet with this code.
    pub fn from_code(code: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|facet| facet.code() == code)
    }
}

/// The date fields of the query, most telling first.
const DATE_FIELDS: [&str; 5] = ["opens", "submitted", "start", "issued", "created"];
/// The rank of `opens`, `submitted` and `start` in [`DATE_FIELDS`].
const OPENS: usize = 0;
const SUBMITTED: usize = 1;
const START: usize = 2;

#[derive(Default)]
struct Collected {
    record: Option<Uuid>,
    classes: Vec<String>,
    titles_nl: Vec<String>,
    titles_en: Vec<String>,
    texts_nl: Vec<String>,
    texts_en: Vec<String>,
    has_html: bool,
    dates: BTreeMap<usize, String>,
    closes: Option<String>,
    facets: Vec<(Facet, String)>,
    term: Option<String>,
    answers: Vec<String>,
    report_due: Option<String>,
    reported: bool,
    about: Vec<String>,
}

/// Folds the rows of `search-documents.rq` into one document per resource; resources that are
/// neither titled nor described are left out, unless a date-ordered list shows them (a meeting
/// has no title of its own in Kaleidos: its page calls it by its date).
pub fn from_rows(rows: &Rows, names: &GraphNames) -> Vec<SearchDocument> {
    let mut resources: BTreeMap<String, Collected> = BTreeMap::new();
    for row in rows.iter() {
        let (Some(resource), Some(field), Some(value)) =
            (row.str("found"), row.str("field"), row.get("value"))
        else {
            continue;
        };
        let collected = resources.entry(resource.to_owned()).or_default();
        if collected.record.is_none() {
            collected.record = row
                .str("graph")
                .and_then(|graph| names.record_id_of_graph(graph));
        }
        if let Some(class) = row.str("class") {
            if !collected.classes.iter().any(|known| known == class) {
                collected.classes.push(class.to_owned());
            }
        }
        let value = match value {
            Term::Literal(value) => value,
            Term::NamedNode(node) => {
                match field {
                    "reported" => collected.reported = true,
                    "about" if !collected.about.iter().any(|iri| iri == node.as_str()) => {
                        collected.about.push(node.as_str().to_owned());
                    }
                    _ => {}
                }
                if let Some(facet) = Facet::from_code(field) {
                    let pair = (facet, node.as_str().to_owned());
                    if !collected.facets.contains(&pair) {
                        collected.facets.push(pair);
                    }
                }
                continue;
            }
            _ => continue,
        };
        let english = value.language().is_some_and(|tag| tag.starts_with("en"));
        let text = value.value();
        let push = |list: &mut Vec<String>, text: String| {
            if !text.trim().is_empty() && !list.contains(&text) {
                list.push(text);
            }
        };
        match field {
            "title" if english => push(&mut collected.titles_en, text.to_owned()),
            "title" => push(&mut collected.titles_nl, text.to_owned()),
            "text" if english => push(&mut collected.texts_en, text.to_owned()),
            "text" => push(&mut collected.texts_nl, text.to_owned()),
            "html" => {
                collected.has_html = true;
                let list = if english {
                    &mut collected.texts_en
                } else {
                    &mut collected.texts_nl
                };
                push(list, strip_html(text));
            }
            "closes" => {
                collected.closes.get_or_insert_with(|| text.to_owned());
            }
            "term" => {
                collected.term.get_or_insert_with(|| text.to_owned());
            }
            "answered" => push(&mut collected.answers, text.to_owned()),
            "reportDue" => {
                collected.report_due.get_or_insert_with(|| text.to_owned());
            }
            date => {
                if let Some(rank) = DATE_FIELDS.iter().position(|name| *name == date) {
                    collected
                        .dates
                        .entry(rank)
                        .or_insert_with(|| text.to_owned());
                }
            }
        }
    }
    resources
        .into_iter()
        .filter_map(|(iri, collected)| {
            let kind = kind_of(&collected)?;
            let record = collected.record?;
            let mut title_nl = collected.titles_nl.join(" / ");
            let title_en = collected.titles_en.join(" / ");
            if title_nl.is_empty() {
                title_nl.clone_from(&title_en);
            }
            let listed = listed(kind, &collected);
            let answering = answering(kind, &collected);
            let reporting = reporting(kind, &collected);
            if title_nl.is_empty()
                && collected.texts_nl.is_empty()
                && listed.is_none()
                && answering.is_none()
                && reporting.is_none()
            {
                return None;
            }
            Some(SearchDocument {
                iri,
                record,
                kind,
                title_nl,
                title_en,
                text_nl: collected.texts_nl.join("\n"),
                text_en: collected.texts_en.join("\n"),
                date: collected.dates.into_values().next(),
                listed,
                answering,
                reporting,
                about: collected.about,
            })
        })
        .collect()
}

/// The list dates of a meeting (its start), a consultation (its opening and closing) or a
/// citizens' proposal with a status (its submission, as `proposals.rq` lists them); `None` for
/// other kinds and for a value that is not a date.
fn listed(kind: Kind, collected: &Collected) -> Option<Listed> {
    let has = |facet: Facet| collected.facets.iter().any(|(found, _)| *found == facet);
    let (value, closes) = match kind {
        Kind::Meeting => (collected.dates.get(&START)?, None),
        Kind::Proposal if has(Facet::Status) => (collected.dates.get(&SUBMITTED)?, None),
        Kind::Consultation => (
            collected.dates.get(&OPENS)?,
            Some(collected.closes.as_deref()?),
        ),
        _ => return None,
    };
    let day = day_number(value)?;
    let closes = match closes {
        Some(closes) => Some((instant(closes)?, closes.to_owned())),
        None => None,
    };
    let until_day = match &closes {
        Some((_, written)) => day_number(written)?,
        None => day,
    };
    // Only the consultations page filters by facet.
    let consultation = kind == Kind::Consultation;
    let mut facets = if consultation {
        collected.facets.clone()
    } else {
        Vec::new()
    };
    facets.sort();
    Some(Listed {
        when: instant(value)?,
        day,
        until_day,
        closes,
        complete: consultation
            && [Facet::Status, Facet::Level, Facet::Organiser]
                .into_iter()
                .all(has),
        facets,
    })
}

/// A citizens' proposal's term and first answer; `None` for other kinds, for a proposal without
/// a term and for a term that is not a date.
fn answering(kind: Kind, collected: &Collected) -> Option<Answering> {
    if kind != Kind::Proposal {
        return None;
    }
    let due = collected.term.as_ref()?;
    let due = (due.clone(), epoch_day(due)?);
    let answered = collected
        .answers
        .iter()
        .filter_map(|answer| Some((answer.clone(), epoch_day(answer)?)))
        .min_by(|(a_text, a_day), (b_text, b_day)| a_day.cmp(b_day).then(a_text.cmp(b_text)));
    Some(Answering { due, answered })
}

/// A consultation's closing, report due date and whether it has a report; `None` for other
/// kinds and for a consultation without a closing or a report due date (or whose are not dates).
fn reporting(kind: Kind, collected: &Collected) -> Option<Reporting> {
    if kind != Kind::Consultation {
        return None;
    }
    let due = collected.report_due.as_ref()?;
    Some(Reporting {
        closes: instant(collected.closes.as_deref()?)?,
        due: (due.clone(), epoch_day(due)?),
        reported: collected.reported,
    })
}

/// Days since 1970-01-01 of the date a value is written with (its first ten characters).
pub fn epoch_day(value: &str) -> Option<i64> {
    let date = value.trim().get(..10)?;
    Date::from_str(date).ok()?;
    Some(instant(date)?.div_euclid(86_400))
}

/// Seconds since 1970-01-01T00:00:00Z of an `xsd:dateTime` or `xsd:date` (its midnight) as
/// written; a value without a time zone is read as UTC.
pub fn instant(value: &str) -> Option<i64> {
    let value = value.trim();
    let date_time = match DateTime::from_str(value) {
        Ok(date_time) => date_time,
        Err(_) => DateTime::try_from(Date::from_str(value).ok()?).ok()?,
    };
    let date_time = match date_time.timezone_offset() {
        Some(_) => date_time,
        None => date_time.adjust(Some(TimezoneOffset::UTC))?,
    };
    let epoch = DateTime::from_str("1970-01-01T00:00:00Z").ok()?;
    let seconds = date_time.checked_sub(epoch)?.as_seconds().checked_floor()?;
    Integer::try_from(seconds).ok().map(i64::from)
}

/// `yyyymmdd` of the date a value is written with (`2026-10-02T10:00:00+02:00` is 20261002).
pub fn day_number(value: &str) -> Option<i64> {
    let date = value.trim().get(..10)?;
    let bytes = date.as_bytes();
    let shaped = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shaped {
        return None;
    }
    date.replace('-', "").parse().ok()
}

fn kind_of(collected: &Collected) -> Option<Kind> {
    let has = |iri: &str| collected.classes.iter().any(|class| class == iri);
    let participatie = |local: &str| has(&format!("{PARTICIPATIE}{local}"));
    let besluit = |local: &str| has(&format!("{BESLUIT}{local}"));
    if participatie("Consultatie") {
        Some(Kind::Consultation)
    } else if participatie("Consultatieverslag") {
        Some(Kind::Report)
    } else if participatie("Burgervoorstel") {
        Some(Kind::Proposal)
    } else if besluit("Vergaderactiviteit") {
        Some(Kind::Meeting)
    } else if besluit("Agendapunt") {
        Some(Kind::AgendaItem)
    } else if has(STUK) && collected.has_html {
        Some(Kind::NewsItem)
    } else if has(STUK) && !(collected.titles_nl.is_empty() && collected.titles_en.is_empty()) {
        Some(Kind::Document)
    } else {
        None
    }
}

/// The text of an HTML fragment: tags dropped (a space where a tag was, so words stay apart),
/// the content of `script` and `style` dropped, the common character references decoded, runs of
/// white space collapsed. Good enough to index and quote a news item; not an HTML parser.
pub fn strip_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..start]));
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            // A lone '<' is text.
            text.push_str(&decode_entities(after));
            rest = "";
            break;
        };
        let tag = after[1..end].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        rest = &after[end + 1..];
        if (name == "script" || name == "style") && !after[1..].starts_with('/') {
            let closing = format!("</{name}");
            rest = match rest.to_ascii_lowercase().find(&closing) {
                Some(position) => &rest[position..],
                None => "",
            };
        }
        text.push(' ');
    }
    text.push_str(&decode_entities(rest));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        decoded.push_str(&rest[..start]);
        let after = &rest[start..];
        let entity = after[1..]
            .find(';')
            .filter(|end| *end <= 10)
            .map(|end| &after[1..=end]);
        let character = entity.and_then(|entity| match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            numeric => {
                let number = numeric.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, character) {
            (Some(entity), Some(character)) => {
                decoded.push(character);
                rest = &after[entity.len() + 2..];
            }
            _ => {
                decoded.push('&');
                rest = &after[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_dropped_and_words_stay_apart() {
        assert_eq!(
            strip_html("<p>De Vlaamse Regering</p><p>stelt het <a href=\"x\">plan</a> vast.</p>"),
            "De Vlaamse Regering stelt het plan vast."
        );
    }

    #[test]
    fn scripts_and_styles_are_dropped_with_their_content() {
        assert_eq!(
            strip_html("a<script>alert('x<y')</script>b<STYLE>p{}</STYLE>c"),
            "a b c"
        );
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            strip_html("co&#246;peratie &amp; &lt;b&gt; &#x20AC;5&nbsp;x &bogus; &"),
            "coöperatie & <b> €5 x &bogus; &"
        );
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(strip_html("3 < 4"), "3 < 4");
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(Kind::from_code("iets"), None);
    }
}
