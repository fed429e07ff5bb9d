//! The workspace API: published versions, change requests and their edits.
//!
//! Invariants:
//! - a published version never changes; version N+1 is version N with one
//!   change request's edits applied, written in one transaction that also
//!   moves `workspace.latest_version` by compare-and-set, so two
//!   publishers can never both win;
//! - every save names what it was based on (a [`Token`]); a save from a
//!   stale base is a [`StoreError::Conflict`], never an overwrite;
//! - a change request publishes only when its edits, applied to the
//!   latest version, pass the core's validation with no error, and only if
//!   no entity it edits was published since its edit was based.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use rolebook_core::source::Sources;
use rolebook_core::{Checked, Loaded, Severity, Validator};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::StoreError;
use crate::audit::{self, Actor};
use crate::db::{Db, Engine, Location, now};
use crate::entity::{self, Content, Document, Key, Kind};

/// Content larger than this is refused: a role file is a few tens of KiB.
const MAX_CONTENT: usize = 1024 * 1024;

/// The change requests that match `$rest` (a `WHERE` clause and what
/// follows), with the columns [`change_request_of`] reads.
macro_rules! select_requests {
    ($rest:literal) => {
        concat!(
            "SELECT id, title, description, author, base_version, state, created_at, updated_at, seq, \
                    published_version, diagnostics, validated_seq \
             FROM change_requests ",
            $rest
        )
    };
}

/// One change request, by id.
macro_rules! select_request {
    () => {
        select_requests!("WHERE id = $1")
    };
}

/// An open workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    db: Db,
    location: Location,
    /// The documents of the version read last. Published versions never
    /// change, so a cached version is never stale; validating, publishing
    /// and reloading all start from the latest one.
    recent: RecentVersion,
    /// Keeps each entity's parse between validations, so validating after
    /// a save re-parses only what changed (`rolebook_core::validator`).
    validator: std::sync::Arc<std::sync::Mutex<Validator>>,
    /// Keeps what lint read of each role between validations, so linting
    /// a save reads again only the roles that changed.
    lint_memo: std::sync::Arc<std::sync::Mutex<rolebook_core::lint::Memo>>,
}

/// A version's number and documents, shared by the clones of a workspace.
type RecentVersion = std::sync::Arc<std::sync::Mutex<Option<(i64, std::sync::Arc<Vec<Document>>)>>>;

/// A published version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub number: i64,
    pub created_at: String,
    pub author: String,
    pub message: String,
    /// The change request it published; none for the first version.
    pub change_request: Option<i64>,
}

/// Where a change request is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Draft,
    InReview,
    Approved,
    Published,
    Rejected,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Draft,
        State::InReview,
        State::Approved,
        State::Published,
        State::Rejected,
        State::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::InReview => "in-review",
            State::Approved => "approved",
            State::Published => "published",
            State::Rejected => "rejected",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether edits may still be saved.
    pub fn is_open(self) -> bool {
        matches!(self, State::Draft | State::InReview | State::Approved)
    }

    /// The states a change request may move to from this one by
    /// [`Workspace::transition`] (publishing is [`Workspace::publish`]).
    pub fn next(self) -> &'static [State] {
        match self {
            State::Draft => &[State::InReview, State::Withdrawn],
            State::InReview => &[
                State::Approved,
                State::Rejected,
                State::Draft,
                State::Withdrawn,
            ],
            State::Approved => &[State::Draft, State::Withdrawn],
            State::Rejected => &[State::Draft],
            State::Published | State::Withdrawn => &[],
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a save is based on: the entity as published in a revision, as
/// saved in the change request at a sequence number, or absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    Absent,
    Revision(i64),
    Edit(i64),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Absent => f.write_str("absent"),
            Token::Revision(id) => write!(f, "r{id}"),
            Token::Edit(seq) => write!(f, "e{seq}"),
        }
    }
}

impl std::str::FromStr for Token {
    type Err = StoreError;
    fn from_str(text: &str) -> Result<Self, StoreError> {
        let bad =
            || StoreError::BadEdit(format!("`{text}` is not a base token (absent, rN or eN)"));
        if text == "absent" {
            return Ok(Token::Absent);
        }
        let (tag, number) = text.split_at_checked(1).ok_or_else(bad)?;
        let number: i64 = number.parse().map_err(|_| bad())?;
        match tag {
            "r" => Ok(Token::Revision(number)),
            "e" => Ok(Token::Edit(number)),
            _ => Err(bad()),
        }
    }
}

/// One entity as stored in a version or a change request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub document: Document,
    /// The token to base the next save on.
    pub token: Token,
}

/// A change request with its edits.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRequest {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub author: String,
    pub base_version: i64,
    pub state: State,
    pub created_at: String,
    pub updated_at: String,
    /// Bumped by every save.
    pub seq: i64,
    pub published_version: Option<i64>,
    pub edits: Vec<Edit>,
    /// The last validation, when it is of the current edits.
    pub validation: Option<Validation>,
    /// Everyone who opened it, or saved or dropped one of its edits, in
    /// order of name (read with the change request, not in lists).
    pub contributors: Vec<String>,
}

/// One edit of a change request (its content is read with
/// [`Workspace::entity_in`]).
#[derive(Debug, Clone, Serialize)]
pub struct Edit {
    pub kind: &'static str,
    pub id: String,
    /// `create`, `update` or `delete`.
    pub action: &'static str,
    /// The revision it was based on; none when it creates the entity.
    pub base_revision: Option<i64>,
    pub token: String,
    pub author: String,
    pub updated_at: String,
}

/// The core's validation of a change request's edits applied to the
/// latest version.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Validation {
    /// The change request's `seq` it validated.
    pub seq: i64,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<EntityDiagnostic>,
}

/// A diagnostic located in one entity's text.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct EntityDiagnostic {
    /// `error` or `warning`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// The entity (`kind` and `id`) it is in; none for catalog-wide ones.
    pub kind: Option<String>,
    pub id: Option<String>,
    /// One-based line and column in the entity's text.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub snippet: Option<String>,
}

/// One step of an entity's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub version: Version,
    pub revision: i64,
    /// Whether this version deleted the entity.
    pub deleted: bool,
}

/// What [`Workspace::import`] found.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub change_request: ChangeRequest,
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
}

