//! Literal semantics the core components need: well-formedness for `sh:datatype`, the order of
//! `sh:minInclusive` and friends and of `sh:lessThan`, and `langMatches` for `sh:languageIn`.

use std::cmp::Ordering;
use std::str::FromStr;

use oxigraph::model::{Literal, Term};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Time, YearMonthDuration,
};

use super::vocab::{rdf, XSD};

/// Integer types derived from `xsd:integer`, with their inclusive bounds.
const INTEGER_TYPES: &[(&str, Option<i128>, Option<i128>)] = &[
    ("integer", None, None),
    ("long", Some(i64::MIN as i128), Some(i64::MAX as i128)),
    ("int", Some(i32::MIN as i128), Some(i32::MAX as i128)),
    ("short", Some(i16::MIN as i128), Some(i16::MAX as i128)),
    ("byte", Some(i8::MIN as i128), Some(i8::MAX as i128)),
    ("nonNegativeInteger", Some(0), None),
    ("positiveInteger", Some(1), None),
    ("nonPositiveInteger", None, Some(0)),
    ("negativeInteger", None, Some(-1)),
    ("unsignedLong", Some(0), Some(u64::MAX as i128)),
    ("unsignedInt", Some(0), Some(u32::MAX as i128)),
    ("unsignedShort", Some(0), Some(u16::MAX as i128)),
    ("unsignedByte", Some(0), Some(u8::MAX as i128)),
];

fn xsd_local(literal: &Literal) -> Option<&str> {
    literal.datatype().as_str().strip_prefix(XSD)
}

fn integer_bounds(local: &str) -> Option<(Option<i128>, Option<i128>)> {
    INTEGER_TYPES
        .iter()
        .find(|(name, _, _)| *name == local)
        .map(|(_, min, max)| (*min, *max))
}

/// Whether an integer lexical form fits the type's bounds. Values beyond `i128` only fit the
/// unbounded types.
fn integer_fits(lexical: &str, bounds: (Option<i128>, Option<i128>)) -> bool {
    let digits = lexical.strip_prefix(['+', '-']).unwrap_or(lexical);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match i128::from_str(lexical) {
        Ok(value) => {
            bounds.0.is_none_or(|min| value >= min) && bounds.1.is_none_or(|max| value <= max)
        }
        Err(_) => {
            let negative = lexical.starts_with('-');
            if negative {
                bounds.0.is_none()
            } else {
                bounds.1.is_none()
            }
        }
    }
}

/// Whether the literal's lexical form is valid for its datatype. Datatypes the engine does not
/// know are taken as valid (the value space check of `sh:datatype` is only required for XSD).
pub(super) fn is_well_formed(literal: &Literal) -> bool {
    if literal.datatype() == rdf::LANG_STRING {
        return literal.language().is_some();
    }
    let Some(local) = xsd_local(literal) else {
        return true;
    };
    let value = literal.value();
    if let Some(bounds) = integer_bounds(local) {
        return integer_fits(value, bounds);
    }
    match local {
        "decimal" => {
            // xsd:decimal has no exponent and no special values, unlike Decimal::from_str
            // which is also lenient about some forms.
            value
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'+' || b == b'-')
                && Decimal::from_str(value).is_ok()
        }
        "double" => Double::from_str(value).is_ok(),
        "float" => Float::from_str(value).is_ok(),
        "boolean" => matches!(value, "true" | "false" | "1" | "0"),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "dateTimeStamp" => DateTime::from_str(value).is_ok_and(|d| d.timezone_offset().is_some()),
        "date" => Date::from_str(value).is_ok(),
        "time" => Time::from_str(value).is_ok(),
        "gYear" => GYear::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "gMonth" => GMonth::from_str(value).is_ok(),
        "gMonthDay" => GMonthDay::from_str(value).is_ok(),
        "gDay" => GDay::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        "dayTimeDuration" => DayTimeDuration::from_str(value).is_ok(),
        "yearMonthDuration" => YearMonthDuration::from_str(value).is_ok(),
        _ => true,
    }
}

