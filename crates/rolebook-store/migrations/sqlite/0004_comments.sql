-- Comments on a change request: on the whole of it (kind, entity and
-- field empty), or on one field of one entity it edits (the field's
-- dotted name, as the editor's form names it: `skills.3.level`).
CREATE TABLE change_request_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    change_request INTEGER NOT NULL REFERENCES change_requests (id),
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX change_request_comments_request ON change_request_comments (change_request);
