//! The IRIs of SHACL, RDF, RDFS and XSD that the engine reads and writes.

// The SHACL terms are listed whole (the loader matches most of them by local name), so some
// constants have no reader yet.
#![allow(dead_code)]

use oxigraph::model::NamedNodeRef;

macro_rules! iris {
    ($namespace:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(
            #[doc = concat!("`", $namespace, $local, "`")]
            pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!($namespace, $local));
        )*
    };
}

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";
/// The XSD namespace.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// SHACL terms.
pub mod sh {
    use super::NamedNodeRef;

    iris!("http://www.w3.org/ns/shacl#";
        NODE_SHAPE = "NodeShape",
        PROPERTY_SHAPE = "PropertyShape",
        TARGET_NODE = "targetNode",
        TARGET_CLASS = "targetClass",
        TARGET_SUBJECTS_OF = "targetSubjectsOf",
        TARGET_OBJECTS_OF = "targetObjectsOf",
        PATH = "path",
        INVERSE_PATH = "inversePath",
        ALTERNATIVE_PATH = "alternativePath",
        ZERO_OR_MORE_PATH = "zeroOrMorePath",
        ONE_OR_MORE_PATH = "oneOrMorePath",
        ZERO_OR_ONE_PATH = "zeroOrOnePath",
        SEVERITY = "severity",
        MESSAGE = "message",
        DEACTIVATED = "deactivated",
        VIOLATION = "Violation",
        WARNING = "Warning",
        INFO = "Info",
        CLASS = "class",
        DATATYPE = "datatype",
        NODE_KIND = "nodeKind",
        IRI = "IRI",
        BLANK_NODE = "BlankNode",
        LITERAL = "Literal",
        BLANK_NODE_OR_IRI = "BlankNodeOrIRI",
        BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral",
        IRI_OR_LITERAL = "IRIOrLiteral",
        MIN_COUNT = "minCount",
        MAX_COUNT = "maxCount",
        MIN_EXCLUSIVE = "minExclusive",
        MIN_INCLUSIVE = "minInclusive",
        MAX_EXCLUSIVE = "maxExclusive",
        MAX_INCLUSIVE = "maxInclusive",
        MIN_LENGTH = "minLength",
        MAX_LENGTH = "maxLength",
        PATTERN = "pattern",
        FLAGS = "flags",
        LANGUAGE_IN = "languageIn",
        UNIQUE_LANG = "uniqueLang",
        EQUALS = "equals",
        DISJOINT = "disjoint",
        LESS_THAN = "lessThan",
        LESS_THAN_OR_EQUALS = "lessThanOrEquals",
        NOT = "not",
        AND = "and",
        OR = "or",
        XONE = "xone",
        NODE = "node",
        PROPERTY = "property",
        QUALIFIED_VALUE_SHAPE = "qualifiedValueShape",
        QUALIFIED_MIN_COUNT = "qualifiedMinCount",
        QUALIFIED_MAX_COUNT = "qualifiedMaxCount",
        QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
        CLOSED = "closed",
        IGNORED_PROPERTIES = "ignoredProperties",
        HAS_VALUE = "hasValue",
        IN = "in",
        SPARQL = "sparql",
        SELECT = "select",
        ASK = "ask",
        PREFIXES = "prefixes",
        DECLARE = "declare",
        PREFIX = "prefix",
        NAMESPACE = "namespace",
        PARAMETER = "parameter",
        OPTIONAL = "optional",
        VALIDATOR = "validator",
        NODE_VALIDATOR = "nodeValidator",
        PROPERTY_VALIDATOR = "propertyValidator",
        ENTAILMENT = "entailment",
        VALIDATION_REPORT = "ValidationReport",
        VALIDATION_RESULT = "ValidationResult",
        CONFORMS = "conforms",
        RESULT = "result",
        FOCUS_NODE = "focusNode",
        RESULT_PATH = "resultPath",
        VALUE = "value",
        SOURCE_SHAPE = "sourceShape",
        SOURCE_CONSTRAINT = "sourceConstraint",
        SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
        RESULT_SEVERITY = "resultSeverity",
        RESULT_MESSAGE = "resultMessage",
        CLASS_COMPONENT = "ClassConstraintComponent",
        DATATYPE_COMPONENT = "DatatypeConstraintComponent",
        NODE_KIND_COMPONENT = "NodeKindConstraintComponent",
        MIN_COUNT_COMPONENT = "MinCountConstraintComponent",
        MAX_COUNT_COMPONENT = "MaxCountConstraintComponent",
        MIN_EXCLUSIVE_COMPONENT = "MinExclusiveConstraintComponent",
        MIN_INCLUSIVE_COMPONENT = "MinInclusiveConstraintComponent",
        MAX_EXCLUSIVE_COMPONENT = "MaxExclusiveConstraintComponent",
        MAX_INCLUSIVE_COMPONENT = "MaxInclusiveConstraintComponent",
        MIN_LENGTH_COMPONENT = "MinLengthConstraintComponent",
        MAX_LENGTH_COMPONENT = "MaxLengthConstraintComponent",
        PATTERN_COMPONENT = "PatternConstraintComponent",
        LANGUAGE_IN_COMPONENT = "LanguageInConstraintComponent",
        UNIQUE_LANG_COMPONENT = "UniqueLangConstraintComponent",
        EQUALS_COMPONENT = "EqualsConstraintComponent",
        DISJOINT_COMPONENT = "DisjointConstraintComponent",
        LESS_THAN_COMPONENT = "LessThanConstraintComponent",
        LESS_THAN_OR_EQUALS_COMPONENT = "LessThanOrEqualsConstraintComponent",
        NOT_COMPONENT = "NotConstraintComponent",
        AND_COMPONENT = "AndConstraintComponent",
        OR_COMPONENT = "OrConstraintComponent",
        XONE_COMPONENT = "XoneConstraintComponent",
        NODE_COMPONENT = "NodeConstraintComponent",
        PROPERTY_COMPONENT = "PropertyConstraintComponent",
        QUALIFIED_MIN_COUNT_COMPONENT = "QualifiedMinCountConstraintComponent",
        QUALIFIED_MAX_COUNT_COMPONENT = "QualifiedMaxCountConstraintComponent",
        CLOSED_COMPONENT = "ClosedConstraintComponent",
        HAS_VALUE_COMPONENT = "HasValueConstraintComponent",
        IN_COMPONENT = "InConstraintComponent",
        SPARQL_COMPONENT = "SPARQLConstraintComponent",
    );

