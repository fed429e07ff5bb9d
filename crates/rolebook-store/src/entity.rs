//! Entities: the units a workspace versions, and how they map to and from
//! catalog files.
//!
//! A catalog directory has one file per role, but several skills (and
//! KPIs) per file. The workspace keeps each skill, KPI and role as its own
//! entity, with its TOML text exactly as written and its place: the file it
//! belongs to and its position among that file's entities. So:
//! - *splitting* a skills file cuts it at each `[[skills]]` header; the
//!   text before the first header (the file's opening comments) stays with
//!   the first entity, and the pieces joined give the file back, byte for
//!   byte;
//! - *validating and serving* give the core one file per entity
//!   (`skills/<id>.toml`), so a diagnostic points into one entity's text;
//! - *exporting* joins the entities of each file in position order.
//!
//! A file whose entities are not written as `[[skills]]` blocks (an inline
//! array, say) cannot be cut; its entities are stored as TOML that `toml`
//! writes for them: the one normalisation a round trip can show.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use rolebook_core::LogoKind;
use rolebook_core::source::{SourceFile, Sources};

use crate::StoreError;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Framework,
    Organisation,
    Logo,
    Skill,
    Kpi,
    Role,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Framework,
        Kind::Organisation,
        Kind::Logo,
        Kind::Skill,
        Kind::Kpi,
        Kind::Role,
    ];

    /// The name stored in the database and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Framework => "framework",
            Kind::Organisation => "organisation",
            Kind::Logo => "logo",
            Kind::Skill => "skill",
            Kind::Kpi => "kpi",
            Kind::Role => "role",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the workspace has at most one of these (its id is its kind).
    pub fn is_singleton(self) -> bool {
        matches!(self, Kind::Framework | Kind::Organisation | Kind::Logo)
    }

    /// The TOML array a skills or KPIs file holds its entities in.
    fn array(self) -> Option<&'static str> {
        match self {
            Kind::Skill => Some("skills"),
            Kind::Kpi => Some("kpis"),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names one entity: `role/sre-manager`, `framework/framework`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: Kind,
    pub id: String,
}

impl Key {
    pub fn new(kind: Kind, id: impl Into<String>) -> Self {
        Key {
            kind,
            id: id.into(),
        }
    }

    /// The key of a singleton kind.
    pub fn singleton(kind: Kind) -> Self {
        Key::new(kind, kind.as_str())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.id)
    }
}

/// An entity's content: TOML text, or the logo's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    Bytes(Vec<u8>),
}

impl Content {
    pub fn text(&self) -> Option<&str> {
        match self {
            Content::Text(text) => Some(text),
            Content::Bytes(_) => None,
        }
    }
}

/// One entity as stored: its key, where it lives in catalog files, its
/// content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub key: Key,
    /// The catalog file it belongs to (`skills/it.toml`).
    pub file: String,
    /// Its place among the entities of `file`.
    pub position: i64,
    pub content: Content,
}

impl Document {
    /// The one file the core reads this entity from when validating and
    /// serving: its own file for roles and singletons, `skills/<id>.toml`
    /// and `kpis/<id>.toml` for the rest.
    pub fn source_path(&self) -> String {
        match self.key.kind {
            Kind::Skill => format!("skills/{}.toml", self.key.id),
            Kind::Kpi => format!("kpis/{}.toml", self.key.id),
            _ => self.file.clone(),
        }
    }
}

