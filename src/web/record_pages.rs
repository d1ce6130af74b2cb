//! Pages for the main record types, in place of the generic resource page: a consultation (with
//! its report's answers per theme and the decisions it informed), a meeting (its agenda in order,
//! each item's decision and news item) and a decision.
//!
//! `pages::resource` calls [`render`] with the resource's types; a type without a page of its own
//! falls back to the generic page, so every URI still has one.
//!
//! These pages walk the published data one index lookup at a time ([`PageData`]) rather than
//! asking SPARQL: the same answers as `queries/consultation.rq`, `meeting.rq`,
//! `decisions-of-a-meeting.rq` and `decision.rq`, without a query plan of a dozen `OPTIONAL`s
//! (each a hash join in Oxigraph) per page.

use oxigraph::model::{NamedNode, NamedNodeRef};
use serde::Serialize;

use crate::web::error::ApiError;
use crate::web::i18n::text;
use crate::web::lang::Lang;
use crate::web::lists::Link;
use crate::web::page_data::PageData;
use crate::web::pages::local_date;
use crate::web::AppState;

macro_rules! iris {
    ($($name:ident = $iri:literal;)*) => {
        $(const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);)*
    };
}

iris! {
    CONSULTATIE = "https://agora.vlaanderen.be/ns/participatie#Consultatie";
    CONSULTATIEVERSLAG = "https://agora.vlaanderen.be/ns/participatie#Consultatieverslag";
    OPENINGSTIJD = "https://agora.vlaanderen.be/ns/participatie#openingstijd";
    SLUITINGSTIJD = "https://agora.vlaanderen.be/ns/participatie#sluitingstijd";
    PARTICIPATIENIVEAU = "https://agora.vlaanderen.be/ns/participatie#participatieniveau";
    ORGANISATOR = "https://agora.vlaanderen.be/ns/participatie#organisator";
    AANTAL_REACTIES = "https://agora.vlaanderen.be/ns/participatie#aantalReacties";
    VERSLAG_VERWACHT_TEGEN = "https://agora.vlaanderen.be/ns/participatie#verslagVerwachtTegen";
    ONDERWERPSTUK = "https://agora.vlaanderen.be/ns/participatie#onderwerpstuk";
    DOELGROEP = "https://agora.vlaanderen.be/ns/participatie#doelgroep";
    RAPPORTEERT_OVER = "https://agora.vlaanderen.be/ns/participatie#rapporteertOver";
    HEEFT_ANTWOORD = "https://agora.vlaanderen.be/ns/participatie#heeftAntwoord";
    THEMA = "https://agora.vlaanderen.be/ns/participatie#thema";
    EFFECT = "https://agora.vlaanderen.be/ns/participatie#effect";
    REACTIE_OVERHEID = "https://agora.vlaanderen.be/ns/participatie#reactieOverheid";
    VERGADERACTIVITEIT = "http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit";
    GEPLANDE_START = "http://data.vlaanderen.be/ns/besluit#geplandeStart";
    AGENDAPUNT_TYPE = "http://data.vlaanderen.be/ns/besluit#Agendapunt.type";
    BESLISSINGSACTIVITEIT = "https://data.vlaanderen.be/ns/besluitvorming#Beslissingsactiviteit";
    IS_AGENDA_VOOR = "https://data.vlaanderen.be/ns/besluitvorming#isAgendaVoor";
    IS_GEHOUDEN_DOOR = "https://data.vlaanderen.be/ns/besluitvorming#isGehoudenDoor";
    HEEFT_BESLISSING = "https://data.vlaanderen.be/ns/besluitvorming#heeftBeslissing";
    RESULTAAT = "https://data.vlaanderen.be/ns/besluitvorming#resultaat";
    DCT_TITLE = "http://purl.org/dc/terms/title";
    DCT_DESCRIPTION = "http://purl.org/dc/terms/description";
    DCT_SUBJECT = "http://purl.org/dc/terms/subject";
    DCT_TYPE = "http://purl.org/dc/terms/type";
    DCT_HAS_PART = "http://purl.org/dc/terms/hasPart";
    ADMS_STATUS = "http://www.w3.org/ns/adms#status";
    FOAF_PAGE = "http://xmlns.com/foaf/0.1/page";
    SCHEMA_POSITION = "http://schema.org/position";
    PROV_STARTED_AT_TIME = "http://www.w3.org/ns/prov#startedAtTime";
    PROV_WAS_INFORMED_BY = "http://www.w3.org/ns/prov#wasInformedBy";
    PROV_WAS_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom";
    PROV_WAS_REVISION_OF = "http://www.w3.org/ns/prov#wasRevisionOf";
}