impl Workspace {
    /// Opens the workspace database at `location`, creating and migrating
    /// it when needed. An empty workspace has no version until
    /// [`Workspace::init`].
    pub async fn open(location: &Location) -> Result<Workspace, StoreError> {
        let db = Db::open(location).await?;
        Ok(Workspace {
            db,
            location: location.clone(),
            recent: Default::default(),
            validator: Default::default(),
            lint_memo: Default::default(),
        })
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub async fn close(&self) {
        self.db.close().await;
    }

    // ------------------------------------------------------------ versions

    /// The latest published version's number; `None` before `init`. Cheap:
    /// servers poll it to notice each other's publishes.
    pub async fn latest_version(&self) -> Result<Option<i64>, StoreError> {
        latest_on(&self.db.pool).await
    }

    pub(crate) async fn require_latest(&self) -> Result<i64, StoreError> {
        self.latest_version()
            .await?
            .ok_or(StoreError::NotInitialised)
    }

    /// Makes version 1 from `sources`: the seed. Refused on a workspace
    /// that has a version already, and for files that cannot be cut into
    /// entities; the catalog itself must load without error.
    pub async fn init(
        &self,
        sources: &Sources,
        author: impl Into<Actor>,
        message: &str,
    ) -> Result<Version, StoreError> {
        let actor = author.into();
        let author = actor.name.as_str();
        let documents = entity::split(sources)?;
        let loaded = self.validator().load(entity::to_sources(&documents));
        if loaded.error_count() > 0 {
            return Err(StoreError::Invalid(loaded.error_count()));
        }
        let mut tx = self.db.begin_write().await?;
        if let Some(latest) = latest_on(&mut *tx).await? {
            return Err(StoreError::AlreadyInitialised(latest));
        }
        let at = now();
        sqlx::query("INSERT INTO workspace (id, latest_version, created_at) VALUES (1, 1, $1)")
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO versions (number, created_at, author, message, change_request) VALUES (1, $1, $2, $3, NULL)",
        )
        .bind(&at)
        .bind(author)
        .bind(message)
        .execute(&mut *tx)
        .await?;
        for document in &documents {
            let revision = insert_revision(&mut tx, document, 1).await?;
            insert_manifest(&mut tx, 1, &document.key, revision).await?;
        }
        audit::record(
            &mut tx,
            &actor,
            "workspace-initialised",
            "version:1",
            message,
        )
        .await?;
        tx.commit().await?;
        self.version(1).await
    }

