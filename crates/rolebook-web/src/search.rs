//! Search and title resolution behind the search page
//! ([`crate::views::search`]), `/api/v1/search` and `/api/v1/resolve`.
//! What a hit looks like on a page is the views' business; this module
//! knows only where it points ([`hit_href`]).
//!
//! A [`SearchService`] wraps the `rolebook-search` [`Engine`] (a tantivy
//! index of every role, skill and KPI, and the title resolver), built once
//! per catalog snapshot. Handlers ask it for results and get an
//! [`AppError`] they can answer with: a bad query is the client's 400, an
//! index failure a 500 whose detail is only logged.

use rolebook_core::Catalog;
use rolebook_search::search::MAX_LIMIT;
use rolebook_search::{Engine, MatchStatus, Resolution, SearchQuery, SearchResults};

use crate::error::AppError;

/// What a hit points at: a role, a skill or a KPI.
pub use rolebook_search::Kind as HitKind;

/// The page of the role, skill or KPI a hit points at.
pub fn hit_href(kind: HitKind, id: &str) -> String {
    match kind {
        HitKind::Role => format!("/roles/{id}"),
        HitKind::Skill => format!("/skills/{id}"),
        HitKind::Kpi => format!("/kpis/{id}"),
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
        self.search_titles(text, limit, kinds)
            .map(|(results, _)| results)
    }

    /// [`SearchService::search`], and the resolver's answer when `text`
    /// reads as a job title it is sure of (see [`named_role_first`]): the
    /// search page leads with that role and says why.
    pub fn search_titles(
        &self,
        text: &str,
        limit: usize,
        kinds: &[HitKind],
    ) -> Result<(SearchResults, Option<Resolution>), AppError> {
        let query = SearchQuery::new(text)
            .limit(limit.min(MAX_LIMIT))
            .kinds(kinds.iter().copied());
        let engine = self.engine()?;
        let mut results = engine.search(&query).map_err(|e| {
            if e.is_client_error() {
                AppError::bad_request(e.to_string())
            } else {
                AppError::Internal(e.to_string())
            }
        })?;
        let named = if kinds.is_empty() || kinds.contains(&HitKind::Role) {
            let named = named_role_first(engine, text, &mut results);
            results.hits.truncate(limit.min(MAX_LIMIT));
            named
        } else {
            None
        };
        Ok((results, named))
    }

    /// The catalog role a job title names, with confidence and
    /// explanation; 400 for an empty or overlong title.
    pub fn resolve(&self, title: &str) -> Result<Resolution, AppError> {
        self.engine()?
            .resolve(title)
            .map_err(|e| AppError::bad_request(e.to_string()))
    }
}

/// How sure the resolver must be of a nearby role to put it first.
const CONFIDENT: f32 = 0.9;

/// A query that is a job title ("Sr. Dir., Site Reliability"): the role
/// the title resolver names (an exact title, alias or id, a match on topic
/// and level, or the nearest level when it is sure of it) goes first among
/// the hits, when they have it,
/// as `rolebook resolve` would answer. Words that merely occur in many
/// roles' text do not outrank the role the title names. Returns the
/// resolution when it names a role.
fn named_role_first(
    engine: &Engine,
    text: &str,
    results: &mut SearchResults,
) -> Option<Resolution> {
    let resolution = engine.resolve(text).ok()?;
    let named = match resolution.status {
        MatchStatus::Exact | MatchStatus::Match => true,
        // The nearest role at another level, when the resolver is sure of
        // it ("Sr. Dir." → the SRE Director).
        MatchStatus::Nearby => resolution.confidence >= CONFIDENT,
        MatchStatus::Ambiguous | MatchStatus::None => false,
    };
    if !named {
        return None;
    }
    let role = resolution.role.as_ref()?;
    match results
        .hits
        .iter()
        .position(|hit| hit.kind == HitKind::Role && hit.id == role.role_id)
    {
        Some(at) => {
            let hit = results.hits.remove(at);
            results.hits.insert(0, hit);
        }
        // The title names a role whose text shares no word with it
        // ("Engg Mgr"): it leads all the same, without a passage.
        None => {
            results.hits.insert(
                0,
                rolebook_search::SearchHit {
                    kind: HitKind::Role,
                    id: role.role_id.clone(),
                    title: role.title.clone(),
                    context: format!("{} · {}", role.family, role.level),
                    score: results.hits.first().map_or(0.0, |h| h.score),
                    title_highlights: Vec::new(),
                    snippet: None,
                },
            );
            results.total += 1;
        }
    }
    Some(resolution)
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

#[cfg(test)]
mod tests {
    use crate::builtin_catalog as catalog;
    use rolebook_search::MatchStatus;

    use super::*;
    use crate::views::search::resolution_view;

    /// The search box knows job titles: every title of the resolver's own
    /// evaluation set that names one role, and that the resolver answers
    /// with that role confidently, puts the role first among the hits and
    /// names it for the page. Most of the set's single-role titles do.
    #[test]
    fn evaluation_titles_put_the_role_they_name_first() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/titles/eval.csv");
        let rows = rolebook_search::resolve::eval::read_rows(
            std::fs::File::open(&path).expect("eval.csv exists"),
        )
        .expect("eval.csv parses");
        let catalog = catalog();
        let index = SearchService::build(&catalog);
        let single: Vec<_> = rows
            .iter()
            .filter(|r| r.expected != "NONE" && !r.expected.contains('|'))
            .collect();
        let mut named_right = 0;
        let mut misplaced = Vec::new();
        for row in &single {
            let (results, named) = index
                .search_titles(&row.title, PAGE_LIMIT, &[])
                .expect("searches");
            let Some(role) = named.as_ref().and_then(|n| n.role.as_ref()) else {
                continue;
            };
            if role.role_id != row.expected {
                continue;
            }
            named_right += 1;
            match results.hits.first() {
                Some(hit) if hit.kind == HitKind::Role && hit.id == row.expected => {}
                first => misplaced.push(format!(
                    "{}: first hit {:?}",
                    row.title,
                    first.map(|h| h.id.as_str())
                )),
            }
        }
        assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
        assert!(
            named_right * 10 >= single.len() * 8,
            "{named_right} of {} single-role titles named",
            single.len()
        );
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
