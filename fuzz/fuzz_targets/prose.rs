//! References in prose on arbitrary text: parsing and resolving never
//! panic, every reference and error points at braces inside the text, and
//! text with no reference resolves to itself (less the doubled braces).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook_core::prose::{self, Lookup, Piece};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (pieces, errors) = prose::parse(input);
    for piece in &pieces {
        if let Piece::Ref(_, span) = piece {
            let written = &input[span.clone()];
            assert!(written.starts_with('{') && written.ends_with('}'), "{written:?}");
        }
    }
    for error in &errors {
        let written = &input[error.span.clone()];
        assert!(written.starts_with('{'), "{error:?}");
    }
    let mut lookup = Lookup::default();
    lookup.role_titles.insert("sre-manager", "SRE {Manager}");
    lookup.kpi_names.insert("toil-share", "Toil share");
    lookup.targets.insert(("sre-manager", "toil-share"), "At most {role} 35%");
    let (resolved, _) = lookup.resolve(input, Some("sre-manager"));
    if errors.is_empty() && !pieces.iter().any(|p| matches!(p, Piece::Ref(..))) {
        assert_eq!(resolved, input.replace("{{", "{"));
    }
});