/// Which page template to use for a resource of these types, with its context; `None` when the
/// generic page serves it.
pub async fn render(
    state: &AppState,
    node: &NamedNode,
    types: &[&str],
    lang: Lang,
    context: &mut tera::Context,
) -> Result<Option<&'static str>, ApiError> {
    let is = |class: NamedNodeRef<'_>| types.contains(&class.as_str());
    type Build = fn(&PageData<'_>, NamedNodeRef<'_>, &mut tera::Context);
    let (template, build): (&'static str, Build) = if is(CONSULTATIE) {
        ("consultation.html", consultation)
    } else if is(VERGADERACTIVITEIT) {
        ("meeting.html", meeting)
    } else if is(BESLISSINGSACTIVITEIT) {
        ("decision.html", decision)
    } else {
        return Ok(None);
    };
    let store = state.store.clone();
    let base = state.config.base_iri.as_str().to_owned();
    let node = node.clone();
    let built = tokio::task::spawn_blocking(move || {
        store.read_published(|published| {
            let data = PageData::new(published, lang, &base);
            let mut context = tera::Context::new();
            build(&data, node.as_ref(), &mut context);
            data.finish().map(|()| context)
        })
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
    .and_then(|built| built)
    .map_err(|error| ApiError::Internal(error.into()))?;
    context.extend(built);
    Ok(Some(template))
}

fn date(
    data: &PageData<'_>,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<String> {
    data.value(subject, predicate)
        .map(|date| local_date(&date, data.lang()))
}

/// Links to what `subject` points at through `predicate`, in the order of their labels.
fn links(data: &PageData<'_>, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Vec<Link> {
    let mut links: Vec<Link> = data
        .nodes(subject, predicate)
        .iter()
        .map(|target| data.link(target.as_ref()))
        .collect();
    links.sort_by(|a, b| a.text.cmp(&b.text));
    links
}

/// The label of what `subject` points at through `predicate`.
fn label_of(
    data: &PageData<'_>,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<String> {
    data.node(subject, predicate)
        .and_then(|target| data.label(target.as_ref()))
}

#[derive(Serialize)]
struct ThemeAnswer {
    theme: String,
    effect: Option<String>,
    reactions: Option<String>,
    answer: Option<String>,
}

#[derive(Serialize)]
struct InformedDecision {
    decision: Option<Link>,
    result: Option<String>,
    item: Option<Link>,
    meeting: Option<Link>,
    date: Option<String>,
    #[serde(skip)]
    sort_date: Option<String>,
}

fn consultation(data: &PageData<'_>, node: NamedNodeRef<'_>, context: &mut tera::Context) {
    if let Some(title) = data.text(node, DCT_TITLE) {
        context.insert("label", &title);
    }
    context.insert("description", &data.text(node, DCT_DESCRIPTION));
    context.insert("opens", &date(data, node, OPENINGSTIJD));
    context.insert("closes", &date(data, node, SLUITINGSTIJD));
    context.insert("status", &label_of(data, node, ADMS_STATUS));
    context.insert("level", &label_of(data, node, PARTICIPATIENIVEAU));
    context.insert(
        "organiser",
        &data.node(node, ORGANISATOR).map(|o| data.link(o.as_ref())),
    );
    context.insert("respond_at", &data.value(node, FOAF_PAGE));
    context.insert("reactions", &data.value(node, AANTAL_REACTIES));
    context.insert("report_due", &date(data, node, VERSLAG_VERWACHT_TEGEN));
    context.insert("documents", &links(data, node, ONDERWERPSTUK));
    context.insert("themes", &links(data, node, DCT_SUBJECT));
    context.insert("groups", &links(data, node, DOELGROEP));

    let report = data
        .subjects(RAPPORTEERT_OVER, node)
        .into_iter()
        .find(|report| data.is_a(report.as_ref(), CONSULTATIEVERSLAG));
    context.insert(
        "report",
        &report.as_ref().map(|report| data.link(report.as_ref())),
    );
    let mut answers: Vec<(i64, ThemeAnswer)> = report
        .iter()
        .flat_map(|report| data.nodes(report.as_ref(), HEEFT_ANTWOORD))
        .filter_map(|answer| {
            let answer = answer.as_ref();
            let reactions = data.value(answer, AANTAL_REACTIES);
            Some((
                reactions
                    .as_deref()
                    .and_then(|count| count.parse().ok())
                    .unwrap_or(-1),
                ThemeAnswer {
                    theme: data.text(answer, THEMA)?,
                    effect: label_of(data, answer, EFFECT),
                    reactions,
                    answer: data.text(answer, REACTIE_OVERHEID),
                },
            ))
        })
        .collect();
    answers.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.theme.cmp(&b.1.theme)));
    let answers: Vec<ThemeAnswer> = answers.into_iter().map(|(_, answer)| answer).collect();
    context.insert("answers", &answers);

    let mut decisions: Vec<InformedDecision> = data
        .subjects(PROV_WAS_INFORMED_BY, node)
        .iter()
        .map(NamedNode::as_ref)
        .filter(|decision| data.is_a(*decision, BESLISSINGSACTIVITEIT))
        .map(|decision| {
            let item = agenda_item_of(data, decision);
            let meeting = item
                .as_ref()
                .and_then(|item| meeting_of(data, item.as_ref()));
            let item_link = item.as_ref().map(|item| data.link(item.as_ref()));
            InformedDecision {
                decision: Some(Link {
                    href: data.href(decision),
                    text: item_link
                        .as_ref()
                        .map(|link| link.text.clone())
                        .unwrap_or_else(|| decision.as_str().to_owned()),
                }),
                result: label_of(data, decision, RESULTAAT),
                item: item_link,
                meeting: meeting.map(|meeting| data.link(meeting.as_ref())),
                date: date(data, decision, PROV_STARTED_AT_TIME),
                sort_date: data.value(decision, PROV_STARTED_AT_TIME),
            }
        })
        .collect();
    decisions.sort_by(|a, b| b.sort_date.cmp(&a.sort_date));
    context.insert("decisions", &decisions);
}

