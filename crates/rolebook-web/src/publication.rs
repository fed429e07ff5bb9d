//! What pages publish: every role of the catalog, or a chosen few and the
//! skills and KPIs they use.
//!
//! A [`Publication`] lives in the [`Snapshot`](crate::state::Snapshot)
//! that pages are rendered from. View builders list only what it
//! publishes, and link a role, skill or KPI only when it has a page: a
//! reference to anything else (a career move, a "reports to", a node of
//! the career graph) is written as plain text. The views never ask why
//! something is not published, so the same rule serves `rolebook build
//! --roles` today and a server that shows its public a chosen few later.
//!
//! [`Downloads`] says which files the pages offer with them: what the
//! server answers, or what a static site writes.
//!
//! A [`Selection`] is how a person says what to publish: role names,
//! families and levels, resolved against a catalog into a publication or
//! an error that names what is unknown, with the closest names.

use std::collections::HashSet;

use rolebook_core::model::{Kpi, Role, Skill};
use rolebook_core::{Catalog, RoleFilter, UnknownFilterValue, UnknownRole};
use rolebook_export::RoleFormat;

/// What a snapshot's pages publish.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    /// `None`: everything in the catalog.
    chosen: Option<Chosen>,
}

#[derive(Debug, Clone)]
struct Chosen {
    roles: HashSet<String>,
    skills: HashSet<String>,
    kpis: HashSet<String>,
}

impl Publication {
    /// Every role, skill and KPI of the catalog.
    pub fn everything() -> Self {
        Publication::default()
    }

    /// The roles with these ids, the skills they require and the KPIs they
    /// own. Ids the catalog does not have are ignored (resolve names with
    /// a [`Selection`] first).
    pub fn of_roles<'a>(catalog: &Catalog, ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut chosen = Chosen {
            roles: HashSet::new(),
            skills: HashSet::new(),
            kpis: HashSet::new(),
        };
        for role in ids.into_iter().filter_map(|id| catalog.role(id)) {
            chosen.roles.insert(role.id.to_string());
            chosen
                .skills
                .extend(role.skills.iter().map(|s| s.skill.to_string()));
            chosen
                .kpis
                .extend(role.kpis.iter().map(|k| k.kpi.to_string()));
        }
        Publication {
            chosen: Some(chosen),
        }
    }

    /// Whether every role, skill and KPI is published.
    pub fn is_everything(&self) -> bool {
        self.chosen.is_none()
    }

    pub fn has_role(&self, id: &str) -> bool {
        self.chosen.as_ref().is_none_or(|c| c.roles.contains(id))
    }

    pub fn has_skill(&self, id: &str) -> bool {
        self.chosen.as_ref().is_none_or(|c| c.skills.contains(id))
    }

    pub fn has_kpi(&self, id: &str) -> bool {
        self.chosen.as_ref().is_none_or(|c| c.kpis.contains(id))
    }

    /// The site path of a role's page, when it has one.
    pub fn role_href(&self, id: &str) -> Option<String> {
        self.has_role(id).then(|| format!("/roles/{id}"))
    }

    /// The published roles, in catalog order.
    pub fn roles<'c>(&self, catalog: &'c Catalog) -> Vec<&'c Role> {
        catalog
            .roles()
            .iter()
            .map(|r| &**r)
            .filter(|r| self.has_role(&r.id))
            .collect()
    }

    /// The published skills, in catalog order.
    pub fn skills<'c>(&self, catalog: &'c Catalog) -> Vec<&'c Skill> {
        catalog
            .skills()
            .iter()
            .filter(|s| self.has_skill(&s.id))
            .collect()
    }

    /// The published KPIs, in catalog order.
    pub fn kpis<'c>(&self, catalog: &'c Catalog) -> Vec<&'c Kpi> {
        catalog
            .kpis()
            .iter()
            .filter(|k| self.has_kpi(&k.id))
            .collect()
    }
}

/// Which downloads a snapshot's pages link. The server offers [`All`]
/// for a whole catalog; a static site offers what `rolebook build` writes
/// (`--no-pdf`, `--no-downloads`), so that no page links a file that is
/// not there.
///
/// [`All`]: Downloads::All
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Downloads {
    /// No download bar, no catalog tables.
    #[default]
    None,
    /// Every format but PDF, and the catalog's tables.
    NoPdf,
    /// Every format this build makes, and the catalog's tables.
    All,
}

impl Downloads {
    /// Whether pages offer anything.
    pub fn any(self) -> bool {
        self != Downloads::None
    }

