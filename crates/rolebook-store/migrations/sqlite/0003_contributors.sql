-- Everyone who opened a change request, or saved or dropped one of its
-- edits, however the edits changed since: four eyes asks whether an
-- approver is among them.
CREATE TABLE change_request_contributors (
    change_request INTEGER NOT NULL REFERENCES change_requests (id),
    author TEXT NOT NULL,
    PRIMARY KEY (change_request, author)
);

INSERT INTO change_request_contributors (change_request, author)
SELECT id, author FROM change_requests
UNION
SELECT change_request, author FROM edits;
