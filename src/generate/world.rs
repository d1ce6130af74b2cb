//! The fixed cast of the synthetic data set: the ministers of the (fictional) Flemish
//! Government, the organisations that run consultations and answer proposals, and the policy
//! themes that tie agenda items, consultations, proposals and cases to ministers, organisations
//! and Themis concepts.
//!
//! The ministers and their names are fictional office holders, as in the demo data; citizens
//! never get a name anywhere in the generated data.

/// A minister: mandate title (nl, en), first name and family name.
pub(super) struct Minister {
    /// `dct:title` of the mandate, in Dutch.
    pub(super) title_nl: &'static str,
    /// `dct:title` of the mandate, in English.
    pub(super) title_en: &'static str,
    /// `persoon:gebruikteVoornaam`.
    pub(super) first_name: &'static str,
    /// `foaf:familyName`.
    pub(super) family_name: &'static str,
}

/// The Flemish Government: eight portfolios, in protocol order (`schema:position`).
pub(super) const MINISTERS: [Minister; 8] = [
    Minister {
        title_nl: "Minister-president van de Vlaamse Regering, Vlaams minister van Buitenlands Beleid, Cultuur en Digitalisering",
        title_en: "Minister-President of the Flemish Government, Flemish Minister for Foreign Affairs, Culture and Digitalisation",
        first_name: "Pieter",
        family_name: "Verhaeghe",
    },
    Minister {
        title_nl: "Viceminister-president van de Vlaamse Regering, Vlaams minister van Onderwijs, Jeugd en Sport",
        title_en: "Vice-Minister-President of the Flemish Government, Flemish Minister for Education, Youth and Sport",
        first_name: "Sofie",
        family_name: "Mertens",
    },
    Minister {
        title_nl: "Vlaams minister van Omgeving, Energie en Klimaat",
        title_en: "Flemish Minister for Environment, Energy and Climate",
        first_name: "Lieve",
        family_name: "Van den Broeck",
    },
    Minister {
        title_nl: "Vlaams minister van Mobiliteit en Openbare Werken",
        title_en: "Flemish Minister for Mobility and Public Works",
        first_name: "Jeroen",
        family_name: "De Smedt",
    },
    Minister {
        title_nl: "Vlaams minister van Binnenlands Bestuur, Wonen en Gelijke Kansen",
        title_en: "Flemish Minister for Home Affairs, Housing and Equal Opportunities",
        first_name: "Karim",
        family_name: "El Amrani",
    },
    Minister {
        title_nl: "Vlaams minister van Financiën, Begroting en Brussel",
        title_en: "Flemish Minister for Finance, Budget and Brussels",
        first_name: "Hanne",
        family_name: "Verlinden",
    },
    Minister {
        title_nl: "Viceminister-president van de Vlaamse Regering, Vlaams minister van Welzijn, Volksgezondheid en Armoedebestrijding",
        title_en: "Vice-Minister-President of the Flemish Government, Flemish Minister for Welfare, Public Health and Poverty Reduction",
        first_name: "Ann",
        family_name: "Claes",
    },
    Minister {
        title_nl: "Vlaams minister van Economie, Innovatie, Werk en Landbouw",
        title_en: "Flemish Minister for Economy, Innovation, Work and Agriculture",
        first_name: "Bart",
        family_name: "Wouters",
    },
];

/// An organisation: labels, abbreviation, description, homepage and optional area.
pub(super) struct Organisation {
    /// `skos:prefLabel`, Dutch and English.
    pub(super) label: (&'static str, &'static str),
    /// `skos:altLabel` (no language, as in the demo).
    pub(super) short: &'static str,
    /// `dct:description`, Dutch and English.
    pub(super) description: (&'static str, &'static str),
    /// `foaf:homepage`.
    pub(super) homepage: &'static str,
    /// `dct:spatial`, for organisations outside Flanders proper.
    pub(super) spatial: Option<&'static str>,
}

/// Wikidata's Brussels-Capital Region, the area the demo gives perspective.brussels.
const BRUSSELS_REGION: &str = "http://www.wikidata.org/entity/Q240";

