//! A person against roles: the gap to one target with readiness and a
//! development plan ([`Career::assess`]), and every role ranked by
//! readiness ([`Career::fit`]).
//!
//! Readiness is the weighted share of the required levels the person
//! already has:
//!
//! ```text
//! readiness = Σ w(s) × min(current(s), required(s)) ÷ Σ w(s) × required(s)
//! ```
//!
//! over the target's required skills, with `w(s)` 2 for core and 1 for
//! supporting skills and `current(s)` 0 for skills the profile does not
//! assess. Levels above the requirement earn nothing extra, so readiness is
//! 100% exactly when the gap is 0.

use rolebook_core::model::{Importance, Role};
use serde::Serialize;

use crate::gap::{Career, GAP_FORMULA, RoleInfo, SkillLine, sort_biggest_first};
use crate::profile::Profile;

pub const READINESS_FORMULA: &str = "readiness = Σ w(s) × min(current(s), required(s)) ÷ Σ w(s) × required(s), over the target's required skills, where current(s) is 0 for skills not assessed and w(s) is 2 for core skills, 1 for supporting";

/// How many of a role's biggest skill gaps a fit row explains.
const FIT_GAPS_SHOWN: usize = 3;

/// A person's gap to one target role.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub person: Option<String>,
    pub current_role: Option<RoleInfo>,
    pub target: RoleInfo,
    pub readiness: Readiness,
    pub gap: u32,
    pub gap_formula: &'static str,
    /// Every skill the target requires, in the target's order.
    pub skills: Vec<SkillLine>,
    /// One item per skill with a shortfall, biggest first.
    pub plan: Vec<PlanItem>,
    /// Assessed skills the target does not require.
    pub other_skills: Vec<OtherSkill>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Readiness {
    /// Between 0 and 1.
    pub score: f64,
    /// `Σ w × min(current, required)`.
    pub met: u32,
    /// `Σ w × required`.
    pub required: u32,
    pub formula: &'static str,
}

impl Readiness {
    fn new(met: u32, required: u32) -> Self {
        Readiness {
            // A role that requires nothing is fully within reach.
            score: if required == 0 {
                1.0
            } else {
                f64::from(met) / f64::from(required)
            },
            met,
            required,
            formula: READINESS_FORMULA,
        }
    }

    /// The score as a percentage with one decimal, e.g. "72.4%".
    pub fn percent(&self) -> String {
        format!("{:.1}%", self.score * 100.0)
    }
}

/// What to develop in one skill: the descriptor of every level between the
/// current one and the required one.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    pub skill: String,
    pub name: String,
    pub importance: Importance,
    pub current: u8,
    pub required: u8,
    pub steps: Vec<PlanStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub level: u8,
    pub level_name: String,
    pub descriptor: String,
    /// True when the skill does not describe this level and the framework's
    /// general proficiency descriptor stands in.
    pub generic: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherSkill {
    pub skill: String,
    pub name: String,
    pub level: u8,
    pub level_name: String,
}

/// Every role ranked by a person's readiness.
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    pub person: Option<String>,
    pub current_role: Option<String>,
    pub readiness_formula: &'static str,
    pub gap_formula: &'static str,
    /// Roles in the catalog; `roles` may hold fewer when limited.
    pub total_roles: usize,
    pub roles: Vec<FitRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitRow {
    /// 1 for the best fit.
    pub position: usize,
    pub role: RoleInfo,
    pub current: bool,
    pub readiness: Readiness,
    pub gap: u32,
    pub skills_met: usize,
    pub skills_required: usize,
    /// The biggest shortfalls, at most three.
    pub biggest_gaps: Vec<SkillLine>,
}

