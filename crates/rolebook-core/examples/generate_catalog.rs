//! Writes a large synthetic catalog for benchmarks: the built-in framework
//! and taxonomy, and the built-in roles copied until there are N of them,
//! with ids, titles, aliases and career references renamed per copy so the
//! result is valid.
//!
//! Usage: cargo run --release -p rolebook-core --example generate_catalog -- OUT_DIR [N]

use std::fs;
use std::path::PathBuf;

use rolebook_core::model::{At, Role, RoleRef};
use rolebook_core::{builtin, load};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: generate_catalog OUT_DIR [N]")?);
    let wanted: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3000);

    let sources = builtin::sources();
    let loaded = load(sources.clone());
    let catalog = loaded.catalog.ok_or("the built-in catalog must be valid")?;
    fs::create_dir_all(out.join("roles"))?;
    for file in sources
        .files()
        .iter()
        .filter(|f| !f.path.starts_with("roles/"))
    {
        let path = out.join(&file.path);
        fs::create_dir_all(path.parent().ok_or("file has a parent")?)?;
        fs::write(path, file.text.as_bytes())?;
    }
    let roles = catalog.roles();
    let mut written = 0;
    let mut copy = 0;
    while written < wanted {
        // A partial last copy points its references at the originals, since
        // the roles of its own copy are not all there.
        let refs_copy = if written + roles.len() <= wanted {
            copy
        } else {
            0
        };
        for role in roles {
            if written == wanted {
                break;
            }
            let renamed = renamed(role, copy, refs_copy);
            fs::write(
                out.join("roles")
                    .join(format!("{}.toml", renamed.id.as_str())),
                unquote_dates(&toml::to_string(&renamed)?),
            )?;
            written += 1;
        }
        copy += 1;
    }
    eprintln!("wrote {written} roles to {}", out.display());
    Ok(())
}

/// Copy `copy` of a role, its references pointing into copy `refs_copy`;
/// copy 0 keeps the original names.
fn renamed(role: &Role, copy: usize, refs_copy: usize) -> Role {
    if copy == 0 {
        return role.clone();
    }
    let suffix = |id: &str| {
        if refs_copy == 0 {
            id.to_string()
        } else {
            format!("{id}-{refs_copy}")
        }
    };
    let mut role = role.clone();
    role.id = At::detached(format!("{}-{copy}", role.id.as_str()));
    role.title = At::detached(format!("{} ({copy})", role.title.as_str()));
    role.aliases = role
        .aliases
        .iter()
        .map(|a| At::detached(format!("{} ({copy})", a.as_str())))
        .collect();
    let fix = |refs: &mut Vec<RoleRef>| {
        for reference in refs.iter_mut() {
            if let Some(target) = &reference.role {
                reference.role = Some(At::detached(suffix(target)));
            }
        }
    };
    fix(&mut role.scope.reports_to);
    fix(&mut role.career.feeders);
    fix(&mut role.career.next);
    fix(&mut role.career.lateral);
    role
}

/// `last_reviewed = "2026-11-26"` → `last_reviewed = 2026-11-26`: the model
/// writes a date as a string (JSON has no date type), and the catalog
/// format wants a TOML date.
fn unquote_dates(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("last_reviewed = \"") {
            Some(rest) => format!("last_reviewed = {}", rest.trim_end_matches('"')),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