/// The organisations that organise consultations and receive proposals.
pub(super) const ORGANISATIONS: [Organisation; 11] = [
    Organisation {
        label: ("Departement Omgeving", "Department of Environment and Spatial Development"),
        short: "Omgeving",
        description: ("Beleidsdomein Omgeving van de Vlaamse overheid: klimaat, energie, ruimtelijke ordening, wonen en natuur.", "Environment policy area of the Flemish government: climate, energy, spatial planning, housing and nature."),
        homepage: "https://omgeving.vlaanderen.be/",
        spatial: None,
    },
    Organisation {
        label: ("Departement Mobiliteit en Openbare Werken", "Department of Mobility and Public Works"),
        short: "MOW",
        description: ("Bereidt het Vlaamse mobiliteitsbeleid en het beleid voor openbare werken voor.", "Prepares Flemish mobility and public works policy."),
        homepage: "https://www.vlaanderen.be/departement-mobiliteit-en-openbare-werken",
        spatial: None,
    },
    Organisation {
        label: ("Departement Onderwijs en Vorming", "Department of Education and Training"),
        short: "Onderwijs",
        description: ("Bereidt het Vlaamse onderwijsbeleid voor, van kleuteronderwijs tot hoger onderwijs.", "Prepares Flemish education policy, from pre-school to higher education."),
        homepage: "https://onderwijs.vlaanderen.be/",
        spatial: None,
    },
    Organisation {
        label: ("Agentschap Binnenlands Bestuur", "Agency for Home Affairs"),
        short: "ABB",
        description: ("Ondersteunt en houdt toezicht op de lokale besturen in Vlaanderen.", "Supports and supervises local governments in Flanders."),
        homepage: "https://www.vlaanderen.be/agentschap-binnenlands-bestuur",
        spatial: None,
    },
    Organisation {
        label: ("perspective.brussels (Brussels Planningsbureau)", "perspective.brussels (Brussels Planning Agency)"),
        short: "perspective.brussels",
        description: ("Planningsbureau van het Brussels Hoofdstedelijk Gewest, bevoegd voor territoriale, socio-economische en statistische kennis en voor stadsplanning.", "Planning agency of the Brussels-Capital Region, responsible for territorial, socio-economic and statistical knowledge and for urban planning."),
        homepage: "https://perspective.brussels/",
        spatial: Some(BRUSSELS_REGION),
    },
    Organisation {
        label: ("Departement Cultuur, Jeugd en Media", "Department of Culture, Youth and Media"),
        short: "CJM",
        description: ("Bereidt het Vlaamse beleid voor cultuur, jeugd, sport en media voor.", "Prepares Flemish policy on culture, youth, sport and media."),
        homepage: "https://www.vlaanderen.be/cjm",
        spatial: None,
    },
    Organisation {
        label: ("Departement Zorg", "Department of Care"),
        short: "Zorg",
        description: ("Bereidt het Vlaamse beleid voor welzijn, gezondheid en gezin voor.", "Prepares Flemish policy on welfare, health and family."),
        homepage: "https://www.departementzorg.be/",
        spatial: None,
    },
    Organisation {
        label: ("Departement Economie, Wetenschap en Innovatie", "Department of Economy, Science and Innovation"),
        short: "EWI",
        description: ("Bereidt het Vlaamse beleid voor economie, wetenschap, innovatie en werk voor.", "Prepares Flemish policy on economy, science, innovation and work."),
        homepage: "https://www.ewi-vlaanderen.be/",
        spatial: None,
    },
    Organisation {
        label: ("Departement Landbouw en Visserij", "Department of Agriculture and Fisheries"),
        short: "LV",
        description: ("Bereidt het Vlaamse landbouw- en visserijbeleid voor.", "Prepares Flemish agriculture and fisheries policy."),
        homepage: "https://landbouwvlaanderen.be/",
        spatial: None,
    },
    Organisation {
        label: ("Digitaal Vlaanderen", "Digital Flanders"),
        short: "DV",
        description: ("Agentschap dat de digitale transformatie van de Vlaamse en lokale overheden ondersteunt.", "Agency that supports the digital transformation of the Flemish and local governments."),
        homepage: "https://www.vlaanderen.be/digitaal-vlaanderen",
        spatial: None,
    },
    Organisation {
        label: ("Departement Financiën en Begroting", "Department of Finance and Budget"),
        short: "FB",
        description: ("Bereidt de Vlaamse begroting en het fiscale beleid voor.", "Prepares the Flemish budget and tax policy."),
        homepage: "https://www.vlaanderen.be/financien-en-begroting",
        spatial: None,
    },
];

