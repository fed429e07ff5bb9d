//! Shared by this crate's examples: a seeded random number generator, so
//! that generated files and query sets are the same on every run, and the
//! built-in catalog.

// Each example uses only part of this module.
#![allow(dead_code)]

use rolebook_core::{Catalog, builtin, load};

/// splitmix64: small, fast, and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub fn builtin_catalog() -> Result<Catalog, &'static str> {
    load(builtin::sources())
        .catalog
        .ok_or("the built-in catalog must be valid")
}