/// A literal's value, for comparisons.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Value<'a> {
    Decimal(Decimal),
    Double(Double),
    String(&'a str),
    Boolean(Boolean),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYear(GYear),
    GYearMonth(GYearMonth),
    GMonth(GMonth),
    GMonthDay(GMonthDay),
    GDay(GDay),
    Duration(Duration),
}

fn value_of(literal: &Literal) -> Option<Value<'_>> {
    if !is_well_formed(literal) {
        return None;
    }
    let text = literal.value();
    let local = xsd_local(literal)?;
    if integer_bounds(local).is_some() || local == "decimal" {
        return Decimal::from_str(text).ok().map(Value::Decimal);
    }
    Some(match local {
        "double" => Value::Double(Double::from_str(text).ok()?),
        "float" => Value::Double(Float::from_str(text).ok()?.into()),
        "string" => Value::String(text),
        "boolean" => Value::Boolean(Boolean::from_str(text).ok()?),
        "dateTime" | "dateTimeStamp" => Value::DateTime(DateTime::from_str(text).ok()?),
        "date" => Value::Date(Date::from_str(text).ok()?),
        "time" => Value::Time(Time::from_str(text).ok()?),
        "gYear" => Value::GYear(GYear::from_str(text).ok()?),
        "gYearMonth" => Value::GYearMonth(GYearMonth::from_str(text).ok()?),
        "gMonth" => Value::GMonth(GMonth::from_str(text).ok()?),
        "gMonthDay" => Value::GMonthDay(GMonthDay::from_str(text).ok()?),
        "gDay" => Value::GDay(GDay::from_str(text).ok()?),
        "duration" => Value::Duration(Duration::from_str(text).ok()?),
        "dayTimeDuration" => Value::Duration(DayTimeDuration::from_str(text).ok()?.into()),
        "yearMonthDuration" => Value::Duration(YearMonthDuration::from_str(text).ok()?.into()),
        _ => return None,
    })
}

/// Compares two terms as SPARQL's `<` would; `None` when they are not comparable (different
/// value spaces, ill-formed literals, indeterminate date-time order, non-literals).
pub(super) fn compare(left: &Term, right: &Term) -> Option<Ordering> {
    let (Term::Literal(left), Term::Literal(right)) = (left, right) else {
        return None;
    };
    let (left, right) = (value_of(left)?, value_of(right)?);
    match (left, right) {
        (Value::Decimal(a), Value::Decimal(b)) => a.partial_cmp(&b),
        (Value::Decimal(a), Value::Double(b)) => Double::from(a).partial_cmp(&b),
        (Value::Double(a), Value::Decimal(b)) => a.partial_cmp(&Double::from(b)),
        (Value::Double(a), Value::Double(b)) => a.partial_cmp(&b),
        (Value::String(a), Value::String(b)) => a.partial_cmp(b),
        (Value::Boolean(a), Value::Boolean(b)) => bool::from(a).partial_cmp(&bool::from(b)),
        (Value::DateTime(a), Value::DateTime(b)) => a.partial_cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.partial_cmp(&b),
        (Value::Time(a), Value::Time(b)) => a.partial_cmp(&b),
        (Value::GYear(a), Value::GYear(b)) => a.partial_cmp(&b),
        (Value::GYearMonth(a), Value::GYearMonth(b)) => a.partial_cmp(&b),
        (Value::GMonth(a), Value::GMonth(b)) => a.partial_cmp(&b),
        (Value::GMonthDay(a), Value::GMonthDay(b)) => a.partial_cmp(&b),
        (Value::GDay(a), Value::GDay(b)) => a.partial_cmp(&b),
        (Value::Duration(a), Value::Duration(b)) => a.partial_cmp(&b),
        _ => None,
    }
}

/// SPARQL `langMatches` (RFC 4647 basic filtering).
pub(super) fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// SPARQL `str()`: the lexical form of a literal, the IRI of a named node; `None` for blank
/// nodes.
pub(super) fn str_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(iri) => Some(iri.as_str()),
        Term::Literal(literal) => Some(literal.value()),
        Term::BlankNode(_) => None,
    }
}