    pub async fn version(&self, number: i64) -> Result<Version, StoreError> {
        let row = sqlx::query(
            "SELECT number, created_at, author, message, change_request FROM versions WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or(StoreError::NoSuchVersion(number))?;
        version_of(&row)
    }

    /// Every published version, newest first.
    pub async fn versions(&self) -> Result<Vec<Version>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, created_at, author, message, change_request FROM versions ORDER BY number DESC",
        )
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(version_of).collect()
    }

    /// The entities of a version, in key order.
    pub async fn documents(&self, version: i64) -> Result<Vec<Document>, StoreError> {
        let cached = self.recent.lock().ok().and_then(|recent| {
            recent
                .as_ref()
                .filter(|(n, _)| *n == version)
                .map(|(_, d)| d.clone())
        });
        if let Some(documents) = cached {
            return Ok(documents.as_ref().clone());
        }
        self.version(version).await?;
        let rows = sqlx::query(
            "SELECT r.kind, r.entity, r.file, r.position, r.content, r.bytes, r.id \
             FROM version_entities m JOIN revisions r ON r.id = m.revision \
             WHERE m.version = $1 ORDER BY r.kind, r.entity",
        )
        .bind(version)
        .fetch_all(&self.db.pool)
        .await?;
        let mut documents: Vec<Document> = rows
            .iter()
            .map(|row| document_of(row).map(|(d, _)| d))
            .collect::<Result<_, _>>()?;
        documents.sort_by(|a, b| a.key.cmp(&b.key));
        if let Ok(mut recent) = self.recent.lock() {
            *recent = Some((version, std::sync::Arc::new(documents.clone())));
        }
        Ok(documents)
    }

    /// The catalog files of a version, ready for the core's `load`.
    pub async fn sources(&self, version: i64) -> Result<Sources, StoreError> {
        Ok(entity::to_sources(&self.documents(version).await?))
    }

    /// The latest version's number and catalog.
    pub async fn load_latest(&self) -> Result<(i64, Loaded), StoreError> {
        let version = self.require_latest().await?;
        let sources = self.sources(version).await?;
        // Through the validator, so that validating the first edit after
        // a server starts re-parses that edit only.
        Ok((version, self.validator().load(sources)))
    }

    /// One entity as it is in `version`.
    pub async fn entity(&self, version: i64, key: &Key) -> Result<Entity, StoreError> {
        let row = sqlx::query(
            "SELECT r.kind, r.entity, r.file, r.position, r.content, r.bytes, r.id \
             FROM version_entities m JOIN revisions r ON r.id = m.revision \
             WHERE m.version = $1 AND m.kind = $2 AND m.entity = $3",
        )
        .bind(version)
        .bind(key.kind.as_str())
        .bind(&key.id)
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or_else(|| StoreError::NoSuchEntity(key.clone()))?;
        let (document, revision) = document_of(&row)?;
        Ok(Entity {
            document,
            token: Token::Revision(revision),
        })
    }

    /// The versions that changed `key`, oldest first: each revision with
    /// who published it, when and why.
    pub async fn history(&self, key: &Key) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.number, v.created_at, v.author, v.message, v.change_request, r.id, \
                    CASE WHEN r.content IS NULL AND r.bytes IS NULL THEN 1 ELSE 0 END \
             FROM revisions r JOIN versions v ON v.number = r.version \
             WHERE r.kind = $1 AND r.entity = $2 ORDER BY v.number",
        )
        .bind(key.kind.as_str())
        .bind(&key.id)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(HistoryEntry {
                    version: version_of(row)?,
                    revision: row.try_get(5)?,
                    deleted: row.try_get::<i32, _>(6)? == 1,
                })
            })
            .collect()
    }

    /// The content of one revision (`None` for a deletion).
    pub async fn revision(&self, id: i64) -> Result<Option<Document>, StoreError> {
        let row = sqlx::query(
            "SELECT kind, entity, file, position, content, bytes, id FROM revisions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or_else(|| StoreError::BadEdit(format!("there is no revision {id}")))?;
        let deleted = row.try_get::<Option<String>, _>(4)?.is_none()
            && row.try_get::<Option<Vec<u8>>, _>(5)?.is_none();
        if deleted {
            return Ok(None);
        }
        Ok(Some(document_of(&row)?.0))
    }

    // ---------------------------------------------------- change requests

    /// Opens a change request on the latest version.
    pub async fn create_change_request(
        &self,
        title: &str,
        description: &str,
        author: impl Into<Actor>,
    ) -> Result<ChangeRequest, StoreError> {
        let actor = author.into();
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::BadEdit("a change request needs a title".into()));
        }
        let mut tx = self.db.begin_write().await?;
        let id = create_change_request(&mut tx, title, description, &actor.name).await?;
        let object = format!("change-request:{id}");
        audit::record(&mut tx, &actor, "change-request-opened", &object, title).await?;
        tx.commit().await?;
        self.change_request(id).await
    }

    pub async fn change_request(&self, id: i64) -> Result<ChangeRequest, StoreError> {
        let mut request = self.change_request_row(id).await?;
        let edits = sqlx::query(
            "SELECT kind, entity, base_revision, content IS NULL AND bytes IS NULL, seq, author, updated_at \
             FROM edits WHERE change_request = $1 ORDER BY kind, entity",
        )
        .bind(id)
        .fetch_all(&self.db.pool)
        .await?;
        request.edits = edits
            .iter()
            .map(|row| {
                let base: Option<i64> = row.try_get(2)?;
                let deleted: bool = row
                    .try_get::<bool, _>(3)
                    .or_else(|_| row.try_get::<i64, _>(3).map(|v| v != 0))?;
                Ok(Edit {
                    kind: kind_of(&row.try_get::<String, _>(0)?)?.as_str(),
                    id: row.try_get(1)?,
                    action: match (base, deleted) {
                        (_, true) => "delete",
                        (None, false) => "create",
                        (Some(_), false) => "update",
                    },
                    base_revision: base,
                    token: Token::Edit(row.try_get(4)?).to_string(),
                    author: row.try_get(5)?,
                    updated_at: row.try_get(6)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        request.contributors = sqlx::query(
            "SELECT author FROM change_request_contributors WHERE change_request = $1 ORDER BY author",
        )
        .bind(id)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
        Ok(request)
    }

    /// Change requests, newest first, optionally in one state (edits and
    /// validation are not read: [`Workspace::change_request`] has them).
    pub async fn change_requests(
        &self,
        state: Option<State>,
    ) -> Result<Vec<ChangeRequest>, StoreError> {
        let rows = sqlx::query(select_requests!(
            "WHERE ($1 = '' OR state = $1) ORDER BY id DESC"
        ))
        .bind(state.map_or("", State::as_str))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(change_request_of).collect()
    }

    /// The change requests not closed yet (in draft, in review, approved or
    /// rejected), newest first: the ones that wait for someone. Published
    /// and withdrawn ones pile up over the years and are not read.
    pub async fn pending_change_requests(&self) -> Result<Vec<ChangeRequest>, StoreError> {
        let rows = sqlx::query(select_requests!(
            "WHERE state IN ('draft', 'in-review', 'approved', 'rejected') ORDER BY id DESC"
        ))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(change_request_of).collect()
    }

    /// An entity as the change request sees it: its edit if it has one,
    /// the latest published content otherwise (`None` document: absent or
    /// deleted), with the token to save against.
    pub async fn entity_in(
        &self,
        change_request: i64,
        key: &Key,
    ) -> Result<(Option<Document>, Token), StoreError> {
        self.change_request_row(change_request).await?;
        let mut conn = self.db.pool.acquire().await?;
        current(&mut conn, change_request, key).await
    }

    /// A change request without its edits.
    async fn change_request_row(&self, id: i64) -> Result<ChangeRequest, StoreError> {
        let row = sqlx::query(select_request!())
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or(StoreError::NoSuchChangeRequest(id))?;
        change_request_of(&row)
    }

    /// Saves `content` (`None`: delete) for `key` in a change request,
    /// based on `based_on` (the token the caller read). Returns the new
    /// token. A stale base is a conflict and changes nothing.
    pub async fn save(
        &self,
        change_request: i64,
        key: &Key,
        content: Option<Content>,
        based_on: &Token,
        author: impl Into<Actor>,
    ) -> Result<Token, StoreError> {
        let actor = author.into();
        let author = actor.name.as_str();
        check_content(key, content.as_ref())?;
        let action = if content.is_some() {
            "entity-saved"
        } else {
            "entity-deleted"
        };
        let mut tx = self.db.begin_write().await?;
        let token = save(
            &mut tx,
            self.db.engine,
            change_request,
            key,
            content,
            based_on,
            author,
        )
        .await?;
        let object = format!("change-request:{change_request}");
        audit::record(&mut tx, &actor, action, &object, &key.to_string()).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Removes a change request's edit of `key`, based on `based_on`.
    pub async fn discard(
        &self,
        change_request: i64,
        key: &Key,
        based_on: &Token,
        author: impl Into<Actor>,
    ) -> Result<(), StoreError> {
        let who = author.into();
        let actor = who.name.as_str();
        let mut tx = self.db.begin_write().await?;
        let request = open_request(
            &mut tx,
            self.db.engine,
            change_request,
            "discarding an edit",
        )
        .await?;
        let (_, current_token) = current(&mut tx, change_request, key).await?;
        if &current_token != based_on {
            return Err(StoreError::Conflict {
                key: key.clone(),
                yours: based_on.to_string(),
                current: current_token.to_string(),
            });
        }
        if !matches!(current_token, Token::Edit(_)) {
            return Err(StoreError::BadEdit(format!(
                "change request {change_request} has no edit of {key}"
            )));
        }
        back_to_draft(&mut tx, &request, actor).await?;
        contributed(&mut tx, change_request, actor).await?;
        sqlx::query("DELETE FROM edits WHERE change_request = $1 AND kind = $2 AND entity = $3")
            .bind(change_request)
            .bind(key.kind.as_str())
            .bind(&key.id)
            .execute(&mut *tx)
            .await?;
        bump(&mut tx, request.id, request.seq + 1).await?;
        let object = format!("change-request:{change_request}");
        audit::record(&mut tx, &who, "edit-dropped", &object, &key.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The documents the change request would publish: the latest version
    /// with its edits applied.
    pub async fn proposed(
        &self,
        change_request: i64,
    ) -> Result<(ChangeRequest, Vec<Document>), StoreError> {
        let request = self.change_request(change_request).await?;
        let latest = self.require_latest().await?;
        let mut documents: BTreeMap<Key, Document> = self
            .documents(latest)
            .await?
            .into_iter()
            .map(|d| (d.key.clone(), d))
            .collect();
        let rows = sqlx::query(
            "SELECT kind, entity, file, position, content, bytes, seq FROM edits WHERE change_request = $1",
        )
        .bind(change_request)
        .fetch_all(&self.db.pool)
        .await?;
        for row in &rows {
            let key = Key::new(
                kind_of(&row.try_get::<String, _>(0)?)?,
                row.try_get::<String, _>(1)?,
            );
            match content_of(row, 4, 5)? {
                Some(content) => {
                    documents.insert(
                        key.clone(),
                        Document {
                            key,
                            file: row.try_get(2)?,
                            position: row.try_get(3)?,
                            content,
                        },
                    );
                }
                None => {
                    documents.remove(&key);
                }
            }
        }
        Ok((request, documents.into_values().collect()))
    }

    /// Validates a change request (its edits applied to the latest version)
    /// with the core's validator, stores the result and returns it.
    pub async fn validate(&self, change_request: i64) -> Result<Validation, StoreError> {
        let (request, documents) = self.proposed(change_request).await?;
        let edited: Vec<Key> = request
            .edits
            .iter()
            .filter_map(|e| Some(Key::new(Kind::parse(e.kind)?, e.id.clone())))
            .collect();
        let validation = self.validate_documents(&documents, request.seq, &edited);
        let json = serde_json::to_string(&validation.diagnostics)
            .map_err(|e| StoreError::BadEdit(e.to_string()))?;
        // Stored only if no save happened meanwhile: then it describes the
        // current edits.
        sqlx::query(
            "UPDATE change_requests SET diagnostics = $1, validated_seq = $2 WHERE id = $3 AND seq = $2",
        )
        .bind(json)
        .bind(request.seq)
        .bind(change_request)
        .execute(&self.db.pool)
        .await?;
        Ok(validation)
    }

    /// Moves a change request to another state (not to `published`: that
    /// is [`Workspace::publish`]), recording who and why.
    pub async fn transition(
        &self,
        change_request: i64,
        to: State,
        author: impl Into<Actor>,
        note: &str,
    ) -> Result<ChangeRequest, StoreError> {
        let who = author.into();
        let actor = who.name.as_str();
        check_text("a note", note, false)?;
        let mut tx = self.db.begin_write().await?;
        let request = request_in(&mut tx, self.db.engine, change_request).await?;
        if !request.state.next().contains(&to) {
            return Err(StoreError::WrongState {
                id: change_request,
                state: request.state,
                action: match to {
                    State::InReview => "submitting for review",
                    State::Approved => "approving",
                    State::Rejected => "rejecting",
                    State::Withdrawn => "withdrawing",
                    State::Draft => "reopening",
                    State::Published => "publishing (use publish)",
                },
                needed: match to {
                    State::InReview => "in draft",
                    State::Approved | State::Rejected => "in review",
                    State::Withdrawn => "open",
                    State::Draft => "in review, approved or rejected",
                    State::Published => "approved",
                },
            });
        }
        set_state(&mut tx, &request, to, actor, note).await?;
        let object = format!("change-request:{change_request}");
        let detail = if note.is_empty() {
            format!("to {to}")
        } else {
            format!("to {to} {note}")
        };
        audit::record(&mut tx, &who, "change-request-moved", &object, &detail).await?;
        tx.commit().await?;
        self.change_request(change_request).await
    }

    /// Publishes an approved change request as the next version: validated
    /// first (an error refuses), then one transaction that checks nothing
    /// it edits was published since, writes the version and moves the
    /// latest version forward.
    pub async fn publish(
        &self,
        change_request: i64,
        author: impl Into<Actor>,
        message: &str,
    ) -> Result<Version, StoreError> {
        let who = author.into();
        let actor = who.name.as_str();
        check_text("a version's message", message, false)?;
        let (request, documents) = self.proposed(change_request).await?;
        if request.state != State::Approved {
            return Err(StoreError::WrongState {
                id: change_request,
                state: request.state,
                action: "publishing",
                needed: "approved",
            });
        }
        let validation = self.validate_documents(&documents, request.seq, &[]);
        if validation.errors > 0 {
            return Err(StoreError::Invalid(validation.errors));
        }
        let mut tx = self.db.begin_write().await?;
        let now_request = request_in(&mut tx, self.db.engine, change_request).await?;
        if now_request.seq != request.seq || now_request.state != State::Approved {
            // Saved or moved while we validated: the caller tries again.
            return Err(StoreError::PublishAgain(
                "the change request changed while it was being published",
            ));
        }
        // Publishers queue on the workspace row (the compare-and-set below
        // would stop a second one anyway, after wasted work).
        let latest_sql = match self.db.engine {
            Engine::Sqlite => "SELECT latest_version FROM workspace WHERE id = 1",
            Engine::Postgres => "SELECT latest_version FROM workspace WHERE id = 1 FOR UPDATE",
        };
        let latest: i64 = sqlx::query(latest_sql)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let edits = sqlx::query(
            "SELECT kind, entity, file, position, content, bytes, base_revision FROM edits WHERE change_request = $1 ORDER BY kind, entity",
        )
        .bind(change_request)
        .fetch_all(&mut *tx)
        .await?;
        let mut stale = Vec::new();
        for row in &edits {
            let key = Key::new(
                kind_of(&row.try_get::<String, _>(0)?)?,
                row.try_get::<String, _>(1)?,
            );
            let base: Option<i64> = row.try_get(6)?;
            if published_revision(&mut tx, latest, &key).await? != base {
                stale.push(key);
            }
        }
        if !stale.is_empty() {
            return Err(StoreError::Stale(stale));
        }
        let number = latest + 1;
        let at = now();
        let message = if message.trim().is_empty() {
            request.title.as_str()
        } else {
            message.trim()
        };
        sqlx::query(
            "INSERT INTO versions (number, created_at, author, message, change_request) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(number)
        .bind(&at)
        .bind(actor)
        .bind(message)
        .bind(change_request)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO version_entities (version, kind, entity, revision) \
             SELECT $1, kind, entity, revision FROM version_entities WHERE version = $2",
        )
        .bind(number)
        .bind(latest)
        .execute(&mut *tx)
        .await?;
        for row in &edits {
            let key = Key::new(
                kind_of(&row.try_get::<String, _>(0)?)?,
                row.try_get::<String, _>(1)?,
            );
            sqlx::query(
                "DELETE FROM version_entities WHERE version = $1 AND kind = $2 AND entity = $3",
            )
            .bind(number)
            .bind(key.kind.as_str())
            .bind(&key.id)
            .execute(&mut *tx)
            .await?;
            let content = content_of(row, 4, 5)?;
            let document = Document {
                key: key.clone(),
                file: row.try_get(2)?,
                position: row.try_get(3)?,
                content: content.clone().unwrap_or(Content::Text(String::new())),
            };
            let revision = if content.is_some() {
                insert_revision(&mut tx, &document, number).await?
            } else {
                insert_deletion(&mut tx, &document, number).await?
            };
            if content.is_some() {
                insert_manifest(&mut tx, number, &key, revision).await?;
            }
        }
        let moved = sqlx::query(
            "UPDATE workspace SET latest_version = $1 WHERE id = 1 AND latest_version = $2",
        )
        .bind(number)
        .bind(latest)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            // Another publisher won; nothing of ours is committed.
            return Err(StoreError::PublishAgain(
                "another change request was published at the same moment",
            ));
        }
        sqlx::query("UPDATE change_requests SET published_version = $1 WHERE id = $2")
            .bind(number)
            .bind(change_request)
            .execute(&mut *tx)
            .await?;
        set_state(&mut tx, &now_request, State::Published, actor, message).await?;
        let object = format!("change-request:{change_request}");
        let detail = format!("version {number}");
        audit::record(&mut tx, &who, "published", &object, &detail).await?;
        tx.commit().await?;
        self.version(number).await
    }

    /// Turns a directory's catalog into a change request: one edit per
    /// entity that differs from the latest version (created, changed or
    /// missing, which deletes it).
    pub async fn import(
        &self,
        sources: &Sources,
        title: &str,
        author: impl Into<Actor>,
    ) -> Result<Imported, StoreError> {
        let incoming = entity::split(sources)?;
        self.propose(incoming, None, title, &author.into()).await
    }

    /// Rolls back: a change request that makes the catalog (or only `key`)
    /// what it was in `version`, to review and publish like any other. An
    /// entity `version` did not have is deleted; one it had is restored.
    /// Refused when nothing differs.
    pub async fn roll_back(
        &self,
        version: i64,
        key: Option<&Key>,
        author: impl Into<Actor>,
    ) -> Result<Imported, StoreError> {
        let author = author.into();
        let latest = self.require_latest().await?;
        let old: Vec<Document> = self
            .documents(version)
            .await?
            .into_iter()
            .filter(|d| key.is_none_or(|k| &d.key == k))
            .collect();
        let what = key.map_or_else(|| "the catalog".to_string(), ToString::to_string);
        let current: Vec<Document> = self
            .documents(latest)
            .await?
            .into_iter()
            .filter(|d| key.is_none_or(|k| &d.key == k))
            .collect();
        if let Some(key) = key
            && old.is_empty()
            && current.is_empty()
        {
            return Err(StoreError::NoSuchEntity(key.clone()));
        }
        // Both in key order.
        if old == current {
            return Err(StoreError::BadEdit(format!(
                "{what} is the same in version {version} and in the latest, version {latest}; there is nothing to roll back"
            )));
        }
        let title = format!("Roll {what} back to version {version}");
        self.propose(old, key, &title, &author).await
    }

    /// A change request of the edits that make the latest version's
    /// entities (all, or only `only`) into `incoming`.
    async fn propose(
        &self,
        incoming: Vec<Document>,
        only: Option<&Key>,
        title: &str,
        actor: &Actor,
    ) -> Result<Imported, StoreError> {
        let author = actor.name.as_str();
        let latest = self.require_latest().await?;
        let existing: HashMap<Key, Document> = self
            .documents(latest)
            .await?
            .into_iter()
            .filter(|d| only.is_none_or(|k| &d.key == k))
            .map(|d| (d.key.clone(), d))
            .collect();
        let mut tx = self.db.begin_write().await?;
        let id = create_change_request(&mut tx, title, "", author).await?;
        let (mut created, mut updated, mut deleted) = (0, 0, 0);
        let incoming_keys: std::collections::HashSet<&Key> =
            incoming.iter().map(|d| &d.key).collect();
        for document in &incoming {
            let base = match existing.get(&document.key) {
                Some(old) if old == document => continue,
                Some(_) => {
                    updated += 1;
                    published_revision(&mut tx, latest, &document.key).await?
                }
                None => {
                    created += 1;
                    None
                }
            };
            insert_edit(
                &mut tx,
                id,
                document,
                Some(&document.content),
                base,
                0,
                author,
            )
            .await?;
        }
        for (key, old) in &existing {
            if !incoming_keys.contains(key) {
                deleted += 1;
                let base = published_revision(&mut tx, latest, key).await?;
                insert_edit(&mut tx, id, old, None, base, 0, author).await?;
            }
        }
        let object = format!("change-request:{id}");
        audit::record(&mut tx, actor, "change-request-opened", &object, title).await?;
        tx.commit().await?;
        Ok(Imported {
            change_request: self.change_request(id).await?,
            created,
            updated,
            deleted,
        })
    }
}

impl Workspace {
    /// The workspace's validator.
    fn validator(&self) -> std::sync::MutexGuard<'_, Validator> {
        kept(&self.validator)
    }

    /// Validates `documents` as one catalog, re-parsing only the entities
    /// that changed since the last validation; diagnostics located per
    /// entity. When the catalog is valid, the content lint's findings in
    /// the entities of `lint_for` (a change request's edits) are added as
    /// warnings: what an editor should see beside the fields they edit,
    /// and nothing of the rest of the catalog.
    fn validate_documents(&self, documents: &[Document], seq: i64, lint_for: &[Key]) -> Validation {
        let sources = entity::to_sources(documents);
        if lint_for.is_empty() {
            let checked = self.validator().check(sources);
            return located(documents, checked, seq);
        }
        // Lint reads the text as written: no role is copied to resolve it.
        let loaded = self.validator().load_as_written(sources);
        let mut diagnostics = loaded.diagnostics;
        if let Some(catalog) = &loaded.catalog {
            let files = documents
                .iter()
                .filter(|d| lint_for.contains(&d.key))
                .filter_map(|d| loaded.sources.find(&d.source_path()))
                .collect();
            let scope = rolebook_core::lint::Scope::Files(files);
            diagnostics.extend(rolebook_core::lint::lint_in_with(
                catalog,
                &loaded.sources,
                &scope,
                &mut kept(&self.lint_memo),
            ));
        }
        let checked = Checked {
            sources: loaded.sources,
            diagnostics,
        };
        located(documents, checked, seq)
    }
}

/// What a validation keeps for the next one. A validation that panicked
/// may have left it half updated: then it starts again from nothing.
fn kept<T: Default>(keeper: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    keeper.lock().unwrap_or_else(|poisoned| {
        let mut kept = poisoned.into_inner();
        *kept = T::default();
        keeper.clear_poison();
        kept
    })
}

/// The diagnostics of `checked` located by entity, line and column.
fn located(documents: &[Document], loaded: Checked, seq: i64) -> Validation {
    let by_path: HashMap<String, &Key> = documents
        .iter()
        .map(|d| (d.source_path(), &d.key))
        .collect();
    let diagnostics: Vec<EntityDiagnostic> = loaded
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let report = diagnostic.to_report(&loaded.sources);
            let location = report.location.as_ref();
            let key = location.and_then(|l| by_path.get(&l.file));
            EntityDiagnostic {
                severity: match report.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
                .to_string(),
                code: report.code.to_string(),
                message: report.message.clone(),
                hint: report.hint.clone(),
                kind: key.map(|k| k.kind.as_str().to_string()),
                id: key.map(|k| k.id.clone()),
                line: location.map(|l| l.line),
                column: location.map(|l| l.column),
                snippet: location.map(|l| l.snippet.clone()),
            }
        })
        .collect();
    Validation {
        seq,
        errors: diagnostics.iter().filter(|d| d.severity == "error").count(),
        warnings: diagnostics
            .iter()
            .filter(|d| d.severity == "warning")
            .count(),
        diagnostics,
    }
}

/// Refuses content that cannot be the entity it is saved as: too large, of
/// the wrong sort (text for the logo), or naming another id. Content that
/// does not parse is accepted: a draft may be broken, and validation says
/// where.
fn check_content(key: &Key, content: Option<&Content>) -> Result<(), StoreError> {
    if key.kind.is_singleton() && key.id != key.kind.as_str() {
        return Err(StoreError::BadEdit(format!(
            "there is one {kind}; its id is `{kind}`",
            kind = key.kind
        )));
    }
    if !key.kind.is_singleton() && !rolebook_core::suggest::is_kebab_case(&key.id) {
        return Err(StoreError::BadEdit(format!(
            "`{}` is not an id: ids are kebab-case (lower-case words joined by `-`)",
            key.id
        )));
    }
    let Some(content) = content else {
        return Ok(());
    };
    let size = match content {
        Content::Text(text) => text.len(),
        Content::Bytes(bytes) => bytes.len(),
    };
    if size > MAX_CONTENT {
        return Err(StoreError::BadEdit(format!(
            "{key} is {size} bytes; the most an entity may hold is {MAX_CONTENT}"
        )));
    }
    match (key.kind, content) {
        (Kind::Logo, Content::Text(_)) => Err(StoreError::BadEdit(
            "the logo is an image's bytes, not text".into(),
        )),
        (Kind::Logo, Content::Bytes(_)) => Ok(()),
        (_, Content::Bytes(_)) => Err(StoreError::BadEdit(format!(
            "{key} is TOML text, not bytes"
        ))),
        (kind, Content::Text(text)) => {
            let Ok(table) = text.parse::<toml::Table>() else {
                return Ok(());
            };
            let ids: Vec<&str> = match kind {
                Kind::Role => table
                    .get("id")
                    .and_then(|v| v.as_str())
                    .into_iter()
                    .collect(),
                Kind::Skill | Kind::Kpi => {
                    let array = if kind == Kind::Skill {
                        "skills"
                    } else {
                        "kpis"
                    };
                    let entries = table
                        .get(array)
                        .and_then(|v| v.as_array())
                        .map_or(&[][..], |a| a.as_slice());
                    if entries.len() != 1 {
                        return Err(StoreError::BadEdit(format!(
                            "{key} must hold exactly one `[[{array}]]` entry, not {}",
                            entries.len()
                        )));
                    }
                    entries
                        .iter()
                        .filter_map(|e| e.get("id").and_then(|v| v.as_str()))
                        .collect()
                }
                _ => Vec::new(),
            };
            match ids.first() {
                Some(id) if *id != key.id => Err(StoreError::BadEdit(format!(
                    "the text defines {} `{id}`, not `{}`; to rename, create `{id}` and delete `{}`",
                    key.kind, key.id, key.id
                ))),
                _ => Ok(()),
            }
        }
    }
}

// ------------------------------------------------------------- row helpers

fn kind_of(text: &str) -> Result<Kind, StoreError> {
    Kind::parse(text)
        .ok_or_else(|| StoreError::BadEdit(format!("unknown entity kind `{text}` in the database")))
}

fn version_of(row: &AnyRow) -> Result<Version, StoreError> {
    Ok(Version {
        number: row.try_get(0)?,
        created_at: row.try_get(1)?,
        author: row.try_get(2)?,
        message: row.try_get(3)?,
        change_request: row.try_get(4)?,
    })
}

fn content_of(row: &AnyRow, text: usize, bytes: usize) -> Result<Option<Content>, StoreError> {
    if let Some(text) = row.try_get::<Option<String>, _>(text)? {
        return Ok(Some(Content::Text(text)));
    }
    Ok(row
        .try_get::<Option<Vec<u8>>, _>(bytes)?
        .map(Content::Bytes))
}

/// A row of (kind, entity, file, position, content, bytes, revision id).
fn document_of(row: &AnyRow) -> Result<(Document, i64), StoreError> {
    let key = Key::new(
        kind_of(&row.try_get::<String, _>(0)?)?,
        row.try_get::<String, _>(1)?,
    );
    Ok((
        Document {
            key,
            file: row.try_get(2)?,
            position: row.try_get(3)?,
            content: content_of(row, 4, 5)?.unwrap_or(Content::Text(String::new())),
        },
        row.try_get(6)?,
    ))
}

fn change_request_of(row: &AnyRow) -> Result<ChangeRequest, StoreError> {
    let state: String = row.try_get(5)?;
    let seq: i64 = row.try_get(8)?;
    let diagnostics: Option<String> = row.try_get(10)?;
    let validated_seq: Option<i64> = row.try_get(11)?;
    let validation = match (diagnostics, validated_seq) {
        (Some(json), Some(at)) if at == seq => {
            let diagnostics: Vec<EntityDiagnostic> =
                serde_json::from_str(&json).unwrap_or_default();
            Some(Validation {
                seq,
                errors: diagnostics.iter().filter(|d| d.severity == "error").count(),
                warnings: diagnostics
                    .iter()
                    .filter(|d| d.severity == "warning")
                    .count(),
                diagnostics,
            })
        }
        _ => None,
    };
    Ok(ChangeRequest {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        description: row.try_get(2)?,
        author: row.try_get(3)?,
        base_version: row.try_get(4)?,
        state: State::parse(&state).ok_or_else(|| {
            StoreError::BadEdit(format!("unknown state `{state}` in the database"))
        })?,
        created_at: row.try_get(6)?,
        updated_at: row.try_get(7)?,
        seq,
        published_version: row.try_get(9)?,
        edits: Vec::new(),
        contributors: Vec::new(),
        validation,
    })
}

// -------------------------------------------------- transaction helpers

/// The latest published version's number, read on `executor`; `None`
/// before `init`.
async fn latest_on<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT latest_version FROM workspace WHERE id = 1")
        .fetch_optional(executor)
        .await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
}

type Tx = Transaction<'static, Any>;

async fn insert_revision(
    tx: &mut Tx,
    document: &Document,
    version: i64,
) -> Result<i64, StoreError> {
    let (text, bytes) = match &document.content {
        Content::Text(text) => (Some(text.as_str()), None),
        Content::Bytes(bytes) => (None, Some(bytes.as_slice())),
    };
    let row = sqlx::query(
        "INSERT INTO revisions (kind, entity, file, position, content, bytes, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(document.key.kind.as_str())
    .bind(&document.key.id)
    .bind(&document.file)
    .bind(document.position)
    .bind(text)
    .bind(bytes)
    .bind(version)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get(0)?)
}

async fn insert_deletion(
    tx: &mut Tx,
    document: &Document,
    version: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO revisions (kind, entity, file, position, content, bytes, version) \
         VALUES ($1, $2, $3, $4, NULL, NULL, $5) RETURNING id",
    )
    .bind(document.key.kind.as_str())
    .bind(&document.key.id)
    .bind(&document.file)
    .bind(document.position)
    .bind(version)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get(0)?)
}

