//! One rule for the characters and length that catalog and profile text
//! may hold, checked where TOML becomes values, so every output (terminal,
//! SVG, spreadsheet, PDF) can carry what validation accepted.

use std::borrow::Cow;
use std::ops::Range;

use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// A whole number with its thousands grouped for people: `1,250,000`.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The most characters one text value may hold: what a spreadsheet cell
/// takes (Excel and LibreOffice stop at 32,767), so `export --format xlsx`
/// can write every field, and far beyond any real summary (about 1,000).
pub const MAX_TEXT_CHARS: usize = 32_767;

/// Characters no catalog or profile text may hold: C0 and C1 control
/// characters other than tab, line feed and carriage return, DEL, and the
/// two non-characters XML rejects. Terminals act on them (ESC and CSI start
/// escape sequences) and XML parsers refuse them, so they would break an
/// SVG or retitle a terminal window.
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// What is wrong with one text value, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// The first forbidden character and its byte offset in the value.
    Forbidden {
        offset: usize,
        c: char,
    },
    TooLong {
        chars: usize,
    },
}

impl TextProblem {
    pub fn message(&self) -> String {
        match self {
            TextProblem::Forbidden { c, .. } => {
                format!("text holds the control character U+{:04X}", u32::from(*c))
            }
            TextProblem::TooLong { chars } => format!(
                "text is {chars} characters long; the most a value may hold is {MAX_TEXT_CHARS}"
            ),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            TextProblem::Forbidden { .. } => {
                "remove it: control characters other than tab and newline cannot be shown, exported or printed safely"
            }
            TextProblem::TooLong { .. } => {
                "shorten it; a spreadsheet cell holds at most 32,767 characters"
            }
        }
    }
}

/// Checks one value against the rule.
pub fn check(text: &str) -> Option<TextProblem> {
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| is_forbidden(c)) {
        return Some(TextProblem::Forbidden { offset, c });
    }
    // Bytes bound characters from above: count only when it could matter.
    if text.len() > MAX_TEXT_CHARS {
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Some(TextProblem::TooLong { chars });
        }
    }
    None
}

/// Reports every string and key in a parsed document that breaks the
/// rule, at its place in the file.
pub fn check_document(file: FileId, root: &DeTable<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for (key, value) in root.iter() {
        check_spanned(file, key.get_ref(), key.span(), diagnostics);
        check_value(file, value, diagnostics);
    }
}

fn check_value(file: FileId, value: &Spanned<DeValue<'_>>, diagnostics: &mut Vec<Diagnostic>) {
    match value.get_ref() {
        DeValue::String(text) => check_spanned(file, text, value.span(), diagnostics),
        DeValue::Table(table) => check_document(file, table, diagnostics),
        DeValue::Array(items) => {
            for item in items.iter() {
                check_value(file, item, diagnostics);
            }
        }
        _ => {}
    }
}

fn check_spanned(file: FileId, text: &str, span: Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(problem) = check(text) {
        diagnostics.push(
            Diagnostic::error("invalid-text", problem.message())
                .at(file, span)
                .hint(problem.hint()),
        );
    }
}

/// `text` with forbidden characters shown as U+FFFD: for echoing text
/// that was never checked (command-line arguments, messages about a bad
/// file) to a terminal. Borrows when there is nothing to replace.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.contains(is_forbidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// Like [`printable`], but every forbidden character becomes as many `?`
/// as it has bytes, so byte offsets into the text still hold.
pub fn printable_same_length(text: &str) -> Cow<'_, str> {
    if !text.contains(is_forbidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_forbidden(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text for property tests of everything that slices or escapes:
    /// printable characters mixed with every Unicode whitespace, control
    /// characters (C0, DEL, C1), combining marks, emoji and markup.
    pub(crate) fn any_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "\\PC{0,4}",
            "[\\x00-\\x1f\\x7f-\\x{9f}]",
            "[\\t\\n\\x0b\\x0c\\r \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]",
            "\\p{M}",
            "[\\x{1F600}-\\x{1F64F}\\x{FE0F}\\x{200D}]",
            "[#*_`<>\\[\\]|&;=+@~!().0-9-]",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    #[test]
    fn tab_newline_and_return_are_text_and_escape_is_not() {
        assert_eq!(check("a\tb\r\nc — ü 漢"), None);
        assert_eq!(
            check("ok \u{1b}]0;owned\u{7}"),
            Some(TextProblem::Forbidden {
                offset: 3,
                c: '\u{1b}'
            })
        );
        assert!(matches!(
            check("\u{9b}2J"),
            Some(TextProblem::Forbidden { .. })
        ));
        assert!(matches!(
            check("\u{7f}"),
            Some(TextProblem::Forbidden { .. })
        ));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check(&"é".repeat(MAX_TEXT_CHARS)), None);
        assert_eq!(
            check(&"a".repeat(MAX_TEXT_CHARS + 1)),
            Some(TextProblem::TooLong {
                chars: MAX_TEXT_CHARS + 1
            })
        );
    }

    #[test]
    fn every_bad_value_in_a_document_is_located() {
        let text = "a = \"x\\u001by\"\n[t]\nlist = [\"ok\", \"\\u0000\"]\n";
        let (root, errors) = DeTable::parse_recoverable(text);
        assert!(errors.is_empty());
        let mut diagnostics = Vec::new();
        check_document(0, root.get_ref(), &mut diagnostics);
        let starts: Vec<_> = diagnostics.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, [4, 33]);
    }

    proptest! {
        /// Whatever the bytes, a file becomes text with its problem at a
        /// place inside it, and the syntax-error locator stays inside the
        /// text on character boundaries.
        #[test]
        fn any_bytes_become_located_text(bytes in proptest::collection::vec(any::<u8>(), 0..200), text in any_text()) {
            let source = crate::read::source_from_bytes("x.toml".into(), bytes);
            if let Some(problem) = source.problem() {
                prop_assert!(problem.span.end <= source.text.len());
                let (line, column) = source.line_col(problem.span.start);
                prop_assert!(line >= 1 && column >= 1);
                let _ = source.line_text(line);
            }
            let span = crate::diagnostic::toml_error_span(&text, None);
            prop_assert!(span.start <= span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }

        #[test]
        fn printable_text_passes_the_rule_and_keeps_offsets(text in crate::text::tests::any_text()) {
            prop_assert!(!printable(&text).contains(is_forbidden));
            let same = printable_same_length(&text);
            prop_assert_eq!(same.len(), text.len());
            prop_assert!(!same.contains(is_forbidden));
        }
    }
}
