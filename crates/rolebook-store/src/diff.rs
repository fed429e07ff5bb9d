//! What changed in one entity: between two published versions, or between
//! the latest version and a change request's edit, field by field (the
//! core's `changes`), from the TOML texts the workspace stores.

use serde::Serialize;

use crate::StoreError;
use crate::entity::{Content, Document, Key, Kind};
use crate::workspace::Workspace;

/// What changed in one entity between two of its contents.
#[derive(Debug, Clone, Serialize)]
pub struct EntityDiff {
    pub kind: &'static str,
    pub id: String,
    /// `created`, `deleted`, `changed` or `unchanged`.
    pub status: &'static str,
    /// Field by field, when the entity exists on both sides.
    pub changes: Option<rolebook_core::changes::Changes>,
}

impl EntityDiff {
    /// The diff as text for people: one line per change.
    pub fn to_text(&self) -> String {
        match (&self.changes, self.status) {
            (Some(changes), _) => changes.to_text(),
            (None, status) => format!("{} {} {status}\n", self.kind, self.id),
        }
    }

    /// The diff as Markdown.
    pub fn to_markdown(&self) -> String {
        match (&self.changes, self.status) {
            (Some(changes), _) => changes.to_markdown(),
            (None, status) => format!(
                "{} `{}` {status}\n",
                self.kind,
                rolebook_core::escape::markdown(&self.id)
            ),
        }
    }
}

/// Compares two contents of `key` (`None`: absent on that side).
pub fn diff_documents(
    key: &Key,
    old: Option<&Document>,
    new: Option<&Document>,
) -> Result<EntityDiff, StoreError> {
    let (status, changes) = match (old, new) {
        (None, None) => ("unchanged", None),
        (None, Some(_)) => ("created", None),
        (Some(_), None) => ("deleted", None),
        (Some(old), Some(new)) => {
            let changes = changes_between(key, &old.content, &new.content)?;
            (
                if changes.is_empty() {
                    "unchanged"
                } else {
                    "changed"
                },
                Some(changes),
            )
        }
    };
    Ok(EntityDiff {
        kind: key.kind.as_str(),
        id: key.id.clone(),
        status,
        changes,
    })
}

fn changes_between(
    key: &Key,
    old: &Content,
    new: &Content,
) -> Result<rolebook_core::changes::Changes, StoreError> {
    use rolebook_core::changes;
    use rolebook_core::model::{Framework, KpiFile, Organisation, Role, SkillFile};
    fn parse<T: serde::de::DeserializeOwned>(
        key: &Key,
        content: &Content,
    ) -> Result<T, StoreError> {
        let text = content
            .text()
            .ok_or_else(|| StoreError::BadEdit(format!("{key} is not text")))?;
        toml::from_str(text).map_err(|e| {
            StoreError::BadEdit(format!(
                "{key} cannot be compared: it does not parse ({})",
                e.message()
            ))
        })
    }
    fn one<T>(key: &Key, mut items: Vec<T>) -> Result<T, StoreError> {
        match items.len() {
            1 => Ok(items.remove(0)),
            n => Err(StoreError::BadEdit(format!(
                "{key} holds {n} entries, not one"
            ))),
        }
    }
    Ok(match key.kind {
        Kind::Role => changes::role_changes(&parse::<Role>(key, old)?, &parse::<Role>(key, new)?),
        Kind::Skill => changes::skill_changes(
            &one(key, parse::<SkillFile>(key, old)?.skills)?,
            &one(key, parse::<SkillFile>(key, new)?.skills)?,
        ),
        Kind::Kpi => changes::kpi_changes(
            &one(key, parse::<KpiFile>(key, old)?.kpis)?,
            &one(key, parse::<KpiFile>(key, new)?.kpis)?,
        ),
        Kind::Framework => changes::framework_changes(
            &parse::<Framework>(key, old)?,
            &parse::<Framework>(key, new)?,
        ),
        Kind::Organisation => changes::organisation_changes(
            &parse::<Organisation>(key, old)?,
            &parse::<Organisation>(key, new)?,
        ),
        Kind::Logo => {
            let size = |c: &Content| match c {
                Content::Bytes(b) => b.len(),
                Content::Text(t) => t.len(),
            };
            changes::Changes {
                kind: "logo",
                id: key.id.clone(),
                changes: if old == new {
                    Vec::new()
                } else {
                    vec![changes::Change::Value {
                        field: "logo".to_string(),
                        from: format!("{} bytes", size(old)),
                        to: format!("{} bytes", size(new)),
                    }]
                },
            }
        }
    })
}

impl Workspace {
    /// What changed in `key` from version `from` to version `to`.
    pub async fn diff(&self, key: &Key, from: i64, to: i64) -> Result<EntityDiff, StoreError> {
        let side = |version: i64| async move {
            self.version(version).await?;
            match self.entity(version, key).await {
                Ok(entity) => Ok(Some(entity.document)),
                Err(StoreError::NoSuchEntity(_)) => Ok(None),
                Err(other) => Err(other),
            }
        };
        let old = side(from).await?;
        let new = side(to).await?;
        if old.is_none() && new.is_none() {
            return Err(StoreError::NoSuchEntity(key.clone()));
        }
        diff_documents(key, old.as_ref(), new.as_ref())
    }

    /// What a change request's edit of `key` changes from the latest
    /// version.
    pub async fn edit_diff(
        &self,
        change_request: i64,
        key: &Key,
    ) -> Result<EntityDiff, StoreError> {
        let latest = self.require_latest().await?;
        let old = match self.entity(latest, key).await {
            Ok(entity) => Some(entity.document),
            Err(StoreError::NoSuchEntity(_)) => None,
            Err(other) => return Err(other),
        };
        let (new, _) = self.entity_in(change_request, key).await?;
        diff_documents(key, old.as_ref(), new.as_ref())
    }
}
