//! Documents (`dossier:Stuk`) and their files (`nfo:FileDataObject`): the documents put on an
//! agenda, the news items ("beslissing in kort bestek") derived from agenda items, and the PDF
//! files behind documents and reports.

use crate::generate::codes::{self, document as doc};
use crate::generate::date::{Day, LocalTime};
use crate::generate::terms::*;
use crate::generate::text::{
    capitalise, fill, MainDocument, NEWS_APPROVED, NEWS_NOTED, NEWS_NOTED_SENTENCES, NEWS_SENTENCES,
};
use crate::generate::world::PLACES;
use crate::generate::Context;

/// PDF sizes in bytes: from a one-page note to a thick draft decree.
const FILE_BYTES: (i64, i64) = (40_000, 5_000_000);
/// Kaleidos numbers documents per year with four digits.
const DOCUMENT_NUMBERS: u64 = 10_000;

/// A document put on the agenda, planned with its item so that the item can refer to it.
pub(super) struct AgendaDocument {
    /// Its IRI.
    pub(super) iri: String,
    title: String,
    document_type: &'static str,
    /// Kaleidos-like file name, e.g. `VR-2026-0910-DOC.0801-1-nota.pdf` without the date part.
    file_suffix: String,
}

/// Per kind of main document: its title (`{t}` the item's title, `{s}` its subject), Themis
/// document type, file-name suffix, and how annexes name it.
fn main_document(main: MainDocument) -> (&'static str, &'static str, &'static str, &'static str) {
    match main {
        MainDocument::Nota => (
            "Nota aan de Vlaamse Regering: {t}",
            doc::NOTA,
            "nota",
            "de nota",
        ),
        MainDocument::Decree => (
            "Ontwerp van decreet over {s}",
            doc::ONTWERPDECREET,
            "ontwerpdecreet",
            "het ontwerp van decreet",
        ),
        MainDocument::Concept => (
            "Conceptnota over {s}",
            doc::CONCEPT,
            "conceptnota",
            "de conceptnota",
        ),
        MainDocument::Vision => (
            "Visienota over {s}",
            doc::VISIENOTA,
            "visienota",
            "de visienota",
        ),
        MainDocument::Mededeling => (
            "Mededeling aan de Vlaamse Regering: {t}",
            doc::MEDEDELING,
            "mededeling",
            "de mededeling",
        ),
    }
}

/// Documents that may accompany the main one, in this order: title (`{k}` names the main
/// document), Themis document type, file-name suffix.
const ANNEXES: [(&str, &str, &str); 3] = [
    (
        "Memorie van toelichting bij {k} over {s}",
        doc::MEMORIE,
        "memorie",
    ),
    ("Bijlage bij {k} over {s}", doc::BIJLAGE, "bijlage"),
    (
        "Advies van de Inspectie van Financiën over {s}",
        doc::ADVIES,
        "advies",
    ),
];

/// Plans the one to three documents of an agenda item: its main document, then an explanatory
/// memorandum (draft decrees only), an annex or an advice.
pub(super) fn plan_agenda_documents(
    context: &mut Context,
    main: MainDocument,
    title: &str,
    subject: &str,
) -> Vec<AgendaDocument> {
    let number = context.documents % DOCUMENT_NUMBERS;
    context.documents += 1;
    let series = if main == MainDocument::Mededeling {
        "MED"
    } else {
        "DOC"
    };
    let (main_title, main_type, main_suffix, noun) = main_document(main);
    // "Nota aan de Vlaamse Regering: ontwerp van besluit over ...", as Kaleidos writes it.
    let lowered = decapitalise(title);
    let values = [("t", lowered.as_str()), ("s", subject), ("k", noun)];
    let annexes = if main == MainDocument::Decree {
        &ANNEXES[..]
    } else {
        &ANNEXES[1..]
    };
    let planned =
        std::iter::once((main_title, main_type, main_suffix)).chain(annexes.iter().copied());
    let count = context.rng.range(1, 3) as usize;
    let mut documents = Vec::with_capacity(count);
    for (index, (template, document_type, suffix)) in planned.take(count).enumerate() {
        documents.push(AgendaDocument {
            iri: context.writer.mint(&mut context.rng, "stuk"),
            title: fill(template, &values),
            document_type,
            file_suffix: format!("{series}.{number:04}-{}-{suffix}.pdf", index + 1),
        });
    }
    documents
}

