//! The built-in catalog's search index, kept between runs in the user's
//! cache directory, so that `rolebook search` does not index the catalog
//! on every run (indexing is most of a search's time; opening a kept index
//! is a few file reads).
//!
//! One file, `$XDG_CACHE_HOME/rolebook/search-index-KEY` (`~/.cache` when
//! XDG_CACHE_HOME is not set). KEY is the index's own key (the indexed
//! text, the schema and the search crate's version) and this binary's size
//! and modification time, so a rebuilt binary never reads what another
//! build wrote. The file is written beside its place and renamed into it,
//! so a reader sees a whole file or none; one that does not read back
//! whole (its framing, tantivy's checksums) is built again and replaced.
//! Writing one removes the others, so the cache holds one index. Any
//! failure to read or write the cache only means the index is built in
//! memory, as without a cache; `ROLEBOOK_NO_CACHE=1` turns it off.
//!
//! A catalog of the user's own (`--catalog`, a workspace) is never kept:
//! its text is theirs, and nothing is stored that they did not ask for.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rolebook_core::Catalog;
use rolebook_search::{FullTextIndex, IndexFiles, Prepared, SearchError};

const MAGIC: &[u8] = b"rolebook search index 1\n";
const PREFIX: &str = "search-index-";

/// The catalog's index: opened from the cache when a whole one of this
/// key is there, built (and kept, when `keep`) otherwise.
pub fn index(catalog: &Catalog, keep: bool) -> Result<FullTextIndex, SearchError> {
    let prepared = FullTextIndex::prepare(catalog);
    let Some(path) = keep.then(|| cache_file(prepared.key())).flatten() else {
        return prepared.build();
    };
    let kept = fs::read(&path).unwrap_or_default();
    let prepared = match unpack(&kept) {
        Some(files) => match prepared.open(&files) {
            Ok(index) => return Ok(index),
            // Not a whole index: built again and replaced.
            Err(prepared) => prepared,
        },
        None => prepared,
    };
    build_and_keep(prepared, &path)
}

fn build_and_keep(prepared: Prepared, path: &Path) -> Result<FullTextIndex, SearchError> {
    let index = prepared.build()?;
    if let Ok(files) = index.files() {
        // A cache that cannot be written is no cache: the search goes on.
        let _ = keep(path, &pack(&files));
    }
    Ok(index)
}

/// Where the index of `key` is kept for this binary, when there is a cache
/// directory and the cache is on.
fn cache_file(key: u64) -> Option<PathBuf> {
    if std::env::var_os("ROLEBOOK_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    let dir = match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|d| !d.is_empty())?).join(".cache"),
    };
    // XDG: a relative path is to be ignored.
    if !dir.is_absolute() {
        return None;
    }
    let exe = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut hasher = DefaultHasher::new();
    (key, exe.len()).hash(&mut hasher);
    exe.modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .hash(&mut hasher);
    Some(
        dir.join("rolebook")
            .join(format!("{PREFIX}{:016x}", hasher.finish())),
    )
}

/// Writes `bytes` at `path` all at once, then removes the other kept
/// indexes.
fn keep(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or(std::io::ErrorKind::NotFound)?;
    fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::with_prefix_in(".search-index-", dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let stale = name.to_str().is_some_and(|n| n.starts_with(PREFIX)) && entry.path() != path;
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// The files as one blob: the magic, their count, then each name and
/// contents with their lengths (little-endian).
fn pack(files: &IndexFiles) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend((files.len() as u32).to_le_bytes());
    for (name, contents) in files {
        bytes.extend((name.len() as u32).to_le_bytes());
        bytes.extend(name.as_bytes());
        bytes.extend((contents.len() as u64).to_le_bytes());
        bytes.extend(contents);
    }
    bytes
}

/// The files of a blob [`pack`] wrote; `None` for anything else, however
/// damaged.
fn unpack(bytes: &[u8]) -> Option<Vec<(&str, &[u8])>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let count = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..count {
        let name_len = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let name = std::str::from_utf8(take(usize::try_from(name_len).ok()?)?).ok()?;
        let len = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let contents = take(usize::try_from(len).ok()?)?;
        files.push((name, contents));
    }
    rest.is_empty().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_reads_back_its_files_and_nothing_else() {
        let files = vec![
            ("meta.json".to_string(), b"{}".to_vec()),
            ("a.idx".to_string(), vec![0, 1, 2, 255]),
        ];
        let blob = pack(&files);
        let read: Vec<(String, Vec<u8>)> = unpack(&blob)
            .expect("reads back")
            .into_iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        assert_eq!(read, files);
        // Every cut and every extra byte is refused, never a panic.
        for end in 0..blob.len() {
            assert_eq!(unpack(&blob[..end]), None, "cut at {end}");
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert_eq!(unpack(&longer), None);
        let mut huge = blob;
        huge[MAGIC.len() + 4..MAGIC.len() + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&huge), None);
    }
}
