//! `/api/v1/search` and `/api/v1/resolve`: full-text search and job-title
//! resolution over the snapshot's search engine.

use axum::response::Response;

use super::{check_params, dto, json};
use crate::error::AppError;
use crate::query;
use crate::search;
use rolebook_wire as wire;

/// Most hits one API search returns.
const MAX_HITS: usize = 50;
use crate::request::RequestContext;

/// Full-text search over roles, skills and KPIs.
///
/// Words match in any field (title, aliases, id, summary, body; ranked by
/// BM25 with boosts in that order); small typos are corrected, the last
/// word is completed as a prefix and "quoted words" are a phrase. Each hit
/// comes with its best passage, matches marked by byte ranges.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = String, Query, example = "incident reliability", description = "Search text: at most 200 characters and 16 words"),
           ("limit" = Option<u8>, Query, minimum = 1, maximum = 50, description = "Most hits to return (default 20)"),
           ("kind" = Option<Vec<String>>, Query, explode = true, style = Form, example = json!(["role"]),
            description = "Only these kinds: `role`, `skill`, `kpi`; repeated or comma-separated (default all)")),
    responses((status = 200, description = "Hits, best first", body = dto::SearchResults),
              (status = 400, description = "Missing, empty or too long query, bad limit or kind", body = dto::ErrorBody)))]
pub async fn search(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    check_params(raw, &["q", "limit", "kind"])?;
    let query = query::value(raw, "q")
        .ok_or_else(|| AppError::bad_request("give the search text as `?q=TEXT`"))?;
    let limit = query::number(raw, "limit", 1..=MAX_HITS)?.unwrap_or(20);
    let kinds = search::parse_kinds(raw)?;
    let results = snap.search().search(&query, limit, &kinds)?;
    let hits = results
        .hits
        .iter()
        .map(|hit| dto::SearchHit::of(hit, search::hit_href(hit.kind, &hit.id)))
        .collect();
    let body = json(&dto::SearchResults {
        query: results.query,
        total: results.total,
        partial: results.partial,
        corrections: results
            .corrections
            .into_iter()
            .map(|c| dto::CorrectionDto {
                word: c.word,
                read_as: c.read_as,
            })
            .collect(),
        hits,
    })?;
    Ok(request.respond(&body))
}

/// The catalog role a job title names.
///
/// Titles are read as people write them ("Sr. Dir., Site Reliability",
/// "CDO", "SRE Manager, Payments"): abbreviations and acronyms expanded,
/// typos corrected, team and employer qualifiers set aside, then topic and
/// level compared with every catalog title and alias. The confidence is
/// calibrated; two roles that fit equally well are both returned as
/// `ambiguous`, never one picked.
#[utoipa::path(get, path = "/api/v1/resolve", tag = "search",
    params(("title" = String, Query, example = "SRE Manager, Payments", description = "A job title, at most 300 characters")),
    responses((status = 200, description = "The resolution, with candidates and explanation", body = wire::Resolution),
              (status = 400, description = "Missing, empty or too long title, or unknown parameter", body = dto::ErrorBody)))]
pub async fn resolve(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    check_params(raw, &["title"])?;
    let title = query::value(raw, "title")
        .ok_or_else(|| AppError::bad_request("give the job title as `?title=TITLE`"))?;
    let resolution = snap.search().resolve(&title)?;
    request.fresh(json(&wire::Resolution::from(&resolution)))
}