async fn insert_manifest(
    tx: &mut Tx,
    version: i64,
    key: &Key,
    revision: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO version_entities (version, kind, entity, revision) VALUES ($1, $2, $3, $4)",
    )
    .bind(version)
    .bind(key.kind.as_str())
    .bind(&key.id)
    .bind(revision)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The revision of `key` in `version`, if the version has it.
async fn published_revision(
    conn: &mut sqlx::AnyConnection,
    version: i64,
    key: &Key,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT revision FROM version_entities WHERE version = $1 AND kind = $2 AND entity = $3",
    )
    .bind(version)
    .bind(key.kind.as_str())
    .bind(&key.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// The entity as change request `id` sees it, and its token.
async fn current(
    conn: &mut sqlx::AnyConnection,
    change_request: i64,
    key: &Key,
) -> Result<(Option<Document>, Token), StoreError> {
    if let Some(row) = sqlx::query(
        "SELECT kind, entity, file, position, content, bytes, seq FROM edits \
         WHERE change_request = $1 AND kind = $2 AND entity = $3",
    )
    .bind(change_request)
    .bind(key.kind.as_str())
    .bind(&key.id)
    .fetch_optional(&mut *conn)
    .await?
    {
        let seq: i64 = row.try_get(6)?;
        let document = match content_of(&row, 4, 5)? {
            Some(content) => Some(Document {
                key: key.clone(),
                file: row.try_get(2)?,
                position: row.try_get(3)?,
                content,
            }),
            None => None,
        };
        return Ok((document, Token::Edit(seq)));
    }
    let latest = latest_on(&mut *conn)
        .await?
        .ok_or(StoreError::NotInitialised)?;
    let row = sqlx::query(
        "SELECT r.kind, r.entity, r.file, r.position, r.content, r.bytes, r.id \
         FROM version_entities m JOIN revisions r ON r.id = m.revision \
         WHERE m.version = $1 AND m.kind = $2 AND m.entity = $3",
    )
    .bind(latest)
    .bind(key.kind.as_str())
    .bind(&key.id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => {
            let (document, revision) = document_of(&row)?;
            Ok((Some(document), Token::Revision(revision)))
        }
        None => Ok((None, Token::Absent)),
    }
}

/// Change request `id`, locked for the rest of the transaction: saves,
/// transitions and publishes of one change request queue behind each
/// other. (SQLite's `BEGIN IMMEDIATE` already lets one writer in at a
/// time; PostgreSQL needs the row lock.)
pub(crate) async fn request_in(
    tx: &mut Tx,
    engine: Engine,
    id: i64,
) -> Result<ChangeRequest, StoreError> {
    let sql = match engine {
        Engine::Sqlite => select_request!(),
        Engine::Postgres => concat!(select_request!(), " FOR UPDATE"),
    };
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NoSuchChangeRequest(id))?;
    change_request_of(&row)
}

