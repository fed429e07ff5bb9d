//! A checked catalog in a compact binary form (MessagePack) that loads without
//! parsing TOML or checking it again: what the binary embeds for its
//! built-in catalog, which its build script checks once (see the
//! `rolebook` crate's `build.rs`).
//!
//! A snapshot holds what parsing the files gave, with the byte ranges that
//! diagnostics point at, and a fingerprint of the files it was made from.
//! [`load`] uses it only for those very files and falls back to a full
//! [`crate::load`] otherwise, so a snapshot can never stand in for text it
//! was not made from.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::{Draft, Loaded, Prose, assemble, finish, parse_part};
use crate::logo::Logo;
use crate::model::{Framework, Kpi, Organisation, Role, Skill};
use crate::source::{FileId, Sources};

/// Bumped whenever the model or this layout changes shape, so an old
/// snapshot is refused instead of misread.
const FORMAT: u32 = 1;

/// Why a catalog cannot be snapshotted: it has diagnostics, which a
/// snapshot would hide.
#[derive(Debug)]
pub struct NotSnapshottable {
    pub diagnostics: usize,
}

impl std::fmt::Display for NotSnapshottable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the catalog has {} diagnostic(s); only a catalog that loads without any can be snapshotted (run `rolebook validate`)",
            self.diagnostics
        )
    }
}

impl std::error::Error for NotSnapshottable {}

/// The body, after a header of the format (4 bytes) and the sources'
/// fingerprint (8 bytes), little-endian: the header is checked before the
/// body is decoded.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    organisation: Option<(FileId, &'a Organisation)>,
    framework: Option<(FileId, &'a Framework)>,
    skills: Vec<(FileId, &'a Skill)>,
    kpis: Vec<(FileId, &'a Kpi)>,
    roles: Vec<(FileId, &'a Role)>,
}

#[derive(Deserialize)]
struct Snapshot {
    organisation: Option<(FileId, Organisation)>,
    framework: Option<(FileId, Framework)>,
    skills: Vec<(FileId, Skill)>,
    kpis: Vec<(FileId, Kpi)>,
    roles: Vec<(FileId, Role)>,
}

/// The snapshot of `sources`, when they load with no diagnostic at all.
pub fn write(sources: &Sources) -> Result<Vec<u8>, NotSnapshottable> {
    let (draft, diagnostics) = assemble(sources, parse_part);
    if !diagnostics.is_empty() {
        return Err(NotSnapshottable {
            diagnostics: diagnostics.len(),
        });
    }
    let snapshot = SnapshotRef {
        organisation: draft.organisation.as_ref().map(|(f, o)| (*f, o)),
        framework: draft.framework.as_ref().map(|(f, o)| (*f, o)),
        skills: draft.skills.iter().map(|(f, s)| (*f, &**s)).collect(),
        kpis: draft.kpis.iter().map(|(f, k)| (*f, &**k)).collect(),
        roles: draft.roles.iter().map(|(f, r)| (*f, &**r)).collect(),
    };
    let mut bytes = Vec::new();
    bytes.extend(FORMAT.to_le_bytes());
    bytes.extend(fingerprint(sources).to_le_bytes());
    snapshot
        .serialize(&mut rmp_serde::Serializer::new(&mut bytes).with_struct_map())
        .expect("writing MessagePack to memory cannot fail");
    Ok(bytes)
}

/// The catalog of `sources`, read from `snapshot` when it was made from
/// exactly these files, loaded and checked in full otherwise.
pub fn load(sources: Sources, snapshot: &[u8]) -> Loaded {
    match draft(&sources, snapshot) {
        Some(draft) => finish(sources, draft, Vec::new(), Prose::Resolved),
        None => crate::load(sources),
    }
}

/// The catalog of `sources` read from `snapshot` alone: `None` when the
/// snapshot was not made from these files or cannot be read.
pub fn read(sources: Sources, snapshot: &[u8]) -> Option<Loaded> {
    let draft = draft(&sources, snapshot)?;
    Some(finish(sources, draft, Vec::new(), Prose::Resolved))
}

/// The draft a snapshot holds, when it is one of this format made from
/// `sources`.
fn draft(sources: &Sources, snapshot: &[u8]) -> Option<Draft> {
    let body = snapshot
        .get(HEADER..)
        .filter(|_| made_from(sources, snapshot))?;
    let snapshot: Snapshot = rmp_serde::from_slice(body).ok()?;
    // A logo is bytes, not parsed text: it is checked again (it is small).
    let logo = match sources.logo() {
        Some(source) => Some(Logo::new(source.kind, source.bytes.clone()).ok()?),
        None => None,
    };
    fn shared<T>((file, value): (FileId, T)) -> (FileId, Arc<T>) {
        (file, Arc::new(value))
    }
    Some(Draft {
        organisation: snapshot.organisation,
        logo,
        framework: snapshot.framework,
        skills: snapshot.skills.into_iter().map(shared).collect(),
        kpis: snapshot.kpis.into_iter().map(shared).collect(),
        roles: snapshot.roles.into_iter().map(shared).collect(),
        ..Draft::default()
    })
}

const HEADER: usize = 12;

/// Whether `snapshot` is of this format and was made from `sources`, as
/// its header says (the body is not decoded).
pub fn made_from(sources: &Sources, snapshot: &[u8]) -> bool {
    let mut expected = FORMAT.to_le_bytes().to_vec();
    expected.extend(fingerprint(sources).to_le_bytes());
    snapshot.get(..HEADER) == Some(&expected[..])
}

/// A hash of every file's path and text, in order. Fixed seed: the build
/// script and the binary must agree.
fn fingerprint(sources: &Sources) -> u64 {
    let mut hasher = foldhash::quality::FixedState::with_seed(0x726f_6c65_626f_6f6b).build_hasher();
    for (_, file) in sources.iter() {
        hasher.write(file.path.as_bytes());
        hasher.write_u8(0);
        hasher.write(file.text.as_bytes());
        hasher.write_u8(0);
    }
    if let Some(logo) = sources.logo() {
        hasher.write(&logo.bytes);
    }
    hasher.finish()
}
