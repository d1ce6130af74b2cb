//! The classes and predicates the generator writes, as full IRIs, exactly as
//! `ontology/README.md` and the demo records use them.
//!
//! Plain `&str` rather than `NamedNodeRef`, because the writer pastes them between angle
//! brackets and nothing else; `model::vocab` keeps only the terms the rest of the code needs.

/// `rdf:type`.
pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// `mu:uuid`: Kaleidos and the demo data give every resource its UUID as a literal.
pub(super) const MU_UUID: &str = "http://mu.semte.ch/vocabularies/core/uuid";

/// `besluit:Vergaderactiviteit`.
pub(super) const VERGADERACTIVITEIT: &str =
    "http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit";
/// `besluit:Agendapunt`.
pub(super) const AGENDAPUNT: &str = "http://data.vlaanderen.be/ns/besluit#Agendapunt";
/// `besluit:BehandelingVanAgendapunt`.
pub(super) const BEHANDELING: &str =
    "http://data.vlaanderen.be/ns/besluit#BehandelingVanAgendapunt";
/// `besluit:Bestuursorgaan`.
pub(super) const BESTUURSORGAAN: &str = "http://data.vlaanderen.be/ns/besluit#Bestuursorgaan";
/// `besluit:geplandeStart`.
pub(super) const GEPLANDE_START: &str = "http://data.vlaanderen.be/ns/besluit#geplandeStart";
/// `besluit:openbaar`.
pub(super) const OPENBAAR: &str = "http://data.vlaanderen.be/ns/besluit#openbaar";
/// `besluit:Agendapunt.type`.
pub(super) const AGENDAPUNT_TYPE: &str = "http://data.vlaanderen.be/ns/besluit#Agendapunt.type";

/// `besluitvorming:Agenda`.
pub(super) const AGENDA: &str = "https://data.vlaanderen.be/ns/besluitvorming#Agenda";
/// `besluitvorming:Beslissingsactiviteit`.
pub(super) const BESLISSINGSACTIVITEIT: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#Beslissingsactiviteit";
/// `besluitvorming:Besluitvormingsaangelegenheid`.
pub(super) const AANGELEGENHEID: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#Besluitvormingsaangelegenheid";
/// `besluitvorming:isGehoudenDoor`.
pub(super) const IS_GEHOUDEN_DOOR: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#isGehoudenDoor";
/// `besluitvorming:isAgendaVoor`.
pub(super) const IS_AGENDA_VOOR: &str = "https://data.vlaanderen.be/ns/besluitvorming#isAgendaVoor";
/// `besluitvorming:agendaStatus`.
pub(super) const AGENDA_STATUS: &str = "https://data.vlaanderen.be/ns/besluitvorming#agendaStatus";
/// `besluitvorming:volgnummer`.
pub(super) const VOLGNUMMER: &str = "https://data.vlaanderen.be/ns/besluitvorming#volgnummer";
/// `besluitvorming:korteTitel`.
pub(super) const KORTE_TITEL: &str = "https://data.vlaanderen.be/ns/besluitvorming#korteTitel";
/// `besluitvorming:geagendeerdStuk`.
pub(super) const GEAGENDEERD_STUK: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#geagendeerdStuk";
/// `besluitvorming:heeftBeslissing`.
pub(super) const HEEFT_BESLISSING: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#heeftBeslissing";
/// `besluitvorming:resultaat`.
pub(super) const RESULTAAT: &str = "https://data.vlaanderen.be/ns/besluitvorming#resultaat";
/// `besluitvorming:vertrouwelijkheidsniveau`.
pub(super) const VERTROUWELIJKHEID: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#vertrouwelijkheidsniveau";
/// `besluitvorming:beleidsveld`.
pub(super) const BELEIDSVELD: &str = "https://data.vlaanderen.be/ns/besluitvorming#beleidsveld";
/// `besluitvorming:geplandOpenbaar`.
pub(super) const GEPLAND_OPENBAAR: &str =
    "https://data.vlaanderen.be/ns/besluitvorming#geplandOpenbaar";

/// `dossier:Stuk`.
pub(super) const STUK: &str = "https://data.vlaanderen.be/ns/dossier#Stuk";
/// `dossier:Dossier`.
pub(super) const DOSSIER: &str = "https://data.vlaanderen.be/ns/dossier#Dossier";
/// `dossier:Procedurestap`.
pub(super) const PROCEDURESTAP: &str = "https://data.vlaanderen.be/ns/dossier#Procedurestap";
/// `dossier:openingsdatum`.
pub(super) const OPENINGSDATUM: &str = "https://data.vlaanderen.be/ns/dossier#openingsdatum";
/// `dossier:doorloopt`.
pub(super) const DOORLOOPT: &str = "https://data.vlaanderen.be/ns/dossier#doorloopt";
/// `dossier:Dossier.isNeerslagVan`.
pub(super) const IS_NEERSLAG_VAN: &str =
    "https://data.vlaanderen.be/ns/dossier#Dossier.isNeerslagVan";
