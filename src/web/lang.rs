//! The reader's language: Dutch by default, English on request.
//!
//! `?lang=en` (or `nl`) on any page chooses the language and a cookie remembers it; page queries
//! get it as their `?lang` parameter, so language-tagged data is shown in the reader's language
//! with Dutch as the fallback.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use oxigraph::model::{Literal, Term};

const COOKIE: &str = "agora_lang";

/// A language Agora's pages are offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Dutch, the default.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// The tag as the `?lang` parameter of a page query.
    pub fn parameter(self) -> (&'static str, Term) {
        ("lang", Literal::new_simple_literal(self.tag()).into())
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "nl" => Some(Self::Nl),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language a query string chooses with `lang=`, if any. Most query strings have none,
    /// and a SPARQL query string can be long: it is not decoded unless it might.
    fn in_query(query: &str) -> Option<Self> {
        if !query.contains("lang=") {
            return None;
        }
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "lang")
            .and_then(|(_, value)| Self::parse(&value))
    }

    /// The language a request asks for: `?lang=`, else the cookie, else Dutch.
    pub fn of(parts: &Parts) -> Self {
        let from_query = parts.uri.query().and_then(Self::in_query);
        let from_cookie = || {
            parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(name, _)| *name == COOKIE)
                .and_then(|(_, value)| Self::parse(value))
        };
        from_query.or_else(from_cookie).unwrap_or(Self::Nl)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

/// The page's link to the other language: the same path and query with `lang` switched, so that
/// switching keeps the reader's filters, search words and page number.
#[derive(Debug, Clone)]
pub struct LanguageSwitch {
    lang: Lang,
    /// The request's URI; the link is made from it only when a page is rendered (the SPARQL
    /// endpoint takes a switch for its HTML form, and most of its requests are not for that).
    uri: axum::http::Uri,
}

impl LanguageSwitch {
    /// The page's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Puts `lang` (the page's language) and `lang_switch` (the link to the other one) into a
    /// page's template context.
    pub fn insert_into(&self, context: &mut tera::Context) {
        context.insert("lang", self.lang.tag());
        context.insert("lang_switch", &self.href());
    }

    /// The link to the page in the other language.
    pub fn href(&self) -> String {
        let other = match self.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        };
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in form_urlencoded::parse(self.uri.query().unwrap_or("").as_bytes()) {
            if key != "lang" {
                query.append_pair(&key, &value);
            }
        }
        query.append_pair("lang", other.tag());
        format!("{}?{}", self.uri.path(), query.finish())
    }

    fn of(parts: &Parts) -> Self {
        Self {
            lang: Lang::of(parts),
            uri: parts.uri.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for LanguageSwitch {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

/// The language a request chooses with `?lang=`, if any (see [`remember_choice`]).
pub fn chosen(request: &Request) -> Option<Lang> {
    request.uri().query().and_then(Lang::in_query)
}

/// Remembers a `?lang=` choice (from [`chosen`]) in a cookie on `response`.
pub fn remember_choice(response: &mut Response, chosen: Option<Lang>) {
    if let Some(lang) = chosen {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.tag()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn switch(uri: &str) -> LanguageSwitch {
        let (parts, ()) = axum::http::Request::builder()
            .uri(uri)
            .body(())
            .expect("a valid request")
            .into_parts();
        LanguageSwitch::of(&parts)
    }

    #[test]
    fn the_query_string_chooses_only_with_a_lang_parameter() {
        assert_eq!(Lang::in_query("query=ASK+%7B%7D"), None);
        assert_eq!(Lang::in_query("q=x&lang=en"), Some(Lang::En));
        assert_eq!(Lang::in_query("lang=nl"), Some(Lang::Nl));
        assert_eq!(Lang::in_query("xlang=en"), None, "another parameter's name");
        assert_eq!(Lang::in_query("lang=fr"), None, "not offered");
    }

    #[test]
    fn the_switch_keeps_the_other_parameters() {
        let dutch = switch("/consultaties?status=https%3A%2F%2Fe%2Fs&pagina=2");
        assert_eq!(dutch.lang, Lang::Nl);
        assert_eq!(
            dutch.href(),
            "/consultaties?status=https%3A%2F%2Fe%2Fs&pagina=2&lang=en"
        );
        let english = switch("/zoeken?lang=en&q=klimaat+plan");
        assert_eq!(english.lang, Lang::En);
        assert_eq!(english.href(), "/zoeken?q=klimaat+plan&lang=nl");
        assert_eq!(switch("/").href(), "/?lang=en");
    }
}
