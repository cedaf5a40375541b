-- 任职资格: framework versions, assessments (dossier sealed, gates, test, panel, decision),
-- panel scores, certificates and annual reviews. Structured parts are JSON text; the dossier,
-- which holds personal data, is sealed by the application before it arrives here.

CREATE TABLE qual_frameworks (
    version     TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT
);

CREATE TABLE qual_assessments (
    id                    TEXT PRIMARY KEY,
    candidate_id          TEXT NOT NULL REFERENCES users(id),
    framework_version     TEXT NOT NULL REFERENCES qual_frameworks(version),
    framework_fingerprint TEXT NOT NULL,
    status                TEXT NOT NULL,
    dossier_sealed        TEXT NOT NULL,
    checked_on            BIGINT NOT NULL,
    gates_passed          BIGINT NOT NULL,
    paper_source          TEXT,
    test_started_at       BIGINT,
    test_due_at           BIGINT,
    answers               TEXT,
    test_submitted_at     BIGINT,
    evidence              TEXT NOT NULL DEFAULT '{}',
    panel                 TEXT,
    flags_resolved        TEXT NOT NULL DEFAULT '',
    decision              TEXT,
    qualified             BIGINT,
    decided_on            BIGINT,
    appeal_until          BIGINT,
    appeal_of             TEXT REFERENCES qual_assessments(id),
    appeal_reason         TEXT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX qual_assessments_candidate ON qual_assessments(candidate_id);

CREATE TABLE qual_panel_members (
    assessment_id TEXT NOT NULL REFERENCES qual_assessments(id),
    assessor_id   TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (assessment_id, assessor_id)
);
CREATE INDEX qual_panel_members_assessor ON qual_panel_members(assessor_id);

CREATE TABLE qual_panel_scores (
    assessment_id TEXT NOT NULL REFERENCES qual_assessments(id),
    assessor_id   TEXT NOT NULL REFERENCES users(id),
    scores        TEXT NOT NULL,
    note          TEXT NOT NULL,
    submitted_at  BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, assessor_id)
);

CREATE TABLE qual_assessor_ties (
    assessor_id  TEXT NOT NULL REFERENCES users(id),
    candidate_id TEXT NOT NULL REFERENCES users(id),
    kind         TEXT NOT NULL,
    declared_at  BIGINT NOT NULL,
    PRIMARY KEY (assessor_id, candidate_id, kind)
);

CREATE TABLE qual_certificates (
    number        TEXT PRIMARY KEY,
    holder_id     TEXT NOT NULL REFERENCES users(id),
    assessment_id TEXT REFERENCES qual_assessments(id),
    issued_on     BIGINT NOT NULL,
    valid_until   BIGINT NOT NULL,
    state         TEXT NOT NULL,
    state_since   BIGINT,
    reason        TEXT NOT NULL DEFAULT '',
    last_review   BIGINT,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX qual_certificates_holder ON qual_certificates(holder_id);

CREATE TABLE qual_reviews (
    id          TEXT PRIMARY KEY,
    holder_id   TEXT NOT NULL REFERENCES users(id),
    year        BIGINT NOT NULL,
    evidence    TEXT NOT NULL,
    note        TEXT NOT NULL,
    reviewed_by TEXT NOT NULL REFERENCES users(id),
    reviewed_on BIGINT NOT NULL
);
CREATE INDEX qual_reviews_holder ON qual_reviews(holder_id, year);