/// `dossier:Procedurestap.startdatum`.
pub(super) const STAP_START: &str =
    "https://data.vlaanderen.be/ns/dossier#Procedurestap.startdatum";
/// `dossier:Procedurestap.einddatum`.
pub(super) const STAP_EINDE: &str = "https://data.vlaanderen.be/ns/dossier#Procedurestap.einddatum";

/// `participatie:Consultatie`.
pub(super) const CONSULTATIE: &str = "https://agora.vlaanderen.be/ns/participatie#Consultatie";
/// `participatie:Consultatieverslag`.
pub(super) const CONSULTATIEVERSLAG: &str =
    "https://agora.vlaanderen.be/ns/participatie#Consultatieverslag";
/// `participatie:Themaantwoord`.
pub(super) const THEMAANTWOORD: &str = "https://agora.vlaanderen.be/ns/participatie#Themaantwoord";
/// `participatie:Burgervoorstel`.
pub(super) const BURGERVOORSTEL: &str =
    "https://agora.vlaanderen.be/ns/participatie#Burgervoorstel";
/// `participatie:Terugkoppeling`.
pub(super) const TERUGKOPPELING: &str =
    "https://agora.vlaanderen.be/ns/participatie#Terugkoppeling";
/// `participatie:openingstijd`.
pub(super) const OPENINGSTIJD: &str = "https://agora.vlaanderen.be/ns/participatie#openingstijd";
/// `participatie:sluitingstijd`.
pub(super) const SLUITINGSTIJD: &str = "https://agora.vlaanderen.be/ns/participatie#sluitingstijd";
/// `participatie:participatieniveau`.
pub(super) const PARTICIPATIENIVEAU: &str =
    "https://agora.vlaanderen.be/ns/participatie#participatieniveau";
/// `participatie:organisator`.
pub(super) const ORGANISATOR: &str = "https://agora.vlaanderen.be/ns/participatie#organisator";
/// `participatie:doelgroep`.
pub(super) const DOELGROEP: &str = "https://agora.vlaanderen.be/ns/participatie#doelgroep";
/// `participatie:onderwerpstuk`.
pub(super) const ONDERWERPSTUK: &str = "https://agora.vlaanderen.be/ns/participatie#onderwerpstuk";
/// `participatie:voedt`.
pub(super) const VOEDT: &str = "https://agora.vlaanderen.be/ns/participatie#voedt";
/// `participatie:aantalReacties`.
pub(super) const AANTAL_REACTIES: &str =
    "https://agora.vlaanderen.be/ns/participatie#aantalReacties";
/// `participatie:verslagVerwachtTegen`.
pub(super) const VERSLAG_VERWACHT: &str =
    "https://agora.vlaanderen.be/ns/participatie#verslagVerwachtTegen";
/// `participatie:rapporteertOver`.
pub(super) const RAPPORTEERT_OVER: &str =
    "https://agora.vlaanderen.be/ns/participatie#rapporteertOver";
/// `participatie:heeftAntwoord`.
pub(super) const HEEFT_ANTWOORD: &str = "https://agora.vlaanderen.be/ns/participatie#heeftAntwoord";
/// `participatie:thema`.
pub(super) const THEMA: &str = "https://agora.vlaanderen.be/ns/participatie#thema";
/// `participatie:samenvatting`.
pub(super) const SAMENVATTING: &str = "https://agora.vlaanderen.be/ns/participatie#samenvatting";
/// `participatie:reactieOverheid`.
pub(super) const REACTIE_OVERHEID: &str =
    "https://agora.vlaanderen.be/ns/participatie#reactieOverheid";
/// `participatie:effect`.
pub(super) const EFFECT: &str = "https://agora.vlaanderen.be/ns/participatie#effect";
/// `participatie:indienerType`.
pub(super) const INDIENER_TYPE: &str = "https://agora.vlaanderen.be/ns/participatie#indienerType";
/// `participatie:antwoordTermijn`.
pub(super) const ANTWOORD_TERMIJN: &str =
    "https://agora.vlaanderen.be/ns/participatie#antwoordTermijn";
/// `participatie:gerichtAan`.
pub(super) const GERICHT_AAN: &str = "https://agora.vlaanderen.be/ns/participatie#gerichtAan";
/// `participatie:heeftTerugkoppeling`.
pub(super) const HEEFT_TERUGKOPPELING: &str =
    "https://agora.vlaanderen.be/ns/participatie#heeftTerugkoppeling";
