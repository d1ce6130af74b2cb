//! The interface in the reader's language.
//!
//! Templates are written in Dutch and wrap every interface text in the `t` filter
//! (`{{ "Lopende consultaties" | t }}`), gettext style, so they stay readable. Each language gets
//! its own compiled set of templates whose `t` filter looks the text up in [`ENGLISH`] (or leaves
//! it as it is, for Dutch). A unit test fails when a template uses a text that has no English.

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::web::lang::Lang;

/// Dutch interface text and its English translation.
pub const ENGLISH: &[(&str, &str)] = &[
    ("Adres van deze vraag", "Address of this query"),
    ("Agenda", "Agenda"),
    ("Agendapunt", "Agenda item"),
    ("Agendapunten", "Agenda items"),
    ("Agora brengt consultaties, burgervoorstellen, beslissingen van de Vlaamse Regering en de terugkoppeling daarover samen, als open linked data.", "Agora brings together consultations, citizens' proposals, decisions of the Flemish Government and the feedback on them, as open linked data."),
    ("Agora: register van regeringsbeslissingen en inspraak.", "Agora: register of government decisions and public participation."),
    ("alle soorten", "all kinds"),
    ("Antwoord uiterlijk", "Answer due by"),
    ("Antwoord van de overheid", "The government's answer"),
    ("Antwoord:", "Answer:"),
    ("Antwoorden per thema", "Answers per theme"),
    ("Beantwoord", "Answered"),
    ("Beslissing:", "Decision:"),
    ("Beslissing", "Decision"),
    ("Beslissingen die deze consultatie voedde", "Decisions this consultation informed"),
    ("Beslissingen en inspraak van de Vlaamse overheid", "Decisions and public participation of the Flemish government"),
    ("Bevraag alle gepubliceerde gegevens met SPARQL 1.1. De standaardgraaf bevat de gepubliceerde records en de codelijsten; de geschiedenis van elk record staat in een benoemde graaf. Dit endpoint is alleen-lezen.", "Query all published data with SPARQL 1.1. The default graph holds the published records and the code lists; the history of every record is in a named graph. This endpoint is read-only."),
    ("Burgervoorstel", "Citizens' proposal"),
    ("Burgervoorstellen niet binnen de termijn beantwoord", "Citizens' proposals not answered within their term"),
    ("Burgervoorstellen", "Citizens' proposals"),
    ("Consultatie", "Consultation"),
    ("Consultaties filteren", "Filter consultations"),
    ("Consultaties met een achterstallig verslag", "Consultations with an overdue report"),
    ("Consultaties", "Consultations"),
    ("Consultatieverslag", "Consultation report"),
    ("Datum", "Date"),
    ("De vraag kon niet uitgevoerd worden", "The query could not be run"),
    ("Deze vraag delen of in een programma gebruiken", "Share this query or use it in a program"),
    ("Dit record is ingetrokken. De reden en het tijdstip staan hieronder; de vorige versies blijven in de geschiedenis.", "This record was withdrawn. The reason and the time are below; its earlier versions stay in its history."),
    ("Document", "Document"),
    ("Een browser krijgt deze pagina; een programma kiest het formaat met de Accept-header, bijvoorbeeld:", "A browser gets this page; a program chooses the format with the Accept header, for example:"),
    ("Effect", "Effect"),
    ("Eigenschap", "Property"),
    ("Eigenschappen van", "Properties of"),
    ("Eigenschappen", "Properties"),
    ("Elke aanvaarde wijziging is een versie; de inhoud van elke versie blijft opvraagbaar (Turtle).", "Every accepted change is a version; the content of every version stays available (Turtle)."),
    ("Er is nog geen publieke agenda.", "There is no public agenda yet."),
    ("Er is nog geen verslag gepubliceerd.", "No report has been published yet."),
    ("Er lopen op dit moment geen consultaties.", "No consultations are open at the moment."),
    ("Er zijn nog geen vergaderingen gepubliceerd.", "No meetings have been published yet."),
    ("Filteren", "Filter"),
    ("Geen beslissing gepubliceerd", "No decision published"),
    ("Geen resultaten.", "No results."),
    ("Geen: elk verslag is op tijd gepubliceerd.", "None: every report was published on time."),
    ("Geen: elk voorstel kreeg op tijd een antwoord.", "None: every proposal was answered on time."),
    ("Gegevens", "Data"),
    ("Gehouden door", "Held by"),
    ("Gericht aan", "Addressed to"),
    ("Geschiedenis", "History"),
    ("Het is verwacht tegen", "It is due by"),
    ("Het volledige consultatieverslag", "The full consultation report"),
    ("Hoofdmenu", "Main menu"),
    ("Ingediend", "Submitted"),
    ("Inspraak die deze beslissing voedde", "Public participation that informed this decision"),
    ("Lopende consultaties", "Open consultations"),
    ("Na elke consultatie hoort een verslag, en elk burgervoorstel hoort binnen zijn termijn een antwoord te krijgen. Deze pagina toont wat nog openstaat, met hoe laat het is.", "Every consultation owes a report, and every citizens' proposal an answer within its term. This page shows what is still outstanding, and how late it is."),
    ("Naar de inhoud", "Skip to content"),
    ("Nieuwsbericht", "News item"),
    ("Nieuwsbericht:", "News item:"),
    ("Nog geen beslissing verwijst naar deze consultatie.", "No decision refers to this consultation yet."),
    ("Ook beschikbaar als", "Also available as"),
    ("Open data:", "Open data:"),
    ("Open na", "Open after"),
    ("Open van", "Open from"),
    ("Open voor", "Open before"),
    ("Organisator", "Organiser"),
    ("Pagina", "Page"),
    ("Paginering", "Pagination"),
    ("Participatieladder", "Participation ladder"),
    ("Reacties", "Reactions"),
    ("Reageren of meer lezen op de website van de organisator", "Respond or read more on the organiser's website"),
    ("Recente vergaderingen van de Vlaamse Regering", "Recent meetings of the Flemish Government"),
    ("Resources die verwijzen naar", "Resources that refer to"),
    ("Resultaat", "Result"),
    ("resultaat voor", "result for"),
    ("Resultaten", "Results"),
    ("resultaten voor", "results for"),
    ("SPARQL-endpoint", "SPARQL endpoint"),
    ("SPARQL-vraag", "SPARQL query"),
    ("Sluit op", "Closes on"),
    ("Soort", "Kind"),
    ("Start", "Home"),
    ("Status", "Status"),
    ("Stukken waarover de consultatie gaat", "Documents the consultation is about"),
    ("Te laat", "Late by"),
    ("Thema", "Theme"),
    ("Thema's", "Themes"),
    ("Tijdslimiet per vraag (seconden):", "Time limit per query (seconds):"),
    ("Tonen", "Show"),
    ("Tot en met", "Up to and including"),
    ("Uitvoeren", "Run"),
    ("Vanaf", "From"),
    ("Verantwoording", "Accountability"),
    ("Verantwoording: wat beloofd werd en te laat is", "Accountability: what was promised and is late"),
    ("Vergadering", "Meeting"),
    ("Vergaderingen filteren op datum", "Filter meetings by date"),
    ("Vergaderingen van de Vlaamse Regering", "Meetings of the Flemish Government"),
    ("Vergaderingen", "Meetings"),
    ("Versie", "Version"),
    ("Verslag verwacht tegen", "Report due by"),
    ("Verslag verwacht", "Report due"),
    ("Verslag: wat er met de reacties gebeurde", "Report: what was done with the reactions"),
    ("Verwijzingen naar deze resource", "References to this resource"),
    ("Volgende", "Next"),
    ("Voor wie", "For whom"),
    ("Voorbeeldvragen", "Example queries"),
    ("Voorstel", "Proposal"),
    ("Voorstellen van burgers, organisaties en bedrijven aan de Vlaamse overheid, met hun status en de termijn waarbinnen ze een antwoord moeten krijgen.", "Proposals from citizens, organisations and companies to the Flemish government, with their status and the term within which they must be answered."),
    ("Vorige", "Previous"),
    ("Vraag", "Query"),
    ("Waarde", "Value"),
    ("afgekapt: het endpoint zelf geeft alle resultaten", "cut short: the endpoint itself gives every result"),
    ("agendapunten", "agenda items"),
    ("alle eigenschappen", "all properties"),
    ("alle", "all"),
    ("beslissing", "decision"),
    ("beslissingen", "decisions"),
    ("(zonder titel)", "(untitled)"),
    ("consultatie", "consultation"),
    ("consultaties", "consultations"),
    ("dagen", "days"),
    ("door", "by"),
    ("en", "and"),
    ("huidige versie", "current version"),
    ("ja (true)", "yes (true)"),
    ("nee (false)", "no (false)"),
    ("nog niet", "not yet"),
    ("open van", "open from"),
    ("participatieladder:", "participation ladder:"),
    ("participatieniveau:", "participation level:"),
    ("rij", "row"),
    ("rijen", "rows"),
    ("tot", "to"),
    ("van", "of"),
    ("vergadering", "meeting"),
    ("vergaderingen", "meetings"),
    ("via", "via"),
    ("voorstel", "proposal"),
    ("voorstellen", "proposals"),

    ("Zoek", "Search"),
    ("Zoek in de titels en beschrijvingen van consultaties, consultatieverslagen, burgervoorstellen, vergaderingen, agendapunten, nieuwsberichten en documenten. Woorden worden gecombineerd: een resultaat bevat ze allemaal. Meervouden en accenten maken niet uit.", "Search the titles and descriptions of consultations, consultation reports, citizens' proposals, meetings, agenda items, news items and documents. Words are combined: a result contains all of them. Plurals and accents do not matter."),
    ("Zoeken", "Search"),
    ("Zoeken in Agora", "Search Agora"),
    ("Zoekopdracht", "Search query"),
    ("Zoekterm", "Search words"),
];

