//! Dutch and English sentence templates, and the helpers that fill them.
//!
//! Templates hold `{name}` placeholders: `{s}` a subject of the theme, `{p}` a place, `{y}` a
//! future year, `{c}` the current and `{v}` the previous year, `{r}` a range of years, `{n}` an amount, `{g}` a group of people, `{who}` a submitter
//! type. Every template comes
//! as a (Dutch, English) pair so that both languages say the same thing.

/// A (Dutch, English) template pair.
pub(super) type Pair = (&'static str, &'static str);

/// Titles of agenda items of type Nota, with the kind of their main document.
pub(super) const NOTA_TITLES: [(Pair, MainDocument); 8] = [
    (
        ("Ontwerp van besluit over {s}", "Draft order on {s}"),
        MainDocument::Nota,
    ),
    (
        (
            "Ontwerp van decreet over {s}: principiële goedkeuring",
            "Draft decree on {s}: approval in principle",
        ),
        MainDocument::Decree,
    ),
    (
        (
            "Ontwerp van decreet over {s}: definitieve goedkeuring",
            "Draft decree on {s}: final approval",
        ),
        MainDocument::Decree,
    ),
    (
        (
            "Toekenning van een subsidie voor {s} in {p}",
            "Award of a grant for {s} in {p}",
        ),
        MainDocument::Nota,
    ),
    (
        ("Conceptnota over {s}", "Concept note on {s}"),
        MainDocument::Concept,
    ),
    (
        (
            "Visienota over {s} tot {y}",
            "Vision paper on {s} until {y}",
        ),
        MainDocument::Vision,
    ),
    (
        ("Actieplan voor {s} {r}", "Action plan for {s} {r}"),
        MainDocument::Nota,
    ),
    (
        (
            "Benoeming van de leden van de adviesraad voor {s}",
            "Appointment of the members of the advisory council for {s}",
        ),
        MainDocument::Nota,
    ),
];

/// Titles of agenda items of type Mededeling.
pub(super) const MEDEDELING_TITLES: [Pair; 4] = [
    ("Stand van zaken van {s}, {c}", "Progress of {s}, {c}"),
    ("Jaarverslag {v} over {s}", "Annual report {v} on {s}"),
    ("Evaluatie van {s} in {p}", "Evaluation of {s} in {p}"),
    (
        "Verwerking van de consultatie over {s}",
        "Processing of the consultation on {s}",
    ),
];

/// The kind of the main document of an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MainDocument {
    /// A note to the government.
    Nota,
    /// A draft decree (it comes with an explanatory memorandum).
    Decree,
    /// A concept note.
    Concept,
    /// A vision paper.
    Vision,
    /// A communication.
    Mededeling,
}

/// News titles for approved notes.
pub(super) const NEWS_APPROVED: [Pair; 3] = [
    (
        "Vlaamse Regering keurt plannen voor {s} goed",
        "Flemish Government approves plans for {s}",
    ),
    ("Nieuwe impuls voor {s}", "New impetus for {s}"),
    (
        "Vlaamse Regering zet stap vooruit voor {s}",
        "Flemish Government takes a step forward on {s}",
    ),
];

/// News titles for communications.
pub(super) const NEWS_NOTED: [Pair; 2] = [
    ("Stand van zaken: {s}", "Update: {s}"),
    (
        "Vlaamse Regering neemt akte van de evaluatie van {s}",
        "Flemish Government takes note of the evaluation of {s}",
    ),
];

/// Sentences for the body of news items on approved notes (Dutch only: `nie:htmlContent` is
/// Dutch in the demo).
pub(super) const NEWS_SENTENCES: [&str; 6] = [
    "Er gaat {n} miljoen euro naar projecten in onder meer {p}.",
    "De maatregel gaat in op 1 januari {y}.",
    "Lokale besturen, middenveld en burgers werden vooraf betrokken.",
    "Het dossier gaat nu voor advies naar de Raad van State.",
    "De minister bezorgt het Vlaams Parlement een eerste evaluatie tegen eind {y}.",
    "Zo komen er tegen {y} {n} bijkomende projecten in heel Vlaanderen.",
];

/// Sentences for the body of news items on communications.
pub(super) const NEWS_NOTED_SENTENCES: [&str; 4] = [
    "Van de geplande projecten liggen er {n} op schema.",
    "De volgende stand van zaken volgt in {y}.",
    "De resultaten in {p} worden als voorbeeld voor andere gemeenten gebruikt.",
    "De minister stelt de cijfers binnenkort voor in het Vlaams Parlement.",
];