    /// The document formats offered, in the order pages list them: PDF
    /// only when this build typesets it (the `pdf` feature).
    pub fn formats(self) -> impl Iterator<Item = RoleFormat> {
        RoleFormat::ALL.into_iter().filter(move |f| match self {
            Downloads::None => false,
            Downloads::NoPdf => *f != RoleFormat::Pdf,
            Downloads::All => *f != RoleFormat::Pdf || rolebook_export::PDF_SUPPORTED,
        })
    }
}

/// Which roles to publish, as a person names them. A role is published
/// when it is named in `roles` (by id, title or alias), or when families
/// or levels are given and it is of one of the `families` (any, when none
/// is given) and one of the `levels` (likewise): family and level narrow
/// each other as in `rolebook list`, named roles are added to them.
/// Nothing given at all publishes everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub roles: Vec<String>,
    pub families: Vec<String>,
    pub levels: Vec<String>,
}

/// A [`Selection`] that names something the catalog does not have, or
/// that chooses no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// Every role name that matches no role, each with the closest roles.
    #[error("{}", unknown_roles(.0))]
    UnknownRoles(Vec<UnknownRole>),
    #[error(transparent)]
    UnknownFilter(#[from] UnknownFilterValue),
    #[error("no role is of {0}; `rolebook list` shows each role's family and level")]
    NoRole(String),
    #[error("the selection names no role, family or level")]
    Empty,
}

fn unknown_roles(unknown: &[UnknownRole]) -> String {
    match unknown {
        [one] => one.to_string(),
        many => {
            let mut out = format!("{} names match no role:", many.len());
            for error in many {
                out.push_str("\n  ");
                out.push_str(&error.to_string());
            }
            out
        }
    }
}

/// Non-empty, trimmed entries.
fn names(list: &[String]) -> Vec<&str> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Selection {
    /// Whether nothing was named: everything is published.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.families.is_empty() && self.levels.is_empty()
    }

    /// The publication this selection names in `catalog`; every unknown
    /// role name is reported at once, each with the closest roles.
    pub fn publication(&self, catalog: &Catalog) -> Result<Publication, SelectionError> {
        if self.is_empty() {
            return Ok(Publication::everything());
        }
        let (roles, families, levels) = (
            names(&self.roles),
            names(&self.families),
            names(&self.levels),
        );
        if roles.is_empty() && families.is_empty() && levels.is_empty() {
            return Err(SelectionError::Empty);
        }
        let mut chosen: Vec<&str> = Vec::new();
        let mut unknown = Vec::new();
        for name in roles {
            match catalog.lookup_role(name) {
                Ok(role) => chosen.push(role.id.as_str()),
                Err(error) => unknown.push(error),
            }
        }
        if !unknown.is_empty() {
            return Err(SelectionError::UnknownRoles(unknown));
        }
        if !families.is_empty() || !levels.is_empty() {
            let (families, levels) = (any_if_none(&families), any_if_none(&levels));
            let mut matched = 0;
            for family in &families {
                for level in &levels {
                    let filter = RoleFilter {
                        family: family.map(str::to_string),
                        level: level.map(str::to_string),
                    };
                    let found = catalog.filter_roles(&filter)?;
                    matched += found.len();
                    chosen.extend(found.into_iter().map(|r| r.id.as_str()));
                }
            }
            if matched == 0 {
                return Err(SelectionError::NoRole(describe(&families, &levels)));
            }
        }
        Ok(Publication::of_roles(catalog, chosen))
    }
}

/// The values given, or one "any" (`None`) when none is.
fn any_if_none<'a>(values: &[&'a str]) -> Vec<Option<&'a str>> {
    if values.is_empty() {
        vec![None]
    } else {
        values.iter().copied().map(Some).collect()
    }
}

