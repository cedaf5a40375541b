-- 先行和解 (ODR): the enterprises that settle with consumers first, their settlement proposals,
-- and the last day of a complaint's settlement window. Repeated reports merged into the open one
-- they repeat. Attachments of cases: each file stored once by the SHA-256 of its (cleaned) bytes,
-- sealed under the data key.

CREATE TABLE odr_enterprises (
    uscc      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    joined_at BIGINT NOT NULL
);

ALTER TABLE cases ADD COLUMN settle_until BIGINT;
ALTER TABLE cases ADD COLUMN merged_into TEXT REFERENCES cases(id);

CREATE TABLE settlements (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    proposal    TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    -- proposed | accepted | declined | withdrawn
    status      TEXT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX settlements_case ON settlements(case_id);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    media  TEXT NOT NULL,
    size   BIGINT NOT NULL,
    sealed BYTEA NOT NULL
);

CREATE TABLE case_attachments (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases(id),
    sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    name     TEXT NOT NULL,
    -- intake | supplement
    source   TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id);
