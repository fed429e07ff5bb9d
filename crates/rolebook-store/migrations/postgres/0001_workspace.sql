-- The workspace: published versions of a catalog, the entity revisions they
-- are made of, and the change requests that make new versions. Shipped:
-- never edit this file; add a new migration instead.

-- One row: the latest published version. Publishing moves it forward with a
-- compare-and-set, which serialises publishers on any engine.
CREATE TABLE workspace (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    latest_version BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

-- Published versions: immutable once written.
CREATE TABLE versions (
    number BIGINT PRIMARY KEY,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    message TEXT NOT NULL,
    -- The change request it published; NULL for the seed.
    change_request BIGINT
);

-- Every content an entity has had. `content` is the entity's TOML text,
-- `bytes` the logo's; both NULL when the revision deletes the entity.
CREATE TABLE revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('framework', 'organisation', 'logo', 'skill', 'kpi', 'role')),
    entity TEXT NOT NULL,
    -- Where the entity lives in catalog-as-code: its file and its place
    -- among the entities of that file.
    file TEXT NOT NULL,
    position BIGINT NOT NULL,
    content TEXT,
    bytes BYTEA,
    version BIGINT NOT NULL REFERENCES versions (number)
);
CREATE INDEX revisions_entity ON revisions (kind, entity);

-- What each version is made of: one row per entity present in it.
CREATE TABLE version_entities (
    version BIGINT NOT NULL REFERENCES versions (number),
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    revision BIGINT NOT NULL REFERENCES revisions (id),
    PRIMARY KEY (version, kind, entity)
);

CREATE TABLE change_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    author TEXT NOT NULL,
    base_version BIGINT NOT NULL REFERENCES versions (number),
    state TEXT NOT NULL CHECK (state IN ('draft', 'in-review', 'approved', 'published', 'rejected', 'withdrawn')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Bumped by every save; an edit's token is the value it was saved at.
    seq BIGINT NOT NULL,
    -- The validation of the edits as of `validated_seq`, as JSON.
    diagnostics TEXT,
    validated_seq BIGINT,
    published_version BIGINT REFERENCES versions (number)
);

-- The edits of a change request: the whole new content of each entity it
-- creates, changes or deletes (both contents NULL).
CREATE TABLE edits (
    change_request BIGINT NOT NULL REFERENCES change_requests (id),
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    -- The revision the edit started from; NULL when it creates the entity.
    base_revision BIGINT REFERENCES revisions (id),
    file TEXT NOT NULL,
    position BIGINT NOT NULL,
    content TEXT,
    bytes BYTEA,
    seq BIGINT NOT NULL,
    author TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (change_request, kind, entity)
);

-- Who moved a change request from one state to another, and why.
CREATE TABLE change_request_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_request BIGINT NOT NULL REFERENCES change_requests (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX change_request_events_request ON change_request_events (change_request);