/// `text` with its first letter in lower case.
fn decapitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes the documents of an item on the meeting of `day`, each with its file.
pub(super) fn agenda_documents(context: &mut Context, documents: &[AgendaDocument], day: Day) {
    let created = LocalTime::at(day.plus(-context.rng.range(3, 10)), 16, 0);
    let (year, month, date) = day.civil();
    for document in documents {
        let iri = &document.iri;
        let w = &mut context.writer;
        w.typed(iri, STUK);
        w.nl(iri, TITLE, &document.title);
        w.iri(iri, DCT_TYPE, document.document_type);
        w.date_time(iri, CREATED, created);
        w.iri(iri, VERTROUWELIJKHEID, codes::TOEGANG_PUBLIEK);
        let name = format!("VR-{year}-{date:02}{month:02}-{}", document.file_suffix);
        write_file(context, iri, &name, created);
    }
}

/// Writes the file of `owner` (a document or report), a PDF called `name`.
pub(super) fn write_file(context: &mut Context, owner: &str, name: &str, created: LocalTime) {
    let size = context.rng.range(FILE_BYTES.0, FILE_BYTES.1) as u64;
    let file = context.writer.mint(&mut context.rng, "bestand");
    let w = &mut context.writer;
    w.iri(owner, PROV_VALUE, &file);
    w.typed(&file, FILE_DATA_OBJECT);
    w.plain(&file, FILE_NAME, name);
    w.plain(&file, FORMAT, "application/pdf");
    w.integer(&file, FILE_SIZE, size);
    w.plain(&file, FILE_EXTENSION, "pdf");
    w.date_time(&file, CREATED, created);
}

/// What a news item is about.
pub(super) struct NewsPlan<'a> {
    /// Index into the themes.
    pub(super) theme: usize,
    /// The item's subject (Dutch, English).
    pub(super) subject: (&'a str, &'a str),
    /// Index into the places.
    pub(super) place: usize,
    /// Whether the item is an approved note (otherwise a communication that was noted).
    pub(super) approved: bool,
    /// The web page of the consultation that informed the decision, if any.
    pub(super) consultation_page: Option<&'a str>,
}

/// Writes the news item derived from `item`, published on the afternoon of the meeting.
pub(super) fn news(context: &mut Context, item: &str, plan: &NewsPlan<'_>, day: Day) {
    let rng = &mut context.rng;
    let (nl, en) = if plan.approved {
        *rng.pick(&NEWS_APPROVED)
    } else {
        *rng.pick(&NEWS_NOTED)
    };
    let title = (
        capitalise(&fill(nl, &[("s", plan.subject.0)])),
        capitalise(&fill(en, &[("s", plan.subject.1)])),
    );
    let lead = if plan.approved {
        fill(
            "De Vlaamse Regering heeft een beslissing genomen over {s}.",
            &[("s", plan.subject.0)],
        )
    } else {
        fill(
            "De Vlaamse Regering neemt akte van de stand van zaken over {s}.",
            &[("s", plan.subject.0)],
        )
    };
    let amount = rng.range(2, 250).to_string();
    let year = (day.year() + rng.range(1, 5)).to_string();
    let values = [
        ("n", amount.as_str()),
        ("p", PLACES[plan.place].0),
        ("y", year.as_str()),
    ];
    let pool: &[&str] = if plan.approved {
        &NEWS_SENTENCES
    } else {
        &NEWS_NOTED_SENTENCES
    };
    let sentences = rng.distinct(pool.len(), 2);
    let mut html = format!(
        "<p>{lead} {}</p><p>{}</p>",
        fill(pool[sentences[0]], &values),
        fill(pool[sentences[1]], &values)
    );
    if let Some(page) = plan.consultation_page {
        // Quotes and angle brackets, as in the demo, which the writer must escape correctly.
        html.push_str(&format!(
            "<p>Het <a href=\"{page}\">consultatieverslag</a> toont wat er met de reacties gebeurde.</p>"
        ));
    }
    let second_theme = rng.percent(50);
    let iri = context.writer.mint(&mut context.rng, "stuk");
    let themes = &context.codes.themes[plan.theme].themes;
    let w = &mut context.writer;
    w.typed(&iri, STUK);
    w.iri(&iri, DCT_TYPE, doc::NIEUWSBERICHT);
    w.iri(&iri, WAS_DERIVED_FROM, item);
    w.nl_en(&iri, TITLE, &title.0, &title.1);
    w.plain(&iri, HTML_CONTENT, &html);
    w.iri(&iri, SUBJECT, &themes[0]);
    if second_theme {
        w.iri(&iri, SUBJECT, &themes[1]);
    }
    w.date_time(&iri, ISSUED, LocalTime::at(day, 14, 30));
    w.iri(&iri, VERTROUWELIJKHEID, codes::TOEGANG_PUBLIEK);
}
