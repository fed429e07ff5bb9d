//! The search page: ranked hits with highlighted passages, filter tabs,
//! and the "Match a job title" form's resolution.

use askama::Template;
use rolebook_core::Catalog;
use rolebook_search::search::mark_html;
use rolebook_search::{Candidate, MatchStatus, Resolution};

use super::{Layout, category_label, family_name, level_name, render};
use crate::cache::Cached;
use crate::error::AppError;
use crate::publication::Publication;
use crate::search::{HitKind, PAGE_LIMIT, hit_href};
use crate::state::Snapshot;

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
/// when the catalog no longer has it or `publication` leaves it out.
pub fn describe_hit(
    catalog: &Catalog,
    publication: &Publication,
    kind: HitKind,
    id: &str,
) -> Option<HitDescription> {
    let published = match kind {
        HitKind::Role => publication.has_role(id),
        HitKind::Skill => publication.has_skill(id),
        HitKind::Kpi => publication.has_kpi(id),
    };
    if !published {
        return None;
    }
    match kind {
        HitKind::Role => catalog.role(id).map(|r| HitDescription {
            title: r.title.to_string(),
            href: hit_href(kind, id),
            context: format!(
                "{} · {}",
                family_name(catalog, &r.family),
                level_name(catalog, &r.level)
            ),
            summary: r.summary.clone(),
        }),
        HitKind::Skill => catalog.skill(id).map(|s| HitDescription {
            title: s.name.clone(),
            href: hit_href(kind, id),
            context: format!("Skill · {}", s.category.label()),
            summary: s.description.clone(),
        }),
        HitKind::Kpi => catalog.kpi(id).map(|k| HitDescription {
            title: k.name.clone(),
            href: hit_href(kind, id),
            context: format!("KPI · {}", category_label(&k.category)),
            summary: k.definition.clone(),
        }),
    }
}

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
    /// The role the query names as a job title, when the resolver is sure.
    named: Option<NamedRole>,
}

/// "Role: SRE Director", and why the query names it.
#[derive(Debug)]
pub struct NamedRole {
    pub role: CandidateRow,
    pub status: &'static str,
    /// The query as the resolver read it.
    pub normalised: String,
    pub explanation: String,
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
    } = describe_hit(
        catalog,
        &Publication::everything(),
        HitKind::Role,
        &candidate.role_id,
    )
    .unwrap_or_else(|| HitDescription {
        title: candidate.title.clone(),
        href: String::new(),
        context: candidate.level.clone(),
        summary: String::new(),
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

/// The search page: full-text results for `q` (of `kinds`, all when
/// empty) with highlighted passages, and the "Match a job title" form's
/// answer for `title`; either may be empty.
pub fn search_page(
    snap: &Snapshot,
    q: &str,
    kinds: &[HitKind],
    title: &str,
) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    // The page filters on one kind at a time.
    let kind = kinds.first().copied();
    let mut page = SearchPage {
        layout: Layout::new(
            snap,
            if q.is_empty() {
                "Search".to_string()
            } else {
                format!("Search: {q}")
            },
            "Search roles, skills and KPIs, or match a job title to a catalog role.",
            "search",
        ),
        query: q.to_string(),
        kind: kind.map_or("", HitKind::label).to_string(),
        tabs: tabs(q, kind),
        results: Vec::new(),
        total: 0,
        corrections: Vec::new(),
        partial: false,
        title: title.to_string(),
        resolution: None,
        named: None,
    };
    page.layout.query = q.to_string();
    if !q.is_empty() {
        let (results, named) = snap.search().search_titles(q, PAGE_LIMIT, kinds)?;
        page.named = named.and_then(|resolution| {
            let role = resolution.role.as_ref()?;
            // Only a published role is worth leading with.
            snap.publication.has_role(&role.role_id).then(|| NamedRole {
                role: candidate_row(catalog, role),
                status: resolution.status.label(),
                normalised: resolution.explanation.normalised.clone(),
                explanation: resolution.explanation.summary(),
            })
        });
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
                } = describe_hit(catalog, &snap.publication, hit.kind, &hit.id)?;
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
        let resolution = snap.search().resolve(title)?;
        page.resolution = Some(resolution_view(catalog, &resolution));
    }
    render(&page)
}