    /// SHACL Advanced Features and SHACL-JS terms that the engine refuses at load time: they
    /// would change what validation means, so ignoring them would give wrong reports.
    pub const UNSUPPORTED: &[&str] = &[
        "target",
        "rule",
        "condition",
        "expression",
        "values",
        "js",
        "jsFunctionName",
        "jsLibrary",
        "jsLibraryURL",
        "filterShape",
        "nodes",
        "intersection",
        "union",
    ];
}

/// RDF terms.
pub mod rdf {
    use super::NamedNodeRef;

    iris!("http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        TYPE = "type",
        FIRST = "first",
        REST = "rest",
        NIL = "nil",
        LANG_STRING = "langString",
    );
}

/// RDFS terms.
pub mod rdfs {
    use super::NamedNodeRef;

    iris!("http://www.w3.org/2000/01/rdf-schema#";
        SUB_CLASS_OF = "subClassOf",
        CLASS = "Class",
    );
}

/// OWL terms.
pub mod owl {
    use super::NamedNodeRef;

    iris!("http://www.w3.org/2002/07/owl#";
        IMPORTS = "imports",
    );
}

/// XSD terms.
pub mod xsd {
    use super::NamedNodeRef;

    iris!("http://www.w3.org/2001/XMLSchema#";
        BOOLEAN = "boolean",
        INTEGER = "integer",
        STRING = "string",
    );
}
