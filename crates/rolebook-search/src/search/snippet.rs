//! Highlighted snippets: the passage of a document that holds the most of
//! a query's words, cut to a readable length, with the matches marked by
//! byte ranges.
//!
//! tantivy's own snippet generator only knows the terms a query holds
//! literally; the query here also matches corrected and completed words,
//! so the highlighter works from the list of words the query was expanded
//! to, compared by stem.

use aho_corasick::AhoCorasick;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use serde::Serialize;

use tantivy::tokenizer::TextAnalyzer;

use super::analysis::{folded_analyzer, stem, tokens, word_stemmer};
use super::serialize_ranges;
use rolebook_core::escape::xml as escape_html;

/// Longest snippet, in bytes, before ellipses (longer only when a single
/// matched word is).
const WINDOW: usize = 200;
/// How far back a snippet may start to begin at a sentence or line.
const LEAD: usize = 60;

/// A passage of a document with the query's words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// Which part of the document: summary, responsibilities, definition…
    pub field: String,
    pub text: String,
    /// Byte ranges of `text` that match the query, in order.
    #[serde(serialize_with = "serialize_ranges")]
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The text with each match wrapped in `open` and `close`.
    pub fn render(&self, open: &str, close: &str) -> String {
        mark(&self.text, &self.highlights, open, close)
    }

    /// HTML: the text escaped, matches in `<mark>`.
    pub fn to_html(&self) -> String {
        mark_html(&self.text, &self.highlights)
    }
}

/// `text` with each of the byte `ranges` (in order, not overlapping)
/// wrapped in `open` and `close`; ranges that do not fit (out of order,
/// reversed, past the end or inside a character) are skipped.
pub fn mark(text: &str, ranges: &[Range<usize>], open: &str, close: &str) -> String {
    mark_with(text, ranges, open, close, |s: &str| {
        std::borrow::Cow::Borrowed(s)
    })
}

/// HTML: `text` escaped, each of the byte `ranges` in `<mark>`; for a
/// hit's title and its `title_highlights`, or a snippet.
pub fn mark_html(text: &str, ranges: &[Range<usize>]) -> String {
    mark_with(text, ranges, "<mark>", "</mark>", escape_html)
}

