//! The built-in catalog, embedded in the binary at build time.

use crate::source::{SourceFile, Sources};

include!(concat!(env!("OUT_DIR"), "/builtin_catalog.rs"));

/// The built-in catalog's files, ready for [`crate::load`].
pub fn sources() -> Sources {
    Sources::new(
        FILES
            .iter()
            .map(|(path, text)| SourceFile::new(*path, *text)),
    )
}