/// The agenda item a decision was taken on: the subject of the treatment that has it.
fn agenda_item_of(data: &PageData<'_>, decision: NamedNodeRef<'_>) -> Option<NamedNode> {
    data.subjects(HEEFT_BESLISSING, decision)
        .into_iter()
        .find_map(|treatment| data.node(treatment.as_ref(), DCT_SUBJECT))
}

/// The meeting whose agenda has `item`.
fn meeting_of(data: &PageData<'_>, item: NamedNodeRef<'_>) -> Option<NamedNode> {
    data.subjects(DCT_HAS_PART, item)
        .into_iter()
        .find_map(|agenda| data.node(agenda.as_ref(), IS_AGENDA_VOOR))
}

#[derive(Serialize)]
struct AgendaItem {
    position: String,
    item: Option<Link>,
    decision: Option<Link>,
    result: Option<String>,
    news: Option<Link>,
}

#[derive(Serialize)]
struct AgendaSection {
    kind: String,
    items: Vec<AgendaItem>,
}

fn meeting(data: &PageData<'_>, node: NamedNodeRef<'_>, context: &mut tera::Context) {
    let lang = data.lang();
    if let Some(title) = data.text(node, DCT_TITLE) {
        context.insert("label", &title);
    }
    context.insert("kind", &label_of(data, node, DCT_TYPE));
    context.insert("start", &date(data, node, GEPLANDE_START));
    context.insert(
        "body",
        &data
            .node(node, IS_GEHOUDEN_DOOR)
            .map(|body| data.link(body.as_ref())),
    );
    // The latest agenda version (one that no other agenda revises), its items in agenda order;
    // notes and announcements in the order their kinds first appear.
    let mut items: Vec<(i64, String, NamedNode)> = data
        .subjects(IS_AGENDA_VOOR, node)
        .into_iter()
        .filter(|agenda| {
            data.subjects(PROV_WAS_REVISION_OF, agenda.as_ref())
                .is_empty()
        })
        .flat_map(|agenda| data.nodes(agenda.as_ref(), DCT_HAS_PART))
        .filter_map(|item| {
            let position = data.value(item.as_ref(), SCHEMA_POSITION)?;
            Some((position.parse().unwrap_or(i64::MAX), position, item))
        })
        .collect();
    items.sort();
    items.dedup_by(|a, b| a.2 == b.2);
    let mut sections: Vec<AgendaSection> = Vec::new();
    for (_, position, item) in items {
        let item = item.as_ref();
        let kind = label_of(data, item, AGENDAPUNT_TYPE)
            .unwrap_or_else(|| text(lang, "Agendapunten").to_owned());
        let decision = data
            .subjects(DCT_SUBJECT, item)
            .into_iter()
            .find_map(|treatment| data.node(treatment.as_ref(), HEEFT_BESLISSING));
        let result = decision
            .as_ref()
            .and_then(|decision| label_of(data, decision.as_ref(), RESULTAAT));
        let entry = AgendaItem {
            position,
            item: Some(data.link(item)),
            decision: decision.as_ref().map(|decision| Link {
                href: data.href(decision.as_ref()),
                text: result
                    .clone()
                    .unwrap_or_else(|| text(lang, "beslissing").to_owned()),
            }),
            result,
            news: data
                .subjects(PROV_WAS_DERIVED_FROM, item)
                .first()
                .map(|news| data.link(news.as_ref())),
        };
        match sections.iter_mut().find(|section| section.kind == kind) {
            Some(section) => section.items.push(entry),
            None => sections.push(AgendaSection {
                kind,
                items: vec![entry],
            }),
        }
    }
    context.insert("sections", &sections);
}