/// "family `a` or `b` at level `x`", for a filter that matched nothing.
fn describe(families: &[Option<&str>], levels: &[Option<&str>]) -> String {
    let list = |values: &[Option<&str>]| {
        values
            .iter()
            .flatten()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match (list(families), list(levels)) {
        (f, l) if l.is_empty() => format!("family {f}"),
        (f, l) if f.is_empty() => format!("level {l}"),
        (f, l) => format!("family {f} at level {l}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin_catalog as catalog;

    fn selection(roles: &[&str], families: &[&str], levels: &[&str]) -> Selection {
        let owned = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect();
        Selection {
            roles: owned(roles),
            families: owned(families),
            levels: owned(levels),
        }
    }

    fn ids(catalog: &Catalog, publication: &Publication) -> Vec<String> {
        publication
            .roles(catalog)
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    }

    #[test]
    fn named_roles_bring_their_skills_and_kpis_only() {
        let catalog = catalog();
        let publication = selection(&["sre-manager", "Head of IT"], &[], &[])
            .publication(&catalog)
            .expect("known roles");
        assert_eq!(ids(&catalog, &publication), ["head-of-it", "sre-manager"]);
        assert!(!publication.is_everything());
        assert!(!publication.has_role("sre-director"));
        assert_eq!(
            publication.role_href("sre-manager").as_deref(),
            Some("/roles/sre-manager")
        );
        assert_eq!(publication.role_href("sre-director"), None);
        let mut skills = Vec::new();
        let mut kpis = Vec::new();
        for id in ["sre-manager", "head-of-it"] {
            let role = catalog.role(id).expect("role");
            skills.extend(role.skills.iter().map(|s| s.skill.to_string()));
            kpis.extend(role.kpis.iter().map(|k| k.kpi.to_string()));
        }
        skills.sort();
        skills.dedup();
        kpis.sort();
        kpis.dedup();
        let published_skills: Vec<String> = publication
            .skills(&catalog)
            .iter()
            .map(|s| s.id.to_string())
            .collect();
        let published_kpis: Vec<String> = publication
            .kpis(&catalog)
            .iter()
            .map(|k| k.id.to_string())
            .collect();
        assert_eq!(published_skills, skills);
        assert_eq!(published_kpis, kpis);
        assert!(published_skills.len() < catalog.skills().len());
        assert!(published_kpis.len() < catalog.kpis().len());
    }

    #[test]
    fn families_and_levels_narrow_each_other_and_named_roles_add_to_them() {
        let catalog = catalog();
        let sre = catalog.role("sre-manager").expect("role");
        let (family, level) = (sre.family.to_string(), sre.level.to_string());
        let of = |f: &dyn Fn(&Role) -> bool| {
            catalog
                .roles()
                .iter()
                .filter(|r| f(r))
                .map(|r| r.id.to_string())
                .collect::<Vec<_>>()
        };
        let by_family = selection(&[], &[&family], &[])
            .publication(&catalog)
            .expect("family");
        assert_eq!(
            ids(&catalog, &by_family),
            of(&|r| r.family.as_str() == family)
        );
        let both = selection(&[], &[&family], &[&level])
            .publication(&catalog)
            .expect("family and level");
        assert_eq!(
            ids(&catalog, &both),
            of(&|r| r.family.as_str() == family && r.level.as_str() == level)
        );
        let plus = selection(&["cto"], &[&family], &[&level])
            .publication(&catalog)
            .expect("plus a role");
        assert_eq!(ids(&catalog, &plus).len(), ids(&catalog, &both).len() + 1);
        assert!(plus.has_role("chief-technology-officer"));
        // Blanks around names are dropped.
        assert!(
            selection(&[" sre-manager ", ""], &[], &[])
                .publication(&catalog)
                .is_ok()
        );
        assert!(
            Selection::default()
                .publication(&catalog)
                .expect("everything")
                .is_everything()
        );
    }

    #[test]
    fn unknown_names_are_all_reported_with_the_closest_roles() {
        let catalog = catalog();
        let error = selection(&["sre-manger", "sre-director", "payroll-clerk"], &[], &[])
            .publication(&catalog)
            .expect_err("unknown");
        let SelectionError::UnknownRoles(unknown) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown[0].suggestions[0].id, "sre-manager");
        let message = error.to_string();
        assert!(
            message.starts_with("2 names match no role:\n  "),
            "{message}"
        );
        assert!(
            message.contains("did you mean SRE Manager (sre-manager)?"),
            "{message}"
        );
        let one = selection(&["sre-manger"], &[], &[])
            .publication(&catalog)
            .expect_err("unknown");
        assert!(
            one.to_string()
                .starts_with("no role matches `sre-manger`; did you mean"),
            "{one}"
        );

        let family = selection(&[], &["enginering"], &[])
            .publication(&catalog)
            .expect_err("unknown family");
        assert!(
            family
                .to_string()
                .starts_with("unknown family `enginering`; known: "),
            "{family}"
        );
        assert!(matches!(
            selection(&[""], &[" "], &[]).publication(&catalog),
            Err(SelectionError::Empty)
        ));

        // A family and a level that no role has together.
        let (family, level) = catalog
            .families()
            .iter()
            .flat_map(|f| catalog.levels().iter().map(move |l| (f, l)))
            .find(|(f, l)| {
                !catalog.roles().iter().any(|r| {
                    r.family.as_str() == f.id.as_str() && r.level.as_str() == l.id.as_str()
                })
            })
            .expect("an empty cell of the grid");
        let none = selection(&[], &[family.id.as_str()], &[level.id.as_str()])
            .publication(&catalog)
            .expect_err("no role");
        assert_eq!(
            none.to_string(),
            format!(
                "no role is of family `{}` at level `{}`; `rolebook list` shows each role's family and level",
                family.id.as_str(),
                level.id.as_str()
            )
        );
    }
}
