//! What people say about a change request while it is reviewed: comments
//! on the whole of it or on one field of an entity it edits, and its
//! timeline (the comments with its moves between states), oldest first.

use serde::Serialize;
use sqlx::Row;

use crate::StoreError;
use crate::audit::{self, Actor};
use crate::db::now;
use crate::entity::Key;
use crate::workspace::{Workspace, check_text, request_in};

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// A comment on a change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub at: String,
    pub author: String,
    /// The entity and field it is about; none for the change request as a
    /// whole.
    pub on: Option<CommentTarget>,
    pub body: String,
}

/// One field of one entity (`role/sre-manager`, `skills.3.level`); an
/// empty field is the entity as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentTarget {
    pub kind: String,
    pub id: String,
    pub field: String,
}

/// A move of a change request from one state to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub at: String,
    pub actor: String,
    /// None when it was opened.
    pub from: Option<String>,
    pub to: String,
    pub note: String,
}

/// One step of a change request's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Step {
    Comment(Comment),
    Moved(Moved),
}

impl Step {
    fn at(&self) -> &str {
        match self {
            Step::Comment(comment) => &comment.at,
            Step::Moved(moved) => &moved.at,
        }
    }
}

/// A field's name as the editor's form writes it: dotted words and
/// numbers.
fn check_field(field: &str) -> Result<(), StoreError> {
    let fine = field.len() <= 200
        && field
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    if fine {
        Ok(())
    } else {
        Err(StoreError::BadEdit(format!(
            "`{}` is not a field's name (dotted words and numbers, such as skills.3.level)",
            field.chars().take(80).collect::<String>()
        )))
    }
}

impl Workspace {
    /// Adds a comment to a change request, in any state; `on` is the
    /// entity and field it is about (field empty: the whole entity).
    pub async fn comment(
        &self,
        change_request: i64,
        on: Option<(&Key, &str)>,
        body: &str,
        author: impl Into<Actor>,
    ) -> Result<Comment, StoreError> {
        let actor = author.into();
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::BadEdit("a comment needs some text".into()));
        }
        if body.chars().count() > MAX_COMMENT_CHARS {
            return Err(StoreError::BadEdit(format!(
                "a comment holds at most {MAX_COMMENT_CHARS} characters"
            )));
        }
        check_text("a comment", body, false)?;
        if let Some((_, field)) = on {
            check_field(field)?;
        }
        let (kind, id, field) = match on {
            Some((key, field)) => (key.kind.as_str(), key.id.as_str(), field),
            None => ("", "", ""),
        };
        let mut tx = self.db().begin_write().await?;
        request_in(&mut tx, self.db().engine(), change_request).await?;
        let at = now();
        let row = sqlx::query(
            "INSERT INTO change_request_comments (change_request, at, author, kind, entity, field, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(change_request)
        .bind(&at)
        .bind(&actor.name)
        .bind(kind)
        .bind(id)
        .bind(field)
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
        let comment_id: i64 = row.try_get(0)?;
        let object = format!("change-request:{change_request}");
        let detail = match on {
            Some((key, "")) => key.to_string(),
            Some((key, field)) => format!("{key} {field}"),
            None => String::new(),
        };
        audit::record(&mut tx, &actor, "comment-added", &object, &detail).await?;
        tx.commit().await?;
        Ok(Comment {
            id: comment_id,
            at,
            author: actor.name,
            on: on.map(|(key, field)| CommentTarget {
                kind: key.kind.as_str().to_string(),
                id: key.id.clone(),
                field: field.to_string(),
            }),
            body: body.to_string(),
        })
    }

    /// A change request's comments and moves, oldest first.
    pub async fn timeline(&self, change_request: i64) -> Result<Vec<Step>, StoreError> {
        self.change_request(change_request).await?;
        let pool = self.db().pool();
        let comments = sqlx::query(
            "SELECT id, at, author, kind, entity, field, body FROM change_request_comments \
             WHERE change_request = $1 ORDER BY id",
        )
        .bind(change_request)
        .fetch_all(pool)
        .await?;
        let moves = sqlx::query(
            "SELECT at, actor, from_state, to_state, note FROM change_request_events \
             WHERE change_request = $1 ORDER BY id",
        )
        .bind(change_request)
        .fetch_all(pool)
        .await?;
        let mut steps = Vec::with_capacity(comments.len() + moves.len());
        for row in &comments {
            let kind: String = row.try_get(3)?;
            steps.push(Step::Comment(Comment {
                id: row.try_get(0)?,
                at: row.try_get(1)?,
                author: row.try_get(2)?,
                on: (!kind.is_empty())
                    .then(|| -> Result<CommentTarget, sqlx::Error> {
                        Ok(CommentTarget {
                            kind,
                            id: row.try_get(4)?,
                            field: row.try_get(5)?,
                        })
                    })
                    .transpose()?,
                body: row.try_get(6)?,
            }));
        }
        for row in &moves {
            steps.push(Step::Moved(Moved {
                at: row.try_get(0)?,
                actor: row.try_get(1)?,
                from: row.try_get(2)?,
                to: row.try_get(3)?,
                note: row.try_get(4)?,
            }));
        }
        // Times have a fixed width, so text order is time order; the sort
        // is stable, so steps of one millisecond keep their kind's order.
        steps.sort_by(|a, b| a.at().cmp(b.at()));
        Ok(steps)
    }
}
