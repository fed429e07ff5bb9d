//! View models: what each page shows, built from a snapshot by pure
//! functions and rendered by askama templates (compile-time checked,
//! HTML-escaped). Nothing here knows about requests; the handlers in
//! [`crate::pages`] and the static site in [`crate::site`] both call these
//! builders, the server with [`Links::Server`] and the site with
//! [`Links::Static`]. What a page may show comes with its snapshot: the
//! catalog's problem only for an audience that may see it, and only what
//! the snapshot's [`Publication`](crate::publication::Publication)
//! publishes, in lists and in links.

pub(crate) mod account;
pub mod career;
pub mod catalog;
pub mod changes;
pub mod compare;
pub mod downloads;
pub mod gap;
pub mod history;
pub mod ownership;
pub mod posting;

mod links;
mod prose;
pub mod search;
pub mod status;
pub mod versions;

use askama::Template;
use rolebook_core::model::{Role, RoleRef, Track};
use rolebook_core::{Catalog, LogoKind};

pub use links::{Links, relink_svg, static_file};

use crate::assets::{AssetUrls, URLS};
use crate::cache::{self, Cached};
use crate::error::{AppError, Suggestion};
use crate::state::Snapshot;

/// What every page shows around its content.
#[derive(Debug)]
pub struct Layout {
    pub title: String,
    pub description: String,
    /// Which main navigation entry is current.
    pub nav: &'static str,
    /// The catalog's problem, for the banner; only for those who may see
    /// it.
    pub problem: Option<String>,
    /// Whether the footer links the catalog's diagnostics.
    pub diagnostics: bool,
    pub source: String,
    pub assets: &'static AssetUrls,
    /// The search box's current text.
    pub query: String,
    /// How links are written: site paths for the server, relative file
    /// names for the static site (see [`crate::site`]).
    pub links: Links,
    /// Which downloads pages offer ([`downloads`]): the snapshot's, what
    /// the server answers or the static site writes.
    pub downloads: downloads::Downloads,
    /// The organisation's name (`organisation.toml`), in the header and
    /// every title; `None` keeps rolebook's own.
    pub organisation: Option<String>,
    /// The site path of the organisation's logo ([`logo_path`]), when the
    /// catalog has one.
    pub logo: Option<String>,
    /// Whether the site has accounts (it is served from a workspace): the
    /// header links the visitor's account, the same link for everyone so
    /// that pages stay cacheable.
    pub accounts: bool,
    /// Whether the pages offer to edit what they show (the audience of a
    /// signed-in editor, approver or admin).
    pub editing: bool,
}

impl Layout {
    pub(crate) fn new(
        snap: &Snapshot,
        title: impl Into<String>,
        description: impl Into<String>,
        nav: &'static str,
    ) -> Self {
        Layout {
            title: title.into(),
            description: description.into(),
            nav,
            problem: snap.shown_problem().map(|p| p.summary.clone()),
            diagnostics: snap.audience.may_see_diagnostics(),
            source: snap.source_label.clone(),
            assets: &URLS,
            query: String::new(),
            links: Links::Server,
            downloads: snap.downloads,
            organisation: snap.catalog.organisation().name.clone(),
            logo: snap.catalog.logo().map(|logo| logo_path(logo.kind())),
            accounts: snap.version.is_some(),
            editing: snap.audience.may_edit(),
        }
    }

    /// Whose framework the pages show: the organisation's name, or
    /// rolebook's.
    pub fn site_name(&self) -> &str {
        self.organisation.as_deref().unwrap_or("rolebook")
    }

    /// The same layout with links written for `links`.
    pub(crate) fn with_links(self, links: Links) -> Self {
        Layout { links, ..self }
    }
}

/// Where the server answers the organisation's logo and the static site
/// writes it: `/brand/logo.svg` or `/brand/logo.png`.
pub fn logo_path(kind: LogoKind) -> String {
    format!("/brand/{}", kind.file_name())
}

