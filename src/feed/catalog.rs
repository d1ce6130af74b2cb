//! The DCAT-AP catalogue of what Agora publishes, at `{base}/catalogus`.
//!
//! Follows DCAT-AP 2 and its Flemish profile (DCAT-AP Vlaanderen) where it applies: the
//! catalogue, one dataset for all published data and one per collection, their distributions
//! (the dumps with size, date and SHA-256 checksum; the LDES streams) and the SPARQL endpoint as
//! a `dcat:DataService`, each with title, description, publisher and the Flemish open licence
//! (Modellicentie Gratis Hergebruik). Every resource has a fragment IRI under the catalogue's, so
//! that dereferencing any of them answers the catalogue.

use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Triple};

use crate::feed::dump::DumpInfo;
use crate::feed::ldes;
use crate::model::{vocab, Collection, GraphNames};

macro_rules! iri {
    ($($name:ident = $value:literal;)*) => {
        $(const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($value);)*
    };
}

iri! {
    DCAT_CATALOG = "http://www.w3.org/ns/dcat#Catalog";
    DCAT_DATASET_CLASS = "http://www.w3.org/ns/dcat#Dataset";
    DCAT_DISTRIBUTION_CLASS = "http://www.w3.org/ns/dcat#Distribution";
    DCAT_DATA_SERVICE = "http://www.w3.org/ns/dcat#DataService";
    DCAT_DATASET = "http://www.w3.org/ns/dcat#dataset";
    DCAT_SERVICE = "http://www.w3.org/ns/dcat#service";
    DCAT_DISTRIBUTION = "http://www.w3.org/ns/dcat#distribution";
    DCAT_ACCESS_URL = "http://www.w3.org/ns/dcat#accessURL";
    DCAT_DOWNLOAD_URL = "http://www.w3.org/ns/dcat#downloadURL";
    DCAT_ACCESS_SERVICE = "http://www.w3.org/ns/dcat#accessService";
    DCAT_MEDIA_TYPE = "http://www.w3.org/ns/dcat#mediaType";
    DCAT_COMPRESS_FORMAT = "http://www.w3.org/ns/dcat#compressFormat";
    DCAT_BYTE_SIZE = "http://www.w3.org/ns/dcat#byteSize";
    DCAT_ENDPOINT_URL = "http://www.w3.org/ns/dcat#endpointURL";
    DCAT_ENDPOINT_DESCRIPTION = "http://www.w3.org/ns/dcat#endpointDescription";
    DCAT_SERVES_DATASET = "http://www.w3.org/ns/dcat#servesDataset";
    DCAT_LANDING_PAGE = "http://www.w3.org/ns/dcat#landingPage";
    DCT_TITLE = "http://purl.org/dc/terms/title";
    DCT_DESCRIPTION = "http://purl.org/dc/terms/description";
    DCT_PUBLISHER = "http://purl.org/dc/terms/publisher";
    DCT_LICENSE = "http://purl.org/dc/terms/license";
    DCT_CONFORMS_TO = "http://purl.org/dc/terms/conformsTo";
    DCT_FORMAT = "http://purl.org/dc/terms/format";
    DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier";
    DCT_LANGUAGE = "http://purl.org/dc/terms/language";
    FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage";
    SPDX_CHECKSUM = "http://spdx.org/rdf/terms#checksum";
    SPDX_CHECKSUM_CLASS = "http://spdx.org/rdf/terms#Checksum";
    SPDX_ALGORITHM = "http://spdx.org/rdf/terms#algorithm";
    SPDX_CHECKSUM_VALUE = "http://spdx.org/rdf/terms#checksumValue";
    SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256";
    XSD_NON_NEGATIVE_INTEGER = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger";
    XSD_HEX_BINARY = "http://www.w3.org/2001/XMLSchema#hexBinary";
    // The Flemish government's open-data licence (DCAT-AP Vlaanderen's recommended licence).
    LICENCE = "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0";
    // The publisher Themis's own catalogue names for the Flemish government's decision data.
    PUBLISHER = "https://data.vlaanderen.be/id/organisatie/OVO001827";
    DUTCH = "http://publications.europa.eu/resource/authority/language/NLD";
    ENGLISH = "http://publications.europa.eu/resource/authority/language/ENG";
    GZIP = "http://www.iana.org/assignments/media-types/application/gzip";
    LDES_SPEC = "https://w3id.org/ldes/specification";
    SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/";
}

/// The catalogue's IRI: `{base}/catalogus`.
pub fn catalog_iri(names: &GraphNames) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/catalogus", names.base()))
}

