//! Text for the property tests: arbitrary Unicode, weighted towards what
//! breaks text code (every whitespace character, combining marks, control
//! characters, emoji, letters that change length when lowercased, very
//! long words) and towards words the catalog and the title tables know, so
//! that the code under test has something to match.

use proptest::prelude::*;
use proptest::sample::select;

/// Every character `char::is_whitespace` accepts: U+0009–U+000D, U+0020,
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
/// and U+3000.
pub(crate) const WHITESPACE: &[char] = &[
    '\u{09}', '\u{0a}', '\u{0b}', '\u{0c}', '\u{0d}', '\u{20}', '\u{85}', '\u{a0}', '\u{1680}',
    '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}',
    '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
];

/// Characters that are not what they look like: zero-width, joiners,
/// variation selectors, skin tones and flags, letters whose lowercase is
/// longer or shorter ('İ', 'ẞ'), ligatures, final sigma, the last code
/// point, and the punctuation the query and title parsers react to.
const ODD: &[char] = &[
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{2060}',
    '\u{feff}',
    '\u{fe0f}',
    '\u{1f3fd}',
    '\u{1f1ec}',
    '\u{1f1e7}',
    'İ',
    'ẞ',
    'ß',
    'ﬁ',
    'Σ',
    'ς',
    'ı',
    'ǅ',
    'Ⅻ',
    '²',
    '٣',
    '\u{10ffff}',
    '"',
    '*',
    '.',
    '-',
    '–',
    '—',
    ',',
    ';',
    '(',
    ')',
    '&',
    '+',
    '@',
    '\'',
    '’',
    '/',
];

/// Letters for long words: two, three and four bytes.
const ACCENTED: &[char] = &['é', 'ж', 'ア', '𝔁'];

/// Words the catalog, the title tables and the tests know.
const WORDS: &[&str] = &[
    "CTO",
    "cto",
    "CISO",
    "CDO",
    "Chief",
    "Technology",
    "Officer",
    "VP",
    "of",
    "Engineering",
    "to",
    "at",
    "for",
    "the",
    "Office",
    "org",
    "Assistant",
    "Executive",
    "Recruiter",
    "Chief of Staff",
    "Senior",
    "Sr.",
    "Deputy",
    "Head",
    "Director",
    "Manager",
    "IT",
    "Security",
    "Site",
    "Reliability",
    "SRE",
    "Platform",
    "Product",
    "Data",
    "AI",
    "budget",
    "error",
    "incident",
    "postmortem",
    "platform",
    "Über",
    "ÉCOLE",
    "Zebrafoo",
    "Donaudampfschifffahrtsgesellschaftskapitän",
];

/// One character, anything but weighted towards the awkward ones.
pub(crate) fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => select(WHITESPACE),
        2 => proptest::char::range('\u{300}', '\u{36f}'),
        1 => proptest::char::range('\u{20d0}', '\u{20ff}'),
        2 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => proptest::char::range('\u{7f}', '\u{9f}'),
        2 => proptest::char::range('\u{1f300}', '\u{1faff}'),
        2 => select(ODD),
        4 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('A', 'Z'),
        1 => proptest::char::range('\u{4e00}', '\u{4eff}'),
    ]
}

/// Text of up to `chunks` pieces: characters, known words, runs of one
/// whitespace character, and long words (up to 300 letters, some with
/// accents).
pub(crate) fn tricky_text(chunks: usize) -> impl Strategy<Value = String> {
    let chunk = prop_oneof![
        4 => tricky_char().prop_map(String::from),
        3 => select(WORDS).prop_map(str::to_string),
        2 => (select(WHITESPACE), 1..4usize).prop_map(|(c, n)| c.to_string().repeat(n)),
        1 => proptest::collection::vec(
            prop_oneof![8 => proptest::char::range('a', 'z'), 1 => select(ACCENTED)],
            30..300,
        )
        .prop_map(String::from_iter),
    ];
    proptest::collection::vec(chunk, 0..chunks).prop_map(|chunks| chunks.concat())
}

/// The number of cases, or `PROPTEST_CASES` from the environment.
pub(crate) fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig::with_cases(cases)
}

/// The built-in catalog, loaded once for all tests.
pub(crate) fn builtin_catalog() -> &'static rolebook_core::Catalog {
    static CATALOG: std::sync::LazyLock<rolebook_core::Catalog> = std::sync::LazyLock::new(|| {
        rolebook_core::load(rolebook_core::builtin::sources())
            .catalog
            .expect("the built-in catalog is valid")
    });
    &CATALOG
}

/// Highlights are non-empty, in order and apart, on character boundaries
/// of `text`, and each covers one whole word (a run of letters and digits).
pub(crate) fn check_highlights(
    text: &str,
    ranges: &[std::ops::Range<usize>],
) -> Result<(), TestCaseError> {
    let mut at = 0;
    for range in ranges {
        prop_assert!(at <= range.start && range.start < range.end && range.end <= text.len());
        prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        let word = &text[range.clone()];
        prop_assert!(word.chars().all(char::is_alphanumeric), "{word:?}");
        let before = text[..range.start].chars().next_back();
        let after = text[range.end..].chars().next();
        prop_assert!(
            !before.is_some_and(char::is_alphanumeric),
            "{word:?} in {text:?}"
        );
        prop_assert!(
            !after.is_some_and(char::is_alphanumeric),
            "{word:?} in {text:?}"
        );
        at = range.end;
    }
    Ok(())
}

fn is_line_break(c: char) -> bool {
    "\n\r\u{0b}\u{0c}\u{85}\u{2028}\u{2029}".contains(c)
}

/// `text` with each run of line breaks as one space.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_break = false;
    for c in text.chars() {
        let line_break = is_line_break(c);
        if !(line_break && after_break) {
            out.push(if line_break { ' ' } else { c });
        }
        after_break = line_break;
    }
    out
}

/// A snippet is one line taken from one of `passages` (line breaks read as
/// spaces), with an ellipsis on each side that was cut, and highlights that
/// each mark one whole word of it.
pub(crate) fn check_snippet(
    snippet: &crate::search::Snippet,
    passages: &[&str],
) -> Result<(), TestCaseError> {
    let text = snippet.text.as_str();
    check_highlights(text, &snippet.highlights)?;
    prop_assert!(!text.contains(is_line_break), "not one line: {text:?}");
    let body = text.strip_prefix("… ").unwrap_or(text);
    let body = body.strip_suffix(" …").unwrap_or(body);
    prop_assert!(
        passages.iter().any(|p| one_line(p).contains(body)),
        "{body:?} is not from {passages:?}"
    );
    Ok(())
}

#[test]
fn the_whitespace_list_is_complete() {
    let all: Vec<char> = (0..=u32::from(char::MAX))
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .collect();
    assert_eq!(all, WHITESPACE);
}
