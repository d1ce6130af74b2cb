//! Atom feeds (RFC 4287) for simple sites: consultations (new, changed, closed, report published)
//! and decisions (meetings whose decisions were published or changed).
//!
//! Entries come from the event log, newest first, the latest [`ENTRIES`] of the feed's
//! collections. Each entry's id is the LDES member IRI of its event, so an entry never changes
//! once written; its link is the record's root IRI, which dereferences to the record's page.

use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;

use crate::model::{vocab, Collection, GraphNames};
use crate::store::{EventKind, EventWithContent, Store, StoreError};

/// Entries per feed.
pub const ENTRIES: u64 = 50;

const DCT_TITLE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
const ADMS_STATUS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#status");
const CLOSED: &str =
    "https://agora.vlaanderen.be/id/concept/consultatiestatus/bda2a754-a507-40c4-a1c3-c8523d18fc8c";
const DECISION: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
    "https://data.vlaanderen.be/ns/besluitvorming#Beslissingsactiviteit",
);

/// The Atom feeds Agora publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtomFeed {
    /// Consultations and their reports: `/feeds/consultaties.atom`.
    Consultations,
    /// Meetings with their decisions: `/feeds/beslissingen.atom`.
    Decisions,
}

impl AtomFeed {
    /// The feed whose file name is `name` (`consultaties.atom`, `beslissingen.atom`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        match name {
            "consultaties.atom" => Some(Self::Consultations),
            "beslissingen.atom" => Some(Self::Decisions),
            _ => None,
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Self::Consultations => "consultaties.atom",
            Self::Decisions => "beslissingen.atom",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Consultations => "Agora: consultaties en consultatieverslagen",
            Self::Decisions => "Agora: beslissingen van de Vlaamse Regering",
        }
    }

    fn collections(self) -> &'static [Collection] {
        match self {
            Self::Consultations => &[Collection::Consultations, Collection::Reports],
            Self::Decisions => &[Collection::Meetings],
        }
    }
}

/// One entry, before it is written as XML.
struct Entry {
    id: String,
    title: String,
    updated: DateTime,
    link: String,
    summary: String,
}

/// The feed as an Atom document.
pub fn feed(store: &Store, which: AtomFeed) -> Result<String, StoreError> {
    let names = store.graph_names();
    let mut events = Vec::new();
    for collection in which.collections() {
        let total = store.event_count(*collection)?;
        let from = total.saturating_sub(ENTRIES);
        events.extend(store.events(*collection, from, ENTRIES)?.0);
    }
    events.sort_by(|a, b| {
        b.event
            .time
            .partial_cmp(&a.event.time)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.event.sequence.cmp(&a.event.sequence))
    });
    events.truncate(ENTRIES as usize);
    let entries: Vec<Entry> = events.iter().map(|event| entry(names, event)).collect();
    Ok(render(names, which, &entries))
}

fn root_title(item: &EventWithContent) -> Option<String> {
    titles_of(&item.triples, item.event.root.as_ref())
}

fn titles_of(triples: &[Triple], subject: NamedNodeRef<'_>) -> Option<String> {
    let mut best = None;
    for triple in triples {
        let on_subject = matches!(&triple.subject, NamedOrBlankNode::NamedNode(node) if node.as_ref() == subject);
        if !on_subject || triple.predicate != DCT_TITLE {
            continue;
        }
        if let Term::Literal(literal) = &triple.object {
            let dutch = literal.language() == Some("nl");
            if dutch || best.is_none() {
                best = Some(literal.value().to_owned());
            }
            if dutch {
                break;
            }
        }
    }
    best
}

fn entry(names: &GraphNames, item: &EventWithContent) -> Entry {
    let event = &item.event;
    let title = root_title(item).unwrap_or_else(|| event.root.as_str().to_owned());
    let closed = item.triples.iter().any(|t| {
        t.predicate == ADMS_STATUS
            && matches!(&t.object, Term::NamedNode(n) if n.as_str() == CLOSED)
    });
    let (heading, summary) = match (event.collection, event.kind) {
        (_, EventKind::Delete) => (
            "Ingetrokken",
            format!(
                "Ingetrokken: {}",
                event.reason.as_deref().unwrap_or("zonder reden")
            ),
        ),
        (Collection::Reports, _) => (
            "Consultatieverslag gepubliceerd",
            "Het consultatieverslag is gepubliceerd.".to_owned(),
        ),
        (Collection::Consultations, EventKind::Create) => {
            ("Nieuwe consultatie", "Een nieuwe consultatie.".to_owned())
        }
        (Collection::Consultations, EventKind::Update) if closed => (
            "Consultatie gesloten",
            "De consultatie is gesloten voor reacties.".to_owned(),
        ),
        (Collection::Consultations, EventKind::Update) => (
            "Consultatie gewijzigd",
            "De consultatie is gewijzigd.".to_owned(),
        ),
        (Collection::Meetings, kind) => {
            let decisions = decision_titles(&item.triples);
            (
                if kind == EventKind::Create {
                    "Beslissingen gepubliceerd"
                } else {
                    "Beslissingen gewijzigd"
                },
                if decisions.is_empty() {
                    "Geen beslissingen.".to_owned()
                } else {
                    format!("Beslissingen: {}.", decisions.join("; "))
                },
            )
        }
        (_, _) => ("Gewijzigd", "Gewijzigd.".to_owned()),
    };
    Entry {
        id: event.member_iri(names).as_str().to_owned(),
        title: format!("{heading}: {title}"),
        updated: event.time,
        link: event.root.as_str().to_owned(),
        summary,
    }
}

fn decision_titles(triples: &[Triple]) -> Vec<String> {
    let mut titles: Vec<String> = triples
        .iter()
        .filter(|t| t.predicate == vocab::RDF_TYPE && t.object == Term::from(DECISION.into_owned()))
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(node) => titles_of(triples, node.as_ref()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    titles.sort();
    titles
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            other => out.push(other),
        }
    }
    out
}

/// RFC 3339 time, as Atom wants it (xsd:dateTime with a time zone is RFC 3339).
fn time(time: &DateTime) -> String {
    let text = time.to_string();
    if time.timezone_offset().is_some() {
        text
    } else {
        format!("{text}Z")
    }
}

fn render(names: &GraphNames, which: AtomFeed, entries: &[Entry]) -> String {
    let self_url = format!("{}/feeds/{}", names.base(), which.file_name());
    // The feed changes when its newest entry does; an empty feed is as old as the epoch.
    let updated = entries.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_owned(),
        |entry| time(&entry.updated),
    );
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n");
    xml.push_str(&format!("  <id>{}</id>\n", escape(&self_url)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(which.title())));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str("  <author><name>Agora</name></author>\n");
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&self_url)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n",
        escape(names.base())
    ));
    xml.push_str("  <generator>Agora</generator>\n");
    for entry in entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&entry.id)));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            time(&entry.updated)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            escape(&entry.link)
        ));
        xml.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&entry.summary)
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
