//! Content negotiation: picks what to send from an `Accept` header (RFC 9110 §12.5.1).

use crate::sparql::Offer;
use crate::web::error::ApiError;

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    quality: f32,
    order: usize,
}

impl MediaRange {
    fn specificity(&self) -> u8 {
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", _) => 0,
            (_, "*") => 1,
            _ => 2,
        }
    }

    fn matches(&self, media_type: &str) -> bool {
        let Some((kind, subtype)) = media_type.split_once('/') else {
            return false;
        };
        (self.kind == "*" || self.kind.eq_ignore_ascii_case(kind))
            && (self.subtype == "*" || self.subtype.eq_ignore_ascii_case(subtype))
    }
}

fn parse_accept(accept: &str) -> Vec<MediaRange> {
    accept
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let mut quality = 1.0;
            for parameter in parts {
                if let Some((name, value)) = parameter.trim().split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = value.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            Some(MediaRange {
                kind: kind.trim().to_ascii_lowercase(),
                subtype: subtype.trim().to_ascii_lowercase(),
                quality,
                order,
            })
        })
        .collect()
}

/// Picks the offer the client prefers. `offers` lists the media types Agora can send for each
/// choice, the server's preference first; the index of the chosen choice is returned.
///
/// No `Accept` header (or an empty one) means anything is acceptable: the first offer wins.
/// Among media types of equal quality, the server's order decides. A media range with `q=0`
/// excludes what it matches, as the most specific matching range decides.
pub fn choose(accept: Option<&str>, offers: &[&[&str]]) -> Option<usize> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => return (!offers.is_empty()).then_some(0),
        Some(accept) => parse_accept(accept),
    };
    let mut best: Option<(f32, usize)> = None;
    for (index, media_types) in offers.iter().enumerate() {
        for media_type in *media_types {
            // The most specific range that matches sets the quality of this media type.
            let quality = ranges
                .iter()
                .filter(|range| range.matches(media_type))
                .max_by_key(|range| (range.specificity(), usize::MAX - range.order))
                .map_or(0.0, |range| range.quality);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, index));
            }
        }
    }
    best.map(|(_, index)| index)
}

/// Picks the [`Offer`] the client prefers, or answers 406 naming what is available.
pub fn choose_offer(accept: Option<&str>, offers: &[Offer]) -> Result<Offer, ApiError> {
    let media_types: Vec<Vec<&str>> = offers
        .iter()
        .map(|offer| {
            std::iter::once(offer.media_type)
                .chain(offer.aliases.iter().copied())
                .collect()
        })
        .collect();
    let slices: Vec<&[&str]> = media_types.iter().map(Vec::as_slice).collect();
    choose(accept, &slices)
        .map(|index| offers[index])
        .ok_or_else(|| ApiError::NotAcceptable {
            available: offers
                .iter()
                .map(|offer| offer.media_type)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Whether a browser-style `Accept` header asks for HTML before RDF.
pub fn prefers_html(accept: Option<&str>) -> bool {
    choose(
        accept,
        &[&["text/html", "application/xhtml+xml"], &["text/turtle"]],
    ) == Some(0)
        && accept.is_some_and(|a| a.contains("html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[&[&str]] = &[
        &["application/sparql-results+json", "application/json"],
        &["application/sparql-results+xml"],
        &["text/csv"],
    ];

    #[test]
    fn no_header_and_wildcards_give_the_default() {
        assert_eq!(choose(None, OFFERS), Some(0));
        assert_eq!(choose(Some("*/*"), OFFERS), Some(0));
    }

    #[test]
    fn quality_values_decide() {
        assert_eq!(
            choose(
                Some("application/sparql-results+json;q=0.5, text/csv"),
                OFFERS
            ),
            Some(2)
        );
        assert_eq!(choose(Some("text/*"), OFFERS), Some(2));
        assert_eq!(choose(Some("application/json"), OFFERS), Some(0));
    }

    #[test]
    fn q_zero_excludes_and_nothing_acceptable_is_none() {
        assert_eq!(choose(Some("image/png"), OFFERS), None);
        assert_eq!(
            choose(
                Some("*/*, application/sparql-results+json;q=0, application/json;q=0"),
                OFFERS
            ),
            Some(1)
        );
    }

    #[test]
    fn browsers_get_html() {
        assert!(prefers_html(Some(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(!prefers_html(Some("text/turtle")));
        assert!(!prefers_html(None));
    }
}
