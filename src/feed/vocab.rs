//! IRIs of the feed vocabularies (LDES, TREE, Activity Streams, DCAT), as constants.

use oxigraph::model::NamedNodeRef;

macro_rules! iri {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        $($(#[$doc])* pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($value);)*
    };
}

/// Prefixes used when serialising feeds.
pub const PREFIXES: &[(&str, &str)] = &[
    ("ldes", "https://w3id.org/ldes#"),
    ("tree", "https://w3id.org/tree#"),
    ("as", "https://www.w3.org/ns/activitystreams#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
];

iri! {
    /// `ldes:EventStream`.
    LDES_EVENT_STREAM = "https://w3id.org/ldes#EventStream";
    /// `ldes:timestampPath`.
    LDES_TIMESTAMP_PATH = "https://w3id.org/ldes#timestampPath";
    /// `ldes:versionOfPath`.
    LDES_VERSION_OF_PATH = "https://w3id.org/ldes#versionOfPath";
    /// `ldes:versionCreateObject`.
    LDES_VERSION_CREATE_OBJECT = "https://w3id.org/ldes#versionCreateObject";
    /// `ldes:versionUpdateObject`.
    LDES_VERSION_UPDATE_OBJECT = "https://w3id.org/ldes#versionUpdateObject";
    /// `ldes:versionDeleteObject`.
    LDES_VERSION_DELETE_OBJECT = "https://w3id.org/ldes#versionDeleteObject";
    /// `ldes:versionDeletePath`.
    LDES_VERSION_DELETE_PATH = "https://w3id.org/ldes#versionDeletePath";
    /// `tree:Node`.
    TREE_NODE = "https://w3id.org/tree#Node";
    /// `tree:view`.
    TREE_VIEW = "https://w3id.org/tree#view";
    /// `tree:member`.
    TREE_MEMBER = "https://w3id.org/tree#member";
    /// `tree:shape`.
    TREE_SHAPE = "https://w3id.org/tree#shape";
    /// `tree:relation`.
    TREE_RELATION = "https://w3id.org/tree#relation";
    /// `tree:GreaterThanOrEqualToRelation`.
    TREE_GREATER_THAN_OR_EQUAL_TO_RELATION = "https://w3id.org/tree#GreaterThanOrEqualToRelation";
    /// `tree:node`.
    TREE_NODE_LINK = "https://w3id.org/tree#node";
    /// `tree:path`.
    TREE_PATH = "https://w3id.org/tree#path";
    /// `tree:value`.
    TREE_VALUE = "https://w3id.org/tree#value";
    /// `dct:isVersionOf`: the versionOfPath of every stream.
    DCT_IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf";
    /// `dct:title`.
    DCT_TITLE = "http://purl.org/dc/terms/title";
    /// `prov:generatedAtTime`: the timestampPath of every stream.
    PROV_GENERATED_AT_TIME = "http://www.w3.org/ns/prov#generatedAtTime";
}
