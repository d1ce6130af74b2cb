//! The reader's language: Dutch by default, English on request.
//!
//! `?lang=en` (or `nl`) on any page chooses the language and a cookie remembers it; page queries
//! get it as their `?lang` parameter, so language-tagged data is shown in the reader's language
//! with Dutch as the fallback.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
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

    /// The language a request asks for: `?lang=`, else the cookie, else Dutch.
    pub fn of(parts: &Parts) -> Self {
        let from_query = parts.uri.query().and_then(|query| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "lang")
                .and_then(|(_, value)| Self::parse(&value))
        });
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

/// Remembers a `?lang=` choice in a cookie.
pub async fn remember(request: Request, next: Next) -> Response {
    let chosen = request.uri().query().and_then(|query| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "lang")
            .and_then(|(_, value)| Lang::parse(&value))
    });
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.tag()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
