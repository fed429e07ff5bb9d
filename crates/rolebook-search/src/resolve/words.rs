//! Title text → words: splitting into segments, lowercasing and lemmas.
//!
//! A segment is a part of a title set off by a comma, a dash between spaces,
//! brackets or a similar mark ("Director, Site Reliability"; "SRE Manager
//! (Payments)"). Words keep the segment they came from and their original
//! spelling, for explanations and for spotting acronyms.

use std::borrow::Cow;

/// One word of a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Lowercase, punctuation removed; later passes rewrite it.
    pub text: String,
    /// As written, for explanations.
    pub raw: String,
    pub segment: u16,
    /// After "at", "to" or "@": the employer or the role served, not the
    /// title's role.
    pub employer: bool,
    /// Rewritten by typo correction.
    pub corrected: bool,
}

impl Word {
    /// The words this one stands for ("VP" → "vice", "president"), in its
    /// segment and role; the first keeps the written form, so that an
    /// explanation shows what was typed once.
    pub(crate) fn expanded<'a>(&'a self, parts: &'a [String]) -> impl Iterator<Item = Word> + 'a {
        parts.iter().enumerate().map(move |(i, part)| Word {
            text: part.clone(),
            raw: if i == 0 {
                self.raw.clone()
            } else {
                String::new()
            },
            ..self.clone()
        })
    }
}

fn is_segment_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '|' | '(' | ')' | '[' | ']' | '{' | '}' | '–' | '—' | '―' | '•' | '·'
    )
}

/// Splits a title into lowercase words tagged with their segment.
///
/// Dots and apostrophes join ("Sr." → "sr", "V.P." → "vp"); a hyphen
/// between spaces separates segments ("VP - Infrastructure") while one
/// inside a word separates words ("Vice-President").
pub(crate) fn split(title: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut text = String::new();
    let mut raw = String::new();
    let mut segment: u16 = 0;
    let mut employer = false;
    let chars: Vec<char> = title.chars().collect();
    let flush = |text: &mut String, raw: &mut String, words: &mut Vec<Word>, segment, employer| {
        if !text.is_empty() {
            words.push(Word {
                text: std::mem::take(text),
                raw: std::mem::take(raw),
                segment,
                employer,
                corrected: false,
            });
        }
        raw.clear();
    };
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            text.extend(c.to_lowercase());
            raw.push(c);
        } else if matches!(c, '.' | '\'' | '’') {
            raw.push(c);
        } else if c == '-' {
            flush(&mut text, &mut raw, &mut words, segment, employer);
            let spaced_before = i == 0 || chars[i - 1].is_whitespace();
            let spaced_after = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            if spaced_before && spaced_after {
                segment = segment.saturating_add(1);
            }
        } else if matches!(c, '&' | '+') {
            // "Data & AI": kept as a word, since a conjunction in a title
            // can join two roles ("Chief Product & Technology Officer").
            flush(&mut text, &mut raw, &mut words, segment, employer);
            words.push(Word {
                text: "and".to_string(),
                raw: c.to_string(),
                segment,
                employer,
                corrected: false,
            });
        } else if c == '@' {
            flush(&mut text, &mut raw, &mut words, segment, employer);
            employer = true;
        } else if is_segment_break(c) {
            flush(&mut text, &mut raw, &mut words, segment, employer);
            segment = segment.saturating_add(1);
        } else {
            flush(&mut text, &mut raw, &mut words, segment, employer);
        }
        // "at" and "to" start the part about someone else ("CTO at Acme",
        // "Assistant to the CTO"), but not as the first word; inside that
        // part they only join ("to the CTO at Acme").
        if let Some(last) = words.last()
            && is_outward(&last.text)
            && words.len() > 1
        {
            words.pop();
            employer = true;
        }
    }
    flush(&mut text, &mut raw, &mut words, segment, employer);
    if let Some(last) = words.last()
        && is_outward(&last.text)
        && words.len() > 1
    {
        words.pop();
    }
    words
}

fn is_outward(word: &str) -> bool {
    matches!(word, "at" | "to")
}

/// The words of a title joined by single spaces: the key for exact matches
/// of titles and aliases, blind to case and punctuation.
pub(crate) fn literal_key(title: &str) -> String {
    key_of(&split(title))
}

/// [`literal_key`] of words already split.
pub(crate) fn key_of(words: &[Word]) -> String {
    let mut key = String::with_capacity(words.len() * 8);
    for word in words {
        if word.text == "and" {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&word.text);
    }
    key
}

/// The base form of a word: plurals and a few derived forms folded so that
/// "Networks", "Networking" and "Network" meet.
pub(crate) fn lemma(word: &str) -> Cow<'_, str> {
    const IRREGULAR: &[(&str, &str)] = &[
        ("networking", "network"),
        ("operational", "operation"),
        ("technical", "technology"),
        ("technologies", "technology"),
        ("strategic", "strategy"),
        ("engineers", "engineer"),
        ("digitalisation", "digital"),
        ("digitalization", "digital"),
    ];
    const KEEP: &[&str] = &[
        "sales", "series", "news", "aws", "ios", "devops", "dataops", "mlops",
    ];
    if let Some((_, base)) = IRREGULAR.iter().find(|(w, _)| *w == word) {
        return Cow::Borrowed(base);
    }
    let n = word.len();
    if n < 5 || !word.ends_with('s') || KEEP.contains(&word) {
        return Cow::Borrowed(word);
    }
    if ["ss", "us", "is", "ics", "ops", "ous"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        return Cow::Borrowed(word);
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Cow::Owned(format!("{stem}y"));
    }
    Cow::Borrowed(&word[..n - 1])
}

