//! Snippets and highlights on arbitrary text and queries: every slice on
//! a character boundary, every range inside the text. The input is the
//! query, a NUL, then the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook_search::search::{highlights, mark, mark_html, snippet};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (query, text) = input.split_once('\0').unwrap_or((input, input));
    if let Ok(ranges) = highlights(text, query) {
        for range in &ranges {
            assert!(range.start <= range.end && range.end <= text.len());
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
        let _ = mark(text, &ranges, "[", "]");
        let _ = mark_html(text, &ranges);
    }
    if let Ok(Some(found)) = snippet(text, query) {
        // The snippet's own highlights lie inside its text.
        let shown = found.text.as_str();
        for range in &found.highlights {
            assert!(
                range.start <= range.end
                    && range.end <= shown.len()
                    && shown.is_char_boundary(range.start)
                    && shown.is_char_boundary(range.end),
                "highlight outside its snippet: {found:?}"
            );
        }
    }
});
