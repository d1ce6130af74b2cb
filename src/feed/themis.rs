//! Themis compatibility: one DCAT dataset per meeting publication, as Themis publishes them, and
//! the JSON:API answers the portal's harvester (Valvas) reads.
//!
//! The datasets are not stored: they are derived from the event log of the meetings collection.
//! Every event of a meeting record is a publication as Themis counts them: a create or update
//! (a released version, whether pushed, harvested or consumed from Kaleidos) is a dataset of
//! type "Vergaderactiviteit in kort bestek" with a Turtle distribution whose download URL is
//! the version's content (`/api/records/{id}/versions/{n}`); a delete (a withdrawal, such as a
//! Kaleidos unpublish) is a dataset without distribution, which is how Themis tells its
//! harvesters to drop the previous one. Each dataset is `prov:wasRevisionOf` the meeting's
//! previous dataset. Identifiers are UUID v5 of the event's member IRI (`feed::ldes`), so they
//! never change.
//!
//! The query subset served is what Valvas sends: `filter[type]`, `filter[:gt:release-date]`,
//! `filter[distributions][format]`, `sort` (`release-date`, the default, or `-release-date`),
//! `page[number]` (from 0) and `page[size]`, with `meta.count` and paging links.

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxsdatatypes::DateTime;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::model::{vocab, Collection, GraphNames};
use crate::store::{EventKind, Store, StoreError};

/// The Themis dataset type "Vergaderactiviteit in kort bestek".
pub const DATASET_TYPE: &str =
    "http://themis.vlaanderen.be/id/concept/dataset-type/9119805f-9ee6-4ef1-9ef7-ad8dccc2bf2d";
/// The Themis distribution type "Nieuwsberichten" (the Turtle of a publication).
pub const DISTRIBUTION_TYPE: &str =
    "http://themis.vlaanderen.be/id/concept/distribution-type/dd5bfc23-8f88-4df5-80f6-a9f72e08d7c4";
/// The format of the distribution.
pub const TURTLE: &str = "text/turtle";
/// The page size when the client gives none (mu-cl-resources' default).
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest page served.
pub const MAX_PAGE_SIZE: usize = 1000;

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const MU_UUID: &str = "http://mu.semte.ch/vocabularies/core/uuid";
const PROV_WAS_REVISION_OF: &str = "http://www.w3.org/ns/prov#wasRevisionOf";
const GEPLANDE_START: &str = "http://data.vlaanderen.be/ns/besluit#geplandeStart";

/// One meeting publication as a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Its identifier.
    pub id: Uuid,
    /// `{base}/id/dataset/{id}`.
    pub iri: NamedNode,
    /// The meeting (`dct:subject`).
    pub meeting: NamedNode,
    /// The meeting record's id.
    pub record: Uuid,
    /// The version released (or, for a withdrawal, the last public one).
    pub version: u64,
    /// When it became public: the event's time.
    pub released: DateTime,
    /// The meeting's previous dataset.
    pub previous: Option<Uuid>,
    /// The Turtle distribution; none for a withdrawal.
    pub distribution: Option<Distribution>,
}

/// The Turtle distribution of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Its identifier.
    pub id: Uuid,
    /// `{base}/id/distributie/{id}`.
    pub iri: NamedNode,
    /// The path of the content, relative to the server (`/api/records/{id}/versions/{n}`).
    pub download_path: String,
}

/// What a client asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetQuery {
    /// `filter[type]`.
    pub dataset_type: Option<String>,
    /// `filter[:gt:release-date]`.
    pub released_after: Option<DateTime>,
    /// `filter[distributions][format]`.
    pub format: Option<String>,
    /// `sort=-release-date`.
    pub newest_first: bool,
    /// `page[number]`, from 0.
    pub page: usize,
    /// `page[size]`.
    pub size: usize,
}