fn decision(data: &PageData<'_>, node: NamedNodeRef<'_>, context: &mut tera::Context) {
    let lang = data.lang();
    let item = agenda_item_of(data, node);
    let item_link = item.as_ref().map(|item| data.link(item.as_ref()));
    let result = label_of(data, node, RESULTAAT);
    let label = match (&result, &item_link) {
        (Some(result), Some(item)) => {
            format!("{} {} ({result})", text(lang, "Beslissing:"), item.text)
        }
        (None, Some(item)) => format!("{} {}", text(lang, "Beslissing:"), item.text),
        _ => text(lang, "Beslissing").to_owned(),
    };
    context.insert("label", &label);
    context.insert("result", &result);
    context.insert("date", &date(data, node, PROV_STARTED_AT_TIME));
    // The news items about the decision's agenda item.
    let mut news: Vec<Link> = item
        .as_ref()
        .map(|item| data.subjects(PROV_WAS_DERIVED_FROM, item.as_ref()))
        .unwrap_or_default()
        .iter()
        .map(|news| data.link(news.as_ref()))
        .collect();
    news.sort_by(|a, b| a.text.cmp(&b.text));
    context.insert("news", &news);
    context.insert(
        "meeting",
        &item
            .as_ref()
            .and_then(|item| meeting_of(data, item.as_ref()))
            .map(|meeting| data.link(meeting.as_ref())),
    );
    context.insert("item", &item_link);
    context.insert("consultations", &links(data, node, PROV_WAS_INFORMED_BY));
}
