-- A declared tie bars an officer from a case's identity, files and actions, not only from
-- assignment; a supervisor (not the tied person) may let them handle it anyway, with a written
-- reason. One row per case and officer.

CREATE TABLE case_tie_overrides (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    granted_by  TEXT NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
