//! The API's own wire types: search hits, errors and health. Roles,
//! skills, KPIs, career reports and title resolutions have one shape for
//! every front end and live in `rolebook-wire`.

use serde::Serialize;
use utoipa::ToSchema;

/// `role`, `skill` or `kpi`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HitKindDto {
    Role,
    Skill,
    Kpi,
}

impl From<rolebook_search::Kind> for HitKindDto {
    fn from(kind: rolebook_search::Kind) -> Self {
        match kind {
            rolebook_search::Kind::Role => HitKindDto::Role,
            rolebook_search::Kind::Skill => HitKindDto::Skill,
            rolebook_search::Kind::Kpi => HitKindDto::Kpi,
        }
    }
}

fn ranges(ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    ranges.iter().map(|r| [r.start, r.end]).collect()
}

/// The passage of a document that holds the most query words.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetDto {
    /// Which part of the document: `summary`, `responsibilities`,
    /// `definition`, `levels`…
    #[schema(example = "summary")]
    pub field: String,
    /// The passage, cut at about 200 bytes with `…` where it was cut.
    pub text: String,
    /// Matches in `text` as `[start, end)` UTF-8 byte offsets, in order.
    #[schema(example = json!([[4, 12]]))]
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: HitKindDto,
    pub id: String,
    pub title: String,
    /// Matches in `title` as `[start, end)` UTF-8 byte offsets.
    pub title_highlights: Vec<[usize; 2]>,
    /// Family and level of a role, category of a skill or KPI.
    #[schema(example = "Reliability · Manager")]
    pub context: String,
    /// BM25 relevance; only comparable within one result set.
    pub score: f32,
    /// The best passage, when a query word is in the document's text.
    pub snippet: Option<SnippetDto>,
    /// The page for people.
    pub href: String,
}

impl SearchHit {
    pub fn of(hit: &rolebook_search::SearchHit, href: String) -> Self {
        SearchHit {
            kind: hit.kind.into(),
            id: hit.id.clone(),
            title: hit.title.clone(),
            title_highlights: ranges(&hit.title_highlights),
            context: hit.context.clone(),
            score: hit.score,
            snippet: hit.snippet.as_ref().map(|s| SnippetDto {
                field: s.field.clone(),
                text: s.text.clone(),
                highlights: ranges(&s.highlights),
            }),
            href,
        }
    }
}

/// A query word the engine also read as other words: a typo corrected
/// against the catalog's vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionDto {
    #[schema(example = "reliabilty")]
    pub word: String,
    #[schema(example = json!(["reliability"]))]
    pub read_as: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub query: String,
    /// How many documents matched in all; `hits` holds at most `limit`.
    pub total: usize,
    /// True when no document matched every word, so these match some.
    pub partial: bool,
    pub corrections: Vec<CorrectionDto>,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub id: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    /// What was wrong with the request, for people.
    pub message: String,
    /// Close matches when something was not found.
    pub suggestions: Vec<SuggestionDto>,
}

/// Every 4xx and 5xx answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogHealth {
    pub source: String,
    /// Increases on every reload.
    pub generation: u64,
    pub roles: usize,
    pub skills: usize,
    pub kpis: usize,
    /// Set while the catalog files have errors and the last valid catalog
    /// is served (`status` is then `degraded`), for requests from the
    /// server's own machine only.
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` while serving an older catalog.
    pub status: String,
    pub catalog: CatalogHealth,
}

// ---------------------------------------------------------------- workspace
//
// The workspace API's own shapes. They copy `rolebook-store`'s types
// field by field rather than serialising them, so the store can change
// without changing the API.

/// The workspace this server serves.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceInfo {
    /// `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    pub engine: String,
    /// The latest published version.
    pub latest_version: i64,
    /// The version the pages show now (it follows `latest_version` within a
    /// second); absent while none is loaded.
    pub served_version: Option<u64>,
}

/// A published version.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDto {
    pub number: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub author: String,
    pub message: String,
    /// The change request it published; absent for the first version.
    pub change_request: Option<i64>,
}