impl Career<'_> {
    /// A profile's levels by skill index (0 where not assessed).
    pub(crate) fn profile_levels(&self, profile: &Profile) -> Vec<u8> {
        let mut levels = vec![0; self.index.skill_count()];
        for assessed in &profile.skills {
            if let Some(i) = self.index.skill(&assessed.skill) {
                levels[i] = assessed.level;
            }
        }
        levels
    }

    /// The gap from a person to `target`, readiness, and a development plan.
    pub fn assess(&self, profile: &Profile, target: &Role) -> Assessment {
        let have = self.profile_levels(profile);
        let catalog = self.catalog();
        let mut skills = self.skill_lines(&have, target);
        for line in &mut skills {
            line.manager = profile
                .skills
                .iter()
                .find(|s| s.skill == line.skill)
                .and_then(|s| s.manager_level);
        }
        let (met, required) = skills.iter().fold((0, 0), |(m, r), line| {
            (
                m + line.weight * u32::from(line.current.min(line.required)),
                r + line.weight * u32::from(line.required),
            )
        });
        let mut short: Vec<SkillLine> =
            skills.iter().filter(|l| l.shortfall > 0).cloned().collect();
        sort_biggest_first(&mut short);
        let plan = short
            .iter()
            .map(|line| PlanItem {
                skill: line.skill.clone(),
                name: line.name.clone(),
                importance: line.importance,
                current: line.current,
                required: line.required,
                steps: (line.current + 1..=line.required)
                    .map(|level| self.plan_step(&line.skill, level))
                    .collect(),
            })
            .collect();
        let other_skills = profile
            .skills
            .iter()
            .filter(|s| target.skill_level(&s.skill).is_none())
            .map(|s| OtherSkill {
                skill: s.skill.clone(),
                name: catalog
                    .skill(&s.skill)
                    .map_or_else(|| s.skill.clone(), |k| k.name.clone()),
                level: s.level,
                level_name: self.level_name(s.level),
            })
            .collect();
        Assessment {
            person: profile.name.clone(),
            current_role: profile
                .current_role
                .as_deref()
                .and_then(|id| catalog.role(id))
                .map(|r| self.role_info(r)),
            target: self.role_info(target),
            readiness: Readiness::new(met, required),
            gap: short.iter().map(|l| l.weighted_shortfall).sum(),
            gap_formula: GAP_FORMULA,
            skills,
            plan,
            other_skills,
        }
    }

    fn plan_step(&self, skill: &str, level: u8) -> PlanStep {
        let specific = self
            .catalog()
            .skill(skill)
            .and_then(|s| s.level_descriptor(level));
        let proficiency = self.catalog().proficiency_level(level);
        PlanStep {
            level,
            level_name: self.level_name(level),
            descriptor: specific
                .or(proficiency.map(|p| p.descriptor.as_str()))
                .unwrap_or("")
                .to_string(),
            generic: specific.is_none(),
        }
    }

    /// Every role ranked by readiness for `profile` (highest first; ties go
    /// to the smaller gap, then the role id). `top` keeps only the first
    /// rows.
    pub fn fit(&self, profile: &Profile, top: Option<usize>) -> Fit {
        let have = self.profile_levels(profile);
        let roles = self.catalog().roles();
        let mut scored: Vec<(usize, Readiness, u32)> = (0..roles.len())
            .map(|r| {
                let (met, required) = self.index.readiness_parts(&have, r);
                (
                    r,
                    Readiness::new(met, required),
                    self.index.gap_total(&have, r),
                )
            })
            .collect();
        // Compare exact fractions (met₁ × required₂ vs met₂ × required₁)
        // rather than floats, so equal readiness always ties.
        scored.sort_by(|a, b| {
            let lhs = u64::from(b.1.met) * u64::from(a.1.required.max(1));
            let rhs = u64::from(a.1.met) * u64::from(b.1.required.max(1));
            let by_score = if a.1.required == 0 || b.1.required == 0 {
                b.1.score.total_cmp(&a.1.score)
            } else {
                lhs.cmp(&rhs)
            };
            by_score
                .then(a.2.cmp(&b.2))
                .then_with(|| roles[a.0].id.cmp(&roles[b.0].id))
        });
        scored.truncate(top.unwrap_or(usize::MAX));
        let rows = scored
            .into_iter()
            .enumerate()
            .map(|(position, (r, readiness, gap))| {
                let role = &roles[r];
                let (skills_met, short) = self.biggest_shortfalls(&have, r, FIT_GAPS_SHOWN);
                FitRow {
                    position: position + 1,
                    role: self.role_info(role),
                    current: profile.current_role.as_deref() == Some(role.id.as_str()),
                    readiness,
                    gap,
                    skills_met,
                    skills_required: role.skills.len(),
                    biggest_gaps: short,
                }
            })
            .collect();
        Fit {
            person: profile.name.clone(),
            current_role: profile.current_role.clone(),
            readiness_formula: READINESS_FORMULA,
            gap_formula: GAP_FORMULA,
            total_roles: roles.len(),
            roles: rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::AssessedSkill;
    use crate::testing::catalog;

    fn person(skills: &[(&str, u8)]) -> Profile {
        Profile {
            name: Some("Ada".to_string()),
            current_role: None,
            skills: skills
                .iter()
                .map(|&(skill, level)| AssessedSkill {
                    skill: skill.to_string(),
                    level,
                    manager_level: None,
                    evidence: None,
                })
                .collect(),
        }
    }

    #[test]
    fn readiness_is_the_weighted_share_of_required_levels_met() {
        // target: a=4 core (w2), b-sparse=3 supporting (w1), c=2 supporting (w1)
        // person: a=2, b-sparse=5, d=3
        // met      = 2×min(2,4) + 1×min(5,3) + 1×min(0,2) = 4 + 3 + 0 = 7
        // required = 2×4 + 1×3 + 1×2 = 13  → 7/13 = 53.8%
        // gap      = 2×2 + 0 + 1×2 = 6
        let catalog = catalog(&[
            (
                "target",
                "fam",
                "director",
                &[("a", 4, true), ("b-sparse", 3, false), ("c", 2, false)],
            ),
            ("other", "fam", "manager", &[("d", 3, false)]),
        ]);
        let career = Career::new(&catalog);
        let target = catalog.role("target").expect("target");
        let report = career.assess(&person(&[("a", 2), ("b-sparse", 5), ("d", 3)]), target);
        assert_eq!((report.readiness.met, report.readiness.required), (7, 13));
        assert_eq!(report.readiness.percent(), "53.8%");
        assert_eq!(report.gap, 6);
        assert_eq!(report.skills.len(), 3);
        // The plan covers each missing level, biggest gap first, with the
        // skill's own descriptor.
        let plan: Vec<(&str, Vec<u8>)> = report
            .plan
            .iter()
            .map(|p| (p.skill.as_str(), p.steps.iter().map(|s| s.level).collect()))
            .collect();
        assert_eq!(plan, [("a", vec![3, 4]), ("c", vec![1, 2])]);
        assert_eq!(report.plan[0].steps[0].descriptor, "a at level 3.");
        assert!(!report.plan[0].steps[0].generic);
        assert_eq!(report.other_skills.len(), 1);
        assert_eq!(report.other_skills[0].skill, "d");
    }

    #[test]
    fn plans_fall_back_to_the_proficiency_scale_for_undescribed_levels() {
        let catalog = catalog(&[("target", "fam", "director", &[("x-sparse", 4, true)])]);
        let career = Career::new(&catalog);
        let report = career.assess(
            &person(&[("x-sparse", 1)]),
            catalog.role("target").expect("target"),
        );
        let steps: Vec<(u8, bool, &str)> = report.plan[0]
            .steps
            .iter()
            .map(|s| (s.level, s.generic, s.descriptor.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                (2, true, "Applies with guidance."),
                (3, false, "x-sparse at level 3."),
                (4, false, "x-sparse at level 4.")
            ]
        );
    }

    #[test]
    fn full_readiness_means_no_gap_and_no_plan() {
        let catalog = catalog(&[("target", "fam", "director", &[("a", 3, true)])]);
        let career = Career::new(&catalog);
        let report = career.assess(
            &person(&[("a", 5)]),
            catalog.role("target").expect("target"),
        );
        assert_eq!(report.readiness.score, 1.0);
        assert_eq!(report.gap, 0);
        assert!(report.plan.is_empty());
    }

    #[test]
    fn fit_ranks_by_readiness_then_gap_then_id() {
        // For a person with a=3:
        //   easy:  a=3 core            → 6/6   = 100%, gap 0
        //   mid:   a=4 core            → 6/8   = 75%,  gap 2
        //   wide:  a=4 core, b=4 core  → 6/16  = 37.5%, gap 10
        //   alt:   a=4 core, again 75% and gap 2 → ties with mid, id breaks it
        //   far:   b=2 supporting      → 0/2   = 0%,   gap 2
        let catalog = catalog(&[
            ("easy", "fam", "manager", &[("a", 3, true)]),
            ("mid", "fam", "director", &[("a", 4, true)]),
            ("alt", "other", "director", &[("a", 4, true)]),
            (
                "wide",
                "fam",
                "vice-president",
                &[("a", 4, true), ("b", 4, true)],
            ),
            ("far", "other", "manager", &[("b", 2, false)]),
        ]);
        let career = Career::new(&catalog);
        let mut profile = person(&[("a", 3)]);
        profile.current_role = Some("easy".to_string());
        let fit = career.fit(&profile, None);
        let order: Vec<(&str, String, u32)> = fit
            .roles
            .iter()
            .map(|r| (r.role.id.as_str(), r.readiness.percent(), r.gap))
            .collect();
        assert_eq!(
            order,
            [
                ("easy", "100.0%".to_string(), 0),
                ("alt", "75.0%".to_string(), 2),
                ("mid", "75.0%".to_string(), 2),
                ("wide", "37.5%".to_string(), 10),
                ("far", "0.0%".to_string(), 2),
            ]
        );
        assert!(fit.roles[0].current);
        assert_eq!(fit.roles[3].biggest_gaps[0].skill, "b");
        assert_eq!(
            (fit.roles[3].skills_met, fit.roles[3].skills_required),
            (0, 2)
        );
        let top = career.fit(&profile, Some(2));
        assert_eq!(top.roles.len(), 2);
        assert_eq!(top.total_roles, 5);
        assert_eq!(top.roles[1].position, 2);
    }
}