/// Consultation titles, with the kind of subject document and its Dutch name.
pub(super) const CONSULTATION_TITLES: [(Pair, Pair, ConsultationDocument); 5] = [
    (
        ("Groenboek over {s}", "Green paper on {s}"),
        ("Groenboek", "Green paper"),
        ConsultationDocument::GreenPaper,
    ),
    (
        (
            "Witboek over {s}: adviestraject",
            "White paper on {s}: advisory process",
        ),
        ("Witboek", "White paper"),
        ConsultationDocument::WhitePaper,
    ),
    (
        ("Conceptnota over {s}", "Concept note on {s}"),
        ("Conceptnota", "Concept note"),
        ConsultationDocument::Concept,
    ),
    (
        (
            "Cocreatie: naar een nieuw beleid voor {s}",
            "Co-creation: towards a new policy for {s}",
        ),
        ("Visienota", "Vision paper"),
        ConsultationDocument::Vision,
    ),
    (
        (
            "Voorontwerp van decreet over {s}",
            "Preliminary draft decree on {s}",
        ),
        ("Voorontwerp van decreet", "Preliminary draft decree"),
        ConsultationDocument::Decree,
    ),
];

/// The kind of a consultation's subject document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ConsultationDocument {
    /// Groenboek.
    GreenPaper,
    /// Witboek.
    WhitePaper,
    /// Conceptnota.
    Concept,
    /// Visienota.
    Vision,
    /// (Voor)ontwerp van decreet.
    Decree,
}

/// Consultation descriptions; `{d}` is the document's name, `{s2}` and `{s3}` other subjects.
pub(super) const CONSULTATION_DESCRIPTION: Pair = (
    "De Vlaamse Regering vraagt uw mening over {d} over {s}. Ook {s2} en {s3} komen aan bod.",
    "The Flemish Government asks for your views on the {d} on {s}. {s2} and {s3} are also covered.",
);

/// Summaries of what participants said about one theme of a consultation.
pub(super) const SUMMARIES: [Pair; 4] = [
    (
        "Veel deelnemers vragen meer aandacht voor {s}, vooral voor {g}.",
        "Many participants ask for more attention to {s}, especially for {g}.",
    ),
    (
        "Deelnemers steunen de plannen voor {s}, maar vrezen extra kosten voor {g}.",
        "Participants support the plans for {s}, but fear extra costs for {g}.",
    ),
    (
        "Een groep reacties vraagt om {s} sneller en eenvoudiger te organiseren.",
        "A group of responses asks to organise {s} faster and more simply.",
    ),
    (
        "Verschillende organisaties vragen duidelijke doelen en een jaarlijkse opvolging van {s}.",
        "Several organisations ask for clear targets and yearly monitoring of {s}.",
    ),
];

/// Groups of people that summaries mention.
pub(super) const GROUPS: [Pair; 6] = [
    ("gezinnen met een laag inkomen", "low-income households"),
    ("jongeren", "young people"),
    ("ouderen", "older people"),
    ("kleine gemeenten", "small municipalities"),
    ("zelfstandigen", "the self-employed"),
    ("mensen met een beperking", "people with a disability"),
];

/// The government's response, per effect (taken over, partly, not, out of scope).
pub(super) const RESPONSES: [Pair; 4] = [
    ("Het voorstel wordt overgenomen: er komt bijkomend {n} miljoen euro voor {s}.", "The proposal is taken over: an additional {n} million euro goes to {s}."),
    ("Het voorstel wordt deels overgenomen: {s} krijgt een plaats in het plan, maar met een overgangsperiode tot {y}.", "The proposal is partly taken over: {s} gets a place in the plan, but with a transition period until {y}."),
    ("Het voorstel wordt niet overgenomen, omdat het de doelen voor {s} onbetaalbaar zou maken.", "The proposal is not taken over, because it would make the targets for {s} unaffordable."),
    ("Dit valt buiten de bevoegdheid van de Vlaamse overheid. De reacties werden aan de bevoegde overheid bezorgd.", "This falls outside the competence of the Flemish government. The responses were passed on to the competent authority."),
];