fn part(names: &GraphNames, fragment: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/catalogus#{fragment}", names.base()))
}

fn url(names: &GraphNames, path: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{path}", names.base()))
}

fn text(nl: &str, en: &str) -> [Literal; 2] {
    [
        Literal::new_language_tagged_literal_unchecked(nl, "nl"),
        Literal::new_language_tagged_literal_unchecked(en, "en"),
    ]
}

/// A small builder that keeps the subject.
struct Describe<'a> {
    triples: &'a mut Vec<Triple>,
    subject: NamedNode,
}

impl Describe<'_> {
    fn add(
        &mut self,
        predicate: NamedNodeRef<'_>,
        object: impl Into<oxigraph::model::Term>,
    ) -> &mut Self {
        self.triples
            .push(Triple::new(self.subject.clone(), predicate, object));
        self
    }

    fn texts(&mut self, predicate: NamedNodeRef<'_>, nl: &str, en: &str) -> &mut Self {
        for literal in text(nl, en) {
            self.add(predicate, literal);
        }
        self
    }
}

fn describe(triples: &mut Vec<Triple>, subject: NamedNode) -> Describe<'_> {
    Describe { triples, subject }
}

/// The catalogue's triples, with the current dumps.
pub fn catalog(names: &GraphNames, dumps: &[DumpInfo]) -> Vec<Triple> {
    let mut triples = Vec::new();
    let catalog = catalog_iri(names);
    let all = part(names, "gegevens");
    let sparql = part(names, "sparql");
    describe(&mut triples, catalog.clone())
        .add(vocab::RDF_TYPE, DCAT_CATALOG)
        .texts(DCT_TITLE, "Catalogus van Agora", "Agora catalogue")
        .texts(
            DCT_DESCRIPTION,
            "Consultaties, burgervoorstellen, consultatieverslagen en beslissingen van de Vlaamse \
             Regering als linked data: dumps, gebeurtenisstromen (LDES) en een SPARQL-eindpunt.",
            "Consultations, citizens' proposals, consultation reports and decisions of the Flemish \
             Government as linked data: dumps, event streams (LDES) and a SPARQL endpoint.",
        )
        .add(DCT_PUBLISHER, PUBLISHER)
        .add(DCT_LICENSE, LICENCE)
        .add(DCT_LANGUAGE, DUTCH)
        .add(DCT_LANGUAGE, ENGLISH)
        .add(FOAF_HOMEPAGE, url(names, "/"))
        .add(DCAT_DATASET, all.clone())
        .add(DCAT_SERVICE, sparql.clone());

    // All published data: the dumps and the SPARQL endpoint.
    let mut dataset = describe(&mut triples, all.clone());
    dataset
        .add(vocab::RDF_TYPE, DCAT_DATASET_CLASS)
        .add(DCT_IDENTIFIER, Literal::new_simple_literal(all.as_str()))
        .texts(
            DCT_TITLE,
            "Alle gepubliceerde gegevens van Agora",
            "All data Agora publishes",
        )
        .texts(
            DCT_DESCRIPTION,
            "Alle gepubliceerde records, de codelijsten en de versiegeschiedenis.",
            "Every published record, the code lists and the version history.",
        )
        .add(DCT_PUBLISHER, PUBLISHER)
        .add(DCT_LICENSE, LICENCE)
        .add(DCAT_LANDING_PAGE, url(names, "/"))
        .add(DCAT_DISTRIBUTION, part(names, "sparql-distributie"));
    for dump in dumps {
        dataset.add(
            DCAT_DISTRIBUTION,
            part(
                names,
                &format!(
                    "dump-{}",
                    dump.media_type.rsplit('/').next().unwrap_or("rdf")
                ),
            ),
        );
    }
    describe(&mut triples, part(names, "sparql-distributie"))
        .add(vocab::RDF_TYPE, DCAT_DISTRIBUTION_CLASS)
        .texts(DCT_TITLE, "SPARQL-eindpunt", "SPARQL endpoint")
        .add(DCAT_ACCESS_URL, url(names, "/sparql"))
        .add(DCAT_ACCESS_SERVICE, sparql.clone())
        .add(DCT_LICENSE, LICENCE);
    for dump in dumps {
        add_dump(&mut triples, names, dump);
    }
    describe(&mut triples, sparql)
        .add(vocab::RDF_TYPE, DCAT_DATA_SERVICE)
        .texts(
            DCT_TITLE,
            "SPARQL-eindpunt van Agora",
            "Agora SPARQL endpoint",
        )
        .texts(
            DCT_DESCRIPTION,
            "Een SPARQL 1.1-eindpunt (alleen lezen) over de gepubliceerde gegevens.",
            "A read-only SPARQL 1.1 endpoint over the published data.",
        )
        .add(DCAT_ENDPOINT_URL, url(names, "/sparql"))
        .add(DCAT_ENDPOINT_DESCRIPTION, url(names, "/api/openapi.json"))
        .add(DCT_CONFORMS_TO, SPARQL_PROTOCOL)
        .add(DCAT_SERVES_DATASET, all)
        .add(DCT_PUBLISHER, PUBLISHER)
        .add(DCT_LICENSE, LICENCE);

    // One dataset per collection, distributed as its event stream.
    for collection in Collection::ALL {
        let (nl, en) = collection.titles();
        let dataset = part(names, collection.slug());
        let stream = part(names, &format!("{}-ldes", collection.slug()));
        describe(&mut triples, catalog.clone()).add(DCAT_DATASET, dataset.clone());
        describe(&mut triples, dataset.clone())
            .add(vocab::RDF_TYPE, DCAT_DATASET_CLASS)
            .add(
                DCT_IDENTIFIER,
                Literal::new_simple_literal(dataset.as_str()),
            )
            .texts(DCT_TITLE, nl, en)
            .texts(
                DCT_DESCRIPTION,
                &format!("{nl}: elke creatie, wijziging en intrekking, in volgorde."),
                &format!("{en}: every creation, change and withdrawal, in order."),
            )
            .add(DCT_PUBLISHER, PUBLISHER)
            .add(DCT_LICENSE, LICENCE)
            .add(DCAT_DISTRIBUTION, stream.clone());
        describe(&mut triples, stream)
            .add(vocab::RDF_TYPE, DCAT_DISTRIBUTION_CLASS)
            .texts(
                DCT_TITLE,
                &format!("{nl} als Linked Data Event Stream"),
                &format!("{en} as a Linked Data Event Stream"),
            )
            .add(DCAT_ACCESS_URL, ldes::stream_iri(names, collection))
            .add(DCT_CONFORMS_TO, LDES_SPEC)
            .add(DCAT_MEDIA_TYPE, url_media_type("application/trig"))
            .add(DCT_LICENSE, LICENCE);
    }
    triples
}

