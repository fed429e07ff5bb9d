//! What changes between two roles, any two: skills, KPIs, level and scope,
//! and decision rights.

use std::collections::HashSet;

use rolebook_core::model::{Importance, Role};
use serde::Serialize;

use crate::gap::{Career, Gap, RoleInfo};

#[derive(Debug, Clone, Serialize)]
pub struct RoleDiff {
    pub from: RoleInfo,
    pub to: RoleInfo,
    pub level: LevelChange,
    /// Set when the roles are in different job families.
    pub family: Option<Change>,
    pub skills_gained: Vec<SkillEntry>,
    pub skills_lost: Vec<SkillEntry>,
    /// Skills both roles require at a different level or importance.
    pub skills_changed: Vec<SkillChange>,
    /// How many skills both roles require identically.
    pub skills_unchanged: usize,
    pub kpis_gained: Vec<KpiEntry>,
    pub kpis_lost: Vec<KpiEntry>,
    /// KPIs both roles own, with different targets.
    pub kpi_targets_changed: Vec<KpiTargetChange>,
    /// Scope fields whose text differs.
    pub scope: Vec<FieldChange>,
    pub decisions: DecisionsDiff,
    /// The skill gap of moving from `from` to `to`.
    pub gap: Gap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelChange {
    pub from: String,
    pub to: String,
    /// `to.rank − from.rank`: positive is a step up.
    pub rank_change: i16,
    pub track: Option<Change>,
    /// `to.sfia_level − from.sfia_level`.
    pub sfia_change: i16,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkillEntry {
    pub skill: String,
    pub name: String,
    pub level: u8,
    pub level_name: String,
    pub importance: Importance,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkillChange {
    pub skill: String,
    pub name: String,
    pub from_level: u8,
    pub from_level_name: String,
    pub to_level: u8,
    pub to_level_name: String,
    pub from_importance: Importance,
    pub to_importance: Importance,
}

impl SkillChange {
    pub fn level_change(&self) -> i16 {
        i16::from(self.to_level) - i16::from(self.from_level)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiEntry {
    pub kpi: String,
    pub name: String,
    pub target: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiTargetChange {
    pub kpi: String,
    pub name: String,
    pub from_target: String,
    pub to_target: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    /// The field's key in the role file, e.g. `direct_reports`.
    pub field: &'static str,
    /// The field's name for people, e.g. "Direct reports".
    pub label: &'static str,
    pub from: String,
    pub to: String,
}

/// Decision-right items found in only one of the two roles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecisionsDiff {
    pub decides: ListDiff,
    pub recommends: ListDiff,
    pub consulted: ListDiff,
}

impl DecisionsDiff {
    /// The three lists with their names for people.
    pub fn lists(&self) -> [(&'static str, &ListDiff); 3] {
        [
            ("Decides", &self.decides),
            ("Recommends", &self.recommends),
            ("Is consulted on", &self.consulted),
        ]
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ListDiff {
    /// Items only the `from` role has.
    pub only_from: Vec<String>,
    /// Items only the `to` role has.
    pub only_to: Vec<String>,
}

/// Items are compared ignoring case and runs of spaces.
fn list_diff(from: &[String], to: &[String]) -> ListDiff {
    let key = |s: &String| rolebook_core::catalog::normalise_name(s);
    let from_keys: HashSet<String> = from.iter().map(key).collect();
    let to_keys: HashSet<String> = to.iter().map(key).collect();
    ListDiff {
        only_from: from
            .iter()
            .filter(|s| !to_keys.contains(&key(s)))
            .cloned()
            .collect(),
        only_to: to
            .iter()
            .filter(|s| !from_keys.contains(&key(s)))
            .cloned()
            .collect(),
    }
}

impl Career<'_> {
    /// Everything that differs between `from` and `to`.
    pub fn diff(&self, from: &Role, to: &Role) -> RoleDiff {
        let catalog = self.catalog();
        let from_info = self.role_info(from);
        let to_info = self.role_info(to);
        let skill_name = |id: &str| {
            catalog
                .skill(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let entry = |req: &rolebook_core::model::SkillRequirement| SkillEntry {
            skill: req.skill.to_string(),
            name: skill_name(&req.skill),
            level: *req.level,
            level_name: self.level_name(*req.level),
            importance: req.importance,
        };
        let find = |role: &'_ Role, id: &str| {
            role.skills
                .iter()
                .find(|r| r.skill.as_str() == id)
                .map(|r| (*r.level, r.importance))
        };
        let skills_gained = to
            .skills
            .iter()
            .filter(|r| find(from, &r.skill).is_none())
            .map(entry)
            .collect();
        let skills_lost = from
            .skills
            .iter()
            .filter(|r| find(to, &r.skill).is_none())
            .map(entry)
            .collect();
        let mut skills_changed = Vec::new();
        let mut skills_unchanged = 0;
        for req in &to.skills {
            let Some((from_level, from_importance)) = find(from, &req.skill) else {
                continue;
            };
            if from_level == *req.level && from_importance == req.importance {
                skills_unchanged += 1;
                continue;
            }
            skills_changed.push(SkillChange {
                skill: req.skill.to_string(),
                name: skill_name(&req.skill),
                from_level,
                from_level_name: self.level_name(from_level),
                to_level: *req.level,
                to_level_name: self.level_name(*req.level),
                from_importance,
                to_importance: req.importance,
            });
        }
        // Biggest rises first, then falls, then importance-only changes.
        skills_changed.sort_by(|a: &SkillChange, b: &SkillChange| {
            b.level_change()
                .cmp(&a.level_change())
                .then_with(|| a.name.cmp(&b.name))
        });

        let kpi_name = |id: &str| {
            catalog
                .kpi(id)
                .map_or_else(|| id.to_string(), |k| k.name.clone())
        };
        let owns = |role: &'_ Role, id: &str| role.kpis.iter().any(|k| k.kpi.as_str() == id);
        let kpi_entry = |own: &rolebook_core::model::KpiOwnership| KpiEntry {
            kpi: own.kpi.to_string(),
            name: kpi_name(&own.kpi),
            target: own.target.clone(),
        };
        let kpis_gained = to
            .kpis
            .iter()
            .filter(|k| !owns(from, &k.kpi))
            .map(kpi_entry)
            .collect();
        let kpis_lost = from
            .kpis
            .iter()
            .filter(|k| !owns(to, &k.kpi))
            .map(kpi_entry)
            .collect();
        let kpi_targets_changed = to
            .kpis
            .iter()
            .filter_map(|k| {
                let before = from.kpis.iter().find(|f| f.kpi == k.kpi)?;
                (before.target.trim() != k.target.trim()).then(|| KpiTargetChange {
                    kpi: k.kpi.to_string(),
                    name: kpi_name(&k.kpi),
                    from_target: before.target.clone(),
                    to_target: k.target.clone(),
                })
            })
            .collect();

        let scope = [
            (
                "direct_reports",
                "Direct reports",
                &from.scope.direct_reports,
                &to.scope.direct_reports,
            ),
            ("span", "Span", &from.scope.span, &to.scope.span),
            (
                "org_size",
                "Organisation size",
                &from.scope.org_size,
                &to.scope.org_size,
            ),
            ("budget", "Budget", &from.scope.budget, &to.scope.budget),
            (
                "time_horizon",
                "Time horizon",
                &from.scope.time_horizon,
                &to.scope.time_horizon,
            ),
        ]
        .into_iter()
        .filter(|(_, _, a, b)| a.trim() != b.trim())
        .map(|(field, label, a, b)| FieldChange {
            field,
            label,
            from: a.clone(),
            to: b.clone(),
        })
        .collect();

        let level = LevelChange {
            from: from_info.level_name.clone(),
            to: to_info.level_name.clone(),
            rank_change: i16::from(to_info.rank) - i16::from(from_info.rank),
            track: (from_info.track != to_info.track).then(|| Change {
                from: from_info.track.to_string(),
                to: to_info.track.to_string(),
            }),
            sfia_change: i16::from(to_info.sfia_level) - i16::from(from_info.sfia_level),
        };
        let family = (from_info.family != to_info.family).then(|| Change {
            from: from_info.family_name.clone(),
            to: to_info.family_name.clone(),
        });
        let decisions = DecisionsDiff {
            decides: list_diff(&from.decisions.decides, &to.decisions.decides),
            recommends: list_diff(&from.decisions.recommends, &to.decisions.recommends),
            consulted: list_diff(&from.decisions.consulted, &to.decisions.consulted),
        };
        RoleDiff {
            from: from_info,
            to: to_info,
            level,
            family,
            skills_gained,
            skills_lost,
            skills_changed,
            skills_unchanged,
            kpis_gained,
            kpis_lost,
            kpi_targets_changed,
            scope,
            decisions,
            gap: self.move_gap(from, to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::catalog;

    #[test]
    fn diff_sorts_skills_into_gained_lost_changed_and_unchanged() {
        let catalog = catalog(&[
            (
                "junior",
                "fam",
                "manager",
                &[
                    ("a", 2, true),
                    ("b", 3, false),
                    ("c", 3, true),
                    ("d", 4, true),
                ],
            ),
            (
                "senior",
                "other",
                "vice-president",
                &[
                    ("a", 4, true),
                    ("c", 3, true),
                    ("d", 4, false),
                    ("e", 2, false),
                ],
            ),
        ]);
        let career = Career::new(&catalog);
        let diff = career.diff(
            catalog.role("junior").expect("junior"),
            catalog.role("senior").expect("senior"),
        );
        let ids =
            |entries: &[SkillEntry]| entries.iter().map(|e| e.skill.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&diff.skills_gained), ["e"]);
        assert_eq!(ids(&diff.skills_lost), ["b"]);
        let changed: Vec<(&str, i16)> = diff
            .skills_changed
            .iter()
            .map(|c| (c.skill.as_str(), c.level_change()))
            .collect();
        assert_eq!(changed, [("a", 2), ("d", 0)]);
        assert_eq!(diff.skills_changed[0].to_level_name, "Advanced");
        assert_eq!(diff.skills_unchanged, 1);
        assert_eq!(diff.level.rank_change, 4);
        assert_eq!(diff.level.sfia_change, 2);
        assert_eq!(
            diff.level.track,
            Some(Change {
                from: "management".to_string(),
                to: "executive".to_string()
            })
        );
        assert_eq!(
            diff.family,
            Some(Change {
                from: "Family".to_string(),
                to: "Other family".to_string()
            })
        );
        // Every scope field of the test roles names its role, so all differ.
        assert_eq!(diff.scope.len(), 5);
        assert_eq!(diff.scope[0].from, "junior reports");
        // gap = 2×(4−2) + 1×(2−0) = 6
        assert_eq!(diff.gap.total, 6);
        // KPIs: neither role owns one.
        assert!(diff.kpis_gained.is_empty() && diff.kpi_targets_changed.is_empty());
    }

    #[test]
    fn diff_compares_kpis_by_id_and_target() {
        let catalog = crate::testing::catalog_of(&[
            crate::testing::Spec {
                id: "a",
                family: "fam",
                level: "manager",
                skills: &[("a", 2, true)],
                kpis: &[("uptime", "99.9%")],
                ..Default::default()
            },
            crate::testing::Spec {
                id: "b",
                family: "fam",
                level: "director",
                kpis: &[("uptime", "99.95%"), ("latency", "p99 under 300 ms")],
                ..Default::default()
            },
        ]);
        let career = Career::new(&catalog);
        let a = catalog.role("a").expect("a");
        let b = catalog.role("b").expect("b");
        let diff = career.diff(a, b);
        assert_eq!(diff.kpis_gained.len(), 1);
        assert_eq!(diff.kpis_gained[0].name, "Latency");
        assert!(diff.kpis_lost.is_empty());
        assert_eq!(diff.kpi_targets_changed[0].from_target, "99.9%");
        assert_eq!(diff.kpi_targets_changed[0].to_target, "99.95%");
        let back = career.diff(b, a);
        assert_eq!(back.kpis_lost[0].kpi, "latency");
        assert!(career.diff(a, a).kpi_targets_changed.is_empty());
    }

    #[test]
    fn decision_items_compare_ignoring_case_and_spacing() {
        let from = ["Hiring  decisions".to_string(), "Team budget".to_string()];
        let to = [
            "hiring decisions".to_string(),
            "Vendor contracts".to_string(),
        ];
        let diff = list_diff(&from, &to);
        assert_eq!(diff.only_from, ["Team budget"]);
        assert_eq!(diff.only_to, ["Vendor contracts"]);
    }
}
