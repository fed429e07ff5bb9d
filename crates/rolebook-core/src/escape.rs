//! Escaping catalog and profile text for every output language rolebook
//! writes by hand: one function per language, used by every command.
//!
//! - [`xml`]: HTML and XML (SVG, DOCX parts); templates escape on their
//!   own (askama).
//! - [`markdown`]: Markdown documents and reports.
//! - [`mermaid`]: labels in Mermaid diagrams.
//! - [`csv_cell`]: spreadsheet cells (CSV injection).
//! - terminals: [`crate::text::printable`], and catalog text cannot hold
//!   control characters at all ([`crate::text`]).

use std::borrow::Cow;

/// `text` safe for XML or HTML element content and for attribute values in
/// either kind of quotes. Borrows when there is nothing to escape.
pub fn xml(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // `&apos;` is XML only; the numeric form works in HTML 4 too.
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text as Markdown text: every character CommonMark could read as markup
/// is backslash-escaped, so `<alone>` stays visible (no raw HTML, no
/// tracking image), `*x*` and `[a](b)` stay literal, a `|` cannot split a
/// table cell and a line break cannot start a heading.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // "1. x" at the start would begin an ordered list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let after_digits = &text[digits..];
    let list_marker = (digits > 0
        && after_digits.starts_with(['.', ')'])
        && after_digits[1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace))
    .then_some(digits);
    // A block marker only counts at the start, followed by a space ("- x",
    // "# x"), or as a whole line of `=` or `~` (setext, fences).
    let block_marker = match text.chars().next() {
        Some('#' | '-' | '+') => text[1..].chars().next().is_none_or(char::is_whitespace),
        Some(c @ ('=' | '~')) => text.trim_end().chars().all(|x| x == c),
        _ => false,
    };
    for (i, c) in text.char_indices() {
        if Some(i) == list_marker || (i == 0 && block_marker) {
            out.push('\\');
        }
        match c {
            '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // `&` starts a character reference (`&lt;`, `&#60;`) only
            // when a name or number and `;` follow; "R&D" stays.
            '&' if starts_reference(&text[i + 1..]) => out.push_str("\\&"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Whether `rest` (what follows a `&`) completes a character reference.
fn starts_reference(rest: &str) -> bool {
    let body = rest.strip_prefix('#').unwrap_or(rest);
    let name_len = body.chars().take_while(char::is_ascii_alphanumeric).count();
    name_len > 0 && body[name_len..].starts_with(';')
}

/// Text for a quoted Mermaid label (`["..."]`): Mermaid reads `#name;`
/// entity codes, and would otherwise take `"` as the label's end and
/// `<`/`>` as HTML.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A spreadsheet cell that cannot become a formula: text starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, as OWASP
/// recommends against CSV injection (`=HYPERLINK(...)` in a career note).
/// Numbers written by rolebook are not text and are never passed here.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markdown_escapes_markup_but_not_words() {
        assert_eq!(
            markdown("# a *b* <c> [d](e) `f` x_y | g\\h ![i](j)"),
            "\\# a \\*b\\* \\<c\\> \\[d\\](e) \\`f\\` x\\_y \\| g\\\\h !\\[i\\](j)"
        );
        assert_eq!(markdown("tier-1 & 99.9% #2"), "tier-1 & 99.9% #2");
        assert_eq!(markdown("&lt;script&#62;"), "\\&lt;script\\&#62;");
        assert_eq!(markdown("12. twelve"), "12\\. twelve");
        assert_eq!(markdown("12 items. Done"), "12 items. Done");
        assert_eq!(markdown("a\n# heading"), "a # heading");
        assert_eq!(markdown("R&D +3 -1 #2"), "R&D +3 -1 #2");
        assert_eq!(markdown("31.5% ready"), "31.5% ready");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("==="), "\\===");
    }

    #[test]
    fn mermaid_labels_hold_no_markup() {
        assert_eq!(
            mermaid(r#"<img src=x onerror=alert(1)> "q" #1 & co"#),
            "#lt;img src=x onerror=alert(1)#gt; #quot;q#quot; #35;1 #amp; co"
        );
    }

    #[test]
    fn csv_cells_that_would_be_formulas_are_quoted() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for formula in ["+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_cell(formula).starts_with('\''), "{formula}");
        }
        assert!(matches!(csv_cell("Runs incident review"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn escaped_text_holds_no_active_markup(text in crate::text::tests::any_text()) {
            let md = markdown(&text);
            prop_assert!(!md.contains('\n'));
            // Every markup character is preceded by a backslash.
            let chars: Vec<char> = md.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if matches!(c, '<' | '[' | '`' | '*') {
                    prop_assert!(i > 0 && chars[i - 1] == '\\', "{md}");
                }
            }
            let label = mermaid(&text);
            prop_assert!(!label.contains(['"', '<', '>', '\n']));
            let cell = csv_cell(&text);
            prop_assert!(!cell.starts_with(['=', '+', '-', '@']));
        }
    }

    #[test]
    fn escapes_the_five_markup_characters() {
        assert_eq!(
            xml(r#"R&D <teams> "say" it's"#),
            "R&amp;D &lt;teams&gt; &quot;say&quot; it&#39;s"
        );
    }

    #[test]
    fn borrows_plain_text() {
        assert!(matches!(xml("no markup here — ünïcode"), Cow::Borrowed(_)));
    }
}