/// A policy theme of the simulation.
pub(super) struct Theme {
    /// `skos:prefLabel`s of the (non-deprecated) Themis themes, the first one always used.
    pub(super) themis: [&'static str; 2],
    /// `skos:prefLabel` of the Themis policy domain (`besluitvorming:beleidsveld`).
    pub(super) domain: &'static str,
    /// Index into [`MINISTERS`] of the minister who brings its items.
    pub(super) minister: usize,
    /// Index into [`ORGANISATIONS`] of the organisation that consults and answers on it.
    pub(super) organisation: usize,
    /// Subjects (Dutch, English) that titles, answers and proposals are made of; at least five,
    /// so that a report can have five distinct theme answers.
    pub(super) subjects: &'static [(&'static str, &'static str)],
}

/// The themes; weights are equal, so each gets about 1/15 of all items.
pub(super) const THEMES: [Theme; 15] = [
    Theme {
        themis: ["Mobiliteit", "Openbare Werken"],
        domain: "Mobiliteit en Openbare Werken",
        minister: 3,
        organisation: 1,
        subjects: &[
            ("fietsinfrastructuur", "cycling infrastructure"),
            ("basisbereikbaarheid", "basic accessibility"),
            ("verkeersveiligheid", "road safety"),
            ("het streekvervoer", "regional public transport"),
            (
                "de heraanleg van gewestwegen",
                "the redevelopment of regional roads",
            ),
            ("publieke laadpunten", "public charging points"),
        ],
    },
    Theme {
        themis: ["Energie", "Klimaat"],
        domain: "Omgeving",
        minister: 2,
        organisation: 0,
        subjects: &[
            ("de renovatie van woningen", "the renovation of homes"),
            ("hernieuwbare energie", "renewable energy"),
            ("warmtenetten", "heat networks"),
            ("energiegemeenschappen", "energy communities"),
            ("het klimaatplan", "the climate plan"),
            (
                "zonnepanelen op publieke gebouwen",
                "solar panels on public buildings",
            ),
        ],
    },
    Theme {
        themis: ["Leefmilieu en Natuur", "Natuurlijke Rijkdommen"],
        domain: "Omgeving",
        minister: 2,
        organisation: 0,
        subjects: &[
            ("natuurherstel", "nature restoration"),
            ("het waterbeheer", "water management"),
            ("de luchtkwaliteit", "air quality"),
            ("bosuitbreiding", "forest expansion"),
            ("de stikstofuitstoot", "nitrogen emissions"),
        ],
    },
    Theme {
        themis: ["Wonen", "Ruimtelijke Ordening"],
        domain: "Omgeving",
        minister: 4,
        organisation: 0,
        subjects: &[
            ("sociale huisvesting", "social housing"),
            ("betaalbare huurwoningen", "affordable rental homes"),
            ("de aanpak van leegstand", "tackling vacancy"),
            ("gemeenschappelijk wonen", "shared housing"),
            ("de bouwshift", "the building shift"),
        ],
    },
    Theme {
        themis: ["Onderwijs en Vorming", "Jeugd"],
        domain: "Onderwijs en Vorming",
        minister: 1,
        organisation: 2,
        subjects: &[
            ("leerlingenbegeleiding", "pupil guidance"),
            ("het lerarentekort", "the teacher shortage"),
            ("schoolinfrastructuur", "school infrastructure"),
            ("basisvaardigheden", "basic skills"),
            ("duaal leren", "dual learning"),
            ("Nederlands op school", "Dutch at school"),
        ],
    },
    Theme {
        themis: ["Welzijn en Gezondheid", "Armoedebestrijding"],
        domain: "Welzijn, Volksgezondheid en Gezin",
        minister: 6,
        organisation: 6,
        subjects: &[
            ("kinderopvang", "childcare"),
            ("woonzorgcentra", "residential care centres"),
            ("geestelijke gezondheidszorg", "mental health care"),
            ("armoedebestrijding", "poverty reduction"),
            ("mantelzorg", "informal care"),
        ],
    },
    Theme {
        themis: ["Cultuur", "Erfgoed"],
        domain: "Cultuur, Jeugd, Sport en Media",
        minister: 0,
        organisation: 5,
        subjects: &[
            ("de podiumkunsten", "the performing arts"),
            ("het onroerend erfgoed", "immovable heritage"),
            ("de openbare bibliotheken", "public libraries"),
            ("de regionale omroepen", "regional broadcasters"),
            ("de cultuurcentra", "cultural centres"),
        ],
    },
    Theme {
        themis: ["Sport", "Jeugd"],
        domain: "Cultuur, Jeugd, Sport en Media",
        minister: 1,
        organisation: 5,
        subjects: &[
            ("sportinfrastructuur", "sports infrastructure"),
            ("het jeugdwerk", "youth work"),
            ("speelruimte", "play space"),
            ("de topsport", "elite sport"),
            ("sportclubs", "sports clubs"),
        ],
    },
    Theme {
        themis: ["Economie", "Innovatie"],
        domain: "Werk, Economie, Wetenschap, Innovatie, Landbouw en Sociale Economie",
        minister: 7,
        organisation: 7,
        subjects: &[
            ("steun voor kmo's", "support for SMEs"),
            ("innovatieclusters", "innovation clusters"),
            ("artificiële intelligentie", "artificial intelligence"),
            ("startende ondernemers", "starting entrepreneurs"),
            ("de onderzoeksinfrastructuur", "research infrastructure"),
        ],
    },
    Theme {
        themis: ["Tewerkstelling", "Sociale Economie"],
        domain: "Werk, Economie, Wetenschap, Innovatie, Landbouw en Sociale Economie",
        minister: 7,
        organisation: 7,
        subjects: &[
            ("de activering van werkzoekenden", "activating jobseekers"),
            ("opleidingsincentives", "training incentives"),
            ("maatwerkbedrijven", "social workshops"),
            ("knelpuntberoepen", "shortage occupations"),
            ("werkbaar werk", "workable work"),
        ],
    },
    Theme {
        themis: ["Landbouw en Visserij", "Dierenwelzijn"],
        domain: "Werk, Economie, Wetenschap, Innovatie, Landbouw en Sociale Economie",
        minister: 7,
        organisation: 8,
        subjects: &[
            ("de korte keten", "short supply chains"),
            ("het dierenwelzijn", "animal welfare"),
            ("het mestbeleid", "manure policy"),
            ("de visserijvloot", "the fishing fleet"),
            ("jonge landbouwers", "young farmers"),
        ],
    },
    Theme {
        themis: ["Binnenlandse Aangelegenheden", "Gelijke kansen"],
        domain: "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
        minister: 4,
        organisation: 3,
        subjects: &[
            (
                "vrijwillige fusies van gemeenten",
                "voluntary municipal mergers",
            ),
            ("het Gemeentefonds", "the Municipalities Fund"),
            ("de lokale verkiezingen", "local elections"),
            (
                "inspraak bij lokale besturen",
                "participation in local governments",
            ),
            ("gelijke kansen", "equal opportunities"),
        ],
    },
    Theme {
        themis: ["Digitalisering", "Overheid"],
        domain: "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
        minister: 0,
        organisation: 9,
        subjects: &[
            ("de digitale dienstverlening", "digital public services"),
            ("open data", "open data"),
            ("cyberveiligheid", "cybersecurity"),
            ("digitale inclusie", "digital inclusion"),
            ("het digitale loket", "the digital counter"),
        ],
    },
    Theme {
        themis: ["Financiën", "Economie"],
        domain: "Financiën en Begroting",
        minister: 5,
        organisation: 10,
        subjects: &[
            ("de begrotingsaanpassing", "the budget adjustment"),
            ("de registratiebelasting", "registration duties"),
            ("de Vlaamse schuld", "the Flemish debt"),
            ("de erfbelasting", "inheritance tax"),
            ("de lokale financiën", "local finances"),
        ],
    },
    Theme {
        themis: ["Brussel", "Vlaamse Rand"],
        domain: "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
        minister: 5,
        organisation: 4,
        subjects: &[
            (
                "de Vlaamse gemeenschapscentra in Brussel",
                "the Flemish community centres in Brussels",
            ),
            ("het Brusselse kanaalgebied", "the Brussels canal area"),
            ("de Vlaamse Rand", "the Flemish periphery"),
            (
                "Nederlandstalig onderwijs in Brussel",
                "Dutch-language education in Brussels",
            ),
            ("groen in de stad", "green in the city"),
        ],
    },
];

/// Places (Dutch, English) for grants, pilot projects and news items.
pub(super) const PLACES: [(&str, &str); 16] = [
    ("Antwerpen", "Antwerp"),
    ("Gent", "Ghent"),
    ("Brugge", "Bruges"),
    ("Leuven", "Leuven"),
    ("Hasselt", "Hasselt"),
    ("Mechelen", "Mechelen"),
    ("Kortrijk", "Kortrijk"),
    ("Aalst", "Aalst"),
    ("Genk", "Genk"),
    ("Oostende", "Ostend"),
    ("Roeselare", "Roeselare"),
    ("Turnhout", "Turnhout"),
    ("Sint-Niklaas", "Sint-Niklaas"),
    ("Dendermonde", "Dendermonde"),
    ("Geel", "Geel"),
    ("Ieper", "Ypres"),
];