fn mark_with(
    text: &str,
    ranges: &[Range<usize>],
    open: &str,
    close: &str,
    escape: impl for<'t> Fn(&'t str) -> std::borrow::Cow<'t, str>,
) -> String {
    let mut out = String::with_capacity(text.len() + 16 * ranges.len());
    let mut at = 0;
    for range in ranges {
        if range.start < at
            || range.start > range.end
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        out.push_str(&escape(&text[at..range.start]));
        out.push_str(open);
        out.push_str(&escape(&text[range.clone()]));
        out.push_str(close);
        at = range.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// Decides which words of a text match a query: those whose stem is the
/// stem of a query word or of a word the query was expanded to.
///
/// Stemming every word of every passage would cost more than the search
/// itself, so a word is stemmed only when it begins like one of the stems
/// (an English stem keeps the first letters of its word).
pub(crate) struct Matcher {
    words: HashSet<String>,
    stems: HashSet<String>,
    beginnings: HashSet<String>,
    stemmer: TextAnalyzer,
    /// Finds, ignoring ASCII case, what a matching word must begin with (a
    /// stem's beginning, or the first letters of a query word); `None`
    /// when one of them is not ASCII. In ASCII text only the words it
    /// finds are looked at, instead of cutting every passage into words.
    prefilter: Option<AhoCorasick>,
}

const BEGINNING: usize = 3;

fn beginning(word: &str) -> &str {
    match word.char_indices().nth(BEGINNING) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

impl Matcher {
    pub(crate) fn new(words: &[String], phrases: Vec<Vec<String>>) -> Matcher {
        let mut stemmer = word_stemmer();
        let words: HashSet<String> = words
            .iter()
            .chain(phrases.iter().flatten())
            .cloned()
            .collect();
        let stems: HashSet<String> = words
            .iter()
            .flat_map(|w| tokens(&mut stemmer, w).into_iter().map(|(s, _)| s))
            .collect();
        let beginnings: HashSet<String> = stems.iter().map(|s| beginning(s).to_string()).collect();
        let needles: Vec<&str> = beginnings
            .iter()
            .map(String::as_str)
            .chain(words.iter().map(|w| beginning(w)))
            .collect();
        let prefilter = needles
            .iter()
            .all(|n| n.is_ascii() && !n.is_empty())
            .then(|| {
                // Leftmost: a shorter needle ending earlier ("d" in
                // "cdo") must not hide a longer one starting at the word.
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(&needles)
                    .ok()
            })
            .flatten();
        Matcher {
            words,
            stems,
            beginnings,
            stemmer,
            prefilter,
        }
    }

    /// Byte ranges of `text` whose words match, with the stem matched.
    /// Words are runs of letters and digits, as tantivy's simple tokenizer
    /// cuts them; ASCII words are lowercased in place, others go through
    /// the index's folding analyzer.
    fn hits(&mut self, text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        let mut lower = String::new();
        // In ASCII text a matching word begins with a needle, so only the
        // words where the prefilter finds one at their start are looked
        // at. (Other text is folded first, so the needles say nothing
        // about it, and every word is looked at.)
        if let Some(prefilter) = &self.prefilter
            && text.is_ascii()
        {
            let starts: Vec<usize> = prefilter
                .find_iter(text)
                .map(|found| found.start())
                .filter(|&at| at == 0 || !text.as_bytes()[at - 1].is_ascii_alphanumeric())
                .collect();
            for start in starts {
                let len = text[start..]
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(text.len() - start);
                lower.clear();
                lower.push_str(&text[start..start + len]);
                lower.make_ascii_lowercase();
                self.check(&lower, start..start + len, &mut out);
            }
            return out;
        }
        self.hits_word_by_word(text)
    }

    /// [`Matcher::hits`] looking at every word: for text that is not
    /// ASCII, and as the reference the fast path is tested against.
    fn hits_word_by_word(&mut self, text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        each_word(&mut folded_analyzer(), text, |lower, range| {
            self.check(lower, range, &mut out)
        });
        out
    }

    /// Adds `lower` (a word, lowercased, at `range`) to `out` with its
    /// stem when it matches.
    fn check(&mut self, lower: &str, range: Range<usize>, out: &mut Vec<(String, Range<usize>)>) {
        if !self.beginnings.contains(beginning(lower)) && !self.words.contains(lower) {
            return;
        }
        if let Some((stem, _)) = tokens(&mut self.stemmer, lower).into_iter().next()
            && (self.stems.contains(&stem) || self.words.contains(lower))
        {
            out.push((stem, range));
        }
    }

    pub(crate) fn highlights(&mut self, text: &str) -> Vec<Range<usize>> {
        self.hits(text).into_iter().map(|(_, r)| r).collect()
    }
}

/// Calls `f` with every word of `text` (a run of letters and digits, as
/// tantivy's simple tokenizer cuts them), lowercased, and its byte range:
/// ASCII words are lowercased in place, others go through the index's
/// folding analyzer.
fn each_word(folder: &mut TextAnalyzer, text: &str, mut f: impl FnMut(&str, Range<usize>)) {
    let mut lower = String::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find(char::is_alphanumeric) {
        let word_and_more = &rest[start..];
        let len = word_and_more
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(word_and_more.len());
        let word = &word_and_more[..len];
        let range = offset + start..offset + start + len;
        offset += start + len;
        rest = &word_and_more[len..];
        lower.clear();
        if word.is_ascii() {
            lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else if let Some((folded, _)) = tokens(folder, word).into_iter().next() {
            lower = folded;
        } else {
            continue;
        }
        f(&lower, range);
    }
}

/// Where a word of an indexed document is: in its title (part 0) or in
/// one of its passages (part 1 onwards), at which bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    part: u16,
    start: u32,
    end: u32,
}

/// The words of one indexed document (title and passages), grouped by
/// stem. Cutting, folding and stemming a document's text does not depend
/// on the query, so it is done once, the first time the document is a hit
/// (the index keeps it), and a search then only looks up its own stems:
/// the same words [`Matcher`] marks, found without reading the text again.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocWords {
    by_stem: HashMap<Box<str>, Vec<Place>>,
}

impl DocWords {
    pub(crate) fn new(title: &str, passages: &[(&str, String)]) -> DocWords {
        let mut folder = folded_analyzer();
        let mut stemmer = word_stemmer();
        let mut by_stem: HashMap<Box<str>, Vec<Place>> = HashMap::default();
        let parts = std::iter::once(title).chain(passages.iter().map(|(_, text)| text.as_str()));
        for (part, text) in parts.enumerate() {
            // Catalog files are far below 4 GiB and a document has a
            // handful of passages; a text past either is not marked.
            let (Ok(part), Ok(_)) = (u16::try_from(part), u32::try_from(text.len())) else {
                continue;
            };
            each_word(&mut folder, text, |lower, range| {
                let Some(stem) = stem(&mut stemmer, lower) else {
                    return;
                };
                let place = Place {
                    part,
                    start: range.start as u32,
                    end: range.end as u32,
                };
                match by_stem.get_mut(stem.as_str()) {
                    Some(places) => places.push(place),
                    None => {
                        by_stem.insert(stem.into_boxed_str(), vec![place]);
                    }
                }
            });
        }
        for places in by_stem.values_mut() {
            places.shrink_to_fit();
        }
        DocWords { by_stem }
    }

    /// The words of part `part` whose stem is one of `stems`, in text
    /// order, each with the index of its stem in `stems`.
    fn hits(&self, stems: &QueryStems, part: usize) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        for (i, stem) in stems.0.iter().enumerate() {
            if let Some(places) = self.by_stem.get(stem.as_str()) {
                out.extend(
                    places
                        .iter()
                        .filter(|p| usize::from(p.part) == part)
                        .map(|p| (i, p.start as usize..p.end as usize)),
                );
            }
        }
        out.sort_by_key(|(_, range)| range.start);
        out
    }

    /// Byte ranges of the title that match, in order.
    pub(crate) fn title_highlights(&self, stems: &QueryStems) -> Vec<Range<usize>> {
        self.hits(stems, 0).into_iter().map(|(_, r)| r).collect()
    }

    /// The best snippet of the document's `passages` (those it was built
    /// from), as [`best`] finds it with a [`Matcher`] of the same words.
    pub(crate) fn best(&self, stems: &QueryStems, passages: &[(&str, String)]) -> Option<Snippet> {
        best_of(passages, |i, _| self.hits(stems, i + 1))
    }
}

/// The stems of a query's words and of the words it was expanded to:
/// what [`DocWords`] looks up.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryStems(Vec<String>);

impl QueryStems {
    #[cfg(test)]
    pub(crate) fn new(words: &[String]) -> QueryStems {
        let mut stemmer = word_stemmer();
        let mut stems = QueryStems::default();
        for word in words {
            for (stem, _) in tokens(&mut stemmer, word) {
                stems.add(&stem);
            }
        }
        stems
    }

    /// Adds a stem (once).
    pub(crate) fn add(&mut self, stem: &str) {
        if !self.0.iter().any(|s| s == stem) {
            self.0.push(stem.to_string());
        }
    }
}

/// The best snippet among a document's passages; the first passage,
/// shortened, when no passage holds a query word (the document matched on
/// its title or id).
pub(crate) fn best(matcher: &mut Matcher, passages: &[(&str, String)]) -> Option<Snippet> {
    best_of(passages, |_, text| matcher.hits(text))
}

/// [`best`] with the matches of passage `i` (whose text is given) found
/// by `hits_of`, in text order, each with a key that is the same for the
/// same matched word. Only the winning passage is cut into a snippet.
fn best_of<K: PartialEq>(
    passages: &[(&str, String)],
    mut hits_of: impl FnMut(usize, &str) -> Vec<(K, Range<usize>)>,
) -> Option<Snippet> {
    // ((distinct, count, first byte, last byte) of its window, passage, hits)
    type Best<K> = ((usize, usize, usize, usize), usize, Vec<(K, Range<usize>)>);
    let mut best: Option<Best<K>> = None;
    for (i, (_, text)) in passages.iter().enumerate() {
        let hits = hits_of(i, text);
        if hits.is_empty() {
            continue;
        }
        let found = window(&hits);
        if best
            .as_ref()
            .is_none_or(|((d, c, ..), ..)| (found.0, found.1) > (*d, *c))
        {
            best = Some((found, i, hits));
        }
    }
    if let Some(((_, _, first, last), i, hits)) = best {
        let (field, text) = &passages[i];
        let (start, end) = bounds(text, first, last);
        let inside: Vec<Range<usize>> = hits
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| r.start >= start && r.end <= end)
            .collect();
        return Some(cut(field, text, start, end, &inside));
    }
    passages
        .iter()
        .find(|(_, text)| !text.trim().is_empty())
        .map(|(field, text)| {
            let (start, end) = bounds(text, 0, 0);
            cut(field, text, start, end, &[])
        })
}