fn url_media_type(media_type: &str) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "http://www.iana.org/assignments/media-types/{media_type}"
    ))
}

fn add_dump(triples: &mut Vec<Triple>, names: &GraphNames, dump: &DumpInfo) {
    let kind = dump.media_type.rsplit('/').next().unwrap_or("rdf");
    let distribution = part(names, &format!("dump-{kind}"));
    let checksum = part(names, &format!("dump-{kind}-checksum"));
    let issued = Literal::new_typed_literal(&dump.issued, oxigraph::model::vocab::xsd::DATE_TIME);
    describe(triples, distribution)
        .add(vocab::RDF_TYPE, DCAT_DISTRIBUTION_CLASS)
        .texts(
            DCT_TITLE,
            &format!("Dump ({}, gzip)", dump.media_type),
            &format!("Dump ({}, gzip)", dump.media_type),
        )
        .add(
            DCT_DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(&dump.description, "en"),
        )
        .add(
            DCAT_ACCESS_URL,
            url(names, &format!("/dumps/{}", dump.file)),
        )
        .add(
            DCAT_DOWNLOAD_URL,
            url(names, &format!("/dumps/{}", dump.file)),
        )
        .add(DCAT_MEDIA_TYPE, url_media_type(&dump.media_type))
        .add(DCT_FORMAT, Literal::new_simple_literal(&dump.media_type))
        .add(DCAT_COMPRESS_FORMAT, GZIP)
        .add(
            DCAT_BYTE_SIZE,
            Literal::new_typed_literal(dump.byte_size.to_string(), XSD_NON_NEGATIVE_INTEGER),
        )
        .add(vocab::DCT_ISSUED, issued)
        .add(DCT_LICENSE, LICENCE)
        .add(SPDX_CHECKSUM, checksum.clone());
    describe(triples, checksum)
        .add(vocab::RDF_TYPE, SPDX_CHECKSUM_CLASS)
        .add(SPDX_ALGORITHM, SPDX_SHA256)
        .add(
            SPDX_CHECKSUM_VALUE,
            Literal::new_typed_literal(&dump.sha256, XSD_HEX_BINARY),
        );
}