impl From<&rolebook_store::Version> for VersionDto {
    fn from(v: &rolebook_store::Version) -> Self {
        VersionDto {
            number: v.number,
            created_at: v.created_at.clone(),
            author: v.author.clone(),
            message: v.message.clone(),
            change_request: v.change_request,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    /// Newest first.
    pub versions: Vec<VersionDto>,
}

/// Names one entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityKeyDto {
    /// `framework`, `organisation`, `logo`, `skill`, `kpi` or `role`.
    #[schema(example = "role")]
    pub kind: String,
    /// The entity's id; a singleton's (framework, organisation, logo) is
    /// its kind.
    #[schema(example = "sre-manager")]
    pub id: String,
}

impl From<&rolebook_store::Key> for EntityKeyDto {
    fn from(key: &rolebook_store::Key) -> Self {
        EntityKeyDto {
            kind: key.kind.as_str().to_string(),
            id: key.id.clone(),
        }
    }
}

/// A version and the entities it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDetail {
    pub version: VersionDto,
    /// In kind, then id order.
    pub entities: Vec<EntityKeyDto>,
}

/// How an entity's `content` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ContentEncoding {
    /// TOML text as written (every kind but the logo).
    Text,
    /// The logo's bytes, standard base64 with padding.
    Base64,
}

/// One entity as a version or a change request holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityDto {
    #[schema(example = "role")]
    pub kind: String,
    #[schema(example = "sre-manager")]
    pub id: String,
    /// The catalog file it belongs to; absent when the entity is absent
    /// or deleted in a change request.
    #[schema(example = "roles/sre-manager.toml")]
    pub file: Option<String>,
    /// The version it was read from; absent when read in a change request.
    pub version: Option<i64>,
    /// Its content; absent when the entity is absent or deleted in a
    /// change request.
    pub content: Option<String>,
    pub encoding: ContentEncoding,
    /// What to send as `base` to save a change to it: `rN` (a published
    /// revision), `eN` (an edit of the change request) or `absent`.
    #[schema(example = "r12")]
    pub token: String,
}

/// One version that changed an entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryDto {
    pub version: VersionDto,
    /// The revision it published.
    pub revision: i64,
    /// Whether that version deleted the entity.
    pub deleted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityHistory {
    pub kind: String,
    pub id: String,
    /// Oldest first.
    pub entries: Vec<HistoryEntryDto>,
}

/// What changed in one entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityDiffDto {
    pub kind: String,
    pub id: String,
    /// `created`, `deleted`, `changed` or `unchanged`.
    pub status: String,
    /// Field by field, when the entity exists on both sides: `{kind, id,
    /// changes: [...]}`, each change tagged by `change` (`text` with its
    /// `words` as `{op: equal|insert|delete, text}` runs, `value`,
    /// `added`, `removed`, `moved`, `skill-level`, `skill-importance`,
    /// `skill-added`, `skill-removed`, `kpi-target`, `kpi-added`,
    /// `kpi-removed`, `career-added`, `career-removed`).
    #[schema(value_type = Option<Object>)]
    pub changes: Option<rolebook_core::changes::Changes>,
}

impl From<rolebook_store::EntityDiff> for EntityDiffDto {
    fn from(diff: rolebook_store::EntityDiff) -> Self {
        EntityDiffDto {
            kind: diff.kind.to_string(),
            id: diff.id,
            status: diff.status.to_string(),
            changes: diff.changes,
        }
    }
}

/// One change request's edit of one entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditDto {
    pub kind: String,
    pub id: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// The published revision the edit was based on; absent for a new
    /// entity.
    pub base_revision: Option<i64>,
    /// The token to save the next change to this entity against.
    pub token: String,
    pub author: String,
    pub updated_at: String,
}

/// A diagnostic of a change request's validation, located in one entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticDto {
    /// `error` or `warning`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// The entity it is about, when it is about one.
    pub kind: Option<String>,
    pub id: Option<String>,
    /// 1-based, in that entity's text.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub snippet: Option<String>,
}

impl From<&rolebook_store::EntityDiagnostic> for DiagnosticDto {
    fn from(d: &rolebook_store::EntityDiagnostic) -> Self {
        DiagnosticDto {
            severity: d.severity.clone(),
            code: d.code.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            kind: d.kind.clone(),
            id: d.id.clone(),
            line: d.line,
            column: d.column,
            snippet: d.snippet.clone(),
        }
    }
}

/// The core's validation of a change request's edits applied to the
/// latest version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationDto {
    /// The change request's sequence number it describes: when it is
    /// below the change request's `seq`, edits were saved since.
    pub seq: i64,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<DiagnosticDto>,
}

impl From<&rolebook_store::Validation> for ValidationDto {
    fn from(v: &rolebook_store::Validation) -> Self {
        ValidationDto {
            seq: v.seq,
            errors: v.errors,
            warnings: v.warnings,
            diagnostics: v.diagnostics.iter().map(DiagnosticDto::from).collect(),
        }
    }
}

