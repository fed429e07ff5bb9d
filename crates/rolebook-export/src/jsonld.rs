//! schema.org structured data (JSON-LD): a role as an `Occupation`, a
//! skill or a KPI as a `DefinedTerm` of its `DefinedTermSet` (the skill
//! taxonomy, the KPI catalog). The job posting's `JobPosting` is built in
//! [`crate::jd`] from the same parts.

use rolebook_core::Catalog;
use rolebook_core::model::{Kpi, Role, Skill};
use serde_json::{Map, Value, json};

use crate::document::level_label;

pub const CONTEXT: &str = "https://schema.org";

/// The O*NET-SOC taxonomy the catalog's `crosswalk.onet_soc` codes are from.
const ONET_CODE_SET: &str = "https://www.onetcenter.org/taxonomy.html";

/// `occupationalCategory`: the O*NET-SOC code as a schema.org `CategoryCode`.
fn occupational_category(role: &Role) -> Option<Value> {
    let code = role.crosswalk.onet_soc.as_ref()?;
    let mut category = json!({
        "@type": "CategoryCode",
        "codeValue": code.as_str(),
        "inCodeSet": {
            "@type": "CategoryCodeSet",
            "name": "O*NET-SOC",
            "url": ONET_CODE_SET,
        },
    });
    if let Some(title) = &role.crosswalk.onet_title {
        category["name"] = json!(title);
    }
    Some(category)
}

/// `skills`: each required skill as a `DefinedTerm`, with the level the
/// role needs and what that level looks like.
fn skills(catalog: &Catalog, role: &Role) -> Vec<Value> {
    role.skills
        .iter()
        .filter_map(|req| {
            let skill = catalog.skill(&req.skill)?;
            let importance = req.importance.label();
            let descriptor = skill.level_descriptor(*req.level).unwrap_or("");
            Some(json!({
                "@type": "DefinedTerm",
                "termCode": skill.id.as_str(),
                "name": skill.name,
                "description": format!(
                    "Level {} ({importance}): {descriptor}",
                    level_label(catalog, *req.level)
                ).trim_end_matches([' ', ':']).to_string(),
            }))
        })
        .collect()
}

/// `responsibilities`: every responsibility item, in file order.
fn responsibilities(role: &Role) -> Vec<Value> {
    role.responsibility_items()
        .map(|(_, item)| json!(item))
        .collect()
}

/// `qualifications`: certifications as `EducationalOccupationalCredential`s.
fn qualifications(role: &Role) -> Vec<Value> {
    role.qualifications
        .certifications
        .iter()
        .map(|name| {
            json!({
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "certification",
                "name": name,
            })
        })
        .collect()
}

/// Inserts `value` under `key` unless it is an empty array or string.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Array(items) => items.is_empty(),
        Value::String(text) => text.trim().is_empty(),
        Value::Null => true,
        _ => false,
    };
    if !empty {
        map.insert(key.to_string(), value);
    }
}

/// What `Occupation` and `JobPosting` both say about the role: its
/// O*NET-SOC category, skills, responsibilities, certifications,
/// experience and education.
pub(crate) fn put_occupation_details(map: &mut Map<String, Value>, catalog: &Catalog, role: &Role) {
    if let Some(category) = occupational_category(role) {
        map.insert("occupationalCategory".into(), category);
    }
    put(map, "skills", Value::Array(skills(catalog, role)));
    put(
        map,
        "responsibilities",
        Value::Array(responsibilities(role)),
    );
    put(map, "qualifications", Value::Array(qualifications(role)));
    put(
        map,
        "experienceRequirements",
        json!(role.qualifications.experience),
    );
    put(
        map,
        "educationRequirements",
        json!(role.qualifications.education),
    );
}

/// A role as a schema.org `Occupation`.
pub fn occupation(catalog: &Catalog, role: &Role) -> Value {
    let mut map = Map::new();
    map.insert("@context".into(), json!(CONTEXT));
    map.insert("@type".into(), json!("Occupation"));
    map.insert("identifier".into(), json!(role.id.as_str()));
    map.insert("name".into(), json!(role.title.as_str()));
    put(
        &mut map,
        "alternateName",
        json!(role.aliases.iter().map(|a| a.as_str()).collect::<Vec<_>>()),
    );
    put(&mut map, "description", json!(role.summary));
    put_occupation_details(&mut map, catalog, role);
    if let Some(uri) = &role.crosswalk.esco_occupation {
        map.insert("sameAs".into(), json!(uri));
    }
    Value::Object(map)
}

/// The set a skill's or a KPI's `DefinedTerm` belongs to. The catalog
/// gives the set no address, so it is named, not linked.
fn term_set(name: &str, description: &str) -> Value {
    json!({
        "@type": "DefinedTermSet",
        "name": name,
        "description": description,
    })
}

/// A skill as a schema.org `DefinedTerm` in the skill taxonomy: its id as
/// `termCode` (as a role's `skills` cite it), its SFIA code as an
/// `identifier` and its ESCO skill as `sameAs`.
pub fn skill_term(skill: &Skill) -> Value {
    let mut map = Map::new();
    map.insert("@context".into(), json!(CONTEXT));
    map.insert("@type".into(), json!("DefinedTerm"));
    map.insert("termCode".into(), json!(skill.id.as_str()));
    map.insert("name".into(), json!(skill.name));
    put(&mut map, "description", json!(skill.description));
    map.insert(
        "inDefinedTermSet".into(),
        term_set(
            "Skill taxonomy",
            "The skills the catalog's roles require, each on a five-level proficiency scale.",
        ),
    );
    if let Some(code) = &skill.sfia_code {
        map.insert(
            "identifier".into(),
            json!({
                "@type": "PropertyValue",
                "propertyID": "SFIA",
                "value": code,
            }),
        );
    }
    if let Some(uri) = &skill.esco_uri {
        map.insert("sameAs".into(), json!(uri));
    }
    Value::Object(map)
}

/// A KPI as a schema.org `DefinedTerm` in the KPI catalog: its id as
/// `termCode` and its definition as `description`.
pub fn kpi_term(kpi: &Kpi) -> Value {
    let mut map = Map::new();
    map.insert("@context".into(), json!(CONTEXT));
    map.insert("@type".into(), json!("DefinedTerm"));
    map.insert("termCode".into(), json!(kpi.id.as_str()));
    map.insert("name".into(), json!(kpi.name));
    put(&mut map, "description", json!(kpi.definition));
    map.insert(
        "inDefinedTermSet".into(),
        term_set(
            "KPI catalog",
            "The key performance indicators the catalog's roles own, with definitions, formulas and benchmarks.",
        ),
    );
    Value::Object(map)
}
