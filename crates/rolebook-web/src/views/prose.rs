//! Prose as HTML, with its references as links.
//!
//! The catalog holds prose with its references resolved to plain text,
//! which is what exports and search want. A page wants more: a mention of
//! another role, a skill or a KPI is a link to its page. So pages render
//! the text *as written* ([`Catalog::written_roles`] and friends) through
//! [`LinkedProse`], which escapes the text and turns each reference into
//! the current title, linked when the snapshot publishes what it names.
//! A role left out of a published subset reads as plain text, never as a
//! dead link; a mention of the page's own role is never a link to itself.
//!
//! The copies this returns hold HTML in their prose fields (and only
//! there), so templates write those fields with `|safe`.
//!
//! [`Catalog::written_roles`]: rolebook_core::Catalog::written_roles

use rolebook_core::escape;
use rolebook_core::model::{Kpi, Role, Skill};
use rolebook_core::prose::{self, Lookup, Piece, Reference};

use super::Links;
use crate::state::Snapshot;

/// Renders the prose of one snapshot, for pages linked the `links` way.
pub(crate) struct LinkedProse<'s> {
    snap: &'s Snapshot,
    lookup: Lookup<'s>,
    links: Links,
    /// The role whose page this is: mentions of it link nowhere.
    page_role: Option<String>,
}

impl<'s> LinkedProse<'s> {
    pub(crate) fn new(snap: &'s Snapshot, links: Links) -> Self {
        let catalog = &snap.catalog;
        LinkedProse {
            snap,
            lookup: Lookup::new(
                catalog.written_roles().iter().map(|r| &**r),
                catalog.written_skills(),
                catalog.written_kpis(),
            ),
            links,
            page_role: None,
        }
    }

    /// The same, for the page of role `id`: a mention of the role (in a
    /// KPI's definition, say) is not a link to the page itself.
    pub(crate) fn on_page_of(mut self, id: &str) -> Self {
        self.page_role = Some(id.to_string());
        self
    }

    /// `written` (prose of role `own`, if any) as HTML: text escaped, each
    /// reference its current text, a link where there is a page for it.
    pub(crate) fn html(&self, written: &str, own: Option<&str>) -> String {
        let (pieces, _) = prose::parse(written);
        let mut out = String::with_capacity(written.len() + 32);
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(&escape::xml(text)),
                Piece::Ref(reference, span) => match self.lookup.text_of(reference, own) {
                    Ok(text) => match self.href(reference, own) {
                        Some(href) => {
                            out.push_str("<a href=\"");
                            out.push_str(&escape::xml(&self.links.link(&href)));
                            out.push_str("\">");
                            out.push_str(&escape::xml(text));
                            out.push_str("</a>");
                        }
                        None => out.push_str(&escape::xml(text)),
                    },
                    // A valid catalog has none; show what is written.
                    Err(_) => out.push_str(&escape::xml(&written[span])),
                },
            }
        }
        out
    }

    /// The page a reference links to: another published role, a published
    /// skill or KPI. Targets, the text's own title and the page's role link
    /// nowhere.
    fn href(&self, reference: Reference<'_>, own: Option<&str>) -> Option<String> {
        let publication = &self.snap.publication;
        match reference {
            Reference::Role(id) if Some(id) != own && Some(id) != self.page_role.as_deref() => {
                publication.role_href(id)
            }
            Reference::Skill(id) if publication.has_skill(id) => Some(format!("/skills/{id}")),
            Reference::Kpi(id) if publication.has_kpi(id) => Some(format!("/kpis/{id}")),
            _ => None,
        }
    }

    /// `role` as written, every prose field HTML.
    pub(crate) fn role(&self, role: &Role) -> Role {
        let own = role.id.as_str();
        match find(self.snap.catalog.written_roles(), own, |r| r.id.as_str()) {
            Some(written) => {
                let mut copy = Role::clone(written);
                prose::role_prose_mut(&mut copy, |text| *text = self.html(text, Some(own)));
                copy
            }
            // Not in the written catalog (a catalog has the same ids in
            // both): the resolved text, escaped.
            None => {
                let mut copy = role.clone();
                prose::role_prose_mut(&mut copy, |text| *text = escape::xml(text).into_owned());
                copy
            }
        }
    }

    /// `skill` as written, every prose field HTML.
    pub(crate) fn skill(&self, skill: &Skill) -> Skill {
        match find(self.snap.catalog.written_skills(), &skill.id, |s| {
            s.id.as_str()
        }) {
            Some(written) => {
                let mut copy = written.clone();
                prose::skill_prose_mut(&mut copy, |text| *text = self.html(text, None));
                copy
            }
            // Not in the written catalog (a catalog has the same ids in
            // both): the resolved text, escaped.
            None => {
                let mut copy = skill.clone();
                prose::skill_prose_mut(&mut copy, |text| *text = escape::xml(text).into_owned());
                copy
            }
        }
    }

    /// `kpi` as written, every prose field HTML.
    pub(crate) fn kpi(&self, kpi: &Kpi) -> Kpi {
        match find(self.snap.catalog.written_kpis(), &kpi.id, |k| k.id.as_str()) {
            Some(written) => {
                let mut copy = written.clone();
                prose::kpi_prose_mut(&mut copy, |text| *text = self.html(text, None));
                copy
            }
            // Not in the written catalog (a catalog has the same ids in
            // both): the resolved text, escaped.
            None => {
                let mut copy = kpi.clone();
                prose::kpi_prose_mut(&mut copy, |text| *text = escape::xml(text).into_owned());
                copy
            }
        }
    }

    /// Why role `owner` owns KPI `kpi`, as HTML.
    pub(crate) fn why_owned(&self, owner: &str, kpi: &str) -> Option<String> {
        let role = find(self.snap.catalog.written_roles(), owner, |r| r.id.as_str())?;
        let owned = role.kpis.iter().find(|own| own.kpi.as_str() == kpi)?;
        Some(self.html(&owned.why, Some(owner)))
    }
}

/// The item with id `id` in `items`, which are sorted by id.
fn find<'a, T>(items: &'a [T], id: &str, id_of: impl Fn(&T) -> &str) -> Option<&'a T> {
    items
        .binary_search_by(|item| id_of(item).cmp(id))
        .ok()
        .map(|at| &items[at])
}
