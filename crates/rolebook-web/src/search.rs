//! Search behind the search page and `/api/v1/search`.
//!
//! A [`SearchIndex`] is built once per catalog snapshot and queried by
//! both. This one is a plain match on role titles, aliases and ids
//! (exact match first, then substring, then the core's did-you-mean), plus
//! skill and KPI names. When the full-text engine (crate `rolebook-search`)
//! lands, [`SearchIndex`] wraps it instead: `build` and `query` keep their
//! signatures, so no handler changes.

use rolebook_core::Catalog;
use rolebook_core::catalog::normalise_name;

/// What a hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Role,
    Skill,
    Kpi,
}

impl HitKind {
    pub fn label(self) -> &'static str {
        match self {
            HitKind::Role => "role",
            HitKind::Skill => "skill",
            HitKind::Kpi => "kpi",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    /// Higher is better; only comparable within one query.
    pub score: f64,
    /// Why it matched, for people ("alias “CTO”").
    pub matched: String,
}

/// The search structure for one catalog snapshot.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// (normalised text, kind, id, what it is) for every searchable name.
    names: Vec<(String, HitKind, String, String)>,
}

impl SearchIndex {
    pub fn build(catalog: &Catalog) -> Self {
        let mut names = Vec::new();
        for role in catalog.roles() {
            let id = role.id.to_string();
            names.push((
                normalise_name(&role.title),
                HitKind::Role,
                id.clone(),
                "title".to_string(),
            ));
            names.push((
                normalise_name(&role.id),
                HitKind::Role,
                id.clone(),
                "id".to_string(),
            ));
            for alias in &role.aliases {
                names.push((
                    normalise_name(alias),
                    HitKind::Role,
                    id.clone(),
                    format!("alias “{}”", alias.as_str()),
                ));
            }
        }
        for skill in catalog.skills() {
            names.push((
                normalise_name(&skill.name),
                HitKind::Skill,
                skill.id.to_string(),
                "skill name".to_string(),
            ));
        }
        for kpi in catalog.kpis() {
            names.push((
                normalise_name(&kpi.name),
                HitKind::Kpi,
                kpi.id.to_string(),
                "KPI name".to_string(),
            ));
        }
        SearchIndex { names }
    }

    /// Up to `limit` hits for `query`, best first. Roles found only by
    /// did-you-mean come last with a lower score.
    pub fn query(&self, catalog: &Catalog, query: &str, limit: usize) -> Vec<Hit> {
        let needle = normalise_name(query);
        if needle.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = Vec::new();
        fn push(hits: &mut Vec<Hit>, kind: HitKind, id: &str, score: f64, matched: &str) {
            match hits.iter_mut().find(|h| h.kind == kind && h.id == id) {
                Some(hit) if hit.score >= score => {}
                Some(hit) => {
                    hit.score = score;
                    hit.matched = matched.to_string();
                }
                None => hits.push(Hit {
                    kind,
                    id: id.to_string(),
                    score,
                    matched: matched.to_string(),
                }),
            }
        }
        for (name, kind, id, what) in &self.names {
            let score = if *name == needle {
                1.0
            } else if name.starts_with(&needle) {
                0.9
            } else if name.split(' ').any(|word| word.starts_with(&needle)) {
                0.8
            } else if name.contains(&needle) {
                0.7
            } else {
                continue;
            };
            // Roles rank above skills and KPIs at the same strength.
            let bonus = if *kind == HitKind::Role { 0.05 } else { 0.0 };
            push(&mut hits, *kind, id, score + bonus, what);
        }
        if !hits.iter().any(|h| h.kind == HitKind::Role) {
            // Keep the did-you-mean order: closest first.
            for (i, role) in catalog.suggest_roles(query).into_iter().enumerate() {
                let score = 0.5 - 0.01 * i as f64;
                push(&mut hits, HitKind::Role, &role.id, score, "similar title");
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.kind.label().cmp(b.kind.label()))
                .then_with(|| a.id.cmp(&b.id))
        });
        hits.truncate(limit);
        hits
    }
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
    fn finds_roles_by_alias_and_substring_and_ranks_exact_first() {
        let catalog = catalog();
        let index = SearchIndex::build(&catalog);
        let hits = index.query(&catalog, "cto", 10);
        assert_eq!(hits[0].id, "chief-technology-officer");
        assert_eq!(hits[0].kind, HitKind::Role);
        let hits = index.query(&catalog, "security", 50);
        assert!(hits.iter().any(|h| h.kind == HitKind::Role));
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(index.query(&catalog, "   ", 10).is_empty());
        assert!(index.query(&catalog, "zzzzqqq", 10).is_empty());
        // A typo falls back to did-you-mean.
        let hits = index.query(&catalog, "sre manger", 10);
        assert_eq!(hits.first().map(|h| h.id.as_str()), Some("sre-manager"));
    }
}
