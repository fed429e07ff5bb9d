//! Search and title resolution behind the search page, `/api/v1/search`
//! and `/api/v1/resolve`.
//!
//! A [`SearchService`] wraps the `rolebook-search` [`Engine`] (a tantivy
//! index of every role, skill and KPI, and the title resolver), built once
//! per catalog snapshot. Handlers ask it for results and get an
//! [`AppError`] they can answer with: a bad query is the client's 400, an
//! index failure a 500 whose detail is only logged.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rolebook_core::Catalog;
use rolebook_search::search::{MAX_LIMIT, mark_html};
use rolebook_search::{Candidate, Engine, MatchStatus, Resolution, SearchQuery, SearchResults};

use crate::error::AppError;
use crate::pages::{
    Layout, category_label, error_page, family_name, fresh_page, level_name, render,
};
use crate::state::AppState;

/// What a hit points at: a role, a skill or a KPI.
pub use rolebook_search::Kind as HitKind;

/// How a hit is shown: its title, page, one-line context and summary.
#[derive(Debug, Clone)]
pub struct HitDescription {
    pub title: String,
    pub href: String,
    /// Family and level of a role, category of a skill or KPI.
    pub context: String,
    pub summary: String,
}

/// The description of the role, skill or KPI a hit points at; `None`
/// when the catalog no longer has it.
pub fn describe_hit(catalog: &Catalog, kind: HitKind, id: &str) -> Option<HitDescription> {
    match kind {
        HitKind::Role => catalog.role(id).map(|r| HitDescription {
            title: r.title.to_string(),
            href: format!("/roles/{id}"),
            context: format!(
                "{} · {}",
                family_name(catalog, &r.family),
                level_name(catalog, &r.level)
            ),
            summary: r.summary.clone(),
        }),
        HitKind::Skill => catalog.skill(id).map(|s| HitDescription {
            title: s.name.clone(),
            href: format!("/skills/{id}"),
            context: format!("Skill · {}", s.category.label()),
            summary: s.description.clone(),
        }),
        HitKind::Kpi => catalog.kpi(id).map(|k| HitDescription {
            title: k.name.clone(),
            href: format!("/kpis/{id}"),
            context: format!("KPI · {}", category_label(&k.category)),
            summary: k.definition.clone(),
        }),
    }
}

/// Most results the search page lists.
pub const PAGE_LIMIT: usize = 50;

/// The search engine of one catalog snapshot.
#[derive(Debug)]
pub struct SearchService {
    /// The error is kept (and logged once) rather than failing the load:
    /// every other page still works, and search answers 500.
    engine: Result<Engine, String>,
}

impl SearchService {
    pub fn build(catalog: &Catalog) -> Self {
        let engine = Engine::new(catalog).map_err(|e| {
            tracing::error!(error = %e, "the search index could not be built");
            e.to_string()
        });
        SearchService { engine }
    }

    fn engine(&self) -> Result<&Engine, AppError> {
        self.engine
            .as_ref()
            .map_err(|e| AppError::Internal(format!("search index: {e}")))
    }

    /// Up to `limit` hits (at most [`MAX_LIMIT`]) for `text`, of the given
    /// kinds (all when empty), best first.
    pub fn search(
        &self,
        text: &str,
        limit: usize,
        kinds: &[HitKind],
    ) -> Result<SearchResults, AppError> {
        let query = SearchQuery::new(text)
            .limit(limit.min(MAX_LIMIT))
            .kinds(kinds.iter().copied());
        self.engine()?.search(&query).map_err(|e| {
            if e.is_client_error() {
                AppError::bad_request(e.to_string())
            } else {
                AppError::Internal(e.to_string())
            }
        })
    }

    /// The catalog role a job title names, with confidence and
    /// explanation; 400 for an empty or overlong title.
    pub fn resolve(&self, title: &str) -> Result<Resolution, AppError> {
        self.engine()?
            .resolve(title)
            .map_err(|e| AppError::bad_request(e.to_string()))
    }
}

