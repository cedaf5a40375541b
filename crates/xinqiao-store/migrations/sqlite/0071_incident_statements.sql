-- Public statements of an incident: drafts, publication after a second person's approval, and
-- corrections that point at the statement they correct (which stays visible) with the reason;
-- the enterprise's declared trade secrets, which no published statement may contain.

CREATE TABLE incident_secrets (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    term        TEXT NOT NULL,
    declared_by TEXT NOT NULL REFERENCES users(id),
    declared_at BIGINT NOT NULL,
    PRIMARY KEY (incident_id, term)
);

CREATE TABLE incident_statements (
    id                TEXT PRIMARY KEY,
    incident_id       TEXT NOT NULL REFERENCES incidents(id),
    facts             TEXT NOT NULL,
    measures          TEXT NOT NULL,
    next_update_at    BIGINT,
    -- draft | published
    status            TEXT NOT NULL,
    corrects_id       TEXT REFERENCES incident_statements(id),
    correction_reason TEXT,
    drafted_by        TEXT NOT NULL REFERENCES users(id),
    drafted_at        BIGINT NOT NULL,
    approved_by       TEXT REFERENCES users(id),
    published_at      BIGINT
);
CREATE INDEX incident_statements_incident ON incident_statements(incident_id, drafted_at);