/// Proposal titles.
pub(super) const PROPOSAL_TITLES: [Pair; 5] = [
    ("Meer investeren in {s}", "Invest more in {s}"),
    (
        "Een proefproject rond {s} in {p}",
        "A pilot project on {s} in {p}",
    ),
    ("Betere informatie over {s}", "Better information about {s}"),
    (
        "Inspraak van bewoners bij {s}",
        "A say for residents in {s}",
    ),
    (
        "Eenvoudiger procedures voor {s}",
        "Simpler procedures for {s}",
    ),
];

/// Proposal descriptions: they name the submitter's type, never the submitter.
pub(super) const PROPOSAL_DESCRIPTIONS: [Pair; 2] = [
    ("{who} stelt voor om {s} hoger op de agenda te zetten, met concrete maatregelen in {p}.", "{who} proposes to put {s} higher on the agenda, with concrete measures in {p}."),
    ("{who} vraagt de Vlaamse overheid om {s} beter te ondersteunen en de resultaten jaarlijks te publiceren.", "{who} asks the Flemish government to support {s} better and to publish the results every year."),
];

/// How descriptions name each submitter type (citizen, organisation, company).
pub(super) const SUBMITTERS: [Pair; 3] = [
    ("Een burger", "A citizen"),
    ("Een organisatie", "An organisation"),
    ("Een bedrijf", "A company"),
];

/// Feedback on an admissible proposal.
pub(super) const FEEDBACK_ANSWERED: [Pair; 2] = [
    ("Bedankt voor uw voorstel. Het wordt meegenomen bij de uitwerking van het beleid rond {s}.", "Thank you for your proposal. It will be taken into account when the policy on {s} is drawn up."),
    ("Bedankt voor uw voorstel. Een proefproject rond {s} start in {y}.", "Thank you for your proposal. A pilot project on {s} starts in {y}."),
];

/// Added to feedback given after the answer term.
pub(super) const FEEDBACK_LATE: Pair = (
    " Onze excuses voor het late antwoord.",
    " We apologise for the late answer.",
);

/// Feedback on a proposal that is not admissible.
pub(super) const FEEDBACK_NOT_ADMISSIBLE: Pair = (
    "Uw voorstel is niet ontvankelijk: het valt buiten de bevoegdheid van de Vlaamse overheid. We hebben het aan de bevoegde overheid bezorgd.",
    "Your proposal is not admissible: it falls outside the competence of the Flemish government. We have passed it on to the competent authority.",
);

/// Titles of decision-making cases.
pub(super) const CASE_TITLES: [Pair; 4] = [
    ("Decreet over {s}", "Decree on {s}"),
    ("Actieplan voor {s}", "Action plan for {s}"),
    ("Hervorming van {s}", "Reform of {s}"),
    (
        "Beleidsplan voor {s} tot {y}",
        "Policy plan for {s} until {y}",
    ),
];

/// The procedure steps a case goes through, in order.
pub(super) const PROCEDURE_STEPS: [&str; 5] = [
    "Voorbereiding en overleg met de stakeholders",
    "Publieke consultatie",
    "Principiële goedkeuring door de Vlaamse Regering",
    "Advies van de Raad van State",
    "Definitieve goedkeuring door de Vlaamse Regering",
];

/// Replaces each `{name}` in `template` by its value in `values`; unknown names stay as they are.
pub(super) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = after
            .find('}')
            .map(|close| close + 1)
            .unwrap_or(after.len());
        let name = &after[1..close.saturating_sub(1).max(1)];
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&after[..close]),
        }
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// `text` with its first letter in upper case, for subjects that start a title.
pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A URL-safe slug of `text`: lower-case ASCII letters and digits joined by hyphens, with
/// Dutch accented letters folded to their base letter.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if folded != '-' || !(out.is_empty() || out.ends_with('-')) {
            out.push(folded);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn templates_are_filled() -> TestResult {
        let text = fill("{s} in {p} ({x})", &[("s", "Fietspaden"), ("p", "Gent")]);
        assert_eq!(text, "Fietspaden in Gent ({x})");
        assert_eq!(fill("no placeholders", &[]), "no placeholders");
        assert_eq!(fill("open { brace", &[]), "open { brace");
        Ok(())
    }

    #[test]
    fn slugs_and_capitals() -> TestResult {
        assert_eq!(slug("Steun voor kmo's in Genk"), "steun-voor-kmo-s-in-genk");
        assert_eq!(
            slug("Artificiële intelligentie"),
            "artificiele-intelligentie"
        );
        assert_eq!(capitalise("het klimaatplan"), "Het klimaatplan");
        Ok(())
    }
}
