//! Writes an ESCO-sized synthetic catalog for search benchmarks: the
//! built-in framework and KPIs, the built-in skills plus generated ones,
//! and the built-in roles plus generated ones, to N roles and M skills in
//! all (default 3,000 and 14,000, about ESCO's 2,942 occupations and
//! 13,485 skills).
//!
//! Generated text is made of the built-in catalog's own sentences with a
//! fifth of their words swapped for words drawn from the whole catalog by
//! frequency, so the vocabulary keeps a natural skew and every document is
//! different. Titles are unique. Output is the same for the same
//! arguments.
//!
//! Usage: cargo run --release -p rolebook-search --example generate_corpus -- OUT_DIR [ROLES] [SKILLS]

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use common::Rng;
use rolebook_core::model::{At, Career, Role, Skill, SkillFile};
use rolebook_core::{builtin, load};

struct Text {
    sentences: Vec<String>,
    /// Every word of the catalog, repeated as often as it is used.
    words: Vec<String>,
}

impl Text {
    fn sentence(&self, rng: &mut Rng) -> String {
        rng.pick(&self.sentences)
            .split(' ')
            .map(|w| {
                if rng.below(5) == 0 {
                    rng.pick(&self.words).clone()
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn paragraph(&self, rng: &mut Rng, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: generate_corpus OUT_DIR [ROLES] [SKILLS]")?,
    );
    let wanted_roles: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3000);
    let wanted_skills: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(14000);
    let sources = builtin::sources();
    let catalog = load(sources.clone())
        .catalog
        .ok_or("the built-in catalog must be valid")?;
    let mut rng = Rng(0x5eed);

    let mut sentences = Vec::new();
    let mut split = |text: &str| {
        for sentence in text.split(". ") {
            let sentence = sentence.trim();
            if sentence.split(' ').count() >= 6 {
                sentences.push(sentence.trim_end_matches('.').to_string() + ".");
            }
        }
    };
    for role in catalog.roles() {
        split(&role.summary);
        split(&role.purpose);
        for (_, item) in role.responsibility_items() {
            split(item);
        }
    }
    for skill in catalog.skills() {
        split(&skill.description);
        for text in skill.levels.values() {
            split(text);
        }
    }
    let words: Vec<String> = sentences
        .iter()
        .flat_map(|s| s.split(' '))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.len() >= 3)
        .collect();
    let text = Text { sentences, words };
    let name_words: Vec<String> = catalog
        .skills()
        .iter()
        .flat_map(|s| s.name.split_whitespace().map(str::to_lowercase))
        .filter(|w| w.len() >= 4 && w.chars().all(char::is_alphabetic))
        .collect();

    for file in sources
        .files()
        .iter()
        .filter(|f| !f.path.starts_with("roles/") && !f.path.starts_with("skills/"))
    {
        let path = out.join(&file.path);
        fs::create_dir_all(path.parent().ok_or("a parent")?)?;
        fs::write(path, file.text.as_bytes())?;
    }
    fs::create_dir_all(out.join("roles"))?;
    fs::create_dir_all(out.join("skills"))?;

    // Skills: the built-in ones, then variations of them.
    let mut skills: Vec<Skill> = catalog.skills().to_vec();
    let mut names: HashSet<String> = skills.iter().map(|s| s.name.to_lowercase()).collect();
    let mut n = 0;
    while skills.len() < wanted_skills {
        n += 1;
        let base = rng.pick(catalog.skills()).clone();
        let name = loop {
            let name = format!(
                "{} {} {}",
                capitalise(rng.pick::<String>(&name_words)),
                rng.pick(&name_words),
                rng.pick::<String>(&name_words)
            );
            if names.insert(name.to_lowercase()) {
                break name;
            }
        };
        let mut skill = base;
        skill.id = At::detached(format!("generated-skill-{n}"));
        skill.name = name;
        skill.description = text.paragraph(&mut rng, 2);
        for value in skill.levels.values_mut() {
            *value = text.sentence(&mut rng);
        }
        skill.esco_uri = None;
        skills.push(skill);
    }
    // Split into files of 1,000 so no file is huge.
    for (i, chunk) in skills.chunks(1000).enumerate() {
        fs::write(
            out.join("skills").join(format!("part-{i:02}.toml")),
            toml::to_string(&SkillFile {
                skills: chunk.to_vec(),
            })?,
        )?;
    }

    // Roles: the built-in ones, then variations with new titles and text.
    let levels = [
        "Head of",
        "Director of",
        "VP of",
        "Senior Manager,",
        "Manager,",
        "Chief",
    ];
    let mut titles: HashSet<String> = catalog
        .roles()
        .iter()
        .flat_map(|r| {
            std::iter::once(r.title.to_lowercase())
                .chain(r.aliases.iter().map(|a| a.to_lowercase()))
        })
        .collect();
    let mut written = 0;
    for role in catalog.roles() {
        fs::write(
            out.join("roles").join(format!("{}.toml", role.id.as_str())),
            toml::to_string(role.as_ref())?,
        )?;
        written += 1;
    }
    let mut n = 0;
    while written < wanted_roles {
        n += 1;
        let picked: &std::sync::Arc<Role> = rng.pick(catalog.roles());
        let mut role = Role::clone(picked);
        let title = loop {
            let level = *rng.pick(&levels);
            let title = if level == "Chief" {
                format!(
                    "Chief {} Officer",
                    capitalise(rng.pick::<String>(&name_words))
                )
            } else {
                format!(
                    "{level} {} {}",
                    capitalise(rng.pick::<String>(&name_words)),
                    capitalise(rng.pick::<String>(&name_words))
                )
            };
            if titles.insert(title.to_lowercase()) {
                break title;
            }
        };
        role.id = At::detached(format!("generated-role-{n}"));
        role.title = At::detached(title);
        role.aliases = Vec::new();
        role.summary = text.paragraph(&mut rng, 3);
        role.purpose = text.sentence(&mut rng);
        for area in &mut role.responsibilities {
            for item in &mut area.items {
                *item = text.sentence(&mut rng);
            }
        }
        role.scope.reports_to.clear();
        role.career = Career::default();
        role.lint = Default::default();
        fs::write(
            out.join("roles").join(format!("{}.toml", role.id.as_str())),
            toml::to_string(&role)?,
        )?;
        written += 1;
    }
    eprintln!(
        "wrote {written} roles and {} skills to {}",
        skills.len(),
        out.display()
    );
    Ok(())
}