/// The window of at most [`WINDOW`] bytes that holds the most distinct
/// matched words (then the most matches): those two counts and the first
/// and last byte of its matches.
fn window<K: PartialEq>(hits: &[(K, Range<usize>)]) -> (usize, usize, usize, usize) {
    let mut best = (0, 0, 0usize, 0usize);
    // A query has a few distinct words: a list beats a set here.
    let mut distinct: Vec<&K> = Vec::new();
    for (i, (_, first)) in hits.iter().enumerate() {
        distinct.clear();
        let mut count = 0;
        let mut end = first.end;
        for (word, range) in &hits[i..] {
            // The first match always counts, however long the word.
            if count > 0 && range.end - first.start > WINDOW {
                break;
            }
            if !distinct.contains(&word) {
                distinct.push(word);
            }
            count += 1;
            end = range.end;
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, first.start, end);
        }
    }
    best
}

/// A window of at most [`WINDOW`] bytes around the bytes `first..last`
/// (character boundaries): starting at the beginning of their line or
/// sentence when that is near, else a little before them at a word
/// boundary, and ending at a word boundary.
fn bounds(text: &str, first: usize, last: usize) -> (usize, usize) {
    let slack = WINDOW.saturating_sub(last - first);
    let lead = slack.min(LEAD).min(first);
    let earliest = floor_char(text, first - lead);
    let sentence = text[..first]
        .rfind(|c: char| c == '.' || is_line_break(c))
        .map(|mark| mark + text[mark..].chars().next().map_or(0, char::len_utf8));
    let start = match sentence {
        Some(after) if after >= earliest => after,
        _ if earliest == 0 => 0,
        // Start at the first space past the earliest point, so no word
        // is cut in half.
        _ => text[earliest..first]
            .find(char::is_whitespace)
            .map_or(first, |space| earliest + space),
    };
    // Skip the spaces before the first word, whatever their width (a
    // no-break space is two bytes, an ideographic space three).
    let start = first - text[start..first].trim_start().len();
    let limit = floor_char(text, (start + WINDOW).min(text.len()));
    let mut end = limit.max(last);
    if end < text.len()
        && let Some(space) = text[last..end].rfind(char::is_whitespace)
    {
        end = last + space;
    }
    (start, end)
}