/// `participatie:gegevenDoor`.
pub(super) const GEGEVEN_DOOR: &str = "https://agora.vlaanderen.be/ns/participatie#gegevenDoor";

/// `prov:startedAtTime`.
pub(super) const STARTED_AT: &str = "http://www.w3.org/ns/prov#startedAtTime";
/// `prov:endedAtTime`.
pub(super) const ENDED_AT: &str = "http://www.w3.org/ns/prov#endedAtTime";
/// `prov:wasAssociatedWith`.
pub(super) const WAS_ASSOCIATED_WITH: &str = "http://www.w3.org/ns/prov#wasAssociatedWith";
/// `prov:wasInformedBy`.
pub(super) const WAS_INFORMED_BY: &str = "http://www.w3.org/ns/prov#wasInformedBy";
/// `prov:wasDerivedFrom`.
pub(super) const WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
/// `prov:wasRevisionOf`.
pub(super) const WAS_REVISION_OF: &str = "http://www.w3.org/ns/prov#wasRevisionOf";
/// `prov:value`.
pub(super) const PROV_VALUE: &str = "http://www.w3.org/ns/prov#value";

/// `dct:type`.
pub(super) const DCT_TYPE: &str = "http://purl.org/dc/terms/type";
/// `dct:title`.
pub(super) const TITLE: &str = "http://purl.org/dc/terms/title";
/// `dct:description`.
pub(super) const DESCRIPTION: &str = "http://purl.org/dc/terms/description";
/// `dct:subject`.
pub(super) const SUBJECT: &str = "http://purl.org/dc/terms/subject";
/// `dct:created`.
pub(super) const CREATED: &str = "http://purl.org/dc/terms/created";
/// `dct:issued`.
pub(super) const ISSUED: &str = "http://purl.org/dc/terms/issued";
/// `dct:format`.
pub(super) const FORMAT: &str = "http://purl.org/dc/terms/format";
/// `dct:hasPart`.
pub(super) const HAS_PART: &str = "http://purl.org/dc/terms/hasPart";
/// `dct:dateSubmitted`.
pub(super) const DATE_SUBMITTED: &str = "http://purl.org/dc/terms/dateSubmitted";
/// `dct:spatial`.
pub(super) const SPATIAL: &str = "http://purl.org/dc/terms/spatial";

/// `adms:status`.
pub(super) const STATUS: &str = "http://www.w3.org/ns/adms#status";
/// `schema:position`.
pub(super) const POSITION: &str = "http://schema.org/position";
/// `nie:htmlContent`.
pub(super) const HTML_CONTENT: &str =
    "http://www.semanticdesktop.org/ontologies/2007/01/19/nie#htmlContent";
/// `nfo:FileDataObject`.
pub(super) const FILE_DATA_OBJECT: &str =
    "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#FileDataObject";
/// `nfo:fileName`.
pub(super) const FILE_NAME: &str =
    "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileName";
/// `nfo:fileSize`.
pub(super) const FILE_SIZE: &str =
    "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileSize";
/// `dbpedia:fileExtension`.
pub(super) const FILE_EXTENSION: &str = "http://dbpedia.org/ontology/fileExtension";
/// `skos:prefLabel`.
pub(super) const PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
/// `skos:altLabel`.
pub(super) const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
/// `foaf:homepage`.
pub(super) const HOMEPAGE: &str = "http://xmlns.com/foaf/0.1/homepage";
/// `foaf:page`.
pub(super) const PAGE: &str = "http://xmlns.com/foaf/0.1/page";
/// `foaf:familyName`: only for ministers, who are public office holders, never for participants.
pub(super) const FAMILY_NAME: &str = "http://xmlns.com/foaf/0.1/familyName";
/// `persoon:gebruikteVoornaam`: idem.
pub(super) const VOORNAAM: &str = "https://data.vlaanderen.be/ns/persoon#gebruikteVoornaam";
/// `mandaat:Mandataris`.
pub(super) const MANDATARIS: &str = "http://data.vlaanderen.be/ns/mandaat#Mandataris";
/// `mandaat:isBestuurlijkeAliasVan`.
pub(super) const ALIAS_VAN: &str = "http://data.vlaanderen.be/ns/mandaat#isBestuurlijkeAliasVan";
/// `mandaat:start`.
pub(super) const MANDAAT_START: &str = "http://data.vlaanderen.be/ns/mandaat#start";
/// `person:Person`.
pub(super) const PERSON: &str = "http://www.w3.org/ns/person#Person";
/// `org:Organization`.
pub(super) const ORGANIZATION: &str = "http://www.w3.org/ns/org#Organization";