async fn open_request(
    tx: &mut Tx,
    engine: Engine,
    id: i64,
    action: &'static str,
) -> Result<ChangeRequest, StoreError> {
    let request = request_in(tx, engine, id).await?;
    if !request.state.is_open() {
        return Err(StoreError::WrongState {
            id,
            state: request.state,
            action,
            needed: "open (draft, in review or approved)",
        });
    }
    Ok(request)
}

/// Refuses text with control characters (terminal escapes, NUL): it is
/// shown in terminals, pages and logs. A title is also one line.
pub(crate) fn check_text(what: &str, text: &str, one_line: bool) -> Result<(), StoreError> {
    if text.contains(rolebook_core::text::is_forbidden) {
        return Err(StoreError::BadEdit(format!(
            "{what} may not hold control characters"
        )));
    }
    if one_line && text.contains(['\n', '\r']) {
        return Err(StoreError::BadEdit(format!("{what} is one line")));
    }
    Ok(())
}

async fn create_change_request(
    tx: &mut Tx,
    title: &str,
    description: &str,
    author: &str,
) -> Result<i64, StoreError> {
    check_text("a change request's title", title, true)?;
    check_text("a change request's description", description, false)?;
    let latest = latest_on(&mut **tx)
        .await?
        .ok_or(StoreError::NotInitialised)?;
    let at = now();
    let row = sqlx::query(
        "INSERT INTO change_requests (title, description, author, base_version, state, created_at, updated_at, seq) \
         VALUES ($1, $2, $3, $4, 'draft', $5, $5, 0) RETURNING id",
    )
    .bind(title)
    .bind(description)
    .bind(author)
    .bind(latest)
    .bind(&at)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    sqlx::query(
        "INSERT INTO change_request_events (change_request, at, actor, from_state, to_state, note) \
         VALUES ($1, $2, $3, NULL, 'draft', '')",
    )
    .bind(id)
    .bind(&at)
    .bind(author)
    .execute(&mut **tx)
    .await?;
    contributed(tx, id, author).await?;
    Ok(id)
}