fn floor_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Characters that end a line (Unicode's mandatory breaks).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Appends `text` with each run of line breaks as one space.
fn push_one_line(out: &mut String, text: &str) {
    // Every line break starts with one of these bytes (U+0085 with 0xC2,
    // U+2028 and U+2029 with 0xE2); text without them is copied as is.
    if !text
        .bytes()
        .any(|b| matches!(b, b'\n' | b'\r' | 0x0b | 0x0c | 0xc2 | 0xe2))
    {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(at) = rest.find(is_line_break) {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = rest[at..].trim_start_matches(is_line_break);
    }
    out.push_str(rest);
}

/// The snippet text between `start` and `end`, one line, with ellipses
/// where it was cut and highlights moved to its own offsets.
fn cut(field: &str, text: &str, start: usize, end: usize, hits: &[Range<usize>]) -> Snippet {
    let slice = &text[start..end];
    let base = start + (slice.len() - slice.trim_start().len());
    let body_end = base + slice.trim().len();
    let mut out = String::with_capacity(body_end - base + 8);
    let mut highlights = Vec::with_capacity(hits.len());
    if base > 0 {
        out.push_str("… ");
    }
    // Line breaks become single spaces, which moves what follows them:
    // copy the text between matches and place each match anew.
    let mut at = base;
    for hit in hits {
        if hit.start < at || hit.end > body_end {
            continue;
        }
        push_one_line(&mut out, &text[at..hit.start]);
        let from = out.len();
        push_one_line(&mut out, &text[hit.clone()]);
        highlights.push(from..out.len());
        at = hit.end;
    }
    push_one_line(&mut out, &text[at..body_end]);
    if end < text.len() && !text[end..].trim().is_empty() {
        out.push_str(" …");
    }
    Snippet {
        field: field.to_string(),
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// In ASCII text the prefilter's fast path finds exactly what
        /// looking at every word finds.
        #[test]
        fn the_fast_path_finds_what_every_word_finds(
            words in prop::collection::vec(
                prop_oneof![
                    Just("Error"), Just("errors"), Just("budget"), Just("BUDGETS"),
                    Just("budgeting"), Just("err"), Just("terror"), Just("on-call"),
                    Just("SLO"), Just("slos"), Just("x"), Just("2026"), Just("ai"),
                    Just("aim"), Just("burn"), Just("Burn-rate"), Just("rebudget"),
                ],
                0..40,
            ),
            separators in prop::collection::vec(
                prop_oneof![Just(" "), Just(", "), Just("."), Just("\n"), Just("/"), Just("-"), Just("")],
                40,
            ),
            query in prop_oneof![
                Just(vec!["error", "budget"]), Just(vec!["slo"]), Just(vec!["ai"]),
                Just(vec!["burn", "rate"]), Just(vec!["on", "call"]), Just(vec!["x"]),
            ],
        ) {
            let text: String = words
                .iter()
                .zip(&separators)
                .map(|(w, s)| format!("{w}{s}"))
                .collect();
            let query: Vec<String> = query.iter().map(|w| w.to_string()).collect();
            let mut matcher = super::Matcher::new(&query, Vec::new());
            prop_assert!(matcher.prefilter.is_some());
            let fast = matcher.hits(&text);
            let slow = matcher.hits_word_by_word(&text);
            prop_assert_eq!(fast, slow);
        }
    }

    use super::*;

    fn matcher(words: &[&str]) -> Matcher {
        Matcher::new(
            &words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            Vec::new(),
        )
    }

    #[test]
    fn highlights_by_folded_word_and_stem() {
        let mut m = matcher(&["budget"]);
        let text = "Owns error budgets and the budgeting process.";
        let marked: Vec<&str> = m.highlights(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, vec!["budgets", "budgeting"]);
    }

    #[test]
    fn picks_the_passage_and_window_with_most_distinct_words() {
        let mut m = matcher(&["error", "budget"]);
        let passages = vec![
            (
                "summary",
                "Runs a team. Budget talks happen yearly.".to_string(),
            ),
            (
                "responsibilities",
                format!(
                    "{}Agree an error budget policy with product teams.",
                    "Unrelated words here. ".repeat(20)
                ),
            ),
        ];
        let snippet = best(&mut m, &passages).expect("a snippet");
        assert_eq!(snippet.field, "responsibilities");
        assert!(snippet.text.starts_with("… "), "{}", snippet.text);
        assert!(snippet.text.len() <= WINDOW + 10);
        assert!(
            snippet
                .render("[", "]")
                .ends_with("Agree an [error] [budget] policy with product teams."),
            "{}",
            snippet.render("[", "]")
        );
    }

    #[test]
    fn falls_back_to_the_first_passage() {
        let mut m = matcher(&["zzz"]);
        let snippet =
            best(&mut m, &[("summary", "Short summary.".to_string())]).expect("a snippet");
        assert_eq!(snippet.text, "Short summary.");
        assert!(snippet.highlights.is_empty());
    }

    #[test]
    fn html_escapes_text_and_marks_matches() {
        let snippet = Snippet {
            field: "summary".into(),
            text: "R&D <teams> budget".into(),
            highlights: std::iter::once(12..18).collect(),
        };
        assert_eq!(
            snippet.to_html(),
            "R&amp;D &lt;teams&gt; <mark>budget</mark>"
        );
    }

    #[test]
    fn wide_spaces_before_a_match_do_not_split_a_character() {
        // Issue 15: a sentence ending in a no-break space (two bytes), an
        // em space (three) or an ideographic space (three) before the match.
        for space in ['\u{00a0}', '\u{2003}', '\u{3000}', '\u{2028}', '\u{85}'] {
            let mut m = matcher(&["zebrafoo"]);
            let text = format!("The role grows as the business goes.{space}Zebrafoo x.");
            let snippet = best(&mut m, &[("summary", text.clone())]).expect("a snippet");
            assert_eq!(snippet.render("[", "]"), "… [Zebrafoo] x.", "{space:?}");
            // And after a space in the middle of a long sentence.
            let mut m = matcher(&["zebrafoo"]);
            let text = format!("{}{space}{space}Zebrafoo x.", "word ".repeat(40));
            let snippet = best(&mut m, &[("summary", text)]).expect("a snippet");
            assert!(
                snippet.render("[", "]").ends_with("[Zebrafoo] x."),
                "{space:?}: {}",
                snippet.text
            );
        }
    }

    #[test]
    fn snippets_are_one_line_whatever_ends_the_lines() {
        let mut m = matcher(&["budget"]);
        let text = "Plans.\r\nSets the budget\u{2028}and\u{0b}\u{0c}reviews it.\u{85}Done.";
        let snippet = best(&mut m, &[("summary", text.to_string())]).expect("a snippet");
        assert_eq!(
            snippet.render("[", "]"),
            "… Sets the [budget] and reviews it. Done."
        );
    }

    #[test]
    fn a_match_longer_than_the_window_is_shown() {
        let word = "budget".repeat(50);
        let mut m = matcher(&[&word]);
        let text = format!("{} {word} end.", "Lead-in words. ".repeat(20));
        let snippet = best(&mut m, &[("summary", text)]).expect("a snippet");
        assert_eq!(snippet.highlights.len(), 1, "{}", snippet.text);
    }

    #[test]
    fn marks_skip_reversed_and_misplaced_ranges() {
        let text = "héllo world";
        #[allow(clippy::reversed_empty_ranges)]
        let ranges = [5..3, 1..2, 0..1, 7..12, 20..30];
        assert_eq!(mark(text, &ranges, "[", "]"), "[h]éllo [world]");
    }

    #[test]
    fn windows_respect_char_boundaries() {
        let mut m = matcher(&["budget"]);
        let text = format!("{}budget é {}", "éé ".repeat(60), "üü ".repeat(60));
        let snippet = best(&mut m, &[("summary", text)]).expect("a snippet");
        assert_eq!(snippet.render("[", "]").matches("[budget]").count(), 1);
    }

    #[test]
    fn a_needle_inside_a_word_does_not_hide_the_word() {
        // Found by the property test below: "d" ends in "CDO" before "cdo"
        // does, and the prefilter skipped the word.
        let mut m = Matcher::new(&["d".to_string(), "cdo".to_string()], Vec::new());
        let marked = m.highlights("CDO");
        assert_eq!((marked.len(), marked.first().cloned()), (1, Some(0..3)));
        assert_eq!(m.hits("CDO").len(), m.hits_word_by_word("CDO").len());
    }

    mod properties {
        use super::*;
        use crate::testing::{check_highlights, check_snippet, config, tricky_text};

        /// The words of a text as the matcher cuts them, folded.
        fn words_of(text: &str) -> Vec<String> {
            tokens(&mut folded_analyzer(), text)
                .into_iter()
                .map(|(w, _)| w)
                .collect()
        }

        proptest! {
            #![proptest_config(config(512))]

            /// Any passages, any query words (some from the text, some
            /// not): snippets are one line of the source with whole words
            /// marked, and every word of the query that the text holds is
            /// marked in its title highlights.
            #[test]
            fn snippets_and_highlights_of_any_text(
                passages in proptest::collection::vec(tricky_text(40), 1..4),
                extra in tricky_text(4),
                pick in any::<proptest::sample::Index>(),
            ) {
                let all_words: Vec<String> = passages.iter().flat_map(|p| words_of(p)).collect();
                let mut query = words_of(&extra);
                if !all_words.is_empty() {
                    query.push(pick.get(&all_words).clone());
                }
                let mut m = Matcher::new(&query, Vec::new());
                for passage in &passages {
                    let marked = m.highlights(passage);
                    check_highlights(passage, &marked)?;
                }
                if let Some(word) = query.last().filter(|_| !all_words.is_empty()) {
                    let holder = passages.iter().find(|p| words_of(p).contains(word)).expect("picked from one");
                    prop_assert!(!m.highlights(holder).is_empty(), "{word:?} in {holder:?}");
                }
                let labelled: Vec<(&str, String)> =
                    passages.iter().map(|p| ("text", p.clone())).collect();
                let sources: Vec<&str> = passages.iter().map(String::as_str).collect();
                match best(&mut m, &labelled) {
                    Some(snippet) => check_snippet(&snippet, &sources)?,
                    None => prop_assert!(passages.iter().all(|p| p.trim().is_empty())),
                }
            }

            /// A document's words cut once by stem find the same title
            /// highlights and the same best snippet as reading its text
            /// with a matcher of the query's words.
            #[test]
            fn document_words_find_what_the_matcher_finds(
                title in tricky_text(6),
                passages in proptest::collection::vec(tricky_text(40), 0..4),
                extra in tricky_text(4),
                pick in any::<proptest::sample::Index>(),
            ) {
                let all_words: Vec<String> = std::iter::once(&title)
                    .chain(&passages)
                    .flat_map(|p| words_of(p))
                    .collect();
                let mut query = words_of(&extra);
                if !all_words.is_empty() {
                    query.push(pick.get(&all_words).clone());
                }
                let labelled: Vec<(&str, String)> =
                    passages.iter().map(|p| ("text", p.clone())).collect();
                let mut m = Matcher::new(&query, Vec::new());
                let words = DocWords::new(&title, &labelled);
                let stems = QueryStems::new(&query);
                prop_assert_eq!(words.title_highlights(&stems), m.highlights(&title));
                prop_assert_eq!(words.best(&stems, &labelled), best(&mut m, &labelled));
            }

            /// Marking takes any ranges, however wrong, and only marks the
            /// ones that fit.
            #[test]
            fn marks_take_any_ranges(
                text in tricky_text(20),
                ranges in proptest::collection::vec((0..80usize, 0..80usize), 0..6),
            ) {
                let ranges: Vec<Range<usize>> = ranges.into_iter().map(|(a, b)| a..b).collect();
                let marked = mark(&text, &ranges, "\u{1}", "\u{2}");
                prop_assert_eq!(marked.replace(['\u{1}', '\u{2}'], ""), text.replace(['\u{1}', '\u{2}'], ""));
                prop_assert_eq!(mark(&text, &ranges, "", ""), text.clone());
                let html = mark_html(&text, &ranges);
                prop_assert!(!html.contains('<') || html.contains("<mark>"));
            }
        }
    }
}
