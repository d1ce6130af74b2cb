//! The text analysers of the search index: how titles, texts and queries become terms.
//!
//! Dutch (titles, descriptions, news items): words split on anything that is not a letter or
//! digit, lowercased, folded to ASCII (so "coöperatie" and "cooperatie", "één" and "een" meet) and
//! reduced by the Snowball stemmer for Dutch (so "beslissing" and "beslissingen" meet), with two
//! Dutch plural rules Snowball lacks: "-ies" loses its "s" before stemming ("consultaties" meets
//! "consultatie") and a doubled final consonant is undoubled after it ("plannen", stemmed to
//! "plann", meets "plan"). English titles get the same chain with the English stemmer. Queries go through the analyser of the
//! field they search, so a query is stemmed exactly as the text was.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// The name under which the Dutch analyser is registered.
pub const DUTCH: &str = "agora_nl";

/// The name under which the English analyser is registered.
pub const ENGLISH: &str = "agora_en";

/// Longer tokens are dropped: no Dutch word is this long, and such tokens are usually encoded
/// data or URLs glued together, which would only bloat the index.
const LONGEST_TOKEN: usize = 60;

/// An analyser for `language`: simple words, lowercased, folded to ASCII, stemmed (for Dutch,
/// with the plural rules of [`dutch_ies_plural`] and [`undouble_final_consonant`]).
pub fn analyser(language: Language) -> TextAnalyzer {
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match language {
        Language::Dutch => words
            .filter(Rewrite(dutch_ies_plural))
            .filter(Stemmer::new(language))
            .filter(Rewrite(undouble_final_consonant))
            .build(),
        _ => words.filter(Stemmer::new(language)).build(),
    }
}

/// "-ies" plurals of words in "-ie" ("consultaties", "subsidies", "studies") lose their "s":
/// Snowball removes a final "s" only after a consonant.
fn dutch_ies_plural(word: &mut String) {
    if word.len() > 5 && word.ends_with("ies") {
        word.pop();
    }
}

/// A stem ending in a doubled consonant loses one ("plann" from "plannen" becomes "plan", like
/// "plan"; "buss" becomes "bus"): Snowball undoubles only "kk", "dd" and "tt".
fn undouble_final_consonant(stem: &mut String) {
    let bytes = stem.as_bytes();
    if let [.., before, last, same] = bytes {
        if last == same
            && !b"aeiouy".contains(last)
            && last.is_ascii_alphabetic()
            && *before != *last
        {
            stem.pop();
        }
    }
}

/// A token filter that rewrites each token's text in place.
#[derive(Clone, Copy)]
struct Rewrite(fn(&mut String));

impl TokenFilter for Rewrite {
    type Tokenizer<T: Tokenizer> = RewriteTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RewriteTokenizer<T> {
        RewriteTokenizer {
            rewrite: self.0,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
struct RewriteTokenizer<T> {
    rewrite: fn(&mut String),
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RewriteTokenizer<T> {
    type TokenStream<'a> = RewriteStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewriteStream {
            rewrite: self.rewrite,
            tail: self.inner.token_stream(text),
        }
    }
}

struct RewriteStream<S> {
    rewrite: fn(&mut String),
    tail: S,
}

impl<S: TokenStream> TokenStream for RewriteStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        (self.rewrite)(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers Agora's analysers under [`DUTCH`] and [`ENGLISH`].
pub fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(DUTCH, analyser(Language::Dutch));
    tokenizers.register(ENGLISH, analyser(Language::English));
}

/// The terms `text` becomes under `analyser` (for tests and for explaining a match).
pub fn terms(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyser.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dutch(text: &str) -> Vec<String> {
        terms(&mut analyser(Language::Dutch), text)
    }

    #[test]
    fn singular_and_plural_meet() {
        for (one, other) in [
            ("beslissing", "beslissingen"),
            ("woning", "woningen"),
            ("fietspad", "fietspaden"),
            ("vergadering", "vergaderingen"),
        ] {
            assert_eq!(dutch(one), dutch(other), "{one} / {other}");
        }
    }

    #[test]
    fn plurals_snowball_misses_meet_their_singular() {
        for (one, other) in [
            ("consultatie", "consultaties"),
            ("subsidie", "subsidies"),
            ("mobiliteitsplan", "mobiliteitsplannen"),
            ("bus", "bussen"),
            ("wil", "willen"),
        ] {
            assert_eq!(dutch(one), dutch(other), "{one} / {other}");
        }
        // and words that merely look alike stay apart
        assert_ne!(dutch("plan"), dutch("plant"));
        assert_ne!(dutch("bos"), dutch("bus"));
    }

    #[test]
    fn diacritics_and_case_fold_away() {
        assert_eq!(dutch("Coöperatie"), dutch("cooperatie"));
        assert_eq!(dutch("één ÉÉN"), dutch("een een"));
        assert_eq!(dutch("Ideeën"), dutch("ideeen"));
    }

    #[test]
    fn words_split_on_punctuation_and_hyphens() {
        assert_eq!(
            dutch("Klimaat- en Energieplan 2030-2035").len(),
            5,
            "{:?}",
            dutch("Klimaat- en Energieplan 2030-2035")
        );
    }

    #[test]
    fn english_titles_are_stemmed_as_english() {
        let mut english = analyser(Language::English);
        assert_eq!(
            terms(&mut english, "decisions"),
            terms(&mut english, "decision")
        );
    }

    #[test]
    fn absurdly_long_tokens_are_dropped() {
        assert!(dutch(&"a".repeat(LONGEST_TOKEN + 1)).is_empty());
    }
}