pub(crate) fn render(template: &impl Template) -> Result<Cached, AppError> {
    template
        .render()
        .map(|html| Cached::new(html, cache::HTML))
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// A level on the proficiency scale, drawn as five pips.
#[derive(Debug, Clone)]
pub struct Meter {
    pub level: u8,
    pub name: String,
    pub max: u8,
}

impl Meter {
    fn new(catalog: &Catalog, level: u8) -> Self {
        Meter {
            level,
            name: catalog
                .proficiency_level(level)
                .map_or_else(String::new, |p| p.name.clone()),
            max: catalog
                .proficiency()
                .iter()
                .map(|p| *p.level)
                .max()
                .unwrap_or(5),
        }
    }

    /// One entry per pip: filled or not.
    pub fn pips(&self) -> Vec<bool> {
        (1..=self.max).map(|i| i <= self.level).collect()
    }
}

/// A link to a role, or plain text for a title outside the catalog or a
/// role the snapshot does not publish.
#[derive(Debug, Clone)]
pub struct RoleAnchor {
    pub href: Option<String>,
    pub title: String,
    pub note: String,
}

impl RoleAnchor {
    fn of(snap: &Snapshot, reference: &RoleRef) -> Self {
        let role = reference.role_id().and_then(|id| snap.catalog.role(id));
        RoleAnchor {
            href: role.and_then(|r| snap.publication.role_href(&r.id)),
            title: role.map_or_else(|| reference.label().to_string(), |r| r.title.to_string()),
            note: reference.note.clone().unwrap_or_default(),
        }
    }
}

/// The published roles closest to `query`, for a "did you mean" list.
pub(crate) fn role_suggestions(snap: &Snapshot, query: &str) -> Vec<Suggestion> {
    Suggestion::roles(&snap.catalog, query)
        .into_iter()
        .filter(|s| snap.publication.has_role(&s.id))
        .collect()
}

/// 404 for a role the snapshot does not have or does not publish.
pub(crate) fn no_such_role(snap: &Snapshot, id: &str) -> AppError {
    AppError::NotFound {
        message: format!("there is no role with id `{id}`"),
        suggestions: role_suggestions(snap, id),
    }
}

/// The role `id`, when the snapshot publishes it; otherwise a 404 with
/// the closest published roles.
pub(crate) fn published_role<'s>(snap: &'s Snapshot, id: &str) -> Result<&'s Role, AppError> {
    snap.catalog
        .role(id)
        .filter(|r| snap.publication.has_role(&r.id))
        .ok_or_else(|| no_such_role(snap, id))
}

fn family_index(catalog: &Catalog, family: &str) -> usize {
    catalog
        .families()
        .iter()
        .position(|f| f.id.as_str() == family)
        .unwrap_or(0)
        % 8
}

pub(crate) fn family_name(catalog: &Catalog, family: &str) -> String {
    catalog
        .family(family)
        .map_or_else(|| family.to_string(), |f| f.name.clone())
}

pub(crate) fn level_name(catalog: &Catalog, level: &str) -> String {
    catalog
        .level(level)
        .map_or_else(|| level.to_string(), |l| l.name.clone())
}

fn track_label(track: Track) -> &'static str {
    match track {
        Track::Management => "Management",
        Track::Executive => "Executive",
        Track::IndividualContributor => "Individual contributor",
    }
}

/// A category as a heading: "ai risk" → "AI risk", "service-desk" →
/// "Service desk".
pub(crate) fn category_label(text: &str) -> String {
    let words: Vec<String> = text
        .split(['-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.eq_ignore_ascii_case("ai") {
                "AI".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    capitalise(&words.join(" "))
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Backtick-quoted names (as the CLI and JSON messages write them) in
/// typographic quotes, as pages write them.
pub(crate) fn typographic_quotes(text: &str) -> String {
    let mut open = true;
    text.chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open { '”' } else { '“' }
            }
            c => c,
        })
        .collect()
}
