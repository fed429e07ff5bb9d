//! Every output escaper on arbitrary text: none may panic, and none may
//! let markup through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook_core::{escape, text};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let md = escape::markdown(input);
    assert!(
        !md.contains('\n'),
        "a line break could start a block: {md:?}"
    );
    let chars: Vec<char> = md.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '<' | '[' | '`' | '*' | '|') {
            // Preceded by an odd number of backslashes: escaped.
            let slashes = chars[..i].iter().rev().take_while(|&&b| b == '\\').count();
            assert!(slashes % 2 == 1, "unescaped {c:?} in {md:?}");
        }
    }
    let label = escape::mermaid(input);
    assert!(!label.contains(['"', '<', '>', '\n']), "{label:?}");
    let cell = escape::csv_cell(input);
    assert!(
        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
        "{cell:?}"
    );
    let xml = escape::xml(input);
    assert!(!xml.contains(['<', '>', '"', '\'']), "{xml:?}");
    let shown = text::printable(input);
    assert!(!shown.contains(text::is_forbidden), "{shown:?}");
    let same = text::printable_same_length(input);
    assert_eq!(same.len(), input.len());
    let _ = text::check(input);
});
