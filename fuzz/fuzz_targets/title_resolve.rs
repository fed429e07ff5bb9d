//! The title resolver over the built-in catalog on arbitrary titles.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rolebook_core::{Catalog, builtin, load};
use rolebook_search::TitleResolver;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    load(builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
});
static RESOLVER: LazyLock<TitleResolver> = LazyLock::new(|| TitleResolver::new(&CATALOG));

fuzz_target!(|data: &[u8]| {
    let Ok(title) = std::str::from_utf8(data) else {
        return;
    };
    let resolution = RESOLVER.resolve_title(title);
    assert!(
        (0.0..=1.0).contains(&resolution.confidence),
        "{resolution:?}"
    );
    let _ = RESOLVER.resolve(title);
});