/// Records that `author` had a hand in a change request.
async fn contributed(tx: &mut Tx, change_request: i64, author: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO change_request_contributors (change_request, author) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(change_request)
    .bind(author)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_edit(
    tx: &mut Tx,
    change_request: i64,
    document: &Document,
    content: Option<&Content>,
    base_revision: Option<i64>,
    seq: i64,
    author: &str,
) -> Result<(), StoreError> {
    let (text, bytes) = match content {
        Some(Content::Text(text)) => (Some(text.as_str()), None),
        Some(Content::Bytes(bytes)) => (None, Some(bytes.as_slice())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO edits (change_request, kind, entity, base_revision, file, position, content, bytes, seq, author, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (change_request, kind, entity) DO UPDATE SET \
           content = excluded.content, bytes = excluded.bytes, seq = excluded.seq, \
           author = excluded.author, updated_at = excluded.updated_at",
    )
    .bind(change_request)
    .bind(document.key.kind.as_str())
    .bind(&document.key.id)
    .bind(base_revision)
    .bind(&document.file)
    .bind(document.position)
    .bind(text)
    .bind(bytes)
    .bind(seq)
    .bind(author)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn bump(tx: &mut Tx, change_request: i64, seq: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE change_requests SET seq = $1, updated_at = $2 WHERE id = $3")
        .bind(seq)
        .bind(now())
        .bind(change_request)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn save(
    tx: &mut Tx,
    engine: Engine,
    change_request: i64,
    key: &Key,
    content: Option<Content>,
    based_on: &Token,
    author: &str,
) -> Result<Token, StoreError> {
    let request = open_request(tx, engine, change_request, "saving an edit").await?;
    let (existing, current_token) = current(tx, change_request, key).await?;
    if &current_token != based_on {
        return Err(StoreError::Conflict {
            key: key.clone(),
            yours: based_on.to_string(),
            current: current_token.to_string(),
        });
    }
    if content.is_none() && existing.is_none() {
        return Err(StoreError::NoSuchEntity(key.clone()));
    }
    back_to_draft(tx, &request, author).await?;
    contributed(tx, change_request, author).await?;
    // The revision the edit is based on: kept from the first save.
    let base_revision = match current_token {
        Token::Revision(id) => Some(id),
        Token::Absent => None,
        Token::Edit(_) => sqlx::query(
            "SELECT base_revision FROM edits WHERE change_request = $1 AND kind = $2 AND entity = $3",
        )
        .bind(change_request)
        .bind(key.kind.as_str())
        .bind(&key.id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?,
    };
    let document = existing.unwrap_or_else(|| Document {
        key: key.clone(),
        file: default_file(key),
        position: 0,
        content: Content::Text(String::new()),
    });
    let seq = request.seq + 1;
    if base_revision.is_none() && content.is_none() {
        // Deleting what this change request created: no edit is left.
        sqlx::query("DELETE FROM edits WHERE change_request = $1 AND kind = $2 AND entity = $3")
            .bind(change_request)
            .bind(key.kind.as_str())
            .bind(&key.id)
            .execute(&mut **tx)
            .await?;
        bump(tx, change_request, seq).await?;
        return Ok(Token::Absent);
    }
    insert_edit(
        tx,
        change_request,
        &document,
        content.as_ref(),
        base_revision,
        seq,
        author,
    )
    .await?;
    bump(tx, change_request, seq).await?;
    Ok(Token::Edit(seq))
}

/// Where a new entity is written in catalog-as-code.
fn default_file(key: &Key) -> String {
    match key.kind {
        Kind::Framework => "framework.toml".into(),
        Kind::Organisation => "organisation.toml".into(),
        Kind::Logo => "logo.png".into(),
        Kind::Skill => format!("skills/{}.toml", key.id),
        Kind::Kpi => format!("kpis/{}.toml", key.id),
        Kind::Role => format!("roles/{}.toml", key.id),
    }
}

/// An edit to a change request in review or approved sends it back to
/// draft: what was reviewed is no longer what would be published, so it
/// is submitted and reviewed again.
async fn back_to_draft(
    tx: &mut Tx,
    request: &ChangeRequest,
    actor: &str,
) -> Result<(), StoreError> {
    if matches!(request.state, State::InReview | State::Approved) {
        set_state(
            tx,
            request,
            State::Draft,
            actor,
            "edited after submitting: back to draft",
        )
        .await?;
    }
    Ok(())
}

async fn set_state(
    tx: &mut Tx,
    request: &ChangeRequest,
    to: State,
    actor: &str,
    note: &str,
) -> Result<(), StoreError> {
    let at = now();
    sqlx::query("UPDATE change_requests SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(to.as_str())
        .bind(&at)
        .bind(request.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO change_request_events (change_request, at, actor, from_state, to_state, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request.id)
    .bind(&at)
    .bind(actor)
    .bind(request.state.as_str())
    .bind(to.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