/// Cuts catalog files into entities. Every problem is collected: a file
/// that is not TOML, an entity without an id, an id given twice.
pub fn split(sources: &Sources) -> Result<Vec<Document>, StoreError> {
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    for file in sources.files() {
        if let Some(problem) = file.problem() {
            problems.push(format!("{}: {}", file.path, problem.message));
            continue;
        }
        let path = file.path.as_str();
        match path {
            "framework.toml" => documents.push(whole(Kind::Framework, file)),
            "organisation.toml" => documents.push(whole(Kind::Organisation, file)),
            _ if LogoKind::of_file_name(path).is_some() => {}
            _ => match path.split_once('/') {
                Some(("roles", rest)) if !rest.contains('/') => {
                    match role_id(&file.text) {
                        Ok(id) => documents.push(Document {
                            key: Key::new(Kind::Role, id.unwrap_or_else(|| stem(path).to_string())),
                            file: path.to_string(),
                            position: 0,
                            content: Content::Text(file.text.to_string()),
                        }),
                        Err(message) => problems.push(format!("{path}: {message}")),
                    }
                }
                Some(("skills", rest)) if !rest.contains('/') => {
                    collect(split_file(Kind::Skill, file), &mut documents, &mut problems)
                }
                Some(("kpis", rest)) if !rest.contains('/') => {
                    collect(split_file(Kind::Kpi, file), &mut documents, &mut problems)
                }
                None if path == "skills.toml" => {
                    collect(split_file(Kind::Skill, file), &mut documents, &mut problems)
                }
                None if path == "kpis.toml" => {
                    collect(split_file(Kind::Kpi, file), &mut documents, &mut problems)
                }
                _ => problems.push(format!(
                    "{path}: not a catalog file (catalog files are organisation.toml, framework.toml, skills.toml, kpis.toml, skills/*.toml, kpis/*.toml, roles/*.toml and the logo)"
                )),
            },
        }
    }
    if let Some(logo) = sources.logo() {
        documents.push(Document {
            key: Key::singleton(Kind::Logo),
            file: logo.kind.file_name().to_string(),
            position: 0,
            content: Content::Bytes(logo.bytes.clone()),
        });
    }
    let mut seen: HashMap<&Key, &str> = HashMap::new();
    for document in &documents {
        if let Some(first) = seen.insert(&document.key, &document.file) {
            problems.push(format!(
                "{}: {} `{}` is also defined in {first}; ids must be unique",
                document.file, document.key.kind, document.key.id
            ));
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(StoreError::Split(problems))
    }
}

fn collect(
    result: Result<Vec<Document>, String>,
    documents: &mut Vec<Document>,
    problems: &mut Vec<String>,
) {
    match result {
        Ok(found) => documents.extend(found),
        Err(problem) => problems.push(problem),
    }
}

fn whole(kind: Kind, file: &SourceFile) -> Document {
    Document {
        key: Key::singleton(kind),
        file: file.path.clone(),
        position: 0,
        content: Content::Text(file.text.to_string()),
    }
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// A role file's `id`, when it has one; `None` leaves the file's name as
/// the entity's id (validation then reports the missing id).
fn role_id(text: &str) -> Result<Option<String>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| first_line(&e))?;
    Ok(table.get("id").and_then(|v| v.as_str()).map(str::to_string))
}

fn first_line(error: &toml::de::Error) -> String {
    format!("not valid TOML: {}", error.message())
}

/// The ids of the entities in a skills or KPIs file, in order.
fn ids_in(kind: Kind, text: &str) -> Result<Vec<String>, String> {
    let array = kind.array().unwrap_or_default();
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| first_line(&e))?;
    if let Some(key) = table.keys().find(|k| k.as_str() != array) {
        return Err(format!(
            "`{key}` is not part of a {kind} file; only `[[{array}]]` entries are"
        ));
    }
    let Some(entries) = table.get(array) else {
        return Ok(Vec::new());
    };
    let entries = entries
        .as_array()
        .ok_or_else(|| format!("`{array}` must be an array of tables (`[[{array}]]`)"))?;
    entries
        .iter()
        .enumerate()
        .map(|(at, entry)| {
            entry
                .get("id")
                .and_then(|id| id.as_str())
                .map(str::to_string)
                .ok_or_else(|| format!("{kind} number {} has no `id`", at + 1))
        })
        .collect()
}

/// Cuts a skills or KPIs file at its `[[skills]]` (`[[kpis]]`) headers.
fn split_file(kind: Kind, file: &SourceFile) -> Result<Vec<Document>, String> {
    let at = |problem: String| format!("{}: {problem}", file.path);
    let ids = ids_in(kind, &file.text).map_err(at)?;
    let header = format!("[[{}]]", kind.array().unwrap_or_default());
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        if line.trim() == header {
            starts.push(offset);
        }
        offset += line.len();
    }
    let pieces: Option<Vec<String>> = (starts.len() == ids.len() && !ids.is_empty()).then(|| {
        let mut bounds = starts.clone();
        bounds[0] = 0;
        bounds.push(file.text.len());
        bounds
            .windows(2)
            .map(|w| file.text[w[0]..w[1]].to_string())
            .collect()
    });
    // Each piece must hold exactly the entity it is cut for; otherwise the
    // file is not written as header blocks, and is normalised.
    let pieces = match pieces {
        Some(pieces)
            if pieces.iter().zip(&ids).all(|(piece, id)| {
                ids_in(kind, piece).is_ok_and(|found| found == [id.clone()])
            }) =>
        {
            pieces
        }
        _ => normalised(kind, &file.text).map_err(at)?,
    };
    Ok(ids
        .into_iter()
        .zip(pieces)
        .enumerate()
        .map(|(position, (id, text))| Document {
            key: Key::new(kind, id),
            file: file.path.clone(),
            position: position as i64,
            content: Content::Text(text),
        })
        .collect())
}

/// Each entity of a skills or KPIs file written on its own by `toml`.
fn normalised(kind: Kind, text: &str) -> Result<Vec<String>, String> {
    let array = kind.array().unwrap_or_default();
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| first_line(&e))?;
    let entries = table
        .get(array)
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    entries
        .into_iter()
        .map(|entry| {
            let mut one = toml::Table::new();
            one.insert(array.to_string(), toml::Value::Array(vec![entry]));
            toml::to_string(&one).map_err(|e| format!("cannot write {kind}: {e}"))
        })
        .collect()
}