/// A change request: edits to the latest version under review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestDto {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub author: String,
    /// The latest version when it was opened.
    pub base_version: i64,
    /// `draft`, `in-review`, `approved`, `published`, `rejected` or
    /// `withdrawn`.
    #[schema(example = "draft")]
    pub state: String,
    /// The states `transition` may move it to now.
    pub next_states: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Increases with every save.
    pub seq: i64,
    pub published_version: Option<i64>,
    /// Its edits (empty in lists).
    pub edits: Vec<EditDto>,
    /// The last validation stored (absent in lists).
    pub validation: Option<ValidationDto>,
    /// Everyone who opened it or saved or dropped one of its edits (empty
    /// in lists): none of them may approve it unless the workspace allows
    /// self-approval.
    pub contributors: Vec<String>,
}

impl From<&rolebook_store::ChangeRequest> for ChangeRequestDto {
    fn from(r: &rolebook_store::ChangeRequest) -> Self {
        ChangeRequestDto {
            id: r.id,
            title: r.title.clone(),
            description: r.description.clone(),
            author: r.author.clone(),
            base_version: r.base_version,
            state: r.state.as_str().to_string(),
            next_states: r
                .state
                .next()
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            seq: r.seq,
            published_version: r.published_version,
            contributors: r.contributors.clone(),
            edits: r
                .edits
                .iter()
                .map(|e| EditDto {
                    kind: e.kind.to_string(),
                    id: e.id.clone(),
                    action: e.action.to_string(),
                    base_revision: e.base_revision,
                    token: e.token.clone(),
                    author: e.author.clone(),
                    updated_at: e.updated_at.clone(),
                })
                .collect(),
            validation: r.validation.as_ref().map(ValidationDto::from),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestList {
    /// Newest first.
    pub change_requests: Vec<ChangeRequestDto>,
}

/// `POST /api/v1/workspace/change-requests`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChangeRequest {
    #[schema(example = "Sharpen the SRE manager's scope")]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// `POST /api/v1/workspace/versions/{number}/rollback`: what to roll back.
#[derive(Debug, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollBack {
    /// Only this entity's kind and id; without them, the whole catalog.
    #[schema(example = "role")]
    pub kind: Option<String>,
    #[schema(example = "sre-manager")]
    pub id: Option<String>,
}

/// `PUT …/entities/{kind}/{entity}`: the new content and what it is
/// based on.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveEntity {
    /// TOML text, or for the logo its bytes in base64.
    pub content: String,
    /// How `content` is written; by default `base64` for the logo and
    /// `text` for the rest.
    pub encoding: Option<ContentEncoding>,
    /// The token read with the entity (`rN`, `eN` or `absent` for a new
    /// one): a save from a stale base is refused with 409.
    #[schema(example = "r12")]
    pub base: String,
}

/// A save's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub kind: String,
    pub id: String,
    /// The token to base the next save on.
    #[schema(example = "e3")]
    pub token: String,
}

/// `POST …/{id}/transition`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// `in-review`, `approved`, `rejected`, `draft` or `withdrawn`
    /// (publishing is `publish`).
    #[schema(example = "in-review")]
    pub to: String,
    #[serde(default)]
    pub note: String,
}

/// `POST …/{id}/publish`.
#[derive(Debug, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// The version's message; the change request's title when empty.
    #[serde(default)]
    pub message: String,
}

/// Both sides of a refused save, to compare before saving again.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictDto {
    pub kind: String,
    pub id: String,
    /// The base the request named.
    #[schema(example = "r12")]
    pub yours: String,
    /// The token the entity has now: save against it after comparing.
    #[schema(example = "e4")]
    pub current: String,
    /// The entity's content now, as the change request sees it; absent
    /// when it is absent or deleted there.
    pub content: Option<String>,
    pub encoding: ContentEncoding,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceErrorDetail {
    pub status: u16,
    /// What was wrong, for people.
    pub message: String,
    /// Always empty here; kept so every API error has one shape.
    pub suggestions: Vec<SuggestionDto>,
    /// A save from a stale base (409).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictDto>,
    /// Entities published since the change request's edits of them were
    /// made (409 on publish).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<Vec<EntityKeyDto>>,
    /// Why a change request cannot be published (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<DiagnosticDto>>,
}

/// The workspace API's 4xx answers: [`ErrorBody`] with what a client needs
/// to resolve a conflict or an invalid change request.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceErrorBody {
    pub error: WorkspaceErrorDetail,
}