/// Every dataset, oldest first.
pub fn all(store: &Store) -> Result<Vec<Dataset>, StoreError> {
    let names = store.graph_names();
    let base = names.base().trim_end_matches('/').to_owned();
    let mut latest: HashMap<NamedNode, Uuid> = HashMap::new();
    let mut out = Vec::new();
    for event in store.events_after(Collection::Meetings, None)? {
        let id = Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            event.member_iri(names).as_str().as_bytes(),
        );
        let record = GraphNames::record_id(event.root.as_ref());
        let distribution = (event.kind != EventKind::Delete).then(|| {
            let version = names.version_iri(record, event.version);
            let id = Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("{}#turtle", version.as_str()).as_bytes(),
            );
            Distribution {
                id,
                iri: NamedNode::new_unchecked(format!("{base}/id/distributie/{id}")),
                download_path: format!("/api/records/{record}/versions/{}", event.version),
            }
        });
        let previous = latest.insert(event.root.clone(), id);
        out.push(Dataset {
            id,
            iri: NamedNode::new_unchecked(format!("{base}/id/dataset/{id}")),
            meeting: event.root,
            record,
            version: event.version,
            released: event.time,
            previous,
            distribution,
        });
    }
    Ok(out)
}

/// The datasets a query selects, in its order, and how many there are before paging.
pub fn select(store: &Store, query: &DatasetQuery) -> Result<(Vec<Dataset>, usize), StoreError> {
    if query
        .dataset_type
        .as_deref()
        .is_some_and(|kind| kind != DATASET_TYPE)
    {
        return Ok((Vec::new(), 0));
    }
    let mut selected: Vec<Dataset> = all(store)?
        .into_iter()
        .filter(|dataset| {
            query
                .released_after
                .is_none_or(|after| dataset.released > after)
        })
        .filter(|dataset| match query.format.as_deref() {
            None => true,
            Some(format) => format == TURTLE && dataset.distribution.is_some(),
        })
        .collect();
    if query.newest_first {
        selected.reverse();
    }
    let count = selected.len();
    let size = query.size.clamp(1, MAX_PAGE_SIZE);
    let page = selected
        .into_iter()
        .skip(query.page.saturating_mul(size))
        .take(size)
        .collect();
    Ok((page, count))
}

/// The dataset with this id.
pub fn find(store: &Store, id: Uuid) -> Result<Option<Dataset>, StoreError> {
    Ok(all(store)?.into_iter().find(|dataset| dataset.id == id))
}

/// The dataset whose distribution has this id.
pub fn find_by_distribution(store: &Store, id: Uuid) -> Result<Option<Dataset>, StoreError> {
    Ok(all(store)?
        .into_iter()
        .find(|dataset| dataset.distribution.as_ref().is_some_and(|d| d.id == id)))
}

/// "Vergaderactiviteit in kort bestek {planned start}", as Themis titles them; without the
/// start when the version is no longer public.
pub fn title(store: &Store, dataset: &Dataset) -> Result<String, StoreError> {
    let start = store
        .version_objects(
            dataset.meeting.as_ref(),
            dataset.version,
            NamedNode::new_unchecked(GEPLANDE_START).as_ref(),
        )?
        .into_iter()
        .find_map(|term| match term {
            Term::Literal(literal) => Some(literal.value().to_owned()),
            _ => None,
        });
    Ok(match start {
        Some(start) if dataset.distribution.is_some() => {
            format!("Vergaderactiviteit in kort bestek {start}")
        }
        _ => "Vergaderactiviteit in kort bestek".to_owned(),
    })
}

fn time(value: &DateTime) -> String {
    value.to_string()
}

/// A dataset as a JSON:API resource (`origin`: the server as the client addressed it).
pub fn dataset_json(dataset: &Dataset, title: &str) -> Value {
    let released = time(&dataset.released);
    json!({
        "type": "datasets",
        "id": dataset.id.to_string(),
        "attributes": {
            "uri": dataset.iri.as_str(),
            "title": title,
            "type": DATASET_TYPE,
            "subject": dataset.meeting.as_str(),
            "release-date": released,
            "created": released,
            "modified": released,
            "issued": released,
        },
        "relationships": {
            "distributions": {"links": {"related": format!("/datasets/{}/distributions", dataset.id)}},
            "previous-version": {"links": {"related": format!("/datasets/{}/previous-version", dataset.id)}},
        },
        "links": {"self": format!("/datasets/{}", dataset.id)},
    })
}