/// Registers the `t` filter for `lang` on `tera`.
pub fn register(tera: &mut Tera, lang: Lang) {
    let table: HashMap<&'static str, &'static str> = match lang {
        Lang::Nl => HashMap::new(),
        Lang::En => ENGLISH.iter().copied().collect(),
    };
    tera.register_filter(
        "t",
        move |value: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            let text = value
                .as_str()
                .ok_or_else(|| tera::Error::msg("the t filter translates text"))?;
            Ok(Value::String(
                table.get(text).copied().unwrap_or(text).to_owned(),
            ))
        },
    );
}

/// Interface text used outside templates, in `lang`.
pub fn text(lang: Lang, dutch: &'static str) -> &'static str {
    match lang {
        Lang::Nl => dutch,
        Lang::En => ENGLISH
            .iter()
            .find(|(nl, _)| *nl == dutch)
            .map_or(dutch, |(_, en)| en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `"..." | t` text in the templates has an English translation.
    #[test]
    fn every_interface_text_has_english() {
        let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(directory).expect("templates/ exists") {
            let path = entry.expect("readable entry").path();
            let template = std::fs::read_to_string(&path).expect("readable template");
            for piece in template.split("{{ \"").skip(1) {
                let Some((text, rest)) = piece.split_once('"') else {
                    continue;
                };
                if rest.trim_start().starts_with("| t")
                    && !ENGLISH.iter().any(|(nl, _)| *nl == text)
                {
                    missing.push(format!("{}: {text}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:#?}");
    }

    /// The kinds of search results are shown through [`text`]: each needs English too.
    #[test]
    fn every_search_kind_has_english() {
        for kind in crate::search::Kind::ALL {
            assert!(
                ENGLISH.iter().any(|(nl, _)| *nl == kind.label()),
                "no English for {}",
                kind.label()
            );
        }
    }

    #[test]
    fn dutch_is_unchanged_and_english_is_looked_up() {
        assert_eq!(text(Lang::Nl, "Vergaderingen"), "Vergaderingen");
        assert_eq!(text(Lang::En, "Vergaderingen"), "Meetings");
    }
}
