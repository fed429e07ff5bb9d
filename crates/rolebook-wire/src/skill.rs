//! Skills: the shared taxonomy, with what each proficiency level looks
//! like and which roles require it.

use rolebook_core::Catalog;
use rolebook_core::model;
use serde::Serialize;
use utoipa::ToSchema;

use crate::role::Importance;

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillSummary {
    pub id: String,
    pub name: String,
    /// `leadership`, `business`, `technical` or `domain`.
    pub category: String,
    pub description: String,
    /// How many roles require it.
    pub roles: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillList {
    pub total: usize,
    pub skills: Vec<SkillSummary>,
}

impl SkillList {
    /// Every skill of the catalog, sorted by id.
    pub fn of(catalog: &Catalog) -> Self {
        let skills: Vec<SkillSummary> = catalog
            .skills()
            .iter()
            .map(|k| SkillSummary {
                id: k.id.to_string(),
                name: k.name.clone(),
                category: k.category.label().to_string(),
                description: k.description.clone(),
                roles: catalog.roles_requiring_skill(&k.id).len(),
            })
            .collect();
        SkillList {
            total: skills.len(),
            skills,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillLevel {
    pub level: u8,
    /// The proficiency scale's name for the level.
    pub name: String,
    /// What the level means for this skill.
    pub descriptor: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillHolder {
    pub role: String,
    pub title: String,
    pub level: u8,
    pub importance: Importance,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Skill {
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub sfia_code: Option<String>,
    pub esco_uri: Option<String>,
    pub levels: Vec<SkillLevel>,
    /// Roles that require the skill, highest level first.
    pub roles: Vec<SkillHolder>,
}

impl Skill {
    pub fn of(catalog: &Catalog, skill: &model::Skill) -> Self {
        Skill {
            id: skill.id.to_string(),
            name: skill.name.clone(),
            category: skill.category.label().to_string(),
            description: skill.description.clone(),
            sfia_code: skill.sfia_code.clone(),
            esco_uri: skill.esco_uri.clone(),
            levels: catalog
                .proficiency()
                .iter()
                .map(|p| SkillLevel {
                    level: *p.level,
                    name: p.name.clone(),
                    descriptor: skill
                        .level_descriptor(*p.level)
                        .unwrap_or(&p.descriptor)
                        .to_string(),
                })
                .collect(),
            roles: catalog
                .roles_requiring_skill(&skill.id)
                .into_iter()
                .map(|(role, level)| SkillHolder {
                    role: role.id.to_string(),
                    title: role.title.to_string(),
                    level,
                    importance: role
                        .skills
                        .iter()
                        .find(|s| s.skill.as_str() == skill.id.as_str())
                        .map_or(Importance::Supporting, |s| s.importance.into()),
                })
                .collect(),
        }
    }
}
