//! How text becomes index terms: tantivy's simple tokenizer (runs of
//! letters and digits), lowercased and folded to ASCII, cut to
//! [`MAX_WORD_BYTES`], then stemmed (English) for ranking or left unstemmed
//! for expanding the query. The index, the query and the highlighter all
//! read text through these analyzers, so they agree on every word.

use std::mem;
use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Longest indexed word, in bytes once folded. A longer word (a compound,
/// a run of CJK text with no spaces, a pasted hash) is indexed and searched
/// by its first `MAX_WORD_BYTES` bytes rather than dropped, so it stays
/// findable; tantivy rejects terms past 64 KiB.
pub const MAX_WORD_BYTES: usize = 255;

/// Analyzer of the stemmed fields.
pub(crate) fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(TruncateLong(MAX_WORD_BYTES))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Analyzer of the folded fields, and of query words.
pub(crate) fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(TruncateLong(MAX_WORD_BYTES))
        .build()
}

/// Stems a word already folded (by [`folded_analyzer`]) as the stemmed
/// fields stem it. The word is not split again: folding can leave a mark
/// that is not a letter ("İ" folds to "i" and a combining dot), and
/// splitting there would stem "i" instead.
pub(crate) fn word_stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(TruncateLong(MAX_WORD_BYTES))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The stem of one folded word, by [`word_stemmer`].
pub(crate) fn stem(stemmer: &mut TextAnalyzer, word: &str) -> Option<String> {
    tokens(stemmer, word).into_iter().next().map(|(w, _)| w)
}

/// The words of a text as an analyzer sees them, with their byte offsets.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        out.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    out
}

/// The first `limit` bytes of `word`, cut back to a character boundary.
pub(crate) fn truncate_word(word: &str, limit: usize) -> &str {
    if word.len() <= limit {
        return word;
    }
    let mut end = limit;
    while !word.is_char_boundary(end) {
        end -= 1;
    }
    &word[..end]
}

/// Cuts tokens to at most this many bytes, on a character boundary.
///
/// It runs after folding and before stemming, so that the query, which
/// folds a word, then stems it, reads a long word as the index does.
#[derive(Clone, Copy, Debug)]
struct TruncateLong(usize);

impl TokenFilter for TruncateLong {
    type Tokenizer<T: Tokenizer> = TruncateLongWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> TruncateLongWrapper<T> {
        TruncateLongWrapper {
            limit: self.0,
            inner,
        }
    }
}

#[derive(Clone)]
struct TruncateLongWrapper<T> {
    limit: usize,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for TruncateLongWrapper<T> {
    type TokenStream<'a> = TruncateLongStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TruncateLongStream {
            limit: self.limit,
            tail: self.inner.token_stream(text),
        }
    }
}

struct TruncateLongStream<T> {
    limit: usize,
    tail: T,
}

impl<T: TokenStream> TokenStream for TruncateLongStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let limit = self.limit;
        let token = self.tail.token_mut();
        let kept = truncate_word(&token.text, limit).len();
        if kept < token.text.len() {
            // The offsets still cover the whole word in the source text,
            // so a highlight marks all of it.
            let mut text = mem::take(&mut token.text);
            text.truncate(kept);
            token.text = text;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        tokens(analyzer, text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn long_words_are_cut_not_dropped() {
        let long = "x".repeat(40);
        assert_eq!(words(&mut folded_analyzer(), &long), vec![long.clone()]);
        let huge = format!("{} tail", "Ab".repeat(1000));
        let folded = words(&mut folded_analyzer(), &huge);
        assert_eq!(folded.len(), 2, "{folded:?}");
        assert_eq!(folded[0].len(), MAX_WORD_BYTES);
        assert_eq!(folded[1], "tail");
        let spans: Vec<Range<usize>> = tokens(&mut folded_analyzer(), &huge)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(spans[0], 0..2000, "the offsets cover the whole word");
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        // 'ж' is two bytes and has no ASCII folding.
        let word = "ж".repeat(200);
        let folded = words(&mut folded_analyzer(), &word);
        assert_eq!(folded[0].len(), MAX_WORD_BYTES - 1);
        assert!(folded[0].chars().all(|c| c == 'ж'));
        assert_eq!(truncate_word("aé", 2), "a");
        assert_eq!(truncate_word("aé", 3), "aé");
        assert_eq!(truncate_word("", 0), "");
    }

    #[test]
    fn a_folded_word_stems_like_the_word_itself() {
        // The query stems the folded form of what was typed; the index
        // stems the text. They must agree, long words included.
        for word in [
            "Budgeting",
            "ÉCOLES",
            &"Reliabilities".repeat(30),
            &format!("{}ing", "a".repeat(MAX_WORD_BYTES - 2)),
            &"Ğ".repeat(300),
            "İstanbul",
            // Long enough to be cut inside a word the stemmer shortens.
            &format!("{}ness", "a".repeat(MAX_WORD_BYTES - 1)),
        ] {
            let direct = words(&mut stemmed_analyzer(), word);
            let folded = words(&mut folded_analyzer(), word);
            let mut stemmer = word_stemmer();
            let via_folded: Vec<String> = folded
                .iter()
                .filter_map(|f| stem(&mut stemmer, f))
                .collect();
            assert_eq!(direct, via_folded, "{word}");
        }
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config(512))]

            /// Every word is a non-empty term tantivy accepts, read from
            /// whole characters of the text; and the query side (stemming
            /// what was folded) agrees with the index side (stemming the
            /// text) on every word.
            #[test]
            fn words_of_any_text(text in tricky_text(40)) {
                let folded = tokens(&mut folded_analyzer(), &text);
                let stemmed = tokens(&mut stemmed_analyzer(), &text);
                let mut stemmer = word_stemmer();
                prop_assert_eq!(folded.len(), stemmed.len());
                for (word, span) in &folded {
                    prop_assert!(!word.is_empty() && word.len() <= MAX_WORD_BYTES, "{word:?}");
                    prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                    prop_assert!(text[span.clone()].chars().all(char::is_alphanumeric));
                }
                for ((word, _), (stemmed, _)) in folded.iter().zip(&stemmed) {
                    prop_assert_eq!(stem(&mut stemmer, word), Some(stemmed.clone()), "{:?}", word);
                }
            }
        }
    }
}
