//! The JSON Schema of the catalog format, generated from the model types so
//! it cannot drift from what the loader accepts.

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::model::{Framework, KpiFile, Organisation, Role, SkillFile};

/// One JSON Schema document (draft 2020-12) describing every catalog file:
/// `$defs` holds `Framework` (framework.toml), `SkillFile` (skills.toml,
/// skills/*.toml), `KpiFile` (kpis.toml, kpis/*.toml) and `Role`
/// (roles/*.toml).
pub fn catalog_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let files = [
        ("framework.toml", generator.subschema_for::<Framework>()),
        ("skills.toml", generator.subschema_for::<SkillFile>()),
        ("kpis.toml", generator.subschema_for::<KpiFile>()),
        ("roles/<id>.toml", generator.subschema_for::<Role>()),
        (
            "organisation.toml",
            generator.subschema_for::<Organisation>(),
        ),
    ];
    let defs: serde_json::Map<String, Value> = generator.take_definitions(true);
    let any_of: Vec<Value> = files
        .iter()
        .map(|(_, schema)| schema.as_value().clone())
        .collect();
    let file_map: serde_json::Map<String, Value> = files
        .iter()
        .map(|(file, schema)| ((*file).to_string(), schema.as_value().clone()))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "rolebook catalog file",
        "description": "One file of a rolebook catalog; `x-rolebook-files` maps each file name to its definition. See docs/catalog-format.md.",
        "x-rolebook-files": file_map,
        "anyOf": any_of,
        "$defs": defs,
    })
}