/// The kinds named by `kind` parameters (`kind=role&kind=kpi` or
/// `kind=role,kpi`); 400 for a name that is not a kind.
pub fn parse_kinds(raw: Option<&str>) -> Result<Vec<HitKind>, AppError> {
    let mut kinds = Vec::new();
    for name in crate::query::list(raw, "kind") {
        let kind = HitKind::parse(&name).ok_or_else(|| {
            AppError::bad_request(format!("unknown kind `{name}`; use role, skill or kpi"))
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

// ------------------------------------------------------------------ the page

/// One result on the search page.
#[derive(Debug)]
pub struct ResultRow {
    pub kind: &'static str,
    pub href: String,
    /// Escaped, matches in `<mark>`.
    pub title_html: String,
    pub meta: String,
    /// Escaped, matches in `<mark>`: the best passage, or the summary.
    pub snippet_html: String,
    /// Which part of the document the passage comes from.
    pub field: String,
}

/// A filter link above the results.
#[derive(Debug)]
pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// A role the title resolver considered.
#[derive(Debug)]
pub struct CandidateRow {
    pub href: String,
    pub title: String,
    pub meta: String,
    pub confidence: String,
    pub matched_name: String,
}

/// A resolved job title, for people.
#[derive(Debug)]
pub struct ResolutionView {
    pub status: &'static str,
    /// One sentence on what the status means.
    pub verdict: String,
    pub role: Option<CandidateRow>,
    pub confidence: String,
    /// Every tied role (ambiguous), or the best guesses (no match).
    pub candidates: Vec<CandidateRow>,
    pub runner_up: Option<CandidateRow>,
    pub explanation: String,
    pub normalised: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    kind: String,
    tabs: Vec<Tab>,
    results: Vec<ResultRow>,
    total: usize,
    corrections: Vec<String>,
    partial: bool,
    title: String,
    resolution: Option<ResolutionView>,
}

fn percent(confidence: f32) -> String {
    format!("{:.0}%", f64::from(confidence) * 100.0)
}

fn candidate_row(catalog: &Catalog, candidate: &Candidate) -> CandidateRow {
    let HitDescription {
        title,
        href,
        context: meta,
        ..
    } = describe_hit(catalog, HitKind::Role, &candidate.role_id).unwrap_or_else(|| {
        HitDescription {
            title: candidate.title.clone(),
            href: String::new(),
            context: candidate.level.clone(),
            summary: String::new(),
        }
    });
    CandidateRow {
        href,
        title,
        meta,
        confidence: percent(candidate.confidence),
        matched_name: candidate.matched_name.clone(),
    }
}

/// A resolution as the page shows it.
pub fn resolution_view(catalog: &Catalog, resolution: &Resolution) -> ResolutionView {
    let verdict = match resolution.status {
        MatchStatus::Exact => "The title is a catalog title or alias.".to_string(),
        MatchStatus::Match => "A confident match on topic and level.".to_string(),
        MatchStatus::Nearby => {
            "The right field at a different level: the nearest catalog role.".to_string()
        }
        MatchStatus::Ambiguous => format!(
            "{} roles fit equally well; nothing in the title says which.",
            resolution.candidates.len()
        ),
        MatchStatus::None => {
            "No catalog role is more likely right than wrong for this title.".to_string()
        }
    };
    let role = resolution.role.as_ref().map(|c| candidate_row(catalog, c));
    // With an answer the candidates repeat it and the runner-up; list
    // them only when there is no single answer.
    let candidates = if role.is_some() {
        Vec::new()
    } else {
        resolution
            .candidates
            .iter()
            .map(|c| candidate_row(catalog, c))
            .collect()
    };
    ResolutionView {
        status: resolution.status.label(),
        verdict,
        role,
        confidence: percent(resolution.confidence),
        candidates,
        runner_up: resolution
            .runner_up
            .as_ref()
            .map(|c| candidate_row(catalog, c)),
        explanation: resolution.explanation.summary(),
        normalised: resolution.explanation.normalised.clone(),
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn tabs(query: &str, current: Option<HitKind>) -> Vec<Tab> {
    [
        ("All", None),
        ("Roles", Some(HitKind::Role)),
        ("Skills", Some(HitKind::Skill)),
        ("KPIs", Some(HitKind::Kpi)),
    ]
    .into_iter()
    .map(|(label, kind)| Tab {
        label,
        href: match kind {
            None => format!("/search?q={}", encode(query)),
            Some(kind) => format!("/search?q={}&kind={}", encode(query), kind.label()),
        },
        current: kind == current,
    })
    .collect()
}

/// `GET /search?q=…[&kind=…][&title=…]`: full-text results with
/// highlighted passages, and the "Match a job title" form's answer.
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let raw = raw.as_deref();
    let catalog = &snap.catalog;
    let q = crate::query::value(raw, "q").unwrap_or_default();
    let title = crate::query::value(raw, "title").unwrap_or_default();
    let kinds = match parse_kinds(raw) {
        Ok(kinds) => kinds,
        Err(error) => return error_page(&snap, error),
    };
    // The page filters on one kind at a time.
    let kind = kinds.first().copied();
    let mut page = SearchPage {
        layout: Layout::new(
            &snap,
            if q.is_empty() {
                "Search".to_string()
            } else {
                format!("Search: {q}")
            },
            "Search roles, skills and KPIs, or match a job title to a catalog role.",
            "search",
        ),
        query: q.clone(),
        kind: kind.map_or("", HitKind::label).to_string(),
        tabs: tabs(&q, kind),
        results: Vec::new(),
        total: 0,
        corrections: Vec::new(),
        partial: false,
        title: title.clone(),
        resolution: None,
    };
    page.layout.query = q.clone();
    if !q.is_empty() {
        let results = match snap.search().search(&q, PAGE_LIMIT, &kinds) {
            Ok(results) => results,
            Err(error) => return error_page(&snap, error),
        };
        page.total = results.total;
        page.partial = results.partial;
        page.corrections = results
            .corrections
            .iter()
            .map(|c| format!("“{}” as “{}”", c.word, c.read_as.join("”, “")))
            .collect();
        page.results = results
            .hits
            .iter()
            .filter_map(|hit| {
                let HitDescription {
                    href,
                    context: meta,
                    summary,
                    ..
                } = describe_hit(catalog, hit.kind, &hit.id)?;
                let (snippet_html, field) = match &hit.snippet {
                    Some(snippet) => (snippet.to_html(), snippet.field.clone()),
                    None => (
                        rolebook_core::escape::xml(&summary).into_owned(),
                        String::new(),
                    ),
                };
                Some(ResultRow {
                    kind: hit.kind.label(),
                    href,
                    title_html: mark_html(&hit.title, &hit.title_highlights),
                    meta,
                    snippet_html,
                    field,
                })
            })
            .collect();
    }
    if !title.is_empty() {
        match snap.search().resolve(&title) {
            Ok(resolution) => page.resolution = Some(resolution_view(catalog, &resolution)),
            Err(error) => return error_page(&snap, error),
        }
    }
    fresh_page(&snap, &headers, render(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        rolebook_core::load(rolebook_core::builtin::sources())
            .catalog
            .expect("built-in catalog is valid")
    }

    #[test]
    fn searches_with_the_engine_and_maps_errors_to_statuses() {
        let catalog = catalog();
        let index = SearchService::build(&catalog);
        let results = index.search("cto", 10, &[]).expect("results");
        assert_eq!(results.hits[0].id, "chief-technology-officer");
        assert_eq!(results.hits[0].kind, HitKind::Role);
        let skills = index
            .search("incident", 50, &[HitKind::Skill])
            .expect("results");
        assert!(!skills.hits.is_empty());
        assert!(skills.hits.iter().all(|h| h.kind == HitKind::Skill));
        // A typo is corrected, and the correction reported.
        let fixed = index.search("reliabilty", 5, &[]).expect("results");
        assert!(!fixed.hits.is_empty());
        assert_eq!(fixed.corrections[0].word, "reliabilty");
        assert!(matches!(
            index.search("   ", 10, &[]),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            index.search(&"x".repeat(300), 10, &[]),
            Err(AppError::BadRequest(m)) if m.contains("the limit is 200")
        ));
    }

    #[test]
    fn resolves_titles_and_refuses_empty_ones() {
        let catalog = catalog();
        let index = SearchService::build(&catalog);
        let sre = index.resolve("SRE Manager, Payments").expect("resolved");
        assert_eq!(
            sre.role.as_ref().map(|r| r.role_id.as_str()),
            Some("sre-manager")
        );
        let view = resolution_view(&catalog, &sre);
        assert_eq!(
            view.role.as_ref().map(|r| r.href.as_str()),
            Some("/roles/sre-manager")
        );
        let cdo = index.resolve("CDO").expect("resolved");
        assert_eq!(cdo.status, MatchStatus::Ambiguous);
        assert_eq!(resolution_view(&catalog, &cdo).candidates.len(), 2);
        assert!(matches!(index.resolve(" "), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn kinds_parse_from_repeated_or_comma_separated_values() {
        assert_eq!(
            parse_kinds(Some("kind=role,kpis&kind=role")).expect("kinds"),
            [HitKind::Role, HitKind::Kpi]
        );
        assert!(parse_kinds(None).expect("none").is_empty());
        assert!(matches!(
            parse_kinds(Some("kind=people")),
            Err(AppError::BadRequest(m)) if m.contains("`people`")
        ));
    }
}
