//! Catalogs shared by this crate's integration tests.

#![allow(dead_code)]

use rolebook_core::{Catalog, SourceFile, Sources, builtin, load};

pub fn builtin_catalog() -> Catalog {
    load(builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

/// A role file for the built-in framework, with the fields every role
/// needs.
pub fn role_file(
    id: &str,
    title: &str,
    aliases: &str,
    family: &str,
    level: &str,
    summary: &str,
) -> SourceFile {
    let summary = toml::Value::String(summary.to_string());
    SourceFile::new(
        format!("roles/{id}.toml"),
        format!(
            r#"id = "{id}"
title = "{title}"
aliases = [{aliases}]
family = "{family}"
level = "{level}"
summary = {summary}
purpose = "Exists for {title}."

[scope]
direct_reports = "Several"
span = "A region"
org_size = "100"
budget = "Some"
time_horizon = "Years"

[provenance]
last_reviewed = 2026-11-26
sources = ["Written for a test"]
"#
        ),
    )
}

/// The built-in catalog with some roles added.
pub fn builtin_with(roles: Vec<SourceFile>) -> Catalog {
    let mut files: Vec<SourceFile> = builtin::FILES
        .iter()
        .map(|(path, text)| SourceFile::new(*path, *text))
        .collect();
    files.extend(roles);
    valid(load(Sources::new(files)))
}

fn valid(loaded: rolebook_core::Loaded) -> Catalog {
    loaded.catalog.unwrap_or_else(|| {
        panic!(
            "the catalog is valid: {:?}",
            loaded
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        )
    })
}

/// An organisation's own catalog: the built-in framework with a sales
/// family added, and three roles of its own. Nothing in the resolver
/// knows these titles.
pub fn sales_catalog() -> Catalog {
    let role = |id: &str, title: &str, aliases: &str, family: &str, level: &str| {
        role_file(
            id,
            title,
            aliases,
            family,
            level,
            &format!("Leads {title}."),
        )
    };
    let mut files: Vec<SourceFile> = builtin::FILES
        .iter()
        .filter(|(path, _)| !path.starts_with("roles/"))
        .map(|(path, text)| {
            if *path == "framework.toml" {
                SourceFile::new(
                    *path,
                    format!(
                        "{text}\n[[families]]\nid = \"sales\"\nname = \"Sales\"\ndescription = \"Selling.\"\n"
                    ),
                )
            } else {
                SourceFile::new(*path, *text)
            }
        })
        .collect();
    files.push(role(
        "sales-director",
        "Sales Director",
        r#""Director of Sales""#,
        "sales",
        "director",
    ));
    files.push(role(
        "chief-revenue-officer",
        "Chief Revenue Officer",
        "",
        "sales",
        "c-level",
    ));
    files.push(role(
        "head-of-field-engineering",
        "Head of Field Engineering",
        r#""Field Engineering Lead""#,
        "engineering",
        "head",
    ));
    valid(load(Sources::new(files)))
}
