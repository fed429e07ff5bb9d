//! Typo correction for words nobody knows: a symmetric-delete index
//! (the SymSpell idea) over the known words, so that a lookup costs a few
//! hash probes instead of an edit distance against every word.
//!
//! Words of five to seven letters may be one edit away, longer words two
//! (Damerau-Levenshtein: a swap of two neighbours is one edit). Shorter
//! words are never corrected: too many short words are one edit apart.

use rustc_hash::FxHashMap as HashMap;

const MIN_LEN: usize = 5;
const LONG: usize = 8;

fn max_distance(len: usize) -> usize {
    match len {
        0..MIN_LEN => 0,
        MIN_LEN..LONG => 1,
        _ => 2,
    }
}

#[derive(Debug, Default)]
pub(crate) struct TypoIndex {
    words: Vec<String>,
    deletes: HashMap<String, Vec<u32>>,
    /// The longest known word, in characters.
    longest: usize,
}

fn deletes_of(word: &str, depth: usize, out: &mut Vec<String>) {
    let chars: Vec<char> = word.chars().collect();
    let mut frontier = vec![chars];
    for _ in 0..depth {
        let mut next = Vec::new();
        for chars in &frontier {
            for i in 0..chars.len() {
                let mut shorter = chars.clone();
                shorter.remove(i);
                next.push(shorter);
            }
        }
        out.extend(next.iter().map(|c| c.iter().collect::<String>()));
        frontier = next;
    }
}

impl TypoIndex {
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> TypoIndex {
        let mut index = TypoIndex::default();
        let mut sorted: Vec<&str> = words
            .into_iter()
            .filter(|w| w.chars().count() >= MIN_LEN - 1)
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut variants = Vec::new();
        for word in sorted {
            index.longest = index.longest.max(word.chars().count());
            let id = index.words.len() as u32;
            index.words.push(word.to_string());
            variants.clear();
            variants.push(word.to_string());
            deletes_of(
                word,
                max_distance(word.chars().count() + 1).max(1),
                &mut variants,
            );
            variants.sort_unstable();
            variants.dedup();
            for variant in variants.drain(..) {
                index.deletes.entry(variant).or_default().push(id);
            }
        }
        index
    }

    /// The closest known word within the allowed distance; ties go to the
    /// alphabetically first word, so results are stable.
    pub(crate) fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        let allowed = max_distance(len);
        // A word too long to be within reach of any known word: its deletes
        // would grow with the square of its length for nothing.
        if allowed == 0 || len > self.longest + allowed {
            return None;
        }
        let mut variants = vec![word.to_string()];
        deletes_of(word, allowed, &mut variants);
        let mut best: Option<(usize, &str)> = None;
        for variant in &variants {
            let Some(ids) = self.deletes.get(variant) else {
                continue;
            };
            for &id in ids {
                let candidate = self.words[id as usize].as_str();
                if candidate.chars().count().abs_diff(len) > allowed {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, candidate);
                if distance == 0 || distance > allowed {
                    continue;
                }
                if best.is_none_or(|(d, w)| (distance, candidate) < (d, w)) {
                    best = Some((distance, candidate));
                }
            }
        }
        best.map(|(_, w)| w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TypoIndex {
        TypoIndex::new([
            "manager",
            "engineering",
            "reliability",
            "platform",
            "security",
            "director",
            "data",
        ])
    }

    #[test]
    fn corrects_one_edit_in_medium_words() {
        let index = index();
        assert_eq!(index.correct("mangaer"), Some("manager"));
        assert_eq!(index.correct("manger"), Some("manager"));
        assert_eq!(index.correct("securty"), Some("security"));
        assert_eq!(index.correct("platfrom"), Some("platform"));
    }

    #[test]
    fn corrects_two_edits_in_long_words() {
        let index = index();
        assert_eq!(index.correct("enginering"), Some("engineering"));
        assert_eq!(index.correct("reliabilty"), Some("reliability"));
        assert_eq!(index.correct("engneerng"), Some("engineering"));
    }

    #[test]
    fn leaves_short_and_distant_words_alone() {
        let index = index();
        assert_eq!(index.correct("dta"), None);
        assert_eq!(index.correct("payments"), None);
        assert_eq!(index.correct("nurse"), None);
        assert_eq!(
            index.correct("manager"),
            None,
            "a known word needs no correction"
        );
        assert_eq!(index.correct("engineeringxx"), Some("engineering"));
        assert_eq!(index.correct("engineeringxxx"), None);
        let long = "x".repeat(100_000);
        assert_eq!(index.correct(&long), None, "and no time is spent on it");
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config(512))]

            /// A correction is a known word within the allowed distance.
            #[test]
            fn corrections_are_near_known_words(word in tricky_text(8)) {
                let index = index();
                if let Some(fixed) = index.correct(&word) {
                    let distance = strsim::damerau_levenshtein(&word, fixed);
                    prop_assert!(distance >= 1 && distance <= max_distance(word.chars().count()));
                    prop_assert!(index.words.iter().any(|w| w == fixed));
                }
            }
        }
    }
}
