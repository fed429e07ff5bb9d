//! KPI ownership at a glance: the published roles (columns, by family and
//! then level) against the KPIs they own (rows, by category), each cell
//! the role's target and whether it is accountable for the number or
//! contributes to it. Filtered by family and level; works without
//! JavaScript (the filters are a plain form).

use askama::Template;
use rolebook_core::model::{Accountability, Role};

use super::{Layout, Links, category_label, family_name, level_name, render};
use crate::cache::Cached;
use crate::error::AppError;
use crate::state::Snapshot;

/// One role's column.
#[derive(Debug)]
pub struct RoleColumn {
    pub id: String,
    pub title: String,
    pub level: String,
}

/// One cell: what the column's role holds of the row's KPI.
#[derive(Debug)]
pub enum Cell {
    None,
    Owned { accountable: bool, target: String },
}

/// One KPI's row.
#[derive(Debug)]
pub struct KpiRow {
    pub id: String,
    pub name: String,
    pub cells: Vec<Cell>,
    /// How many of the shown roles are accountable for it.
    pub accountable: usize,
}

/// The rows of one KPI category.
#[derive(Debug)]
pub struct CategoryRows {
    pub name: String,
    pub rows: Vec<KpiRow>,
}

/// A choice of a filter.
#[derive(Debug)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "ownership.html")]
struct OwnershipPage {
    layout: Layout,
    families: Vec<Choice>,
    levels: Vec<Choice>,
    columns: Vec<RoleColumn>,
    categories: Vec<CategoryRows>,
    /// KPIs shown that no shown role is accountable for.
    unowned: usize,
    kpi_count: usize,
}

/// The matrix for the roles of `family` and `level` (every one when
/// `None`); an unknown family or level is a 400 that lists the known ones.
pub(crate) fn ownership_page(
    snap: &Snapshot,
    links: Links,
    family: Option<&str>,
    level: Option<&str>,
) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    if let Some(family) = family
        && catalog.family(family).is_none()
    {
        let known: Vec<&str> = catalog.families().iter().map(|f| f.id.as_str()).collect();
        return Err(AppError::bad_request(format!(
            "no family `{family}`; known: {}",
            known.join(", ")
        )));
    }
    if let Some(level) = level
        && catalog.level(level).is_none()
    {
        let known: Vec<&str> = catalog.levels().iter().map(|l| l.id.as_str()).collect();
        return Err(AppError::bad_request(format!(
            "no level `{level}`; known: {}",
            known.join(", ")
        )));
    }
    let rank = |role: &Role| catalog.level(&role.level).map_or(0, |l| l.rank);
    let family_order = |role: &Role| {
        catalog
            .families()
            .iter()
            .position(|f| f.id == role.family)
            .unwrap_or(usize::MAX)
    };
    let mut roles: Vec<&Role> = snap
        .publication
        .roles(catalog)
        .into_iter()
        .filter(|r| family.is_none_or(|f| r.family.as_str() == f))
        .filter(|r| level.is_none_or(|l| r.level.as_str() == l))
        .collect();
    roles.sort_by_key(|r| (family_order(r), rank(r), r.title.to_string()));

    let mut kpis: Vec<&rolebook_core::model::Kpi> = snap
        .publication
        .kpis(catalog)
        .into_iter()
        .filter(|kpi| roles.iter().any(|r| r.kpis.iter().any(|k| k.kpi == kpi.id)))
        .collect();
    kpis.sort_by(|a, b| {
        a.category
            .to_lowercase()
            .cmp(&b.category.to_lowercase())
            .then(a.name.cmp(&b.name))
    });
    let mut categories: Vec<CategoryRows> = Vec::new();
    let mut unowned = 0;
    for kpi in &kpis {
        let cells: Vec<Cell> = roles
            .iter()
            .map(|role| match role.kpis.iter().find(|k| k.kpi == kpi.id) {
                Some(own) => Cell::Owned {
                    accountable: own.accountability == Accountability::Accountable,
                    target: own.target.clone(),
                },
                None => Cell::None,
            })
            .collect();
        let accountable = cells
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Cell::Owned {
                        accountable: true,
                        ..
                    }
                )
            })
            .count();
        if accountable == 0 {
            unowned += 1;
        }
        let row = KpiRow {
            id: kpi.id.to_string(),
            name: kpi.name.clone(),
            cells,
            accountable,
        };
        let name = category_label(&kpi.category);
        match categories.last_mut() {
            Some(group) if group.name == name => group.rows.push(row),
            _ => categories.push(CategoryRows {
                name,
                rows: vec![row],
            }),
        }
    }
    let columns = roles
        .iter()
        .map(|r| RoleColumn {
            id: r.id.to_string(),
            title: r.title.to_string(),
            level: level_name(catalog, &r.level),
        })
        .collect();
    let mut layout = Layout::new(
        snap,
        "KPI ownership",
        "Which role owns which KPI, with its target, and whether it is accountable for the number or contributes to it.",
        "kpis",
    )
    .with_links(links);
    if let Some(family) = family {
        layout.title = format!("KPI ownership: {}", family_name(catalog, family));
    }
    render(&OwnershipPage {
        layout,
        families: catalog
            .families()
            .iter()
            .map(|f| Choice {
                id: f.id.to_string(),
                name: f.name.clone(),
                selected: family == Some(f.id.as_str()),
            })
            .collect(),
        levels: {
            let mut levels: Vec<&rolebook_core::model::Level> = catalog.levels().iter().collect();
            levels.sort_by_key(|level| std::cmp::Reverse(level.rank));
            levels
                .into_iter()
                .map(|l| Choice {
                    id: l.id.to_string(),
                    name: l.name.clone(),
                    selected: level == Some(l.id.as_str()),
                })
                .collect()
        },
        columns,
        kpi_count: kpis.len(),
        categories,
        unowned,
    })
}
