//! Workspace settings: the switches of the [`Policy`].

use sqlx::Row;

use crate::audit::record;
use crate::policy::Policy;
use crate::{AccountError, Accounts, Context};

/// The settings there are, with what each means.
pub const SETTINGS: [(&str, &str); 2] = [
    (
        "anonymous-read",
        "visitors who have not signed in may read the published catalog",
    ),
    (
        "self-approval",
        "an approver may approve a change request they authored",
    ),
];

impl Accounts {
    /// The policy as the settings make it; a setting never written has
    /// its default.
    pub async fn policy(&self) -> Result<Policy, AccountError> {
        let rows = sqlx::query("SELECT name, value FROM settings")
            .fetch_all(self.db.pool())
            .await?;
        let mut policy = Policy::default();
        for row in &rows {
            let name: String = row.try_get(0)?;
            let value: String = row.try_get(1)?;
            let on = value == "true";
            match name.as_str() {
                "anonymous-read" => policy.anonymous_read = on,
                "self-approval" => policy.self_approval = on,
                _ => {}
            }
        }
        Ok(policy)
    }

    /// Turns setting `name` on or off.
    pub async fn set_setting(
        &self,
        context: &Context,
        name: &str,
        on: bool,
    ) -> Result<Policy, AccountError> {
        if !SETTINGS.iter().any(|(known, _)| *known == name) {
            let known: Vec<&str> = SETTINGS.iter().map(|(n, _)| *n).collect();
            return Err(AccountError::BadValue(format!(
                "`{name}` is not a setting; settings are {}",
                known.join(", ")
            )));
        }
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM settings WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2)")
            .bind(name)
            .bind(if on { "true" } else { "false" })
            .execute(&mut *tx)
            .await?;
        let detail = if on { "on" } else { "off" };
        record(
            &mut tx,
            context,
            "setting-changed",
            &format!("setting:{name}"),
            detail,
        )
        .await?;
        tx.commit().await?;
        self.policy().await
    }
}