/// Whether a word as written looks like an acronym: two to six letters, all
/// capitals ("CTO", "SRE"), or capitals with one lowercase joiner ("DevOps"
/// is not; "CAIO" is).
pub(crate) fn looks_like_acronym(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphanumeric()).collect();
    (2..=6).contains(&letters.len())
        && letters
            .iter()
            .all(|c| c.is_uppercase() || c.is_ascii_digit())
        && letters.iter().any(|c| c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(title: &str) -> Vec<(String, u16, bool)> {
        split(title)
            .into_iter()
            .map(|w| (w.text, w.segment, w.employer))
            .collect()
    }

    #[test]
    fn splits_segments_on_commas_dashes_and_brackets() {
        assert_eq!(
            texts("Director, Site Reliability"),
            vec![
                ("director".into(), 0, false),
                ("site".into(), 1, false),
                ("reliability".into(), 1, false)
            ]
        );
        assert_eq!(
            texts("Site Reliability Engineering – Manager")
                .iter()
                .map(|w| w.1)
                .collect::<Vec<_>>(),
            vec![0, 0, 0, 1]
        );
        assert_eq!(
            texts("VP - Infrastructure")
                .iter()
                .map(|w| w.1)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(
            texts("Vice-President (Cloud)"),
            vec![
                ("vice".into(), 0, false),
                ("president".into(), 0, false),
                ("cloud".into(), 1, false)
            ]
        );
    }

    #[test]
    fn dots_and_apostrophes_join() {
        assert_eq!(
            split("Sr. V.P. Eng'g")
                .into_iter()
                .map(|w| w.text)
                .collect::<Vec<_>>(),
            vec!["sr", "vp", "engg"]
        );
    }

    #[test]
    fn at_starts_the_employer() {
        assert_eq!(
            texts("CTO at Acme"),
            vec![("cto".into(), 0, false), ("acme".into(), 0, true)]
        );
        assert_eq!(
            texts("CTO @ Acme"),
            vec![("cto".into(), 0, false), ("acme".into(), 0, true)]
        );
        assert_eq!(
            texts("Assistant to the CTO"),
            vec![
                ("assistant".into(), 0, false),
                ("the".into(), 0, true),
                ("cto".into(), 0, true)
            ]
        );
        assert_eq!(
            texts("EA to CTO at Acme"),
            vec![
                ("ea".into(), 0, false),
                ("cto".into(), 0, true),
                ("acme".into(), 0, true)
            ]
        );
    }

    #[test]
    fn lemmas_fold_plurals_but_keep_special_words() {
        assert_eq!(lemma("systems"), "system");
        assert_eq!(lemma("technologies"), "technology");
        assert_eq!(lemma("networking"), "network");
        assert_eq!(lemma("devops"), "devops");
        assert_eq!(lemma("analytics"), "analytics");
        assert_eq!(lemma("sales"), "sales");
        assert_eq!(lemma("ops"), "ops");
        assert_eq!(lemma("access"), "access");
    }

    #[test]
    fn acronyms_are_short_and_capitalised() {
        assert!(looks_like_acronym("CTO"));
        assert!(looks_like_acronym("CAIO"));
        assert!(!looks_like_acronym("DevOps"));
        assert!(!looks_like_acronym("A"));
        assert!(!looks_like_acronym("Head"));
    }

    #[test]
    fn literal_keys_ignore_case_punctuation_and_and() {
        assert_eq!(literal_key("VP, Data & AI"), "vp data ai");
        assert_eq!(literal_key("vp data and ai"), "vp data ai");
    }

    mod properties {
        use super::*;
        use crate::testing::{WHITESPACE, config, tricky_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config(512))]

            /// Any title splits into non-empty words without spaces, each
            /// written as a run of the title, with well-formed keys.
            #[test]
            fn any_title_splits_into_words(title in tricky_text(40)) {
                let words = split(&title);
                for word in &words {
                    prop_assert!(!word.text.is_empty());
                    prop_assert!(!word.text.contains(char::is_whitespace), "{:?}", word.text);
                    prop_assert!(title.contains(&word.raw), "{:?}", word.raw);
                    prop_assert!(
                        word.raw.chars().any(char::is_alphanumeric)
                            || (word.text == "and" && ["&", "+"].contains(&word.raw.as_str())),
                        "{:?}", word
                    );
                    let _ = looks_like_acronym(&word.raw);
                }
                let key = key_of(&words);
                prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
                prop_assert!(!key.contains(|c: char| c.is_whitespace() && c != ' '));
            }

            /// Every whitespace character separates words as a space does.
            #[test]
            fn any_whitespace_is_a_space(
                title in tricky_text(20),
                space in proptest::sample::select(WHITESPACE),
            ) {
                let spaced = title.replace(' ', &space.to_string());
                prop_assert_eq!(split(&spaced), split(&title));
            }

            /// Lemmas of any word, known or not.
            #[test]
            fn any_word_has_a_lemma(word in tricky_text(6)) {
                prop_assert_eq!(lemma(&word).is_empty(), word.is_empty());
            }
        }
    }
}
