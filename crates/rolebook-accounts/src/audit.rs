//! The audit log: append-only, one entry per sensitive action, written in
//! the same transaction as the action itself.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AccountError, Accounts, Context};

pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    /// What happened: `sign-in`, `sign-in-failed`, `user-added`, ….
    pub action: String,
    /// What it happened to: `user:ana@example.org`, `token:3`, ….
    pub object: String,
    pub request_id: String,
    pub address: String,
    /// More about it, in words (`role editor → approver`).
    pub detail: String,
}

/// Which entries to read; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Entries whose object contains this text.
    pub object: Option<String>,
    /// From this time on (RFC 3339, or a date).
    pub since: Option<String>,
    /// Before this time.
    pub until: Option<String>,
    /// At most this many, newest first (default 1,000).
    pub limit: Option<i64>,
}

/// Records an entry inside `tx`.
pub(crate) async fn record(
    tx: &mut Tx,
    context: &Context,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), AccountError> {
    rolebook_store::audit::insert(
        tx,
        &context.actor,
        &context.request_id,
        &context.address,
        action,
        object,
        detail,
    )
    .await?;
    Ok(())
}

impl Accounts {
    /// Records an action done elsewhere (a publish, an export) on its own.
    pub async fn record(
        &self,
        context: &Context,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<(), AccountError> {
        let mut tx = self.db.begin_write().await?;
        record(&mut tx, context, action, object, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The entries `filter` selects, newest first.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AccountError> {
        // The SQL is put together from the fixed fragments below only;
        // every value is a bind parameter. (sqlx's QueryBuilder writes `?`
        // placeholders for the Any driver, which PostgreSQL rejects.)
        let mut sql = String::from(
            "SELECT id, at, actor, action, object, request_id, address, detail FROM audit_log WHERE 1 = 1",
        );
        let mut values: Vec<String> = Vec::new();
        let mut narrow = |fragment: &str, value: &str| {
            values.push(value.to_string());
            sql.push_str(&fragment.replace('?', &format!("${}", values.len())));
        };
        if let Some(actor) = &filter.actor {
            narrow(" AND actor = ?", actor);
        }
        if let Some(action) = &filter.action {
            narrow(" AND action = ?", action);
        }
        if let Some(object) = &filter.object {
            // Matched as text, not as a LIKE pattern: `%` and `_` are
            // ordinary characters here.
            match self.db.engine() {
                rolebook_store::Engine::Sqlite => narrow(" AND instr(object, ?) > 0", object),
                rolebook_store::Engine::Postgres => narrow(" AND strpos(object, ?) > 0", object),
            }
        }
        if let Some(since) = &filter.since {
            narrow(" AND at >= ?", &stored_time(since, "--since")?);
        }
        if let Some(until) = &filter.until {
            narrow(" AND at < ?", &stored_time(until, "--until")?);
        }
        let limit = filter.limit.unwrap_or(1000);
        if limit < 0 {
            return Err(AccountError::BadValue(format!(
                "a limit is a number of entries, not {limit}"
            )));
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let limit = limit.min(100_000);
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in values {
            query = query.bind(value);
        }
        let rows = query.fetch_all(self.db.pool()).await?;
        rows.iter().map(entry_of).collect()
    }
}

/// A time as the log stores it (UTC, fixed width, so text order is time
/// order), from a date (`2026-12-01`, its midnight in UTC) or an RFC 3339
/// time with any offset.
pub fn stored_time(text: &str, what: &str) -> Result<String, AccountError> {
    let text = text.trim();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(day) = time::Date::parse(text, &date) {
        return Ok(rolebook_store::db::timestamp(day.midnight().assume_utc()));
    }
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(rolebook_store::db::timestamp)
        .map_err(|_| {
            AccountError::BadValue(format!(
                "{what} takes a date (2026-12-01) or a time (2026-12-01T09:30:00Z, or with an offset such as +01:00), not `{text}`"
            ))
        })
}

fn entry_of(row: &AnyRow) -> Result<AuditEntry, AccountError> {
    Ok(AuditEntry {
        id: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        object: row.try_get(4)?,
        request_id: row.try_get(5)?,
        address: row.try_get(6)?,
        detail: row.try_get(7)?,
    })
}

/// `entries` as CSV with a header row; no cell can become a spreadsheet
/// formula (`rolebook_core::escape::csv_cell`).
pub fn to_csv(entries: &[AuditEntry]) -> Result<String, AccountError> {
    use rolebook_core::escape::csv_cell;
    let failed = |e: csv::Error| AccountError::Internal(format!("writing CSV failed: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "id",
            "at",
            "actor",
            "action",
            "object",
            "request_id",
            "address",
            "detail",
        ])
        .map_err(failed)?;
    for entry in entries {
        let id = entry.id.to_string();
        writer
            .write_record([
                id.as_str(),
                &csv_cell(&entry.at),
                &csv_cell(&entry.actor),
                &csv_cell(&entry.action),
                &csv_cell(&entry.object),
                &csv_cell(&entry.request_id),
                &csv_cell(&entry.address),
                &csv_cell(&entry.detail),
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AccountError::Internal(format!("writing CSV failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AccountError::Internal(e.to_string()))
}