/// The distributions of a dataset as JSON:API resources.
pub fn distributions_json(dataset: &Dataset, title: &str, origin: &str) -> Vec<Value> {
    let released = time(&dataset.released);
    dataset
        .distribution
        .iter()
        .map(|distribution| {
            json!({
                "type": "distributions",
                "id": distribution.id.to_string(),
                "attributes": {
                    "uri": distribution.iri.as_str(),
                    "title": title,
                    "type": DISTRIBUTION_TYPE,
                    "format": TURTLE,
                    "download-url": format!("{origin}{}", distribution.download_path),
                    "created": released,
                    "modified": released,
                    "issued": released,
                },
                "links": {"self": format!("/distributions/{}", distribution.id)},
            })
        })
        .collect()
}

/// A JSON:API list answer with `meta.count` and paging links (`path` and `others`: the
/// request's path and its parameters other than paging).
pub fn list_json(
    data: Vec<Value>,
    count: usize,
    query: &DatasetQuery,
    path: &str,
    others: &str,
) -> Value {
    let size = query.size.clamp(1, MAX_PAGE_SIZE);
    let last = count.saturating_sub(1) / size;
    let link = |page: usize| {
        let separator = if others.is_empty() { "" } else { "&" };
        format!("{path}?{others}{separator}page[number]={page}&page[size]={size}")
    };
    let mut links = json!({"first": link(0), "last": link(last)});
    if query.page > 0 {
        links["prev"] = json!(link(query.page - 1));
    }
    if query.page < last {
        links["next"] = json!(link(query.page + 1));
    }
    json!({"data": data, "meta": {"count": count}, "links": links})
}

/// The dataset as DCAT triples, in the shape Themis publishes (`origin` for the download URL).
pub fn dataset_triples(
    dataset: &Dataset,
    previous: Option<&NamedNode>,
    title: &str,
    origin: &str,
) -> Vec<Triple> {
    let dcat = |local: &str| NamedNode::new_unchecked(format!("{DCAT}{local}"));
    let dct = |local: &str| NamedNode::new_unchecked(format!("{DCT}{local}"));
    let released = Literal::new_typed_literal(
        time(&dataset.released),
        oxigraph::model::vocab::xsd::DATE_TIME,
    );
    let mut out = vec![
        Triple::new(dataset.iri.clone(), vocab::RDF_TYPE, dcat("Dataset")),
        Triple::new(
            dataset.iri.clone(),
            NamedNode::new_unchecked(MU_UUID),
            Literal::new_simple_literal(dataset.id.to_string()),
        ),
        Triple::new(
            dataset.iri.clone(),
            dct("type"),
            NamedNode::new_unchecked(DATASET_TYPE),
        ),
        Triple::new(dataset.iri.clone(), dct("subject"), dataset.meeting.clone()),
        Triple::new(
            dataset.iri.clone(),
            dct("title"),
            Literal::new_simple_literal(title),
        ),
    ];
    for property in ["created", "modified", "issued"] {
        out.push(Triple::new(
            dataset.iri.clone(),
            dct(property),
            released.clone(),
        ));
    }
    if let Some(previous) = previous {
        out.push(Triple::new(
            dataset.iri.clone(),
            NamedNode::new_unchecked(PROV_WAS_REVISION_OF),
            previous.clone(),
        ));
    }
    if let Some(distribution) = &dataset.distribution {
        let iri = &distribution.iri;
        out.extend([
            Triple::new(dataset.iri.clone(), dcat("distribution"), iri.clone()),
            Triple::new(iri.clone(), vocab::RDF_TYPE, dcat("Distribution")),
            Triple::new(
                iri.clone(),
                NamedNode::new_unchecked(MU_UUID),
                Literal::new_simple_literal(distribution.id.to_string()),
            ),
            Triple::new(
                iri.clone(),
                dct("type"),
                NamedNode::new_unchecked(DISTRIBUTION_TYPE),
            ),
            Triple::new(
                iri.clone(),
                dct("format"),
                Literal::new_simple_literal(TURTLE),
            ),
            Triple::new(
                iri.clone(),
                dct("title"),
                Literal::new_simple_literal(title),
            ),
            Triple::new(
                iri.clone(),
                dcat("downloadURL"),
                NamedNode::new_unchecked(format!("{origin}{}", distribution.download_path)),
            ),
        ]);
        for property in ["created", "modified", "issued"] {
            out.push(Triple::new(iri.clone(), dct(property), released.clone()));
        }
    }
    out
}