/// The catalog the core loads from `documents`: one file per entity.
pub fn to_sources(documents: &[Document]) -> Sources {
    let mut logo = None;
    let files: Vec<SourceFile> = documents
        .iter()
        .filter_map(|document| match &document.content {
            Content::Text(text) => Some(SourceFile::new(document.source_path(), text.clone())),
            Content::Bytes(bytes) => {
                logo = LogoKind::of_file_name(&document.file).map(|kind| (kind, bytes.clone()));
                None
            }
        })
        .collect();
    let sources = Sources::new(files);
    match logo {
        Some((kind, bytes)) => sources.with_logo(kind, bytes),
        None => sources,
    }
}

/// The catalog files `documents` make, as written: each file's entities
/// joined in position order. Paths are relative, with `/`.
pub fn to_files(documents: &[Document]) -> BTreeMap<String, Vec<u8>> {
    let mut by_file: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
    for document in documents {
        by_file.entry(&document.file).or_default().push(document);
    }
    by_file
        .into_iter()
        .map(|(file, mut documents)| {
            documents.sort_by(|a, b| a.position.cmp(&b.position).then(a.key.cmp(&b.key)));
            let mut bytes = Vec::new();
            for document in documents {
                match &document.content {
                    Content::Text(text) => {
                        // Entities written one after another must stay
                        // apart: a piece that does not end its last line
                        // gets one.
                        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                            bytes.push(b'\n');
                        }
                        bytes.extend_from_slice(text.as_bytes());
                    }
                    Content::Bytes(data) => bytes.extend_from_slice(data),
                }
            }
            (file.to_string(), bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Sources {
        Sources::new(
            files
                .iter()
                .map(|(p, t)| SourceFile::new(*p, t.to_string())),
        )
    }

    #[test]
    fn a_skills_file_is_cut_at_its_headers_and_joins_back_byte_for_byte() {
        let text = "# Opening comment.\n\n[[skills]]\nid = \"a\"\nname = \"A\"\n\n[skills.levels]\n1 = \"x\"\n\n# About b.\n[[skills]]\nid = \"b\"\n";
        let documents = split(&sources(&[("skills/common.toml", text)])).expect("split");
        let ids: Vec<&str> = documents.iter().map(|d| d.key.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(
            documents[0]
                .content
                .text()
                .expect("text")
                .starts_with("# Opening comment.")
        );
        assert_eq!(documents[1].source_path(), "skills/b.toml");
        let files = to_files(&documents);
        assert_eq!(files["skills/common.toml"], text.as_bytes());
    }

    #[test]
    fn an_inline_array_is_normalised_into_one_entity_each() {
        let text = "skills = [{ id = \"a\", name = \"A\" }, { id = \"b\", name = \"B\" }]\n";
        let documents = split(&sources(&[("skills.toml", text)])).expect("split");
        assert_eq!(documents.len(), 2);
        let first = documents[0].content.text().expect("text");
        assert!(
            first.contains("[[skills]]") && first.contains("id = \"a\""),
            "{first}"
        );
        let again = split(&sources(&[(
            "skills.toml",
            std::str::from_utf8(&to_files(&documents)["skills.toml"]).expect("utf-8"),
        )]))
        .expect("split");
        assert_eq!(again, documents, "the normal form is a fixed point");
    }

    #[test]
    fn every_problem_is_reported() {
        let error = split(&sources(&[
            ("roles/a.toml", "id = "),
            ("skills/x.toml", "[[skills]]\nname = \"no id\"\n"),
            ("kpis/y.toml", "[[kpis]]\nid = \"k\"\n"),
            ("kpis/z.toml", "[[kpis]]\nid = \"k\"\n"),
            ("notes.txt", "hello"),
        ]))
        .expect_err("problems");
        let StoreError::Split(problems) = error else {
            panic!("{error}");
        };
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(
            problems[0].starts_with("kpis/z.toml")
                || problems.iter().any(|p| p.contains("also defined"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("roles/a.toml: not valid TOML"))
        );
        assert!(problems.iter().any(|p| p.contains("has no `id`")));
        assert!(problems.iter().any(|p| p.starts_with("notes.txt")));
    }

    #[test]
    fn the_built_in_catalog_splits_and_joins_back_unchanged() {
        let builtin = rolebook_core::builtin::sources();
        let documents = split(&builtin).expect("split");
        let files = to_files(&documents);
        assert_eq!(files.len(), builtin.files().len());
        for file in builtin.files() {
            assert_eq!(files[&file.path], file.text.as_bytes(), "{}", file.path);
        }
        // And the core reads the same catalog from one file per entity.
        let loaded = rolebook_core::load(to_sources(&documents));
        assert_eq!(loaded.error_count(), 0);
    }
}
