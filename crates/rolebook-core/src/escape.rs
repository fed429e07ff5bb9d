//! Escaping catalog text for the markup languages rolebook writes by hand.
//!
//! HTML and XML (SVG, DOCX parts) share one escaper: the five characters
//! that can end a text node or an attribute value. Templates escape on
//! their own (askama); this is for the few places that build markup as
//! strings.

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

#[cfg(test)]
mod tests {
    use super::*;

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
